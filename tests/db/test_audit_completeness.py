"""The audit log against the data: every inserted, updated and deleted row and field of every
table has its audit entry with the old and new value, and there is no entry without a change.

A generated registry is created in bulk (one audit row per project with its whole document),
then random edits are saved through documents and imports — fields changed, child records added
and removed (goals, indicators, people, organisations, sections …), e-mails changed, a project
deleted. Every table is snapshot before and after each edit; the audit entries of the edit, replayed
on the first snapshot (each created field set, each update and deletion applied only where its
old value is the one there), must give the second exactly: nothing changed without an entry,
no entry without its change.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evaus.db import Database
from evaus.dev.generate import generate_docs
from evaus.services import projects as ps
from evaus.services import registry_io
from evaus.services.access import local_admin
from project_db.audit import _SECRET, _SKIP, _text, set_actor
from project_db.base import Base
from project_db.bulk import BULK_CONTENT_FIELD, create_projects
from project_db.models import AuditEntry, Project
from project_db.schemas import ProjectDoc
from project_db.store import apply_doc, to_doc

Snapshot = dict[str, dict[int, dict[str, str | None]]]

NUMBER = re.compile(r"-?\d+(\.\d+)?")
TABLES = [t for t in Base.metadata.sorted_tables if t.name != AuditEntry.__tablename__]


def _snapshot(session: Session) -> Snapshot:
    """Every row of every table: id → the audited columns as the audit log writes values."""
    snapshot: Snapshot = {}
    for table in TABLES:
        columns = [c for c in table.columns if c.key not in _SKIP]
        rows = session.connection().execute(select(table.c.id, *columns)).all()
        snapshot[table.name] = {
            row[0]: {
                c.key: ("***" if c.key in _SECRET and value is not None else _text(value))
                for c, value in zip(columns, row[1:], strict=True)
            }
            for row in rows
        }
    return snapshot


def _replayed(before: Snapshot, entries: list[AuditEntry]) -> Snapshot:
    """The tables as the audit entries say they became: each created field set, each update
    applied where the old value matches, each deleted field removed where it matches."""
    state = {table: {i: dict(row) for i, row in rows.items()} for table, rows in before.items()}
    deleted: set[tuple[str, int]] = set()
    for e in entries:
        rows = state[e.entity]
        if e.action == "create":
            created = rows.setdefault(e.entity_id, {})
            if e.field is not None:
                assert created.get(e.field) is None, f"created twice: {e.entity} {e.field}"
                created[e.field] = e.new_value
            continue
        row = rows.get(e.entity_id)
        assert row is not None, f"{e.action} of a row that is not there: {e.entity} {e.entity_id}"
        assert e.field is not None
        assert row.get(e.field) == e.old_value, f"wrong old value: {e.entity}.{e.field}"
        if e.action == "update":
            row[e.field] = e.new_value
        else:
            row[e.field] = None
            deleted.add((e.entity, e.entity_id))
    for table, row_id in deleted:
        left = {k: v for k, v in state[table][row_id].items() if v is not None}
        assert left == {}, f"deleted {table} {row_id} without its values {left}"
        del state[table][row_id]
    return state


def _held(snapshot: Snapshot) -> Snapshot:
    """Without empty fields: a created row's audit rows name only what it was given."""
    return {
        table: {i: {k: v for k, v in row.items() if v is not None} for i, row in rows.items()}
        for table, rows in snapshot.items()
    }


def _entries(session: Session, after_id: int) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.id > after_id).order_by(AuditEntry.id)
    return list(session.scalars(query).all())


def _last_audit(session: Session) -> int:
    return session.scalar(select(func.max(AuditEntry.id))) or 0


# --- random edits of a project document ------------------------------------------------------


def _drop(rng: random.Random, items: list[Any]) -> Any:
    return items.pop(rng.randrange(len(items))) if items else None


def _forget(doc: dict[str, Any], field: str, key: str | None) -> None:
    """Clear references to a removed goal or measure."""
    if key is None:
        return
    for name in ("goals", "measures", "results", "indicators"):
        for item in doc[name]:
            if item.get(field) == key:
                item[field] = None


