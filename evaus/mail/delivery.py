"""The delivery pass: send what the outbox holds, once each, and keep what could not be sent.

``deliver_pending`` claims due messages in short transactions (see ``project_db.outbox``),
sends them over one SMTP connection and marks each sent, to retry or failed in its own
transaction. A fault is sorted by what the server said:

- no connection, a dropped one, TLS or login trouble, a 4xx answer: the message stays queued
  and is tried again later (5 minutes, then doubling up to 6 hours); nothing is lost;
- a 5xx refusal of the recipient or of the message itself: the message is marked failed with
  the server's answer, for the administrators to see; it is not tried again.

Two passes at once (two instances on one PostgreSQL database, or a cron run during ``serve``)
never send the same message: a claimed row is passed by until its lease ends. The one case
that can send twice is a process dying after the server accepted a message and before the row
was marked sent; both copies then carry the same Message-ID.
"""

from __future__ import annotations

import base64
import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from types import TracebackType
from typing import TYPE_CHECKING, Literal

from sqlalchemy.orm.exc import StaleDataError

from project_db import outbox
from project_db.base import utcnow
from project_db.outbox import MailMessage

from .message import build_message
from .settings import SmtpSettings, smtp_settings

if TYPE_CHECKING:
    from evaus.db import Database

log = logging.getLogger("evaus.mail")

MAIL_ACTOR = "mail"  # the audit trail's name for the delivery pass
Outcome = Literal["sent", "retry", "failed"]


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    disabled: bool = False  # EVAUS_SMTP_URL is unset: nothing was tried


class SmtpSender:
    """One SMTP connection for a pass, opened on the first message.

    After a failed connect the rest of the pass does not try again: each remaining message
    is left queued with the same error instead of waiting for the same timeout once more."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._unreachable: str | None = None

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if s.security == "tls":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.username is not None and s.password is not None:
                _login(smtp, s.username, s.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, mail: EmailMessage, recipient: str) -> tuple[Outcome, str | None]:
        """Send one message; what happened and, unless sent, the error to record."""
        if self._unreachable is not None:
            return "retry", self._unreachable
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except (smtplib.SMTPException, OSError) as error:
                self._unreachable = f"{self.settings.host}:{self.settings.port}: {_describe(error)}"
                return "retry", self._unreachable
        try:
            self._smtp.send_message(mail, from_addr=self.settings.sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as error:
            code, answer = error.recipients.get(recipient, (0, b""))
            return _by_code(code, f"{recipient}: {code} {_text(answer)}")
        except smtplib.SMTPDataError as error:
            return _by_code(error.smtp_code, f"{error.smtp_code} {_text(error.smtp_error)}")
        except (smtplib.SMTPException, OSError) as error:
            # The sender refused (a setting), a dropped connection, a timeout: try later on a
            # new connection.
            self.close()
            return "retry", _describe(error)
        return "sent", None


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """``smtplib`` logs in with ASCII only; AUTH PLAIN carries UTF-8 (RFC 4616), so a user name
    or password with ä or € is sent that way."""
    if (username + password).isascii():
        smtp.login(username, password)
        return
    if "PLAIN" not in smtp.esmtp_features.get("auth", "").upper().split():
        raise smtplib.SMTPException("a non-ASCII login needs AUTH PLAIN, which the server lacks")
    token = b"\0" + username.encode() + b"\0" + password.encode()
    code, answer = smtp.docmd("AUTH", "PLAIN " + base64.b64encode(token).decode("ascii"))
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)


def _text(answer: bytes | str) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _by_code(code: int, error: str) -> tuple[Outcome, str]:
    return ("failed" if 500 <= code < 600 else "retry"), error


def _claim(database: Database, now: datetime, limit: int) -> list[MailMessage]:
    for _ in range(20):
        with database.session(MAIL_ACTOR) as session:
            try:
                claimed = outbox.claim_due(session, now, limit=limit)
                session.commit()
            except StaleDataError:  # SQLite: another pass claimed one of them first
                session.rollback()
                continue
            return claimed
    return []


def _record(
    database: Database, message_id: int, now: datetime, outcome: Outcome, error: str | None
) -> None:
    with database.session(MAIL_ACTOR) as session:
        if outcome == "sent":
            outbox.mark_sent(session, message_id, now)
        elif outcome == "failed":
            outbox.mark_failed(session, message_id, error or "")
        else:
            outbox.mark_retry(session, message_id, now, error or "")
        try:
            session.commit()
        except StaleDataError:  # its lease ended and another pass took it over: theirs now
            session.rollback()


def deliver_pending(
    database: Database,
    now: datetime | None = None,
    *,
    settings: SmtpSettings | None = None,
    batch: int = 50,
) -> DeliveryReport:
    """Send every queued message that is due at ``now`` (default: this moment)."""
    settings = settings or smtp_settings()
    if settings is None:
        return DeliveryReport(disabled=True)
    now = now or utcnow()
    report = DeliveryReport()
    with SmtpSender(settings) as sender:
        while claimed := _claim(database, now, batch):
            for message in claimed:
                outcome: Outcome
                problem: str | None
                try:
                    mail = build_message(message, settings.sender, now=now)
                except ValueError as error:  # e.g. a line break in the address
                    outcome, problem = "failed", f"cannot be sent: {error}"
                else:
                    outcome, problem = sender.send(mail, message.recipient)
                _record(database, message.id, now, outcome, problem)
                if outcome == "sent":
                    report.sent += 1
                elif outcome == "failed":
                    report.failed += 1
                    log.warning("mail %s to %s failed: %s", message.id, message.recipient, problem)
                else:
                    report.retried += 1
                    log.info(
                        "mail %s to %s left queued: %s", message.id, message.recipient, problem
                    )
    return report
