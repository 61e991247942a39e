"""Reading the audit log: a project's entries page by page, the saves of its readable history
and the choices of its filters, what a record was called before it was removed, who changed a
project last, and the newest edits of a set of projects.

The log itself is written by ``audit`` (every insert, update and delete of a session).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.orm import Session

from .assessment_models import Assessment, AssessmentAlternative
from .base import Base
from .models import AuditEntry, User

# Ids are asked for in chunks of this many (a bound on the parameters of one statement).
CHUNK = 500


def audit_page(
    session: Session,
    project_id: int,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[Sequence[AuditEntry], int]:
    """One page of a project's entries (optionally one record's), newest first, and the total."""
    query = select(AuditEntry).where(AuditEntry.project_id == project_id)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    return entries_page(session, query, page=page, page_size=page_size)


def entries_page(
    session: Session, query: Select[AuditEntry], *, page: int, page_size: int
) -> tuple[Sequence[AuditEntry], int]:
    """One page of the entries ``query`` selects, newest first, and their total count."""
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(AuditEntry.id.desc()).limit(page_size).offset((page - 1) * page_size)
    ).all()
    return rows, total


@dataclass(frozen=True)
class AuditFilter:
    """A project's entries without the ``hidden`` fields; optionally only one person's, one
    field's (``entity`` and ``field``) or those written in [``since``, ``before``)."""

    project_id: int
    hidden: Collection[str] = ()
    actor: str | None = None
    entity: str | None = None
    field: str | None = None
    since: datetime | None = None
    before: datetime | None = None


def _scope(project_id: int) -> Select[Any]:
    return select(AuditEntry).where(AuditEntry.project_id == project_id)


def _without_hidden(query: Select[Any], hidden: Collection[str]) -> Select[Any]:
    return query.where(or_(AuditEntry.field.is_(None), AuditEntry.field.not_in(hidden)))


def _filtered(wanted: AuditFilter) -> Select[Any]:
    query = _without_hidden(_scope(wanted.project_id), wanted.hidden)
    if wanted.actor:
        query = query.where(AuditEntry.actor == wanted.actor)
    if wanted.entity is not None or wanted.field is not None:
        query = query.where(AuditEntry.entity == wanted.entity, AuditEntry.field == wanted.field)
    if wanted.since:
        query = query.where(AuditEntry.at >= wanted.since)
    if wanted.before:
        query = query.where(AuditEntry.at < wanted.before)
    return query


def audit_marks(session: Session, wanted: AuditFilter) -> Sequence[Row[int, datetime, str]]:
    """Id, time and actor of every matching entry, newest first (to find the saves)."""
    query = _filtered(wanted).with_only_columns(AuditEntry.id, AuditEntry.at, AuditEntry.actor)
    return session.execute(query.order_by(AuditEntry.id.desc())).all()


def audit_entries_between(
    session: Session, wanted: AuditFilter, newest_id: int, oldest_id: int
) -> list[AuditEntry]:
    """The matching entries with ids in [``oldest_id``, ``newest_id``], oldest first."""
    query = _filtered(wanted).where(AuditEntry.id <= newest_id, AuditEntry.id >= oldest_id)
    return list(session.scalars(query.order_by(AuditEntry.id)))


def audit_actors(session: Session, project_id: int) -> list[str]:
    """Everybody who changed the project, alphabetically."""
    query = _scope(project_id).with_only_columns(AuditEntry.actor).distinct()
    return sorted(session.scalars(query).all())


def audit_fields(
    session: Session, project_id: int, hidden: Collection[str]
) -> Sequence[Row[str, str | None]]:
    """The distinct (table, column) pairs the project's entries changed, hidden ones left out."""
    query = (
        _without_hidden(_scope(project_id), hidden)
        .with_only_columns(AuditEntry.entity, AuditEntry.field)
        .where(AuditEntry.field.is_not(None))
        .distinct()
    )
    return session.execute(query).all()


def _chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _last_seen(
    session: Session,
    entity: str,
    columns: Iterable[str],
    *,
    entity_ids: Collection[int] | None = None,
    assessment_ids: Collection[int] | None = None,
) -> Iterator[Row[int, str | None, str | None, str | None]]:
    """The entries that set ``columns`` of ``entity`` records, oldest first."""
    query = select(
        AuditEntry.entity_id, AuditEntry.field, AuditEntry.old_value, AuditEntry.new_value
    ).where(AuditEntry.entity == entity, AuditEntry.field.in_(tuple(columns)))
    if entity_ids is not None:
        query = query.where(AuditEntry.entity_id.in_(entity_ids))
    if assessment_ids is not None:
        query = query.where(AuditEntry.assessment_id.in_(assessment_ids))
    yield from session.execute(query.order_by(AuditEntry.id))


