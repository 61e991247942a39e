"""Money and participants in the registry (SQLite and PostgreSQL): budget lines and actual costs
by cost category, participants per period and for the whole project, volunteers, and the
direction of an indicator with the achievement of its target."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from evaus.db import Database
from evaus.dev.generate import generate
from evaus.i18n import describe_problem
from evaus.services import projects as ps
from evaus.services import registry_io
from evaus.services.access import local_admin
from evaus.services.codelists import check_codes
from evaus.services.startup import open_registry
from project_db.errors import ValidationFailed
from project_db.finance import (
    budget_against_actual,
    net_cost,
    participants_per_period,
    unique_participants,
)
from project_db.indicators import achievement
from project_db.models import AuditEntry, Project
from project_db.schemas import ProjectDoc
from project_db.store import Omitted, merge_doc

READER = local_admin("tests")  # who reads in these tests (services take the Actor)


def _project(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Talous ja osallistujat -hanke",
        "source_key": "test:talous",
        "status": "kaynnissa",
        "periods": [
            {"number": 1, "start_date": "2024-01-01", "end_date": "2024-06-30"},
            {
                "number": 2,
                "start_date": "2024-07-01",
                "end_date": "2024-12-31",
                "volunteers": 12,
                "volunteer_hours": "340.5",
                "volunteers_basis": "estimate",
                "feedback_methods": "Palautelomake ja ryhmäkeskustelu",
            },
        ],
        "indicators": [
            {
                "key": "kust",
                "name": "Kustannus per asiakas",
                "unit": "€",
                "direction": "less",
                "baseline": "1500",
                "target": "1200",
                "values": [{"period": 2, "value": "1394", "basis": "collected"}],
            }
        ],
        "budget_lines": [
            {"scheme": "esr", "category": "palkkakustannukset", "amount": "100000.00"},
            {"scheme": "esr", "category": "flat-rate", "amount": "24000"},
            {"scheme": "esr", "category": "tulot", "amount": "4000.50", "note": "Myyntitulot"},
        ],
        "cost_actuals": [
            {"period": 1, "scheme": "esr", "category": "palkkakustannukset", "amount": "45000"},
            {"period": 2, "scheme": "esr", "category": "palkkakustannukset", "amount": "50000.10"},
            {"period": 2, "scheme": "esr", "category": "tulot", "amount": "1000"},
        ],
        "participant_stats": [
            # Periods: 7 + 5 women in period 1, 6 in period 2; the whole project: 10 women,
            # as 3 of period 2's women had taken part already in period 1.
            {
                "period": 1,
                "gender": "nainen",
                "age_class": "alle-25",
                "labour_status": "tyoton",
                "education": "perusaste",
                "count": 7,
            },
            {"period": 1, "gender": "nainen", "age_class": "30-54", "count": 5},
            {
                "period": 2,
                "gender": "nainen",
                "age_class": "alle-25",
                "labour_status": "tyoton",
                "education": "perusaste",
                "count": 6,
            },
            {
                "period": None,
                "gender": "nainen",
                "age_class": "alle-25",
                "labour_status": "tyoton",
                "education": "perusaste",
                "count": 9,
            },
            {"period": None, "gender": "nainen", "age_class": "30-54", "count": 5},
        ],
    }
    data.update(extra)
    return data


def test_round_trip_through_services_and_json(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        project = ps.create_project(session, _project(), actor=local_admin("tester"))
        doc = ps.get_project_doc(session, project.id, actor=READER)
        exported = json.loads(registry_io.export_json(session, actor=READER))
    assert [(x.category, x.amount) for x in doc.budget_lines] == [
        ("palkkakustannukset", Decimal("100000.00")),
        ("flat-rate", Decimal("24000.00")),
        ("tulot", Decimal("4000.50")),
    ]
    assert all(isinstance(x.amount, Decimal) for x in [*doc.budget_lines, *doc.cost_actuals])
    assert doc.budget_lines[2].note == "Myyntitulot"
    assert [(x.period, x.category, x.amount) for x in doc.cost_actuals][1] == (
        2,
        "palkkakustannukset",
        Decimal("50000.10"),
    )
    assert doc.indicators[0].direction == "less"
    period = doc.periods[1]
    assert (period.volunteers, period.volunteer_hours, period.volunteers_basis) == (
        12,
        Decimal("340.5"),
        "estimate",
    )
    assert period.feedback_methods == "Palautelomake ja ryhmäkeskustelu"
    assert doc.participant_stats[0].labour_status == "tyoton"
    assert doc.participant_stats[0].education == "perusaste"

    # Income reduces the net cost: 124 000 − 4 000,50 planned, 95 000,10 − 1 000 actual.
    lines = budget_against_actual(doc, "esr")
    assert net_cost(lines) == (Decimal("119999.50"), Decimal("94000.10"))
    assert lines[0].remaining == Decimal("5000.00") - Decimal("0.10")

    (stored,) = exported["projects"]
    assert stored["budget_lines"][2] == {
        "scheme": "esr",
        "category": "tulot",
        "amount": "4000.50",
        "note": "Myyntitulot",
    }
    assert stored["cost_actuals"][0]["amount"] == "45000.00"
    assert stored["indicators"][0]["direction"] == "less"
    assert stored["periods"][1]["volunteer_hours"] == "340.5"
    other = open_registry(url=f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with other.session() as session:
        registry_io.import_source(session, json.dumps(exported).encode(), actor=local_admin("t"))
        assert json.loads(registry_io.export_json(session, actor=READER)) == exported
    other.engine.dispose()


def test_a_source_that_does_not_mention_the_lists_keeps_them(database: Database) -> None:
    with database.session() as session:
        project = ps.create_project(session, _project(), actor=local_admin("tester"))
        source = ProjectDoc.model_validate({"name": "Talous ja osallistujat -hanke"})
        merged, omitted = merge_doc(ps.get_project_doc(session, project.id, actor=READER), source)
        ps.save_project_doc(
            session, project.id, merged, expected_version=None, actor=local_admin("t")
        )
        doc = ps.get_project_doc(session, project.id, actor=READER)
    assert len(doc.budget_lines) == 3 and len(doc.cost_actuals) == 3
    assert len(doc.participant_stats) == 5 and doc.periods[1].volunteers == 12
    assert Omitted("budget_lines", "esr tulot") in omitted
    assert Omitted("cost_actuals", "2 esr palkkakustannukset") in omitted


def test_a_complete_file_without_periods_removes_their_costs(database: Database) -> None:
    """The rows of a removed period go with it in one save (JSON is a complete format)."""
    with database.session() as session:
        ps.create_project(session, _project(), actor=local_admin("tester"))
        bare = {
            "projects": [{"name": "Talous ja osallistujat -hanke", "source_key": "test:talous"}]
        }
        report = registry_io.import_source(
            session, json.dumps(bare).encode(), actor=local_admin("t")
        )
        assert report.projects[0].action == "updated"
        project_id = report.projects[0].project_id
        assert project_id is not None
        doc = ps.get_project_doc(session, project_id, actor=READER)
    assert not doc.periods and not doc.cost_actuals and not doc.participant_stats
    assert not doc.budget_lines


def test_unique_participants_are_not_the_sum_of_the_periods(database: Database) -> None:
    with database.session() as session:
        project = ps.create_project(session, _project(), actor=local_admin("tester"))
        doc = ps.get_project_doc(session, project.id, actor=READER)
    assert participants_per_period(doc) == {1: 12, 2: 6}
    assert unique_participants(doc) == 14  # not 18: three people took part in both periods
    assert unique_participants(doc.model_copy(update={"participant_stats": []})) is None


def _problems(database: Database, data: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    with database.session() as session, pytest.raises(ValidationFailed) as failed:
        ps.create_project(session, data, actor=local_admin("tester"))
    return [
        (p.field, describe_problem(p, "fi"), describe_problem(p, "sv"), describe_problem(p, "en"))
        for p in failed.value.problems
    ]


def test_validation_messages_name_the_field(database: Database) -> None:
    negative = _project()
    negative["budget_lines"][0]["amount"] = "-5"
    ((field, fi, sv, en),) = _problems(database, negative)
    assert field == "budget_lines.0.amount"
    assert fi == "Summa (budjettirivi 1): ei saa olla negatiivinen"
    assert sv.startswith("Belopp (budgetrad 1)") and en.startswith("Amount (budget row 1)")

    twice = _project()
    twice["cost_actuals"][2]["category"] = "palkkakustannukset"
    ((field, fi, _sv, en),) = _problems(database, twice)
    assert field == "cost_actuals"
    assert fi.startswith("Toteutunut kustannus: ") and "palkkakustannukset" in fi
    assert en.startswith("Actual cost: ") and "reporting period 2" in en

    unknown = _project()
    unknown["budget_lines"][1]["category"] = "henkilostokulut"  # a STEA category, not ESR's
    ((field, fi, _sv, _en),) = _problems(database, unknown)
    assert field == "budget_lines.1.category"
    assert fi.startswith("Kustannuslaji (budjettirivi 2): ") and "palkkakustannukset" in fi

    direction = _project()
    direction["indicators"][0]["direction"] = "down"
    ((field, fi, _sv, en),) = _problems(database, direction)
    assert field == "indicators.0.direction"
    assert fi.startswith("Suunta (mittari 1)") and en.startswith("Direction (indicator 1)")

    same_group = _project()
    same_group["participant_stats"].append(dict(same_group["participant_stats"][1]))
    ((field, _fi, _sv, en),) = _problems(database, same_group)
    assert field == "participant_stats" and "1 nainen 30-54" in en

    status = _project()
    status["participant_stats"][0]["labour_status"] = "kadonnut"
    ((field, _fi, _sv, _en),) = _problems(database, status)
    assert field == "participant_stats.0.labour_status"


def _cost_audit(session: Any) -> list[tuple[str, str | None, str | None, str | None]]:
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "cost_actual").order_by(AuditEntry.id)
    )
    return [(e.action, e.field, e.old_value, e.new_value) for e in entries]


def test_cost_rows_are_audited(database: Database) -> None:
    data = _project(cost_actuals=[])
    with database.session() as session:
        project = ps.create_project(session, data, actor=local_admin("tester"))
        row = {"period": 2, "scheme": "esr", "category": "ostopalvelut", "amount": "1200.00"}
        data["cost_actuals"] = [row]
        ps.save_project_doc(
            session, project.id, data, expected_version=None, actor=local_admin("tester")
        )
        created = _cost_audit(session)
        assert ("create", "amount", None, "1200") in created
        assert ("create", "category", None, "ostopalvelut") in created
        row["amount"] = "1350.25"
        ps.save_project_doc(
            session, project.id, data, expected_version=None, actor=local_admin("tester")
        )
        assert _cost_audit(session)[len(created) :] == [("update", "amount", "1200", "1350.25")]
        done = len(_cost_audit(session))
        data["cost_actuals"] = []
        ps.save_project_doc(
            session, project.id, data, expected_version=None, actor=local_admin("tester")
        )
        deleted = _cost_audit(session)[done:]
        assert ("delete", "amount", "1350.25", None) in deleted
        assert {e[0] for e in deleted} == {"delete"}
        actors = session.scalars(
            select(AuditEntry.actor).where(AuditEntry.entity == "cost_actual")
        ).all()
        assert set(actors) == {"tester"}


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "direction", "expected"),
    [
        # Cost per client 1 394 € against the 1 200 € target from 1 500 €: 35 % of the way.
        ("1500", "1200", "1394", "less", "0.3533"),
        ("1500", "1200", "1200", "less", "1"),
        ("1500", "1200", "1600", "less", "-0.3333"),  # went the wrong way
        ("0", "200", "150", "more", "0.75"),
        ("0", "200", "260", "more", "1.3"),  # beyond the target
        ("60", "85", "80", "target", "0.8"),
        ("60", "85", "90", "target", "0.8"),  # overshooting counts like falling short
        ("85", "85", "85", "target", "1"),
        ("1500", "1200", "1394", "more", None),  # the target points against the direction
        ("100", "100", "120", "more", None),  # no change asked
        (None, "1200", "1394", "less", None),
        ("1500", "1200", None, "less", None),
    ],
)
def test_achievement_follows_the_direction_from_the_baseline(
    baseline: str | None, target: str, actual: str | None, direction: str, expected: str | None
) -> None:
    def figure(text: str | None) -> Decimal | None:
        return None if text is None else Decimal(text)

    result = achievement(figure(baseline), figure(target), figure(actual), direction)
    assert result == figure(expected)
    assert result is None or isinstance(result, Decimal)


def test_achievement_refuses_an_unknown_direction() -> None:
    with pytest.raises(ValueError, match="sideways"):
        achievement(Decimal(1), Decimal(2), Decimal(3), "sideways")


def test_generated_projects_have_consistent_money_and_participants(database: Database) -> None:
    with database.session() as session:
        generate(session, 12, seed=5, batch=5)
        ids = session.scalars(select(Project.id).order_by(Project.id)).all()
        docs = [ps.get_project_doc(session, project_id, actor=READER) for project_id in ids]
        for doc in docs:
            assert check_codes(session, doc, extend_open_lists=False, actor=READER) == ([], [])
    directions = set()
    for doc in docs:
        (scheme,) = {x.scheme for x in doc.budget_lines}
        planned, actual = net_cost(budget_against_actual(doc, scheme))
        assert planned == doc.budget_amount and actual > 0
        assert {x.category for x in doc.cost_actuals} <= {x.category for x in doc.budget_lines}
        directions |= {i.direction for i in doc.indicators}
        per_period = participants_per_period(doc)
        unique = unique_participants(doc)
        assert unique is not None and per_period
        assert max(per_period.values()) <= unique <= sum(per_period.values())
        groups: dict[tuple[Any, ...], list[int]] = {}
        for stat in doc.participant_stats:
            key = (stat.gender, stat.age_class, stat.labour_status, stat.education)
            groups.setdefault(key, [0, 0, 0])
            if stat.period is None:
                groups[key][0] += stat.count
            else:
                groups[key][1] += stat.count
                groups[key][2] = max(groups[key][2], stat.count)
        assert all(most <= whole <= total for whole, total, most in groups.values())
        if doc.project_type == "stea":
            assert all(p.volunteers is not None and p.volunteers_basis for p in doc.periods)
    assert directions >= {"more", "less"}
    assert any(unique_participants(d) != sum(participants_per_period(d).values()) for d in docs)
