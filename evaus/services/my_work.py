"""A project manager's front page: their own projects and assessments, what is missing from
each project's next funder report, and what others recently changed in their projects.

"Own" projects are the ones a manager may edit as a team member (see ``access``); their
assessments are the ones they made or that are linked to those projects.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy.orm import Session

from project_db.history_queries import display_names, recent_edits
from project_db.own_work import newest_assessments, team_projects
from project_db.periods import current_or_latest_period
from project_db.schemas import ProjectDoc
from project_db.store import to_doc

from ..i18n import format_message
from ..reports import build, kinds
from ..reports.errors import ReportFailed
from . import reports
from .access import Actor, Forbidden, can_edit_project
from .projects import _get_project

# How far back the recent changes look: the newest audit rows of the own projects.
RECENT_ROWS_READ = 500
RECENT_CHANGES_SHOWN = 10
# Edits by one person to one project with pauses no longer than this are shown as one change.
ONE_SITTING = timedelta(minutes=30)


class MyProject(BaseModel):
    id: int
    name: str
    short_name: str | None
    status: str | None
    start_date: date | None
    end_date: date | None


class MyAssessment(BaseModel):
    id: int
    title: str
    status: str
    version_number: int
    project_id: int | None
    project_name: str | None
    updated_at: datetime
    mine: bool  # made by this user (else: linked to one of their projects)


class ReportGap(BaseModel):
    """What one project's next report of one kind would show as "Ei tietoa"."""

    project_id: int
    project_name: str
    kind: str
    kind_label: str  # in the user's language
    period: int | None  # the reporting period the report covers (period reports)
    year: int | None  # the calendar year it covers (yearly reports)
    missing: list[str]  # in the user's language; empty: nothing is missing
    failure: str | None = None  # why the report cannot be made at all


class RecentChange(BaseModel):
    """One or more audited edits in a row by one person to one project."""

    project_id: int
    project_name: str
    actor: str
    actor_name: str
    at: datetime  # the newest of the edits (UTC)
    fields: int  # how many fields were changed


class MyWork(BaseModel):
    projects: list[MyProject]
    assessments: list[MyAssessment]
    report_gaps: list[ReportGap]
    recent_changes: list[RecentChange]


def my_work(
    session: Session, actor: Actor, *, lang: str = "fi", today: date | None = None
) -> MyWork:
    """The front page of a manager. Other roles have no own projects: ``Forbidden``."""
    if actor.role != "manager":
        raise Forbidden("only managers have own projects")
    projects = own_projects(session, actor)
    ids = [p.id for p in projects]
    return MyWork(
        projects=projects,
        assessments=_assessments(session, actor, ids),
        report_gaps=_report_gaps(session, ids, lang, today or reports.today()),
        recent_changes=_recent_changes(session, actor, projects),
    )


def own_projects(session: Session, actor: Actor) -> list[MyProject]:
    """The projects the manager edits as a team member, by name."""
    if actor.person_id is None:
        return []
    rows = team_projects(session, actor.person_id)
    return [
        MyProject.model_validate(p, from_attributes=True)
        for p in rows
        # The same rule as every edit: the list never promises more than may be done.
        if can_edit_project(session, actor, p.id)
    ]


def _assessments(session: Session, actor: Actor, project_ids: list[int]) -> list[MyAssessment]:
    """The newest version of each series made by the user or linked to their projects."""
    rows = newest_assessments(session, actor.username, project_ids)
    return [
        MyAssessment(
            id=a.id,
            title=a.title,
            status=a.status,
            version_number=a.version_number,
            project_id=a.project_id,
            project_name=name,
            updated_at=a.updated_at,
            mine=a.created_by == actor.username,
        )
        for a, name in rows
    ]


def _report_gaps(
    session: Session, project_ids: list[int], lang: str, today: date
) -> list[ReportGap]:
    """Per own project, every periodic funder report it gets (a period or a year at a time)."""
    periodic = [k for k in kinds.all_kinds() if k.scope in ("period", "year") and k.funders]
    if not project_ids or not periodic:
        return []
    labels = reports._report_labels(session, lang)
    gaps = []
    for project_id in project_ids:
        doc = to_doc(_get_project(session, project_id))
        funders = reports.project_funders(doc)
        for kind in periodic:
            if kind.serves(funders):
                gaps.append(_gap(project_id, doc, kind, labels=labels, lang=lang, today=today))
    return gaps


def _gap(
    project_id: int,
    doc: ProjectDoc,
    kind: kinds.ReportKind,
    *,
    labels: build.Labels,
    lang: str,
    today: date,
) -> ReportGap:
    chosen = current_or_latest_period(doc.periods, today) if kind.scope == "period" else None
    period = chosen.number if chosen is not None else None
    gap = ReportGap(
        project_id=project_id,
        project_name=doc.short_name or doc.name,
        kind=kind.name,
        kind_label=format_message(kind.label, lang),
        period=period,
        year=None,
        missing=[],
    )
    try:
        if kind.scope == "year":
            gap.year = build.resolve_year(doc, None, today)
        problems = reports.missing_data(kind.name, doc, period, year=gap.year, labels=labels)
    except ReportFailed as failure:
        gap.failure = format_message(failure.message, lang, **failure.params)
        return gap
    gap.missing = reports.describe_missing(problems, lang)
    return gap


def _recent_changes(
    session: Session, actor: Actor, projects: list[MyProject]
) -> list[RecentChange]:
    """Newest first: edits by anyone else; one person's edits to one project in one sitting
    (no other edit to their projects between them) as one change."""
    if not projects:
        return []
    names = {p.id: p.short_name or p.name for p in projects}
    rows = recent_edits(session, list(names), not_by=actor.username, limit=RECENT_ROWS_READ)
    changes: list[RecentChange] = []
    run_start = None  # the oldest edit of the last change so far
    for row_project, who, at in rows:
        if row_project is None:  # never: the query asks for the own projects
            continue
        project_id = int(row_project)
        last = changes[-1] if changes else None
        if (
            last is not None
            and last.project_id == project_id
            and last.actor == who
            and run_start is not None
            and run_start - at <= ONE_SITTING
        ):
            last.fields += 1
            run_start = at
            continue
        if len(changes) == RECENT_CHANGES_SHOWN:
            break
        changes.append(
            RecentChange(
                project_id=project_id,
                project_name=names[project_id],
                actor=who,
                actor_name=who,
                at=at,
                fields=1,
            )
        )
        run_start = at
    people = display_names(session, {c.actor for c in changes})
    for change in changes:
        change.actor_name = people.get(change.actor) or change.actor
    return changes


__all__ = [
    "MyAssessment",
    "MyProject",
    "MyWork",
    "RecentChange",
    "ReportGap",
    "my_work",
    "own_projects",
]