def _edit(rng: random.Random, doc: dict[str, Any], round_no: int) -> None:
    edits: list[Callable[[], object]] = [
        lambda: doc.update(summary=f"Muutettu tiivistelmä {round_no}"),
        lambda: doc.update(website=None if doc["website"] else f"https://example.fi/{round_no}"),
        lambda: doc.update(budget_amount=str(Decimal(rng.randrange(10_000, 900_000)))),
        lambda: doc.update(municipality=None),
        lambda: _forget(doc, "goal_key", (_drop(rng, doc["goals"]) or {}).get("key")),
        lambda: _forget(doc, "measure_key", (_drop(rng, doc["measures"]) or {}).get("key")),
        lambda: _drop(rng, doc["indicators"]),
        lambda: _drop(rng, doc["results"]),
        lambda: _drop(rng, doc["people"]),
        lambda: _drop(rng, doc["organisations"]),
        lambda: _drop(rng, doc["sections"]),
        lambda: _drop(rng, doc["funding"]),
        lambda: _drop(rng, doc["themes"]),
        lambda: _drop(rng, doc["links"]),
        lambda: _drop(rng, doc["participant_stats"]),
        lambda: [_drop(rng, i["values"]) for i in doc["indicators"][:1]],
        lambda: doc["goals"].append({"title": f"Uusi tavoite {round_no}", "description": "x"}),
        lambda: doc["sections"].append(
            {"kind": "muu", "title": f"Uusi osio {round_no}", "body": "Teksti"}
        ),
        lambda: doc["links"].append({"url": f"https://example.fi/l{round_no}", "title": "L"}),
        lambda: [
            p["person"].update(email=f"vaihdettu{round_no}@example.fi") for p in doc["people"][:1]
        ],
        lambda: doc["people"].append(
            {"person": {"name": f"Uusi Henkilö {round_no}", "phone": "040 123 4567"}, "role": "R"}
        ),
    ]
    for edit in rng.sample(edits, rng.randint(3, 8)):
        edit()
    for goal in doc["goals"]:
        if goal.get("parent_key") and goal["parent_key"] not in {g["key"] for g in doc["goals"]}:
            goal["parent_key"] = None


def _check_round(session: Session, before: Snapshot, mark: int) -> Snapshot:
    """The audit entries written since ``mark``, replayed on ``before``, give the data now."""
    after = _snapshot(session)
    assert _held(after) != _held(before), "the edit changed nothing: the round checks nothing"
    assert _held(_replayed(before, _entries(session, mark))) == _held(after)
    return after


def _without_keys(value: Any) -> Any:
    """A document as comparable: no generated keys, shared records (organisations, people;
    audited as their own rows) by name, amounts by value."""
    if isinstance(value, dict) and set(value) >= {"name", "email"}:
        return value["name"]
    if isinstance(value, dict) and set(value) >= {"name", "y_tunnus"}:
        return value["name"]
    if isinstance(value, dict):
        return {
            k: _without_keys(v)
            for k, v in value.items()
            if k not in {"key", "goal_key", "measure_key", "parent_key"}
        }
    if isinstance(value, list):
        return [_without_keys(v) for v in value]
    if isinstance(value, str) and NUMBER.fullmatch(value):
        return Decimal(value).normalize()  # 2429000 and 2429000.00 are the same amount
    return value


@pytest.mark.parametrize("seed", [3, 11])
def test_every_change_has_its_audit_entry(database: Database, seed: int) -> None:
    rng = random.Random(seed)
    with database.session() as session:
        set_actor(session, "generator")
        mark = _last_audit(session)
        ids = create_projects(session, list(generate_docs(6, seed=seed)))
        session.commit()
        # Bulk creation: one audit row per project, holding the whole project document.
        for project_id in ids:
            (entry,) = session.scalars(
                select(AuditEntry).where(
                    AuditEntry.id > mark,
                    AuditEntry.entity == "project",
                    AuditEntry.entity_id == project_id,
                )
            ).all()
            assert (entry.action, entry.field) == ("create", BULK_CONTENT_FIELD)
            logged = ProjectDoc.model_validate(json.loads(entry.new_value or "{}"))
            stored = to_doc(session.get_one(Project, project_id))
            assert logged.key == stored.key
            assert _without_keys(logged.model_dump(mode="json")) == _without_keys(
                stored.model_dump(mode="json")
            )
        session.expunge_all()

        before = _snapshot(session)
        for round_no in range(12):
            project_id = rng.choice(ids)
            project = session.get_one(Project, project_id)
            doc = to_doc(project).model_dump(mode="json")
            _edit(rng, doc, round_no)
            mark = _last_audit(session)
            how = round_no % 3
            if how == 0:  # the editor's path
                ps.save_project_doc(
                    session,
                    project_id,
                    doc,
                    expected_version=project.version,
                    actor=local_admin("editor"),
                )
            elif how == 1:  # a registry JSON file: a complete document, it replaces
                data = json.dumps({"projects": [doc]}).encode()
                registry_io.import_source(session, data, actor=local_admin("importer"))
            else:  # the data layer directly
                set_actor(session, "store")
                apply_doc(session, project, ProjectDoc.model_validate(doc))
                session.commit()
            session.expunge_all()
            before = _check_round(session, before, mark)

        # A new project through the ORM: every field of every record is in its creation rows.
        mark = _last_audit(session)
        new_doc = next(generate_docs(1, seed=seed + 1000, first=900))
        ps.create_project(session, new_doc, actor=local_admin("editor"))
        session.expunge_all()
        before = _check_round(session, before, mark)

        # Deleting a whole project: every row it had is in the deletion rows.
        mark = _last_audit(session)
        victim = session.get_one(Project, ids[0])
        ps.delete_project(
            session, victim.id, expected_version=victim.version, actor=local_admin("remover")
        )
        session.expunge_all()
        _check_round(session, before, mark)