def record_columns(
    session: Session, table: str, columns: Sequence[str], ids: Iterable[int]
) -> tuple[dict[int, tuple[Any, ...]], dict[int, dict[str, str | None]]]:
    """The ``columns`` of the records of ``table`` with these ids: as stored now (values as
    stored), and for the removed ones as the log last saw them (``field → value``, the log's
    text form; the newer of a field's values wins)."""
    stored_table = Base.metadata.tables[table]
    stored: dict[int, tuple[Any, ...]] = {}
    removed: dict[int, dict[str, str | None]] = {}
    for chunk in _chunks(sorted(set(ids))):
        for row in session.execute(
            select(stored_table.c.id, *(stored_table.c[c] for c in columns)).where(
                stored_table.c.id.in_(chunk)
            )
        ):
            stored[row[0]] = tuple(row[1:])
        missing = [i for i in chunk if i not in stored]
        if not missing:
            continue
        for entry in _last_seen(session, table, columns, entity_ids=missing):
            value = entry.new_value if entry.new_value is not None else entry.old_value
            removed.setdefault(entry.entity_id, {})[entry.field] = value
    return stored, removed


def assessment_frameworks(session: Session, ids: Collection[int]) -> Sequence[Row[int, str, int]]:
    """(id, framework id, framework version) of the assessments."""
    return session.execute(
        select(Assessment.id, Assessment.framework_id, Assessment.framework_version).where(
            Assessment.id.in_(ids)
        )
    ).all()


def alternative_names(session: Session, assessment_ids: Collection[int]) -> dict[str, str]:
    """Key → name of the alternatives the assessments have now."""
    return dict(
        session.execute(
            select(AssessmentAlternative.key, AssessmentAlternative.name).where(
                AssessmentAlternative.assessment_id.in_(assessment_ids)
            )
        ).all()
    )


def removed_alternative_names(session: Session, assessment_ids: Collection[int]) -> dict[str, str]:
    """Key → name of the assessments' alternatives as the log last saw them: a recommendation
    or choice of an alternative removed since still names it."""
    seen: dict[int, dict[str, str]] = {}
    for entry in _last_seen(
        session, "assessment_alternative", ("key", "name"), assessment_ids=assessment_ids
    ):
        value = entry.new_value if entry.new_value is not None else entry.old_value
        if value:
            seen.setdefault(entry.entity_id, {})[entry.field] = value
    return {facts["key"]: facts["name"] for facts in seen.values() if len(facts) == 2}


def latest_updates(session: Session, project_id: int, *, limit: int) -> Sequence[AuditEntry]:
    """The project's newest ``update`` entries, newest first (who changed it last, and what)."""
    return session.scalars(
        select(AuditEntry)
        .where(AuditEntry.project_id == project_id, AuditEntry.action == "update")
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    ).all()


def last_entry_id(session: Session) -> int:
    """The id of the newest entry (0 for an empty log)."""
    return session.scalar(select(func.max(AuditEntry.id))) or 0


def entries_after(session: Session, entry_id: int) -> int:
    """How many entries were written after the one with ``entry_id``."""
    return session.scalar(select(func.count()).where(AuditEntry.id > entry_id)) or 0


def recent_edits(
    session: Session, project_ids: Collection[int], *, not_by: str, limit: int
) -> Sequence[Row[int | None, str, datetime]]:
    """(project id, actor, time) of the newest ``limit`` entries of the projects written by
    anybody but ``not_by``, newest first."""
    return session.execute(
        select(AuditEntry.project_id, AuditEntry.actor, AuditEntry.at)
        .where(AuditEntry.project_id.in_(list(project_ids)), AuditEntry.actor != not_by)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    ).all()


def display_names(session: Session, usernames: Collection[str]) -> dict[str, str]:
    """User name → display name of the users with these user names."""
    return dict(
        session.execute(
            select(User.username, User.display_name).where(User.username.in_(set(usernames)))
        ).all()
    )


__all__ = [
    "AuditFilter",
    "alternative_names",
    "assessment_frameworks",
    "audit_actors",
    "audit_entries_between",
    "audit_fields",
    "audit_marks",
    "audit_page",
    "display_names",
    "entries_after",
    "entries_page",
    "last_entry_id",
    "latest_updates",
    "recent_edits",
    "record_columns",
    "removed_alternative_names",
]
