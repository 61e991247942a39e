"""Who was heard (kuuleminen) as a record, on SQLite and PostgreSQL: the 0015 migration of the old
free-text way (up, down and up again, nothing lost), the service's save with every field, the
refusals that name the field, the JSON export/import (an old file's free-text way included)
and the change history's labels."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, text

from evaus.db import Database
from evaus.i18n import describe_problem
from evaus.services import assessments as svc
from evaus.services import registry_io, users
from evaus.services.access import Actor, local_admin
from evaus.services.history import readable_history
from project_db.errors import ValidationFailed
from project_db.migrate import alembic_config, current_revision, head_revision, upgrade

READER = local_admin("tests")
NEW_COLUMNS = {"method_note", "held_on", "participants", "children_heard", "children_how"}

# The old free-text ways, and what the upgrade makes of them: (code, note).
OLD_WAYS = [
    ("Kysely", ("survey", "")),
    ("Asukaskysely verkossa", ("survey", "Asukaskysely verkossa")),
    ("ryhmähaastattelut  nuorisotalolla", ("interview", "ryhmähaastattelut nuorisotalolla")),
    ("Kirjallinen lausunto.", ("statement", "")),
    (
        "Järjestöjen aloite ja yhteinen valmistelu",
        (None, "Järjestöjen aloite ja yhteinen valmistelu"),
    ),
    ("Työpaja ja kysely", (None, "Työpaja ja kysely")),  # two ways: the text decides nothing
    ("", (None, "")),
]


@pytest.fixture
def manager(database: Database) -> Actor:
    with database.session("test") as session:
        user = users.create_user(
            session, "maija", role="manager", password="maija-salasana-1", actor=READER
        )
        return Actor.of(user)


def _draft(database: Database, actor: Actor) -> svc.AssessmentView:
    with database.session() as session:
        return svc.create_assessment(
            session, {"title": "Nuorisotilat", "decision": "Yhdistetäänkö?"}, actor=actor
        )


def _hearings(database: Database, assessment_id: int) -> list[Any]:
    with database.session() as session:
        return svc.get_assessment(session, assessment_id, actor=READER).doc.hearings


# --- the migration ------------------------------------------------------------------------------


def _insert_old_rows(database: Database, assessment_id: int) -> None:
    """Hearings as revision 0014 stored them: the way as free text."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with database.engine.begin() as conn:
        for position, (method, _expected) in enumerate(OLD_WAYS):
            conn.execute(
                text(
                    "INSERT INTO assessment_hearing (group_name, method, summary, key, "
                    "assessment_id, position, version, created_at, updated_at) VALUES "
                    "(:group, :method, 'Sanoivat jotain', :key, :aid, :pos, 1, :now, :now)"
                ),
                {
                    "group": f"Ryhmä {position}",
                    "method": method,
                    "key": f"old-{position}",
                    "aid": assessment_id,
                    "pos": position,
                    "now": now,
                },
            )


def _old_methods(database: Database) -> list[str]:
    with database.engine.connect() as conn:
        rows = conn.execute(text("SELECT method FROM assessment_hearing ORDER BY position"))
        return [row[0] for row in rows]


def test_migration_0015_keeps_the_old_way_and_gives_it_back(
    database: Database, manager: Actor
) -> None:
    engine = database.engine
    view = _draft(database, manager)
    command.downgrade(alembic_config(engine), "0014")
    assert current_revision(engine) == "0014"
    assert not NEW_COLUMNS & {c["name"] for c in inspect(engine).get_columns("assessment_hearing")}
    _insert_old_rows(database, view.id)

    upgrade(engine)
    assert current_revision(engine) == head_revision(engine)
    hearings = _hearings(database, view.id)
    assert [(h.method, h.method_note) for h in hearings] == [way for _old, way in OLD_WAYS]
    # The new facts are empty: nothing is made up for an old record.
    assert {
        (h.held_on, h.participants, h.children_heard, h.children_how, h.outcome) for h in hearings
    } == {(None, None, False, "", "")}
    assert {h.summary for h in hearings} == {"Sanoivat jotain"}

    # Down again: every old text comes back as it was (a bare name in its Finnish spelling).
    command.downgrade(alembic_config(engine), "0014")
    assert _old_methods(database) == [
        "Kysely",
        "Asukaskysely verkossa",
        "ryhmähaastattelut nuorisotalolla",
        "Kirjallinen lausunto",
        "Järjestöjen aloite ja yhteinen valmistelu",
        "Työpaja ja kysely",
        "",
    ]
    # Dropped in place: the table keeps its rows, its key to the assessment and its index.
    columns = {c["name"] for c in inspect(engine).get_columns("assessment_hearing")}
    assert not NEW_COLUMNS & columns and "outcome" not in columns
    (foreign_key,) = inspect(engine).get_foreign_keys("assessment_hearing")
    assert foreign_key["referred_table"] == "assessment"
    assert foreign_key["options"].get("ondelete") == "CASCADE"
    upgrade(engine)
    assert len(_hearings(database, view.id)) == len(OLD_WAYS)


