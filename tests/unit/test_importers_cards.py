"""The plain-text card importers on the real seeds, on cards written in the same shape with
other wording, and on bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from project_db.errors import ImportFailed
from project_db.importers import ParsedProject
from project_db.importers.esr_card import EsrCardImporter
from project_db.importers.eura2014 import Eura2014Importer
from project_db.importers.innokyla import InnokylaImporter
from project_db.importers.oulu_card import OuluCardImporter
from project_db.importers.sokra_evaluation import SokraEvaluationImporter

SEEDS = Path(__file__).resolve().parents[2] / "evaus" / "demo" / "seeds"
OULU, ESR, EURA = OuluCardImporter(), EsrCardImporter(), Eura2014Importer()
INNOKYLA, SOKRA = InnokylaImporter(), SokraEvaluationImporter()
ALL = [OULU, ESR, EURA, INNOKYLA, SOKRA]


def seed(name: str) -> bytes:
    return (SEEDS / name).read_bytes()


def parse_one(importer: object, data: bytes) -> ParsedProject:
    projects = importer.parse(data, None)  # type: ignore[attr-defined]
    assert len(projects) == 1
    return projects[0]  # type: ignore[no-any-return]


def messages(parsed: ParsedProject) -> list[str]:
    return [w.render() for w in parsed.warnings]


# --- sources written for the tests ----------------------------------------------------------

OULU_OTHER = """Oulun kaupungin kehittämissalkut - hanketietokanta

Nuorten perheiden tuki
*
Hankkeen nimi \u00a0 Nuorten perheiden tuki
Hanketyyppi \u00a0 Oulun kaupungin hanke
Salkku \u00a0 Hyvinvointisalkku 2021-2025
Tiivistelmä \u00a0 Hankkeessa kehitetään lapsiperheiden kotiin vietäviä palveluja.

Kohderyhmänä ovat alle kouluikäisten lasten perheet.

Tavoitteet
• Perheet saavat tuen nopeammin.
• Neuvolan ja sosiaalityön yhteistyö tiivistyy.

Toimenpiteet
• Tavoitetaan noin 120 perhettä kotikäynneillä.
• Koulutetaan työntekijöitä.

Odotettavissa olevat tulokset
• Noin 120 perhettä saa tukea kotiin.
• Jonot lyhenevät.

Kustannukset ja rahoitus
Hankkeen kokonaiskustannukset yhteensä 450 000 €.

Viestintä

Hankkeesta tiedotetaan kaupungin verkkosivuilla.

Käsittelyvaihe \u00a0 Valmistelussa
Aloittamispvm \u00a0 1.1.2022
Päättymispvm \u00a0 31.12.2023
Rahoittajat \u00a0
STEA
Pohjois-Pohjanmaan hyvinvointialue
Toteuttajat \u00a0
Lasten ja nuorten palvelut
Yhteyshenkilöt \u00a0 Projektipäällikkö Liisa Äyräpää, 040 123 4567.
Sähköposti: etunimi.sukunimi(at)ouka.fi
Liitteet \u00a0
© Oulun kaupunki - palaute@ouka.fi
"""

ESR_OTHER = """Lapin nuorten osallisuushanke – LANU

Nuorten osallisuuden vahvistaminen Lapissa.

Toimintalinja 5 (ESR) | 1.2.2017 – 31.1.2020 | Lappi

Käynnissä
Tutustu hankkeeseen

Projektitiimi:

Projektikoordinaattori
Sanna Saarinen
sanna.saarinen@rovaniemi.fi
Puh. 040 765 4321

Nuorisotyöntekijä
Pekka Pouta
pekka.pouta@rovaniemi.fi

Tietoja hankkeesta:

Hankkeen rahoittaja: Lapin ELY-keskus
EURA-tunnus: S21999
Toteuttajaorganisaatio: Rovaniemen kaupunki
Maakunta: Lappi
Aloituspäivä: 01.02.2017
Lopetuspäivä: 31.01.2020
Budjetti: 100000 - 500000 €
Toimintalinja: Toimintalinja 5 (ESR)
Erityistavoite: Syrjäytymisvaarassa olevien nuorten osallisuuden lisääminen

