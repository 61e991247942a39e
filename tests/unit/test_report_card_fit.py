"""The project card: one page for a typical project, two at most for a richly filled one, no
"Ei tietoa" rows for optional fields, organisations and people by role and then in Finnish
alphabetical order (… Z Å Ä Ö). The page counts come from LibreOffice's PDF (``pdfinfo``)."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from evaus.dev.generate import generate_docs
from evaus.reports.build import build_card, build_context
from evaus.reports.contexts import (
    CardContext,
    EsrFinalContext,
    EsrPeriodContext,
    SteaContext,
    StmContext,
)
from evaus.reports.pdf import convert_to_pdf
from evaus.reports.render import render_docx
from evaus.reports.templating import shipped_template
from project_db.schemas import ProjectDoc
from tests.reports_support import TODAY, demo_docs, docx_text, labels

LANGS = ("fi", "sv")
NO_DATA = {"fi": "Ei tietoa", "sv": "Uppgift saknas"}
# The optional basic-data rows: left out of the card when the field is empty.
OPTIONAL_ROWS = {
    "fi": (
        "Lyhenne",
        "Hanketyyppi",
        "Salkku",
        "Maakunta",
        "Kunta",
        "Budjetti",
        "Budjettiluokka",
        "Hankekoodi (EURA)",
        "Toimintalinja",
        "Erityistavoite",
        "Päätösnumero",
        "Vastuuviranomainen",
        "Teemat",
        "Verkkosivut",
    ),
    "sv": (
        "Förkortning",
        "Projekttyp",
        "Portfölj",
        "Landskap",
        "Kommun",
        "Budget",
        "Budgetklass",
        "Projektkod (EURA)",
        "Åtgärdslinje",
        "Specifikt mål",
        "Beslutsnummer",
        "Ansvarig myndighet",
        "Teman",
        "Webbplats",
    ),
}
# Headings of the parts an empty project has nothing for.
OPTIONAL_HEADINGS = {
    "fi": ("Toteuttajat ja rahoittajat", "Toimenpiteet", "Kuvaukset", "Yhteyshenkilöt", "Liitteet"),
    "sv": (
        "Genomförare och finansiärer",
        "Åtgärder",
        "Beskrivningar",
        "Kontaktpersoner",
        "Bilagor",
    ),
}
# Given in an order that is neither the role order nor the alphabetical one.
ORGANISATIONS = (
    ("Zeta ry", "yhteistyokumppani", "jarjesto"),
    ("Åbo Akademi", "osatoteuttaja", "oppilaitos"),
    ("Ähtärin kaupunki", "osatoteuttaja", "kunta"),
    ("Sosiaali- ja terveysministeriö", "rahoittaja", "valtio"),
    ("oulun kaupunki", "osatoteuttaja", "kunta"),
    ("Vantaan kaupunki", "paatoteuttaja", "kunta"),
    ("Alfa ry", "yhteistyokumppani", "jarjesto"),
)
# By role (päätoteuttaja, osatoteuttaja, rahoittaja, yhteistyökumppani), then Oulu < Zeta <
# Åbo < Ähtäri, case-insensitive.
ORGANISATION_ORDER = [
    "Vantaan kaupunki",
    "oulun kaupunki",
    "Åbo Akademi",
    "Ähtärin kaupunki",
    "Sosiaali- ja terveysministeriö",
    "Alfa ry",
    "Zeta ry",
]
PEOPLE = (
    ("Örjan Öhman", "Projektipäällikkö"),
    ("Ämmi Äijälä", "Projektityöntekijä"),
    ("zeta Zetterberg", "Projektityöntekijä"),
    ("Åsa Åberg", "Projektityöntekijä"),
    ("Oona Ojala", "Projektityöntekijä"),
)
# The roles as the project first names them, then the names: o < z < å < ä.
PEOPLE_ORDER = ["Örjan Öhman", "Oona Ojala", "zeta Zetterberg", "Åsa Åberg", "Ämmi Äijälä"]

LOREM = (
    "Hankkeessa kehitetään asiakaslähtöisiä palveluja kaikkein heikoimmassa asemassa oleville, "
    "joilla on monialaista tuen tarvetta. Palvelut tuodaan sinne, missä asiakkaat ovat, ja "
    "yhteistyö järjestöjen kanssa tiivistyy. "
)


def minimal_doc() -> ProjectDoc:
    """Only what a project must have: its name."""
    return ProjectDoc(name="Pienhanke")


def typical_doc() -> ProjectDoc:
    """A generated project as the registry typically holds one."""
    return next(generate_docs(1, seed=1))


def rich_doc() -> ProjectDoc:
    """A generated project with every field of the card filled, as a well-kept registry entry
    of a large project has them: a summary as long as the Oulu card's, several of every list."""
    data: dict[str, Any] = typical_doc().model_dump(mode="json")
    data.update(
        short_name="PÄIHDE",
        portfolio="Hyvinvointisalkku 2014-2020",
        budget_class="yli-1000000",
        eura_code="S21234",
        action_line="Toimintalinja 5 (ESR): Sosiaalinen osallisuus ja köyhyyden torjunta",
        specific_objective="10.1 Syrjäytymisvaarassa olevien työ- ja toimintakyvyn parantaminen",
        decision_number="VN/1234/2015",
        responsible_authority="Sosiaali- ja terveysministeriö",
        website="https://www.example.fi/paihdehanke",
        summary=LOREM * 3 + "\n\n" + LOREM * 2,
        themes=["päihteet", "vammaisuus", "asunnottomuus"],
    )
    data["organisations"] = [
        {"organisation": {"name": name, "org_type": org_type}, "role": role}
        for name, role, org_type in ORGANISATIONS
    ]
    data["organisations"][5]["organisation"]["y_tunnus"] = "0124610-9"
    data["funding"] += [
        {
            "funder": {"name": "Vantaan kaupunki", "org_type": "kunta"},
            "funder_code": "OMA",
            "amount": "496000",
            "share_percent": "25",
            "decision_number": "Kh 12.3.2015 § 45",
            "decision_date": "2015-03-12",
        }
    ]
    data["people"] = [
        {
            "person": {
                "name": name,
                "email": "etunimi.sukunimi@example.fi",
                "phone": "+358 40 123 4567",
                "organisation": "Vantaan kaupunki",
            },
            "role": role,
            "is_contact": True,
        }
        for name, role in PEOPLE
    ]
    data["goals"] = [
        {"key": f"g{i}", "title": f"Tavoite {i}: " + LOREM[:100]} for i in range(1, 4)
    ] + [{"key": "g1a", "parent_key": "g1", "title": "Alatavoite: " + LOREM[:80]}]
    data["measures"] = [
        {
            "key": f"m{i}",
            "goal_key": f"g{1 + i % 3}",
            "title": f"Toimenpide {i}: " + LOREM[:120],
            "responsible": "Vantaan kaupunki",
            "start_date": "2015-05-01",
            "end_date": "2017-08-31",
        }
        for i in range(1, 6)
    ]
    data["results"] = [
        {"kind": kind, "text": LOREM[:200]} for kind in ("output", "result", "result", "impact")
    ]
    data["sections"] += [
        {"kind": "perusidea", "title": "Ratkaisun perusidea", "body": LOREM * 2},
    ]
    data["attachments"] = [
        {
            "filename": f"liite{i}.pdf",
            "size": 1000,
            "sha256": f"{i}" * 64,
            "description": "Hankesuunnitelma",
        }
        for i in range(1, 3)
    ]
    data["links"] = [
        {"url": "https://www.example.fi/paihdehanke", "title": "Hankkeen sivut"},
        {"url": "https://innokyla.fi/toimintamalli", "title": "Toimintamalli Innokylässä"},
    ]
    return ProjectDoc.model_validate(data)


