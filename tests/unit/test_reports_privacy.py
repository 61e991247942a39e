"""The public STEA report holds no personal data, by construction (no database)."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from evaus.i18n import format_message
from evaus.reports.build import build_context, missing_data
from evaus.reports.privacy import (
    IDENTITY_CODE,
    LINK,
    NAME,
    Scrubber,
    is_identity_code,
)
from evaus.reports.render import render_docx
from evaus.reports.templating import shipped_template
from project_db.schemas import ProjectDoc
from tests.reports_support import TODAY, demo_docs, docx_text, labels

# What a careless project puts in its texts: every item must stay out of the public report.
SECRETS = {
    "Anna Virtanen": NAME,  # a registry person
    "Virtasen": NAME,  # her surname, inflected
    "A. Virtanen": NAME,
    "Matti Korhonen": NAME,  # a registry person, only his surname in the text
    "Korhonen": NAME,
    "Liisa Mäkinen": NAME,  # not in the registry: a first name and a surname
    "Kalle Rantanen": NAME,
    "Sinikka Heino": NAME,  # after a role word
    "131052-308T": IDENTITY_CODE,
    "010594Y9032": IDENTITY_CODE,  # another 1900s sign
    "150820A1238": IDENTITY_CODE,  # born in the 2000s
    "https://olohuone.example.fi/ilmoittaudu?id=5": LINK,
    "www.sovatek.fi": LINK,
    "olohuone.fi/palaute": LINK,
    "anna.virtanen@sovatek.fi": "contact",
    "040 123 4567": "contact",
    "+358 50 765 4321": "contact",
    "asiakaskysely_2025.xlsx": "attachment",
    "Liitetiedosto_nimilista.pdf": "attachment",
    # Swedish text: Swedish role words and Finland-Swedish first names
    "Britt Holm": NAME,  # after "projektledaren"
    "Ann-Christin Öhman": NAME,  # after "koordinatorn"
    "Kjell Lindqvist": NAME,  # a Swedish first name and a surname
    "Karin Nyström": NAME,
}


def hostile_stea_doc() -> ProjectDoc:
    """Hanska (STEA-funded) with personal data typed into every kind of text."""
    data = demo_docs()["innokyla_hanska"].model_dump(mode="json")
    data["people"] = [
        {
            "person": {
                "name": "Anna Virtanen",
                "email": "anna.virtanen@sovatek.fi",
                "phone": "040 123 4567",
            },
            "role": "Projektipäällikkö",
            "is_contact": True,
        },
        {"person": {"name": "Matti Korhonen"}, "role": "Sosiaaliohjaaja", "is_team": True},
    ]
    data["summary"] = (
        "Hanketta vetää projektipäällikkö Anna Virtanen (anna.virtanen@sovatek.fi, "
        "040 123 4567). Lisätietoja: https://olohuone.example.fi/ilmoittaudu?id=5 ja "
        "www.sovatek.fi."
    )
    data["sections"] += [
        {
            "kind": "palaute",
            "title": "Osallistujien näkemys ja palaute",
            "body": "Palautetta kerättiin lomakkeella olohuone.fi/palaute. Asiakas 131052-308T "
            "kertoi, että Virtasen ohjaus auttoi. Vastaukset: asiakaskysely_2025.xlsx.",
        },
        {
            "kind": "yhteistyo",
            "title": "Yhteistyö",
            "body": "Yhteistyöstä vastasi A. Virtanen, ja Liisa Mäkinen kaupungilta osallistui. "
            "Korhonen piti ryhmiä. Soita +358 50 765 4321.",
        },
        {
            "kind": "vapaaehtoiset",
            "title": "Vapaaehtoiset",
            "body": "Vapaaehtoisia ohjasi koordinaattori Sinikka Heino. Nuori (150820A1238) "
            "ja Kalle Rantanen auttoivat.",
        },
    ]
    data["sections"].append(
        {
            "kind": "kohderyhma",
            "title": "Målgrupp",
            "body": "Målgruppen nåddes av projektledaren Britt Holm och koordinatorn "
            "Ann-Christin Öhman. Kjell Lindqvist och Karin Nyström från staden deltog.",
        }
    )
    data["goals"] = [
        {"key": "g1", "title": "Asiakkaat saavat tuen", "description": "Vastuu: Matti Korhonen"}
    ]
    data["results"] = [{"kind": "result", "text": "Asiakas 010594Y9032 sai asunnon."}]
    data["attachments"] = [
        {
            "filename": "Liitetiedosto_nimilista.pdf",
            "description": "Nimet",
            "size": 10,
            "sha256": "0" * 64,
        }
    ]
    data["sections"].append(
        {
            "kind": "juurruttaminen",
            "title": "Juurruttaminen",
            "body": "Katso Liitetiedosto_nimilista.pdf.",
        }
    )
    return ProjectDoc.model_validate(data)


def render_stea(doc: ProjectDoc, lang: str = "fi") -> bytes:
    context = build_context("stea", doc, labels(lang), lang, TODAY)
    return render_docx(shipped_template("stea", lang), context)


def every_text(content: bytes) -> str:
    """Body, tables, headers, footers and the document properties."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        properties = [
            archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if n.startswith("docProps/") and n.endswith(".xml")
        ]
    return docx_text(content) + "\n".join(properties)


