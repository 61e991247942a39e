"""The STEA results report and the STM report on the use of a state grant in Swedish: the
template's own text, the context's labels, the file names, the funder's basic data an official
checks (the grant recipient with its business ID, the grant decision with its date), and the
Swedish documents open in LibreOffice."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import docx
import pytest

from evaus.reports import kinds
from evaus.reports.build import build_context
from evaus.reports.contexts import StmContext
from evaus.reports.pdf import convert_to_pdf, soffice_path
from evaus.reports.render import render_docx
from evaus.reports.templating import shipped_languages, shipped_template
from project_db.schemas import ProjectDoc
from tests.reports_support import NBSP, TODAY, docx_text, hostile_doc, labels, money, rich_doc

KINDS = ("stea", "stm")
Y_TUNNUS = "0201256-6"  # begins with 0 like a phone number: must stay in the public report


def stea_doc() -> ProjectDoc:
    """SoKu run by an association with a business ID, STEA-funded, with volunteers and
    feedback in its 2016 periods and money by STM's cost categories."""
    data = rich_doc().model_dump(mode="json")
    data["organisations"].append(
        {
            "organisation": {
                "name": "Sovatek-säätiö",
                "org_type": "jarjesto",
                "y_tunnus": Y_TUNNUS,
            },
            "role": "paatoteuttaja",
        }
    )
    data["organisations"][0]["role"] = "osatoteuttaja"  # the city is a partner here
    data["funding"].append(
        {
            "funder": {"name": "Sosiaali- ja terveysjärjestöjen avustuskeskus STEA"},
            "funder_code": "STEA",
            "amount": "120000",
            "decision_number": "STEA 4321/2016",
            "decision_date": "2016-01-15",
        }
    )
    data["funding"].append(
        {
            "funder": {"name": "Sosiaali- ja terveysministeriö"},
            "funder_code": "STM",
            "amount": "250000",
            "decision_number": "VN/1234/2016",
            "decision_date": "2016-02-03",
        }
    )
    data["periods"][1].update(
        volunteers=12,
        volunteer_hours="340.5",
        volunteers_basis="collected",
        feedback_methods="Palautelomake ryhmien lopussa.",
    )
    data["budget_lines"] = [
        {"scheme": "stm", "category": "henkilostokustannukset", "amount": "200000"},
        {"scheme": "stm", "category": "palvelujen-ostot", "amount": "50000"},
    ]
    data["cost_actuals"] = [
        {"period": 1, "scheme": "stm", "category": "henkilostokustannukset", "amount": "60000"},
        {"period": 2, "scheme": "stm", "category": "palvelujen-ostot", "amount": "10000"},
    ]
    data["indicators"][0]["baseline"] = "0"
    return ProjectDoc.model_validate(data)


def render(kind: str, lang: str, doc: ProjectDoc | None = None) -> bytes:
    year = 2016 if kind == "stea" else None
    context = build_context(kind, doc or stea_doc(), labels(lang), lang, TODAY, year=year)
    return render_docx(shipped_template(kind, lang), context)


def labels_of_the_form(content: bytes) -> set[str]:
    """What the template itself writes: headings, table header rows, the basic-data labels,
    the page header and footer (the project's own texts are left out)."""
    document = docx.Document(io.BytesIO(content))
    found = {
        p.text.strip()
        for p in document.paragraphs
        if p.style is not None and p.style.name in ("Title", "Heading 1", "Heading 2")
    }
    for table in document.tables:  # header rows and basic-data labels: the bold cells
        for row in table.rows:
            for cell in row.cells:
                runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
                if runs and all(r.bold for r in runs):
                    found.add(cell.text.strip())
    section = document.sections[0]
    found.add(section.header.paragraphs[0].text.split("\t")[0].strip())  # the report's name
    found |= {p.text.strip() for p in section.footer.paragraphs}
    return {text.replace("\u00ad", "") for text in found if any(c.isalpha() for c in text)}


@pytest.mark.parametrize("kind", KINDS)
def test_templates_ship_in_finnish_and_swedish(kind: str) -> None:
    assert shipped_languages(kind) == ["fi", "sv"]


@pytest.mark.parametrize("kind", KINDS)
def test_no_finnish_text_of_the_form_in_the_swedish_report(kind: str) -> None:
    finnish = labels_of_the_form(render(kind, "fi"))
    swedish = labels_of_the_form(render(kind, "sv"))
    assert len(finnish) > 20
    assert finnish & swedish == set()
    text = docx_text(render(kind, "sv"))
    leaked = [label for label in finnish if label in text.split("\n")]
    assert leaked == []
    assert "Ei tietoa" not in text and "Upprättat 23.11.2026" in text.split("\n")