def card_context(
    doc: ProjectDoc, lang: str = "fi", codes: dict[str, dict[str, str]] | None = None
) -> CardContext:
    return build_card(doc, codes or labels(lang), lang, TODAY)


def card(doc: ProjectDoc, lang: str = "fi") -> bytes:
    context = build_context("card", doc, labels(lang), lang, TODAY)
    return render_docx(shipped_template("card", lang), context)


def table_rows(content: bytes) -> list[list[str]]:
    """Every table row of the card as the texts of its cells."""
    import io

    import docx

    document = docx.Document(io.BytesIO(content))
    return [[c.text for c in row.cells] for t in document.tables for row in t.rows]


# --- no "Ei tietoa" rows for optional fields ------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_minimal_card_prints_no_empty_optional_rows(lang: str) -> None:
    content = card(minimal_doc(), lang)
    rows = table_rows(content)
    labels_shown = [row[0] for row in rows]
    for label in OPTIONAL_ROWS[lang]:
        assert label not in labels_shown
    # Only the mandatory facts may say that they are missing.
    missing = [row[0] for row in rows if NO_DATA[lang] in row[1]]
    mandatory = {
        "fi": {"Käsittelyvaihe", "Toteutusaika", "Päätoteuttaja"},
        "sv": {"Skede", "Genomförandetid", "Huvudgenomförare"},
    }[lang]
    assert set(missing) == mandatory
    text = docx_text(content)
    for heading in OPTIONAL_HEADINGS[lang]:
        assert heading not in text
    assert "Pienhanke" in text and "{{" not in text and "{%" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_filled_optional_rows_are_printed(lang: str) -> None:
    rows = {row[0]: row[1] for row in table_rows(card(rich_doc(), lang))}
    for label in OPTIONAL_ROWS[lang]:
        assert label in rows and NO_DATA[lang] not in rows[label], label
    assert rows[OPTIONAL_ROWS[lang][0]] == "PÄIHDE"
    assert "S21234" in rows.values()


def test_typical_card_shows_no_column_of_ei_tietoa() -> None:
    text = docx_text(card(typical_doc()))
    assert "Ei tietoa" not in text  # a generated project has every mandatory fact


