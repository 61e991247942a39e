"""Every report kind opens in LibreOffice (the real client) and converts to PDF.

Skipped locally when LibreOffice is missing; under CI (CI=true) a missing LibreOffice fails.
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from evaus.reports.build import build_context
from evaus.reports.pdf import PROFILES, convert_to_pdf
from evaus.reports.render import render_docx
from evaus.reports.templating import shipped_languages, shipped_template
from tests.reports_support import KINDS, TODAY, hostile_doc, labels, rich_doc

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("kind", "lang"), [(kind, lang) for kind in KINDS for lang in shipped_languages(kind)]
)
def test_each_kind_converts_to_pdf(soffice: str, kind: str, lang: str, tmp_path: Path) -> None:
    context = build_context(kind, rich_doc(), labels(lang), lang, TODAY, period=2)
    # The plain PDF filter (no export options): the document itself opens and converts, with
    # the warmed LibreOffice profile that the product's conversions use.
    with PROFILES.borrow() as profile:
        source = tmp_path / f"{kind}.docx"
        source.write_bytes(render_docx(shipped_template(kind, lang), context))
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
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


def _card_docx() -> bytes:
    return render_docx(
        shipped_template("card", "fi"), build_context("card", rich_doc(), labels(), "fi", TODAY)
    )


def test_a_profile_is_kept_warm_and_concurrent_conversions_get_their_own(soffice: str) -> None:
    PROFILES.discard()
    content = _card_docx()
    assert convert_to_pdf(content).startswith(b"%PDF")
    with PROFILES.borrow() as kept:  # the profile LibreOffice made is kept for the next one
        assert (kept / "user" / "registrymodifications.xcu").is_file()
    assert convert_to_pdf(content).startswith(b"%PDF")
    with PROFILES.borrow() as again:
        assert again == kept

    with ThreadPoolExecutor(max_workers=2) as pool:
        pdfs = list(pool.map(convert_to_pdf, [content, content]))
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)
    with PROFILES.borrow() as first, PROFILES.borrow() as second:  # one each, both kept
        assert first != second
        assert (first / "user").is_dir() and (second / "user").is_dir()


def test_a_failed_conversion_is_tried_again_with_a_fresh_profile(soffice: str) -> None:
    PROFILES.discard()
    with PROFILES.borrow() as broken:
        pass
    broken.write_text("not a profile")  # LibreOffice cannot start with it (fatal error)
    assert convert_to_pdf(_card_docx()).startswith(b"%PDF")
    assert not broken.exists()  # thrown away, not lent again
    with PROFILES.borrow() as kept:
        assert kept != broken and (kept / "user").is_dir()
