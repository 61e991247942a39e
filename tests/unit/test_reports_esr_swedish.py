"""The ESR reports in Swedish: the template's own text, the context's labels and the file name,
and the funder's basic data an official checks (implementers with business IDs, contact person,
the grant decision)."""

from __future__ import annotations

from datetime import date

import pytest

from evaus.reports import kinds
from evaus.reports.build import build_context
from evaus.reports.contexts import EsrFinalContext, EsrPeriodContext
from evaus.reports.render import render_docx
from evaus.reports.templating import shipped_languages, shipped_template
from project_db.schemas import ProjectDoc
from tests.reports_support import NBSP, TODAY, docx_text, labels, rich_doc

ESR_KINDS = ("esr-period", "esr-final")

# Finnish text of the templates that must never show in a Swedish report.
FINNISH_HEADINGS = (
    "Perustiedot",
    "Toteutusaika",
    "Ei tietoa",
    "Hankekoodi",
    "Seurantaraportti",
    "Loppuraportti",
    "Lähtötilanne",
    "Tavoitteet",
    "Kohderyhmä",
    "Toteutus",
    "Toimenpiteet",
    "Mittarit",
    "Osallistujat",
    "Viestintä",
    "Rahoitus",
    "Liitteet",
    "Laadittu",
    "Raportointijakso",
    "kustannuslajeittain",
    "Y-tunnus",
    "Yhteyshenkilö",
)


def esr_doc() -> ProjectDoc:
    """SoKu with money by cost category, participants of the whole project, a business ID and
    a decision number only on the ESR funding."""
    data = rich_doc().model_dump(mode="json")
    data["budget_lines"] = [
        {"category": "palkkakustannukset", "amount": "800000"},
        {"category": "ostopalvelut", "amount": "100000"},
        {"category": "tulot", "amount": "5000"},
    ]
    data["cost_actuals"] = [
        {"period": 1, "category": "palkkakustannukset", "amount": "120000"},
        {"period": 2, "category": "palkkakustannukset", "amount": "130000"},
        {"period": 2, "category": "ostopalvelut", "amount": "20000"},
        {"period": 2, "category": "tulot", "amount": "1000"},
    ]
    data["participant_stats"] += [
        {"gender": "nainen", "age_class": "yli-54", "labour_status": "tyoton", "count": 30},
        {"gender": "mies", "age_class": "alle-25", "education": "perusaste", "count": 25},
    ]
    data["organisations"][0]["organisation"]["y_tunnus"] = "0157024-0"
    data["indicators"][0]["baseline"] = "0"
    data["decision_number"] = None
    return ProjectDoc.model_validate(data)


def render(kind: str, lang: str, doc: ProjectDoc | None = None, period: int | None = 2) -> str:
    context = build_context(kind, doc or esr_doc(), labels(lang), lang, TODAY, period=period)
    return docx_text(render_docx(shipped_template(kind, lang), context))


@pytest.mark.parametrize("kind", ESR_KINDS)
def test_esr_templates_ship_in_finnish_and_swedish(kind: str) -> None:
    assert shipped_languages(kind) == ["fi", "sv"]


@pytest.mark.parametrize("kind", ESR_KINDS)
def test_swedish_esr_report_has_no_finnish_template_text(kind: str) -> None:
    text = render(kind, "sv")
    lines = text.split("\n")
    leaked = [word for word in FINNISH_HEADINGS if word in text]
    assert leaked == []
    for heading in (
        "1 Basuppgifter",
        "Genomförandetid",
        "Åtgärdslinje",
        "Specifikt mål",
        "Ansvarig myndighet",
        "Finansieringsbeslut",
        "Genomförare och övriga organisationer",
        "FO-nummer",
        "Kontaktperson",
        "Mål",
        "Målgrupp",
        "3 Genomförande",
        "5 Deltagare",
        "6 Övergripande principer",
        "Jämställdhet mellan könen",
        "Budget och faktiska kostnader per kostnadsslag",
        "Bilagor",
    ):
        assert heading in lines, heading
    assert "Uppgift saknas" in text  # the renderer's "no information" in Swedish


def test_swedish_period_report_headings_and_labels() -> None:
    text = render("esr-period", "sv")
    lines = text.split("\n")
    assert "Uppföljningsrapport" in lines
    assert "Rapporteringsperiod 2 / 3: 1.3.2016–31.8.2016" in lines
    assert "Projektkod S20397" in lines
    assert "ESF-UPPFÖLJNINGSRAPPORT" in text and "Upprättat 23.11.2026" in lines
    for heading in (
        "4 Resultat i förhållande till målen",
        "Vad som gjordes under perioden",
        "Problem och avvikelser",
        "Periodens utfall",
        "7 Kommunikation",
        "8 Finansiering",
    ):
        assert heading in lines, heading
    # Labels the context brings: basis, direction, code lists, per cent.
    assert "insamlade uppgifter" in lines and "urval" in lines
    assert "Asiakasmäärä noin 350. Riktning: ju mer desto bättre." in lines
    assert f"54{NBSP}%" in lines  # 190 of the way from 0 to 350
    assert "Under 25 år" in lines and "30–54 år" in lines
    assert "Lönekostnader" in lines and "Köpta tjänster" in lines
    assert "Intäkter (avdras)" in lines
    assert "Huvudgenomförare" in lines and "Kommun" in lines
    assert "Europeiska socialfonden (NTM-centralen)" in lines
    assert "Avslutad" in lines
    assert "De faktiska kostnaderna redovisas i utbetalningsansökan i systemet EURA 2014." in lines


