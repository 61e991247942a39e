"""The registry's tables (SQLAlchemy 2 typed ORM).

Codes (status, project type, region …) are stored as short code strings that refer to the
``code_item`` table; services validate them, so a label can be renamed without touching projects.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import assessment_models  # noqa: F401  (registers the assessment tables)
from .base import Base, Keyed, LocalKeyed, UtcDateTime, Versioned, utcnow

Money = Numeric(14, 2)
Amount = Numeric(18, 4)  # indicator figures: counts, percentages, euros


class CodeItem(Versioned, Base):
    """One entry of an administrator-maintained code list (statuses, regions, funders …)."""

    __tablename__ = "code_item"
    __table_args__ = (UniqueConstraint("list_name", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_name: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(80))
    label_fi: Mapped[str] = mapped_column(String(300))
    label_sv: Mapped[str] = mapped_column(String(300), default="")
    label_en: Mapped[str] = mapped_column(String(300), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A portfolio's default for the public catalogue: its projects without a choice of their
    # own are public when it is set (meaningless on other lists, always false there).
    public_default: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class Organisation(Keyed, Versioned, Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    org_type: Mapped[str | None] = mapped_column(String(80))
    y_tunnus: Mapped[str | None] = mapped_column(String(9), unique=True)
    municipality: Mapped[str | None] = mapped_column(String(120))


class Person(Keyed, Versioned, Base):
    """A contact or team member. Personal data: exportable and erasable per person."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )
    organisation: Mapped[Organisation | None] = relationship()


class Project(Keyed, Versioned, Base):
    __tablename__ = "project"
    __table_args__ = (
        CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name="dates_in_order",
        ),
        Index("ix_project_dates", "start_date", "end_date"),
        # The list's other filter and sort columns (added with the full-text search, 0005).
        Index("ix_project_end_date", "end_date"),
        Index("ix_project_updated_at", "updated_at"),
        Index("ix_project_budget_amount", "budget_amount"),
        # The portfolio roll-ups by municipality (0020).
        Index("ix_project_municipality", "municipality"),
        # The public catalogue's condition (public_catalogue.public_condition, 0023).
        Index("ix_project_public", "public", "portfolio"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Identity of the source an import came from ("eura:S20397"): re-importing updates.
    source_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    # The name as a key that sorts in Finnish alphabetical order (… Z Å Ä Ö) byte by byte.
    sort_name: Mapped[str] = mapped_column(String(500), index=True, default="")
    short_name: Mapped[str | None] = mapped_column(String(100))
    project_type: Mapped[str | None] = mapped_column(String(80), index=True)
    portfolio: Mapped[str | None] = mapped_column(String(80), index=True)
    status: Mapped[str | None] = mapped_column(String(80), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str | None] = mapped_column(String(80), index=True)
    municipality: Mapped[str | None] = mapped_column(String(120))
    budget_amount: Mapped[Decimal | None] = mapped_column(Money)
    budget_class: Mapped[str | None] = mapped_column(String(80))
    eura_code: Mapped[str | None] = mapped_column(String(40), index=True)
    action_line: Mapped[str | None] = mapped_column(String(300))  # toimintalinja
    specific_objective: Mapped[str | None] = mapped_column(String(500))  # erityistavoite
    decision_number: Mapped[str | None] = mapped_column(String(120))
    responsible_authority: Mapped[str | None] = mapped_column(String(300))
    # The EU programme an ESR project belongs to ("Kestävää kasvua ja työtä 2014–2020 …").
    programme: Mapped[str | None] = mapped_column(String(300))
    website: Mapped[str | None] = mapped_column(String(1000))
    # Shown in the public catalogue: True/False as the project's own choice, None = as its
    # portfolio's default (CodeItem.public_default).
    public: Mapped[bool | None] = mapped_column(Boolean, default=None)
    # Text an importer could not place: kept, never dropped, and listed as a warning.
    notes: Mapped[str] = mapped_column(Text, default="")
    # Case-folded text of name, summary, goals and narratives for the list search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Finnish word stems of the searchable text (project_db.search): what the full-text index
    # (SQLite FTS5 table project_fts, PostgreSQL generated tsvector column) is built from.
    search_index: Mapped[str] = mapped_column(Text, default="")

    themes: Mapped[list[ProjectTheme]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectTheme.position"
    )
    sections: Mapped[list[NarrativeSection]] = relationship(
        cascade="all, delete-orphan", order_by="NarrativeSection.position"
    )
    organisations: Mapped[list[ProjectOrganisation]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectOrganisation.position"
    )
    funding: Mapped[list[Funding]] = relationship(
        cascade="all, delete-orphan", order_by="Funding.position"
    )
    people: Mapped[list[ProjectPerson]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectPerson.position"
    )
    goals: Mapped[list[Goal]] = relationship(cascade="all, delete-orphan", order_by="Goal.position")
    measures: Mapped[list[Measure]] = relationship(
        cascade="all, delete-orphan", order_by="Measure.position"
    )
    results: Mapped[list[Result]] = relationship(
        cascade="all, delete-orphan", order_by="Result.position"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        cascade="all, delete-orphan", order_by="Indicator.position"
    )
    periods: Mapped[list[ReportingPeriod]] = relationship(
        cascade="all, delete-orphan", order_by="ReportingPeriod.number"
    )
    participant_stats: Mapped[list[ParticipantStat]] = relationship(
        cascade="all, delete-orphan", order_by="ParticipantStat.position"
    )
    budget_lines: Mapped[list[BudgetLine]] = relationship(
        cascade="all, delete-orphan", order_by="BudgetLine.position"
    )
    cost_actuals: Mapped[list[CostActual]] = relationship(
        cascade="all, delete-orphan", order_by="CostActual.position"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        cascade="all, delete-orphan", order_by="Attachment.position"
    )
    links: Mapped[list[ProjectLink]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectLink.position"
    )


class _ProjectChild:
    """Rows that belong to one project and are listed in a fixed order."""

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class ProjectTheme(_ProjectChild, Base):
    __tablename__ = "project_theme"

    theme: Mapped[str] = mapped_column(String(200), index=True)


class ProjectLink(_ProjectChild, Versioned, Base):
    __tablename__ = "project_link"

    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(300), default="")


