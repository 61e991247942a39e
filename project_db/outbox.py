"""The mail outbox: every e-mail the registry sends is first a row here.

A message is queued in the same transaction as the change that causes it, so a reminder or a
notice is never lost when the mail server is down, and its dedup key (unique) makes queueing
idempotent: a reminder for one due item, recipient and offset is queued once, ever.

Delivery (``evaus.mail``) claims due rows, sends them and marks them sent; a temporary fault
leaves a row queued with a later ``next_attempt_at``, a permanent refusal of the address marks
it failed with the server's answer for the administrators. Claiming sets ``next_attempt_at``
a lease ahead and counts the attempt in one short transaction, so a second instance passes the
row by (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: the version check of the update, as
SQLite has one writer at a time) and a process that dies mid-send leaves it to be retried when
the lease ends.

Every insert and update goes through the ORM, so the audit hook records it like other writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import Base, UtcDateTime, Versioned, utcnow

QUEUED = "queued"
SENT = "sent"
FAILED = "failed"  # permanently: the server refused the address or the message
STATES = (QUEUED, SENT, FAILED)

# How long a claimed message is left to its sender before another pass may try it again.
CLAIM_LEASE = timedelta(minutes=30)
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)


class MailMessage(Versioned, Base):
    """One e-mail to one recipient, in the recipient's language (plain text and HTML)."""

    __tablename__ = "mail_outbox"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'sent', 'failed')", name="state_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_mail_outbox_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # e.g. "reminder:<due item key>:<recipient>:<offset>": the same key is queued only once.
    dedup_key: Mapped[str] = mapped_column(String(300), unique=True)
    recipient: Mapped[str] = mapped_column(String(320))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str] = mapped_column(String(5), default="fi")
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(2000))
    state: Mapped[str] = mapped_column(String(10), default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class MailDraft:
    """What a caller wants sent; the outbox adds the delivery bookkeeping."""

    dedup_key: str
    recipient: str
    subject: str
    body_text: str
    body_html: str = ""
    language: str = "fi"
    user_id: int | None = None
    link: str | None = None


def enqueue(
    session: Session, draft: MailDraft, *, now: datetime | None = None
) -> tuple[MailMessage, bool]:
    """Queue ``draft`` unless a message with its dedup key exists (queued, sent or failed).

    Gives the stored message and whether it is new. The caller commits. When two writers queue
    the same key at once, the unique key keeps one: on PostgreSQL the loser's insert is undone
    in a savepoint and the winner's row is returned; SQLite has one writer at a time.
    """
    existing = find(session, draft.dedup_key)
    if existing is not None:
        return existing, False
    message = MailMessage(
        dedup_key=draft.dedup_key,
        recipient=draft.recipient,
        user_id=draft.user_id,
        language=draft.language,
        subject=draft.subject,
        body_text=draft.body_text,
        body_html=draft.body_html,
        link=draft.link,
        state=QUEUED,
        attempts=0,
        next_attempt_at=now or utcnow(),
    )
    if session.get_bind().dialect.name != "postgresql":
        session.add(message)
        session.flush()
        return message, True
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        raced = find(session, draft.dedup_key)
        if raced is None:
            raise
        return raced, False
    return message, True


def find(session: Session, dedup_key: str) -> MailMessage | None:
    return session.scalar(select(MailMessage).where(MailMessage.dedup_key == dedup_key))


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed try: 5 min, 10, 20 … at most 6 hours."""
    doublings = min(max(attempts - 1, 0), 10)
    return min(FIRST_RETRY * (1 << doublings), LONGEST_RETRY)


def claim_due(session: Session, now: datetime, *, limit: int = 50) -> list[MailMessage]:
    """Take up to ``limit`` queued messages whose time has come, for this sender only.

    Each claimed message has its attempt counted and ``next_attempt_at`` moved a lease ahead,
    so no other pass picks it while this one sends. The caller commits at once (before
    sending). On SQLite a concurrent claim of the same row fails the version check of the
    update (``StaleDataError``): the caller rolls back and claims again.
    """
    query = (
        select(MailMessage)
        .where(MailMessage.state == QUEUED, MailMessage.next_attempt_at <= now)
        .order_by(MailMessage.next_attempt_at, MailMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed = list(session.scalars(query))
    for message in claimed:
        message.attempts += 1
        message.next_attempt_at = now + CLAIM_LEASE
    session.flush()
    return claimed


def _claimed(session: Session, message_id: int) -> MailMessage | None:
    message = session.get(MailMessage, message_id)
    return message if message is not None and message.state == QUEUED else None


def mark_sent(session: Session, message_id: int, now: datetime) -> None:
    message = _claimed(session, message_id)
    if message is not None:
        message.state = SENT
        message.sent_at = now
        message.last_error = None


def mark_retry(session: Session, message_id: int, now: datetime, error: str) -> None:
    """A temporary fault (no connection, a 4xx answer): try again later; never dropped."""
    message = _claimed(session, message_id)
    if message is not None:
        message.last_error = error[:2000]
        message.next_attempt_at = now + retry_delay(message.attempts)


def mark_failed(session: Session, message_id: int, error: str) -> None:
    """A permanent refusal (a 5xx for the address or the message): left for an administrator."""
    message = _claimed(session, message_id)
    if message is not None:
        message.state = FAILED
        message.last_error = error[:2000]


def list_messages(
    session: Session, *, state: str | None = None, limit: int = 200
) -> Sequence[MailMessage]:
    """The newest messages first, optionally of one state (e.g. failed ones for the admins)."""
    query = select(MailMessage).order_by(MailMessage.id.desc()).limit(limit)
    if state is not None:
        query = query.where(MailMessage.state == state)
    return session.scalars(query).all()
