"""Live editing in real browsers on the shared server, three people each in a browser context
of their own: Maija and the administrator edit an assessment of their own, Ville reads it.

In the matrix each sees the others in the presence bar, a cell opened by one shows who edits it
in the others' matrices, Maija takes it over (the administrator is told), and her save appears
in the others' matrices without a reload. In the wizard Maija's typing is never overwritten by
the administrator's save of the same field: their value is offered beside it. A cell's text
typed while the connection was lost is offered again when the matrix is back.

Waits are for conditions, with long timeouts: the test machine may be busy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from evaus.services import assessments as svc
from evaus.services.access import Actor, local_admin
from evaus.services.startup import open_registry
from project_db.engine import sqlite_url
from project_db.models import User

from .conftest import Server, assert_accessible, delete_assessment, signed_in

WAIT = 30_000  # ms
TITLE = "Työpajan yhteismuokkaus"
AREA = "economy"
ECONOMY = "Talous (kunta / hyvinvointialue)"


@dataclass
class Live:
    assessment_id: int
    cell: str  # the id of the economy × "nykytila" cell
    maija: Page
    admin: Page
    ville: Page


@pytest.fixture
def live(browser: Browser, app_server: Server) -> Iterator[Live]:
    """An assessment made by Maija (so she and the administrator may edit it) with the economy
    area relevant, removed afterwards; three signed-in browser contexts."""
    database = open_registry(url=sqlite_url(app_server.data_dir))
    try:
        with database.session("e2e-setup") as session:
            maija = Actor.of(session.scalars(select(User).where(User.username == "maija")).one())
            view = svc.create_assessment(session, {"title": TITLE}, actor=maija)
            svc.edit(
                session,
                view.id,
                svc.SetAreaRelevance(AREA, True, "Kustannukset"),
                expected_version=view.version,
                actor=maija,
            )
            assessment_id, alternative = view.id, view.doc.alternatives[0].key
    finally:
        database.engine.dispose()
    try:
        with signed_in(browser, app_server, "maija", "admin", "ville", timeout=WAIT) as pages:
            yield Live(assessment_id, f"#cell-{AREA}-{alternative}", *pages)
    finally:
        delete_assessment(app_server, assessment_id)


def _here(page: Page) -> object:
    return page.get_by_role("list", name="Paikalla nyt")


def test_matrix_and_wizard_are_edited_together_live(live: Live, app_server: Server) -> None:
    matrix = f"{app_server.url}/assessments/{live.assessment_id}/matrix"
    everyone = (live.maija, live.admin, live.ville)
    for page in everyone:
        page.goto(matrix)
        expect(page.locator(live.cell)).to_be_visible()
    # Presence: each sees the two others at the matrix.
    place = "Vaihe 5: Vaikutusten arviointi"
    expect(_here(live.maija)).to_contain_text(f"Admin: {place}")  # type: ignore[arg-type]
    expect(_here(live.maija)).to_contain_text(f"Ville: {place}")  # type: ignore[arg-type]
    expect(_here(live.admin)).to_contain_text(f"Maija: {place}")  # type: ignore[arg-type]
    expect(_here(live.ville)).to_contain_text(f"Maija: {place}")  # type: ignore[arg-type]
    expect(_here(live.ville)).to_contain_text(f"Admin: {place}")  # type: ignore[arg-type]
    # Nothing reloads from here on: a mark on each window would be lost by a reload.
    for page in everyone:
        page.evaluate("window.workshopMark = 'sama sivu'")
    # The administrator opens the cell: the others see who edits it, and where they are.
    live.admin.locator(live.cell).click()
    admin_dialog = live.admin.get_by_role("dialog")
    expect(admin_dialog).to_be_visible()
    for page in (live.maija, live.ville):
        expect(page.locator(live.cell)).to_contain_text("Muokkaa: Admin")
        expect(_here(page)).to_contain_text(f"Admin: Matriisi: {ECONOMY}")  # type: ignore[arg-type]
    name = live.maija.locator(live.cell).get_attribute("aria-label") or ""
    assert "Muokkaa: Admin" in name
    # Maija opens it too and takes it over: the administrator is told, their text kept.
    admin_dialog.get_by_label("Perustelu").fill("Adminin luonnos")
    live.maija.locator(live.cell).click()
    dialog = live.maija.get_by_role("dialog")
    expect(dialog.get_by_text("Muokkaa: Admin")).to_be_visible()
    dialog.get_by_role("button", name="Ota muokattavaksi").click()
    expect(admin_dialog.get_by_text("Maija otti tämän solun muokattavakseen")).to_be_visible()
    expect(admin_dialog.get_by_label("Perustelu")).to_have_value("Adminin luonnos")
    expect(live.ville.locator(live.cell)).to_contain_text("Muokkaa: Maija")
    # Maija saves: the cell is redrawn in the others' matrices without a reload.
    dialog.get_by_role("radio", name="++ Selvästi myönteinen", exact=True).click()
    dialog.get_by_role("radio", name="Suuri", exact=True).click()
    dialog.get_by_label("Perustelu").fill("Maijan arvio")
    dialog.get_by_role("button", name="Tallenna").click()
    expect(dialog).to_be_hidden()
    for page in everyone:
        cell = page.locator(live.cell)
        expect(cell).to_contain_text("Selvästi myönteinen")
        expect(cell).not_to_contain_text("Muokkaa:")
        assert page.evaluate("window.workshopMark") == "sama sivu"
    # The administrator's open editor shows Maija's value with a choice (axe-checked).
    expect(admin_dialog.get_by_text("Maija tallensi tämän solun")).to_be_visible()
    expect(admin_dialog.get_by_role("button", name="Pidä omani")).to_be_visible()
    assert_accessible(live.admin)
    # Without a choice the administrator's draft can still be saved: the version check refuses
    # it.
    admin_dialog.get_by_role("button", name="Tallenna").click()
    conflict = live.admin.get_by_role("heading", name="Joku muu on muuttanut arviointia")
    expect(conflict).to_be_visible()

    # The wizard: Maija types in a field; the administrator saves the same field meanwhile.
    wizard = f"{app_server.url}/assessments/{live.assessment_id}?step=0"
    for page in (live.maija, live.admin):
        page.goto(wizard)
    mine = live.maija.get_by_label("Päätettävä asia")
    theirs = live.admin.get_by_label("Päätettävä asia")
    expect(_here(live.admin)).to_contain_text("Maija: Vaihe 0")  # type: ignore[arg-type]
    mine.click()
    mine.press_sequentially("Maijan teksti")
    expect(theirs).to_have_value("Maijan teksti")  # her save, live
    expect(live.admin.get_by_text("Muokkaa: Maija")).to_be_visible()  # her field lock
    theirs.fill("Adminin teksti")
    theirs.press("Tab")  # the administrator leaves the field
    notice = live.maija.get_by_text("Admin muutti tätä kenttää: Adminin teksti")
    expect(notice).to_be_visible()
    expect(mine).to_have_value("Maijan teksti")
    live.maija.get_by_role("button", name="Pidä omani").click()
    expect(notice).to_be_hidden()
    expect(theirs).to_have_value("Maijan teksti")
    conflict = live.maija.get_by_role("heading", name="Joku muu on muuttanut arviointia")
    expect(conflict).to_have_count(0)


KEPT = "Perustelu kirjoitettu yhteyden ollessa poikki"
LOST = "Yhteys palvelimeen katkesi. Yhdistetään uudelleen…"
OFFER = "Soluun kirjoittamaasi tekstiä ei ehditty tallentaa"


def _kept(page: Page) -> int:
    return int(
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('evaus-draft:')).length")
    )


def _type_while_lost(page: Page, cell: str, text: str) -> None:
    page.locator(cell).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    page.evaluate("window.socket.disconnect()")
    expect(page.locator("#evaus-connection")).to_have_text(LOST)
    dialog.get_by_label("Perustelu").fill(text)
    assert _kept(page) == 1


def _justification(server: Server, assessment_id: int, alternative: str) -> str | None:
    database = open_registry(url=sqlite_url(server.data_dir))
    try:
        with database.session("e2e") as session:
            doc = svc.get_assessment(session, assessment_id, actor=local_admin("e2e")).doc
            impact = doc.impact(AREA, alternative)
            return None if impact is None else impact.justification
    finally:
        database.engine.dispose()


def test_a_cell_text_typed_before_the_page_was_lost_is_offered_again(
    live: Live, app_server: Server
) -> None:
    """The cell editor's page is gone meanwhile (a long break, a restart): the matrix loaded
    again offers the text the browser kept; the wizard in between does not forget it."""
    page, matrix = live.maija, f"{app_server.url}/assessments/{live.assessment_id}/matrix"
    alternative = live.cell.removeprefix(f"#cell-{AREA}-")
    page.goto(matrix)
    _type_while_lost(page, live.cell, KEPT)
    page.goto(f"{app_server.url}/assessments/{live.assessment_id}?step=0")
    expect(page.get_by_label("Päätettävä asia")).to_be_visible()
    page.wait_for_timeout(1000)  # the wizard has read the kept texts (and left the cell's)
    assert _kept(page) == 1
    page.goto(matrix)
    offer = page.get_by_role("alert").filter(has_text=OFFER)
    expect(offer).to_contain_text(ECONOMY)
    assert_accessible(page)
    offer.get_by_role("button", name=re.compile("^Jatka muokkausta")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Perustelu")).to_have_value(KEPT)
    expect(offer).to_have_count(0)
    dialog.get_by_role("radio", name="++ Selvästi myönteinen", exact=True).click()
    dialog.get_by_role("button", name="Tallenna").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(live.cell)).to_contain_text("Selvästi myönteinen")
    page.wait_for_function(
        "Object.keys(localStorage).filter(k => k.startsWith('evaus-draft:')).length === 0"
    )
    assert _justification(app_server, live.assessment_id, alternative) == KEPT
    # Kept again and discarded: the stored text stays, the browser forgets the other one.
    _type_while_lost(page, live.cell, "Hylättävä luonnos")
    page.reload()
    offer = page.get_by_role("alert").filter(has_text=OFFER)
    offer.get_by_role("button", name=re.compile("^Hylkää teksti")).click()
    expect(offer).to_have_count(0)
    page.wait_for_function(
        "Object.keys(localStorage).filter(k => k.startsWith('evaus-draft:')).length === 0"
    )
    assert _justification(app_server, live.assessment_id, alternative) == KEPT
