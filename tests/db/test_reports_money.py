"""The money and participant parts of the funder reports, from the registry (SQLite and
PostgreSQL): budget against actual by cost category with income subtracted, the achievement of
an indicator from its baseline in its direction, participants without double counting, and a
period over New Year counted in one year only."""

from __future__ import annotations

import os
from typing import Any

import pytest
from sqlalchemy import select

from evaus.db import Database
from evaus.dev.generate import generate
from evaus.reports import kinds
from evaus.reports.errors import NotFunded
from evaus.reports.pdf import convert_to_pdf, soffice_path
from evaus.services import reports
from evaus.services.access import local_admin
from evaus.services.projects import create_project
from project_db.models import Project
from tests.reports_support import NBSP, docx_text, money

UNIQUE = [  # the whole project, each person once
    {"gender": "nainen", "age_class": "alle-25", "labour_status": "tyoton",
     "education": "perusaste", "count": 14},
    {"gender": "mies", "age_class": "25-29", "labour_status": "tyollinen",
     "education": "korkea-aste", "count": 6},
    {"gender": "mies", "age_class": "30-54", "count": 4},
]  # fmt: skip
PER_PERIOD = [  # 33 in all: some people took part in both periods
    {"period": 1, "gender": "nainen", "age_class": "alle-25", "count": 10},
    {"period": 1, "gender": "mies", "age_class": "25-29", "count": 5},
    {"period": 2, "gender": "nainen", "age_class": "alle-25", "count": 12},
    {"period": 2, "gender": "mies", "age_class": "30-54", "count": 6},
]


def money_doc(*, unique: bool = True, name: str = "Rahoitettu kokeiluhanke") -> dict[str, Any]:
    return {
        "name": name,
        "short_name": "Raha",
        "eura_code": "S88888" if unique else "S88889",
        "start_date": "2024-09-01",
        "end_date": "2026-02-28",
        "summary": "Kokeillaan.",
        "organisations": [{"organisation": {"name": "Testikaupunki"}, "role": "paatoteuttaja"}],
        "funding": [
            {"funder": {"name": "ELY-keskus"}, "funder_code": "ESR", "amount": "90000"},
            {"funder": {"name": "STM"}, "funder_code": "STM", "amount": "40000"},
            {"funder": {"name": "STEA"}, "funder_code": "STEA", "amount": "10000"},
        ],
        "goals": [{"key": "g1", "title": "Kustannukset laskevat"}],
        "indicators": [
            {
                "key": "i1",
                "goal_key": "g1",
                "name": "Kustannus asiakasta kohden",
                "unit": "€",
                "baseline": "1500",
                "baseline_basis": "collected",
                "target": "1200",
                "direction": "less",
                "values": [
                    {"period": 2, "value": "1394", "basis": "collected"},
                    {"period": 3, "value": "1300", "basis": "estimate"},
                ],
            }
        ],
        "periods": [
            {"number": 1, "start_date": "2024-09-01", "end_date": "2024-12-31"},
            {
                "number": 2,
                "start_date": "2025-01-01",
                "end_date": "2025-06-30",
                "volunteers": 8,
                "volunteer_hours": "120",
                "volunteers_basis": "collected",
                "feedback_methods": "Palautelomake ryhmien lopussa",
            },
            {  # over New Year: 184 days in 2025, 59 in 2026
                "number": 3,
                "start_date": "2025-07-01",
                "end_date": "2026-02-28",
                "volunteers": 17,
                "volunteer_hours": "345.5",
                "volunteers_basis": "estimate",
                "feedback_methods": "Verkkokysely joulukuussa",
            },
        ],
        "participant_stats": PER_PERIOD + (UNIQUE if unique else []),
        "budget_lines": [
            {"scheme": "esr", "category": "palkkakustannukset", "amount": "100000"},
            {"scheme": "esr", "category": "ostopalvelut", "amount": "20000"},
            {"scheme": "esr", "category": "tulot", "amount": "5000"},
            {"scheme": "stm", "category": "henkilostokustannukset", "amount": "50000"},
        ],
        "cost_actuals": [
            {"period": 1, "scheme": "esr", "category": "palkkakustannukset", "amount": "30000"},
            {"period": 1, "scheme": "esr", "category": "ostopalvelut", "amount": "4000.50"},
            {"period": 2, "scheme": "esr", "category": "palkkakustannukset", "amount": "40000"},
            {"period": 2, "scheme": "esr", "category": "tulot", "amount": "1500"},
            {"period": 1, "scheme": "stm", "category": "henkilostokustannukset", "amount": "12000"},
            {"period": 2, "scheme": "stm", "category": "tulot", "amount": "2000"},
        ],
    }


