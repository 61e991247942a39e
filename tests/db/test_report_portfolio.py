"""The portfolio report (``portfolio`` kind): the DOCX in Finnish and Swedish with the
selection, status, money, indicator and project tables in Finnish formats, document properties
and "1 (N)" page numbers in every page's header after LibreOffice's conversion, and the XLSX of
the same roll-up with text cells neutralised. The kind is never offered among one project's
reports."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from evaus.db import Database
from evaus.reports import kinds
from evaus.reports.pdf import convert_to_pdf
from evaus.reports.templating import check_template, shipped_template
from evaus.services import portfolio as service
from evaus.services import projects as ps
from project_db.rollups import Selection
from tests.db.test_rollups import ADMIN, YEAR_2026, _small_registry
from tests.reports_support import docx_text, money

TODAY = date(2026, 12, 10)
HOSTILE = '=HYPERLINK("http://example.com","Klikkaa")'


def _registry(database: Database) -> Selection:
    _small_registry(database)
    with database.session("tests") as session:
        ps.create_project(
            session,
            {
                "name": HOSTILE,
                "portfolio": "P1",
                "status": "haettu",
                "start_date": "1.6.2026",
                "end_date": "31.5.2027",
            },
            actor=ADMIN,
        )
    return Selection(portfolios=("P1",), **YEAR_2026)


def test_the_kind_is_registered_but_not_among_a_projects_reports() -> None:
    kind = kinds.get("portfolio")
    assert kind.name == "portfolio" and "portfolio" not in kinds.names()
    assert kind not in kinds.all_kinds()
    for lang in ("fi", "sv"):
        assert check_template(shipped_template("portfolio", lang), "portfolio", lang) == []


def test_the_docx_holds_the_roll_up_in_finnish_and_swedish(database: Database) -> None:
    selection = _registry(database)
    with database.session("tests") as session:
        fi = service.portfolio_report(session, selection, actor=ADMIN, lang="fi", today=TODAY)
        sv = service.portfolio_report(session, selection, actor=ADMIN, lang="sv", today=TODAY)
    assert fi.filename == "P1-salkkuraportti-2026-01-01-2026-12-31.docx"
    assert sv.filename == "P1-portfoljrapport-2026-01-01-2026-12-31.docx"
    text = docx_text(fi.content)
    assert "{{" not in text and "{%" not in text
    for expected in (
        "SALKKURAPORTTI",
        "Salkkuraportti",
        "Ajanjakso: 1.1.2026–31.12.2026",
        "Salkku: P1",
        "Laadittu 10.12.2026",
        "Käynnissä",
        "Päättynyt",
        "Haettu",
        "33,3\u00a0%",  # each of the three statuses
        money("170 000,00 €"),  # planned costs
        money("105 000,00 €"),  # used
        "61,8\u00a0%",  # used of planned
        money("40 000,00 €"),  # used in the period
        "Palkkakustannukset (ESR)",
        "Henkilöstökulut (STEA)",
        "Tulot (vähennetään)",
        money("165 000,00 €"),  # planned net
        "Tavoitetut asiakkaat (henkilöä)",
        "yhteensä 345\u00a0henkilöä",
        "mediaani 25\u00a0vrk (20–30)",
        "otos 1",
        "jäljessä 1",
        "ei arvioitavissa 1",
        "Kävijät",
        "Aalto",
        "Bertta",
        HOSTILE,
        "1.1.2025–31.12.2026",
    ):
        assert expected in text, expected
    svensk = docx_text(sv.content)
    for expected in ("PORTFÖLJRAPPORT", "Portföljrapport", "Avslutad", "Under perioden"):
        assert expected in svensk, expected
    assert "Salkkuraportti" not in svensk and "yhteensä" not in svensk
    properties = Document(io.BytesIO(fi.content)).core_properties
    assert (properties.title, properties.language) == ("Salkkuraportti – P1", "fi-FI")
    assert properties.subject == "Salkkuraportti 1.1.2026–31.12.2026"


@pytest.mark.slow
def test_libreoffice_opens_it_and_every_page_says_its_number(
    database: Database, soffice: str, pdfinfo: str
) -> None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    selection = _registry(database)
    with database.session("tests") as session:
        made = service.portfolio_report(session, selection, actor=ADMIN, lang="fi", today=TODAY)
    pdf = convert_to_pdf(made.content, "salkkuraportti")
    out = subprocess.run([pdftotext, "-", "-"], input=pdf, capture_output=True, check=True)
    pages = [p for p in out.stdout.decode("utf-8").split("\f") if p.strip()]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"{number} ({len(pages)})" in page, number
        assert "SALKKURAPORTTI" in page
    assert "Ei tietoa" not in pages[0]


def test_the_xlsx_has_the_same_figures_and_neutralised_text(database: Database) -> None:
    selection = _registry(database)
    with database.session("tests") as session:
        made = service.portfolio_report(
            session, selection, actor=ADMIN, lang="fi", report_format="xlsx", today=TODAY
        )
    assert made.filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(made.content))
    assert workbook.sheetnames == [
        "Valinta",
        "Käsittelyvaiheet",
        "Talous",
        "Osallistujat",
        "Mittarit",
        "Muut mittarit",
        "Hankkeet",
    ]
    money_rows = {row[0]: row for row in workbook["Talous"].iter_rows(values_only=True)}
    assert money_rows["Palkkakustannukset"][1:4] == ("ESR", 100000, 70000)
    assert money_rows["Kustannukset yhteensä"][2:4] == (170000, 105000)
    projects = [row[0] for row in workbook["Hankkeet"].iter_rows(min_row=2, values_only=True)]
    assert "'" + HOSTILE in projects and HOSTILE not in projects
    indicators = list(workbook["Mittarit"].iter_rows(values_only=True))
    header, clients = indicators[0], indicators[1]
    assert clients[:4] == ("Jonotusaika", "vrk", 2, 2)  # in the catalogue's order
    assert "Viimeisin toteuma: yhteensä" in header and "Lähtötaso: mediaani" in header
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_a_wrong_format_is_refused_in_the_users_language(database: Database) -> None:
    with database.session("tests") as session, pytest.raises(service.SelectionInvalid) as caught:
        service.portfolio_report(session, Selection(), actor=ADMIN, report_format="odt")
    assert caught.value.lines("fi") == ["Muoto: tuntematon muoto odt: valitse docx, pdf tai xlsx."]
