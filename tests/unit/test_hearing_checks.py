"""Who was heard (kuuleminen), no database: the completeness checks (nothing heard; an
assessment that concerns children with no child or young person heard, LAVA), the record's
schema (the old free-text way read as a code and a note), the version comparison's labels and
the EVAUS report's table."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import docx
import pytest

from evaus.assessment import builtin_framework, check, diff
from evaus.assessment.checks import children_areas_assessed
from evaus.demo import demo_assessment_entries
from evaus.i18n import format_message
from evaus.labels import Vocabulary, compared_rows
from evaus.reports.evaus_build import build_evaus, evaus_missing
from evaus.reports.render import render_docx
from evaus.reports.templating import shipped_template
from project_db.assessment_schemas import AssessmentDoc, HearingIn, hearing_method_from_text
from tests.assessment_docs import complete_data, complete_doc
from tests.reports_support import TODAY

DEFAULT = builtin_framework("default")
LAVA = builtin_framework("lava")

STAFF = {"group": "Henkilöstö", "method": "interview"}
YOUTH = {
    "group": "Nuorisovaltuusto",
    "method": "workshop",
    "method_note": "Nuorisotalolla",
    "held_on": "4.3.2026",
    "participants": 14,
    "children_heard": True,
    "children_how": "Pienryhmissä omin sanoin",
    "summary": "Illat ovat tärkeimmät.",
    "outcome": "Iltavuorot lisättiin vaihtoehtoon.",
}


def _with_areas(relevant: dict[str, bool], **changes: Any) -> AssessmentDoc:
    data = complete_data()
    data["areas"] = [
        {"area": a.code, "relevant": relevant.get(a.code, False), "reason": "Syy"}
        for a in DEFAULT.impact_areas
    ]
    data["impacts"] = [i for i in data["impacts"] if relevant.get(i["area"], False)]
    return AssessmentDoc.model_validate(data | changes)


def _issues(doc: AssessmentDoc, framework: Any = DEFAULT, lang: str = "fi") -> dict[str, str]:
    return {
        i.code: format_message(i.message, lang, **i.params)
        for i in check(doc, framework, lang)
        if i.code in ("no_hearing", "children_not_heard")
    }


# --- the checks -------------------------------------------------------------------------------


def test_nothing_heard_is_warned_of_in_the_phase_of_the_hearings() -> None:
    doc = complete_doc(hearings=[])
    (issue,) = [i for i in check(doc, DEFAULT) if i.code == "no_hearing"]
    assert issue.severity == "warning" and issue.phase == 2
    assert _issues(doc) == {
        "no_hearing": "Kirjaa, keitä kuultiin ja miten (asiakkaat, henkilöstö, kumppanit)."
    }


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fi",
            "Arviointi koskee lapsia tai nuoria (Lapset, nuoret ja perheet (LAVA)), mutta "
            "yhdessäkään kuulemisessa ei ole kirjattu lasten tai nuorten kuulemista: kirjaa, "
            "miten heitä kuultiin.",
        ),
        (
            "sv",
            "Bedömningen gäller barn eller unga (Barn, unga och familjer (BKB)), men inget "
            "hörande visar att barn eller unga har hörts: anteckna hur de hördes.",
        ),
        (
            "en",
            "The assessment concerns children or young people (Children, young people and "
            "families (CRIA)), but no hearing records that children or young people were "
            "heard: record how they were heard.",
        ),
    ],
)
def test_the_children_area_assessed_and_no_child_heard_is_warned_of(
    lang: str, expected: str
) -> None:
    doc = _with_areas({"children_families": True, "economy": True}, hearings=[STAFF])
    assert children_areas_assessed(doc, DEFAULT) == ["children_families"]
    (issue,) = [i for i in check(doc, DEFAULT, lang) if i.code == "children_not_heard"]
    assert issue.severity == "warning" and issue.phase == 2  # never blocks finishing
    assert _issues(doc, lang=lang) == {"children_not_heard": expected}


def test_a_hearing_of_children_or_young_people_is_enough() -> None:
    doc = _with_areas({"children_families": True}, hearings=[STAFF, YOUTH])
    assert _issues(doc) == {}


def test_children_are_not_asked_for_when_the_assessment_does_not_concern_them() -> None:
    doc = _with_areas({"economy": True, "wellbeing_health": True}, hearings=[STAFF])
    assert children_areas_assessed(doc, DEFAULT) == []
    assert _issues(doc) == {}
    # Nothing heard at all: one warning, not two.
    nobody = _with_areas({"children_families": True}, hearings=[])
    assert set(_issues(nobody)) == {"no_hearing"}


def test_an_impact_falling_on_children_in_another_area_asks_for_them_too() -> None:
    doc = _with_areas({"wellbeing_health": True}, hearings=[STAFF])
    impacts = [
        i.model_copy(update={"groups": ["children_families"]})
        if i.area == "wellbeing_health"
        else i
        for i in doc.impacts
    ]
    doc = doc.model_copy(update={"impacts": impacts})
    assert children_areas_assessed(doc, DEFAULT) == ["wellbeing_health"]
    assert "Asiakkaiden ja asukkaiden hyvinvointi ja terveys" in _issues(doc)["children_not_heard"]


def test_in_a_lava_assessment_every_area_on_people_concerns_children() -> None:
    data = complete_data()
    data.update(
        framework_id="lava",
        areas=[
            {"area": a.code, "relevant": a.code in ("family_daily_life", "economy")}
            for a in LAVA.impact_areas
        ],
        impacts=[],
        hearings=[STAFF],
    )
    doc = AssessmentDoc.model_validate(data)
    assert children_areas_assessed(doc, LAVA) == ["family_daily_life"]
    assert "Perheiden arki ja toimeentulo" in _issues(doc, LAVA)["children_not_heard"]
    only_economy = doc.model_copy(
        update={
            "areas": [a.model_copy(update={"relevant": a.area == "economy"}) for a in doc.areas]
        }
    )
    assert _issues(only_economy, LAVA) == {}


# --- the record -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kysely", ("survey", "")),
        ("  työpajat ", ("workshop", "")),
        ("Asukaskysely verkossa", ("survey", "Asukaskysely verkossa")),
        ("Skriftligt yttrande", ("statement", "")),
        (
            "Lausuntokierros kaupunginosayhdistyksille",
            ("statement", "Lausuntokierros kaupunginosayhdistyksille"),
        ),
        ("Työpaja ja kysely", (None, "Työpaja ja kysely")),
        (
            "Yhteiskehittäminen Olohuone-hankkeen kanssa",
            (None, "Yhteiskehittäminen Olohuone-hankkeen kanssa"),
        ),
        ("", (None, "")),
    ],
)
def test_an_old_way_written_as_text_keeps_every_word(
    text: str, expected: tuple[str | None, str]
) -> None:
    assert hearing_method_from_text(text) == expected
    old = HearingIn.model_validate({"group": "Asukkaat", "method": text})
    assert (old.method, old.method_note) == expected


def test_a_new_record_keeps_its_code_and_note_as_given() -> None:
    hearing = HearingIn.model_validate(YOUTH | {"participants": "14", "held_on": "2026-03-04"})
    assert (hearing.method, hearing.method_note) == ("workshop", "Nuorisotalolla")
    assert hearing.held_on == date(2026, 3, 4) and hearing.participants == 14
    blank = HearingIn.model_validate({"group": "x", "method": "", "participants": ""})
    assert blank.method is None and blank.participants is None and not blank.children_heard


# --- the version comparison ---------------------------------------------------------------------


def test_the_comparison_shows_the_changed_facts_with_labels() -> None:
    first = complete_doc(hearings=[{"key": "h-1", "group": "Nuoret", "method": "survey"}])
    second = first.model_copy(
        update={"hearings": [HearingIn.model_validate({"key": "h-1", **YOUTH})]}
    )
    rows = compared_rows(diff(first, second), [first, second], Vocabulary("fi", framework=DEFAULT))
    shown = {row.field: (row.before, row.after) for row in rows}
    assert {row.which for row in rows} == {"Nuorisovaltuusto"}
    assert shown["Miten kuultiin"] == ("Kysely", "Työpaja")
    assert shown["Miten kuultiin, sanallisesti"] == ("", "Nuorisotalolla")
    assert shown["Milloin kuultiin"] == ("", "4.3.2026")
    assert shown["Kuultujen henkilöiden määrä"] == ("", "14")
    assert shown["Lapsia tai nuoria kuultu"] == ("ei", "kyllä")
    assert shown["Miten lapsia tai nuoria kuultiin"] == ("", "Pienryhmissä omin sanoin")
    assert shown["Mitä he sanoivat"] == ("", "Illat ovat tärkeimmät.")
    assert shown["Mitä kuulemisen vuoksi muuttui"] == ("", "Iltavuorot lisättiin vaihtoehtoon.")
    sv = compared_rows(diff(first, second), [first, second], Vocabulary("sv", framework=DEFAULT))
    assert ("Hur de hördes", "Enkät", "Workshop") in {(r.field, r.before, r.after) for r in sv}


# --- the EVAUS report ---------------------------------------------------------------------------


def _table_rows(content: bytes, header: str) -> list[list[str]]:
    document = docx.Document(io.BytesIO(content))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == header)
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.mark.parametrize(
    ("lang", "header", "youth", "staff"),
    [
        (
            "fi",
            [
                "Taho",
                "Tapa",
                "Ajankohta",
                "Määrä",
                "Lapsia ja nuoria kuultu",
                "Mitä tuotiin esiin",
                "Mitä muuttui",
            ],
            [
                "Nuorisovaltuusto",
                "Työpaja (Nuorisotalolla)",
                "4.3.2026",
                "14",
                "Kyllä: Pienryhmissä omin sanoin",
                "Illat ovat tärkeimmät.",
                "Iltavuorot lisättiin vaihtoehtoon.",
            ],
            ["Henkilöstö", "Haastattelu", "–", "–", "Ei", "–", "–"],
        ),
        (
            "sv",
            [
                "Part",
                "Sätt",
                "Tidpunkt",
                "Antal",
                "Barn och unga hörda",
                "Vad som framfördes",
                "Vad som ändrades",
            ],
            [
                "Nuorisovaltuusto",
                "Workshop (Nuorisotalolla)",
                "4.3.2026",
                "14",
                "Ja: Pienryhmissä omin sanoin",
                "Illat ovat tärkeimmät.",
                "Iltavuorot lisättiin vaihtoehtoon.",
            ],
            ["Henkilöstö", "Intervju", "–", "–", "Nej", "–", "–"],
        ),
    ],
)
def test_the_report_table_of_who_was_heard(
    lang: str, header: list[str], youth: list[str], staff: list[str]
) -> None:
    doc = _with_areas({"children_families": True}, hearings=[YOUTH, STAFF])
    context = build_evaus(doc, DEFAULT, lang, TODAY)
    assert context.children_unheard == []
    content = render_docx(shipped_template("evaus", lang), context)
    assert _table_rows(content, header[0]) == [header, youth, staff]


def test_the_report_says_when_children_were_not_heard() -> None:
    doc = _with_areas({"children_families": True}, hearings=[STAFF])
    context = build_evaus(doc, DEFAULT, "fi", TODAY)
    assert context.children_unheard == ["Lapset, nuoret ja perheet (LAVA)"]
    document = docx.Document(io.BytesIO(render_docx(shipped_template("evaus", "fi"), context)))
    assert (
        "Lapsia tai nuoria ei ole kuultu, vaikka arviointi koskee heitä: "
        "Lapset, nuoret ja perheet (LAVA)."
    ) in [p.text for p in document.paragraphs]
    missing = [
        format_message(p.message, "fi", **p.params) for p in evaus_missing(doc, DEFAULT, "fi")
    ]
    assert (
        "Lapsia tai nuoria ei ole kuultu, vaikka arviointi koskee heitä: "
        "Lapset, nuoret ja perheet (LAVA)"
    ) in missing


def test_the_demo_carries_only_what_its_source_says_about_who_was_heard() -> None:
    hanska, network = (AssessmentDoc.model_validate(e["doc"]) for e in demo_assessment_entries())
    assert network.hearings == []  # the service-network description names nobody heard
    assert [h.group for h in hanska.hearings] == [
        "Jyväskylän kaupungin järjestöt",
        "ASSI asunto ensin -hanke (Nopsajalka-tiimi)",
    ]
    # The source gives no dates, counts or children heard: none are made up.
    assert {(h.held_on, h.participants, h.children_heard) for h in hanska.hearings} == {
        (None, None, False)
    }
    rows = build_evaus(hanska, DEFAULT, "fi", TODAY).hearings
    assert [r.method for r in rows] == [
        "Järjestöjen aloite",
        "Osallistuu toiminnan kehittämiseen yhdessä Olohuone-hankkeen kanssa",
    ]
