"""The plain-text card importers on cards in the shapes real ones come in (tests/data/cards):
money in words, several funders per sentence, typo'd labels, contact lines, numbered lists,
missing parts, cut-off pages and UTF-16 files; and bounded work on long input."""

from __future__ import annotations

import contextlib
import time
from decimal import Decimal
from pathlib import Path

import pytest

from project_db.errors import ImportFailed, ValidationFailed
from project_db.importers import ParsedProject, available_formats, money, parse_source
from project_db.importers import text as t
from project_db.importers.esr_card import EsrCardImporter
from project_db.importers.eura2014 import Eura2014Importer
from project_db.importers.oulu_card import OuluCardImporter
from project_db.schemas import MAX_TEXT

CARDS = Path(__file__).resolve().parents[1] / "data" / "cards"
SEEDS = Path(__file__).resolve().parents[2] / "evaus" / "demo" / "seeds"


def card(name: str) -> bytes:
    return (CARDS / name).read_bytes()


def parse(data: bytes, format_name: str | None = None) -> ParsedProject:
    _importer, projects = parse_source(data, None, format_name)
    assert len(projects) == 1
    return projects[0]


def messages(parsed: ParsedProject) -> list[str]:
    return [w.render() for w in parsed.warnings]


def funding(parsed: ParsedProject) -> list[tuple[str, str | None, Decimal | None]]:
    return [(f.funder.name, f.funder_code, f.amount) for f in parsed.doc.funding]


# --- amounts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("250 000 euroa", Decimal(250000)),
        ("250 000 €", Decimal(250000)),
        ("250\u00a0000\u00a0€", Decimal(250000)),
        ("250.000 e", Decimal(250000)),
        ("250 000,50 €", Decimal("250000.50")),
        ("1,2 milj. euroa", Decimal(1200000)),
        ("1,2 miljoonaa euroa", Decimal(1200000)),
        ("5000 eur", Decimal(5000)),
        ("45 t€", Decimal(45000)),
        ("Kustannukset yhteensä: 398 000 euroa.", Decimal(398000)),
    ],
)
def test_amounts_in_finnish_forms(written: str, amount: Decimal) -> None:
    assert t.money_in(written) == amount


@pytest.mark.parametrize("written", ["10 e-kirjaa", "2 eri", "250,000 €", "S21234 €", "€", ""])
def test_what_is_no_amount_is_not_one(written: str) -> None:
    assert t.money_in(written) is None


def test_amounts_per_year() -> None:
    found = money.amounts_in("vuonna 2021 50 000 € ja 2022: 60 000 €; 2021–2023 300 000 €")
    assert [(a.value, a.year) for a in found] == [
        (Decimal(50000), 2021),
        (Decimal(60000), 2022),
        (Decimal(300000), None),
    ]


def test_several_funders_in_one_sentence() -> None:
    found = money.funding_in(
        "Kustannukset yhteensä: 398 000 euroa. Maaseuturahasto 250 000 euroa ELY-keskuksen "
        "kautta, Oulun kaupunki 148 000 eur."
    )
    assert found.total == Decimal(398000)
    assert [(f.code, f.name, f.amount) for f in found.funders] == [
        ("MAASEUTU", money.FUNDERS["MAASEUTU"][0], Decimal(250000)),
        ("KUNTA", "Oulun kaupunki", Decimal(148000)),
    ]


def test_money_in_words_in_the_seed_card_is_read_not_a_crash() -> None:
    seed = (SEEDS / "001_oulu_asunnottomat.txt").read_text(encoding="utf-8")
    data = seed.replace(
        "Tulokset ja hyödyt",
        "Kustannukset ja rahoitus\n\nKustannukset yhteensä: 398 000 euroa. Maaseuturahasto "
        "250 000 euroa ELY-keskuksen kautta, Oulun kaupunki 148 000 eur.\n\nTulokset ja hyödyt",
        1,
    )
    parsed = parse(data.encode())
    doc = parsed.doc
    assert (doc.budget_amount, doc.budget_class) == (Decimal(398000), "100000-500000")
    assert funding(parsed) == [
        ("Sosiaali- ja terveysministeriö", "STM", None),
        ("Oulun kaupunki", "KUNTA", Decimal(148000)),
        (money.FUNDERS["MAASEUTU"][0], "MAASEUTU", Decimal(250000)),
    ]
    assert all(f.funder_code != "ESR" for f in doc.funding)


