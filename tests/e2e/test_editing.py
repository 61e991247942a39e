"""The project editor: creating, editing, conflicts, validation, targets, attachments, rights."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .conftest import Server, assert_accessible, delete_project, login, settle

SHOTS = Path("/tmp/editing")
HOSTILE = "<b>x</b> & <script>alert(1)</script>"
TABS = [
    "Perustiedot",
    "Kuvaukset",
    "Rahoitus",
    "Organisaatiot",
    "Henkilöt",
    "Tavoitteet",
    "Mittarit",
    "Raportointijaksot",
    "Toteumat",
    "Osallistujat",
    "Liitteet",
]


def _project(server: Server, project_id: int) -> dict[str, object]:
    with server.api("admin") as client:
        response = client.get(f"/api/projects/{project_id}")
    assert response.status_code == 200, response.text
    data: dict[str, object] = response.json()
    return data


def _create(page: Page, server: Server, name: str) -> int:
    """A project of this test's own, created through /projects/new as admin."""
    page.goto(f"{server.url}/projects/new")
    page.get_by_label("Nimi", exact=True).fill(name)
    page.get_by_label("Aloituspäivä", exact=True).fill("1.1.2020")
    page.get_by_label("Päättymispäivä", exact=True).fill("31.12.2021")
    page.get_by_role("button", name="Luo hanke").click()
    page.wait_for_url(re.compile(r"/projects/\d+/edit$"))
    match = re.search(r"/projects/(\d+)/edit$", page.url)
    assert match
    return int(match.group(1))


def _tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    expect(page.get_by_role("tab", name=name, exact=True)).to_have_attribute(
        "aria-selected", "true"
    )


def _save(page: Page) -> None:
    page.get_by_role("button", name="Tallenna").click()


def _fill_kept(field: Locator, value: str) -> None:
    """Fill an input of a tab that may still be redrawn after the previous action: a value typed
    into an input that the redraw then replaces is gone, so type it again until it stays.
    The pause is the time given to a redraw that may or may not come: there is no condition
    to wait for, so it stays a (bounded) pause."""
    for _attempt in range(5):
        field.fill(value)
        field.page.wait_for_timeout(300)
        if field.input_value() == value:
            return
    expect(field).to_have_value(value)


def _saved(page: Page) -> None:
    expect(page.get_by_role("status")).to_contain_text("Tallennettu klo")


def _problems(page: Page) -> Locator:
    """The summary of a refused save (each problem is also shown at its field)."""
    return page.get_by_role("alert").filter(has_text="Mitään ei tallennettu")


@pytest.fixture
def admin_page(page: Page, app_server: Server) -> Page:
    login(page, app_server, "admin")
    return page


@pytest.fixture
def own_project(admin_page: Page, app_server: Server) -> Iterator[int]:
    """A project created for one test and deleted after it: other tests count the demo data."""
    project_id = _create(admin_page, app_server, "Muokkaustestin hanke")
    yield project_id
    delete_project(app_server, project_id)


def test_manager_edits_soku_and_history_shows_it(page: Page, app_server: Server) -> None:
    soku = app_server.project_ids["SoKu"]
    original = _project(app_server, soku)["municipality"] or ""
    login(page, app_server, "maija", f"/projects/{soku}/edit")
    page.goto(f"{app_server.url}/projects/{soku}/edit")
    municipality = page.get_by_label("Kunta", exact=True)
    municipality.fill("Muokkauskunta")
    _save(page)
    _saved(page)
    assert _project(app_server, soku)["municipality"] == "Muokkauskunta"
    try:
        page.goto(f"{app_server.url}/projects/{soku}/history")
        expect(page.get_by_text("Muokkauskunta").first).to_be_visible()
    finally:
        page.goto(f"{app_server.url}/projects/{soku}/edit")
        page.get_by_label("Kunta", exact=True).fill(str(original))
        _save(page)
        _saved(page)
        assert (_project(app_server, soku)["municipality"] or "") == original


def test_manager_cannot_edit_other_projects(page: Page, app_server: Server) -> None:
    other = next(pid for name, pid in app_server.project_ids.items() if name != "SoKu")
    login(page, app_server, "maija")
    page.goto(f"{app_server.url}/projects/{other}/edit")
    expect(page.get_by_text("Sinulla ei ole oikeutta nähdä tätä sivua.")).to_be_visible()
    expect(page.get_by_role("button", name="Tallenna")).to_have_count(0)


