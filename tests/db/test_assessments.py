"""Assessments through the services, on SQLite and PostgreSQL: autosave, conflicts, freezing,
versions, the alternative rules, rights, hostile text, export/import, backup and the demo."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, event, func, select

from evaus.assessment import FrameworkInvalid, framework_text
from evaus.db import Database
from evaus.demo import load_demo
from evaus.i18n import describe_problem
from evaus.services import assessment_frameworks as frameworks
from evaus.services import assessments as svc
from evaus.services import registry_io, users
from evaus.services.access import Actor, Forbidden, local_admin
from evaus.services.startup import open_registry
from project_db.assessment_models import Assessment, AssessmentImpact
from project_db.assessment_schemas import AlternativeIn, RiskIn
from project_db.backup import create_backup, restore_backup
from project_db.base import Base
from project_db.errors import ConflictError, ValidationFailed
from project_db.models import AuditEntry, Project
from tests.assessment_docs import FRAMEWORK

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

RELEVANT = ("wellbeing_health", "economy")


def _actor(database: Database, username: str, role: str) -> Actor:
    with database.session("test") as session:
        user = users.create_user(
            session,
            username,
            role=role,
            password=f"{username}-salasana-1",
            actor=local_admin("test"),
        )
        return Actor.of(user)


@pytest.fixture
def admin(database: Database) -> Actor:
    return _actor(database, "paivi", "admin")


@pytest.fixture
def manager(database: Database) -> Actor:
    return _actor(database, "maija", "manager")


def _create(
    database: Database, actor: Actor, project_id: int | None = None, framework_id: str = "default"
) -> svc.AssessmentView:
    with database.session() as session:
        return svc.create_assessment(
            session,
            {"title": "Palvelukeskus", "decision": "Perustetaanko?"},
            project_id=project_id,
            framework_id=framework_id,
            actor=actor,
        )


def _fill(database: Database, view: svc.AssessmentView, actor: Actor) -> int:
    """Everything the blocking checks need, saved the way the wizard saves it."""
    version = view.version
    new = AlternativeIn(name="Yhteinen palvelukeskus", description="Uusi", cost_per_year="1000")
    zero = view.doc.zero_alternative
    with database.session() as session:
        version = svc.set_screening(
            session,
            view.id,
            needed=True,
            criteria=["specific_group"],
            expected_version=version,
            actor=actor,
        )
        version = svc.upsert_alternative(
            session, view.id, new, expected_version=version, actor=actor
        )
        for code in FRAMEWORK.area_codes:
            version = svc.set_area_relevance(
                session,
                view.id,
                code,
                relevant=code in RELEVANT,
                reason="Syy",
                expected_version=version,
                actor=actor,
            )
        for area in RELEVANT:
            for alt, direction in ((zero.key, "0"), (new.key, "+")):
                version = svc.set_impact(
                    session,
                    view.id,
                    area,
                    alt,
                    {"direction": direction, "size": "pieni"},
                    expected_version=version,
                    actor=actor,
                )
        version = svc.set_recommendation(
            session,
            view.id,
            {"alternative_key": new.key, "reasoning": "Parempi palvelu"},
            expected_version=version,
            actor=actor,
        )
    return version


def test_create_adds_the_zero_alternative_and_records_the_framework(
    database: Database, manager: Actor
) -> None:
    with database.session() as session:
        registry_io.import_source(
            session, b'{"projects": [{"name": "Hanska"}]}', actor=local_admin("t")
        )
        project_id = session.scalar(select(Project.id))
    view = _create(database, manager, project_id=project_id)
    assert [a.name for a in view.doc.alternatives] == ["Nykytila jatkuu"]
    assert view.doc.alternatives[0].is_zero
    assert (view.doc.framework_id, view.doc.framework_version) == ("default", 1)
    assert view.doc.status == "luonnos" and view.can_edit and not view.frozen
    assert view.doc.created_by == "maija"
    with database.session() as session:
        listed = svc.list_assessments(session, project_id=project_id, actor=READER)
        assert [a.id for a in listed] == [view.id]
        assert listed[0].project_name == "Hanska"
        assert svc.list_assessments(session, standalone=True, actor=READER) == []
        assert svc.list_assessments(session, status=["valmis"], actor=READER) == []


def test_autosave_returns_versions_and_a_stale_write_is_a_conflict(
    database: Database, manager: Actor, admin: Actor
) -> None:
    view = _create(database, manager)
    with database.session() as session:
        v2 = svc.set_answer(
            session, view.id, "needs", "Tarve", expected_version=view.version, actor=manager
        )
        assert v2 == view.version + 1
        same = svc.set_answer(
            session, view.id, "needs", "Tarve", expected_version=v2, actor=manager
        )
        assert same == v2  # nothing changed: the version stays
        v3 = svc.set_impact(
            session,
            view.id,
            "economy",
            view.doc.zero_alternative.key,
            {"direction": "-"},
            expected_version=v2,
            actor=admin,
        )
        assert v3 == v2 + 1  # a matrix cell moves the assessment's version on too
        with pytest.raises(ConflictError) as exc:
            svc.set_answer(session, view.id, "needs", "Toinen", expected_version=v2, actor=manager)
        assert exc.value.info.changed_by == "paivi"
        assert exc.value.info.current_version == v3
        assert [field for field, _old, _new in exc.value.info.changes] == [
            "assessment_impact:create"
        ]
        assert svc.get_assessment(session, view.id, actor=manager).doc.answers == {"needs": "Tarve"}
        with pytest.raises(ValidationFailed) as unknown:
            svc.set_answer(session, view.id, "ei_ole", "x", expected_version=v3, actor=manager)
        assert "is not in the assessment framework" in str(unknown.value)


MAX_STATEMENTS_PER_SAVE = 17  # 12 for the save, 4 for the audit trail, 1 for the registry version
CHILD_TABLES = (
    "assessment_answer",
    "assessment_alternative",
    "assessment_area",
    "assessment_impact",
    "assessment_risk",
    "assessment_hearing",
    "assessment_follow_up",
)


def test_one_save_loads_once_and_writes_only_what_changed(
    database: Database, manager: Actor
) -> None:
    """An autosaved answer: one load of the assessment, a few statements, and only the answer
    and the assessment row written; the other child collections are read, never written."""
    view = _create(database, manager)
    version = _fill(database, view, manager)
    with database.session() as session:
        version = svc.upsert_risk(
            session,
            view.id,
            RiskIn(description="Tilat viivästyvät"),
            expected_version=version,
            actor=manager,
        )
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(" ".join(statement.split()).lower())

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        with database.session() as session:
            new_version = svc.set_answer(
                session, view.id, "needs", "Uusi vastaus", expected_version=version, actor=manager
            )
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    assert new_version == version + 1
    queries = [s for s in statements if not s.startswith(("savepoint", "release", "rollback"))]
    assert len(queries) <= MAX_STATEMENTS_PER_SAVE, "\n".join(queries)
    for table in CHILD_TABLES:
        reads = [s for s in queries if s.startswith("select") and f" {table}." in s]
        assert len(reads) <= 1, f"{table} read {len(reads)} times"
        writes = [
            s
            for s in queries
            if s.startswith((f"insert into {table} ", f"update {table} ", f"delete from {table} "))
        ]
        assert (table == "assessment_answer") == bool(writes), f"{table} written: {writes}"
    with database.session() as session:
        edited = svc.edit(
            session,
            view.id,
            svc.SetAnswer("needs", "Toinen vastaus"),
            expected_version=new_version,
            actor=manager,
            lang="fi",
        )
    assert (edited.version, edited.changed) == (new_version + 1, ["answers"])
    with database.session() as session:  # the state it returns is what a reload would read
        assert edited.doc == svc.get_assessment(session, view.id, actor=READER).doc
        assert edited.progress == svc.assessment_progress(session, view.id, actor=READER)
        assert edited.issues == svc.check_assessment(session, view.id, "fi", actor=READER)
        assert edited.comparison == svc.comparison(session, view.id, actor=READER)


def test_finish_freezes_then_decide_and_ex_post(database: Database, manager: Actor) -> None:
    view = _create(database, manager)
    with database.session() as session:
        with pytest.raises(svc.AssessmentIncomplete) as exc:
            svc.finish(session, view.id, expected_version=view.version, actor=manager)
        assert {i.code for i in exc.value.issues} >= {"screening_undecided", "no_alternative"}
    version = _fill(database, view, manager)
    with database.session() as session:
        version = svc.finish(session, view.id, expected_version=version, actor=manager)
        with pytest.raises(svc.AssessmentFrozen) as frozen:
            svc.set_answer(
                session, view.id, "needs", "Myöhään", expected_version=version, actor=manager
            )
        assert describe_problem(frozen.value.problems[0], "en") == (
            "The assessment is finished and can no longer be edited: "
            "make a new version to change it."
        )
        version = svc.mark_decided(
            session,
            view.id,
            decision_date=date(2020, 1, 15),
            expected_version=version,
            actor=manager,
        )
        doc = svc.get_assessment(session, view.id, actor=manager).doc
        assert doc.status == "paatetty" and doc.chosen_key == doc.recommendation.alternative_key
        version = svc.set_ex_post(
            session,
            view.id,
            "wellbeing_health",
            {"direction": "+", "evidence": "Kysely"},
            expected_version=version,
            actor=manager,
        )
        version = svc.complete_ex_post(
            session,
            view.id,
            summary="Toiminta osoittautui arviointia vastaavaksi",
            ex_post_date=date(2021, 12, 1),
            expected_version=version,
            actor=manager,
        )
        result = svc.ex_post_comparison(session, view.id, actor=READER)
        assert [(i.area, i.outcome) for i in result.impacts] == [
            ("wellbeing_health", "held"),
            ("economy", "not_followed"),
        ]
        assert svc.get_assessment(session, view.id, actor=manager).doc.status == "jalkiarvioitu"


def test_new_version_copies_links_and_compares(database: Database, manager: Actor) -> None:
    view = _create(database, manager)
    version = _fill(database, view, manager)
    with database.session() as session:
        version = svc.finish(session, view.id, expected_version=version, actor=manager)
        second = svc.new_version(session, view.id, actor=manager)
        assert second.doc.version_number == 2
        assert second.doc.previous_key == view.doc.key
        assert second.doc.series_key == view.doc.series_key
        assert second.doc.status == "luonnos" and not second.frozen
        svc.set_answer(
            session,
            second.id,
            "needs",
            "Päivitetty",
            expected_version=second.version,
            actor=manager,
        )
        changes = svc.compare_versions(session, view.id, second.id, actor=READER)
        assert ("answer", "needs", "text", None, "Päivitetty") in [
            (c.part, c.ident, c.field, c.old, c.new) for c in changes
        ]
        assert [v.version_number for v in svc.list_versions(session, second.id, actor=READER)] == [
            1,
            2,
        ]
        assert [a.id for a in svc.list_assessments(session, actor=READER)] == [second.id]
        assert svc.get_assessment(session, view.id, actor=manager).doc.status == "valmis"
        with pytest.raises(ValidationFailed):
            svc.new_version(session, view.id, actor=manager)  # not the newest any more


def test_delete_alternative_rules(database: Database, manager: Actor) -> None:
    view = _create(database, manager)
    version = _fill(database, view, manager)
    zero = view.doc.zero_alternative.key
    with database.session() as session:
        doc = svc.get_assessment(session, view.id, actor=manager).doc
        new = next(a.key for a in doc.alternatives if not a.is_zero)
        third = AlternativeIn(name="Kolmas")
        version = svc.upsert_alternative(
            session, view.id, third, expected_version=version, actor=manager
        )
        version = svc.upsert_risk(
            session,
            view.id,
            RiskIn(description="Riski", alternative_key=new),
            expected_version=version,
            actor=manager,
        )
        with pytest.raises(ValidationFailed) as exc:
            svc.delete_alternative(session, view.id, zero, expected_version=version, actor=manager)
        assert exc.value.problems[0].message == "The 0-alternative cannot be deleted."
        with pytest.raises(ValidationFailed) as exc:
            svc.delete_alternative(session, view.id, new, expected_version=version, actor=manager)
        assert "has 2 assessed impacts" in str(exc.value)
        with pytest.raises(ValidationFailed):  # the other cell is taken
            svc.delete_alternative(
                session,
                view.id,
                new,
                impacts="move_to",
                move_to=zero,
                expected_version=version,
                actor=manager,
            )
        version = svc.delete_alternative(
            session,
            view.id,
            new,
            impacts="move_to",
            move_to=third.key,
            expected_version=version,
            actor=manager,
        )
        doc = svc.get_assessment(session, view.id, actor=manager).doc
        assert sorted(i.area for i in doc.impacts if i.alternative_key == third.key) == sorted(
            RELEVANT
        )
        assert doc.risks[0].alternative_key == third.key
        assert doc.recommendation.alternative_key is None
        version = svc.delete_alternative(
            session, view.id, third.key, impacts="delete", expected_version=version, actor=manager
        )
        doc = svc.get_assessment(session, view.id, actor=manager).doc
        assert [a.key for a in doc.alternatives] == [zero]
        assert all(i.alternative_key == zero for i in doc.impacts)
        assert doc.risks[0].alternative_key is None
        assert session.scalar(select(func.count()).select_from(AssessmentImpact)) == 2


def test_rights(database: Database, admin: Actor, manager: Actor) -> None:
    viewer = _actor(database, "ville", "viewer")
    other = _actor(database, "olli", "manager")
    with pytest.raises(Forbidden):
        _create(database, viewer)
    own = _create(database, manager)
    with database.session() as session:
        assert svc.get_assessment(session, own.id, actor=viewer).can_edit is False
        for actor in (viewer, other):
            with pytest.raises(Forbidden):
                svc.set_answer(session, own.id, "needs", "x", expected_version=None, actor=actor)
        svc.set_answer(session, own.id, "needs", "admin", expected_version=None, actor=admin)
        # A manager in a project's team edits the assessments linked to that project.
        registry_io.import_source(
            session,
            b'{"projects": [{"name": "Hanke", '
            b'"people": [{"person": {"name": "Olli"}, "is_team": true}]}]}',
            actor=local_admin("t"),
        )
        project_id = session.scalar(select(Project.id))
        project = session.get(Project, project_id)
        assert project is not None
        person_id = project.people[0].person_id
    team_member = Actor(other.user_id, other.username, "manager", person_id, "fi")
    linked = _create(database, admin, project_id=project_id)
    with database.session() as session:
        svc.set_answer(
            session, linked.id, "needs", "Tiimi", expected_version=None, actor=team_member
        )
        with pytest.raises(Forbidden):
            svc.set_answer(session, linked.id, "needs", "Ei", expected_version=None, actor=manager)


def test_hostile_text_is_stored_intact_or_refused_clearly(
    database: Database, manager: Actor
) -> None:
    hostile = '<script>alert("x")</script> & =HYPERLINK("http://evil") \u200f\u202e עברית ✓ 😀'
    view = _create(database, manager)
    with database.session() as session:
        version = svc.set_answer(
            session, view.id, "needs", hostile + "\x07", expected_version=None, actor=manager
        )
        version = svc.update_assessment(
            session, view.id, {"title": hostile}, expected_version=version, actor=manager
        )
        doc = svc.get_assessment(session, view.id, actor=manager).doc
        assert doc.answers["needs"] == hostile  # the control character is dropped, nothing else
        assert doc.title == hostile
        with pytest.raises(ValidationFailed) as exc:
            svc.set_answer(
                session, view.id, "needs", "x" * 1_000_000, expected_version=version, actor=manager
            )
        assert describe_problem(exc.value.problems[0], "en").endswith(
            "is too long (1000000 characters, at most 200000)"
        )
        with pytest.raises(ValidationFailed) as exc:
            svc.upsert_alternative(
                session,
                view.id,
                {"name": "Kallis", "cost_per_year": "-5"},
                expected_version=version,
                actor=manager,
            )
        assert exc.value.problems[0].field == "alternative.cost_per_year"
        assert svc.get_assessment(session, view.id, actor=manager).version == version


def test_audit_entries_carry_the_assessment_and_project(database: Database, admin: Actor) -> None:
    with database.session() as session:
        registry_io.import_source(
            session, b'{"projects": [{"name": "Hanska"}]}', actor=local_admin("t")
        )
        project_id = session.scalar(select(Project.id))
    view = _create(database, admin, project_id=project_id)
    with database.session() as session:
        svc.set_answer(
            session, view.id, "needs", "Tarve", expected_version=view.version, actor=admin
        )
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.assessment_id == view.id)
        ).all()
        assert {e.entity for e in entries} >= {
            "assessment",
            "assessment_alternative",
            "assessment_answer",
        }
        assert {e.project_id for e in entries} == {project_id}
        history = svc.assessment_history(session, view.id, actor=READER)
        assert history.items[0].entity == "assessment_answer" and history.items[0].actor == "paivi"


def test_frameworks_are_installed_and_versions_kept(
    database: Database, admin: Actor, manager: Actor
) -> None:
    old = _create(database, manager)
    newer = framework_text("default").replace('"version": 1,', '"version": 2,', 1)
    newer = newer.replace('"code": "cooperation"', '"code": "digital"', 1)
    with database.session() as session:
        with pytest.raises(Forbidden):
            frameworks.install_framework(session, newer, actor=manager)
        with pytest.raises(FrameworkInvalid) as exc:
            frameworks.install_framework(
                session, newer.replace('"version": 2,', '"version": 2'), actor=admin
            )
        assert exc.value.problems[0].line == 5
        info = frameworks.install_framework(session, newer, actor=admin)
        assert (info.framework_id, info.version) == ("default", 2)
        assert frameworks.install_framework(session, newer.encode(), actor=admin).version == 2
        with pytest.raises(ValidationFailed):  # same id and version, other content
            frameworks.install_framework(session, newer.replace("Talous", "Raha"), actor=admin)
        assert {
            (f.framework_id, f.version) for f in frameworks.list_frameworks(session, actor=READER)
        } == {
            ("default", 1),
            ("default", 2),
            ("lava", 1),
        }
    new = _create(database, manager)
    lava = _create(database, manager, framework_id="lava")
    with database.session() as session:
        assert new.doc.framework_version == 2
        assert "digital" in svc.framework_of(session, new.id, actor=READER).area_codes
        assert (
            "digital" not in svc.framework_of(session, old.id, actor=READER).area_codes
        )  # read with v1
        assert svc.framework_of(session, lava.id, actor=READER).id == "lava"
        svc.set_area_relevance(
            session, new.id, "digital", relevant=True, expected_version=None, actor=manager
        )
        with pytest.raises(ValidationFailed):
            svc.set_area_relevance(
                session, old.id, "digital", relevant=True, expected_version=None, actor=manager
            )


def _export(database: Database) -> dict[str, Any]:
    with database.session() as session:
        export: dict[str, Any] = json.loads(registry_io.export_json(session, actor=READER))
        return export


def _row_counts(database: Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        return {
            t.name: connection.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


def test_demo_loads_both_assessments_idempotently(database: Database) -> None:
    with database.session("demo") as session:
        load_demo(session)
    before = _row_counts(database)
    with database.session("demo") as session:
        load_demo(session)
    assert _row_counts(database) == before
    with database.session() as session:
        items = {a.status: a for a in svc.list_assessments(session, actor=READER)}
        hanska, network = items["jalkiarvioitu"], items["luonnos"]
        assert hanska.project_name and hanska.project_name.startswith("Sosiaalisen kuntoutuksen")
        assert network.project_id is None
        doc = svc.get_assessment(session, hanska.id, actor=Actor(0, "x", "viewer", None, "fi")).doc
        assert "Toiminta osoittautui arviointia vastaavaksi" in doc.ex_post_summary
        assert doc.alternatives[0].name == "Nykytila jatkuu"
        assert svc.ex_post_comparison(session, hanska.id, actor=READER).verdict == "matched"
        draft = svc.get_assessment(
            session, network.id, actor=Actor(0, "x", "viewer", None, "fi")
        ).doc
        tables = draft.zero_alternative.key_figures
        assert tables[0].rows[-1] == ["Yhteensä, hlö", "410", "190", "417", "1017"]
        assert tables[1].rows == [["Henkilöstö, htv", "45", "15"]]
        assert {a.area for a in draft.areas} >= {"access", "organisation_staff", "economy"}


def test_export_import_of_assessments_is_lossless(database: Database, tmp_path: Path) -> None:
    with database.session("demo") as session:
        load_demo(session)
    first = _export(database)
    assert len(first["assessments"]) == 2
    other = open_registry(url=f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with other.session() as session:
        report = registry_io.import_source(
            session, json.dumps(first).encode(), actor=local_admin("t")
        )
        second = json.loads(registry_io.export_json(session, actor=READER))
    other.engine.dispose()
    assert [a.action for a in report.assessments] == ["created", "created"]
    assert second == first


def test_backup_with_assessments_restores_equal(database: Database, tmp_path: Path) -> None:
    with database.session("demo") as session:
        load_demo(session)
    backup = create_backup(database.engine, tmp_path / "attachments")
    export_before, counts_before = _export(database), _row_counts(database)
    with database.session() as session:
        session.execute(delete(Assessment))
        session.commit()
    restore_backup(database.engine, backup, tmp_path / "restored")
    assert _export(database) == export_before
    assert _row_counts(database) == counts_before
    admin = _actor(database, "paivi", "admin")
    assert _create(database, admin).id > max(
        a["version_number"] for a in export_before["assessments"]
    )