def test_a_downgrade_and_an_upgrade_lose_nothing(database: Database, manager: Actor) -> None:
    view = _draft(database, manager)
    version = view.version
    items = [
        {"group": "Nuoret", "method": "workshop", "method_note": "Nuorisotalolla"},
        {"group": "Henkilöstö", "method": "interview"},
        {"group": "Järjestöt", "method": "other", "method_note": "Yhteinen valmistelu"},
        {"group": "Kaupunginosayhdistys", "method_note": "Puhelimitse"},
        {"group": "Asukkaat", "method_note": "Kysely verkossa"},  # the way left open
        {**FULL, "summary": ""},
        FULL,
    ]
    with database.session() as session:
        for item in items:
            version = svc.upsert_hearing(
                session, view.id, item, expected_version=version, actor=manager
            )
    before = _hearings(database, view.id)
    command.downgrade(alembic_config(database.engine), "0014")
    methods = _old_methods(database)
    assert methods[:5] == [
        "Työpaja: Nuorisotalolla",
        "Haastattelu",
        "Muu tapa: Yhteinen valmistelu",
        "Puhelimitse",
        "Kysely verkossa",
    ]
    with database.engine.connect() as conn:
        summaries = [
            row[0]
            for row in conn.execute(
                text("SELECT summary FROM assessment_hearing ORDER BY position")
            )
        ]
    # The old version reads what it has no column for at the end of the summary.
    assert summaries[1] == "" and summaries[3] == ""
    assert summaries[6].startswith(FULL["summary"] + "\n\nKuulemisen tiedot (EVAUS): {")
    assert '"outcome": "Vaihtoehtoon 1 lisättiin iltavuorot."' in summaries[6]
    upgrade(database.engine)
    assert _hearings(database, view.id) == before


# --- the record through the services ------------------------------------------------------------

FULL = {
    "group": "Nuorisovaltuusto",
    "method": "workshop",
    "method_note": "Kaksi iltaa nuorisotalolla",
    "held_on": date(2026, 3, 4),
    "participants": 14,
    "children_heard": True,
    "children_how": "Nuoret työstivät ehdotuksia pienryhmissä.",
    "summary": "Aukioloajat iltaisin ovat tärkeimmät.",
    "outcome": "Vaihtoehtoon 1 lisättiin iltavuorot.",
}


def test_every_field_is_saved_audited_and_exported(database: Database, manager: Actor) -> None:
    view = _draft(database, manager)
    with database.session() as session:
        version = svc.upsert_hearing(
            session, view.id, FULL, expected_version=view.version, actor=manager
        )
    (hearing,) = _hearings(database, view.id)
    assert hearing.model_dump(exclude={"key"}) == FULL

    # Changed: the history names the fields and shows the values as people read them.
    with database.session() as session:
        svc.upsert_hearing(
            session,
            view.id,
            {**FULL, "key": hearing.key, "method": "survey", "participants": 15},
            expected_version=version,
            actor=manager,
        )
    with database.session() as session:
        exported = json.loads(registry_io.export_json(session, actor=READER))
    (doc,) = exported["assessments"]
    (record,) = doc["hearings"]
    assert record["method"] == "survey" and record["held_on"] == "2026-03-04"
    assert record["participants"] == 15 and record["children_heard"] is True
    assert record["outcome"] == FULL["outcome"]


def test_a_wrong_value_is_refused_naming_the_field(database: Database, manager: Actor) -> None:
    view = _draft(database, manager)
    for wrong in ({"participants": -1}, {"participants": "kolme"}, {"method": "kirje"}):
        with database.session() as session, pytest.raises(ValidationFailed) as refused:
            svc.upsert_hearing(
                session,
                view.id,
                {"group": "Asukkaat", "method_note": "", **wrong},
                expected_version=view.version,
                actor=manager,
            )
        (problem,) = refused.value.problems
        assert problem.field == f"hearings.{next(iter(wrong))}"
        assert describe_problem(problem, "fi")
    assert _hearings(database, view.id) == []


def test_an_old_export_file_with_the_way_as_text_imports(database: Database) -> None:
    """A file exported before the codes: "method" is free text and there is no note."""
    view = _draft(database, local_admin("t"))
    with database.session() as session:
        exported = json.loads(registry_io.export_json(session, actor=READER))
    (doc,) = exported["assessments"]
    doc["hearings"] = [
        {"key": "h-1", "group": "Asukkaat", "method": "Asukaskysely verkossa", "summary": "Hyvä"},
        {"key": "h-2", "group": "Henkilöstö", "method": "Haastattelu", "summary": ""},
    ]
    with database.session() as session:
        report = registry_io.import_source(
            session, json.dumps(exported).encode(), actor=local_admin("t")
        )
    assert [a.action for a in report.assessments] == ["updated"]
    hearings = _hearings(database, view.id)
    assert [(h.method, h.method_note, h.summary) for h in hearings] == [
        ("survey", "Asukaskysely verkossa", "Hyvä"),
        ("interview", "", ""),
    ]


def test_the_change_history_names_the_new_fields(database: Database) -> None:
    admin = local_admin("t")
    with database.session() as session:
        imported = registry_io.import_source(
            session, json.dumps({"projects": [{"name": "Nuorisotilat"}]}).encode(), actor=admin
        )
        project_id = imported.projects[0].project_id
        assert project_id is not None
        view = svc.create_assessment(
            session, {"title": "Tilat"}, project_id=project_id, actor=admin
        )
        version = svc.upsert_hearing(
            session, view.id, {"group": "Nuoret"}, expected_version=view.version, actor=admin
        )
        key = svc.get_assessment(session, view.id, actor=READER).doc.hearings[0].key
        svc.upsert_hearing(
            session, view.id, {**FULL, "key": key}, expected_version=version, actor=admin
        )
    with database.session() as session:
        history = readable_history(session, project_id, "fi", actor=READER)
    changes = {
        change.label: (change.old, change.new)
        for group in history.groups
        for line in group.lines
        for change in line.changes
    }
    assert changes["Miten kuultiin"] == ("", "Työpaja")
    assert changes["Milloin kuultiin"] == ("", "4.3.2026")
    assert changes["Kuultujen henkilöiden määrä"] == ("", "14")
    assert changes["Lapsia tai nuoria kuultu"] == ("ei", "kyllä")
    assert changes["Mitä kuulemisen vuoksi muuttui"] == ("", FULL["outcome"])
