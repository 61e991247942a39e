"""Live editing in real browsers on the shared server, three people each in a browser context
of their own: Maija and the administrator edit an assessment of their own, Ville reads it.

In the matrix each sees the others in the presence bar, a cell opened by one shows who edits it
in the others' matrices, Maija takes it over (the administrator is told), and her save appears
in the others' matrices without a reload. In the wizard Maija's typing is never overwritten by
the administrator's save of the same field: their value is offered beside it.

Waits are for conditions, with long timeouts: the test machine may be busy."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from evaus.services import assessments as svc
from evaus.services.access import Actor
from evaus.services.startup import open_registry
from project_db.engine import sqlite_url
from project_db.models import User

from .conftest import Server, delete_assessment, signed_in

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
    # The administrator's draft can still be saved: the version check refuses it.
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
