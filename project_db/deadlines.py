"""The reporting calendar: per-funder rules an administrator edits, and deadlines added by hand.

A rule says when a funder's report falls due for the projects that funder funds:

- ``period_end``: each reporting (payment) period's end + ``days_after`` days (ESR monitoring
  report per payment period; the number of days is the administrator's to set);
- ``yearly``: a fixed day and month of the year after each year the project runs (STEA results
  report 31.3., STEA annual statement 31.5.);
- ``decision``: the funder's decision sets the dates (STM), so the rule computes nothing and the
  deadlines are added by hand per project.

``starts_on`` is where the calendar begins: nothing due before it is listed (the seeded rules
start on the day the registry got them, so an old registry is not flooded with overdue items).

Due items are computed from these and the projects' periods and funders (``evaus.services
.deadlines``), never stored; this module holds the tables and the reads they need.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, backref, mapped_column, relationship, selectinload

from .base import Base, Versioned
from .errors import NotFound
from .models import Funding, Project, ProjectPerson, ReportArchive, ReportingPeriod, User
from .schemas import DeadlineDoc

PERIOD_END = "period_end"
YEARLY = "yearly"
DECISION = "decision"
BASES = (PERIOD_END, YEARLY, DECISION)


class ReportingRule(Versioned, Base):
    """One line of a funder's reporting calendar."""

    __tablename__ = "reporting_rule"
    __table_args__ = (
        CheckConstraint("basis IN ('period_end', 'yearly', 'decision')", name="basis_known"),
        CheckConstraint("days_after IS NULL OR days_after >= 0", name="days_not_negative"),
        CheckConstraint("month IS NULL OR (month >= 1 AND month <= 12)", name="month_valid"),
        CheckConstraint("day IS NULL OR (day >= 1 AND day <= 31)", name="day_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    funder_code: Mapped[str] = mapped_column(String(80), index=True)
    basis: Mapped[str] = mapped_column(String(20))
    days_after: Mapped[int | None] = mapped_column(Integer)  # period_end: not set → nothing due
    month: Mapped[int | None] = mapped_column(Integer)  # yearly
    day: Mapped[int | None] = mapped_column(Integer)  # yearly
    report_kind: Mapped[str | None] = mapped_column(String(20))  # evaus.reports.kinds name
    title_fi: Mapped[str] = mapped_column(String(300))
    title_sv: Mapped[str] = mapped_column(String(300), default="")
    title_en: Mapped[str] = mapped_column(String(300), default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    def title(self, lang: str) -> str:
        return {"sv": self.title_sv, "en": self.title_en}.get(lang) or self.title_fi


class ProjectDeadline(Versioned, Base):
    """A deadline an administrator or a project's manager added by hand (e.g. from a decision)."""

    __tablename__ = "project_deadline"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    due_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    report_kind: Mapped[str | None] = mapped_column(String(20))
    period: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(120))

    # ``Project.deadlines``: a project is deleted with its deadlines through the session, like
    # its periods and indicators, so the audit log records each deletion (the database's
    # ON DELETE CASCADE alone would remove them unseen).
    project: Mapped[Project] = relationship(
        backref=backref(
            "deadlines",
            cascade="all, delete-orphan",
            order_by=lambda: (ProjectDeadline.due_on, ProjectDeadline.id),
        )
    )


# (funder, basis, days_after, month, day, report kind, fi, sv, en): what the funders' own
# practice states. ESR: a monitoring report per payment period; how many days after the
# period's end is the administrator's to set. STEA: the results report in March (31.3.) and the
# annual statement at the end of May (31.5.), each for the previous year. STM: per decision.
DefaultRule = tuple[str, str, int | None, int | None, int | None, str | None, str, str, str]
DEFAULT_RULES: tuple[DefaultRule, ...] = (
    (
        "ESR",
        PERIOD_END,
        None,
        None,
        None,
        "esr-period",
        "ESR-seurantaraportti",
        "ESF-uppföljningsrapport",
        "ESF monitoring report",
    ),
    (
        "STEA",
        YEARLY,
        None,
        3,
        31,
        "stea",
        "STEA-tuloksellisuusraportti",
        "STEA-resultatrapport",
        "STEA results report",
    ),
    (
        "STEA",
        YEARLY,
        None,
        5,
        31,
        None,
        "STEA-vuosiselvitys",
        "STEA-årsredovisning",
        "STEA annual statement",
    ),
    (
        "STM",
        DECISION,
        None,
        None,
        None,
        "stm",
        "STM-raportti avustuksen käytöstä (päätöksen mukaan)",
        "SHM-rapport om användningen av understödet (enligt beslutet)",
        "STM report on the use of the grant (as the decision says)",
    ),
)


def ensure_default_rules(session: Session, today: date) -> int:
    """The default calendar into an empty ``reporting_rule`` table; how many were added.
    The caller commits."""
    if session.scalar(select(func.count()).select_from(ReportingRule)):
        return 0
    for position, (funder, basis, days, month, day, kind, fi, sv, en) in enumerate(DEFAULT_RULES):
        session.add(
            ReportingRule(
                funder_code=funder,
                basis=basis,
                days_after=days,
                month=month,
                day=day,
                report_kind=kind,
                title_fi=fi,
                title_sv=sv,
                title_en=en,
                starts_on=today,
                active=True,
                position=position,
            )
        )
    session.flush()
    return len(DEFAULT_RULES)


def list_rules(session: Session, *, active_only: bool = False) -> Sequence[ReportingRule]:
    query = select(ReportingRule).order_by(ReportingRule.position, ReportingRule.id)
    if active_only:
        query = query.where(ReportingRule.active.is_(True))
    return session.scalars(query).all()


def get_rule(session: Session, rule_id: int) -> ReportingRule:
    rule = session.get(ReportingRule, rule_id)
    if rule is None:
        raise NotFound("reporting rule", rule_id)
    return rule


def last_rule_position(session: Session) -> int:
    return int(session.scalar(select(func.max(ReportingRule.position))) or 0)


def get_deadline(session: Session, deadline_id: int) -> ProjectDeadline:
    deadline = session.get(ProjectDeadline, deadline_id)
    if deadline is None:
        raise NotFound("deadline", deadline_id)
    return deadline


def manual_deadlines(
    session: Session, project_ids: Collection[int] | None
) -> Sequence[ProjectDeadline]:
    """The hand-added deadlines of these projects (None: of every project), by date."""
    query = select(ProjectDeadline).order_by(ProjectDeadline.due_on, ProjectDeadline.id)
    if project_ids is not None:
        query = query.where(ProjectDeadline.project_id.in_(list(project_ids)))
    return session.scalars(query).all()


def project_ids_by_key(session: Session, keys: Collection[str]) -> dict[str, int]:
    """The ids of the stored projects with these keys, by key."""
    wanted = sorted(set(keys))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        rows = session.execute(select(Project.key, Project.id).where(Project.key.in_(chunk)))
        found.update(rows.tuples().all())
    return found


def _identity(due_on: date, title: str, kind: str | None, period: int | None) -> tuple[Any, ...]:
    return (due_on, title, kind, period)


def replace_deadlines(
    session: Session, project_id: int, wanted: Sequence[DeadlineDoc], *, author: str
) -> int:
    """Make the project's hand-added deadlines exactly ``wanted`` (an import of the registry's
    file): a stored one with the same date, title, report kind and period stays as it is, the
    others are deleted and the missing ones added (by ``created_by`` of the file, else
    ``author``; created when the file says). How many were added or deleted; the caller
    commits."""
    stored: dict[tuple[Any, ...], list[ProjectDeadline]] = {}
    for row in manual_deadlines(session, [project_id]):
        stored.setdefault(_identity(row.due_on, row.title, row.report_kind, row.period), []).append(
            row
        )
    changed = 0
    for doc in wanted:
        same = stored.get(_identity(doc.due_on, doc.title, doc.report_kind, doc.period))
        if same:
            same.pop(0)
            continue
        row = ProjectDeadline(
            project_id=project_id,
            due_on=doc.due_on,
            title=doc.title,
            report_kind=doc.report_kind,
            period=doc.period,
            created_by=doc.created_by or author,
        )
        if doc.created_at is not None:
            row.created_at = doc.created_at
        session.add(row)
        changed += 1
    for rows in stored.values():
        for row in rows:
            session.delete(row)
            changed += 1
    session.flush()
    return changed


@dataclass(frozen=True)
class FundingTerm:
    funder_code: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class PeriodFacts:
    number: int
    start: date
    end: date


@dataclass(frozen=True)
class ProjectFacts:
    """What a project's due items are computed from."""

    id: int
    name: str
    start: date | None
    end: date | None
    funding: tuple[FundingTerm, ...]
    periods: tuple[PeriodFacts, ...]


def project_facts(
    session: Session, funder_codes: Collection[str], project_ids: Collection[int] | None
) -> list[ProjectFacts]:
    """The projects funded by one of ``funder_codes`` or with a hand-added deadline (of
    ``project_ids`` only, when given), with their funding terms and periods, by name."""
    funded = exists().where(
        Funding.project_id == Project.id, Funding.funder_code.in_(list(funder_codes))
    )
    manual = exists().where(ProjectDeadline.project_id == Project.id)
    query = (
        select(Project)
        .where(or_(funded, manual))
        .options(selectinload(Project.funding), selectinload(Project.periods))
        .order_by(Project.sort_name, Project.id)
    )
    if project_ids is not None:
        query = query.where(Project.id.in_(list(project_ids)))
    return [
        ProjectFacts(
            id=p.id,
            name=p.short_name or p.name,
            start=p.start_date,
            end=p.end_date,
            funding=tuple(
                FundingTerm(f.funder_code, f.period_start, f.period_end)
                for f in p.funding
                if f.funder_code
            ),
            periods=tuple(PeriodFacts(r.number, r.start_date, r.end_date) for r in p.periods),
        )
        for p in session.scalars(query)
    ]


@dataclass(frozen=True)
class ArchivedScope:
    project_id: int
    kind: str
    period: int | None
    year: int | None
    created_at: datetime


def archived_scopes(session: Session, project_ids: Collection[int] | None) -> list[ArchivedScope]:
    """What the archived reports of these projects cover (kind, period, year)."""
    query = select(
        ReportArchive.project_id,
        ReportArchive.kind,
        ReportArchive.period,
        ReportArchive.year,
        ReportArchive.created_at,
    ).where(ReportArchive.project_id.is_not(None))
    if project_ids is not None:
        query = query.where(ReportArchive.project_id.in_(list(project_ids)))
    return [
        ArchivedScope(r[0], r[1], r[2], r[3], r[4])
        for r in session.execute(query)
        if r[0] is not None
    ]


def period_numbers(session: Session, project_id: int) -> set[int]:
    """The numbers of the project's reporting periods; ``NotFound`` without the project."""
    if session.get(Project, project_id) is None:
        raise NotFound("project", project_id)
    return set(
        session.scalars(
            select(ReportingPeriod.number).where(ReportingPeriod.project_id == project_id)
        )
    )


def team_project_ids(session: Session, person_id: int) -> set[int]:
    """The projects the person is a team member of."""
    return set(
        session.scalars(
            select(ProjectPerson.project_id).where(
                ProjectPerson.person_id == person_id, ProjectPerson.is_team.is_(True)
            )
        )
    )


def managers(session: Session) -> Sequence[User]:
    """Active project managers linked to a person (the ones who are in project teams)."""
    return session.scalars(
        select(User)
        .where(User.role == "manager", User.active.is_(True), User.person_id.is_not(None))
        .order_by(User.display_name, User.username)
    ).all()


__all__ = [
    "BASES",
    "DECISION",
    "DEFAULT_RULES",
    "PERIOD_END",
    "YEARLY",
    "ArchivedScope",
    "FundingTerm",
    "PeriodFacts",
    "ProjectDeadline",
    "ProjectFacts",
    "ReportingRule",
    "archived_scopes",
    "ensure_default_rules",
    "get_deadline",
    "get_rule",
    "last_rule_position",
    "list_rules",
    "managers",
    "manual_deadlines",
    "period_numbers",
    "project_facts",
    "project_ids_by_key",
    "replace_deadlines",
    "team_project_ids",
]
