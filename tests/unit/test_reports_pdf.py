"""Every report kind opens in LibreOffice (the real client) and converts to PDF.

Skipped locally when LibreOffice is missing; under CI (CI=true) a missing LibreOffice fails.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from evaus.reports.build import build_context
from evaus.reports.pdf import convert_to_pdf, soffice_path
from evaus.reports.render import render_docx
from evaus.reports.templating import shipped_languages, shipped_template
from tests.reports_support import KINDS, TODAY, hostile_doc, labels, rich_doc

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def soffice() -> str:
    path = soffice_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    return path


@pytest.mark.parametrize(
    ("kind", "lang"), [(kind, lang) for kind in KINDS for lang in shipped_languages(kind)]
)
def test_each_kind_converts_to_pdf(soffice: str, kind: str, lang: str, tmp_path: Path) -> None:
    context = build_context(kind, rich_doc(), labels(lang), lang, TODAY, period=2)
    source = tmp_path / f"{kind}.docx"
    source.write_bytes(render_docx(shipped_template(kind, lang), context))
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / f"{kind}.pdf"
    assert result.returncode == 0 and pdf.is_file(), result.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000


def test_swedish_card_and_hostile_text_convert(soffice: str) -> None:
    card = build_context("card", rich_doc(), labels("sv"), "sv", TODAY)
    assert convert_to_pdf(render_docx(shipped_template("card", "sv"), card)).startswith(b"%PDF")
    hostile = build_context("esr-final", hostile_doc(200_000), labels(), "fi", TODAY)
    pdf = convert_to_pdf(render_docx(shipped_template("esr-final", "fi"), hostile))
    assert pdf.startswith(b"%PDF")
