"""The tables of the ex-ante impact assessment (EVAUS).

An assessment belongs to a project (nullable: it may stand alone) and records the framework
(id + version) it was made with. Its parts are child rows; codes (impact areas, population
groups, scale values) are short ASCII strings defined by the framework file.

Optimistic locking is per assessment: every change to any part moves the assessment's
``version`` on (the services touch the assessment row), so one number guards the whole wizard.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Keyed, LocalKeyed, UtcDateTime, Versioned, new_key, utcnow

_Money = Numeric(14, 2)
_Fte = Numeric(8, 2)


class AssessmentFramework(Base):
    """An installed framework file, kept verbatim: assessments are read with their version."""

    __tablename__ = "assessment_framework"
    __table_args__ = (UniqueConstraint("framework_id", "framework_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[str] = mapped_column(String(80))
    framework_version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    installed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    installed_by: Mapped[str] = mapped_column(String(120), default="system")


class Assessment(Keyed, Versioned, Base):
    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="SET NULL"), index=True
    )
    # All versions of one assessment share a series key; each version links to the previous.
    series_key: Mapped[str] = mapped_column(String(36), index=True, default=new_key)
    version_number: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", ondelete="SET NULL")
    )
    framework_id: Mapped[str] = mapped_column(String(80))
    framework_version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    decision: Mapped[str] = mapped_column(Text, default="")  # the decision to be made
    preparers: Mapped[str] = mapped_column(String(500), default="")
    organisation: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), index=True, default="luonnos")
    created_by: Mapped[str] = mapped_column(String(120), default="")
    decision_date: Mapped[date | None] = mapped_column(Date)
    ex_post_date: Mapped[date | None] = mapped_column(Date)
    # Phase 0: None = not decided yet; a skipped assessment records its reason.
    screening_needed: Mapped[bool | None] = mapped_column(Boolean)
    screening_criteria: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of keys
    screening_reason: Mapped[str] = mapped_column(Text, default="")
    crossing_impacts: Mapped[str] = mapped_column(Text, default="")
    # Alternatives are referred to by their key (unique within the assessment).
    recommended_key: Mapped[str | None] = mapped_column(String(36))
    recommendation_reasoning: Mapped[str] = mapped_column(Text, default="")
    trade_offs: Mapped[str] = mapped_column(Text, default="")
    uncertainties: Mapped[str] = mapped_column(Text, default="")
    chosen_key: Mapped[str | None] = mapped_column(String(36))
    ex_post_summary: Mapped[str] = mapped_column(Text, default="")
    ex_post_rating: Mapped[str | None] = mapped_column(String(20))
    # The sign-off: the approver's display name and when (status stays "valmis").
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    answers: Mapped[list[AssessmentAnswer]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentAnswer.question_key"
    )
    alternatives: Mapped[list[AssessmentAlternative]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentAlternative.position"
    )
    areas: Mapped[list[AssessmentArea]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentArea.position"
    )
    impacts: Mapped[list[AssessmentImpact]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentImpact.position"
    )
    risks: Mapped[list[AssessmentRisk]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentRisk.position"
    )
    hearings: Mapped[list[AssessmentHearing]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentHearing.position"
    )
    follow_ups: Mapped[list[AssessmentFollowUp]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentFollowUp.position"
    )


class _AssessmentChild:
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class AssessmentAnswer(_AssessmentChild, Versioned, Base):
    """The answer to one framework question (question key → text)."""

    __tablename__ = "assessment_answer"
    __table_args__ = (UniqueConstraint("assessment_id", "question_key"),)

    question_key: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text, default="")


class AssessmentAlternative(LocalKeyed, _AssessmentChild, Versioned, Base):
    """An alternative; the 0-alternative (current state continues) is always there."""

    __tablename__ = "assessment_alternative"
    __table_args__ = (UniqueConstraint("assessment_id", "key"),)

    is_zero: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    cost_per_year: Mapped[Decimal | None] = mapped_column(_Money)
    staff_fte: Mapped[Decimal | None] = mapped_column(_Fte)
    premises: Mapped[str] = mapped_column(Text, default="")
    key_figures: Mapped[str] = mapped_column(Text, default="[]")  # JSON, see KeyFigureTable


class AssessmentArea(_AssessmentChild, Versioned, Base):
    """Phase 4: is an impact area relevant for this decision, and why (not)."""

    __tablename__ = "assessment_area"
    __table_args__ = (UniqueConstraint("assessment_id", "area_code"),)

    area_code: Mapped[str] = mapped_column(String(80))
    relevant: Mapped[bool | None] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(500), default="")


class AssessmentImpact(_AssessmentChild, Versioned, Base):
    """One cell of the matrix: an impact area × an alternative; with its ex-post entry."""

    __tablename__ = "assessment_impact"
    __table_args__ = (UniqueConstraint("alternative_id", "area_code"),)

    alternative_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_alternative.id", ondelete="CASCADE"), index=True
    )
    area_code: Mapped[str] = mapped_column(String(80))
    assessed: Mapped[bool] = mapped_column(Boolean, default=True)  # False = "ei arvioitu"
    not_assessed_reason: Mapped[str] = mapped_column(String(500), default="")
    direction: Mapped[str | None] = mapped_column(String(2))
    size: Mapped[str | None] = mapped_column(String(20))
    time_span: Mapped[str | None] = mapped_column(String(20))
    certainty: Mapped[str | None] = mapped_column(String(20))
    groups: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of group codes
    falls_on: Mapped[str] = mapped_column(Text, default="")
    justification: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    mitigation: Mapped[str] = mapped_column(Text, default="")
    # Ex-post (after implementation, for the chosen alternative).
    ex_post_recorded: Mapped[bool] = mapped_column(Boolean, default=False)
    realised_direction: Mapped[str | None] = mapped_column(String(2))
    realised_size: Mapped[str | None] = mapped_column(String(20))
    ex_post_evidence: Mapped[str] = mapped_column(Text, default="")
    ex_post_values: Mapped[str] = mapped_column(Text, default="")
    ex_post_note: Mapped[str] = mapped_column(Text, default="")

    alternative: Mapped[AssessmentAlternative] = relationship(lazy="joined")


class AssessmentRisk(LocalKeyed, _AssessmentChild, Versioned, Base):
    __tablename__ = "assessment_risk"
    __table_args__ = (UniqueConstraint("assessment_id", "key"),)

    alternative_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment_alternative.id", ondelete="SET NULL")
    )
    description: Mapped[str] = mapped_column(Text)
    likelihood: Mapped[str | None] = mapped_column(String(20))
    consequence: Mapped[str | None] = mapped_column(String(20))
    mitigation: Mapped[str] = mapped_column(Text, default="")

    alternative: Mapped[AssessmentAlternative | None] = relationship(lazy="joined")


class AssessmentHearing(LocalKeyed, _AssessmentChild, Versioned, Base):
    """Kuuleminen: who was heard, how and when, how many, whether children or young people
    were heard (LAVA), what they said and what changed because of it."""

    __tablename__ = "assessment_hearing"
    __table_args__ = (UniqueConstraint("assessment_id", "key"),)

    group_name: Mapped[str] = mapped_column(String(500))
    # The way's code (workshop, survey …; "" = not given); in words in ``method_note``. Before
    # revision 0015 this column held the way as free text: the migration moved it to the note.
    method: Mapped[str] = mapped_column(String(500), default="")
    method_note: Mapped[str] = mapped_column(String(500), default="")
    held_on: Mapped[date | None] = mapped_column(Date)
    participants: Mapped[int | None] = mapped_column(Integer)
    children_heard: Mapped[bool] = mapped_column(Boolean, default=False)
    children_how: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")  # what they said
    outcome: Mapped[str] = mapped_column(Text, default="")  # what changed because of it


class AssessmentFollowUp(LocalKeyed, _AssessmentChild, Versioned, Base):
    """A follow-up indicator; optionally the registry indicator of the linked project."""

    __tablename__ = "assessment_follow_up"
    __table_args__ = (UniqueConstraint("assessment_id", "key"),)

    name: Mapped[str] = mapped_column(String(500))
    baseline: Mapped[str] = mapped_column(String(500), default="")
    target: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    schedule: Mapped[str] = mapped_column(String(500), default="")
    responsible: Mapped[str] = mapped_column(String(500), default="")
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator.id", ondelete="SET NULL")
    )
    catalogue_key: Mapped[str | None] = mapped_column(  # a shared definition (its key)
        ForeignKey("indicator_catalogue.key", ondelete="SET NULL"), index=True
    )
    ex_post_rating: Mapped[str | None] = mapped_column(String(20))