# The markers in each language, the public-report note, and the names removed after a role
# word (the text itself stays in the project's language).
MARKERS = {
    "fi": (
        [
            "[nimi poistettu]",
            "[yhteystieto poistettu]",
            "[henkilötunnus poistettu]",
            "[linkki poistettu]",
            "[liite poistettu]",
        ],
        "Siitä on poistettu henkilöiden nimet",
    ),
    "sv": (
        [
            "[namn borttaget]",
            "[kontaktuppgift borttagen]",
            "[personbeteckning borttagen]",
            "[länk borttagen]",
            "[bilaga borttagen]",
        ],
        "Namn på personer, kontaktuppgifter, personbeteckningar, länkar och bilagor har tagits "
        "bort ur den.",
    ),
}


@pytest.mark.parametrize("lang", sorted(MARKERS))
def test_the_public_report_holds_no_personal_data(lang: str) -> None:
    doc = hostile_stea_doc()
    text = every_text(render_stea(doc, lang))
    leaked = [secret for secret in SECRETS if secret in text]
    assert not leaked, leaked
    markers, note = MARKERS[lang]
    for marker in markers:
        assert marker in text
    name = markers[0]
    assert f"projektipäällikkö {name}" in text  # the role stays, the name goes
    assert f"projektledaren {name} och koordinatorn {name}" in text
    assert note in text


def test_what_was_removed_is_listed_for_the_maker_not_in_the_report() -> None:
    doc = hostile_stea_doc()
    warnings = [
        format_message(p.message, "fi", **p.params) for p in missing_data("stea", doc, today=TODAY)
    ]
    removed = [w for w in warnings if w.startswith("Poistettu julkisesta raportista")]
    listed = "\n".join(removed)
    for secret, kind in SECRETS.items():
        if kind == IDENTITY_CODE:
            assert secret[:7] + "****" in listed  # the personal part stays hidden here too
            assert secret not in listed
        elif kind != NAME or " " in secret:
            assert secret in listed, secret
    assert "Poistettu julkisesta raportista, nimi: Anna Virtanen" in removed
    assert len(removed) == len(set(removed))  # each once
    text = every_text(render_stea(doc))
    assert "Poistettu julkisesta raportista" not in text


@pytest.mark.parametrize(
    ("lang", "unchecked_note"),
    [
        ("fi", "ei ole tarkistettu henkilötietojen varalta"),
        ("sv", "har inte granskats med tanke på personuppgifter: den får inte publiceras"),
    ],
)
def test_the_report_claims_no_personal_data_only_after_the_scrub(
    lang: str, unchecked_note: str
) -> None:
    context = build_context("stea", hostile_stea_doc(), labels(lang), lang, TODAY)
    unchecked = context.model_copy(update={"privacy_checked": False})
    text = docx_text(render_docx(shipped_template("stea", lang), unchecked))
    assert MARKERS[lang][1] not in text
    assert unchecked_note in text


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("131052-308T", True),
        ("131052+308T", True),  # 1800s
        ("131052A308T", True),  # same digits, 2000s
        ("131052-308U", False),  # wrong check character
        ("311399-123A", False),  # month 13
    ],
)
def test_identity_code_check_character(code: str, valid: bool) -> None:
    assert is_identity_code(code[:6], code[7:10], code[10]) is valid
    scrubbed = Scrubber("fi").scrub(f"Tunnus {code}.")
    assert (code not in scrubbed) is valid


def test_ordinary_text_is_left_alone() -> None:
    text = (
        "Palvelukeskus Hanskan toimintaan osallistuu Jyväskylän kaupunki ja Sovatek-Säätiö. "
        "Klo 12.30 alkaen, 1.5 tuntia, 3 ohjaajaa ja sosiaaliohjaaja. Hanke päättyi 30.11.2018."
    )
    scrubber = Scrubber("fi", people=["Anna Virtanen"])
    assert scrubber.scrub(text) == text
    assert scrubber.removed == []


def test_ordinary_swedish_text_is_left_alone() -> None:
    text = (
        "Projektet samarbetar med Helsingfors stad och Folkhälsan. Ledarskap Utbildning ordnades "
        "av tre handledare och en socialarbetare. Svenska Litteratursällskapet i Finland deltog."
    )
    scrubber = Scrubber("sv", people=["Anna Virtanen"])
    assert scrubber.scrub(text) == text
    assert scrubber.removed == []


def test_the_scrub_is_fast_on_a_long_text() -> None:
    word_soup = "Anna kertoi www.x.fi 131052-308T ja projektipäällikkö Matti " * 20_000
    started = time.process_time()
    scrubbed = Scrubber("fi", people=["Matti Korhonen", "Liisa Mäkinen"]).scrub(word_soup)
    assert time.process_time() - started < 10
    assert "131052-308T" not in scrubbed and "www.x.fi" not in scrubbed