# --- the cards ---------------------------------------------------------------------------------


def test_oulu_card_with_several_funders_in_running_text() -> None:
    parsed = parse(card("oulu_several_funders.txt"))
    doc = parsed.doc
    # The stated total, not a funder's share.
    assert (doc.budget_amount, doc.budget_class) == (Decimal(1200000), "yli-1000000")
    assert funding(parsed) == [
        ("Maaseuturahasto", "MAASEUTU", Decimal(720000)),
        ("Oulun kaupunki", "KUNTA", Decimal(300000)),
        ("Pohjois-Pohjanmaan hyvinvointialue", "HVA", Decimal(150000)),
        ("Oulun kaupunki, sivistys- ja kulttuuripalvelut", "OMA", Decimal(30000)),
        (money.FUNDERS["STEA"][0], "STEA", Decimal(45000)),
    ]
    # The ELY-keskus only channels the rural fund: no ESR, no ELY funder.
    assert not any("ELY" in f.funder.name or f.funder_code == "ESR" for f in doc.funding)
    assert "2022: 20000 €, 2023: 25000 €" in doc.notes
    assert any("amounts per year" in m for m in messages(parsed))
    person = doc.people[0]
    assert (person.person.name, person.role, person.person.email, person.person.phone) == (
        "Teemu Tervo",
        "Hankekoordinaattori",
        "teemu.tervo@ouka.fi",
        "+358 50 3217788",
    )


def test_another_citys_registry_card() -> None:
    parsed = parse(card("tampere_registry_card.txt"))
    doc = parsed.doc
    assert parsed.doc.name == "Ikäihmisten digituki kotiin"
    assert (doc.project_type, doc.status, doc.municipality, doc.region) == (
        "kunta",
        "kaynnissa",
        "Tampere",
        "pirkanmaa",
    )
    assert funding(parsed) == [
        ("Sosiaali- ja terveysministeriö", "STM", Decimal(180000)),
        ("Tampereen kaupunki", "KUNTA", Decimal(45000)),
    ]
    assert doc.budget_amount is None  # no total is stated; the shares are not summed
    assert [(o.organisation.name, o.role) for o in doc.organisations] == [
        ("Tampereen kaupunki", "paatoteuttaja"),
        ("Tampereen seudun Vanhustyön Tuki ry", "osatoteuttaja"),
    ]
    person = doc.people[0]
    assert (person.person.name, person.role, person.person.email, person.person.phone) == (
        "Outi Ojanen",
        "Projektipäällikkö",
        "outi.ojanen@tampere.fi",
        "+358 40 8062231",
    )
    assert person.person.organisation == "Tampereen kaupunki"
    assert "Oulu" not in doc.model_dump_json()


def test_eura_page_with_typos_and_contact_lines() -> None:
    parsed = parse(card("eura_typos_contact_lines.txt"))
    doc = parsed.doc
    person = doc.people[0]
    assert (person.person.name, person.role, person.person.email, person.person.phone) == (
        "Riikka Rantanen",
        "Hankepäällikkö",
        "riikka.rantanen@mikkeli.fi",
        "+358 44 7942210",
    )
    assert (doc.budget_amount, doc.funding[0].funder_code, doc.funding[0].amount) == (
        Decimal(640000),
        "ESR",
        Decimal(512000),
    )
    # Address and phone lines are fields kept as written, never section titles.
    assert [s.title for s in doc.sections] == ["Kustannukset ja rahoitus"]
    for line in ("Jakeluosoite: Maaherrankatu 9–11", "50100 Mikkeli", "Puhelin: 015 194 111"):
        assert line in doc.notes
    assert [g.title for g in doc.goals] == [
        "Vähintään 80 asukasta saa työkyvyn arvion.",
        "Arviointimalli otetaan käyttöön kaupungin palveluissa.",
    ]
    assert not any("incomplete" in m for m in messages(parsed))


