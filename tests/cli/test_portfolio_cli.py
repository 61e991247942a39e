"""`evaus report portfolio`: the portfolio report of a selection as DOCX and XLSX (the format
from the file's suffix), and one line naming the field for a wrong value; a project's report
still needs its kind."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from tests.cli.test_cli import evaus
from tests.reports_support import docx_text

PORTFOLIO = "Hyvinvointisalkku 2014-2020"


def test_the_portfolio_report_as_docx_and_xlsx(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert evaus(data, "demo").returncode == 0
    docx = tmp_path / "salkku.docx"
    result = evaus(
        data,
        "report",
        "portfolio",
        "--portfolio",
        PORTFOLIO,
        "--from",
        "2020-01-01",
        "--to",
        "31.12.2020",
        "-o",
        str(docx),
    )
    assert result.returncode == 0, result.stderr
    text = docx_text(docx.read_bytes())
    assert "Salkkuraportti" in text and "Ajanjakso: 1.1.2020–31.12.2020" in text
    assert "Asunnottomien sosiaali- ja terveyspalveluiden" in text  # the Oulu demo project
    assert Document(io.BytesIO(docx.read_bytes())).core_properties.language == "fi-FI"

    # The format follows the file's suffix; the region by its name.
    xlsx = tmp_path / "luvut.xlsx"
    result = evaus(data, "report", "portfolio", "--region", "Pohjois-Pohjanmaa", "-o", str(xlsx))
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert workbook.sheetnames[0] == "Valinta"
    assert workbook["Valinta"]["B2"].value == "Pohjois-Pohjanmaa"


def test_a_wrong_value_is_one_line_naming_the_field(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = evaus(
        data,
        "report",
        "portfolio",
        "--portfolio",
        "Ei tällaista",
        "--from",
        "2027-01-01",
        "--to",
        "2026-12-31",
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Virhe: Salkku: ”Ei tällaista” ei ole luettelossa; valitse jokin luettelon arvoista. "
        "Ajanjakson loppu: ajanjakso päättyy (31.12.2026) ennen kuin se alkaa (1.1.2027)."
    )
    result = evaus(data, "report", "SoKu", "-o", str(tmp_path / "x.docx"))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Virhe: Anna raportin laji: --kind (tai evaus report portfolio …)."
    )
