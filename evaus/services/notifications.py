"""The signed-in user's own notices (the bell) and notification settings.

Every user reads and marks only their own notices and edits only their own settings; nothing
here takes another user's id. Every write goes through the audited session.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from project_db import notifications as data
from project_db import outbox
from project_db.audit import set_actor

from .access import Actor, require_admin, require_read


class NoticeOut(BaseModel):
    id: int
    kind: str
    text: str  # in the reader's language
    link: str | None
    created_at: datetime
    read: bool


class FailedMail(BaseModel):
    """An e-mail the server refused for good, for the administrators."""

    recipient: str
    subject: str
    error: str
    at: datetime


def failed_mail(session: Session, *, actor: Actor, limit: int = 10) -> list[FailedMail]:
    """The newest e-mails that failed for good (a refused address …). Administrators only."""
    require_admin(actor)
    return [
        FailedMail(
            recipient=m.recipient,
            subject=m.subject,
            error=m.last_error or "",
            at=m.updated_at,
        )
        for m in outbox.list_messages(session, state=outbox.FAILED, limit=limit)
    ]


class Preferences(BaseModel):
    """Which kinds are on (every kind is on until the user switches it off)."""

    reminder_before: bool = True
    reminder_due: bool = True
    reminder_overdue: bool = True
    review: bool = True
    digest_frequency: str = data.DEFAULT_DIGEST_FREQUENCY  # daily | weekly | off


def notices(
    session: Session, *, actor: Actor, limit: int = 10, lang: str | None = None
) -> list[NoticeOut]:
    """The actor's latest notices, newest first."""
    require_read(actor)
    return [
        NoticeOut(
            id=n.id,
            kind=n.kind,
            text=n.text(lang or actor.language),
            link=n.link,
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n in data.latest_notices(session, actor.user_id, limit)
    ]


def unread_count(session: Session, *, actor: Actor) -> int:
    require_read(actor)
    return data.unread_count(session, actor.user_id)


def mark_all_read(session: Session, *, actor: Actor) -> int:
    require_read(actor)
    set_actor(session, actor.username)
    count = data.mark_all_read(session, actor.user_id)
    session.commit()
    return count


def preferences(session: Session, *, actor: Actor) -> Preferences:
    require_read(actor)
    row = data.preferences(session, actor.user_id)
    if row is None:
        return Preferences()
    return Preferences(
        reminder_before=row.reminder_before,
        reminder_due=row.reminder_due,
        reminder_overdue=row.reminder_overdue,
        review=row.review,
        digest_frequency=row.digest_frequency,
    )


def save_preferences(session: Session, prefs: Preferences, *, actor: Actor) -> Preferences:
    """Store the actor's own settings."""
    require_read(actor)
    off = [
        kind
        for kind in (data.REMINDER_BEFORE, data.REMINDER_DUE, data.REMINDER_OVERDUE, data.REVIEW)
        if not getattr(prefs, kind)
    ]
    frequency = prefs.digest_frequency
    if frequency not in data.DIGEST_FREQUENCIES:
        frequency = data.DEFAULT_DIGEST_FREQUENCY
    set_actor(session, actor.username)
    data.set_preferences(session, actor.user_id, switched_off=off, digest_frequency=frequency)
    session.commit()
    return preferences(session, actor=actor)


__all__ = [
    "FailedMail",
    "NoticeOut",
    "Preferences",
    "failed_mail",
    "mark_all_read",
    "notices",
    "preferences",
    "save_preferences",
    "unread_count",
]
