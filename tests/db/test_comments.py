"""Comments on SQLite and PostgreSQL: threads and replies on a project section, a period and an
assessment part, an impact cell's own thread, editing one's own comment (only the author, an
administrator neither; audited, with the time of the edit), resolving, the counts, who may write,
the audit trail, @mentions (a notice and an e-mail, once) and the comments in the JSON export."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evaus.db import Database
from evaus.services import assessments, comments, registry_io
from evaus.services import projects as ps
from evaus.services.access import Actor, Forbidden, local_admin
from evaus.services.users import create_user
from project_db.comments import Comment
from project_db.errors import ValidationFailed
from project_db.models import AuditEntry
from project_db.notifications import Notice
from project_db.outbox import MailMessage

SETUP = local_admin("setup")


def _user(session: Session, name: str, role: str, **extra: Any) -> Actor:
    user = create_user(
        session, name, role=role, password=f"{name}-salasana-1", actor=SETUP, **extra
    )
    session.commit()
    return Actor.of(user)


@pytest.fixture
def world(database: Database) -> dict[str, Any]:
    with database.session("setup") as session:
        project = ps.create_project(session, {"name": "Kommentoitava hanke"}, actor=SETUP)
        return {
            "project": project.id,
            "key": project.key,
            "maija": _user(session, "maija", "manager", display_name="Maija Mäki"),
            "reija": _user(session, "reija", "reviewer"),
            "ville": _user(session, "ville", "viewer"),
            "britt": _user(
                session, "britt", "manager", email="britt@kunta.example.fi", language="sv"
            ),
        }


def _count(session: Session, model: type[Any], *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_threads_replies_resolving_and_counts(database: Database, world: dict[str, Any]) -> None:
    goals = comments.Target(comments.PROJECT, world["project"], "goals")
    with database.session() as session:
        first = comments.add_comment(
            session, goals, "  Tavoite 2 on epäselvä.\r\n", actor=world["maija"]
        )
        assert first.body == "Tavoite 2 on epäselvä."
        assert first.author == "Maija Mäki"
        reply = comments.add_comment(
            session, goals, "Tarkennetaan.", reply_to=first.id, actor=world["reija"]
        )
        # A reply to a reply joins the same thread.
        again = comments.add_comment(
            session, goals, "Kiitos.", reply_to=reply.id, actor=world["maija"]
        )
        assert reply.parent_id == first.id and again.parent_id == first.id
        budget = comments.Target(comments.PROJECT, world["project"], "budget")
        comments.add_comment(session, budget, "Budjetti?", actor=world["reija"])
        period = comments.Target(comments.PERIOD, world["project"], "2")
        comments.add_comment(session, period, "Jakso 2", actor=world["reija"])

        threads = comments.list_threads(session, goals, actor=world["ville"])
        assert [(t.comment.body, [r.body for r in t.replies]) for t in threads] == [
            ("Tavoite 2 on epäselvä.", ["Tarkennetaan.", "Kiitos."])
        ]
        everything = comments.list_threads(
            session, comments.Target(comments.PROJECT, world["project"]), actor=world["ville"]
        )
        assert len(everything) == 2
        assert comments.counts(
            session, comments.PROJECT, world["project"], actor=world["ville"]
        ) == {
            "goals": 3,
            "budget": 1,
        }
        assert comments.counts(
            session, comments.PERIOD, world["project"], actor=world["ville"]
        ) == {"2": 1}

        resolved = comments.set_resolved(session, first.id, True, actor=world["reija"])
        assert resolved.resolved_at is not None and resolved.resolved_by == "reija"
        reopened = comments.set_resolved(session, first.id, False, actor=world["maija"])
        assert reopened.resolved_at is None

        edited = comments.edit_comment(session, first.id, "Tavoite 2 selvä.", actor=world["maija"])
        assert edited.body == "Tavoite 2 selvä." and edited.edited_at is not None
        with pytest.raises(Forbidden):
            comments.edit_comment(session, first.id, "Toisen teksti", actor=world["reija"])
        with pytest.raises(ValidationFailed):
            comments.add_comment(session, goals, "   ", actor=world["maija"])
        with pytest.raises(ValidationFailed):
            comments.add_comment(session, goals, "x" * 4001, actor=world["maija"])

        audited = _count(session, AuditEntry, AuditEntry.entity == "comment")
        assert audited >= 7  # five comments, resolve, reopen, edit
        actors = set(
            session.scalars(select(AuditEntry.actor).where(AuditEntry.entity == "comment"))
        )
        assert actors == {"maija", "reija"}


def test_a_viewer_reads_but_does_not_write(database: Database, world: dict[str, Any]) -> None:
    goals = comments.Target(comments.PROJECT, world["project"], "goals")
    with database.session() as session:
        made = comments.add_comment(session, goals, "Kysymys", actor=world["reija"])
        with pytest.raises(Forbidden):
            comments.add_comment(session, goals, "Saanko?", actor=world["ville"])
        with pytest.raises(Forbidden):
            comments.set_resolved(session, made.id, True, actor=world["ville"])
        assert comments.can_comment(world["ville"]) is False
        assert len(comments.list_threads(session, goals, actor=world["ville"])) == 1
        nobody = Actor(user_id=99, username="vieras", role="guest", person_id=None, language="fi")
        with pytest.raises(Forbidden):
            comments.list_threads(session, goals, actor=nobody)
        assert _count(session, Comment) == 1


def test_a_mention_tells_the_user_once(
    database: Database, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVAUS_SMTP_URL", "smtp://127.0.0.1:2525")
    monkeypatch.setenv("EVAUS_MAIL_FROM", "evaus@kunta.example.fi")
    goals = comments.Target(comments.PROJECT, world["project"], "goals")
    with database.session() as session:
        made = comments.add_comment(
            session, goals, "@britt katsotko? Ja @tuntematon, @reija.", actor=world["maija"]
        )
        britt, reija = world["britt"].user_id, world["reija"].user_id
        # Editing with the mentions kept tells nobody again.
        comments.edit_comment(session, made.id, "@britt katsotko? @reija", actor=world["maija"])
        notices = session.scalars(select(Notice).order_by(Notice.user_id)).all()
        assert {(n.user_id, n.dedup_key) for n in notices} == {
            (britt, f"mention:{made.id}:{britt}"),
            (reija, f"mention:{made.id}:{reija}"),
        }
        assert "Maija Mäki" in notices[0].text_sv and "Kommentoitava hanke" in notices[0].text_en
        mails = session.scalars(select(MailMessage)).all()  # reija has no address
        assert [(m.dedup_key, m.recipient, m.language) for m in mails] == [
            (f"mention:{made.id}:{britt}", "britt@kunta.example.fi", "sv")
        ]
        assert f"/projects/{world['project']}" in (mails[0].link or "")
        # The author mentioning themself is not told.
        comments.add_comment(session, goals, "@maija muistiin", actor=world["maija"])
        assert _count(session, Notice) == 2


def test_assessment_parts_take_comments(database: Database, world: dict[str, Any]) -> None:
    with database.session() as session:
        assessment_id = assessments.create_assessment(
            session,
            {"title": "Palvelukeskus", "decision": "Perustetaanko?"},
            project_id=None,
            framework_id="default",
            actor=world["maija"],
        ).id
    target = comments.Target(comments.ASSESSMENT, assessment_id, "area:alt")
    with database.session() as session:
        comments.add_comment(session, target, "Vaikutus?", actor=world["reija"])
        counts = comments.counts(session, comments.ASSESSMENT, assessment_id, actor=world["ville"])
        assert counts == {"area:alt": 1}


def test_only_the_author_edits_and_the_edit_is_recorded(
    database: Database, world: dict[str, Any]
) -> None:
    period = comments.Target(comments.PERIOD, world["project"], "1")
    with database.session() as session:
        admin = _user(session, "aino", "admin")
        made = comments.add_comment(session, period, "Jakson 1 luvut?", actor=world["maija"])
        assert made.edited_at is None
        view = comments.list_threads(session, period, actor=world["maija"])[0].comment
        assert comments.can_edit(world["maija"], view)
        # An administrator does not rewrite other people's words; a reviewer or viewer neither.
        for other in (admin, world["reija"], world["ville"]):
            assert not comments.can_edit(other, view)
            with pytest.raises(Forbidden):
                comments.edit_comment(session, made.id, "Toisen sanat", actor=other)
        session.rollback()
        # The same text again is no edit.
        same = comments.edit_comment(session, made.id, " Jakson 1 luvut? ", actor=world["maija"])
        assert same.edited_at is None
        before = _count(session, AuditEntry, AuditEntry.entity == "comment")

        edited = comments.edit_comment(
            session, made.id, "Jakson 1 luvut tarkistettu.", actor=world["maija"]
        )
        assert edited.body == "Jakson 1 luvut tarkistettu." and edited.edited_at is not None
        assert edited.edited_at >= made.created_at
        (thread,) = comments.list_threads(session, period, actor=world["ville"])
        assert thread.comment.body == "Jakson 1 luvut tarkistettu."
        assert thread.comment.edited_at == edited.edited_at
        changes = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "comment",
                AuditEntry.entity_id == made.id,
                AuditEntry.action == "update",
            )
        ).all()
        assert _count(session, AuditEntry, AuditEntry.entity == "comment") > before
        assert {c.actor for c in changes} == {"maija"}
        body = [c for c in changes if c.field == "body"]
        assert [(c.old_value, c.new_value) for c in body] == [
            ("Jakson 1 luvut?", "Jakson 1 luvut tarkistettu.")
        ]
        assert "edited_at" in {c.field for c in changes}


def test_an_impact_cell_has_its_own_thread(database: Database, world: dict[str, Any]) -> None:
    with database.session() as session:
        assessment_id = assessments.create_assessment(
            session,
            {"title": "Palvelukeskus", "decision": "Perustetaanko?"},
            project_id=None,
            framework_id="default",
            actor=world["maija"],
        ).id
        doc = assessments.get_assessment(session, assessment_id, actor=world["maija"]).doc
        zero = doc.alternatives[0].key
    cell = comments.cell_key("equality", zero)
    assert cell == f"cell:equality:{zero}"
    assert comments.split_cell_key(cell) == ("equality", zero)
    assert comments.split_cell_key("matrix") is None
    target = comments.Target(comments.ASSESSMENT, assessment_id, cell)
    with database.session() as session:
        first = comments.add_comment(session, target, "Tasa-arvo?", actor=world["reija"])
        comments.add_comment(
            session, target, "Selvitetään", reply_to=first.id, actor=world["maija"]
        )
        other = comments.Target(comments.ASSESSMENT, assessment_id, "matrix")
        comments.add_comment(session, other, "Koko matriisi", actor=world["reija"])
        counts = comments.counts(session, comments.ASSESSMENT, assessment_id, actor=world["ville"])
        assert counts == {cell: 2, "matrix": 1}
        (thread,) = comments.list_threads(session, target, actor=world["ville"])
        assert (thread.comment.body, [r.body for r in thread.replies]) == (
            "Tasa-arvo?",
            ["Selvitetään"],
        )
        # A cell outside the matrix is refused, in the user's words.
        for wrong in (
            comments.cell_key("no_such_area", zero),
            comments.cell_key("equality", "no-such-alternative"),
            "cell:equality",
            "cell:",
        ):
            where = comments.Target(comments.ASSESSMENT, assessment_id, wrong)
            with pytest.raises(ValidationFailed) as refused:
                comments.add_comment(session, where, "Ei käy", actor=world["reija"])
            (problem,) = refused.value.problems
            assert problem.message == comments.UNKNOWN_CELL
        assert _count(session, Comment) == 3


def test_the_comments_are_in_the_json_export_and_an_import_ignores_them(
    database: Database, world: dict[str, Any]
) -> None:
    goals = comments.Target(comments.PROJECT, world["project"], "goals")
    with database.session() as session:
        first = comments.add_comment(session, goals, "Vientiin", actor=world["maija"])
        comments.add_comment(session, goals, "Vastaus", reply_to=first.id, actor=world["reija"])
        data = registry_io.export_json(session, actor=SETUP)
    exported = json.loads(data)
    assert [
        (c["project"], c["part_key"], c["body"], c["parent_id"]) for c in exported["comments"]
    ] == [
        (world["key"], "goals", "Vientiin", None),
        (world["key"], "goals", "Vastaus", first.id),
    ]
    with database.session() as session:
        registry_io.import_source(session, data, actor=SETUP)
        assert _count(session, Comment) == 2  # the import left them as they were
