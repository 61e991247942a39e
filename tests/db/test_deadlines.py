"""The reporting calendar and the due items computed from it, on SQLite and PostgreSQL: ESR
period end + N days, STEA 31.3. of the following year, hand-added deadlines, the states on a
given day, "done" from the report archive, the rights and the audit trail."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from evaus.db import Database
from evaus.reports import kinds
from evaus.services import deadlines
from evaus.services import projects as ps
from evaus.services.access import Forbidden
from evaus.services.deadlines import DeadlineIn, DueFilter, RuleIn
from project_db.deadlines import DEFAULT_RULES
from project_db.errors import ValidationFailed
from project_db.models import AuditEntry, ReportArchive
from tests.db.conftest import SETUP, join_project, new_user

TODAY = date(2026, 8, 15)


def _rule(session: Session, funder: str, basis: str) -> deadlines.RuleOut:
    rules = deadlines.list_rules(session, actor=SETUP)
    return next(r for r in rules if r.funder_code == funder and r.basis == basis)


@pytest.fixture
def registry(database: Database) -> dict[str, Any]:
    with database.session("setup") as session:
        esr = ps.create_project(
            session,
            {
                "name": "ESR-hanke",
                "funding": [{"funder": {"name": "ELY"}, "funder_code": "ESR", "amount": "1000"}],
                "periods": [
                    {"number": 1, "start_date": "2026-01-01", "end_date": "2026-06-30"},
                    {"number": 2, "start_date": "2026-07-01", "end_date": "2026-12-31"},
                ],
            },
            actor=SETUP,
        ).id
        stea = ps.create_project(
            session,
            {
                "name": "STEA-kohde",
                "start_date": "2025-01-01",
                "end_date": "2026-12-31",
                "funding": [{"funder": {"name": "STEA"}, "funder_code": "STEA"}],
            },
            actor=SETUP,
        ).id
        other = ps.create_project(session, {"name": "Muu hanke"}, actor=SETUP).id
        maija = join_project(session, new_user(session, "maija", "manager"), esr)
        kalle = join_project(session, new_user(session, "kalle", "manager"), other)
        ville = new_user(session, "ville", "viewer")
        # The administrator sets the ESR days and starts the calendar before these projects.
        for funder, basis, days in (("ESR", "period_end", 30), ("STEA", "yearly", None)):
            rule = _rule(session, funder, basis)
            changed = rule.model_dump(exclude={"id", "version"})
            changed.update(starts_on=date(2020, 1, 1))
            if days is not None:
                changed["days_after"] = days
            deadlines.update_rule(session, rule.id, RuleIn(**changed), actor=SETUP)
        annual = next(
            r for r in deadlines.list_rules(session, actor=SETUP) if r.title_fi.endswith("selvitys")
        )
        deadlines.update_rule(
            session,
            annual.id,
            RuleIn(**{**annual.model_dump(exclude={"id", "version"}), "active": False}),
            actor=SETUP,
        )
    return {"esr": esr, "stea": stea, "other": other, "maija": maija, "kalle": kalle,
            "ville": ville}  # fmt: skip


def test_the_default_calendar_states_only_the_funders_practice(database: Database) -> None:
    with database.session() as session:
        rules = deadlines.list_rules(session, actor=SETUP)
    assert len(rules) == len(DEFAULT_RULES)
    by_title = {r.title_fi: r for r in rules}
    esr = by_title["ESR-seurantaraportti"]
    assert (esr.basis, esr.days_after, esr.report_kind) == ("period_end", None, "esr-period")
    results = by_title["STEA-tuloksellisuusraportti"]
    assert (results.month, results.day, results.report_kind) == (3, 31, "stea")
    annual = by_title["STEA-vuosiselvitys"]
    assert (annual.month, annual.day, annual.report_kind) == (5, 31, None)
    stm = next(r for r in rules if r.funder_code == "STM")
    assert stm.basis == "decision"
    assert {r.report_kind for r in rules} - {None} <= set(kinds.names())


def test_esr_period_end_plus_days_and_stea_next_march(
    database: Database, registry: dict[str, Any]
) -> None:
    with database.session() as session:
        items = deadlines.due_items(session, actor=SETUP, today=TODAY, lang="fi")
    esr, stea = registry["esr"], registry["stea"]
    found = {(i.project_id, i.key): i for i in items}
    esr_items = [i for i in items if i.project_id == esr]
    assert [(i.period, i.due_on, i.state, i.kind) for i in esr_items] == [
        (1, date(2026, 7, 30), "overdue", "esr-period"),
        (2, date(2027, 1, 30), "upcoming", "esr-period"),
    ]
    assert esr_items[0].key.startswith(f"p{esr}:r") and esr_items[0].key.endswith(":period1")
    stea_items = [i for i in items if i.project_id == stea]
    assert [(i.year, i.due_on, i.state, i.kind) for i in stea_items] == [
        (2025, date(2026, 3, 31), "overdue", "stea"),
        (2026, date(2027, 3, 31), "upcoming", "stea"),
    ]
    assert stea_items[0].title == "STEA-tuloksellisuusraportti"
    assert stea_items[0].url == f"/projects/{stea}/reports"
    assert all(i.project_id != registry["other"] for i in found.values())


def test_states_relative_to_today_and_done_from_the_archive(
    database: Database, registry: dict[str, Any]
) -> None:
    esr = registry["esr"]
    with database.session() as session:
        soon = deadlines.project_due_items(session, esr, actor=SETUP, today=date(2026, 7, 20))
        assert soon[0].state == "due"  # 30.7. is within the next 14 days
        on_the_day = deadlines.project_due_items(session, esr, actor=SETUP, today=date(2026, 7, 30))
        assert on_the_day[0].state == "due"
        session.add(
            ReportArchive(
                created_by="setup",
                project_id=esr,
                project_name="ESR-hanke",
                kind="esr-period",
                period=1,
                lang="fi",
                report_date=date(2026, 7, 29),
                template_sha256="0" * 64,
                data_sha256="0" * 64,
                sha256="0" * 64,
                size=1,
                filename="r.docx",
                content=b"x",
            )
        )
        session.commit()
        after = deadlines.project_due_items(session, esr, actor=SETUP, today=TODAY)
        assert [i.state for i in after] == ["done", "upcoming"]
        nxt = deadlines.next_due(session, esr, actor=SETUP, today=TODAY)
        assert nxt is not None and nxt.period == 2


def test_manual_deadline(database: Database, registry: dict[str, Any]) -> None:
    other, kalle = registry["other"], registry["kalle"]
    with database.session("kalle") as session:
        added = deadlines.add_deadline(
            session,
            other,
            DeadlineIn(due_on=date(2026, 8, 20), title="  Väliraportti   päätöksen mukaan "),
            actor=kalle,
        )
        assert added.title == "Väliraportti päätöksen mukaan"
        items = deadlines.due_items(session, actor=kalle, today=TODAY)
        assert [(i.key, i.due_on, i.state) for i in items] == [
            (f"p{other}:d{added.id}", date(2026, 8, 20), "due")
        ]
        later = deadlines.due_items(session, actor=kalle, today=date(2026, 7, 1))
        assert later[0].state == "upcoming"
        with pytest.raises(ValidationFailed):
            deadlines.add_deadline(
                session, other, DeadlineIn(due_on=TODAY, title="x", period=3), actor=kalle
            )
        with pytest.raises(ValidationFailed):
            deadlines.add_deadline(
                session, other, DeadlineIn(due_on=TODAY, title="x", report_kind="nope"),
                actor=kalle,
            )  # fmt: skip
        audited = session.scalars(
            select(AuditEntry.field).where(
                AuditEntry.entity == "project_deadline", AuditEntry.actor == "kalle"
            )
        ).all()
        assert {"title", "due_on", "project_id"} <= set(audited)
        deadlines.delete_deadline(session, added.id, actor=kalle)
        assert deadlines.due_items(session, actor=kalle, today=TODAY) == []


def test_rights_a_manager_sees_only_own(database: Database, registry: dict[str, Any]) -> None:
    maija, kalle, ville = registry["maija"], registry["kalle"], registry["ville"]
    with database.session() as session:
        mine = deadlines.due_items(session, actor=maija, today=TODAY)
        assert {i.project_id for i in mine} == {registry["esr"]}
        assert deadlines.due_items(session, actor=kalle, today=TODAY) == []
        everything = {i.project_id for i in deadlines.due_items(session, actor=ville, today=TODAY)}
        assert everything == {registry["esr"], registry["stea"]}
        with pytest.raises(Forbidden):
            deadlines.add_deadline(
                session, registry["esr"], DeadlineIn(due_on=TODAY, title="x"), actor=kalle
            )
        for who in (maija, ville):
            with pytest.raises(Forbidden):
                deadlines.add_rule(session, RuleIn(funder_code="ESR", title_fi="Uusi"), actor=who)
        # The portfolio view's filters: a manager's projects, a funder, states, a date range.
        by_maija = DueFilter(manager=maija.user_id)
        assert {i.project_id for i in deadlines.due_items(
            session, actor=ville, filters=by_maija, today=TODAY)} == {registry["esr"]}  # fmt: skip
        overdue_stea = DueFilter(funder="STEA", states=("overdue",), end=date(2026, 12, 31))
        found = deadlines.due_items(session, actor=ville, filters=overdue_stea, today=TODAY)
        assert [(i.project_id, i.due_on) for i in found] == [(registry["stea"], date(2026, 3, 31))]


def test_an_admin_edits_the_calendar_audited(database: Database, registry: dict[str, Any]) -> None:
    with database.session() as session:
        with pytest.raises(ValidationFailed):
            deadlines.add_rule(
                session, RuleIn(funder_code="STEA", basis="yearly", month=2, day=30,
                                title_fi="x"), actor=SETUP)  # fmt: skip
        added = deadlines.add_rule(
            session,
            RuleIn(funder_code="STEA", basis="yearly", month=2, day=29, title_fi="Helmikuu",
                   starts_on=date(2020, 1, 1)),
            actor=SETUP,
        )  # fmt: skip
        items = deadlines.project_due_items(session, registry["stea"], actor=SETUP, today=TODAY)
        february = sorted(i.due_on for i in items if i.rule_id == added.id)
        assert february == [date(2026, 2, 28), date(2027, 2, 28)]  # no 29.2. in those years
        audited = session.scalars(
            select(AuditEntry.entity_id).where(
                AuditEntry.entity == "reporting_rule", AuditEntry.field == "title_fi"
            )
        ).all()
        assert added.id in audited
        assert all(e.at <= datetime.now(UTC) for e in session.scalars(select(AuditEntry)))


def test_api_lists_the_actors_due_items(database: Database, registry: dict[str, Any]) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from evaus.api import router
    from evaus.services import tokens

    app = FastAPI()
    app.include_router(router)
    app.state.database = database
    with database.session("setup") as session:
        token = tokens.create_token(session, registry["maija"].user_id, "t", actor=SETUP)
        session.commit()
    client = TestClient(app)
    headers = {"Authorization": f"Bearer {token}"}
    answer = client.get(
        "/api/deadlines", params={"today": TODAY.isoformat(), "state": "overdue"}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [(i["project_id"], i["period"], i["due_on"], i["state"]) for i in body] == [
        (registry["esr"], 1, "2026-07-30", "overdue")
    ]
    assert body[0]["title"] == "ESR-seurantaraportti"
    assert client.get("/api/deadlines").status_code == 401
    schema = client.get("/openapi.json").json()
    assert "/api/deadlines" in schema["paths"]