@pytest.fixture
def project_id(database: Database) -> int:
    with database.session("tester") as session:
        return create_project(session, money_doc(), actor=local_admin("tester")).id


def report(database: Database, project: int, kind: str, **scope: Any) -> list[str]:
    with database.session("tester") as session:
        made = reports.generate_report(
            session, project, kind, actor=local_admin("tester"), archive=False, **scope
        )
    return docx_text(made.content).split("\n")


def row_after(lines: list[str], label: str, cells: int, start: str | None = None) -> list[str]:
    """The cells of the table row that starts with ``label`` (after the line ``start``)."""
    first = lines.index(start) if start else 0
    at = lines.index(label, first)
    return lines[at + 1 : at + 1 + cells]


def participant_totals(lines: list[str]) -> list[str]:
    """Women, men, other, total: the last row of the table by gender and age class (the
    first "Yhteensä" after the heading is the column's header)."""
    header = lines.index("Yhteensä", lines.index("Sukupuoli ja ikäluokka"))
    at = lines.index("Yhteensä", header + 1)
    return lines[at + 1 : at + 5]


def test_esr_period_budget_against_actual_with_income(database: Database, project_id: int) -> None:
    lines = report(database, project_id, "esr-period", period=2)
    # Budget | period 2 | cumulative (periods 1–2) | share used.
    assert row_after(lines, "Palkkakustannukset", 4) == [
        money("100 000,00 €"),
        money("40 000,00 €"),
        money("70 000,00 €"),
        f"70{NBSP}%",
    ]
    assert row_after(lines, "Ostopalvelut", 4) == [
        money("20 000,00 €"),
        money("0,00 €"),
        money("4 000,50 €"),
        f"20{NBSP}%",
    ]
    assert row_after(lines, "Kustannukset yhteensä", 4) == [
        money("120 000,00 €"),
        money("40 000,00 €"),
        money("74 000,50 €"),
        f"61,7{NBSP}%",
    ]
    assert row_after(lines, "Tulot (vähennetään)", 4) == [
        money("5 000,00 €"),
        money("1 500,00 €"),
        money("1 500,00 €"),
        f"30{NBSP}%",
    ]
    assert row_after(lines, "Nettokustannukset (kustannukset − tulot)", 4) == [
        money("115 000,00 €"),
        money("38 500,00 €"),
        money("72 500,50 €"),
        f"63{NBSP}%",
    ]
    # Period 1's report counts period 1 only.
    first = report(database, project_id, "esr-period", period=1)
    assert row_after(first, "Kustannukset yhteensä", 4)[2] == money("34 000,50 €")


def test_achievement_from_the_baseline_in_the_indicators_direction(
    database: Database, project_id: int
) -> None:
    text = "\n".join(report(database, project_id, "esr-period", period=2))
    assert "Kustannus asiakasta kohden (tavoite 1). Suunta: mitä vähemmän, sitä parempi." in text
    # 1 500 € → 1 394 € of the way to 1 200 €: 106 / 300 = 35 %, not 1 394 / 1 200 = 116 %.
    assert f"35{NBSP}%" in text
    assert f"116{NBSP}%" not in text
    final = "\n".join(report(database, project_id, "esr-final"))
    assert f"67{NBSP}%" in final  # the latest value, 1 300 €: 200 / 300


def test_whole_project_participants_count_each_person_once(
    database: Database, project_id: int
) -> None:
    lines = report(database, project_id, "esr-final")
    assert "Koko hankkeen osallistujat, kukin henkilö kerran (ei jaksojen summa)." in lines
    # Women, men, other, total: the unique 24, not the 33 of the periods added up.
    assert participant_totals(lines) == [
        "14",
        "10",
        "0",
        "24",
    ]
    assert row_after(lines, "Työtön", 1, start="Työmarkkina-asema hankkeeseen tullessa") == ["14"]
    assert row_after(lines, "Ei tiedossa", 1, start="Työmarkkina-asema hankkeeseen tullessa") == [
        "4"
    ]
    assert row_after(lines, "Korkea-aste", 1, start="Koulutus") == ["6"]
    assert "33" not in lines
    # The monitoring report of a period shows that period's own figures.
    period = report(database, project_id, "esr-period", period=2)
    assert participant_totals(period) == [
        "12",
        "6",
        "0",
        "18",
    ]