def test_results_card_of_another_fund() -> None:
    parsed = parse(card("eakr_results_card.txt"))
    doc = parsed.doc
    assert (doc.eura_code, doc.project_type, doc.budget_class) == (
        "A74512",
        "muu",
        "100000-500000",
    )
    assert funding(parsed) == [("Keski-Suomen liitto", "EAKR", None)]
    assert [r.text for r in doc.results] == [
        "25 yritystä sai hyvinvointisuunnitelman.",
        "Kaksi uutta palvelutuotetta syntyi.",
    ]
    person = doc.people[0]
    assert (person.person.email, person.person.phone, person.role) == (
        "heikki.hirvonen@jamk.fi",
        "+358 40 5521903",
        "Projektipäällikkö",
    )


def test_numbered_results_are_separate_items() -> None:
    doc = parse(card("numbered_results_card.txt")).doc
    assert [(r.kind, r.text) for r in doc.results] == [
        ("result", "Perheet saavat ajan viikon sisällä."),
        ("result", "Etävastaanotolla käy vähintään 300 perhettä."),
        ("result", "Neuvolan ja perhetyön kirjaukset yhtenäistyvät."),
        ("result", "Työntekijät on koulutettu etätyöhön."),
        ("result", "Asiakaspalaute kerätään jokaiselta käynniltä."),
        ("result", "Toimintamalli vakiintuu."),
        ("impact", "Perheiden ongelmat tunnistetaan aiemmin."),
        ("impact", "Lastensuojelun avohuollon tarve vähenee."),
        ("impact", "Perheiden luottamus palveluihin kasvaa."),
    ]
    assert [(i.target, i.unit) for i in doc.indicators] == [(Decimal(300), "perhettä")]


def test_a_summary_made_of_sub_headings_is_no_missing_summary() -> None:
    data = card("numbered_results_card.txt").replace(
        "Tiivistelmä   Hankkeessa avataan perhekeskukseen etävastaanotto.\n".encode(),
        "Tiivistelmä\n".encode(),
    )
    parsed = parse(data)
    assert parsed.doc.summary == ""
    assert len(parsed.doc.results) == 9
    assert not any("incomplete" in m for m in messages(parsed))


def test_card_with_missing_parts_warns() -> None:
    parsed = parse(card("missing_sections_card.txt"))
    assert parsed.doc.funding == []  # no funder is named: none is invented
    assert any(
        "incomplete" in m and "Tietoja hankkeesta" in m and "Lyhyt selostus hankkeesta" in m
        for m in messages(parsed)
    )


def test_truncated_eura_page_warns_and_makes_no_section_of_the_cut_line() -> None:
    parsed = parse(card("eura_truncated.txt"))
    doc = parsed.doc
    assert doc.sections == []
    assert doc.eura_code == "S23001"
    assert any(
        "incomplete" in m and "Hakijan virallinen nimi" in m and "Kustannukset yhteensä" in m
        for m in messages(parsed)
    )


def test_seed_eura_page_cut_at_thirty_percent_warns() -> None:
    from tests.unit.test_importers_cards import EURA_PAGE

    data = EURA_PAGE.encode()
    for share in (0.3, 0.45):
        parsed = parse(data[: int(len(data) * share)], "eura2014")
        assert any("incomplete" in m for m in messages(parsed))
        assert all(len(s.title) > 1 for s in parsed.doc.sections)


def test_utf16_card_with_and_without_bom() -> None:
    with_bom = card("utf16_card.txt")
    assert with_bom.startswith(b"\xff\xfe")
    text = with_bom.decode("utf-16")
    for data in (with_bom, text.encode("utf-16-le"), text.encode("utf-16-be")):
        parsed = parse(data)
        doc = parsed.doc
        assert doc.name == "Nuorten työpajan kehittäminen"
        assert doc.budget_amount == Decimal(210000)
        assert funding(parsed) == [
            ("Euroopan sosiaalirahasto", "ESR", Decimal(168000)),
            ("Jyväskylän kaupunki", "KUNTA", Decimal(42000)),
        ]
        assert doc.people[0].person.email == "jaana.jarvi@jyvaskyla.fi"


