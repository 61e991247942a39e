"""The indicator catalogue in a real browser, checked with axe-core: the page with its list, an
import's preview and the edit dialog; and a card import's preview with its catalogue
suggestions (radio buttons in a named group). What the test adds is removed afterwards: the
other browser tests of the session share the server. The sample file in tests/data is written by
hand in the shape of THL Sotkanet's indicator metadata, not data from Sotkanet."""

from __future__ import annotations

from playwright.sync_api import FilePayload, Page, expect

from evaus.services import indicator_catalogue as ic
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
CARD = (DATA_DIR / "cards" / "eura_typos_contact_lines.txt").read_bytes()


def _upload(page: Page, name: str, data: bytes) -> None:
    file: FilePayload = {"name": name, "mimeType": "application/octet-stream", "buffer": data}
    page.locator("input[type=file]").set_input_files(files=[file])


def test_the_catalogue_page_and_its_import_are_accessible(app_server: Server, page: Page) -> None:
    login(page, app_server, "admin", "/admin/indicators")
    try:
        expect(page.get_by_role("heading", name="Mittaristo", exact=True)).to_be_visible()
        assert_accessible(page)
        _upload(page, "sotkanet.json", SAMPLE_JSON)
        expect(page.get_by_role("heading", name="Tuonnin esikatselu")).to_be_visible()
        expect(page.get_by_text("Luodaan 6, päivitetään 0, ennallaan 0.")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Vahvista tuonti").click()
        expect(page.get_by_role("heading", name="Tuonti valmis")).to_be_visible()
        expect(page.get_by_text("6/6 mittaria")).to_be_visible()
        page.get_by_role("button", name="Muokkaa: Asunnottomat yksinäiset").click()
        dialog = page.get_by_role("dialog", name="Muokkaa mittaria Asunnottomat yksinäiset")
        expect(dialog).to_be_visible()
        assert_accessible(page)
        dialog.get_by_label("Yksikkö").fill("henkilöä")
        dialog.get_by_role("button", name="Tallenna").click()
        expect(page.get_by_role("cell", name="henkilöä", exact=True)).to_be_visible()
    finally:
        empty_indicator_catalogue(app_server)


def test_a_card_import_offers_catalogue_suggestions(app_server: Server, page: Page) -> None:
    database = open_registry(url=sqlite_url(app_server.data_dir))
    with database.session("e2e-setup") as session:
        ic.create_entry(
            session,
            {"key": "oma:tyokyky", "name_fi": "Vähintään 80 asukasta saa työkyvyn arvion"},
            actor=ADMIN,
        )
    database.engine.dispose()
    login(page, app_server, "admin", "/admin/import")
    project_id = None
    try:
        _upload(page, "tyky.txt", CARD)
        expect(page.get_by_role("heading", name="Ehdotukset mittaristosta")).to_be_visible()
        group = page.get_by_role("group", name="Vähintään 80 asukasta saa työkyvyn arvion")
        expect(group.get_by_role("radio", name="Älä linkitä")).to_be_checked()
        assert_accessible(page)
        group.get_by_role("radio", name="Vähintään 80 asukasta saa työkyvyn arvion – sama").click()
        page.get_by_role("button", name="Vahvista tuonti").click()
        expect(page.get_by_text("1 mittaria linkitettiin mittaristoon.")).to_be_visible()
        link = page.get_by_role("link", name="Työkykyä kylille – TYKY")
        project_id = int((link.get_attribute("href") or "").rsplit("/", 1)[-1])
    finally:
        if project_id is not None:
            delete_project(app_server, project_id)
        empty_indicator_catalogue(app_server)
