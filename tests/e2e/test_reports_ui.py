"""The report pages: a project's "Raportit", the batch ZIP and the template upload.

The server is shared with the other browser tests: these tests only add archived reports
(and a refused template upload changes nothing).
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page, expect

from evaus.reports.pdf import soffice_path
from evaus.reports.templating import shipped_template
from tests.e2e.conftest import Server, assert_accessible, login
from tests.unit.test_reports_templates import edit_docx

pytestmark = pytest.mark.e2e

NO_ACCESS = "Sinulla ei ole oikeutta nähdä tätä sivua."
SHOTS = os.environ.get("EVAUS_REPORT_SHOTS")  # a directory: save screenshots there


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def _download(page: Page, button: str, row_text: str | None = None) -> tuple[str, bytes]:
    scope = page.get_by_role("row").filter(has_text=row_text) if row_text else page
    with page.expect_download() as info:
        scope.get_by_role("button", name=button).first.click()
    download = info.value
    path = download.path()
    return download.suggested_filename, Path(path).read_bytes()


def _text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [c.text for row in table.rows for c in row.cells]
    return "\n".join(parts)


def test_viewer_makes_downloads_and_redownloads_the_project_card(
    app_server: Server, page: Page
) -> None:
    soku = app_server.project_ids["SoKu"]
    login(page, app_server, "ville", f"/projects/{soku}")
    page.get_by_role("link", name="Raportit").click()
    expect(page.get_by_role("heading", name="Raportit", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Puuttuvat tiedot")).to_be_visible()

    _choose(page, "Raportti", "ESR-seurantaraportti")
    expect(
        page.get_by_text("Hankkeelle ei ole kirjattu raportointijaksoja", exact=False)
    ).to_be_visible()
    expect(page.get_by_text("Kuvaus puuttuu: Kestävä kehitys")).to_be_visible()
    _shot(page, "reports-missing")
    assert_accessible(page)

    _choose(page, "Raportti", "Hankekortti")
    page.get_by_role("button", name="Luo raportti").click()
    expect(page.get_by_text("Raportti luotiin ja arkistoitiin.")).to_be_visible()
    name, first = _download(page, "Lataa DOCX")
    assert name.startswith("SoKu-hankekortti-") and name.endswith(".docx")
    assert "S20397" in _text(first)
    if soffice_path() or os.environ.get("CI"):  # CI installs LibreOffice
        pdf_name, pdf = _download(page, "Lataa PDF")
        assert pdf_name == name.removesuffix(".docx") + ".pdf" and pdf.startswith(b"%PDF")

    row = page.get_by_role("row").filter(has_text="Hankekortti").filter(has_text="ville")
    expect(row.first).to_be_visible()
    again_name, again = _download(page, "Lataa", "Hankekortti")
    assert again == first  # byte for byte from the archive
    assert again_name == name
    _shot(page, "reports-archive")
    assert_accessible(page)


def test_admin_batch_of_project_cards(app_server: Server, page: Page) -> None:
    login(page, app_server, "admin", "/admin")
    page.get_by_role("link", name="Raportit monesta hankkeesta").click()
    expect(page.get_by_role("heading", name="Raportit monesta hankkeesta")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Luo raportit").click()
    expect(page.get_by_text("Valmis:")).to_be_visible(timeout=120_000)
    expect(page.get_by_role("progressbar")).to_be_visible()
    _shot(page, "reports-batch")
    name, content = _download(page, "Lataa ZIP-tiedosto")
    assert name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        documents = [n for n in archive.namelist() if n.endswith(".docx")]
        assert len(documents) >= 4
        assert any("S20397" in _text(archive.read(n)) for n in documents)
    assert_accessible(page)


def test_admin_upload_with_a_typo_is_refused(app_server: Server, page: Page) -> None:
    login(page, app_server, "admin", "/admin/templates")
    expect(page.get_by_role("heading", name="Raporttipohjat", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Hankekortti – suomi")).to_be_visible()
    card = page.get_by_role("table", name="Hankekortti – suomi")
    expect(card.get_by_role("row").filter(has_text="card_fi.docx").first).to_contain_text(
        "Käytössä"
    )
    assert_accessible(page)
    typo = edit_docx(shipped_template("card", "fi"), "project.name }}", "project.nmae }}")
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "kortti.docx",
                "mimeType": "application/octet-stream",
                "buffer": typo,
            }
        ]
    )
    alert = page.get_by_role("alert").filter(has_text="Pohjaa ei hyväksytty")
    expect(alert).to_be_visible()
    expect(page.get_by_text("tuntematon muuttuja project.nmae").first).to_be_visible()
    _shot(page, "reports-templates")
    assert_accessible(page)


@pytest.mark.parametrize("username", ["maija", "ville"])
def test_managers_and_viewers_cannot_use_the_admin_report_pages(
    app_server: Server, page: Page, username: str
) -> None:
    login(page, app_server, username)
    for path in ("/admin/reports/batch", "/admin/templates"):
        page.goto(f"{app_server.url}{path}")
        expect(page.get_by_text(NO_ACCESS)).to_be_visible()
        expect(page.get_by_role("button", name="Luo raportit")).to_have_count(0)
        assert_accessible(page)