def test_viewer_sees_no_editor(page: Page, app_server: Server) -> None:
    soku = app_server.project_ids["SoKu"]
    login(page, app_server, "ville")
    page.goto(f"{app_server.url}/projects/{soku}/edit")
    expect(page.get_by_text("Sinulla ei ole oikeutta nähdä tätä sivua.")).to_be_visible()
    expect(page.locator("main input, main textarea")).to_have_count(0)
    page.goto(f"{app_server.url}/projects/new")
    expect(page.get_by_text("Sinulla ei ole oikeutta nähdä tätä sivua.")).to_be_visible()
    expect(page.locator("main input, main textarea")).to_have_count(0)


def test_new_project_page_is_accessible(admin_page: Page, app_server: Server) -> None:
    admin_page.goto(f"{app_server.url}/projects/new")
    expect(admin_page.get_by_role("heading", name="Uusi hanke")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    admin_page.screenshot(path=str(SHOTS / "new.png"), full_page=True)
    assert_accessible(admin_page)


def test_two_editors_conflict(browser: Browser, app_server: Server, own_project: int) -> None:
    first, second = browser.new_context(), browser.new_context()
    try:
        one, two = first.new_page(), second.new_page()
        for page in (one, two):
            login(page, app_server, "admin")
            page.goto(f"{app_server.url}/projects/{own_project}/edit")
            expect(page.get_by_label("Kunta", exact=True)).to_be_visible()
        one.get_by_label("Kunta", exact=True).fill("Ensimmäisen kunta")
        _save(one)
        _saved(one)
        two.get_by_label("Kunta", exact=True).fill("Toisen kunta")
        _save(two)
        dialog = two.get_by_role("dialog")
        expect(dialog.get_by_text("Joku muu on muuttanut hanketta")).to_be_visible()
        expect(dialog.get_by_text("Ensimmäisen kunta").first).to_be_visible()
        expect(dialog.get_by_label("Omat tallentamattomat muutoksesi")).to_have_value(
            re.compile("Toisen kunta")
        )
        SHOTS.mkdir(exist_ok=True)
        two.screenshot(path=str(SHOTS / "conflict.png"), full_page=True)
        assert _project(app_server, own_project)["municipality"] == "Ensimmäisen kunta"
        dialog.get_by_role("button", name="Lataa uusin versio").click()
        expect(two.get_by_label("Kunta", exact=True)).to_have_value("Ensimmäisen kunta")
    finally:
        first.close()
        second.close()


def test_invalid_dates_are_refused(admin_page: Page, app_server: Server, own_project: int) -> None:
    page = admin_page
    page.get_by_label("Aloituspäivä", exact=True).fill("1.6.2021")
    page.get_by_label("Päättymispäivä", exact=True).fill("1.1.2021")
    _save(page)
    expect(_problems(page)).to_contain_text("Päättymispäivä: päättymispäivä 1.1.2021 on ennen")
    page.get_by_label("Päättymispäivä", exact=True).fill("31.2.2020")
    _save(page)
    expect(_problems(page)).to_contain_text("Päättymispäivä: ei ole kelvollinen päivämäärä")
    stored = _project(app_server, own_project)
    assert (stored["start_date"], stored["end_date"]) == ("2020-01-01", "2021-12-31")


def test_indicator_target_change_needs_reason(
    admin_page: Page, app_server: Server, own_project: int
) -> None:
    page = admin_page
    _tab(page, "Mittarit")
    page.get_by_role("button", name="Lisää mittari").click()
    page.get_by_label("Mittari", exact=True).fill("Asiakkaiden määrä")
    page.get_by_label("Tavoitetaso", exact=True).fill("10")
    _save(page)
    _saved(page)
    _tab(page, "Perustiedot")  # switching tabs shows the saved target as read-only
    _tab(page, "Mittarit")
    expect(page.get_by_label("Tavoitetaso", exact=True)).to_have_attribute("readonly", "")
    page.get_by_role("button", name="Muuta tavoitetasoa").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Uusi tavoitetaso").fill("12,5")
    dialog.get_by_role("button", name="Muuta tavoitetasoa").click()
    expect(dialog.get_by_role("alert")).to_contain_text("muutoksen syy")
    dialog.get_by_label("Muutoksen syy").fill("Rahoitus kasvoi")
    dialog.get_by_role("button", name="Muuta tavoitetasoa").click()
    expect(page.get_by_text("Tavoitetason muutokset")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Tallentamattomia muutoksia")
    _save(page)
    _saved(page)
    indicators = _project(app_server, own_project)["indicators"]
    assert isinstance(indicators, list)
    (indicator,) = indicators
    assert indicator["target"] == "12.5"
    (revision,) = indicator["revisions"]
    assert (revision["old_target"], revision["new_target"]) == ("10", "12.5")
    assert revision["reason"] == "Rahoitus kasvoi"


def test_attachments_upload_download_and_refusal(
    admin_page: Page, app_server: Server, own_project: int
) -> None:
    page = admin_page
    _tab(page, "Liitteet")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "raportti.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    link = page.get_by_role("link", name="raportti.pdf")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href and href.startswith("/files/")
    response = page.request.get(app_server.url + href)
    assert response.status == 200
    assert response.body() == pdf
    for name, data in (("ohjelma.exe", b"MZ\x90\x00binary"), ("vale.pdf", b"MZ not a pdf")):
        page.locator("input[type=file]").set_input_files(
            files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}]
        )
        expect(page.get_by_role("alert").filter(has_text=name)).to_contain_text(
            "ei ole sallittu tiedostotyyppi"
        )
    # Saving the editor keeps the uploaded file.
    _save(page)
    _saved(page)
    attachments = _project(app_server, own_project)["attachments"]
    assert isinstance(attachments, list)
    assert [a["filename"] for a in attachments] == ["raportti.pdf"]


