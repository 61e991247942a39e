"""The EVAUS decision report from the two demo assessments (no database)."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date

import docx
import pytest

from evaus.assessment import builtin_framework
from evaus.demo import demo_assessment_entries
from evaus.i18n import format_message
from evaus.reports.contexts import EvausContext
from evaus.reports.evaus_build import build_evaus, evaus_missing
from evaus.reports.pdf import convert_to_pdf, soffice_path
from evaus.reports.render import render_docx
from evaus.reports.templating import check_template, shipped_template
from project_db.assessment_schemas import AssessmentDoc
from tests.reports_support import TODAY, docx_text

FRAMEWORK = builtin_framework("default")
HANSKA, NETWORK = (AssessmentDoc.model_validate(e["doc"]) for e in demo_assessment_entries())
HANSKA_PROJECT = "Sosiaalisen kuntoutuksen yhteistyöprosessi monenlaista tukea tarvitseville"


def context(doc: AssessmentDoc, lang: str = "fi") -> EvausContext:
    name = HANSKA_PROJECT if doc is HANSKA else None
    return build_evaus(doc, FRAMEWORK, lang, TODAY, project_name=name)


def render(doc: AssessmentDoc, lang: str = "fi") -> bytes:
    return render_docx(shipped_template("evaus", lang), context(doc, lang))


def paragraphs_and_cells(content: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [c.text for c in row.cells]
    return texts


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_shipped_templates_use_only_the_context_model(lang: str) -> None:
    assert check_template(shipped_template("evaus", lang), "evaus", lang) == []


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_hanska_with_its_ex_post_comparison(lang: str) -> None:
    content = render(HANSKA, lang)
    texts = paragraphs_and_cells(content)
    text = docx_text(content)
    assert "{{" not in text and "{%" not in text and "None" not in text.split()
    assert "Toiminta osoittautui arviointia vastaavaksi" in text
    assert HANSKA.title in text and HANSKA_PROJECT in text
    title = "Ennakkovaikutusten arviointi" if lang == "fi" else "Förhandsbedömning av konsekvenser"
    assert title in texts
    verdict = "Toteuma vastasi arviota kaikissa 9 seuratussa vaikutuksessa."
    if lang == "fi":
        assert verdict in texts
        # The summary comes first, then the matrix, then the ex-post comparison.
        assert texts.index("Päätettävä asia") < texts.index("Vaikutusmatriisi")
        assert texts.index("Vaikutusmatriisi") < texts.index("3 Jälkiarviointi")
        assert "Nykytila jatkuu (0-vaihtoehto)" in texts
        assert "piti" in texts  # each followed-up impact: held
    # The heatmap is an image in the document.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert any(n.startswith("word/media/") for n in archive.namelist())


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_service_network_draft_with_its_key_figures(lang: str) -> None:
    content = render(NETWORK, lang)
    texts = paragraphs_and_cells(content)
    for figure in ("410", "190", "417", "1017", "250 (61%)", "Kotiin tukemisen tiimit"):
        assert figure in texts
    assert "" in texts  # the empty corner cell of the key-figure table stays empty
    missing = "Ei tietoa" if lang == "fi" else "Uppgift saknas"
    assert missing in docx_text(content)  # no recommendation yet: said, never blank
    not_done = (
        "Jälkiarviointia ei ole vielä tehty."
        if lang == "fi"
        else "Efterhandsbedömningen har inte gjorts ännu."
    )
    assert not_done in texts


def test_alternatives_zero_first_and_counts_never_a_score() -> None:
    ctx = context(HANSKA)
    assert ctx.alternatives[0].is_zero and ctx.alternatives[0].name == "Nykytila jatkuu"
    hanska = ctx.alternatives[1]
    assert hanska.recommended and hanska.chosen
    assert (hanska.positive, hanska.negative, hanska.mixed) == (7, 0, 2)
    fields = set(type(hanska).model_fields)
    assert not fields & {"score", "total", "sum", "points"}
    assert [row.alternative for row in ctx.matrix[:2]] == [
        "Nykytila jatkuu",
        "Yhteinen palvelukeskus (Hanska-malli)",
    ]
    assert ctx.ex_post is not None and len(ctx.ex_post.rows) == 9
    assert ctx.heatmap is not None and ctx.heatmap.symbols[3][1] == "++"


def test_what_is_missing_from_the_draft() -> None:
    messages = [
        format_message(p.message, "fi", **p.params) for p in evaus_missing(NETWORK, FRAMEWORK, "fi")
    ]
    assert "Suositeltavaa vaihtoehtoa ei ole valittu" in messages
    assert "Kuultuja tahoja ei ole kirjattu" in messages
    assert evaus_missing(HANSKA, FRAMEWORK, "fi") != []  # costs are not known
    assert [p.message for p in evaus_missing(None, None, "fi")] == [
        "The project has no impact assessment"
    ]


@pytest.fixture(scope="module")
def soffice() -> str:
    path = soffice_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    return path


@pytest.mark.slow
@pytest.mark.parametrize(("which", "lang"), [("hanska", "fi"), ("network", "sv")])
def test_converts_to_pdf(soffice: str, which: str, lang: str) -> None:
    doc = HANSKA if which == "hanska" else NETWORK
    pdf = convert_to_pdf(render(doc, lang), f"evaus-{which}")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


def test_the_report_date_is_the_one_given() -> None:
    assert context(HANSKA).generated_on == date(2026, 11, 23)
