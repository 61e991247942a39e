"""The sign-off and follow-up of an assessment: approval by someone other than its preparer,
the planned ex-post check as a due item, and the ex-post ratings in the document and report."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from evaus.db import Database
from evaus.i18n import describe_problem, local_time
from evaus.services import assessments as svc
from evaus.services import deadlines, reports
from evaus.services import projects as ps
from evaus.services.access import Actor, Forbidden, local_admin
from evaus.services.users import person_for_user
from project_db.errors import ValidationFailed
from project_db.models import AuditEntry, Project, ProjectPerson, User
from tests.db.test_assessments import _actor, _create, _fill
from tests.reports_support import docx_text

TODAY = date(2026, 8, 15)


def _finished(database: Database, preparer: Actor, project_id: int | None = None) -> int:
    view = _create(database, preparer, project_id)
    version = _fill(database, view, preparer)
    with database.session() as session:
        svc.finish(session, view.id, expected_version=version, actor=preparer)
    return view.id


def _rename(database: Database, actor: Actor, name: str) -> None:
    with database.session("test") as session:
        user = session.get(User, actor.user_id)
        assert user is not None
        user.display_name = name
        session.commit()


def test_the_preparer_cannot_approve_an_approver_can(database: Database) -> None:
    preparer = _actor(database, "maija", "manager")
    other_admin = _actor(database, "paivi", "admin")
    reviewer = _actor(database, "riitta", "reviewer")
    viewer = _actor(database, "ville", "viewer")
    _rename(database, reviewer, "Riitta Tarkastaja")
    assessment_id = _finished(database, preparer)
    with database.session() as session:
        for who in (preparer, viewer):
            with pytest.raises(Forbidden):
                svc.approve_assessment(session, assessment_id, expected_version=None, actor=who)
    # An administrator who finished it is its preparer too.
    draft = _create(database, preparer)
    version = _fill(database, draft, preparer)
    with database.session() as session:
        svc.finish(session, draft.id, expected_version=version, actor=other_admin)
        with pytest.raises(ValidationFailed) as own:
            svc.approve_assessment(session, draft.id, expected_version=None, actor=other_admin)
        assert describe_problem(own.value.problems[0], "fi") == (
            "Arvioinnin valmistelija ei voi hyväksyä sitä."
        )
        before = svc.get_assessment(session, assessment_id, actor=reviewer)
        assert before.doc.approved_at is None
        version = svc.approve_assessment(
            session, assessment_id, expected_version=before.version, actor=reviewer
        )
        doc = svc.get_assessment(session, assessment_id, actor=reviewer).doc
        assert doc.status == "valmis" and doc.approved_by == "Riitta Tarkastaja"
        assert doc.approved_at is not None
        audit = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "assessment",
                AuditEntry.entity_id == assessment_id,
                AuditEntry.field == "approved_by",
                AuditEntry.action == "update",
            )
        ).one()
        assert audit.actor == "riitta" and audit.new_value == "Riitta Tarkastaja"
        with pytest.raises(ValidationFailed) as twice:
            svc.approve_assessment(session, assessment_id, expected_version=None, actor=other_admin)
        assert describe_problem(twice.value.problems[0], "en").endswith("already been approved.")
        # The decision still follows; a decided one can no longer be approved.
        svc.mark_decided(
            session,
            assessment_id,
            decision_date=date(2026, 1, 15),
            expected_version=version,
            actor=preparer,
        )
        with pytest.raises(ValidationFailed) as late:
            svc.approve_assessment(session, assessment_id, expected_version=None, actor=other_admin)
        assert describe_problem(late.value.problems[0], "en").startswith("Only a finished")
        unfinished = _create(database, preparer)
        with pytest.raises(ValidationFailed) as not_finished:
            svc.approve_assessment(session, unfinished.id, expected_version=None, actor=reviewer)
        assert describe_problem(not_finished.value.problems[0], "en") == (
            "Only a finished assessment can be approved."
        )


def test_the_planned_ex_post_check_is_a_due_item_of_the_projects_managers(
    database: Database,
) -> None:
    setup = local_admin("setup")
    preparer = _actor(database, "maija", "manager")
    outsider = _actor(database, "olli", "manager")
    with database.session("setup") as session:
        project_id = ps.create_project(session, {"name": "Palvelukeskushanke"}, actor=setup).id
        user = session.get(User, preparer.user_id)
        project = session.get(Project, project_id)
        assert user is not None and project is not None
        project.people.append(
            ProjectPerson(person=person_for_user(session, user), role="Jäsen", is_team=True)
        )
        session.commit()
        preparer = Actor.of(user)
    assessment_id = _finished(database, preparer, project_id)
    key = f"a{assessment_id}:expost"
    with database.session() as session:
        with pytest.raises(ValidationFailed) as early:
            svc.mark_decided(
                session,
                assessment_id,
                decision_date=date(2026, 1, 15),
                ex_post_date=date(2025, 1, 1),
                expected_version=None,
                actor=preparer,
            )
        assert early.value.problems[0].field == "ex_post_date"
        version = svc.mark_decided(
            session,
            assessment_id,
            decision_date=date(2026, 1, 15),
            ex_post_date=date(2026, 8, 20),
            expected_version=None,
            actor=preparer,
        )
        assert svc.get_assessment(session, assessment_id, actor=preparer).doc.ex_post_date == (
            date(2026, 8, 20)
        )
        items = deadlines.due_items(session, actor=preparer, today=TODAY, lang="fi")
        item = next(i for i in items if i.key == key)
        assert item.project_id == project_id and item.kind is None
        assert item.due_on == date(2026, 8, 20) and item.state == "due"
        assert item.title == "Vaikutusten arvioinnin jälkiarviointi: Palvelukeskus"
        assert key not in {i.key for i in deadlines.due_items(session, actor=outsider, today=TODAY)}
        svc.complete_ex_post(
            session,
            assessment_id,
            summary="Toteutui",
            ex_post_date=date(2026, 8, 19),
            expected_version=version,
            actor=preparer,
        )
        items = deadlines.due_items(session, actor=preparer, today=TODAY)
        assert key not in {i.key for i in items}


def test_ex_post_ratings_are_stored_validated_and_reported(database: Database) -> None:
    preparer = _actor(database, "maija", "manager")
    reviewer = _actor(database, "riitta", "reviewer")
    _rename(database, reviewer, "Riitta Tarkastaja")
    view = _create(database, preparer)
    version = _fill(database, view, preparer)
    with database.session() as session:
        version = svc.upsert_follow_up(
            session,
            view.id,
            {"key": "asiakkaat", "name": "Asiakasmäärä", "target": "500"},
            expected_version=version,
            actor=preparer,
        )
        version = svc.upsert_follow_up(
            session,
            view.id,
            {"key": "jonot", "name": "Jonotusaika"},
            expected_version=version,
            actor=preparer,
        )
        version = svc.finish(session, view.id, expected_version=version, actor=preparer)
        with pytest.raises(svc.AssessmentFrozen):
            svc.set_ex_post_ratings(
                session,
                view.id,
                follow_ups={"asiakkaat": "saavutettu"},
                overall=None,
                expected_version=version,
                actor=preparer,
            )
        version = svc.approve_assessment(session, view.id, expected_version=version, actor=reviewer)
        version = svc.mark_decided(
            session,
            view.id,
            decision_date=date(2026, 1, 15),
            expected_version=version,
            actor=preparer,
        )
        with pytest.raises(ValidationFailed) as unknown:
            svc.set_ex_post_ratings(
                session,
                view.id,
                follow_ups={"asiakkaat": "loistava"},
                overall=None,
                expected_version=version,
                actor=preparer,
            )
        problem = unknown.value.problems[0]
        assert problem.field == "follow_ups.asiakkaat.ex_post_rating"
        assert describe_problem(problem, "en").endswith("is not a known rating: loistava")
        version = svc.set_ex_post_ratings(
            session,
            view.id,
            follow_ups={"asiakkaat": "paaosin", "jonot": "ei"},
            overall="osittain",
            expected_version=version,
            actor=preparer,
        )
        doc = svc.get_assessment(session, view.id, actor=preparer).doc
        assert [(f.key, f.ex_post_rating) for f in doc.follow_ups] == [
            ("asiakkaat", "paaosin"),
            ("jonot", "ei"),
        ]
        assert doc.ex_post_rating == "osittain"
        assert doc.approved_at is not None
        approved_on = local_time(doc.approved_at)
        texts = {}
        for lang in ("fi", "sv"):
            made = reports.generate_report(
                session, None, "evaus", assessment=view.id, lang=lang, actor=local_admin("x")
            )
            session.commit()
            texts[lang] = docx_text(made.content)
        day = f"{approved_on.day}.{approved_on.month}.{approved_on.year}"
        assert f"Hyväksynyt: Riitta Tarkastaja, {day}" in texts["fi"]
        assert "Asiakasmäärä: pääosin saavutettu" in texts["fi"]
        assert "Jonotusaika: ei saavutettu" in texts["fi"]
        assert "Kokonaisuutena: osittain saavutettu" in texts["fi"]
        assert f"Godkänd av: Riitta Tarkastaja, {day}" in texts["sv"]
        assert "Asiakasmäärä: i huvudsak uppnått" in texts["sv"]
        assert "Som helhet: delvis uppnått" in texts["sv"]
        # A new version starts unapproved and unrated.
        new = svc.new_version(session, view.id, actor=preparer)
        assert new.doc.approved_at is None and new.doc.approved_by == ""
        assert new.doc.ex_post_rating is None
        assert all(f.ex_post_rating is None for f in new.doc.follow_ups)