class NarrativeSection(_ProjectChild, Versioned, Base):
    """A free-text section of the project description (toimintaympäristö, ratkaisun perusidea …)."""

    __tablename__ = "narrative_section"

    kind: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")


class ProjectOrganisation(_ProjectChild, Versioned, Base):
    __tablename__ = "project_organisation"
    __table_args__ = (UniqueConstraint("project_id", "organisation_id", "role"),)

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str] = mapped_column(String(80))  # päätoteuttaja, osatoteuttaja, …
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class Funding(_ProjectChild, Versioned, Base):
    __tablename__ = "funding"
    __table_args__ = (
        CheckConstraint(
            "period_end IS NULL OR period_start IS NULL OR period_end >= period_start",
            name="period_in_order",
        ),
    )

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    funder_code: Mapped[str | None] = mapped_column(String(80), index=True)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    share_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    own_contribution: Mapped[Decimal | None] = mapped_column(Money)
    decision_number: Mapped[str | None] = mapped_column(String(120))
    decision_date: Mapped[date | None] = mapped_column(Date)
    # The grant's own period of use (käyttöaika; ESR: the eligibility period), which can
    # differ from the project's term.
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class ProjectPerson(_ProjectChild, Versioned, Base):
    __tablename__ = "project_person"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(300), default="")
    is_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    is_team: Mapped[bool] = mapped_column(Boolean, default=True)
    # The person whose name and contact details the public catalogue shows (no one else's).
    public_contact: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    person: Mapped[Person] = relationship(lazy="joined")