Lyhyt selostus hankkeesta:

Hanke kehittää nuorten ohjausta ja vertaistoimintaa.

Tulokset

– Vähintään 60 nuorta osallistuu ryhmiin.
– Ohjausmalli vakiintuu.

Pitkän aikavälin tulokset

– Nuorten syrjäytyminen vähenee.

Yhteistyökumppanit

Seurakunta ja paikalliset yhdistykset.
"""

EURA_PAGE = """EURA 2014 – Hankkeen tiedot

1 Hanke
Hankekoodi: S21234
Hankkeen nimi: Nuorten polut työelämään – NUPO
Toimintalinja: 5 Sosiaalinen osallisuus ja köyhyyden torjunta (ESR)
Erityistavoite: 10.1 Työelämän ulkopuolella olevien työ- ja toimintakyvyn parantaminen
Suunnitelman mukainen toteutusaika: Alkaa 1.3.2016 ja päättyy 28.2.2019
Toiminnan tila: Toiminta päättynyt
Vastuuviranomainen: Pohjois-Savon ELY-keskus

2 Hakijan perustiedot
Hakijan virallinen nimi: Kuopion kaupunki
Organisaatiotyyppi: Kunta
Y-tunnus: 0171450-7
Hankkeen yhteyshenkilön nimi: Maija Mallikas
Hankkeen yhteyshenkilön asema: Projektipäällikkö
Hankkeen yhteyshenkilön sähköposti: maija.mallikas(at)kuopio.fi
Hankkeen yhteyshenkilön puhelin: 044 718 2345
Jakeluosoite: Suokatu 42

3 Suunnitelman mukainen tiivistelmä toteutuksesta
Hankkeessa kehitetään nuorille matalan kynnyksen ohjausta yhdessä kunnan ja järjestöjen kanssa.

Hanke tavoittaa nuoria, jotka ovat koulutuksen ja työelämän ulkopuolella.

4 Hankkeen tavoitteet
• Vähintään 150 nuorta saa henkilökohtaista ohjausta.
• Ohjauksen malli vakiintuu osaksi kaupungin palveluja.

5 Alueet
Maakunta: Pohjois-Savo
Kunnat: Kuopio, Siilinjärvi

6 Kustannukset ja rahoitus
Kustannukset yhteensä: 1 250 000 €
EU- ja valtion rahoitus: 1 000 000 €
Omarahoitus: 250 000 €
"""

INNOKYLA_OTHER = """Ikäihmisten kotikuntoutus yhteistyössä

Malli kokoaa kotihoidon ja järjestöjen vapaaehtoiset saman pöydän ääreen.

Toimintaympäristö

Tampereen kaupunki järjestää kotihoidon; Kalliola-säätiö tuo vapaaehtoiset (STEA).

Ratkaisun perusidea

Kotihoidon työntekijä ja vapaaehtoinen tekevät yhteisen suunnitelman.

Vinkit toimintamallin soveltajille
- sopikaa vastuut
- kouluttakaa vapaaehtoiset

Hyödyt asiakkaille

Asiakkaat liikkuvat enemmän.
"""

SOKRA_OTHER = """

Arvio toimintamallista: Vertaisohjaajat nuorten tukena

Vertaisohjaajat tukevat nuoria palveluissa.

Malli on arvioitu² osana Sokran kehittämistyötä.

Kehittäjä

Nuorten vertaistuki Lahdessa (ESR 2017–2020). Malli kehitettiin kaupungin nuorisopalveluissa.

Kehittäjän yhteyshenkilö: Ville Vertanen, Lahden kaupunki,
ville.vertanen@lahti.fi

Mallin kuvaus

Ohjaajien valinta

Vertaisohjaajat valittiin nuorten joukosta ja he saivat koulutuksen, jonka jälkeen

² Arvio perustuu hankkeen dokumentteihin.

Kestävää kasvua ja työtä -ohjelma

Vipuvoimaa
EU:lta
2014–2020

thl

Diak

