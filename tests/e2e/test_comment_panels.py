"""An impact cell's own comments in a real browser: the cell's comment button (reached with Tab
from the cell, named "Kommentit (0)") opens the thread in a dialog named by its heading, the
focus goes into the dialog, axe-core finds nothing serious with the dialog open — empty, with a
comment, and with the author's edit dialog over it — and the count on the cell follows."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from evaus.db import open_database
from evaus.services import assessments
from evaus.services.access import local_admin
from project_db.engine import sqlite_url

from .conftest import Server, login, settle
from .test_accessibility_dialogs import focus_back_on, scan_dialog

CELL = "Yhdenvertaisuus ja tasa-arvo – Nykytila jatkuu"
FOCUS_IN_DIALOG = "() => document.activeElement?.closest('[role=\"dialog\"]') != null"


@pytest.fixture
def assessment(app_server: Server) -> Iterator[int]:
    """An assessment of its own with two relevant impact areas (a matrix of 2 × 1 cells)."""
    admin = local_admin("e2e-setup")
    database = open_database(url=sqlite_url(app_server.data_dir))
    try:
        with database.session("e2e-setup") as session:
            fields = {
                "title": f"Kommenttisolut {uuid.uuid4().hex[:6]}",
                "decision": "Perustetaanko uusi palvelumalli?",
            }
            made = assessments.create_assessment(session, fields, actor=admin)
            version = made.version
            for area in ("equality", "access"):
                version = assessments.set_area_relevance(
                    session,
                    made.id,
                    area,
                    relevant=True,
                    reason="Koskee kaikkia",
                    expected_version=version,
                    actor=admin,
                )
    finally:
        database.engine.dispose()
    yield made.id


def test_an_impact_cell_thread_opens_in_an_accessible_dialog(
    page: Page, app_server: Server, assessment: int
) -> None:
    login(page, app_server, "admin", f"/assessments/{assessment}/matrix")
    page.goto(f"{app_server.url}/assessments/{assessment}/matrix")
    cell = page.locator('[data-cell="0,0"]')
    expect(cell).to_be_visible()
    # The cell's comment button comes right after the cell in the Tab order.
    cell.focus()
    page.keyboard.press("Tab")
    opener = page.locator('[id^="cell-comments-equality-"]')
    expect(opener).to_be_focused()
    expect(opener).to_have_accessible_name("Kommentit (0)")
    page.keyboard.press("Enter")

    dialog = page.get_by_role("dialog", name=f"Kommentit: {CELL}")
    expect(dialog).to_contain_text("Ei vielä kommentteja.")
    page.wait_for_function(FOCUS_IN_DIALOG)
    scan_dialog(page, dialog)

    dialog.get_by_label("Kommentti", exact=True).fill("Miten vaikutus kohdistuu eri ryhmiin?")
    dialog.get_by_role("button", name="Lisää kommentti").click()
    expect(dialog).to_contain_text("Miten vaikutus kohdistuu eri ryhmiin?")
    expect(dialog).to_contain_text(re.compile(r"Admin · \d{1,2}\.\d{1,2}\.20\d\d klo \d"))
    expect(opener).to_have_accessible_name("Kommentit (1)")
    expect(opener).to_have_text(re.compile("1"))
    settle(page)  # the notice "Kommentti lisättiin." has faded in
    scan_dialog(page, dialog)

    # The author's own comment: edited in a dialog of its own, which takes the focus.
    dialog.get_by_role("button", name=re.compile("^Muokkaa kommenttia: Miten")).click()
    editor = page.get_by_role("dialog", name="Muokkaa kommenttia")
    field = editor.get_by_label("Kommentti", exact=True)
    expect(field).to_be_focused()
    scan_dialog(page, editor)
    field.fill("Miten vaikutus kohdistuu naisiin ja miehiin?")
    editor.get_by_role("button", name="Tallenna").click()
    expect(editor).to_be_hidden()
    expect(dialog).to_contain_text("Miten vaikutus kohdistuu naisiin ja miehiin?")
    expect(dialog).to_contain_text(re.compile(r"muokattu \d{1,2}\.\d{1,2}\.20\d\d klo \d"))

    dialog.get_by_role("button", name="Sulje").click()
    expect(dialog).to_be_hidden()
    focus_back_on(page, opener)
    # The page's own panel lists the cell's thread under the cell's name.
    panel = page.get_by_role("region", name="Kommentit")
    expect(panel).to_contain_text(CELL)
    expect(panel).to_contain_text("Miten vaikutus kohdistuu naisiin ja miehiin?")
