"""Deleting a project deletes what hangs on it through the session, so the audit log records each
row that goes: its comments (threads and replies), its periods' review states and review events,
its hand-added deadlines (SQLite and PostgreSQL). The database's ON DELETE CASCADE alone would
remove them unseen."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from evaus.db import Database
from evaus.services import comments, deadlines, period_review
from evaus.services import projects as ps
from evaus.services.access import local_admin
from evaus.services.deadlines import DeadlineIn
from project_db.comments import Comment
from project_db.deadlines import ProjectDeadline
from project_db.models import AuditEntry
from project_db.period_review import PeriodReview, PeriodReviewEvent

ADMIN = local_admin("pirjo")


def test_deleting_a_project_audits_each_row_that_goes_with_it(database: Database) -> None:
    with database.session("setup") as session:
        project = ps.create_project(
            session,
            {
                "name": "Perhekeskus",
                "periods": [{"number": 1, "start_date": "2026-01-01", "end_date": "2026-06-30"}],
            },
            actor=ADMIN,
        )
        project_id, version = project.id, project.version
        thread = comments.add_comment(
            session, comments.Target(comments.PROJECT, project_id, "goals"), "Tavoite?", actor=ADMIN
        )
        comments.add_comment(
            session,
            comments.Target(comments.PROJECT, project_id, "goals"),
            "Tarkennettu.",
            actor=ADMIN,
            reply_to=thread.id,
        )
        comments.add_comment(
            session, comments.Target(comments.PERIOD, project_id, "1"), "Luvut?", actor=ADMIN
        )
        period_review.submit(session, project_id, 1, actor=ADMIN, archive=False)
        period_review.return_(session, project_id, 1, "Korjaa luvut.", actor=ADMIN)
        deadlines.add_deadline(
            session, project_id, DeadlineIn(due_on=date(2026, 9, 30), title="Selvitys"), actor=ADMIN
        )
        session.commit()
        version = ps.get_project(session, project_id, actor=ADMIN).version

    tables = {
        "comment": Comment,
        "period_review": PeriodReview,
        "period_review_event": PeriodReviewEvent,
        "project_deadline": ProjectDeadline,
    }
    with database.session() as session:
        before = {
            name: set(session.scalars(select(model.id).where(model.project_id == project_id)))
            for name, model in tables.items()
        }
    assert all(before.values()), before  # each kind of row is there to be deleted

    with database.session("pirjo") as session:
        ps.delete_project(session, project_id, expected_version=version, actor=ADMIN)

    with database.session() as session:
        for name, model in tables.items():
            left = session.scalar(select(func.count()).select_from(model))
            assert left == 0, name
            audited = set(
                session.scalars(
                    select(AuditEntry.entity_id).where(
                        AuditEntry.entity == name, AuditEntry.action == "delete"
                    )
                )
            )
            assert before[name] <= audited, f"{name}: deleted without an audit entry"


def test_removing_a_period_removes_its_deadlines_and_review_state_audited(
    database: Database,
) -> None:
    """A due item of a deleted period disappears, with an audit entry; a period added later
    under the same number starts as a draft without the old deadline."""
    periods = [
        {"number": 1, "start_date": "2026-01-01", "end_date": "2026-06-30"},
        {"number": 2, "start_date": "2026-07-01", "end_date": "2026-12-31"},
    ]
    with database.session("setup") as session:
        project = ps.create_project(
            session, {"name": "Perhekeskus", "periods": periods}, actor=ADMIN
        )
        project_id = project.id
        deadlines.add_deadline(
            session,
            project_id,
            DeadlineIn(due_on=date(2027, 2, 28), title="Jakson 2 selvitys", period=2),
            actor=ADMIN,
        )
        deadlines.add_deadline(
            session,
            project_id,
            DeadlineIn(due_on=date(2026, 9, 30), title="Koko hanke"),
            actor=ADMIN,
        )
        period_review.submit(session, project_id, 2, actor=ADMIN, archive=False)
        session.commit()
    with database.session() as session:
        gone_deadline = session.scalar(
            select(ProjectDeadline.id).where(ProjectDeadline.period == 2)
        )
        gone_review = session.scalar(select(PeriodReview.id).where(PeriodReview.period == 2))

    with database.session("pirjo") as session:
        doc = ps.get_project_doc(session, project_id, actor=ADMIN)
        data = doc.model_dump()
        data["periods"] = [p for p in data["periods"] if p["number"] == 1]
        ps.save_project_doc(session, project_id, data, expected_version=None, actor=ADMIN)

    with database.session() as session:
        left = session.scalars(select(ProjectDeadline.title)).all()
        assert left == ["Koko hanke"]
        assert session.scalar(select(func.count()).select_from(PeriodReview)) == 0
        for entity, row_id in (("project_deadline", gone_deadline), ("period_review", gone_review)):
            assert session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(
                    AuditEntry.entity == entity,
                    AuditEntry.entity_id == row_id,
                    AuditEntry.action == "delete",
                )
            ), entity
