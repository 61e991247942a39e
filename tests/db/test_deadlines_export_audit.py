"""Hand-added deadlines in the JSON export and back, and in the audit log when their project goes
(SQLite and PostgreSQL).

The export lists each project's hand-added deadlines (not the computed ones) by project key; an
import of the file gives every project of the file exactly those deadlines — a new project and an
existing one alike — and a file without ``deadlines`` leaves them alone; a deadline the file
cannot hold (a period its project lacks, a project not in the file) is refused naming the field.
Deleting a project deletes its deadlines through the session, so each deletion is audited like
its periods' and indicators'.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from evaus.db import Database
from evaus.services import deadlines, registry_io
from evaus.services import projects as ps
from evaus.services.access import local_admin
from evaus.services.deadlines import DeadlineIn
from project_db.deadlines import ProjectDeadline
from project_db.errors import ValidationFailed
from project_db.models import AuditEntry

SETUP = local_admin("setup")
ADMIN = local_admin("pirjo")


@pytest.fixture
def project(database: Database) -> dict[str, Any]:
    """An STM project with two periods, a computed-nothing calendar and two hand-added
    deadlines (one of a period), and a project without any."""
    with database.session("setup") as session:
        created = ps.create_project(
            session,
            {
                "name": "Perhekeskus",
                "funding": [{"funder": {"name": "STM"}, "funder_code": "STM"}],
                "periods": [
                    {"number": 1, "start_date": "2026-01-01", "end_date": "2026-06-30"},
                    {"number": 2, "start_date": "2026-07-01", "end_date": "2026-12-31"},
                ],
            },
            actor=SETUP,
        )
        project_id, key = created.id, created.key
        ps.create_project(session, {"name": "Muu hanke"}, actor=SETUP)
        first = deadlines.add_deadline(
            session,
            project_id,
            DeadlineIn(due_on=date(2026, 9, 30), title="Väliraportti STM", report_kind="stm"),
            actor=ADMIN,
        )
        second = deadlines.add_deadline(
            session,
            project_id,
            DeadlineIn(due_on=date(2027, 2, 28), title="Jakson 2 selvitys", period=2),
            actor=ADMIN,
        )
    return {"id": project_id, "key": key, "deadlines": [first.id, second.id]}


def _stored(database: Database) -> list[tuple[Any, ...]]:
    with database.session() as session:
        rows = session.scalars(select(ProjectDeadline).order_by(ProjectDeadline.due_on)).all()
        return [
            (r.project_id, r.due_on, r.title, r.report_kind, r.period, r.created_by) for r in rows
        ]


def _export(database: Database) -> dict[str, Any]:
    with database.session() as session:
        exported: dict[str, Any] = json.loads(registry_io.export_json(session, actor=SETUP))
    return exported


def _import(database: Database, registry: dict[str, Any]) -> registry_io.ImportReport:
    with database.session() as session:
        return registry_io.import_source(session, json.dumps(registry).encode(), actor=SETUP)


def test_the_export_lists_the_hand_added_deadlines_by_project(
    database: Database, project: dict[str, Any]
) -> None:
    exported = _export(database)
    listed = [{k: v for k, v in d.items() if k != "created_at"} for d in exported["deadlines"]]
    assert listed == [
        {
            "project": project["key"],
            "due_on": "2026-09-30",
            "title": "Väliraportti STM",
            "report_kind": "stm",
            "period": None,
            "created_by": "pirjo",
        },
        {
            "project": project["key"],
            "due_on": "2027-02-28",
            "title": "Jakson 2 selvitys",
            "report_kind": None,
            "period": 2,
            "created_by": "pirjo",
        },
    ]
    assert all(d["created_at"] for d in exported["deadlines"])


def test_export_then_import_brings_them_back(database: Database, project: dict[str, Any]) -> None:
    before = _stored(database)
    exported = _export(database)
    with database.session() as session:
        version = ps.get_project(session, project["id"], actor=SETUP).version
        ps.delete_project(session, project["id"], expected_version=version, actor=SETUP)
    assert _stored(database) == []

    # The project is new to the registry now: created in bulk, its deadlines after it.
    report = _import(database, exported)
    assert report.counts["created"] == 1
    with database.session() as session:
        new_id = ps.find_project(session, project["key"], actor=SETUP).id
    assert _stored(database) == [(new_id, *row[1:]) for row in before]
    # Who added each and when come back too (a deadline without a period is done by a report
    # archived after it was added).
    assert _export(database)["deadlines"] == exported["deadlines"]

    # An existing project gets exactly the file's: one removed since comes back, one added
    # since goes, and an unchanged import changes nothing.
    with database.session() as session:
        first = deadlines.list_deadlines(session, new_id, actor=SETUP)[0]
        deadlines.delete_deadline(session, first.id, actor=SETUP)
        deadlines.add_deadline(
            session, new_id, DeadlineIn(due_on=date(2027, 5, 1), title="Lisätty"), actor=SETUP
        )
    _import(database, exported)
    assert _stored(database) == [(new_id, *row[1:]) for row in before]
    with database.session() as session:
        mark = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    _import(database, exported)
    with database.session() as session:
        later = session.scalars(select(AuditEntry.entity).where(AuditEntry.id > (mark or 0))).all()
    assert "project_deadline" not in later


def test_a_file_without_deadlines_leaves_them(database: Database, project: dict[str, Any]) -> None:
    exported = _export(database)
    before = _stored(database)
    del exported["deadlines"]
    _import(database, exported)
    assert _stored(database) == before
    # A single project's document (no registry around it) leaves them too.
    single = next(p for p in exported["projects"] if p["key"] == project["key"])
    _import(database, single)
    assert _stored(database) == before
    # An empty list is a statement: the file's projects have none.
    exported["deadlines"] = []
    _import(database, exported)
    assert _stored(database) == []


def test_a_deadline_the_file_cannot_hold_is_refused_naming_the_field(
    database: Database, project: dict[str, Any]
) -> None:
    exported = _export(database)
    before = _stored(database)
    exported["deadlines"][1]["period"] = 3
    exported["deadlines"].append(
        {"project": "ei-tällaista", "due_on": "2027-01-01", "title": "Orpo"}
    )
    with pytest.raises(ValidationFailed) as refused:
        _import(database, exported)
    assert [(p.field, p.params) for p in refused.value.problems] == [
        ("deadlines.1.period", {"number": 3}),
        ("deadlines.2.project", {"key": "ei-tällaista"}),
    ]
    assert _stored(database) == before  # nothing was saved


def test_deleting_a_project_audits_the_deletion_of_its_deadlines(
    database: Database, project: dict[str, Any]
) -> None:
    with database.session() as session:
        version = ps.get_project(session, project["id"], actor=SETUP).version
        ps.delete_project(session, project["id"], expected_version=version, actor=ADMIN)
    with database.session() as session:
        entries = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "project_deadline", AuditEntry.action == "delete"
            )
        ).all()
        periods = session.scalars(
            select(AuditEntry.entity_id).where(
                AuditEntry.entity == "reporting_period", AuditEntry.action == "delete"
            )
        ).all()
    assert len(set(periods)) == 2  # the project's periods, audited as they always were
    assert {e.entity_id for e in entries} == set(project["deadlines"])
    assert {e.actor for e in entries} == {"pirjo"}
    assert {e.project_id for e in entries} == {project["id"]}
    deleted = {(e.entity_id, e.field): e.old_value for e in entries}
    first, second = project["deadlines"]
    assert deleted[(first, "title")] == "Väliraportti STM"
    assert deleted[(first, "due_on")] == "2026-09-30"
    assert deleted[(second, "period")] == "2"
    assert _stored(database) == []
