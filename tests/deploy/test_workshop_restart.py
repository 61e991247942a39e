"""A server restart in the middle of a workshop: `evaus serve` on a data directory of this test's
own, three browser contexts (two at the demo draft's matrix, one typing in the wizard).

A cell saved before the restart is kept; the text typed into the wizard while the server is
down is kept by the browser and saved when the server is back; the open pages reconnect by
themselves (NiceGUI loads a page again whose server no longer knows it), show the participants
again and get the live updates again.

Waits are for conditions, with long timeouts: the test machine may be busy."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from evaus.services import assessments as svc
from evaus.services.access import local_admin
from evaus.services.startup import open_registry
from project_db.engine import sqlite_url
from tests.e2e.conftest import Server, _free_port, _prepare, _stop, serve, signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

WAIT = 60_000  # ms: a restart takes a while on a busy machine
DRAFT = "asumispalvelujen palveluverkon"
CELL = "#cell-wellbeing_health-asumis-0"  # empty in the demo draft
LOST = "Yhteys palvelimeen katkesi. Yhdistetään uudelleen…"
TYPED = "Kirjoitettu palvelimen ollessa alhaalla"


@pytest.fixture
def restartable(tmp_path: Path) -> Iterator[tuple[Server, list[subprocess.Popen[bytes]]]]:
    server = _prepare(tmp_path)
    port = _free_port()
    server.url = f"http://127.0.0.1:{port}"
    processes = [serve(tmp_path, port, seconds=90)]
    yield server, processes
    for process in processes:
        if process.poll() is None:
            _stop(process)


def _draft_id(server: Server) -> int:
    database = open_registry(url=sqlite_url(server.data_dir))
    try:
        with database.session("test") as session:
            found = svc.list_assessments(session, actor=local_admin("test"))
            return next(a.id for a in found if DRAFT in a.title)
    finally:
        database.engine.dispose()


def _organisation(server: Server, assessment_id: int) -> str:
    database = open_registry(url=sqlite_url(server.data_dir))
    try:
        with database.session("test") as session:
            view = svc.get_assessment(session, assessment_id, actor=local_admin("test"))
            return view.doc.organisation
    finally:
        database.engine.dispose()


def _save_cell(page: Page, direction: str) -> None:
    page.locator(CELL).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("radio", name=direction, exact=True).click()
    dialog.get_by_role("button", name="Tallenna").click()
    expect(dialog).to_be_hidden()


def _reloaded(page: Page) -> None:
    page.wait_for_function("window.workshopMark === undefined", timeout=WAIT)


def test_a_restart_loses_no_saved_edit_and_the_views_reconnect(
    restartable: tuple[Server, list[subprocess.Popen[bytes]]], browser: Browser
) -> None:
    server, processes = restartable
    draft = _draft_id(server)
    with signed_in(browser, server, "admin", "maija", "admin", timeout=WAIT) as pages:
        editor, watcher, typist = pages
        for page in (editor, watcher):
            page.goto(f"{server.url}/assessments/{draft}/matrix")
            expect(page.locator(CELL)).to_contain_text("Täyttämättä")
        typist.goto(f"{server.url}/assessments/{draft}?step=0")
        expect(typist.get_by_label("Organisaatio")).to_be_visible()
        here = watcher.get_by_role("list", name="Paikalla nyt")
        expect(here).to_contain_text("Admin")
        # A cell saved before the restart reaches the other matrix live.
        _save_cell(editor, "++ Selvästi myönteinen")
        expect(watcher.locator(CELL)).to_contain_text("Selvästi myönteinen")
        for page in (editor, watcher, typist):
            page.evaluate("window.workshopMark = 'ennen'")
        # The server stops: every page says so; the typist goes on typing.
        _stop(processes[0])
        for page in (editor, watcher, typist):
            expect(page.locator("#evaus-connection")).to_have_text(LOST)
        typist.get_by_label("Organisaatio").fill(TYPED)
        # The server is back on the same port: the pages load again by themselves.
        processes.append(serve(server.data_dir, int(server.url.rsplit(":", 1)[1]), seconds=90))
        for page in (editor, watcher, typist):
            _reloaded(page)
        for page in (editor, watcher):
            expect(page.locator(CELL)).to_contain_text("Selvästi myönteinen")
        # The text typed while the server was down is saved, and the browser forgets it.
        expect(typist.get_by_label("Organisaatio")).to_have_value(TYPED)
        typist.wait_for_function(
            "Object.keys(localStorage).filter(k => k.startsWith('evaus-draft:')).length === 0",
            timeout=WAIT,
        )
        assert _organisation(server, draft) == TYPED
        # Presence and live updates work again.
        expect(watcher.get_by_role("list", name="Paikalla nyt")).to_contain_text("Admin")
        watcher.evaluate("window.workshopMark = 'jälkeen'")
        _save_cell(editor, "−− Selvästi kielteinen")
        expect(watcher.locator(CELL)).to_contain_text("Selvästi kielteinen")
        assert watcher.evaluate("window.workshopMark") == "jälkeen"
