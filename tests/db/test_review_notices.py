"""Notices of the period review and the digest, against a real SMTP server (aiosmtpd), on SQLite
and PostgreSQL.

A submission reaches the reviewers (a notice and an e-mail, once); a return reaches the
project's managers with the reason, each in their language; a user who switched review notices
off gets neither; the weekly digest goes out on a Monday, once; the personal-data report holds
the notices and e-mails of a person, and erasing the person removes them; a refused address is
listed for the administrators.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from evaus.db import Database
from evaus.mail import deliver_pending
from evaus.services import deadlines, notifications, period_review, personal_data
from evaus.services import projects as ps
from evaus.services.access import Actor, Forbidden, local_admin
from evaus.services.deadlines import RuleIn
from evaus.services.reminders import run_reminders
from evaus.services.users import create_user, person_for_user
from project_db.models import Project, ProjectPerson, User
from project_db.notifications import Notice
from project_db.outbox import MailMessage
from tests.db.test_mail_outbox import SmtpServer, server
from tests.db.test_reminders import BASE, _mail_to, base_url

__all__ = ["base_url", "server"]  # the fixtures shared with the outbox and reminder tests

SETUP = local_admin("setup")
SERVER = local_admin("reminders")
MONDAY = date(2026, 7, 27)  # period 1 of the project is due on Thursday 30.7.2026


def _user(
    session: Session, name: str, role: str, language: str, project_id: int | None = None
) -> Actor:
    user = create_user(
        session,
        name,
        role=role,
        password=f"{name}-salasana-1",
        email=f"{name}@kunta.example.fi",
        language=language,
        actor=SETUP,
    )
    person = person_for_user(session, user)
    if project_id is not None:
        project = session.get(Project, project_id)
        assert project is not None
        project.people.append(
            ProjectPerson(
                person=person,
                role="Projektipäällikkö",
                is_team=True,
                position=len(project.people),
            )
        )
    session.commit()
    return Actor.of(user)


@pytest.fixture
def registry(
    database: Database, base_url: None, server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    _mail_to(monkeypatch, server.port)
    with database.session("setup") as session:
        project = ps.create_project(
            session,
            {
                "name": "Osaajat töihin",
                "funding": [{"funder": {"name": "ELY"}, "funder_code": "ESR", "amount": "1000"}],
                "periods": [
                    {"number": 1, "start_date": "2026-01-01", "end_date": "2026-06-30"},
                    {"number": 2, "start_date": "2026-07-01", "end_date": "2026-12-31"},
                ],
            },
            actor=SETUP,
        ).id
        rule = next(
            r
            for r in deadlines.list_rules(session, actor=SETUP)
            if r.funder_code == "ESR" and r.basis == "period_end"
        )
        changed = rule.model_dump(exclude={"id", "version"})
        changed.update(days_after=30, starts_on=date(2020, 1, 1))
        deadlines.update_rule(session, rule.id, RuleIn(**changed), actor=SETUP)
        return {
            "project": project,
            "maija": _user(session, "maija", "manager", "fi", project),
            "britt": _user(session, "britt", "manager", "sv", project),
            "riitta": _user(session, "riitta", "reviewer", "fi"),
            "rolf": _user(session, "rolf", "reviewer", "sv"),
        }


def _switch_off_review(database: Database, actor: Actor) -> None:
    with database.session() as session:
        prefs = notifications.preferences(session, actor=actor)
        prefs.review = False
        notifications.save_preferences(session, prefs, actor=actor)


def _notices(database: Database, actor: Actor) -> list[notifications.NoticeOut]:
    with database.session() as session:
        return notifications.notices(session, actor=actor)


def _plain(mail: Any) -> str:
    part = mail.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def _mails(server: SmtpServer) -> dict[str, Any]:
    return {rcpts[0]: mail for _sender, rcpts, mail in server.mailbox.received}


def test_a_submission_reaches_the_reviewers_once_and_not_one_who_switched_off(
    database: Database, registry: dict[str, Any], server: SmtpServer
) -> None:
    _switch_off_review(database, registry["rolf"])
    with database.session() as session:
        period_review.submit(session, registry["project"], 2, actor=registry["maija"])
    assert deliver_pending(database).sent == 1
    assert server.mailbox.recipients() == ["riitta@kunta.example.fi"]
    mail = _mails(server)["riitta@kunta.example.fi"]
    assert mail["Subject"] == "Hankkeen Osaajat töihin jakso 2 lähetettiin tarkastettavaksi"
    link = f"{BASE}/projects/{registry['project']}/reports"
    plain, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and html is not None
    assert link in plain.get_content() and "Tekijä: maija" in plain.get_content()
    assert f'<a href="{link}">' in html.get_content()
    [notice] = _notices(database, registry["riitta"])
    assert notice.kind == "review" and notice.link == f"/projects/{registry['project']}/reports"
    assert _notices(database, registry["rolf"]) == []
    assert _notices(database, registry["maija"]) == []  # the submitter is not told
    # Nothing more to send: the submission was announced once.
    assert deliver_pending(database).sent == 0
    assert len(server.mailbox.received) == 1


def test_a_return_reaches_the_managers_with_the_reason_in_their_language(
    database: Database, registry: dict[str, Any], server: SmtpServer
) -> None:
    project = registry["project"]
    with database.session() as session:
        period_review.submit(session, project, 2, actor=registry["maija"])
        period_review.return_(
            session, project, 2, "Osallistujamäärä puuttuu", actor=registry["riitta"]
        )
    deliver_pending(database)
    mails = _mails(server)
    finnish, swedish = mails["maija@kunta.example.fi"], mails["britt@kunta.example.fi"]
    assert finnish["Subject"] == "Hankkeen Osaajat töihin jakso 2 palautettiin sinulle"
    assert "Perustelu: Osallistujamäärä puuttuu" in _plain(finnish)
    assert swedish["Subject"] == "Period 2 i Osaajat töihin har returnerats till dig"
    assert swedish["Content-Language"] == "sv"
    assert "Motivering: Osallistujamäärä puuttuu" in _plain(swedish)
    [notice] = _notices(database, registry["britt"])
    with database.session() as session:
        stored = notifications.notices(session, actor=registry["britt"], lang="sv")[0]
    assert notice.id == stored.id and "Osallistujamäärä puuttuu" in stored.text

    # The approval of the resubmission reaches the managers too; the reviewer hears nothing
    # of their own steps.
    with database.session() as session:
        period_review.submit(session, project, 2, actor=registry["britt"])
        period_review.approve(session, project, 2, actor=registry["riitta"])
    deliver_pending(database)
    subjects = [mail["Subject"] for _s, rcpts, mail in server.mailbox.received]
    assert subjects.count("Hankkeen Osaajat töihin jakso 2 hyväksyttiin") == 1
    assert "Period 2 i Osaajat töihin har godkänts" in subjects
    riitta = [rcpts for _s, rcpts, _m in server.mailbox.received if "riitta" in rcpts[0]]
    assert len(riitta) == 2  # the two submissions


def test_the_weekly_digest_goes_out_on_a_monday_once(
    database: Database, registry: dict[str, Any], server: SmtpServer
) -> None:
    with database.session() as session:
        prefs = notifications.preferences(session, actor=registry["britt"])
        prefs.digest_frequency = "off"
        notifications.save_preferences(session, prefs, actor=registry["britt"])
    # Sunday: no digest (the reminders of the week before go out as ever).
    assert run_reminders(database, MONDAY - timedelta(days=1), actor=SERVER).digests == 0
    report = run_reminders(database, MONDAY, actor=SERVER)
    assert report.digests == 1
    digests = [
        mail for _s, rcpts, mail in server.mailbox.received if mail["Subject"].startswith("EVAUS: ")
    ]
    assert [d["To"] for d in digests] == ["maija@kunta.example.fi"]
    body = _plain(digests[0])
    assert "30.7.2026: ESR-seurantaraportti (Osaajat töihin), erääntyy" in body
    assert f"{BASE}/projects/{registry['project']}/reports" in body
    # Rerun on Monday and on Tuesday: nothing new.
    assert run_reminders(database, MONDAY, actor=SERVER).digests == 0
    assert run_reminders(database, MONDAY + timedelta(days=1), actor=SERVER).digests == 0
    with database.session() as session:
        keys = session.scalars(
            select(MailMessage.dedup_key).where(MailMessage.dedup_key.like("digest:%"))
        ).all()
    assert keys == [f"digest:{registry['maija'].user_id}:2026-W31"]


def test_personal_data_holds_the_notices_and_erasure_removes_them(
    database: Database, registry: dict[str, Any], server: SmtpServer
) -> None:
    with database.session() as session:
        period_review.submit(session, registry["project"], 2, actor=registry["maija"])
    deliver_pending(database)
    with database.session() as session:
        user = session.get(User, registry["riitta"].user_id)
        assert user is not None and user.person_id is not None
        person_id = user.person_id
        report = personal_data.person_report(session, person_id, actor=SETUP)
        assert [n["kind"] for n in report["notices"]] == ["review"]
        [mail] = report["mail_messages"]
        assert (mail["recipient"], mail["state"]) == ("riitta@kunta.example.fi", "sent")
        counts = personal_data.erase_person(session, person_id, actor=SETUP)
        assert (counts["notices"], counts["mail_messages"]) == (1, 1)
    with database.session() as session:
        user_id = registry["riitta"].user_id
        assert session.scalars(select(Notice).where(Notice.user_id == user_id)).all() == []
        assert (
            session.scalars(
                select(MailMessage).where(MailMessage.recipient == "riitta@kunta.example.fi")
            ).all()
            == []
        )
        # The other users' notices stay.
        others = session.scalars(select(Notice).where(Notice.user_id != user_id)).all()
        assert len(others) == 1  # rolf's


def test_a_refused_address_is_listed_for_the_administrators_only(
    database: Database, registry: dict[str, Any], server: SmtpServer
) -> None:
    server.mailbox.refuse["riitta@kunta.example.fi"] = "550 5.1.1 No such user"
    with database.session() as session:
        period_review.submit(session, registry["project"], 2, actor=registry["maija"])
    assert deliver_pending(database).failed == 1
    with database.session() as session:
        [failed] = notifications.failed_mail(session, actor=SETUP)
        assert failed.recipient == "riitta@kunta.example.fi"
        assert "No such user" in failed.error
        with pytest.raises(Forbidden):
            notifications.failed_mail(session, actor=registry["maija"])