def test_without_unique_figures_the_periods_are_shown_and_not_added_up(
    database: Database,
) -> None:
    with database.session("tester") as session:
        doc = money_doc(unique=False, name="Hanke ilman yksilöityjä lukuja")
        project = create_project(session, doc, actor=local_admin("tester")).id
    lines = report(database, project, "esr-final")
    assert any(line.startswith("Yksilöityjä osallistujamääriä ei ole kirjattu.") for line in lines)
    assert row_after(lines, "1", 2, start="Osallistujia jaksolla") == ["1.9.2024–31.12.2024", "15"]
    assert row_after(lines, "2", 2, start="Osallistujia jaksolla") == ["1.1.2025–30.6.2025", "18"]
    assert "33" not in lines
    with database.session("tester") as session:
        warnings = reports.generate_report(
            session, project, "esr-final", actor=local_admin("tester"), archive=False
        ).warnings
    assert any(
        "Koko hankkeen osallistujamäärät (kukin henkilö kerran) puuttuvat" in w for w in warnings
    )


def test_stm_prints_the_budget_table_instead_of_pointing_to_an_attachment(
    database: Database, project_id: int
) -> None:
    lines = report(database, project_id, "stm")
    text = "\n".join(lines)
    assert "liitetään selvitykseen" not in text
    assert row_after(lines, "Henkilöstökustannukset", 3) == [
        money("50 000,00 €"),
        money("12 000,00 €"),
        f"24{NBSP}%",
    ]
    assert row_after(lines, "Tulot (vähennetään)", 3) == [
        "Ei tietoa",
        money("2 000,00 €"),
        "Ei tietoa",
    ]
    assert row_after(lines, "Nettokustannukset (kustannukset − tulot)", 3) == [
        money("50 000,00 €"),
        money("10 000,00 €"),
        f"20{NBSP}%",
    ]


def test_a_period_over_new_year_is_counted_in_one_year(database: Database, project_id: int) -> None:
    in_2025 = "\n".join(report(database, project_id, "stea", year=2025))
    in_2026 = "\n".join(report(database, project_id, "stea", year=2026))
    # Period 3 (1.7.2025–28.2.2026) has most of its days in 2025: its volunteers, hours,
    # feedback and indicator value are in the 2025 report and not in the 2026 one.
    for figure in ("345,5", "17", "Verkkokysely joulukuussa", money("1 300 €")):
        assert figure in in_2025
    assert "Palautelomake ryhmien lopussa" in in_2025 and "120" in in_2025
    for figure in ("345,5", "Verkkokysely joulukuussa", money("1 300 €"), "1.7.2025–28.2.2026"):
        assert figure not in in_2026
    assert "Vuodelle 2026 ei ole raportointijaksoja" in in_2026


def test_generated_projects_render_every_kind(database: Database) -> None:
    """Every kind in both languages for generated projects (costs, participants and values);
    the first document of each kind and language is converted by LibreOffice as well."""
    with database.session("generator") as session:
        generate(session, 6, seed=7)
    converted: dict[tuple[str, str], bytes] = {}
    with database.session("tester") as session:
        ids = list(session.scalars(select(Project.id)))
        made = 0
        for project in ids:
            for kind in kinds.all_kinds():
                if kind.scope == "assessment":
                    continue
                for lang in ("fi", "sv"):
                    try:
                        result = reports.generate_report(
                            session,
                            project,
                            kind.name,
                            lang=lang,
                            actor=local_admin("tester"),
                            archive=False,
                        )
                    except NotFunded:
                        continue
                    assert "{{" not in docx_text(result.content)
                    converted.setdefault((kind.name, lang), result.content)
                    made += 1
    assert made >= len(ids) * 2 * 2  # every project's card and at least one funder report
    funders = {name for name, _lang in converted} - {"card"}
    assert len(funders) >= 3, funders  # the seed gives ESR, STEA and STM projects
    if soffice_path() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: .ci/run installs it")
        pytest.skip("LibreOffice is not installed")
    for (name, lang), content in sorted(converted.items()):
        assert convert_to_pdf(content, f"{name}-{lang}").startswith(b"%PDF"), (name, lang)
