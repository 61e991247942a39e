"""The administration pages: users, API tokens, code lists, organisations, import and export.

The server is shared with the other browser tests: these tests create their own users, codes and
project, and put back the one status label they rename.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.conftest import seed_bytes
from tests.e2e.conftest import Server, assert_accessible, choose, delete_project, login

pytestmark = pytest.mark.e2e

ADMIN_PATHS = [
    "/admin",
    "/admin/users",
    "/admin/tokens",
    "/admin/codes",
    "/admin/organisations",
    "/admin/import",
    "/admin/export",
]
NO_ACCESS = "Sinulla ei ole oikeutta nähdä tätä sivua."
SHOTS = os.environ.get("EVAUS_ADMIN_SHOTS")  # a directory: save screenshots there


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _sign_in(page: Page, server: Server, username: str, password: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(password)
    page.get_by_role("button", name="Kirjaudu sisään").click()


def _choose(page: Page, label: str, option: str, scope: Locator | None = None) -> None:
    choose(page, (scope or page).get_by_label(label, exact=True), option)


def _row(page: Page, text: str) -> Locator:
    return page.get_by_role("row").filter(has_text=text)


@pytest.mark.parametrize("username", ["maija", "ville"])
def test_managers_and_viewers_get_no_access(app_server: Server, page: Page, username: str) -> None:
    login(page, app_server, username)
    expect(page.get_by_role("link", name="Hallinta")).to_have_count(0)
    for path in ADMIN_PATHS:
        page.goto(f"{app_server.url}{path}")
        expect(page.get_by_text(NO_ACCESS)).to_be_visible()
        expect(page.get_by_role("button", name="Luo käyttäjä")).to_have_count(0)
    assert_accessible(page)


def test_every_admin_page_is_accessible(app_server: Server, page: Page) -> None:
    login(page, app_server, "admin", "/admin")
    headings = {
        "/admin": "Hallinta",
        "/admin/users": "Käyttäjät",
        "/admin/tokens": "API-avaimet",
        "/admin/codes": "Koodistot",
        "/admin/organisations": "Organisaatiot",
        "/admin/import": "Tuonti",
        "/admin/export": "Vienti",
    }
    for path, title in headings.items():
        page.goto(f"{app_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        assert_accessible(page)
        _shot(page, path.strip("/").replace("/", "-"))


def test_admin_creates_and_deactivates_a_user(
    app_server: Server, page: Page, browser: Browser
) -> None:
    login(page, app_server, "admin", "/admin/users")
    page.get_by_label("Käyttäjätunnus").fill("testi-tiina")
    page.get_by_label("Nimi", exact=True).fill("Tiina Testaaja")
    page.get_by_label("Sähköposti").fill("tiina@example.org")
    _choose(page, "Rooli", "Hankepäällikkö")
    page.get_by_label("Salasana", exact=True).fill("lyhyt")
    page.get_by_label("Salasana uudelleen").fill("lyhyt")
    page.get_by_role("button", name="Luo käyttäjä").click()
    expect(page.get_by_role("alert").filter(has_text="vähintään 10 merkkiä")).to_be_visible()
    expect(_row(page, "testi-tiina")).to_have_count(0)

    page.get_by_label("Salasana", exact=True).fill("tiina-salasana-1")
    page.get_by_label("Salasana uudelleen").fill("tiina-salasana-1")
    page.get_by_role("button", name="Luo käyttäjä").click()
    row = _row(page, "testi-tiina")
    expect(row).to_contain_text("Tiina Testaaja")
    expect(row).to_contain_text("Hankepäällikkö")
    expect(row).to_contain_text("Kyllä")
    _shot(page, "users-created")

    # A duplicate user name is refused with the name.
    page.get_by_label("Käyttäjätunnus").fill("testi-tiina")
    page.get_by_label("Salasana", exact=True).fill("tiina-salasana-1")
    page.get_by_label("Salasana uudelleen").fill("tiina-salasana-1")
    page.get_by_role("button", name="Luo käyttäjä").click()
    expect(page.get_by_role("alert").filter(has_text="on jo käytössä")).to_be_visible()

    # The new user can sign in (a second browser with its own cookies).
    other = browser.new_context()
    other_page = other.new_page()
    _sign_in(other_page, app_server, "testi-tiina", "tiina-salasana-1")
    expect(other_page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()
    expect(other_page.get_by_role("link", name="Hallinta")).to_have_count(0)

    row.get_by_role("button", name="Poista käytöstä").click()
    # The row offers to take the code into use again (its "Käytössä" cell says "Ei" too, but
    # so does its "Oletuksena julkinen" cell, before and after).
    expect(row.get_by_role("button", name="Ota käyttöön")).to_be_visible()
    expect(row.get_by_role("button", name="Ota käyttöön")).to_be_visible()

    # Deactivated: the open session ends and a new sign-in fails.
    other_page.goto(f"{app_server.url}/projects")
    expect(other_page).to_have_url(re.compile(r"/login"))
    _sign_in(other_page, app_server, "testi-tiina", "tiina-salasana-1")
    expect(other_page.get_by_role("alert")).to_have_text("Väärä käyttäjätunnus tai salasana.")
    other.close()

    # The administrator cannot remove their own administrator rights.
    _row(page, "admin").filter(has_text="Pääkäyttäjä").first.get_by_role(
        "button", name="Muokkaa"
    ).click()
    dialog = page.get_by_role("dialog")
    _choose(page, "Rooli", "Lukija", dialog)
    dialog.get_by_role("button", name="Tallenna").click()
    expect(dialog.get_by_role("alert")).to_contain_text(
        "omia pääkäyttäjän oikeuksia ei voi poistaa"
    )
    dialog.get_by_role("button", name="Peruuta").click()
    page.reload()
    expect(_row(page, "Admin").first).to_contain_text("Pääkäyttäjä")


def test_token_created_in_the_ui_works_until_revoked(app_server: Server, page: Page) -> None:
    login(page, app_server, "admin", "/admin/tokens")
    _choose(page, "Käyttäjä", "ville (Ville)")
    page.get_by_label("Avaimen nimi").fill("testi-raportointi")
    page.get_by_role("button", name="Luo avain").click()
    expect(page.get_by_text("Kopioi avain nyt: sitä ei näytetä uudelleen.")).to_be_visible()
    expect(page.get_by_role("button", name="Kopioi")).to_be_visible()
    token = page.get_by_label("Uusi API-avain").input_value()
    assert token.startswith("evaus_")
    _shot(page, "tokens-created")

    headers = {"Authorization": f"Bearer {token}"}
    response = httpx.get(f"{app_server.url}/api/projects", headers=headers, timeout=20)
    assert response.status_code == 200
    assert response.json()["total"] >= 4

    page.reload()  # the token is never shown again
    expect(page.get_by_label("Uusi API-avain")).to_have_count(0)
    row = _row(page, "testi-raportointi")
    expect(row).to_contain_text("ville")
    expect(row).to_contain_text("Voimassa")
    expect(row).to_contain_text("klo")  # last used, Finnish date and time
    row.get_by_role("button", name="Mitätöi").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Mitätöi").click()
    expect(row).to_contain_text("Mitätöity")
    response = httpx.get(f"{app_server.url}/api/projects", headers=headers, timeout=20)
    assert response.status_code == 401


def test_code_lists_add_a_portfolio_and_rename_a_status(app_server: Server, page: Page) -> None:
    login(page, app_server, "admin", "/admin/codes")
    _choose(page, "Koodisto", "Salkut")
    page.get_by_label("Koodi", exact=True).fill("Testisalkku 2026")
    page.get_by_label("Nimi suomeksi").fill("Testisalkku 2026")
    page.get_by_label("Nimi ruotsiksi").fill("Testportfölj 2026")
    page.get_by_role("button", name="Lisää koodi").click()
    row = _row(page, "Testisalkku 2026")
    expect(row).to_contain_text("Testportfölj 2026")
    row.get_by_role("button", name="Ylös").click()
    expect(page.get_by_role("row").nth(1)).to_contain_text("Testisalkku 2026")
    row.get_by_role("button", name="Poista käytöstä").click()
    # The row offers to take the code into use again (its "Käytössä" cell says "Ei" too, but
    # so does its "Oletuksena julkinen" cell, before and after).
    expect(row.get_by_role("button", name="Ota käyttöön")).to_be_visible()
    row.get_by_role("button", name="Poista: Testisalkku 2026").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Poista").click()
    expect(row).to_have_count(0)

    # A code in use cannot be deleted.
    _choose(page, "Koodisto", "Hankkeiden tilat")
    running = _row(page, "kaynnissa")
    running.get_by_role("button", name="Poista: kaynnissa").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Poista").click()
    expect(page.get_by_text(re.compile("Koodia kaynnissa on käytetty"))).to_be_visible()

    ended = _row(page, "paattynyt")
    try:
        ended.get_by_role("button", name="Muokkaa").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Nimi suomeksi").fill("Päättynyt (testi)")
        dialog.get_by_label("Nimi ruotsiksi").fill("Avslutad (test)")
        dialog.get_by_role("button", name="Tallenna").click()
        expect(ended).to_contain_text("Päättynyt (testi)")
        expect(ended).to_contain_text("Avslutad (test)")
        _shot(page, "codes-renamed")
        page.goto(f"{app_server.url}/projects")
        if page.get_by_text("SoKu").count():  # the project list shows status labels
            expect(page.get_by_text("Päättynyt (testi)").first).to_be_visible()
    finally:
        page.goto(f"{app_server.url}/admin/codes?list=status")
        ended.get_by_role("button", name="Muokkaa").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Nimi suomeksi").fill("Päättynyt")
        dialog.get_by_label("Nimi ruotsiksi").fill("Avslutad")
        dialog.get_by_role("button", name="Tallenna").click()
        expect(ended).to_contain_text("Päättynyt")
        expect(ended).not_to_contain_text("testi")


def _card() -> bytes:
    text = seed_bytes("004_esr_soku.txt").decode("utf-8")
    text = text.replace(
        "Etelä-Pirkanmaan sosiaalisen kuntoutuksen hanke – SoKu",
        "Testilän osallisuushanke – TOSA",
        1,
    )
    text = text.replace("S20397", "S29998")
    text = text.replace("| Pirkanmaa\n", "| Pirkanmaa | Lisätieto testikortista\n", 1)
    return text.encode("utf-8")


def _total(server: Server, q: str = "") -> int:
    response = server.api("admin").get("/api/projects", params={"q": q})
    assert response.status_code == 200
    total: int = response.json()["total"]
    return total


def test_import_previews_then_imports_a_card(app_server: Server, page: Page) -> None:
    before = _total(app_server)
    login(page, app_server, "admin", "/admin/import")
    upload = page.locator("input[type=file]")

    upload.set_input_files(
        files=[{"name": "rikki.txt", "mimeType": "text/plain", "buffer": bytes(range(256)) * 8}]
    )
    alert = page.get_by_role("alert").filter(has_text="Tiedostoa ei voitu tuoda")
    expect(alert).to_contain_text("Mitään ei tallennettu.")
    expect(page.get_by_role("button", name="Vahvista tuonti")).to_have_count(0)
    assert _total(app_server) == before

    upload.set_input_files(
        files=[{"name": "tosa.txt", "mimeType": "text/plain", "buffer": _card()}]
    )
    expect(page.get_by_role("heading", name="Tuonnin esikatselu")).to_be_visible()
    expect(page.get_by_text("Tunnistettu muoto: ")).to_contain_text("ESR")
    row = _row(page, "Testilän osallisuushanke – TOSA")
    expect(row).to_contain_text("Luodaan")
    expect(row).to_contain_text("Lisätieto testikortista")
    expect(page.get_by_role("alert").filter(has_text="Tiedostoa ei voitu")).to_have_count(0)
    _shot(page, "import-preview")
    assert_accessible(page)
    assert _total(app_server, "Testilän") == 0  # the dry run wrote nothing

    page.get_by_role("button", name="Vahvista tuonti").click()
    expect(page.get_by_role("heading", name="Tuonti valmis")).to_be_visible()
    expect(_row(page, "Testilän osallisuushanke – TOSA")).to_contain_text("Luotu")
    expect(page.get_by_role("link", name="Testilän osallisuushanke – TOSA")).to_be_visible()
    _shot(page, "import-done")
    items = app_server.api("admin").get("/api/projects", params={"q": "Testilän"}).json()["items"]
    assert [item["name"] for item in items] == ["Testilän osallisuushanke – TOSA"]
    doc = app_server.api("admin").get(f"/api/projects/{items[0]['id']}").json()
    assert doc["eura_code"] == "S29998"
    assert _total(app_server) == before + 1
    delete_project(app_server, items[0]["id"])


def test_export_json_downloads_the_registry(app_server: Server, page: Page) -> None:
    login(page, app_server, "admin", "/admin/export")
    with page.expect_download() as info:
        page.get_by_role("button", name="Lataa JSON").click()
    download = info.value
    assert re.fullmatch(r"evaus-rekisteri-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert any(p.get("eura_code") == "S20397" for p in data["projects"])
    with page.expect_download() as info:
        page.get_by_role("button", name="Lataa Excel (XLSX)").click()
    assert info.value.suggested_filename.endswith(".xlsx")


def test_organisation_ytunnus_is_checked(app_server: Server, page: Page) -> None:
    login(page, app_server, "admin", "/admin/organisations")
    page.get_by_label("Hae nimellä tai Y-tunnuksella").fill("Valkeakosken")
    # Only the header row and the matching rows are left.
    expect(page.get_by_role("row").filter(has_not_text="Valkeakosken")).to_have_count(1)
    row = _row(page, "Valkeakosken kaupunki").first
    row.get_by_role("button", name="Muokkaa").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Y-tunnus").fill("1234567-2")
    dialog.get_by_role("button", name="Tallenna").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "Y-tunnus: ei ole kelvollinen (muoto 1234567-8 ja oikea tarkistusnumero)"
    )
    _shot(page, "organisation-error")
    dialog.get_by_role("button", name="Peruuta").click()
    expect(row).not_to_contain_text("1234567-2")
