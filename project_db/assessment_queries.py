"""Reading assessments: one version with all its parts, lists and series, the audit trail.

No rights here: the services check them and compose these queries.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from .assessment_models import Assessment
from .errors import NotFound
from .models import AuditEntry, Indicator, Project

_PARTS = (
    Assessment.answers,
    Assessment.alternatives,
    Assessment.areas,
    Assessment.impacts,
    Assessment.risks,
    Assessment.hearings,
    Assessment.follow_ups,
)


def load_assessment(session: Session, assessment_id: int, *, parts: bool = False) -> Assessment:
    """The assessment (``NotFound`` when there is none); ``parts`` loads every child
    collection up front, one query each, for a conversion to the document."""
    if parts:
        query = select(Assessment).where(Assessment.id == assessment_id)
        query = query.options(*(selectinload(part) for part in _PARTS))
        assessment = session.scalars(query).one_or_none()
    else:
        assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound("assessment", assessment_id)
    return assessment


def load_assessment_with_keys(
    session: Session, assessment_id: int
) -> tuple[Assessment, str | None, str | None]:
    """The assessment with every child collection, its project's key and the previous
    version's key, in one query per table (``NotFound`` when there is none)."""
    previous = aliased(Assessment)
    query = (
        select(Assessment, Project.key, previous.key)
        .outerjoin(Project, Project.id == Assessment.project_id)
        .outerjoin(previous, previous.id == Assessment.previous_id)
        .where(Assessment.id == assessment_id)
        .options(*(selectinload(part) for part in _PARTS))
    )
    row = session.execute(query).one_or_none()
    if row is None:
        raise NotFound("assessment", assessment_id)
    return row[0], row[1], row[2]


def assessment_by_key(session: Session, key: str) -> Assessment | None:
    return session.scalar(select(Assessment).where(Assessment.key == key))


def highest_version_number(session: Session, series_key: str) -> int | None:
    return session.scalar(
        select(func.max(Assessment.version_number)).where(Assessment.series_key == series_key)
    )


def assessment_rows(
    session: Session,
    *,
    project_id: int | None = None,
    standalone: bool = False,
    status: list[str] | None = None,
    latest_only: bool = True,
) -> Sequence[tuple[Assessment, str | None]]:
    """(assessment, project name) of a project or the standalone ones, optionally by status;
    with ``latest_only`` only the newest version of each series. Newest changes first."""
    query = _with_project_name()
    if project_id is not None:
        query = query.where(Assessment.project_id == project_id)
    if standalone:
        query = query.where(Assessment.project_id.is_(None))
    if status:
        query = query.where(Assessment.status.in_(status))
    if latest_only:
        newest = (
            select(Assessment.series_key, func.max(Assessment.version_number).label("n"))
            .group_by(Assessment.series_key)
            .subquery()
        )
        query = query.join(
            newest,
            (newest.c.series_key == Assessment.series_key)
            & (newest.c.n == Assessment.version_number),
        )
    rows = session.execute(query.order_by(Assessment.updated_at.desc(), Assessment.id)).all()
    return [(row[0], row[1]) for row in rows]


def series_rows(session: Session, series_key: str) -> Sequence[tuple[Assessment, str | None]]:
    """(assessment, project name) of every version in a series, oldest first."""
    query = _with_project_name().where(Assessment.series_key == series_key)
    rows = session.execute(query.order_by(Assessment.version_number)).all()
    return [(row[0], row[1]) for row in rows]


def _with_project_name() -> Select[Any]:
    return select(Assessment, Project.name).outerjoin(  # type: ignore[return-value]
        Project, Assessment.project_id == Project.id
    )


def indicator_names_of(session: Session, project_keys: list[str]) -> dict[str, str]:
    """{indicator key: name} of the indicators of these projects."""
    if not project_keys:
        return {}
    query = (
        select(Indicator.key, Indicator.name)
        .join(Project, Project.id == Indicator.project_id)
        .where(Project.key.in_(project_keys))
    )
    return {key: name for key, name in session.execute(query) if key}


def indicator_in_project(session: Session, project_id: int | None, key: str) -> bool:
    if project_id is None:
        return False
    found = session.scalar(
        select(Indicator.id).where(Indicator.project_id == project_id, Indicator.key == key)
    )
    return found is not None


def project_key_exists(session: Session, key: str) -> bool:
    return session.scalar(select(Project.id).where(Project.key == key)) is not None


def latest_audit_entries(session: Session, assessment_id: int, limit: int = 20) -> list[AuditEntry]:
    """The newest audit entries of an assessment, newest first (for the conflict report)."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.assessment_id == assessment_id)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )


def history_query(assessment_id: int) -> Select[Any]:
    return select(AuditEntry).where(AuditEntry.assessment_id == assessment_id)


def last_audit_id(session: Session) -> int:
    return session.scalar(select(func.max(AuditEntry.id))) or 0


def audit_entries_since(session: Session, assessment_id: int, mark: int) -> int:
    """How many audit entries of the assessment came after ``mark``."""
    return (
        session.scalar(
            select(func.count()).where(
                AuditEntry.id > mark, AuditEntry.assessment_id == assessment_id
            )
        )
        or 0
    )


def planned_ex_post_checks(
    session: Session, project_ids: Collection[int] | None
) -> Sequence[tuple[int, str, date, int, str]]:
    """Decided assessments of a project whose ex-post check is planned and not yet done:
    (assessment id, title, planned date, project id, project name), by date."""
    query = (
        select(
            Assessment.id,
            Assessment.title,
            Assessment.ex_post_date,
            Project.id,
            func.coalesce(func.nullif(Project.short_name, ""), Project.name),
        )
        .join(Project, Project.id == Assessment.project_id)
        .where(Assessment.status == "paatetty", Assessment.ex_post_date.is_not(None))
        .order_by(Assessment.ex_post_date, Assessment.id)
    )
    if project_ids is not None:
        query = query.where(Assessment.project_id.in_(list(project_ids)))
    return [(r[0], r[1], r[2], r[3], r[4]) for r in session.execute(query)]


def finished_by(session: Session, assessment_id: int) -> set[str]:
    """Who marked the assessment finished (the audit trail of its status)."""
    return set(
        session.scalars(
            select(AuditEntry.actor).where(
                AuditEntry.entity == "assessment",
                AuditEntry.entity_id == assessment_id,
                AuditEntry.field == "status",
                AuditEntry.new_value == "valmis",
            )
        )
    )


__all__ = [
    "assessment_by_key",
    "assessment_rows",
    "audit_entries_since",
    "finished_by",
    "highest_version_number",
    "history_query",
    "indicator_in_project",
    "indicator_names_of",
    "last_audit_id",
    "latest_audit_entries",
    "load_assessment",
    "load_assessment_with_keys",
    "planned_ex_post_checks",
    "project_key_exists",
    "series_rows",
]
