"""Rendering the funder reports from demo-shaped documents (no database)."""

from __future__ import annotations

import io
import typing
import zipfile
from decimal import Decimal

import docx
import pytest
from lxml import etree
from pydantic import BaseModel

from evaus.i18n import format_message
from evaus.reports.build import build_context, missing_data
from evaus.reports.contexts import CONTEXT_MODELS, SteaContext
from evaus.reports.errors import ReportFailed
from evaus.reports.render import (
    MAX_LINES_PER_PARAGRAPH,
    clean_text,
    jinja_env,
    missing_text,
    render_docx,
)
from evaus.reports.templating import shipped_languages, shipped_template, shipped_templates
from project_db.schemas import ProjectDoc
from tests.reports_support import (
    EMAIL,
    KINDS,
    NBSP,
    PHONE,
    TODAY,
    demo_docs,
    docx_parts,
    docx_text,
    hostile_doc,
    labels,
    money,
    rich_doc,
    soku,
)

DEMOS = demo_docs()


def render(kind: str, doc: ProjectDoc, lang: str = "fi", **kw: int) -> bytes:
    context = build_context(kind, doc, labels(lang), lang, TODAY, **kw)
    return render_docx(shipped_template(kind, lang), context)


def assert_valid(content: bytes, *, user_tags: bool = False) -> str:
    """Opens with python-docx, every part is well-formed XML, no template tag is left
    (``user_tags``: the user's text holds tag-like text, which must come out literally)."""
    document = docx.Document(io.BytesIO(content))
    assert document.paragraphs
    for xml in docx_parts(content).values():
        etree.fromstring(xml)
    text = docx_text(content)
    if not user_tags:
        assert "{%" not in text and "{{" not in text
    return text


def header_xml(content: bytes) -> str:
    return "".join(
        xml.decode("utf-8") for name, xml in docx_parts(content).items() if "header" in name
    )


KIND_LANGUAGES = [(kind, lang) for kind in KINDS for lang in shipped_languages(kind)]


@pytest.mark.parametrize(("kind", "lang"), KIND_LANGUAGES)
@pytest.mark.parametrize("name", sorted(DEMOS))
def test_every_kind_renders_for_every_demo_project(kind: str, lang: str, name: str) -> None:
    doc = DEMOS[name]
    content = render(kind, doc, lang)
    text = assert_valid(content)
    assert doc.name in text
    header = header_xml(content)
    assert "PAGE" in header and "NUMPAGES" in header  # "1 (7)"
    # The demo projects lack data: shown in the report's language, never blank (the card
    # leaves out the optional fields that are empty: see test_report_card_fit.py).
    if kind != "card":
        assert missing_text(lang) in text
    if lang != "fi":
        assert "Ei tietoa" not in text
    assert "None" not in text.split() and "No information" not in text


def test_card_shows_the_facts_a_reader_checks() -> None:
    text = assert_valid(render("card", soku()))
    assert "Hankekortti" in text
    assert "Etelä-Pirkanmaan sosiaalisen kuntoutuksen hanke – SoKu" in text
    assert "S20397" in text
    assert "1.9.2015–30.11.2018" in text
    assert "Valkeakosken kaupunki" in text and "Päätoteuttaja" in text
    assert "Toimintalinja 5 (ESR)" in text
    assert "Ilkka Peltomaa" in text and "ilkka.peltomaa@valkeakoski.fi" in text  # card: internal
    assert f"350{NBSP}" in text or "350" in text
    assert "Liitteet" not in text and "Ei liitteitä." not in text  # nothing empty on the card


def test_card_in_swedish() -> None:
    text = assert_valid(render("card", soku(), "sv"))
    assert "Projektkort" in text and "Ei tietoa" not in text
    assert "1.9.2015–30.11.2018" in text and "Avslutad" in text