def test_swedish_stea_report_reads_as_a_resultatrapport() -> None:
    text = docx_text(render("stea", "sv"))
    lines = text.split("\n")
    for line in (
        "Resultatrapport 2016",
        "Understödsobjekt: SoKu",
        "1 Understödsobjektets basuppgifter",
        "Understödsmottagare",
        f"Sovatek-säätiö (FO-nummer {Y_TUNNUS})",
        "Understödsbeslut",
        "STEA 4321/2016, 15.1.2016",
        "Verksamhetstid",
        "Rapporteringsår",
        "2 Sammandrag och beskrivning av verksamheten",
        "Verksamheten år 2016",
        "Period 2: 1.3.2016–31.8.2016",
        "Avvikelser: Yksi työntekijä vaihtui.",
        "3 Målen och hur de har uppnåtts",
        "Eftersträvade resultat",
        "4 Verksamhetens omfattning och räckvidd",
        "Utfall 2016",
        "Utfall per period år 2016",
        "5 Målgrupper",
        "6 Deltagarnas synpunkter och respons",
        "Hur responsen samlades in år 2016",
        "Period 2 (1.3.2016–31.8.2016): Palautelomake ryhmien lopussa.",
        "7 Samarbete",
        "Samarbetspartner",
        "Samarbetsformer",
        "8 Frivilliga",
        "Frivilliga och timmar per period år 2016",
        "9 Förankring",
        "Upprättat 23.11.2026",
    ):
        assert line in lines, line
    assert "RESULTATRAPPORT" in text
    assert "Rapporten är offentlig." in text
    # The context's labels in Swedish: basis of every figure, direction, result kinds, roles.
    for label in ("insamlade uppgifter", "uppskattning", "ju mer desto bättre", "Effekt"):
        assert label in text, label
    assert "Delgenomförare" in lines and "Kommun" in lines  # the city, a partner
    assert "12" in lines and "340,5" in lines
    for finnish in ("kerätty tieto", "arvio", "Osatoteuttaja", "Kunta", "Pirkanmaa"):
        assert finnish not in lines, finnish
    assert "mitä enemmän" not in text


def test_finnish_stea_report_names_the_recipient_with_its_business_id() -> None:
    lines = docx_text(render("stea", "fi")).split("\n")
    assert f"Sovatek-säätiö (Y-tunnus {Y_TUNNUS})" in lines
    assert "STEA 4321/2016, 15.1.2016" in lines
    # Without a business ID in the registry the recipient stands alone.
    doc = stea_doc()
    doc.organisations[-1].organisation.y_tunnus = None
    assert "Sovatek-säätiö" in docx_text(render("stea", "fi", doc)).split("\n")


def test_swedish_stm_report_reads_as_a_redovisning() -> None:
    text = docx_text(render("stm", "sv"))
    lines = text.split("\n")
    for line in (
        "Redovisning över användningen av statsunderstöd",
        "Genomförandetid 1.9.2015–30.11.2018",
        "1 Basuppgifter",
        "Statsunderstödstagare",
        f"Sovatek-säätiö (FO-nummer {Y_TUNNUS})",
        "Beslut om statsunderstöd",
        "VN/1234/2016, 3.2.2016",
        "Beviljat statsunderstöd",
        money("250 000 €"),
        "2 Sammandrag och utgångsläge",
        "3 Målen och hur de har uppnåtts",
        "Indikatorer",
        "4 Åtgärder",
        "Hur projektet genomfördes",
        "Angivna åtgärder",
        "Rapporteringsperioder",
        "Vad som gjordes",
        "5 Resultat och effekter",
        "Förändringar under projektet",
        "6 Förankring",
        "7 Budget och utfall",
        "Budget och faktiska kostnader per kostnadsslag",
        "Kostnadsslag",
        "Personalkostnader",
        "Köp av tjänster",
        "Kostnader totalt",
        "Bilagor",
        "Inga bilagor.",
    ):
        assert line in lines, line
    assert "REDOVISNING ÖVER ANVÄNDNINGEN AV STATSUNDERSTÖD" in text
    assert money("60 000,00 €") in text and f"30{NBSP}%" in text  # 60 000 of 200 000 used
    for finnish in ("Henkilöstökustannukset", "Palvelujen ostot", "Päätoteuttaja", "Ei liitteitä"):
        assert finnish not in text, finnish


def test_stm_recipient_is_the_lead_or_no_information() -> None:
    doc = stea_doc()
    doc.organisations = [o for o in doc.organisations if o.role != "paatoteuttaja"]
    lines = docx_text(render("stm", "sv", doc)).split("\n")
    at = lines.index("Statsunderstödstagare")
    assert lines[at + 1] == "Uppgift saknas"
    lines = docx_text(render("stm", "fi")).split("\n")
    assert f"Sovatek-säätiö (Y-tunnus {Y_TUNNUS})" in lines


def test_swedish_download_names() -> None:
    made = date(2026, 1, 2)
    stea, stm = kinds.get("stea"), kinds.get("stm")
    scope = kinds.ReportScope(year=2016)
    assert stea.file_name("SoKu", "sv", scope, made_on=made) == (
        "SoKu-stea-resultatrapport-2016-2026-01-02.docx"
    )
    assert stm.file_name("Sosiaalinen kuntoutus", "sv", kinds.ReportScope(), made_on=made) == (
        "Sosiaalinen-kuntoutus-stm-redovisning-2026-01-02.docx"
    )
    assert stm.file_name("SoKu", "fi", kinds.ReportScope(), made_on=made) == (
        "SoKu-stm-selvitys-2026-01-02.docx"
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_swedish_report_converts_in_libreoffice(kind: str) -> None:
    if soffice_path() is None:
        pytest.skip("LibreOffice is not installed")
    pdf = convert_to_pdf(render(kind, "sv"))
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_money_in_the_figures_is_the_registry_s() -> None:
    context = build_context("stm", stea_doc(), labels("sv"), "sv", TODAY)
    assert isinstance(context, StmContext)
    assert context.grant is not None and context.grant.amount == Decimal("250000")
    assert [o.name for o in context.recipients] == ["Sovatek-säätiö"]


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_text_gives_a_valid_swedish_document(kind: str) -> None:
    context = build_context(kind, hostile_doc(2000), labels("sv"), "sv", TODAY)
    text = docx_text(render_docx(shipped_template(kind, "sv"), context))
    assert "{{ project.name }} {% if %}" in text  # user text is never run as a template
    assert "Uppgift saknas" in text and "Ei tietoa" not in text