Euroopan unioni
Euroopan sosiaalirahasto

he ohjasivat ryhmiä kerran viikossa.

Mallin arvio

Osallisuus

Nuoret kokivat tulleensa kuulluiksi.
"""


# --- Oulu card --------------------------------------------------------------------------------


def test_oulu_seed() -> None:
    parsed = parse_one(OULU, seed("001_oulu_asunnottomat.txt"))
    doc = parsed.doc
    assert doc.name == "Asunnottomien sosiaali- ja terveyspalveluiden kehittämishanke"
    assert (doc.project_type, doc.portfolio, doc.status) == (
        "kunta",
        "Hyvinvointisalkku 2014-2020",
        "kaynnissa",
    )
    assert doc.start_date == doc.end_date == date(2020, 11, 1)
    assert any("same day" in m for m in messages(parsed))
    assert (doc.region, doc.municipality) == ("pohjois-pohjanmaa", "Oulu")
    assert doc.summary.startswith("Oulun kaupunki osallistuu hallitusohjelman")
    assert "Hankkeen kohderyhmänä ovat oululaiset nuoret aikuiset" in doc.summary
    assert "Hankkeen tavoitteena on" not in doc.summary
    assert len(doc.goals) == 3 and doc.goals[0].title.startswith("Kehittää asiakaslähtöisiä")
    assert len(doc.measures) == 7 and doc.measures[0].key == "m1"
    assert len(doc.results) == 5 and {r.kind for r in doc.results} == {"result"}
    assert [(i.target, i.unit, i.measure_key) for i in doc.indicators] == [
        (Decimal(200), "henkilöä", "m1"),
        (Decimal(20), "henkilöä", "m2"),
    ]
    funders = [(f.funder.name, f.funder_code, f.funder.org_type) for f in doc.funding]
    assert funders == [
        ("Sosiaali- ja terveysministeriö", "STM", "valtio"),
        ("Oulun kaupunki", "KUNTA", "kunta"),
    ]
    assert [(o.organisation.name, o.role) for o in doc.organisations] == [
        ("Oulun kaupunki, hyvinvointipalvelut", "paatoteuttaja")
    ]
    people = [(p.person.name, p.role, p.person.email, p.is_contact) for p in doc.people]
    assert people == [
        (
            "Arja Heikkinen",
            "Vastuullinen johtaja, sosiaalijohtaja",
            "arja.heikkinen@ouka.fi",
            True,
        ),
        ("Katja Karppinen", "Yhteyshenkilö", "katja.karppinen@ouka.fi", True),
    ]
    assert doc.people[0].person.phone == "+358 44 7034034"
    assert (
        doc.source_key == "oulu-card:asunnottomien sosiaali- ja terveyspalveluiden kehittämishanke"
    )
    assert doc.notes == ""


def test_oulu_card_with_other_wording() -> None:
    parsed = parse_one(OULU, OULU_OTHER.encode())
    doc = parsed.doc
    assert doc.name == "Nuorten perheiden tuki"
    assert doc.status == "valmistelussa"
    assert (doc.start_date, doc.end_date) == (date(2022, 1, 1), date(2023, 12, 31))
    assert "alle kouluikäisten" in doc.summary
    assert [g.title for g in doc.goals] == [
        "Perheet saavat tuen nopeammin.",
        "Neuvolan ja sosiaalityön yhteistyö tiivistyy.",
    ]
    assert len(doc.measures) == 2
    assert [r.text for r in doc.results] == [
        "Noin 120 perhettä saa tukea kotiin.",
        "Jonot lyhenevät.",
    ]
    # The results repeat the measure's "noin 120 perhettä": one indicator.
    assert [(i.target, i.unit, i.measure_key) for i in doc.indicators] == [
        (Decimal(120), "perhettä", "m1")
    ]
    assert (doc.budget_amount, doc.budget_class) == (Decimal(450000), "100000-500000")
    titles = {s.title: s.kind for s in doc.sections}
    assert titles == {"Kustannukset ja rahoitus": "muu", "Viestintä": "muu"}
    assert [(f.funder_code) for f in doc.funding] == ["STEA", "HVA"]
    assert doc.organisations[0].organisation.name == "Oulun kaupunki, lasten ja nuorten palvelut"
    person = doc.people[0]
    assert (person.person.name, person.role, person.person.email) == (
        "Liisa Äyräpää",
        "Projektipäällikkö",
        "liisa.ayrapaa@ouka.fi",
    )
    assert parsed.warnings == []


def test_oulu_card_in_windows_1252() -> None:
    doc = parse_one(OULU, OULU_OTHER.replace("\u00a0", " ").encode("cp1252")).doc
    assert doc.people[0].person.name == "Liisa Äyräpää"


def test_oulu_truncated_card_has_no_name() -> None:
    first_five = b"\n".join(seed("001_oulu_asunnottomat.txt").split(b"\n")[:5])
    with pytest.raises(ImportFailed) as caught:
        OULU.parse(first_five, None)
    assert "Hankkeen nimi" in caught.value.message


def test_oulu_card_cut_after_the_type_warns() -> None:
    first_lines = b"\n".join(seed("001_oulu_asunnottomat.txt").split(b"\n")[:7])
    parsed = parse_one(OULU, first_lines)
    assert parsed.doc.name.startswith("Asunnottomien")
    assert any("incomplete" in m and "Tiivistelmä" in m for m in messages(parsed))


def test_oulu_impossible_date_is_left_empty_and_kept() -> None:
    data = OULU_OTHER.replace("Aloittamispvm \u00a0 1.1.2022", "Aloittamispvm \u00a0 31.2.2020")
    parsed = parse_one(OULU, data.encode())
    assert parsed.doc.start_date is None
    assert parsed.doc.end_date == date(2023, 12, 31)
    assert "Aloittamispvm: 31.2.2020" in parsed.doc.notes
    assert any(w.params.get("value") == "31.2.2020" for w in parsed.warnings)


def test_oulu_markup_and_control_characters_are_plain_text() -> None:
    dirty = 'Hinta <b>1 & 2</b>\x07 =HYPERLINK("http://x")\x00 loppu.'
    data = OULU_OTHER.replace(
        "Hankkeessa kehitetään lapsiperheiden kotiin vietäviä palveluja.", dirty
    )
    data_bytes = data.encode().replace(b"\x00", b"")  # a NUL would make it binary
    doc = parse_one(OULU, data_bytes).doc
    assert 'Hinta <b>1 & 2</b> =HYPERLINK("http://x") loppu.' in doc.summary
    assert "\x07" not in doc.summary


def test_oulu_unknown_header_text_goes_to_notes() -> None:
    data = OULU_OTHER.replace(
        "Nuorten perheiden tuki\n*", "Nuorten perheiden tuki\nPäivitetty 5.5.2022"
    )
    parsed = parse_one(OULU, data.encode())
    assert "Päivitetty 5.5.2022" in parsed.doc.notes
    assert any("could not be placed" in m for m in messages(parsed))


# --- ESR card --------------------------------------------------------------------------------


def test_esr_seed() -> None:
    parsed = parse_one(ESR, seed("004_esr_soku.txt"))
    doc = parsed.doc
    assert (doc.name, doc.short_name) == (
        "Etelä-Pirkanmaan sosiaalisen kuntoutuksen hanke – SoKu",
        "SoKu",
    )
    assert (doc.eura_code, doc.action_line) == ("S20397", "Toimintalinja 5 (ESR)")
    assert (
        doc.specific_objective
        == "Työelämän ulkopuolella olevien työ- ja toimintakyvyn parantaminen"
    )
    assert (doc.project_type, doc.status, doc.region) == ("esr", "paattynyt", "pirkanmaa")
    assert (doc.start_date, doc.end_date) == (date(2015, 9, 1), date(2018, 11, 30))
    assert doc.budget_class == "yli-1000000"
    assert doc.summary.startswith(
        "Sosiaalisen kuntoutuksen kehittäminen ja osallisuuden lisääminen."
    )
    assert "monikanavaisten palvelujen avulla" in doc.summary
    assert [(f.funder.name, f.funder_code) for f in doc.funding] == [
        ("Keski-Suomen ELY-keskus", "ESR")
    ]
    assert [(o.organisation.name, o.role) for o in doc.organisations] == [
        ("Valkeakosken kaupunki", "paatoteuttaja")
    ]
    assert len(doc.people) == 8 and all(p.is_team for p in doc.people)
    first = doc.people[0]
    assert (first.person.name, first.role, first.person.email, first.is_contact) == (
        "Ilkka Peltomaa",
        "Projektipäällikkö",
        "ilkka.peltomaa@valkeakoski.fi",
        True,
    )
    assert doc.people[6].person.name == "Jaana Romo-inkeri"
    assert [r.kind for r in doc.results] == ["result"] * 4 + ["impact"] * 5
    assert doc.results[1].text.endswith("ehkäisee syrjäytymistä ja edistää osallisuutta.")
    assert [(i.target, i.unit) for i in doc.indicators] == [(Decimal(350), ""), (Decimal(70), "%")]
    kinds = [(s.kind, s.title) for s in doc.sections]
    assert ("ratkaisun_kuvaus", "Ratkaisun kuvaus") in kinds
    assert ("kehittyminen_ennen", "Ennen hanketta") in kinds
    assert ("kehittyminen_aikana", "Hankkeen aikana") in kinds
    assert ("toimintatavat", "Toimintatavat") in kinds
    assert kinds[-1] == ("muu", "Eri tahojen merkitys")
    solution = next(s for s in doc.sections if s.kind == "ratkaisun_kuvaus")
    assert "Ryhmävalmennus\nRyhmävalmennus toteutetaan" in solution.body
    assert "– vertaisryhmät" in solution.body
    assert doc.source_key == "eura:S20397"
    assert doc.notes == ""


def test_esr_card_for_another_project() -> None:
    parsed = parse_one(ESR, ESR_OTHER.encode())
    doc = parsed.doc
    assert (doc.name, doc.short_name, doc.eura_code) == (
        "Lapin nuorten osallisuushanke – LANU",
        "LANU",
        "S21999",
    )
    assert (doc.status, doc.region, doc.budget_class) == ("kaynnissa", "lappi", "100000-500000")
    assert (doc.start_date, doc.end_date) == (date(2017, 2, 1), date(2020, 1, 31))
    assert [p.person.name for p in doc.people] == ["Sanna Saarinen", "Pekka Pouta"]
    assert doc.people[1].person.phone is None
    assert doc.funding[0].funder_code == "ESR"
    assert doc.organisations[0].organisation.name == "Rovaniemen kaupunki"
    assert [(i.target, i.unit) for i in doc.indicators] == [(Decimal(60), "nuorta")]
    assert doc.sections[-1].title == "Yhteistyökumppanit"
    assert doc.sections[-1].body == "Seurakunta ja paikalliset yhdistykset."
    assert parsed.warnings == []


def test_esr_truncated_card_warns() -> None:
    first_five = b"\n".join(seed("004_esr_soku.txt").split(b"\n")[:5])
    parsed = parse_one(ESR, first_five)
    assert parsed.doc.name == "Etelä-Pirkanmaan sosiaalisen kuntoutuksen hanke – SoKu"
    assert parsed.doc.start_date == date(2015, 9, 1)
    assert any("incomplete" in m and "EURA-tunnus" in m for m in messages(parsed))


def test_esr_impossible_date_and_unknown_fact() -> None:
    data = ESR_OTHER.replace("Aloituspäivä: 01.02.2017", "Aloituspäivä: 31.2.2020").replace(
        "Maakunta: Lappi", "Maakunta: Lappi\nHankkeen kotisivu: www.example.fi"
    )
    # The title line still gives the start date; the fact with the bad date is reported.
    parsed = parse_one(ESR, data.encode())
    assert "Aloituspäivä: 31.2.2020" in parsed.doc.notes
    assert "Hankkeen kotisivu: www.example.fi" in parsed.doc.notes
    assert any(w.params.get("value") == "31.2.2020" for w in parsed.warnings)


# --- EURA 2014 -------------------------------------------------------------------------------


def test_eura_page() -> None:
    parsed = parse_one(EURA, EURA_PAGE.encode())
    doc = parsed.doc
    assert (doc.name, doc.short_name, doc.eura_code) == (
        "Nuorten polut työelämään – NUPO",
        "NUPO",
        "S21234",
    )
    assert doc.action_line == "5 Sosiaalinen osallisuus ja köyhyyden torjunta (ESR)"
    assert (doc.start_date, doc.end_date) == (date(2016, 3, 1), date(2019, 2, 28))
    assert (doc.status, doc.project_type, doc.region) == ("paattynyt", "esr", "pohjois-savo")
    assert doc.responsible_authority == "Pohjois-Savon ELY-keskus"
    assert (doc.budget_amount, doc.budget_class) == (Decimal(1250000), "yli-1000000")
    funding = doc.funding[0]
    assert (funding.funder_code, funding.amount, funding.own_contribution) == (
        "ESR",
        Decimal(1000000),
        Decimal(250000),
    )
    org = doc.organisations[0]
    assert (
        org.organisation.name,
        org.organisation.org_type,
        org.organisation.y_tunnus,
        org.role,
    ) == (
        "Kuopion kaupunki",
        "kunta",
        "0171450-7",
        "paatoteuttaja",
    )
    person = doc.people[0]
    assert (person.person.email, person.role, person.is_contact) == (
        "maija.mallikas@kuopio.fi",
        "Projektipäällikkö",
        True,
    )
    assert doc.summary.startswith("Hankkeessa kehitetään nuorille")
    assert [(i.target, i.unit, i.goal_key) for i in doc.indicators] == [
        (Decimal(150), "nuorta", "g1")
    ]
    assert "Jakeluosoite: Suokatu 42" in doc.notes
    assert "EURA 2014 – Hankkeen tiedot" in doc.notes
    assert doc.source_key == "eura:S21234"


def test_eura_bad_values_are_dropped_with_warnings() -> None:
    data = EURA_PAGE.replace("Alkaa 1.3.2016", "Alkaa 31.2.2016").replace("0171450-7", "0171450-8")
    parsed = parse_one(EURA, data.encode())
    assert parsed.doc.start_date is None
    assert parsed.doc.end_date == date(2019, 2, 28)
    assert parsed.doc.organisations[0].organisation.y_tunnus is None
    assert "31.2.2016" in parsed.doc.notes and "Y-tunnus: 0171450-8" in parsed.doc.notes
    values = {w.params.get("value") for w in parsed.warnings}
    assert {"31.2.2016", "0171450-8"} <= values


def test_eura_truncated_page() -> None:
    first_five = "\n".join(EURA_PAGE.split("\n")[:5]).encode()
    parsed = parse_one(EURA, first_five)
    assert parsed.doc.eura_code == "S21234"
    assert any("incomplete" in m for m in messages(parsed))
    with pytest.raises(ImportFailed):
        EURA.parse("\n".join(EURA_PAGE.split("\n")[:4]).encode(), None)


def test_esr_card_and_eura_page_of_one_project_share_the_source_key() -> None:
    page = EURA_PAGE.replace("S21234", "S20397")
    assert (
        parse_one(EURA, page.encode()).doc.source_key
        == parse_one(ESR, seed("004_esr_soku.txt")).doc.source_key
    )


# --- Innokylä --------------------------------------------------------------------------------


def test_innokyla_seed() -> None:
    parsed = parse_one(INNOKYLA, seed("000_innokyla_hanska.txt"))
    doc = parsed.doc
    assert doc.name == "Sosiaalisen kuntoutuksen yhteistyöprosessi monenlaista tukea tarvitseville"
    assert doc.summary.startswith("Palvelukeskus Hanska on yli 18-vuotiaiden asunnottomien")
    kinds = [s.kind for s in doc.sections]
    assert kinds == [
        "toimintaymparisto",
        "lahtotilanne",
        "tarpeet",
        "toteutussuunnitelma",
        "yhteistyo",
        "kohderyhma",
        "perusidea",
        "ehdot",
        "vinkit",
        "arvioinnin_tulokset",
    ]
    titles = [s.title for s in doc.sections]
    assert "Toimintaympäristö" in titles and "Arvioinnin tulokset tiivistettynä" in titles
    by_kind = {s.kind: s for s in doc.sections}
    assert by_kind["toteutussuunnitelma"].body == ""
    assert by_kind["lahtotilanne"].body.count("•") == 7
    assert by_kind["vinkit"].body == (
        "- selkeä työnjako, julkinen - 3. sektori\n- selkeä johtaminen\n"
        "- toimintamalli on sovellettavissa eri ympäristöihin"
    )
    assert [(f.funder_code) for f in doc.funding] == ["STEA", "STM"]
    assert [(o.organisation.name, o.organisation.org_type) for o in doc.organisations] == [
        ("Jyväskylän kaupunki", "kunta"),
        ("Sovatek-säätiö", "jarjesto"),
    ]
    assert doc.source_key.startswith("innokyla:sosiaalisen kuntoutuksen")
    assert doc.notes == ""


def test_innokyla_with_other_headings() -> None:
    doc = parse_one(INNOKYLA, INNOKYLA_OTHER.encode()).doc
    assert doc.name == "Ikäihmisten kotikuntoutus yhteistyössä"
    assert [(s.kind, s.title) for s in doc.sections] == [
        ("toimintaymparisto", "Toimintaympäristö"),
        ("perusidea", "Ratkaisun perusidea"),
        ("vinkit", "Vinkit toimintamallin soveltajille"),
        ("muu", "Hyödyt asiakkaille"),
    ]
    assert [o.organisation.name for o in doc.organisations] == [
        "Tampereen kaupunki",
        "Kalliola-säätiö",
    ]
    assert [f.funder_code for f in doc.funding] == ["STEA"]


def test_innokyla_truncated() -> None:
    first_five = b"\n".join(seed("000_innokyla_hanska.txt").split(b"\n")[:5])
    doc = parse_one(INNOKYLA, first_five).doc
    assert doc.name.startswith("Sosiaalisen kuntoutuksen")
    assert doc.sections == []


# --- Sokra evaluation ------------------------------------------------------------------------

NOISE = (
    "Vipuvoimaa",
    "EU:lta",
    "Kestävää kasvua ja työtä -ohjelma",
    "Euroopan unioni",
    "\nthl",
    "Diak",
)


def test_sokra_seed() -> None:
    parsed = parse_one(SOKRA, seed("003_sokra_arvio_kuopio.txt"))
    doc = parsed.doc
    assert doc.name == "Asunnottomuuden ennaltaehkäisy kuntastrategiat"
    assert doc.project_type == "esr"
    assert doc.start_date is None and doc.end_date is None
    assert any("2016–2019" in m for m in messages(parsed))
    assert "Toteutusaika: 2016–2019" in doc.notes
    person = doc.people[0]
    assert (person.person.name, person.person.email, person.person.organisation) == (
        "Virpi Kilpeläinen",
        "virpi.hannele.kilpelainen@kuopio.fi",
        "Kuopion kaupunki",
    )
    assert person.is_contact
    assert [(o.organisation.name, o.role) for o in doc.organisations] == [
        ("Kuopion kaupunki", "paatoteuttaja")
    ]
    assert doc.summary.startswith("Arvio toimintamallista: Palvelun käyttäjät tutuiksi")
    assert "Malli on arvioitu¹ osana" in doc.summary
    assert doc.summary.endswith("dokumentaatiota hyödyntöen.")
    everything = "\n".join([doc.summary, doc.notes, *(s.body for s in doc.sections)])
    for noise in NOISE:
        assert noise not in everything
    by_title = {s.title: s for s in doc.sections}
    # Paragraphs broken by a page end are joined again.
    assert "Kolme kokemusasiantuntijaa toi asunnottomuutta tai kokemusta uhkaavasta" in (
        by_title["Monialaisen kehittämistyön osallistujat"].body
    )
    assert "sekä palvelujärjestelmälle että ammattilaisille." in everything
    assert by_title[
        "Kohderyhmä: Yhteiskehittämisestä uusia toimintamahdollisuuksia ammattilaiselle"
    ].kind == ("kohderyhma")
    assert by_title["Osallisuuden toteutuminen mallissa"].kind == "arviointi"
    assert by_title["Työryhmien työskentely"].kind == "ratkaisun_kuvaus"
    assert by_title["Lopuksi"].body.endswith("Toimintamallin juurtuminen on vielä avoinna.")


def test_sokra_other_evaluation() -> None:
    parsed = parse_one(SOKRA, SOKRA_OTHER.encode())
    doc = parsed.doc
    assert doc.name == "Nuorten vertaistuki Lahdessa"
    assert doc.people[0].person.email == "ville.vertanen@lahti.fi"
    body = next(s.body for s in doc.sections if s.title == "Ohjaajien valinta")
    assert "jonka jälkeen he ohjasivat ryhmiä kerran viikossa." in body
    assert "² Arvio perustuu hankkeen dokumentteihin." in doc.summary
    everything = "\n".join([doc.summary, doc.notes, *(s.body for s in doc.sections)])
    for noise in NOISE:
        assert noise not in everything


def test_sokra_truncated_uses_the_model_name() -> None:
    first_five = b"\n".join(seed("003_sokra_arvio_kuopio.txt").split(b"\n")[:5])
    parsed = parse_one(SOKRA, first_five)
    assert parsed.doc.name == "Palvelun käyttäjät tutuiksi esimerkkinä asunnottomat"
    assert any("Kehittäjä" in m for m in messages(parsed))


# --- every format -----------------------------------------------------------------------------

SEED_FORMATS = {
    "000_innokyla_hanska.txt": "innokyla",
    "001_oulu_asunnottomat.txt": "oulu-card",
    "003_sokra_arvio_kuopio.txt": "sokra-evaluation",
    "004_esr_soku.txt": "esr-card",
}


@pytest.mark.parametrize(("name", "expected"), sorted(SEED_FORMATS.items()))
def test_detect_picks_the_right_format(name: str, expected: str) -> None:
    scores = {imp.name: imp.detect(seed(name), name) for imp in ALL}
    assert max(scores, key=lambda k: scores[k]) == expected
    assert scores[expected] > 0.5
    assert sorted(scores.values())[-2] <= 0.2


def test_detect_written_sources() -> None:
    for importer, text in ((OULU, OULU_OTHER), (ESR, ESR_OTHER), (EURA, EURA_PAGE)):
        scores = {imp.name: imp.detect(text.encode(), None) for imp in ALL}
        assert max(scores, key=lambda k: scores[k]) == importer.name


def test_detect_other_text_and_binary() -> None:
    for data in (seed("002_palveluverkko_asumispalvelut.txt"), b"\x00\x01\x02binary", b""):
        assert all(imp.detect(data, None) <= 0.2 for imp in ALL)


@pytest.mark.parametrize("importer", ALL, ids=lambda i: i.name)
@pytest.mark.parametrize("data", [b"", b"  \n ", b"\x00\x01\x02\x03PNG", bytes(range(256)) * 4])
def test_empty_and_binary_input_fail_clearly(importer: object, data: bytes) -> None:
    with pytest.raises(ImportFailed) as caught:
        importer.parse(data, None)  # type: ignore[attr-defined]
    assert caught.value.message in ("The file is empty.", "The file is not a text file.")


@pytest.mark.parametrize("importer", ALL, ids=lambda i: i.name)
def test_parsing_is_repeatable(importer: object) -> None:
    name = (
        next(n for n, f in SEED_FORMATS.items() if f == importer.name)
        if importer is not EURA
        else None
    )  # type: ignore[attr-defined]
    data = seed(name) if name else EURA_PAGE.encode()
    first, second = parse_one(importer, data), parse_one(importer, data)
    assert first.doc == second.doc
    assert first.doc.source_key and first.doc.source_key == second.doc.source_key
