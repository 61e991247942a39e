"""Reminders of due items against a real SMTP server (aiosmtpd), on SQLite and PostgreSQL.

A manager of an ESR project whose monitoring report is due within a week receives the reminder
once, in their language, dated the Finnish way, with an absolute link to the item; a rerun sends
nothing new; with the server down the next pass after it is up sends it; a user who switched
the kind off receives nothing; a dry run changes nothing; the in-app notice is made once.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evaus.db import Database
from evaus.services import deadlines, reminders
from evaus.services import notifications as notification_service
from evaus.services import projects as ps
from evaus.services.access import Actor, Forbidden, local_admin
from evaus.services.deadlines import RuleIn
from evaus.services.reminders import run_reminders
from evaus.services.users import create_user, person_for_user
from evaus.settings import get_settings
from evaus.ui import daily
from project_db.base import utcnow
from project_db.models import Project, ProjectPerson, User
from project_db.notifications import Notice
from project_db.outbox import MailMessage
from tests.db.test_mail_outbox import SENDER, Mailbox, SmtpServer, free_port, server

__all__ = ["server"]  # the SMTP server fixture, shared with the outbox tests

SETUP = local_admin("setup")
SERVER = local_admin("reminders")
BASE = "https://evaus.kunta.example.fi"
# Period 1 of the ESR project ends 30.6.2026; the rule gives 30 days: due 30.7.2026.
DUE = date(2026, 7, 30)
WEEK_BEFORE = date(2026, 7, 25)


@pytest.fixture
def base_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("EVAUS_BASE_URL", BASE + "/")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _manager(session: Session, name: str, email: str, language: str, project_id: int) -> Actor:
    user = create_user(
        session,
        name,
        role="manager",
        password=f"{name}-salasana-1",
        email=email,
        language=language,
        actor=SETUP,
    )
    project = session.get(Project, project_id)
    assert project is not None
    project.people.append(
        ProjectPerson(
            person=person_for_user(session, user),
            role="Projektipäällikkö",
            is_team=True,
            position=len(project.people),
        )
    )
    session.commit()
    return Actor.of(user)


@pytest.fixture
def registry(database: Database, base_url: None) -> dict[str, Any]:
    with database.session("setup") as session:
        esr = ps.create_project(
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
        other = ps.create_project(session, {"name": "Muu hanke"}, actor=SETUP).id
        # The seeded ESR rule states no days: the administrator sets them.
        rule = next(
            r
            for r in deadlines.list_rules(session, actor=SETUP)
            if r.funder_code == "ESR" and r.basis == "period_end"
        )
        changed = rule.model_dump(exclude={"id", "version"})
        changed.update(days_after=30, starts_on=date(2020, 1, 1))
        deadlines.update_rule(session, rule.id, RuleIn(**changed), actor=SETUP)
        maija = _manager(session, "maija", "maija@kunta.example.fi", "fi", esr)
        britt = _manager(session, "britt", "britt@kunta.example.fi", "sv", esr)
        kalle = _manager(session, "kalle", "kalle@kunta.example.fi", "fi", other)
    return {"esr": esr, "maija": maija, "britt": britt, "kalle": kalle}


def _mail_to(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    monkeypatch.setenv("EVAUS_SMTP_URL", f"smtp://127.0.0.1:{port}")
    monkeypatch.setenv("EVAUS_MAIL_FROM", SENDER)


def _count(database: Database, model: type[Any]) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_manager_gets_the_reminder_once_in_their_language(
    database: Database,
    registry: dict[str, Any],
    server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _mail_to(monkeypatch, server.port)
    report = run_reminders(database, WEEK_BEFORE, actor=SERVER)
    assert not report.mail_disabled
    assert (report.queued, report.notices, report.sent, report.failed) == (2, 2, 2, 0)
    assert server.mailbox.recipients() == ["britt@kunta.example.fi", "maija@kunta.example.fi"]
    mails = {rcpts[0]: mail for _sender, rcpts, mail in server.mailbox.received}
    finnish = mails["maija@kunta.example.fi"]
    assert finnish["Subject"] == (
        "Muistutus: ESR-seurantaraportti (Osaajat töihin) erääntyy 30.7.2026"
    )
    assert finnish["Content-Language"] == "fi"
    link = f"{BASE}/projects/{registry['esr']}/reports"
    plain, html = finnish.get_body(("plain",)), finnish.get_body(("html",))
    assert plain is not None and html is not None
    assert link in plain.get_content() and "Määräpäivä: 30.7.2026" in plain.get_content()
    assert f'<a href="{link}">' in html.get_content()
    swedish = mails["britt@kunta.example.fi"]
    assert swedish["Content-Language"] == "sv"
    assert "30.7.2026" in swedish["Subject"] and "Påminnelse" in swedish["Subject"]

    # Rerun the same day and the next: nothing new (the week-before reminder is queued once).
    assert run_reminders(database, WEEK_BEFORE, actor=SERVER).queued == 0
    again = run_reminders(database, WEEK_BEFORE + timedelta(days=1), actor=SERVER)
    assert (again.queued, again.notices, again.sent) == (0, 0, 0)
    assert len(server.mailbox.received) == 2

    # On the due day the next reminder goes out; the manager of another project gets none.
    on_the_day = run_reminders(database, DUE, actor=SERVER)
    assert (on_the_day.queued, on_the_day.sent) == (2, 2)
    subjects = [m["Subject"] for _s, _r, m in server.mailbox.received]
    assert "Erääntyy tänään: ESR-seurantaraportti (Osaajat töihin)" in subjects
    assert "kalle@kunta.example.fi" not in server.mailbox.recipients()

    # The notice under the bell, in the reader's language.
    with database.session() as session:
        seen = notification_service.notices(session, actor=registry["maija"])
        assert notification_service.unread_count(session, actor=registry["maija"]) == 2
    assert seen[0].link == f"/projects/{registry['esr']}/reports"
    assert seen[0].text.startswith("Erääntyy tänään")


def test_with_the_server_down_the_next_pass_sends_it(
    database: Database, registry: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    smtp = SmtpServer(free_port(), Mailbox())
    _mail_to(monkeypatch, smtp.port)
    down = run_reminders(database, WEEK_BEFORE, actor=SERVER)
    assert (down.queued, down.sent, down.retried) == (2, 0, 2)
    smtp.start()
    try:
        later = utcnow() + timedelta(hours=1)
        up = run_reminders(database, WEEK_BEFORE + timedelta(days=1), actor=SERVER, now=later)
        assert (up.queued, up.sent, up.retried) == (0, 2, 0)
        assert smtp.mailbox.recipients() == ["britt@kunta.example.fi", "maija@kunta.example.fi"]
    finally:
        smtp.stop()


def test_a_kind_switched_off_is_not_sent(
    database: Database,
    registry: dict[str, Any],
    server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _mail_to(monkeypatch, server.port)
    with database.session() as session:
        notification_service.save_preferences(
            session,
            notification_service.Preferences(reminder_before=False),
            actor=registry["maija"],
        )
    report = run_reminders(database, WEEK_BEFORE, actor=SERVER)
    assert report.sent == 1
    assert server.mailbox.recipients() == ["britt@kunta.example.fi"]
    with database.session() as session:
        assert notification_service.unread_count(session, actor=registry["maija"]) == 0
    # The other kinds stay on: on the due day she is reminded.
    run_reminders(database, DUE, actor=SERVER)
    assert "maija@kunta.example.fi" in server.mailbox.recipients()


def test_a_dry_run_changes_nothing(
    database: Database,
    registry: dict[str, Any],
    server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _mail_to(monkeypatch, server.port)
    dry = run_reminders(database, WEEK_BEFORE, actor=SERVER, dry_run=True)
    assert dry.dry_run
    assert sorted(r.recipient or "" for r in dry.reminders) == [
        "britt@kunta.example.fi",
        "maija@kunta.example.fi",
    ]
    assert {r.offset for r in dry.reminders} == {"before7"}
    assert (dry.queued, dry.notices, dry.sent) == (0, 0, 0)
    assert _count(database, MailMessage) == 0 and _count(database, Notice) == 0
    assert server.mailbox.received == []
    # The pass is the server's (an administrator's), not a manager's.
    with pytest.raises(Forbidden):
        run_reminders(database, WEEK_BEFORE, actor=registry["maija"], dry_run=True)
    # The real run afterwards sends what the dry run listed.
    assert run_reminders(database, WEEK_BEFORE, actor=SERVER).sent == 2


def test_without_mail_settings_only_the_notice_is_made(
    database: Database, registry: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EVAUS_SMTP_URL", raising=False)
    report = run_reminders(database, WEEK_BEFORE, actor=SERVER)
    assert report.mail_disabled
    assert (report.queued, report.notices) == (0, 2)
    assert _count(database, MailMessage) == 0
    with database.session() as session:
        users = session.scalars(select(User.username).join(Notice)).all()
    assert sorted(users) == ["britt", "maija"]


async def test_the_server_runs_the_pass_in_the_background(
    database: Database,
    registry: dict[str, Any],
    server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _mail_to(monkeypatch, server.port)
    monkeypatch.setattr(daily, "today_in_helsinki", lambda: WEEK_BEFORE)
    monkeypatch.setenv("EVAUS_REMINDERS", "off")
    get_settings.cache_clear()
    assert daily.start_daily_reminders(database, first_delay=0) is None
    monkeypatch.delenv("EVAUS_REMINDERS")
    get_settings.cache_clear()
    task = daily.start_daily_reminders(database, first_delay=0, interval=3600)
    assert task is not None
    try:
        for _ in range(200):
            if len(server.mailbox.received) == 2:
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
    assert server.mailbox.recipients() == ["britt@kunta.example.fi", "maija@kunta.example.fi"]


def test_reminders_and_digests_are_queued_through_one_helper(
    database: Database,
    registry: dict[str, Any],
    server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One place builds and queues every notification e-mail (reminders, digests, review
    notices): each names its user, their language, an absolute link and why it came."""
    assert inspect.getsource(reminders).count("MailDraft(") == 1
    _mail_to(monkeypatch, server.port)
    with database.session() as session:
        notification_service.save_preferences(
            session,
            notification_service.Preferences(digest_frequency="daily"),
            actor=registry["britt"],
        )
    report = run_reminders(database, WEEK_BEFORE, actor=SERVER)
    assert report.made == (2, 2, 1)  # two reminders (e-mail and notice each), Britt's digest
    assert (report.queued, report.digests, report.sent) == (2, 1, 3)
    with database.session() as session:
        users = {u.id: u for u in session.scalars(select(User))}
        mails = session.scalars(select(MailMessage).order_by(MailMessage.dedup_key)).all()
        queued = sorted(
            (m.dedup_key.split(":")[0], users[m.user_id].username, m.recipient, m.language)
            for m in mails
            if m.user_id is not None
        )
        assert queued == [
            ("digest", "britt", "britt@kunta.example.fi", "sv"),
            ("reminder", "britt", "britt@kunta.example.fi", "sv"),
            ("reminder", "maija", "maija@kunta.example.fi", "fi"),
        ]
        for mail in mails:
            assert mail.link is not None and mail.link.startswith(BASE + "/")
            assert f"{BASE}/profile/notifications" in mail.body_text
            assert f'<a href="{mail.link}">' in mail.body_html


def test_a_dry_run_counts_what_it_would_make(
    database: Database,
    registry: dict[str, Any],
    server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _mail_to(monkeypatch, server.port)
    monday = date(2026, 7, 27)  # the weekly digest's day
    dry = run_reminders(database, monday, actor=SERVER, dry_run=True)
    assert dry.made == (2, 2, 2)
    assert [(r.mail, r.notice) for r in dry.reminders] == [(True, True)] * 2
    assert _count(database, MailMessage) == 0 and _count(database, Notice) == 0
    # A notice made since (the mail settings were off that day): only the e-mail is left to do.
    monkeypatch.delenv("EVAUS_SMTP_URL")
    assert run_reminders(database, monday, actor=SERVER).made == (2, 2, 0)
    _mail_to(monkeypatch, server.port)
    again = run_reminders(database, monday, actor=SERVER, dry_run=True)
    assert again.made == (2, 0, 2)
    assert [(r.mail, r.notice) for r in again.reminders] == [(True, False)] * 2