class Goal(LocalKeyed, _ProjectChild, Versioned, Base):
    """A main objective (no parent) or a sub-objective."""

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    parent_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")


class Measure(LocalKeyed, _ProjectChild, Versioned, Base):
    __tablename__ = "measure"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str | None] = mapped_column(String(300))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)


class Result(LocalKeyed, _ProjectChild, Versioned, Base):
    """Output (tuotos), short-term result (tulos) or long-term result/impact (vaikutus)."""

    __tablename__ = "result"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    kind: Mapped[str] = mapped_column(String(20))  # output | result | impact
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id", ondelete="SET NULL"))
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)


class Indicator(LocalKeyed, _ProjectChild, Versioned, Base):
    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id", ondelete="SET NULL"))
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(80), default="")
    baseline: Mapped[Decimal | None] = mapped_column(Amount)
    baseline_basis: Mapped[str | None] = mapped_column(String(20))
    target: Mapped[Decimal | None] = mapped_column(Amount)
    target_date: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")
    # Which way is progress: more | less | target (project_db.indicators.achievement).
    direction: Mapped[str] = mapped_column(String(20), default="more", server_default="more")
    catalogue_key: Mapped[str | None] = mapped_column(  # a shared definition (its key)
        ForeignKey("indicator_catalogue.key", ondelete="SET NULL"), index=True
    )

    revisions: Mapped[list[TargetRevision]] = relationship(
        cascade="all, delete-orphan", order_by="TargetRevision.revised_on"
    )
    values: Mapped[list[IndicatorValue]] = relationship(cascade="all, delete-orphan")


class TargetRevision(Versioned, Base):
    """A changed target keeps its history: old → new, why and when."""

    __tablename__ = "target_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    old_target: Mapped[Decimal | None] = mapped_column(Amount)
    new_target: Mapped[Decimal | None] = mapped_column(Amount)
    reason: Mapped[str] = mapped_column(Text)
    revised_on: Mapped[date] = mapped_column(Date)


class ReportingPeriod(_ProjectChild, Versioned, Base):
    """A numbered reporting (payment) period with its narrative. Periods are contiguous."""

    __tablename__ = "reporting_period"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
    )

    number: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    done: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[str] = mapped_column(Text, default="")
    deviations: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    # STEA: volunteers during the period, their hours, the figures' basis, how feedback was asked.
    volunteers: Mapped[int | None] = mapped_column(Integer)
    volunteer_hours: Mapped[Decimal | None] = mapped_column(Numeric(12, 1))
    volunteers_basis: Mapped[str | None] = mapped_column(String(20))
    feedback_methods: Mapped[str] = mapped_column(Text, default="", server_default="")


class IndicatorValue(Versioned, Base):
    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("indicator_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    period_id: Mapped[int] = mapped_column(
        ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[Decimal] = mapped_column(Amount)
    basis: Mapped[str] = mapped_column(String(20))  # collected | sample | estimate
    note: Mapped[str] = mapped_column(Text, default="")
    period: Mapped[ReportingPeriod] = relationship(lazy="joined")


class ParticipantStat(_ProjectChild, Versioned, Base):
    """ESR participant monitoring, aggregated only: the number of people in one group.

    A row with a period counts that period's participants; a row without one counts the whole
    project's participants, each person once (not the sum of the periods: one person may take
    part in several). The groups of one period are disjoint: gender × age class × labour-market
    status × education, the last two empty when not recorded.
    """

    __tablename__ = "participant_stat"
    __table_args__ = (
        UniqueConstraint(
            "project_id",
            "period_id",
            "gender",
            "age_class",
            "labour_status",
            "education",
            name="uq_participant_stat_group",
        ),
    )

    period_id: Mapped[int | None] = mapped_column(
        ForeignKey("reporting_period.id", ondelete="CASCADE")
    )
    gender: Mapped[str] = mapped_column(String(20))
    age_class: Mapped[str] = mapped_column(String(20))
    labour_status: Mapped[str | None] = mapped_column(String(40))
    education: Mapped[str | None] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer)
    period: Mapped[ReportingPeriod | None] = relationship(lazy="joined")