def test_esr_period_report_with_values() -> None:
    doc = rich_doc()
    doc.indicators[0].baseline = Decimal("0")  # the second keeps no baseline
    content = render("esr-period", doc, period=2)
    text = assert_valid(content)
    assert "Raportointijakso 2 / 3: 1.3.2016–31.8.2016" in text
    assert "NARIKAT avattiin." in text and "Ryhmät alkoivat." in text  # blank line → paragraph
    assert f"190{NBSP}" not in text  # SoKu's client count has no unit
    assert "190" in text and "Suunta: mitä enemmän, sitä parempi." in text
    assert f"54{NBSP}%" in text  # 190 of the way from 0 to 350
    # Without a baseline no progress is made up (value ÷ target would say 89 %).
    assert f"89{NBSP}%" not in text
    assert "62,5" in text and "otos" in text  # decimal comma, basis of the figure
    assert "kerätty tieto" in text
    assert money("1 000 000 €") in text and money("333 333,33 €") in text
    assert "20.8.2015" in text and "ESR 123/2015" in text
    for count in ("41", "37", "12", "90"):
        assert count in text.split("\n") or count in text
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("word/media/")]
    # Indicators over two periods; no funding chart for one funder (it would repeat the table).
    assert len(charts) == 1


def test_funding_chart_only_when_it_adds_to_the_table() -> None:
    doc = rich_doc()
    doc.indicators[0].baseline = Decimal("0")
    for name, amount in (("Valkeakosken kaupunki", "200000"), ("Akaan kaupunki", "133333.33")):
        row = doc.funding[0].model_copy(deep=True)
        row.funder.name, row.funder_code, row.amount = name, "KUNTA", Decimal(amount)
        doc.funding.append(row)
    content = render("esr-period", doc, period=2)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("word/media/")]
    assert len(charts) == 2  # indicators per period, funding by three funders


def test_esr_final_lists_every_period_value() -> None:
    text = assert_valid(render("esr-final", rich_doc()))
    assert "Loppuraportti" in text
    assert "1.9.2015–29.2.2016" in text and "1.3.2016–31.8.2016" in text
    assert "Jakso 2: Yksi työntekijä vaihtui." in text
    # Only per-period participant figures: shown as such, never added up into a total.
    assert "Yksilöityjä osallistujamääriä ei ole kirjattu." in text and "90" in text


def test_stm_report_shows_grant_or_no_information() -> None:
    text = assert_valid(render("stm", DEMOS["oulu_asunnottomat"]))
    assert "Selvitys valtionavustuksen käytöstä" in text
    assert "Sosiaali- ja terveysministeriö" in text
    assert "Tavoitetaan vähintään 200 henkilöä" in text
    assert f"200{NBSP}henkilöä" in text


def test_unknown_period_is_a_clear_message() -> None:
    with pytest.raises(ReportFailed) as caught:
        build_context("esr-period", rich_doc(), labels(), "fi", TODAY, period=7)
    message = format_message(caught.value.message, "fi", **caught.value.params)
    assert message == "Hankkeella ei ole raportointijaksoa 7 (jaksot: 1, 2, 3)."
    with pytest.raises(ReportFailed) as caught:
        build_context("esr-period", soku(), labels(), "fi", TODAY, period=1)
    assert "yhtään jaksoa" in format_message(caught.value.message, "fi", **caught.value.params)


def test_stea_year_outside_the_term_is_refused() -> None:
    with pytest.raises(ReportFailed) as caught:
        build_context("stea", soku(), labels(), "fi", TODAY, year=2030)
    text = format_message(caught.value.message, "fi", **caught.value.params)
    assert text == "Hanke ei ollut käynnissä vuonna 2030 (toteutusaika 1.9.2015–30.11.2018)."


