"""Rendering a DOCX template with a context: docxtpl, autoescape, StrictUndefined, Babel filters.

- Every ``{{ … }}`` that comes out empty (None or blank text) shows "Ei tietoa" ("Uppgift saknas",
  "No information"): a missing value is never a silent blank. Dates and numbers that a template
  prints without a filter still come out in the Finnish format.
- User text is cleaned of characters XML cannot hold; a blank line starts a new paragraph, a
  single line break stays a line break.
- ``ChartSpec`` and ``HeatmapSpec`` values are drawn with matplotlib and put in as images.
"""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from project_db.errors import N_

from .. import i18n
from .charts import draw_chart, draw_heatmap
from .contexts import CONTEXT_MODELS, ChartSpec, HeatmapSpec, _ReportContext

NO_INFORMATION = N_("No information")

# Characters XML 1.0 cannot hold (tab, line feed and carriage return are fine) and lone surrogates.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
CHART_WIDTH_MM = 160


def clean_text(text: str) -> str:
    """Safe for a DOCX run: no invalid characters; a blank line becomes a paragraph break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVALID_XML.sub("", text)
    return _BLANK_LINES.sub("\a", text.strip("\n"))


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def missing_text(lang: str) -> str:
    return i18n._(NO_INFORMATION, lang)


# --- the Jinja environment ------------------------------------------------------------------


# Babel is thorough but not fast: a large report formats the same dates and numbers many times.
_pvm = lru_cache(maxsize=8192)(i18n.pvm)
_number = lru_cache(maxsize=8192)(i18n.number)


@cache
def jinja_env(lang: str) -> Environment:
    """StrictUndefined, autoescape, Finnish/Swedish/English formatters as filters."""
    lang = i18n.normalise_language(lang)
    missing = missing_text(lang)

    def finalize(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return missing
        if isinstance(value, bool):
            return value
        if isinstance(value, date):
            return _pvm(value, lang)
        if isinstance(value, float):
            return _number(Decimal(str(value)), lang)
        if isinstance(value, Decimal):
            return _number(value, lang)
        return value

    def pvm(value: date | None) -> str:
        return _pvm(value, lang) if value else missing

    def daterange(start: date | None, end: date | None = None) -> str:
        if start is None and end is None:
            return missing
        return f"{_pvm(start, lang) if start else ''}–{_pvm(end, lang) if end else ''}"

    def eur(value: Decimal | int | None, cents: bool = False) -> str:
        if value is None:
            return missing
        # In a document "1 000 000 €" must not break before the €: a non-breaking space.
        return i18n.eur(value, lang, cents=cents).replace(" ", "\u00a0")

    def num(value: Decimal | int | None, unit: str | None = None) -> str:
        if value is None:
            return missing
        text = _number(value, lang)
        return f"{text}\u00a0{unit}" if unit else text

    def pct(value: Decimal | int | None) -> str:
        return f"{_number(value, lang)}\u00a0%" if value is not None else missing

    def or_dash(value: Any) -> Any:
        return "–" if value is None or (isinstance(value, str) and not value.strip()) else value

    env = Environment(undefined=StrictUndefined, autoescape=True, finalize=finalize)
    env.filters.update(pvm=pvm, daterange=daterange, eur=eur, num=num, pct=pct, or_dash=or_dash)
    env.globals["no_information"] = Markup.escape(missing)
    return env


# --- rendering ---------------------------------------------------------------------------


def render_docx(template: bytes, context: _ReportContext) -> bytes:
    """Render ``template`` (DOCX bytes) with ``context``; the result is DOCX bytes."""
    lang = i18n.normalise_language(context.lang)
    doc = DocxTemplate(io.BytesIO(template))
    data: dict[str, Any] = _clean(context.model_dump())
    for name in type(context).model_fields:
        spec = getattr(context, name)
        if isinstance(spec, ChartSpec | HeatmapSpec):
            png = draw_chart(spec) if isinstance(spec, ChartSpec) else draw_heatmap(spec)
            data[name] = InlineImage(doc, io.BytesIO(png), width=Mm(CHART_WIDTH_MM))
    doc.render(data, jinja_env=jinja_env(lang), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_plain(kind: str, context_data: dict[str, Any], template: bytes) -> bytes:
    """Worker-process entry: plain data in (a JSON-able dict and bytes), DOCX bytes out."""
    context = CONTEXT_MODELS[kind].model_validate(context_data)
    return render_docx(template, context)