class BudgetLine(_ProjectChild, Versioned, Base):
    """The planned budget of one cost category (kustannuslaji) in one funder's scheme.

    Amounts are never negative; the category ``tulot`` is income, which reduces the net cost
    (see ``project_db.finance``).
    """

    __tablename__ = "budget_line"
    __table_args__ = (
        UniqueConstraint("project_id", "scheme", "category"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        # The roll-ups add up a selection's lines, or the whole registry by category, from the
        # index alone (0020).
        Index("ix_budget_line_rollup", "project_id", "scheme", "category", "amount"),
        Index("ix_budget_line_by_category", "scheme", "category", "project_id", "amount"),
    )

    scheme: Mapped[str] = mapped_column(String(20))  # esr | stm | stea: its category list
    category: Mapped[str] = mapped_column(String(80))
    amount: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str] = mapped_column(Text, default="")


class CostActual(_ProjectChild, Versioned, Base):
    """Actual costs (or income) of one cost category in one reporting period."""

    __tablename__ = "cost_actual"
    __table_args__ = (
        UniqueConstraint("project_id", "period_id", "scheme", "category"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        # As for the budget lines (0020).
        Index("ix_cost_actual_rollup", "project_id", "period_id", "scheme", "category", "amount"),
        Index(
            "ix_cost_actual_by_category", "scheme", "category", "project_id", "period_id", "amount"
        ),
    )

    period_id: Mapped[int] = mapped_column(
        ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True
    )
    scheme: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(80))
    amount: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str] = mapped_column(Text, default="")
    period: Mapped[ReportingPeriod] = relationship(lazy="joined")


class Attachment(LocalKeyed, _ProjectChild, Versioned, Base):
    """A file stored under the data directory, addressed by its SHA-256."""

    __tablename__ = "attachment"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    description: Mapped[str] = mapped_column(Text, default="")


class User(Versioned, Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(20))  # admin | manager | viewer
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str] = mapped_column(String(5), default="fi")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ApiToken(Base):
    """A personal token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    user: Mapped[User] = relationship(lazy="joined")


class AuditEntry(Base):
    """Who changed what, when: one row per changed field (old → new)."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(10))  # create | update | delete
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int] = mapped_column(Integer)
    project_id: Mapped[int | None] = mapped_column(Integer, index=True)
    assessment_id: Mapped[int | None] = mapped_column(Integer, index=True)
    field: Mapped[str | None] = mapped_column(String(80))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class ReportTemplate(Base):
    """A version of a report template (DOCX). The newest active one per kind and language is used;
    with none active, the template shipped in ``evaus/reports/templates/`` is. Templates a report
    was made with are kept here too (``shipped``), so an archived report can be made again with the
    same one.
    """

    __tablename__ = "report_template"
    __table_args__ = (UniqueConstraint("kind", "lang", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    lang: Mapped[str] = mapped_column(String(5))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    filename: Mapped[str] = mapped_column(String(255), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    shipped: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by: Mapped[str] = mapped_column(String(120))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ReportArchive(Base):
    """A generated report, kept byte for byte with what it was made from."""

    __tablename__ = "report_archive"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    created_by: Mapped[str] = mapped_column(String(120))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="SET NULL"), index=True
    )
    project_name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    period: Mapped[int | None] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)
    # The assessment an EVAUS report was made of (SET NULL when it is deleted).
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", ondelete="SET NULL"), index=True
    )
    lang: Mapped[str] = mapped_column(String(5))
    report_date: Mapped[date] = mapped_column(Date)  # the date printed in the report
    template_sha256: Mapped[str] = mapped_column(String(64))
    data_sha256: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))  # of the DOCX bytes
    size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # A portfolio report's selection and period as JSON (0021); NULL for a project's report.
    selection: Mapped[str | None] = mapped_column(Text)
