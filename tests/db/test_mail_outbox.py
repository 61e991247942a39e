"""The mail outbox and its delivery pass against a real SMTP server (aiosmtpd on a free port).

Queued messages reach the server once each, in UTF-8 with a plain-text and an HTML part; a
rerun sends nothing; a dedup key is queued once; with the server down the messages wait and the
next pass sends them; a 4xx answer is retried, a 5xx refusal of the address is kept as failed.
Two passes at once send each message once. SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import email
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import func, select

from evaus.db import Database
from evaus.mail import deliver_pending, parse_smtp_url, single_runner
from evaus.mail.settings import SmtpSettings
from project_db import outbox
from project_db.engine import make_engine, make_sessionmaker
from project_db.models import AuditEntry
from project_db.outbox import MailDraft, MailMessage

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
SENDER = "evaus@kunta.example.fi"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """An aiosmtpd handler that keeps what it was given and refuses the addresses it is told."""

    refuse: dict[str, str] = field(default_factory=dict)
    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return sorted(r for _sender, rcpts, _mail in self.received for r in rcpts)


@dataclass
class SmtpServer:
    port: int
    mailbox: Mailbox
    controller: Controller | None = None

    @property
    def settings(self) -> SmtpSettings:
        return parse_smtp_url(f"smtp://127.0.0.1:{self.port}", SENDER)

    def start(self, **options: Any) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    """A running SMTP server (plain, no login) on a free port."""
    smtp = SmtpServer(free_port(), Mailbox())
    smtp.start()
    yield smtp
    smtp.stop()


def draft(key: str, recipient: str, language: str = "fi") -> MailDraft:
    if language == "sv":
        subject, text = (
            "Påminnelse: årsrapporten ska lämnas",
            "Hej! Rapporten för år 2026 är försenad.",
        )
    else:
        subject, text = "Muistutus: väliraportti erääntyy", "Hei! Hankkeen Äänekoski väliraportti."
    link = f"https://evaus.example.fi/project/1?m={key}"
    return MailDraft(
        dedup_key=key,
        recipient=recipient,
        subject=subject,
        body_text=f"{text}\n{link}",
        body_html=f"<p>{text}</p><p><a href='{link}'>{link}</a></p>",
        language=language,
        link=link,
    )


def enqueue(database: Database, *drafts: MailDraft) -> list[bool]:
    with database.session("tests") as session:
        made = [outbox.enqueue(session, d, now=NOW)[1] for d in drafts]
        session.commit()
    return made


def rows(database: Database) -> dict[str, MailMessage]:
    with database.session() as session:
        return {m.recipient: m for m in session.scalars(select(MailMessage))}


def test_queued_messages_reach_the_server_once_each(database: Database, server: SmtpServer) -> None:
    enqueue(
        database,
        draft("reminder:a:anna@example.fi:-7", "anna@example.fi"),
        draft("reminder:a:bo@example.fi:-7", "bo@example.fi", "sv"),
        draft("reminder:b:anna@example.fi:0", "cecilia@example.fi"),
    )
    report = deliver_pending(database, NOW, settings=server.settings)
    assert (report.sent, report.retried, report.failed) == (3, 0, 0)
    assert server.mailbox.recipients() == [
        "anna@example.fi",
        "bo@example.fi",
        "cecilia@example.fi",
    ]
    by_recipient = {rcpts[0]: (sender, mail) for sender, rcpts, mail in server.mailbox.received}
    sender, swedish = by_recipient["bo@example.fi"]
    assert sender == SENDER
    assert swedish["From"] == SENDER and swedish["To"] == "bo@example.fi"
    assert swedish["Subject"] == "Påminnelse: årsrapporten ska lämnas"
    assert swedish["Content-Language"] == "sv"
    assert swedish["Auto-Submitted"] == "auto-generated"
    assert swedish.get_content_type() == "multipart/alternative"
    plain, html = swedish.get_body(("plain",)), swedish.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content_charset() == "utf-8"
    assert plain.get_content().startswith("Hej! Rapporten för år 2026 är försenad.")
    assert "<p>Hej! Rapporten för år 2026 är försenad.</p>" in html.get_content()
    _sender, finnish = by_recipient["anna@example.fi"]
    assert finnish["Subject"] == "Muistutus: väliraportti erääntyy"
    finnish_plain = finnish.get_body(("plain",))
    assert finnish_plain is not None
    assert "https://evaus.example.fi/project/1?m=reminder:a:anna@example.fi:-7" in (
        finnish_plain.get_content()
    )
    stored = rows(database)
    assert {m.state for m in stored.values()} == {"sent"}
    assert {m.sent_at for m in stored.values()} == {NOW}
    assert {m.attempts for m in stored.values()} == {1}

    # Rerun, also later: nothing new goes out.
    again = deliver_pending(database, NOW + timedelta(days=1), settings=server.settings)
    assert (again.sent, again.retried, again.failed) == (0, 0, 0)
    assert len(server.mailbox.received) == 3

    # Queueing and delivery are in the audit trail like any other write.
    with database.session() as session:
        trail = session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.field, AuditEntry.new_value)
            .where(AuditEntry.entity == "mail_outbox")
            .order_by(AuditEntry.id)
        ).all()
    assert ("tests", "create", "recipient", "bo@example.fi") in trail
    assert ("mail", "update", "state", "sent") in trail


def test_a_dedup_key_is_queued_once_ever(database: Database, server: SmtpServer) -> None:
    key = "reminder:due-1:anna@example.fi:-7"
    assert enqueue(database, draft(key, "anna@example.fi"), draft(key, "anna@example.fi")) == [
        True,
        False,
    ]
    assert enqueue(database, draft(key, "anna@example.fi")) == [False]  # another transaction
    assert deliver_pending(database, NOW, settings=server.settings).sent == 1
    assert enqueue(database, draft(key, "anna@example.fi")) == [False]  # after it was sent
    assert deliver_pending(database, NOW, settings=server.settings).sent == 0
    assert server.mailbox.recipients() == ["anna@example.fi"]
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(MailMessage)) == 1


def test_with_the_server_down_messages_wait_for_the_next_pass(database: Database) -> None:
    down = SmtpServer(free_port(), Mailbox())  # nothing listens on the port yet
    enqueue(
        database,
        draft("notice:1:anna@example.fi", "anna@example.fi"),
        draft("notice:1:bo@example.fi", "bo@example.fi", "sv"),
    )
    report = deliver_pending(database, NOW, settings=down.settings)
    assert (report.sent, report.retried, report.failed) == (0, 2, 0)
    for message in rows(database).values():
        assert message.state == "queued" and message.attempts == 1
        assert message.last_error and "ConnectionRefusedError" in message.last_error
        assert message.next_attempt_at == NOW + timedelta(minutes=5)
    # Before the retry time a pass leaves them alone.
    early = deliver_pending(database, NOW + timedelta(minutes=1), settings=down.settings)
    assert (early.sent, early.retried) == (0, 0)
    assert {m.attempts for m in rows(database).values()} == {1}

    down.start()
    try:
        later = deliver_pending(database, NOW + timedelta(minutes=10), settings=down.settings)
    finally:
        down.stop()
    assert (later.sent, later.retried, later.failed) == (2, 0, 0)
    assert down.mailbox.recipients() == ["anna@example.fi", "bo@example.fi"]
    assert {(m.state, m.attempts, m.last_error) for m in rows(database).values()} == {
        ("sent", 2, None)
    }


def test_refusals_a_temporary_one_is_retried_a_permanent_one_is_kept_failed(
    database: Database, server: SmtpServer
) -> None:
    server.mailbox.refuse = {
        "eiole@example.fi": "550 5.1.1 <eiole@example.fi>: Recipient address rejected",
        "kiire@example.fi": "451 4.3.0 Try again later",
    }
    enqueue(
        database,
        draft("n:eiole", "eiole@example.fi"),
        draft("n:kiire", "kiire@example.fi"),
        draft("n:anna", "anna@example.fi"),
    )
    report = deliver_pending(database, NOW, settings=server.settings)
    assert (report.sent, report.retried, report.failed) == (1, 1, 1)
    stored = rows(database)
    refused = stored["eiole@example.fi"]
    assert refused.state == "failed"
    assert refused.last_error and "550" in refused.last_error
    assert "Recipient address rejected" in refused.last_error
    busy = stored["kiire@example.fi"]
    assert (busy.state, busy.attempts) == ("queued", 1)
    assert busy.last_error and busy.last_error.startswith("kiire@example.fi: 451")
    assert stored["anna@example.fi"].state == "sent"
    with database.session() as session:
        failed = outbox.list_messages(session, state="failed")
        assert [m.recipient for m in failed] == ["eiole@example.fi"]

    # The failed one is not tried again; the busy one goes when the server takes it.
    server.mailbox.refuse = {}
    later = deliver_pending(database, NOW + timedelta(hours=1), settings=server.settings)
    assert (later.sent, later.retried, later.failed) == (1, 0, 0)
    assert server.mailbox.recipients() == ["anna@example.fi", "kiire@example.fi"]
    assert rows(database)["eiole@example.fi"].state == "failed"


def test_nothing_is_sent_when_mail_is_not_configured(
    database: Database, server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EVAUS_SMTP_URL", raising=False)
    enqueue(database, draft("n:anna", "anna@example.fi"))
    report = deliver_pending(database, NOW)
    assert report.disabled and report.sent == 0
    assert (
        rows(database)["anna@example.fi"].state,
        rows(database)["anna@example.fi"].attempts,
    ) == (
        "queued",
        0,
    )
    # Configured through the environment, the same pass sends it.
    monkeypatch.setenv("EVAUS_SMTP_URL", f"smtp://127.0.0.1:{server.port}")
    monkeypatch.setenv("EVAUS_MAIL_FROM", SENDER)
    assert deliver_pending(database, NOW).sent == 1
    assert [sender for sender, _r, _m in server.mailbox.received] == [SENDER]


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.mark.parametrize("scheme", ["smtp", "smtps"])
def test_starttls_and_implicit_tls_with_login(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    import ssl

    cert, key = _self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this server's certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(
            success=(data.login, data.password) == (b"evaus@kunta.fi", "s@la:ä".encode())
        )

    smtp = SmtpServer(free_port(), Mailbox())
    # aiosmtpd counts only STARTTLS as TLS for AUTH: with implicit TLS it must be told to offer it.
    tls: dict[str, Any] = (
        {"tls_context": context, "require_starttls": True}
        if scheme == "smtp"
        else {"ssl_context": context, "auth_require_tls": False}
    )
    smtp.start(authenticator=authenticator, **tls)
    try:
        settings = parse_smtp_url(
            f"{scheme}://evaus%40kunta.fi:s%40la%3A%C3%A4@localhost:{smtp.port}"
        )
        assert settings.security == ("starttls" if scheme == "smtp" else "tls")
        assert settings.sender == "evaus@kunta.fi"
        enqueue(database, draft("n:anna", "anna@example.fi"))
        assert deliver_pending(database, NOW, settings=settings).sent == 1
    finally:
        smtp.stop()
    assert logins == [(b"evaus@kunta.fi", "s@la:ä".encode())]
    assert smtp.mailbox.recipients() == ["anna@example.fi"]


@pytest.fixture
def two_instances(database: Database) -> Iterator[tuple[Database, Database]]:
    """Two engines on the test database, as two EVAUS instances would have."""
    url = database.engine.url.render_as_string(hide_password=False)
    engines = [make_engine(url), make_engine(url)]
    yield (
        Database(engines[0], make_sessionmaker(engines[0])),
        Database(engines[1], make_sessionmaker(engines[1])),
    )
    for engine in engines:
        engine.dispose()


def test_two_passes_at_once_send_each_message_once(
    database: Database, server: SmtpServer, two_instances: tuple[Database, Database]
) -> None:
    count = 40
    enqueue(database, *(draft(f"n:{i}", f"user{i:02}@example.fi") for i in range(count)))
    barrier = threading.Barrier(2)
    reports: list[Any] = [None, None]

    def run(index: int) -> None:
        barrier.wait()
        try:
            reports[index] = deliver_pending(
                two_instances[index], NOW, settings=server.settings, batch=3
            )
        except Exception as error:  # the test looks at it
            reports[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert not any(isinstance(r, Exception) for r in reports), reports
    assert server.mailbox.recipients() == [f"user{i:02}@example.fi" for i in range(count)]
    assert sum(r.sent for r in reports) == count
    assert {(m.state, m.attempts) for m in rows(database).values()} == {("sent", 1)}


def test_single_runner_lets_one_of_the_instances_run(
    two_instances: tuple[Database, Database],
) -> None:
    first, second = two_instances
    postgres = first.engine.dialect.name == "postgresql"
    with single_runner(first, "reminders") as got_first:
        assert got_first
        with single_runner(second, "reminders") as got_second:
            assert got_second is not postgres  # SQLite: one machine, always runs
        with single_runner(second, "digest") as other_work:
            assert other_work  # another name is another lock
    with single_runner(second, "reminders") as got_after:
        assert got_after  # released at the end of the block


async def test_the_server_sends_queued_mail_between_the_daily_passes(
    database: Database, server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review notice or an @mention goes out within a delivery interval, not the next day."""
    from evaus.ui.daily import start_mail_delivery

    monkeypatch.setenv("EVAUS_SMTP_URL", f"smtp://127.0.0.1:{server.port}")
    monkeypatch.setenv("EVAUS_MAIL_FROM", SENDER)
    with database.session("tests") as session:
        outbox.enqueue(session, draft("mention:1:anna", "anna@example.fi"))
        session.commit()
    task = start_mail_delivery(database, interval=0.05)
    assert task is not None
    try:
        for _ in range(200):
            if server.mailbox.received:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # several more rounds: nothing goes twice
    finally:
        task.cancel()
    assert server.mailbox.recipients() == ["anna@example.fi"]


async def test_without_mail_settings_no_delivery_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    from evaus.ui.daily import start_mail_delivery

    monkeypatch.delenv("EVAUS_SMTP_URL", raising=False)
    assert start_mail_delivery(None, interval=0.05) is None  # type: ignore[arg-type]
