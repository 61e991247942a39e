"""The review of a project's reporting periods: draft → submitted → approved or returned.

``period_review`` holds each period's current state (one row per project and period number,
versioned, so two reviewers acting at once cannot both move it); ``period_review_event`` keeps
every transition with who, when and why (a return's or a reopening's reason). A period with
no row is a draft. An approved period is locked: ``locked_period_changes`` tells which of its
values a new document of the project would change.

Periods are identified by their number, which is what documents, imports and reports use.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, backref, mapped_column, relationship

from .base import Base, UtcDateTime, Versioned, utcnow
from .models import Project
from .schemas import ProjectDoc

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
RETURNED = "returned"
STATES = (DRAFT, SUBMITTED, APPROVED, RETURNED)

_STATE_CHECK = "state IN ('draft', 'submitted', 'approved', 'returned')"


class PeriodReview(Versioned, Base):
    """The current review state of one reporting period of a project."""

    __tablename__ = "period_review"
    __table_args__ = (
        UniqueConstraint("project_id", "period"),
        CheckConstraint(_STATE_CHECK, name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default=DRAFT)
    submitted_by: Mapped[str | None] = mapped_column(String(120))
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    # A project is deleted with its review rows through the session, so the audit log records
    # each (ON DELETE CASCADE alone would remove them unseen).
    project: Mapped[Project] = relationship(
        backref=backref("period_reviews", cascade="all, delete-orphan")
    )


class PeriodReviewEvent(Base):
    """One transition of a period's review: who moved it from which state to which, and why."""

    __tablename__ = "period_review_event"
    __table_args__ = (
        CheckConstraint(_STATE_CHECK.replace("state", "to_state", 1), name="to_state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[int] = mapped_column(Integer)
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    archive_id: Mapped[int | None] = mapped_column(
        ForeignKey("report_archive.id", ondelete="SET NULL")
    )

    project: Mapped[Project] = relationship(
        backref=backref("period_review_events", cascade="all, delete-orphan")
    )


def reviews(session: Session, project_id: int) -> dict[int, PeriodReview]:
    """The stored review rows of a project's periods, by period number."""
    rows = session.scalars(select(PeriodReview).where(PeriodReview.project_id == project_id))
    return {row.period: row for row in rows}


def review_for_update(session: Session, project_id: int, period: int) -> PeriodReview | None:
    """One period's review row, locked for the transaction where the database can."""
    return session.scalars(
        select(PeriodReview)
        .where(PeriodReview.project_id == project_id, PeriodReview.period == period)
        .with_for_update()
    ).one_or_none()


def lock_project(session: Session, project_id: int) -> None:
    """Hold the project for writing until the transaction ends, so that a check of its
    periods' review states and the write that relies on it cannot be split by another writer.

    Every writer of a project's period values (``period_locks``) and every move of a period's
    review state takes this lock before reading the states. PostgreSQL: ``SELECT … FOR UPDATE``
    on the project's row. SQLite takes one writer at a time: a transaction that has not
    written yet becomes a writing one (``BEGIN IMMEDIATE``; it waits for the current writer),
    so what it reads afterwards stays current until it commits."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        driver = connection.connection.driver_connection
        if driver is not None and not driver.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    session.execute(select(Project.id).where(Project.id == project_id).with_for_update())


def events(session: Session, project_id: int) -> Sequence[PeriodReviewEvent]:
    """Every review event of a project, oldest first."""
    return session.scalars(
        select(PeriodReviewEvent)
        .where(PeriodReviewEvent.project_id == project_id)
        .order_by(PeriodReviewEvent.at, PeriodReviewEvent.id)
    ).all()


def approved_periods(session: Session, project_id: int) -> set[int]:
    """The numbers of the project's approved (locked) periods."""
    return set(
        session.scalars(
            select(PeriodReview.period).where(
                PeriodReview.project_id == project_id, PeriodReview.state == APPROVED
            )
        )
    )


def _indicator_identities(stored: ProjectDoc, doc: ProjectDoc) -> list[str]:
    """Each indicator of ``doc`` as the stored document knows it: its key, or (an indicator
    given without a key, as a table import gives it) the key of the stored one of that name."""
    by_name = {i.name: i.key for i in stored.indicators if i.key}
    return [i.key or by_name.get(i.name) or f"name:{i.name}" for i in doc.indicators]


def _period_values(doc: ProjectDoc, identities: list[str], number: int) -> dict[str, Any]:
    """Everything a document holds about one period: the period itself, the indicators'
    actuals, participant groups and actual costs of it."""
    period = next((p for p in doc.periods if p.number == number), None)
    return {
        "period": period.model_dump() if period else None,
        "values": sorted(
            (ident, str(v.value.normalize()), v.basis, v.note)
            for ident, indicator in zip(identities, doc.indicators, strict=True)
            for v in indicator.values
            if v.period == number
        ),
        "participants": sorted(
            (s.gender, s.age_class, s.labour_status or "", s.education or "", s.count)
            for s in doc.participant_stats
            if s.period == number
        ),
        "costs": sorted(
            (c.scheme, c.category, str(c.amount.normalize()), c.note)
            for c in doc.cost_actuals
            if c.period == number
        ),
    }


def locked_period_changes(stored: ProjectDoc, doc: ProjectDoc, locked: set[int]) -> list[int]:
    """The locked periods whose values ``doc`` would change (compared with ``stored``)."""
    if not locked:
        return []
    stored_ids = _indicator_identities(stored, stored)
    new_ids = _indicator_identities(stored, doc)
    return [
        number
        for number in sorted(locked)
        if _period_values(stored, stored_ids, number) != _period_values(doc, new_ids, number)
    ]


__all__ = [
    "APPROVED",
    "DRAFT",
    "RETURNED",
    "STATES",
    "SUBMITTED",
    "PeriodReview",
    "PeriodReviewEvent",
    "approved_periods",
    "events",
    "lock_project",
    "locked_period_changes",
    "review_for_update",
    "reviews",
]
