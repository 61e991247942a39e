"""A report says what it is: DOCX properties (title, subject, language) and an accessible PDF.

The DOCX made for a kind carries the title a reader sees ("ESR-seurantaraportti – <hanke>"),
a subject, its language and the moment it was made, not the template's placeholders. Its PDF
from LibreOffice (the real one) is tagged, declared PDF/UA, titled with the DOCX title (shown
by viewers instead of the file name) and in the report's language.

Skipped locally when LibreOffice is missing; under CI (CI=true) a missing LibreOffice fails.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any

import docx
import pytest

from evaus.assessment import builtin_framework
from evaus.demo import demo_assessment_entries
from evaus.reports.build import build_context
from evaus.reports.evaus_build import build_evaus
from evaus.reports.pdf import convert_to_pdf
from evaus.reports.render import render_plain
from evaus.reports.templating import shipped_template
from project_db.assessment_schemas import AssessmentDoc
from tests.reports_support import TODAY, hostile_doc, labels, rich_doc

HANSKA, NETWORK = (AssessmentDoc.model_validate(e["doc"]) for e in demo_assessment_entries())
NAME = rich_doc().name

# kind, language, the title's start, the subject
CASES = [
    ("card", "fi", "Hankekortti – ", "Hankekortti"),
    ("card", "sv", "Projektkort – ", "Projektkort"),
    ("esr-period", "fi", "ESR-seurantaraportti – ", "ESR-seurantaraportti, jakso 2 ("),
    ("esr-final", "fi", "ESR-loppuraportti – ", "ESR-loppuraportti"),
    ("stea", "fi", "STEA-tuloksellisuusraportti – ", "STEA-tuloksellisuusraportti 2016"),
    ("stm", "fi", "STM-selvitys valtionavustuksen käytöstä – ", "STM-selvitys"),
    ("evaus", "fi", "EVAUS-raportti päätöksentekijöille – ", "EVAUS-raportti"),
    ("evaus", "sv", "EVAUS-rapport för beslutsfattare – ", "EVAUS-rapport för beslutsfattare"),
]


def _context(kind: str, lang: str) -> Any:
    if kind == "evaus":
        doc = HANSKA if lang == "fi" else NETWORK
        return build_evaus(doc, builtin_framework("default"), lang, TODAY)
    period = 2 if kind == "esr-period" else None
    year = 2016 if kind == "stea" else None
    return build_context(kind, rich_doc(), labels(lang), lang, TODAY, period=period, year=year)


def _made(kind: str, lang: str) -> tuple[bytes, Any]:
    """The DOCX as the service makes it (``render_plain``, the JSON of the context)."""
    context = _context(kind, lang)
    data = context.model_dump(mode="json")
    return render_plain(kind, data, shipped_template(kind, lang)), context


def _expected_name(kind: str, lang: str) -> str:
    if kind == "evaus":  # Hanska is decided; the network assessment is a draft
        return HANSKA.title if lang == "fi" else f"{NETWORK.title} (utkast)"
    return NAME


def _style_languages(content: bytes) -> tuple[str | None, str | None]:
    """The w:lang of the document defaults and of the Normal style."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S)
    normal = re.search(r'<w:style [^>]*w:styleId="Normal"[^>]*>.*?</w:style>', styles, re.S)
    found = []
    for part in (defaults, normal):
        lang = re.search(r'<w:lang [^>]*w:val="([^"]+)"', part.group(0)) if part else None
        found.append(lang.group(1) if lang else None)
    return found[0], found[1]


@pytest.mark.parametrize(("kind", "lang", "title", "subject"), CASES)
def test_docx_properties(kind: str, lang: str, title: str, subject: str) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    content = _made(kind, lang)[0]
    core = docx.Document(io.BytesIO(content)).core_properties
    assert core.title == title + _expected_name(kind, lang)
    assert core.subject.startswith(subject)
    language = {"fi": "fi-FI", "sv": "sv-FI"}[lang]
    assert core.language == language
    assert core.author == "EVAUS" and core.last_modified_by == "EVAUS"
    assert core.comments == "" and core.revision == 1  # not the template's words
    assert before <= core.created <= before + timedelta(minutes=5)
    assert core.modified == core.created
    assert _style_languages(content) == (language, language)


