"""The indicator picker in a real browser, checked with axe-core: the project editor's
indicators tab, a search of the catalogue by Sotkanet's id, the step that offers the entry's
unit, and the saved link. What the test adds is removed afterwards: the other browser tests of
the session share the server. The sample file in tests/data is written by hand in the shape of
THL Sotkanet's indicator metadata, not data from Sotkanet."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from evaus.services import indicator_catalogue as ic
from evaus.services import projects as ps
from evaus.services.access import local_admin
from evaus.services.startup import open_registry
from project_db.engine import sqlite_url
from tests.conftest import DATA_DIR
from tests.e2e.conftest import (
    Server,
    assert_accessible,
    delete_project,
    empty_indicator_catalogue,
    login,
)

ADMIN = local_admin("e2e")
SAMPLE_JSON = (DATA_DIR / "sotkanet_indicators_sample.json").read_bytes()


def _setup(server: Server) -> int:
    database = open_registry(url=sqlite_url(server.data_dir))
    try:
        with database.session("e2e") as session:
            ic.import_catalogue(session, SAMPLE_JSON, filename="sotkanet.json", actor=ADMIN)
            return ps.create_project(
                session,
                {
                    "name": "Mittarinvalitsimen testihanke",
                    "indicators": [{"key": "ind-1", "name": "Työttömät", "unit": ""}],
                },
                actor=ADMIN,
            ).id
    finally:
        database.engine.dispose()


def _linked(server: Server, project_id: int) -> tuple[str | None, str]:
    database = open_registry(url=sqlite_url(server.data_dir))
    try:
        with database.session("e2e") as session:
            (indicator,) = ps.get_project_doc(session, project_id, actor=ADMIN).indicators
            return indicator.catalogue_key, indicator.unit or ""
    finally:
        database.engine.dispose()


def test_a_catalogue_entry_is_picked_for_an_indicator(app_server: Server, page: Page) -> None:
    project_id = _setup(app_server)
    try:
        login(page, app_server, "admin", f"/projects/{project_id}/edit")
        page.get_by_role("tab", name="Mittarit", exact=True).click()
        expect(page.get_by_text("ei mitään (vapaa mittari)")).to_be_visible()
        page.get_by_role("button", name="Linkitä mittaristoon").click()
        page.get_by_label("Hae mittaristosta").fill("90002")
        choose = page.get_by_role("button", name="Valitse Pitkäaikaistyöttömät, % työvoimasta")
        expect(choose).to_be_visible()
        assert_accessible(page)
        choose.click()
        copy = page.get_by_role("checkbox", name="Kopioi yksikkö mittaristosta: %")
        expect(copy).to_be_checked()
        assert_accessible(page)
        page.get_by_role("button", name="Linkitä mittari").click()
        expect(
            page.get_by_text("Pitkäaikaistyöttömät, % työvoimasta (%) · THL Sotkanet 90002")
        ).to_be_visible()
        page.get_by_role("button", name="Tallenna").last.click()
        expect(page.get_by_text("Tallennettu klo")).to_be_visible()
        assert _linked(app_server, project_id) == ("sotkanet:90002", "%")
    finally:
        delete_project(app_server, project_id)
        empty_indicator_catalogue(app_server)