# --- order of organisations and people ------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_organisations_by_role_then_finnish_alphabetical(lang: str) -> None:
    context = card_context(rich_doc(), lang)
    assert [o.name for o in context.organisations] == ORGANISATION_ORDER
    text = docx_text(card(rich_doc(), lang))
    positions = [text.index(name) for name in ORGANISATION_ORDER[1:4]]
    assert positions == sorted(positions)  # Oulu < Åbo < Ähtäri on the page too


@pytest.mark.parametrize("lang", LANGS)
def test_people_by_role_then_finnish_alphabetical(lang: str) -> None:
    context = card_context(rich_doc(), lang)
    assert [p.name for p in context.contacts] == PEOPLE_ORDER
    text = docx_text(card(rich_doc(), lang))
    positions = [text.index(name) for name in PEOPLE_ORDER]
    assert positions == sorted(positions)


def test_every_report_lists_organisations_in_the_same_order() -> None:
    doc = rich_doc()
    for kind in ("esr-period", "esr-final", "stm"):
        context = build_context(kind, doc, labels(), "fi", TODAY)
        assert isinstance(context, EsrPeriodContext | EsrFinalContext | StmContext)
        assert [o.name for o in context.organisations] == ORGANISATION_ORDER, kind
    stea = build_context("stea", doc, labels(), "fi", date(2018, 1, 1))
    assert isinstance(stea, SteaContext)
    partners = [o.name for o in stea.partners]
    assert partners == [n for n in ORGANISATION_ORDER if n != "Sosiaali- ja terveysministeriö"]


def test_role_order_follows_the_code_list() -> None:
    """The roles come in the order of the code list as the administrator keeps it."""
    reordered = labels()
    roles = reordered["organisation_role"]
    reordered["organisation_role"] = dict(reversed(list(roles.items())))
    context = card_context(rich_doc(), "fi", reordered)
    assert [o.name for o in context.organisations][:2] == ["Alfa ry", "Zeta ry"]
    assert [o.name for o in context.organisations][-1] == "Vantaan kaupunki"


def test_several_leads_in_alphabetical_order() -> None:
    doc = rich_doc()
    for o in doc.organisations:
        if o.organisation.name in ("Åbo Akademi", "Zeta ry"):
            o.role = "paatoteuttaja"
    context = card_context(doc)
    assert context.project.lead == "Vantaan kaupunki, Zeta ry, Åbo Akademi"


# --- pages in LibreOffice ------------------------------------------------------------------


def pages(content: bytes, tmp_path: Any, name: str) -> int:
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(convert_to_pdf(content, name))
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert found, info
    return int(found.group(1))


@pytest.mark.slow
@pytest.mark.usefixtures("pdfinfo")
@pytest.mark.parametrize("lang", LANGS)
def test_minimal_and_typical_cards_are_one_page(soffice: str, lang: str, tmp_path: Any) -> None:
    assert pages(card(minimal_doc(), lang), tmp_path, f"minimal-{lang}") == 1
    assert pages(card(typical_doc(), lang), tmp_path, f"typical-{lang}") == 1


@pytest.mark.slow
@pytest.mark.usefixtures("pdfinfo")
@pytest.mark.parametrize("lang", LANGS)
def test_rich_card_is_two_pages_at_most(soffice: str, lang: str, tmp_path: Any) -> None:
    assert pages(card(rich_doc(), lang), tmp_path, f"rich-{lang}") <= 2
    # The Oulu card of the demo data, whose summary, goals, measures and results are long.
    oulu = demo_docs()["oulu_asunnottomat"]
    assert pages(card(oulu, lang), tmp_path, f"oulu-{lang}") <= 2
    # Sokra Kuopio: eleven descriptions, about 11 000 characters, shortened on the card.
    sokra = demo_docs()["sokra_arvio_kuopio"]
    assert pages(card(sokra, lang), tmp_path, f"sokra-{lang}") <= 2


@pytest.mark.parametrize("lang", LANGS)
def test_long_descriptions_are_shortened_on_the_card_and_it_says_so(lang: str) -> None:
    doc = demo_docs()["sokra_arvio_kuopio"].model_copy(deep=True)
    long_text = " ".join(["Kehittämistyön sana"] * 200)  # about 4 000 characters
    word = "x" * 100_000  # one word that no space can cut
    doc.sections[0].body = long_text
    doc.sections[1].body = word
    text = docx_text(card(doc, lang))
    assert long_text not in text and word not in text
    assert "Kehittämistyön sana Kehittämistyön sana" in text and "x" * 500 in text
    note = "Pitkät kuvaukset on lyhennetty kortille" if lang == "fi" else "Långa beskrivningar"
    assert note in text
    short = demo_docs()["oulu_asunnottomat"]
    assert all(len(s.body) <= 600 for s in short.sections)
    assert note not in docx_text(card(short, lang))  # nothing cut, nothing said


def test_rich_doc_is_rich() -> None:
    doc = rich_doc()
    assert len(doc.organisations) == 7 and len(doc.people) == 5 and len(doc.measures) == 5
    assert len(doc.summary) > 900 and doc.budget_amount == Decimal("1984000")