def test_swedish_final_report_headings_and_labels() -> None:
    text = render("esr-final", "sv")
    lines = text.split("\n")
    assert "Slutrapport" in lines and "ESF-SLUTRAPPORT" in text
    assert "Genomförandetid 1.9.2015–30.11.2018" in lines
    for heading in (
        "Rapporteringsperioder",
        "4 Resultat",
        "Eftersträvade resultat",
        "Indikatorer",
        "Utfall per rapporteringsperiod",
        "7 Problem och hur de har lösts",
        "8 Fortsatt verksamhet efter projektet",
        "9 Utvecklingsförslag",
        "10 Kommunikation",
        "11 Finansiering",
    ):
        assert heading in lines, heading
    assert "Period 2: Yksi työntekijä vaihtui." in lines  # the period word is Swedish
    assert "Prestation" in lines or "Resultat" in lines  # result kinds
    assert "uppskattning" in lines
    assert "Arbetslös" in lines and "Grundnivå" in lines and "Okänt" in lines
    assert "Över 54 år" in lines


@pytest.mark.parametrize(
    ("lang", "org_header", "contact_header"),
    [("fi", "Y-tunnus", "Yhteyshenkilö"), ("sv", "FO-nummer", "Kontaktperson")],
)
@pytest.mark.parametrize("kind", ESR_KINDS)
def test_basic_data_lists_implementers_contact_and_grant_decision(
    kind: str, lang: str, org_header: str, contact_header: str
) -> None:
    lines = render(kind, lang).split("\n")
    assert org_header in lines and contact_header in lines
    assert "0157024-0" in lines and "Valkeakosken kaupunki" in lines
    assert "Ilkka Peltomaa" in lines and "ilkka.peltomaa@valkeakoski.fi" in lines
    # Only the marked contact person: the rest of the team stays out of the basic data.
    assert "Tuula Heikkari" not in lines


@pytest.mark.parametrize("kind", ESR_KINDS)
def test_grant_decision_comes_from_the_esr_funding_when_the_project_has_none(kind: str) -> None:
    context = build_context(kind, esr_doc(), labels("sv"), "sv", TODAY, period=2)
    assert isinstance(context, EsrPeriodContext | EsrFinalContext)
    assert context.project.decision_number == "ESR 123/2015, 20.8.2015"
    own = esr_doc()
    own.decision_number = "EURA-päätös 42"
    context = build_context(kind, own, labels("fi"), "fi", TODAY, period=2)
    assert isinstance(context, EsrPeriodContext | EsrFinalContext)
    assert context.project.decision_number == "EURA-päätös 42"
    none = esr_doc()
    none.funding[0].decision_number = None
    none.funding[0].funder_code = "KUNTA"
    context = build_context(kind, none, labels("fi"), "fi", TODAY, period=2)
    assert isinstance(context, EsrPeriodContext | EsrFinalContext)
    assert context.project.decision_number is None
    assert context.project.responsible_authority is None


@pytest.mark.parametrize("kind", ESR_KINDS)
def test_responsible_authority_is_the_esr_funder_unless_entered(kind: str) -> None:
    lines = render(kind, "sv").split("\n")
    at = lines.index("Ansvarig myndighet")
    assert lines[at + 1] == "Keski-Suomen ELY-keskus"  # SoKu's card: "Hankkeen rahoittaja"
    own = esr_doc()
    own.responsible_authority = "Hämeen ELY-keskus"
    context = build_context(kind, own, labels("fi"), "fi", TODAY, period=2)
    assert isinstance(context, EsrPeriodContext | EsrFinalContext)
    assert context.project.responsible_authority == "Hämeen ELY-keskus"


def test_swedish_report_without_periods_says_so_in_swedish() -> None:
    doc = esr_doc()
    data = doc.model_dump(mode="json")
    data.update(periods=[], participant_stats=[], cost_actuals=[])
    for indicator in data["indicators"]:
        indicator["values"] = []
    text = render("esr-period", "sv", ProjectDoc.model_validate(data), None)
    assert (
        "Hela genomförandetiden 1.9.2015–30.11.2018 (inga rapporteringsperioder har registrerats)"
        in (text)
    )
    assert "Inga rapporteringsperioder har registrerats: periodvisa beskrivningar" in text
    assert "Raportointijakso" not in text and "Ei tietoa" not in text


def test_swedish_file_names() -> None:
    made = date(2026, 1, 2)
    period = kinds.get("esr-period")
    final = kinds.get("esr-final")
    assert period.file_name("SoKu", "sv", kinds.ReportScope(period=2), made_on=made) == (
        "SoKu-esf-uppfoljningsrapport-period2-2026-01-02.docx"
    )
    assert final.file_name("SoKu", "sv", kinds.ReportScope(), made_on=made) == (
        "SoKu-esf-slutrapport-2026-01-02.docx"
    )
    assert final.file_name("SoKu", "fi", kinds.ReportScope(), made_on=made) == (
        "SoKu-esr-loppuraportti-2026-01-02.docx"
    )


def test_kind_labels_in_swedish_say_esf() -> None:
    from evaus.i18n import _

    assert _(kinds.get("esr-period").label, "sv") == "ESF-uppföljningsrapport"
    assert _(kinds.get("esr-final").label, "sv") == "ESF-slutrapport"