def test_missing_data_lists_what_the_report_lacks() -> None:
    warnings = [
        format_message(p.message, "fi", **p.params)
        for p in missing_data("esr-period", rich_doc(), 3, labels=labels())
    ]
    assert "Jakson 3 toteumat puuttuvat" in warnings
    assert "Jakson 3 toiminnan kuvaus puuttuu" in warnings
    assert "Kuvaus puuttuu: Kestävä kehitys" in warnings
    period_2 = missing_data("esr-period", rich_doc(), 2, labels=labels())
    assert "Jakson 3 toteumat puuttuvat" not in [
        format_message(p.message, "fi", **p.params) for p in period_2
    ]
    soku_warnings = [p.message for p in missing_data("esr-period", soku())]
    assert "The project has no reporting periods: the report covers its whole term" in (
        soku_warnings
    )


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_text_still_gives_a_valid_document(kind: str) -> None:
    content = render(kind, hostile_doc())
    text = assert_valid(content, user_tags=True)
    assert "<script>alert('x')</script> & AT&T" in text
    assert "{{ project.name }} {% if %}" in text  # user text is never run as a template
    assert "👩‍👩‍👧" in text and "\u202e" in text
    assert "\x01" not in text and "\ufffe" not in text


@pytest.mark.parametrize("name", ["esr_soku", "oulu_asunnottomat"])
def test_public_stea_report_has_no_contact_details(name: str) -> None:
    doc = DEMOS[name]
    assert any(p.person.email for p in doc.people)  # the registry does hold them
    text = assert_valid(render("stea", doc))
    assert "Tuloksellisuusraportti" in text
    assert not EMAIL.search(text), EMAIL.search(text)
    assert not PHONE.search(text), PHONE.search(text)
    for person in doc.people:
        assert person.person.name not in text


def test_stea_removes_contacts_typed_into_free_text() -> None:
    doc = rich_doc()
    doc.summary = "Lisätietoja: anna.virtanen@example.fi tai 040 123 4567, +358 50 765 4321."
    text = assert_valid(render("stea", doc))
    assert not EMAIL.search(text) and not PHONE.search(text)
    assert "[yhteystieto poistettu]" in text


def _field_names(model: type[BaseModel]) -> set[str]:
    names = set()
    for name, field in model.model_fields.items():
        names.add(name)
        for arg in [field.annotation, *typing.get_args(field.annotation)]:
            for inner in [arg, *typing.get_args(arg)]:
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    names |= _field_names(inner)
    return names


def test_stea_context_model_has_no_field_for_personal_data() -> None:
    names = _field_names(SteaContext)
    assert not names & {"email", "phone", "contacts", "people", "person", "links", "attachments"}


def test_every_shipped_template_has_a_context_model() -> None:
    kinds = {kind for kind, _lang in shipped_templates()}
    assert kinds == set(CONTEXT_MODELS)


def test_filters_format_the_finnish_way() -> None:
    env = jinja_env("fi")
    template = env.from_string(
        "{{ d|pvm }} {{ a|daterange(b) }} {{ x|eur }} {{ y|eur }} {{ n }} {{ gone }}"
    )
    from datetime import date
    from decimal import Decimal

    out = template.render(
        d=date(2020, 11, 1),
        a=date(2015, 9, 1),
        b=date(2018, 11, 30),
        x=Decimal("1000000"),
        y=Decimal("23.35"),
        n=Decimal("12.5"),
        gone=None,
    )
    assert (
        out
        == f"1.11.2020 1.9.2015–30.11.2018 1{NBSP}000{NBSP}000{NBSP}€ 23,35{NBSP}€ 12,5 Ei tietoa"
    )
    assert jinja_env("sv").from_string("{{ x }}").render(x=None) == "Uppgift saknas"
    assert jinja_env("en").from_string("{{ x }}").render(x="") == "No information"


def test_a_long_run_of_lines_becomes_paragraphs_a_short_one_keeps_its_line_breaks() -> None:
    short = "\n".join(f"rivi {n}" for n in range(5))
    assert clean_text(short + "\n\n" + short) == short + "\a" + short
    long = "\n".join(f"rivi {n}" for n in range(MAX_LINES_PER_PARAGRAPH + 1))
    # LibreOffice lays out the lines of one paragraph in quadratic time: each line its own.
    assert clean_text(short + "\n\n" + long) == short + "\a" + long.replace("\n", "\a")
