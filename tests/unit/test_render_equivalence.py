"""The fast report renderer writes exactly what plain docxtpl writes.

``evaus.reports.render`` overrides some of docxtpl's steps to render large reports quickly
(see its docstring). This test renders the same contexts with docxtpl's own ``render`` and
``save`` and compares every part of the two DOCX files: XML byte for byte, chart images pixel
for pixel (only their PNG compression differs). An update of docxtpl or python-docx that
changes what those steps do fails here.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from PIL import Image

from evaus import i18n
from evaus.assessment import builtin_framework
from evaus.demo import demo_assessment_entries
from evaus.reports.build import build_context
from evaus.reports.charts import describe_chart, draw_chart, draw_heatmap
from evaus.reports.contexts import ChartSpec, HeatmapSpec
from evaus.reports.evaus_build import build_evaus
from evaus.reports.render import (
    CHART_WIDTH_MM,
    _clean,
    jinja_env,
    render_docx,
    with_alt_text,
)
from evaus.reports.templating import shipped_template
from project_db.assessment_schemas import AssessmentDoc
from tests.reports_support import TODAY, hostile_doc, labels, large_doc, rich_doc


class _Described(InlineImage):  # type: ignore[misc]
    """docxtpl's picture with the chart's alt text added (as the reports add it)."""

    text = ""

    def _insert_image(self) -> str:
        return with_alt_text(str(super()._insert_image()), self.text)


def _plain_docxtpl(template: bytes, context: Any) -> bytes:
    """The renderer as docxtpl documents it: render(), then save()."""
    doc = DocxTemplate(io.BytesIO(template))
    data: dict[str, Any] = _clean(context.model_dump())
    for name in type(context).model_fields:
        spec = getattr(context, name)
        if isinstance(spec, ChartSpec | HeatmapSpec):
            png = draw_chart(spec) if isinstance(spec, ChartSpec) else draw_heatmap(spec)
            data[name] = _Described(doc, io.BytesIO(png), width=Mm(CHART_WIDTH_MM))
            data[name].text = describe_chart(spec)
    doc.render(data, jinja_env=jinja_env(i18n.normalise_language(context.lang)), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _parts(content: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts: dict[str, Any] = {}
        for name in archive.namelist():
            data = archive.read(name)
            if name.endswith(".png"):
                image = Image.open(io.BytesIO(data)).convert("RGBA")
                parts[name] = (image.size, image.tobytes())
            else:
                parts[name] = data
        return parts


def _contexts() -> list[tuple[str, str, Any]]:
    cases: list[tuple[str, str, Any]] = [
        ("large esr-final", "esr-final", large_doc(goals=8, indicators=20, periods=4)),
        ("rich stea", "stea", rich_doc()),
        ("rich stm", "stm", rich_doc()),
        ("rich card", "card", rich_doc()),
        ("hostile esr-period", "esr-period", hostile_doc(2000)),
        ("hostile card", "card", hostile_doc(2000)),
    ]
    contexts = [
        (name, kind, build_context(kind, doc, labels("fi"), "fi", TODAY))
        for name, kind, doc in cases
    ]
    for kind in ("esr-period", "esr-final", "stea", "stm"):  # the Swedish templates and labels
        context = build_context(kind, rich_doc(), labels("sv"), "sv", TODAY, period=2)
        contexts.append((f"sv {kind}", kind, context))
    return contexts


@pytest.mark.parametrize(("name", "kind", "context"), _contexts(), ids=lambda v: str(v)[:20])
def test_fast_renderer_matches_docxtpl(name: str, kind: str, context: Any) -> None:
    template = shipped_template(kind, context.lang)
    assert _parts(render_docx(template, context)) == _parts(_plain_docxtpl(template, context))


def test_fast_renderer_matches_docxtpl_for_the_evaus_report() -> None:
    entry = demo_assessment_entries()[0]
    doc = AssessmentDoc.model_validate(entry["doc"])
    context = build_evaus(doc, builtin_framework("default"), "sv", TODAY, project_name="P")
    template = shipped_template("evaus", "sv")
    assert _parts(render_docx(template, context)) == _parts(_plain_docxtpl(template, context))
