"""The project editor keeps what is typed: leaving asks, problems show at their fields."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect

from .conftest import Server, delete_project, login
from .test_editing import _create, _fill_kept, _project, _save, _tab

SHOTS = Path("/tmp/editor-trust")


@pytest.fixture
def editor(page: Page, app_server: Server) -> Iterator[tuple[Page, int]]:
    login(page, app_server, "admin")
    project_id = _create(page, app_server, "Luottamushanke")
    yield page, project_id
    delete_project(app_server, project_id)


def test_back_link_with_unsaved_text_asks(editor: tuple[Page, int], app_server: Server) -> None:
    page, project_id = editor
    page.get_by_label("Kunta", exact=True).fill("Tallentamaton kunta")
    page.get_by_role("link", name="Takaisin hankkeen sivulle").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Sinulla on tallentamattomia muutoksia.")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "leave.png"), full_page=True)
    dialog.get_by_role("button", name="Jää sivulle").click()
    expect(page.get_by_label("Kunta", exact=True)).to_have_value("Tallentamaton kunta")
    page.get_by_role("link", name="Takaisin hankkeen sivulle").click()
    page.get_by_role("dialog").get_by_role("button", name="Tallenna ja poistu").click()
    page.wait_for_url(re.compile(rf"/projects/{project_id}$"))
    assert _project(app_server, project_id)["municipality"] == "Tallentamaton kunta"


def test_reload_with_unsaved_text_asks(editor: tuple[Page, int], app_server: Server) -> None:
    page, project_id = editor
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.get_by_label("Kunta", exact=True).click()  # typed keys: the browser's user activation
    page.keyboard.type("Keskeneräinen kunta")
    with page.expect_event("dialog"):
        page.evaluate("() => setTimeout(() => location.reload(), 0)")
    assert asked == ["beforeunload"]
    expect(page.get_by_label("Kunta", exact=True)).to_have_value("Keskeneräinen kunta")
    # Saved, the page leaves without a question.
    _save(page)
    expect(page.get_by_role("status")).to_contain_text("Tallennettu klo")
    page.reload()
    expect(page.get_by_label("Kunta", exact=True)).to_have_value("Keskeneräinen kunta")
    assert asked == ["beforeunload"]
    assert _project(app_server, project_id)["municipality"] == "Keskeneräinen kunta"


def test_every_problem_is_shown_at_its_field(editor: tuple[Page, int], app_server: Server) -> None:
    page, project_id = editor
    name = page.get_by_label("Nimi", exact=True)
    name.fill("")
    page.get_by_label("Päättymispäivä", exact=True).fill("31.2.2021")
    page.get_by_label("Budjetti (€)", exact=True).fill("paljon")
    _tab(page, "Henkilöt")
    page.get_by_role("button", name="Lisää henkilö").click()
    page.get_by_label("Sähköposti", exact=True).fill("ei-osoite")
    _save(page)
    alert = page.get_by_role("alert").filter(has_text="Mitään ei tallennettu")
    for text in ("Nimi: on pakollinen", "31.2.2021", "paljon", "ei-osoite"):
        expect(alert).to_contain_text(text)
    person = page.locator(".q-card").filter(has=page.get_by_label("Sähköposti", exact=True))
    expect(person.locator(".q-field--error")).to_have_count(2)  # the name and the e-mail
    expect(person).to_contain_text("ei ole kelvollinen sähköpostiosoite")
    _tab(page, "Perustiedot")
    fields = page.locator(".q-field--error")
    expect(fields).to_have_count(3)
    expect(page.locator(".q-field--error").filter(has_text="Nimi")).to_contain_text("on pakollinen")
    expect(page.locator(".q-field--error").filter(has_text="Päättymispäivä")).to_contain_text(
        "ei ole kelvollinen päivämäärä"
    )
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "problems.png"), full_page=True)
    # Correcting a field clears its mark.
    name.fill("Luottamushanke")
    expect(fields).to_have_count(2)
    assert _project(app_server, project_id)["name"] == "Luottamushanke"


def test_length_limit_and_counter(editor: tuple[Page, int]) -> None:
    page, _project_id = editor
    short_name = page.get_by_label("Lyhyt nimi", exact=True)
    expect(short_name).to_have_attribute("maxlength", "100")
    short_name.fill("x" * 150)
    expect(short_name).to_have_value("x" * 100)
    field = page.locator(".q-field").filter(has=short_name)
    expect(field.locator(".q-field__counter")).to_have_text("100 / 100")


def test_heading_and_goal_labels_refresh_after_save(
    editor: tuple[Page, int], app_server: Server
) -> None:
    page, _project_id = editor
    page.get_by_label("Nimi", exact=True).fill("Uusi nimi hankkeelle")
    _save(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Muokkaus: Uusi nimi hankkeelle")
    _tab(page, "Tavoitteet")
    page.get_by_role("button", name="Lisää tavoite").click()
    page.get_by_role("button", name="Lisää toimenpide").click()
    goal = page.locator(".q-card").filter(has=page.get_by_label("Ylätavoite"))
    _fill_kept(goal.get_by_label("Tavoite", exact=True), "Parempi arki")
    _fill_kept(page.get_by_label("Toimenpide", exact=True), "Kotikäynnit")
    _save(page)
    expect(page.get_by_role("status")).to_contain_text("Tallennettu klo")
    measure = page.locator(".q-card").filter(has=page.get_by_label("Toimenpide", exact=True))
    measure.get_by_label("Tavoite", exact=True).click()
    expect(page.get_by_role("option", name="1. Parempi arki")).to_be_visible()


def test_a_typed_date_is_stored_and_shown_the_finnish_way(
    editor: tuple[Page, int], app_server: Server
) -> None:
    page, project_id = editor
    start = page.get_by_label("Aloituspäivä", exact=True)
    start.fill("1.11.2020")
    _save(page)
    expect(page.get_by_role("status")).to_contain_text("Tallennettu klo")
    assert _project(app_server, project_id)["start_date"] == "2020-11-01"
    page.reload()
    expect(page.get_by_label("Aloituspäivä", exact=True)).to_have_value("1.11.2020")
    assert page.locator("main input[type=date]").count() == 0
    page.get_by_role("button", name="Valitse Aloituspäivä kalenterista").click()
    expect(page.locator(".q-date")).to_contain_text("marraskuu")
