"""The import preview tells what a re-import keeps and, when asked, what it would remove."""

from __future__ import annotations

import re

from playwright.sync_api import FilePayload, Page, expect

from tests.conftest import DATA_DIR
from tests.e2e.conftest import Server, assert_accessible, delete_project, login

EURA_PAGE = (DATA_DIR / "eura_nupo.txt").read_bytes()
EURA_START = EURA_PAGE[: int(len(EURA_PAGE) * 0.3)]
NAME = "Nuorten polut työelämään – NUPO"


def _upload(page: Page, name: str, data: bytes) -> None:
    file: FilePayload = {"name": name, "mimeType": "text/plain", "buffer": data}
    page.locator("input[type=file]").set_input_files(files=[file])


def _stored(server: Server) -> dict[str, object]:
    api = server.api("admin")
    items = api.get("/api/projects", params={"q": "NUPO"}).json()["items"]
    assert len(items) == 1
    doc: dict[str, object] = api.get(f"/api/projects/{items[0]['id']}").json()
    return doc | {"id": items[0]["id"]}


def test_preview_lists_what_is_kept_and_what_would_be_removed(
    app_server: Server, page: Page
) -> None:
    login(page, app_server, "admin", "/admin/import")
    _upload(page, "nupo.txt", EURA_PAGE)
    page.get_by_role("button", name="Vahvista tuonti").click()
    expect(page.get_by_role("heading", name="Tuonti valmis")).to_be_visible()
    project_id = _stored(app_server)["id"]
    try:
        # The start of the same page: a merge keeps what it does not mention and says so.
        _upload(page, "nupo-alku.txt", EURA_START)
        expect(page.get_by_role("heading", name="Tuonnin esikatselu")).to_be_visible()
        kept = page.get_by_test_id("omissions")
        expect(kept).to_contain_text(f"Säilytetään hankkeessa {NAME} – tiedosto ei mainitse niitä")
        expect(kept.get_by_role("listitem")).to_contain_text(
            ["tiivistelmä", "verkkosivusto", "henkilö: Maija Mallikas"]
        )
        expect(page.get_by_text(re.compile("^Poistetaan hankkeesta"))).to_have_count(0)
        assert_accessible(page)

        # Choosing to remove: the preview now lists what would be removed; nothing is written.
        page.get_by_role("checkbox", name="Poista puuttuvat").click()
        removed = page.get_by_test_id("omissions")
        expect(removed).to_contain_text(f"Poistetaan hankkeesta {NAME}:")
        expect(removed.get_by_role("listitem")).to_contain_text(
            ["tiivistelmä", "verkkosivusto", "organisaatio: Kuopion kaupunki", "henkilö: Maija"]
        )
        stored = _stored(app_server)
        assert stored["summary"] and stored["website"] and stored["people"]

        page.get_by_role("button", name="Vahvista tuonti").click()
        expect(page.get_by_role("heading", name="Tuonti valmis")).to_be_visible()
        expect(page.get_by_test_id("omissions")).to_contain_text(f"Poistettiin hankkeesta {NAME}:")
        stored = _stored(app_server)
        assert (stored["summary"], stored["website"], stored["people"]) == ("", None, [])
    finally:
        delete_project(app_server, int(str(project_id)))


def test_a_wrong_file_type_is_not_called_too_large(app_server: Server, page: Page) -> None:
    login(page, app_server, "admin", "/admin/import")
    _upload(page, "hanke.pdf", b"%PDF-1.4 not a project card")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Tiedosto ei ole tuotavaa tyyppiä")
    expect(alert).not_to_contain_text("liian suuri")


def test_cancelling_the_preview_writes_nothing_and_raises_nothing(
    app_server: Server, page: Page
) -> None:
    log = app_server.data_dir / "server.log"
    log_start = log.stat().st_size
    login(page, app_server, "admin", "/admin/import")
    _upload(page, "nupo.txt", EURA_PAGE)
    expect(page.get_by_role("heading", name="Tuonnin esikatselu")).to_be_visible()
    page.get_by_role("button", name="Peruuta").click()
    expect(page.get_by_text("Tuonti peruttiin. Mitään ei tallennettu.")).to_be_visible()
    expect(page.get_by_role("heading", name="Tuonnin esikatselu")).to_have_count(0)
    api = app_server.api("admin")
    assert api.get("/api/projects", params={"q": "NUPO"}).json()["items"] == []
    with log.open("rb") as file:
        file.seek(log_start)
        assert b"Traceback" not in file.read()