def test_period_subject_names_the_dates() -> None:
    content, context = _made("esr-period", "fi")
    core = docx.Document(io.BytesIO(content)).core_properties
    start, end = context.period.start_date, context.period.end_date
    period = f"{start.day}.{start.month}.{start.year}–{end.day}.{end.month}.{end.year}"
    assert core.subject == f"ESR-seurantaraportti, jakso 2 ({period})"


def test_a_long_or_broken_name_still_gives_a_title() -> None:
    doc = hostile_doc(2000)
    context = build_context("card", doc, labels(), "fi", TODAY)
    content = render_plain("card", context.model_dump(mode="json"), shipped_template("card", "fi"))
    title = docx.Document(io.BytesIO(content)).core_properties.title
    assert title.startswith("Hankekortti – ") and len(title) <= 255
    assert "\n" not in title and "  " not in title


# --- the PDF ---------------------------------------------------------------------------------


def _object(pdf: bytes, number: int) -> bytes:
    found = re.search(rb"(?:^|\s)%d 0 obj\s*(.*?)endobj" % number, pdf, re.S)
    assert found, f"object {number} not found"
    return found.group(1)


def _text_string(value: bytes) -> str:
    """A PDF text string as LibreOffice writes it: <FEFF…> hex UTF-16, or (…) literal."""
    if value.startswith(b"<"):
        raw = bytes.fromhex(value[1:-1].decode("ascii"))
        return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
    return value[1:-1].decode("latin-1")


def _info_title(pdf: bytes) -> str:
    info = re.findall(rb"/Info\s+(\d+)\s+0\s+R", pdf)
    assert info, "the PDF has no document information dictionary"
    string = rb"(<[0-9A-Fa-f]*>|\((?:[^()\\]|\\.)*\))"  # hex or literal
    title = re.search(rb"/Title\s*" + string, _object(pdf, int(info[-1])))
    assert title, "the PDF has no /Title"
    return _text_string(title.group(1))


def _catalog(pdf: bytes) -> bytes:
    found = re.search(rb"<<\s*/Type\s*/Catalog(.*?)endobj", pdf, re.S)
    assert found, "no uncompressed catalog"
    return found.group(1)


PDF_CASES = [("card", "fi"), ("card", "sv"), ("esr-period", "fi"), ("stea", "fi")]
PDF_CASES += [("evaus", "fi"), ("evaus", "sv")]


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "lang"), PDF_CASES)
def test_pdf_is_tagged_titled_and_in_the_language(soffice: str, kind: str, lang: str) -> None:
    content = _made(kind, lang)[0]
    title = docx.Document(io.BytesIO(content)).core_properties.title
    pdf = convert_to_pdf(content, f"{kind}-{lang}")
    catalog = _catalog(pdf)
    assert re.search(rb"/StructTreeRoot\s+\d+\s+0\s+R", catalog), "not tagged"
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true\s*>>", catalog), "not marked"
    language = {"fi": b"fi-FI", "sv": b"sv-FI"}[lang]
    assert re.search(rb"/Lang\s*\(" + language + rb"\)", catalog), catalog
    assert re.search(rb"/DisplayDocTitle\s+true", catalog)
    assert b"<pdfuaid:part>1</pdfuaid:part>" in pdf  # declared PDF/UA-1 in its XMP metadata
    assert _info_title(pdf) == title
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=False)
    if info.returncode == 0:  # poppler, when installed, reads the same
        text = info.stdout.decode("utf-8", "replace")
        assert re.search(r"^Tagged:\s+yes$", text, re.M)
        assert re.search(r"^Title:\s+" + re.escape(title) + "$", text, re.M)