# --- labels, lists, funders -------------------------------------------------------------------


def test_labels_are_matched_by_similarity() -> None:
    labels = {"yhteyshenkilön sähköpostiosoite": "email", "kunta": "municipality"}
    assert t.match_label("Yhteyshenkilön sähköpostisoite: a@b.fi", labels) == ("email", "a@b.fi")
    assert t.match_label("Kunat: Oulu", labels) is None  # short labels only exactly
    assert t.match_label("Aivan muu otsikko: teksti", labels) is None


def test_numbered_list_items() -> None:
    assert t.list_items(["1. Yksi", "2) Kaksi", "jatkuu", "", "3. Kolme"]) == [
        "Yksi",
        "Kaksi jatkuu",
        "Kolme",
    ]
    assert t.list_items(["1. Yksi. 2. Kaksi. 3. Kolme."]) == ["Yksi.", "Kaksi.", "Kolme."]
    assert t.list_items(["Vuonna 2. Kerran tapahtui 1. Jotain."]) == [
        "Vuonna 2. Kerran tapahtui 1. Jotain."
    ]


def test_ely_centre_alone_names_no_fund() -> None:
    assert t.funder_code("Pohjois-Pohjanmaan ELY-keskus") == "MUU"
    assert t.funder_code("Manner-Suomen maaseudun kehittämisohjelma") == "MAASEUTU"
    assert t.funder_code("EAKR") == "EAKR"


def test_funder_codes_are_in_the_code_list() -> None:
    from project_db.codes import DEFAULT_CODE_LISTS

    listed = {entry[0] for entry in DEFAULT_CODE_LISTS["funder"]}
    assert {"ESR", "EAKR", "MAASEUTU", "STEA", "STM", "KUNTA", "HVA", "OMA", "MUU"} <= listed


# --- bounded work ---------------------------------------------------------------------------


def _parse_all(data: bytes) -> None:
    for importer in available_formats().values():
        with contextlib.suppress(ImportFailed, ValidationFailed):
            importer.parse(data, None)


def test_long_card_is_linear_and_notes_stay_within_their_limit() -> None:
    seed = (SEEDS / "001_oulu_asunnottomat.txt").read_bytes()
    summary = seed[seed.index("Tiivistelmä".encode()) : seed.index("Käsittelyvaihe".encode())]
    data = seed + (b"\n" + summary) * 80  # about 400 KB
    start = time.monotonic()
    parsed = OuluCardImporter().parse(data, None)[0]
    assert time.monotonic() - start < 20
    assert len(parsed.doc.notes) <= MAX_TEXT
    assert any("more than the" in m for m in messages(parsed))


@pytest.mark.parametrize("word", ["A" * 100_000, "a.a" * 33_000, "1 000 " * 16_000 + "€"])
def test_a_long_word_through_every_importer(word: str) -> None:
    seed = (SEEDS / "001_oulu_asunnottomat.txt").read_text(encoding="utf-8")
    data = seed.replace("Tavoitetaan", word, 1).replace(
        "Tulokset ja hyödyt", f"Kustannukset\n{word}\n\nTulokset", 1
    )
    start = time.monotonic()
    _parse_all(data.encode())
    assert time.monotonic() - start < 30


def test_money_dense_costs_text_is_linear() -> None:
    costs = "STM 1 000 €, vuonna 2021 5 e, Oulun kaupunki 7 eur, " * 4000
    start = time.monotonic()
    found = money.funding_in(costs)
    assert time.monotonic() - start < 10
    assert [f.code for f in found.funders] == ["STM", "KUNTA"]


def test_eura_and_esr_importers_parse_their_cards() -> None:
    assert Eura2014Importer().detect(card("eura_typos_contact_lines.txt"), None) > 0.2
    assert EsrCardImporter().detect(card("missing_sections_card.txt"), None) > 0.2
