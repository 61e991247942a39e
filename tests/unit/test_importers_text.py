"""The shared plain-text helpers of the importers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from project_db.errors import ImportFailed
from project_db.importers import text as t


def test_decode_utf8_with_bom_and_cp1252() -> None:
    assert t.decode("\ufeffKäynnissä".encode()) == "Käynnissä"
    assert t.decode("Päättymispvm".encode("cp1252")) == "Päättymispvm"


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\n", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", bytes(range(1, 32)) * 20],
)
def test_decode_refuses_empty_and_binary(data: bytes) -> None:
    with pytest.raises(ImportFailed):
        t.decode(data)


def test_binary_message_is_a_message_id() -> None:
    with pytest.raises(ImportFailed) as caught:
        t.decode(b"PK\x03\x04\x00\x00binary")
    assert caught.value.message == "The file is not a text file."


def test_lines_are_cleaned() -> None:
    lines = t.to_lines("Salkku \u00a0 Hyvinvointi\u00a0\r\nrivi\x07 kaksi\u200b  \n")
    assert lines == ["Salkku   Hyvinvointi", "rivi kaksi", ""]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("• Kehittää palveluja", "Kehittää palveluja"),
        ("  – Asiakasmäärä noin 350.", "Asiakasmäärä noin 350."),
        ("- selkeä johtaminen", "selkeä johtaminen"),
        ("* tähti", "tähti"),
        ("-periaatteella", None),
        ("*", None),
        ("Tavallinen rivi", None),
    ],
)
def test_bullet_text(line: str, expected: str | None) -> None:
    assert t.bullet_text(line) == expected


def test_list_items_join_continuation_lines() -> None:
    lines = ["– Asiakkaista 70 % saa palvelua ja edistää", "osallisuutta.", "– Toinen.", ""]
    assert t.list_items(lines) == [
        "Asiakkaista 70 % saa palvelua ja edistää osallisuutta.",
        "Toinen.",
    ]


def test_field_lines() -> None:
    assert t.field_line("Hanketyyppi   Oulun kaupungin hanke") == (
        "Hanketyyppi",
        "Oulun kaupungin hanke",
    )
    assert t.field_line("EURA-tunnus: S20397") == ("EURA-tunnus", "S20397")
    assert t.field_line("Salkku\tHyvinvointisalkku") == ("Salkku", "Hyvinvointisalkku")
    assert t.field_line("Tämä on lause, jossa ei ole kenttää.") is None
    labels = {"hankkeen nimi": "name", "toimintalinja": "line"}
    assert t.match_label("Hankkeen nimi   X", labels) == ("name", "X")
    assert t.match_label("Toimintalinja 5 (ESR) | 1.1.2020", labels) is None
    assert t.match_label("Toimintalinja 5 (ESR)", labels, loose=True) == ("line", "5 (ESR)")


def test_headings_by_structure() -> None:
    lines = [
        "Johdanto tekstiä.",
        "",
        "Odotettavissa olevat tulokset",
        "",
        "• Tulos yksi.",
        "",
        "Aivan uusi otsikko",
        "",
        "Teksti.",
        "Alaotsikko ilman tyhjää riviä",
        "Teksti jatkuu.",
    ]
    blocks = t.split_blocks(lines)
    assert [b.title for b in blocks] == [
        None,
        "Odotettavissa olevat tulokset",
        "Aivan uusi otsikko",
    ]
    assert blocks[1].role == "results"
    assert blocks[2].kind == "muu"
    assert "Alaotsikko ilman tyhjää riviä" in blocks[2].body


def test_known_heading_kinds() -> None:
    assert t.section_kind("Toimintaympäristö **") == "toimintaymparisto"
    assert t.section_kind("Kohderyhmä: Yhteiskehittämisestä uusia") == "kohderyhma"
    assert t.logic_role("Hankkeen tavoitteena on:") == "goals"
    assert t.logic_role("Pitkän aikavälin tulokset") == "impacts"
    assert t.logic_role("Kustannukset ja rahoitus") == "budget"
    assert not t.is_known_heading("Budjetti: Yli 1000000 €")


def test_people_from_running_text_with_email_pattern() -> None:
    text = (
        "Vastuullinen johtaja sosiaalijohtaja Arja Heikkinen, 044 703 4034. "
        "Yhteyshenkilö: Katja Karppinen, 044 703 6170."
    )
    people = t.people_from_text(text, "etunimi.sukunimi(at)ouka.fi,")
    assert [(p.name, p.role, p.email, p.phone) for p in people] == [
        (
            "Arja Heikkinen",
            "Vastuullinen johtaja, sosiaalijohtaja",
            "arja.heikkinen@ouka.fi",
            "044 703 4034",
        ),
        ("Katja Karppinen", "Yhteyshenkilö", "katja.karppinen@ouka.fi", "044 703 6170"),
    ]


def test_email_pattern_folds_finnish_letters() -> None:
    assert t.email_from_pattern("etunimi.sukunimi(at)ouka.fi", "Äijä Öhman-Åberg") == (
        "aija.ohman-aberg@ouka.fi"
    )
    assert t.email_from_pattern("info(at)ouka.fi", "Matti Meikäläinen") is None


def test_person_from_block() -> None:
    person = t.person_from_block(
        [
            "Projektipäällikkö",
            "Ilkka Peltomaa",
            "ilkka.peltomaa@valkeakoski.fi",
            "Puh. 040 335 7319",
        ]
    )
    assert person == t.PersonFound(
        "Ilkka Peltomaa", "Projektipäällikkö", "ilkka.peltomaa@valkeakoski.fi", "040 335 7319"
    )
    assert t.person_from_block(["vain tekstiä ilman nimeä"]) is None


def test_quantified_targets() -> None:
    targets = t.quantified_targets(
        "Asutetaan vähintään 20 kaikkein heikoimmassa asemassa olevaa asunnotonta henkilöä "
        "asunto ensin -periaatteella normaaliin asuntokantaan."
    )
    assert targets == [
        t.Target(
            "Asutetaan vähintään 20 kaikkein heikoimmassa asemassa olevaa asunnotonta henkilöä",
            "henkilöä",
            Decimal(20),
        )
    ]
    assert t.quantified_targets("Asiakasmäärä noin 350.")[0].target == Decimal(350)
    pct = t.quantified_targets("Asiakkaista 70 % saa palvelua, joka vahvistaa arkea.")
    assert [(p.name, p.unit, p.target) for p in pct] == [
        ("Asiakkaista 70 % saa palvelua", "%", Decimal(70))
    ]
    # Years, dates and ranges are no targets.
    assert (
        t.quantified_targets("vuoteen 2023 mennessä vuosina 2008-2015, 1.11.2020, (18 - 30)") == []
    )


def test_code_lists() -> None:
    assert t.budget_class("Yli 1000000 €") == "yli-1000000"
    assert t.budget_class("Alle 100 000 €") == "alle-100000"
    assert t.budget_class("100 000 – 500 000 €") == "100000-500000"
    assert t.budget_class("paljon") is None
    assert t.budget_class_for(Decimal("750000")) == "500000-1000000"
    assert t.money_in("Kustannukset yhteensä: 1 250 000,50 €") == Decimal("1250000.50")
    assert t.funder_code("Sosiaali- ja terveysministeriö") == "STM"
    assert t.funder_code("STEA") == "STEA"
    # An ELY-keskus channels several funds: alone it names none (the card's programme does).
    assert t.funder_code("Keski-Suomen ELY-keskus") == "MUU"
    assert t.funder_code("Maaseuturahasto") == "MAASEUTU"
    assert t.funder_code("Euroopan aluekehitysrahasto (EAKR)") == "EAKR"
    assert t.funder_code("Euroopan sosiaalirahasto") == "ESR"
    assert t.funder_code("Oulun kaupunki") == "KUNTA"
    assert t.funder_code("Pohjois-Pohjanmaan hyvinvointialue") == "HVA"
    assert t.funder_code("Jokin rahasto") == "MUU"
    assert t.org_type("Oulun kaupunki") == "kunta"
    assert t.org_type("Pohjois-Savon hyvinvointialue") == "hyvinvointialue"
    assert t.org_type("Keski-Suomen ELY-keskus") == "valtio"
    assert t.org_type("Sovatek-säätiö") == "jarjesto"
    assert t.org_type("Savonia-ammattikorkeakoulu") == "oppilaitos"
    assert t.org_type("Esimerkki Oy") == "yritys"
    assert t.org_type("Hyvinvointipalvelut") is None
    assert t.status_code("Hanke loppunut") == "paattynyt"
    assert t.status_code("Toiminta päättynyt") == "paattynyt"
    assert t.status_code("Käynnissä") == "kaynnissa"
    assert t.project_type_code("Oulun kaupungin hanke") == "kunta"
    assert t.project_type_code("ESR-hanke") == "esr"


def test_regions() -> None:
    assert len(t.REGIONS) == 19
    assert t.region_code("Pirkanmaa") == "pirkanmaa"
    assert t.region_code("pohjois-pohjanmaan") == "pohjois-pohjanmaa"
    assert t.region_code("Päijät-Häme") == "paijat-hame"
    assert t.region_code("Itä-Uusimaa") is None
    assert all(code.isascii() and code == code.lower() for code in t.REGIONS.values())


def test_names_in_text() -> None:
    assert t.split_short_name("Etelä-Pirkanmaan sosiaalisen kuntoutuksen hanke – SoKu") == (
        "Etelä-Pirkanmaan sosiaalisen kuntoutuksen hanke",
        "SoKu",
    )
    assert t.split_short_name("Sosiaali- ja terveyspalvelut") == (
        "Sosiaali- ja terveyspalvelut",
        None,
    )
    text = "Toimintaan osallistuu Jyväskylän kaupunki ja Sovatek-Säätiö (STEA) sekä STM:n hanke."
    assert t.organisations_named(text) == ["Jyväskylän kaupunki", "Sovatek-säätiö"]
    assert t.funders_mentioned(text) == ["STEA", "STM"]


def test_draft_drops_an_invalid_value_and_keeps_it_in_the_notes() -> None:
    draft = t.Draft("test")
    draft.set("name", "Hanke")
    draft.set_date("start_date", "31.2.2020", "Aloituspäivä")
    draft.data["people"] = [{"person": {"name": "Matti Meikäläinen", "email": "ei-osoite"}}]
    parsed = draft.finish("no name")
    assert parsed.doc.start_date is None
    assert parsed.doc.people[0].person.email is None
    assert "Aloituspäivä: 31.2.2020" in parsed.doc.notes
    assert "ei-osoite" in parsed.doc.notes
    assert {w.params.get("value") for w in parsed.warnings} >= {"31.2.2020", "ei-osoite"}
    assert parsed.doc.source_key == "test:hanke"


def test_draft_without_name_fails() -> None:
    with pytest.raises(ImportFailed):
        t.Draft("test").finish("no name")