def test_hostile_summary_is_shown_as_text(
    admin_page: Page, app_server: Server, own_project: int
) -> None:
    page = admin_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _tab(page, "Kuvaukset")
    page.get_by_label("Tiivistelmä").fill(HOSTILE)
    _save(page)
    _saved(page)
    assert _project(app_server, own_project)["summary"] == HOSTILE
    page.goto(f"{app_server.url}/projects/{own_project}")
    expect(page.get_by_text(HOSTILE).first).to_be_visible()
    expect(page.locator("main b", has_text="x")).to_have_count(0)
    assert not dialogs


def test_editor_tabs_are_accessible(page: Page, app_server: Server) -> None:
    soku = app_server.project_ids["SoKu"]
    login(page, app_server, "admin")
    page.goto(f"{app_server.url}/projects/{soku}/edit")
    SHOTS.mkdir(exist_ok=True)
    for number, name in enumerate(TABS):
        _tab(page, name)
        settle(page)
        page.screenshot(path=str(SHOTS / f"tab{number:02}.png"), full_page=True)
        assert_accessible(page)


def test_periods_values_and_participants(
    admin_page: Page, app_server: Server, own_project: int
) -> None:
    page = admin_page
    _tab(page, "Raportointijaksot")
    page.get_by_role("button", name="Lisää raportointijakso").click()
    first = page.locator(".q-card").filter(has_text="Raportointijakso 1")
    first.get_by_label("Aloituspäivä", exact=True).fill("1.1.2020")
    first.get_by_label("Päättymispäivä", exact=True).fill("30.6.2020")
    first.get_by_label("Mitä tehtiin").fill("Kartoitus")
    page.get_by_role("button", name="Lisää raportointijakso").click()
    second = page.locator(".q-card").filter(has_text="Raportointijakso 2")
    expect(second.get_by_label("Aloituspäivä", exact=True)).to_have_value("1.7.2020")
    second.get_by_label("Aloituspäivä", exact=True).fill("2.7.2020")
    second.get_by_label("Päättymispäivä", exact=True).fill("31.12.2020")
    _save(page)
    expect(_problems(page)).to_contain_text("Raportointijakso")
    second.get_by_label("Aloituspäivä", exact=True).fill("1.7.2020")
    _tab(page, "Mittarit")
    page.get_by_role("button", name="Lisää mittari").click()
    page.get_by_label("Mittari", exact=True).fill("Osallistujia")
    _tab(page, "Toteumat")
    page.get_by_label("Arvo, jakso 1").fill("5")
    page.get_by_label("Huomautus, jakso 1").fill("Alkuvaihe")
    _tab(page, "Osallistujat")
    page.locator(".q-card").filter(has_text="Jakso 2").get_by_label("Nainen, 30–54 v.").fill("7")
    settle(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "participants.png"), full_page=True)
    _save(page)
    _saved(page)
    _tab(page, "Toteumat")
    settle(page)  # what faded in has its final colours (axe measures them)
    page.screenshot(path=str(SHOTS / "values.png"), full_page=True)
    assert_accessible(page)
    _tab(page, "Raportointijaksot")
    page.screenshot(path=str(SHOTS / "periods.png"), full_page=True)
    stored = _project(app_server, own_project)
    periods = stored["periods"]
    assert isinstance(periods, list)
    assert [(p["number"], p["start_date"], p["end_date"]) for p in periods] == [
        (1, "2020-01-01", "2020-06-30"),
        (2, "2020-07-01", "2020-12-31"),
    ]
    assert periods[0]["done"] == "Kartoitus"
    indicators = stored["indicators"]
    assert isinstance(indicators, list)
    assert [(v["period"], v["value"], v["basis"]) for v in indicators[0]["values"]] == [
        (1, "5", "collected")
    ]
    assert stored["participant_stats"] == [
        {
            "period": 2,
            "gender": "nainen",
            "age_class": "30-54",
            "labour_status": None,
            "education": None,
            "count": 7,
        }
    ]
