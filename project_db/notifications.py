"""Notification preferences and in-app notices.

A user's preference row says which kinds of notification are switched off; a missing row means
everything is on (the defaults below). A notice is the in-app twin of a message: it is shown under
the bell in the header until the user marks it read. Its text is stored rendered in the three
languages, so the bell shows it in the language the user reads the registry in; its dedup key
(unique) makes creating it idempotent like the outbox.

Every insert and update goes through the ORM, so the audit hook records it like other writes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import Base, UtcDateTime, Versioned, utcnow
from .models import User
from .outbox import MailMessage

# The kinds of notification a user may switch off, in the order the profile page lists them.
REMINDER_BEFORE = "reminder_before"
REMINDER_DUE = "reminder_due"
REMINDER_OVERDUE = "reminder_overdue"
REVIEW = "review"
DIGEST = "digest"
KINDS = (REMINDER_BEFORE, REMINDER_DUE, REMINDER_OVERDUE, REVIEW, DIGEST)

DIGEST_FREQUENCIES = ("daily", "weekly", "off")
DEFAULT_DIGEST_FREQUENCY = "weekly"


class NotificationPreference(Versioned, Base):
    """What one user does not want to be told (every kind is on until switched off)."""

    __tablename__ = "notification_preference"
    __table_args__ = (
        CheckConstraint(
            "digest_frequency IN ('daily', 'weekly', 'off')", name="digest_frequency_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), unique=True)
    reminder_before: Mapped[bool] = mapped_column(Boolean, default=True)
    reminder_due: Mapped[bool] = mapped_column(Boolean, default=True)
    reminder_overdue: Mapped[bool] = mapped_column(Boolean, default=True)
    review: Mapped[bool] = mapped_column(Boolean, default=True)
    digest_frequency: Mapped[str] = mapped_column(String(10), default=DEFAULT_DIGEST_FREQUENCY)

    def wants(self, kind: str) -> bool:
        if kind == DIGEST:
            return self.digest_frequency != "off"
        return bool(getattr(self, kind))


class Notice(Versioned, Base):
    """One in-app notice for one user, rendered in fi/sv/en, with a link to what it is about."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    # e.g. "reminder:<due item key>:<user>:<offset>": the same notice is created only once.
    dedup_key: Mapped[str] = mapped_column(String(300), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    text_fi: Mapped[str] = mapped_column(Text)
    text_sv: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(2000))
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    def text(self, language: str) -> str:
        return {"sv": self.text_sv, "en": self.text_en}.get(language, self.text_fi)


def preferences(session: Session, user_id: int) -> NotificationPreference | None:
    return session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user_id)
    ).one_or_none()


def preferences_for(session: Session, user_ids: Sequence[int]) -> dict[int, NotificationPreference]:
    if not user_ids:
        return {}
    rows = session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id.in_(user_ids))
    )
    return {row.user_id: row for row in rows}


def set_preferences(
    session: Session, user_id: int, *, switched_off: Sequence[str], digest_frequency: str
) -> NotificationPreference:
    """Store which kinds ``user_id`` has switched off (creating the row on first use)."""
    if digest_frequency not in DIGEST_FREQUENCIES:
        raise ValueError(f"unknown digest frequency: {digest_frequency}")
    row = preferences(session, user_id)
    if row is None:
        row = NotificationPreference(user_id=user_id)
        session.add(row)
    for kind in (REMINDER_BEFORE, REMINDER_DUE, REMINDER_OVERDUE, REVIEW):
        setattr(row, kind, kind not in switched_off)
    row.digest_frequency = "off" if DIGEST in switched_off else digest_frequency
    session.flush()
    return row


def notice_exists(session: Session, dedup_key: str) -> bool:
    return session.scalar(select(Notice.id).where(Notice.dedup_key == dedup_key)) is not None


def add_notice(
    session: Session,
    *,
    dedup_key: str,
    user_id: int,
    kind: str,
    texts: dict[str, str],
    link: str | None = None,
) -> Notice | None:
    """Create the notice unless one with ``dedup_key`` exists; returns it, or None if it did."""
    if notice_exists(session, dedup_key):
        return None
    notice = Notice(
        dedup_key=dedup_key,
        user_id=user_id,
        kind=kind,
        text_fi=texts["fi"],
        text_sv=texts.get("sv", texts["fi"]),
        text_en=texts.get("en", texts["fi"]),
        link=link,
    )
    try:
        with session.begin_nested():
            session.add(notice)
    except IntegrityError:  # a concurrent pass created it first
        return None
    return notice


def active_users(session: Session, role: str) -> Sequence[User]:
    """The active users of ``role`` (e.g. the reviewers a submission is announced to)."""
    return session.scalars(
        select(User).where(User.role == role, User.active.is_(True)).order_by(User.id)
    ).all()


def notices_of(session: Session, user_ids: Collection[int]) -> list[Notice]:
    """Every notice of the users, oldest first (personal data)."""
    if not user_ids:
        return []
    return list(
        session.scalars(select(Notice).where(Notice.user_id.in_(user_ids)).order_by(Notice.id))
    )


def mail_to(
    session: Session, user_ids: Collection[int], addresses: Collection[str]
) -> list[MailMessage]:
    """The outbox messages addressed to the users or to any of the addresses (any case),
    oldest first (personal data)."""
    conditions: list[Any] = []
    if user_ids:
        conditions.append(MailMessage.user_id.in_(user_ids))
    folded = sorted({a.casefold() for a in addresses if a})
    if folded:
        conditions.append(func.lower(MailMessage.recipient).in_(folded))
    if not conditions:
        return []
    return list(
        session.scalars(select(MailMessage).where(or_(*conditions)).order_by(MailMessage.id))
    )


def latest_notices(session: Session, user_id: int, limit: int = 10) -> list[Notice]:
    return list(
        session.scalars(
            select(Notice)
            .where(Notice.user_id == user_id)
            .order_by(Notice.created_at.desc(), Notice.id.desc())
            .limit(limit)
        )
    )


def unread_count(session: Session, user_id: int) -> int:
    return int(
        session.scalar(
            select(func.count(Notice.id)).where(Notice.user_id == user_id, Notice.read_at.is_(None))
        )
        or 0
    )


def mark_all_read(session: Session, user_id: int) -> int:
    """Mark every unread notice of ``user_id`` read (through the ORM, so it is audited)."""
    rows = list(
        session.scalars(select(Notice).where(Notice.user_id == user_id, Notice.read_at.is_(None)))
    )
    now = utcnow()
    for row in rows:
        row.read_at = now
    session.flush()
    return len(rows)


__all__ = [
    "DEFAULT_DIGEST_FREQUENCY",
    "DIGEST",
    "DIGEST_FREQUENCIES",
    "KINDS",
    "REMINDER_BEFORE",
    "REMINDER_DUE",
    "REMINDER_OVERDUE",
    "REVIEW",
    "Notice",
    "NotificationPreference",
    "active_users",
    "add_notice",
    "latest_notices",
    "mail_to",
    "mark_all_read",
    "notice_exists",
    "notices_of",
    "preferences",
    "preferences_for",
    "set_preferences",
    "unread_count",
]
