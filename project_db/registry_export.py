"""What an export of the whole registry reads besides the projects: every assessment version and
the deadlines added by hand; and those deadlines back from a registry file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from .assessment_models import Assessment
from .deadlines import manual_deadlines
from .models import Project
from .schemas import DeadlineDoc

_DEADLINES = TypeAdapter(list[DeadlineDoc])


def assessments_in_series_order(session: Session) -> Sequence[Assessment]:
    """Every assessment version, by series, then version number (ties by key)."""
    return session.scalars(
        select(Assessment).order_by(
            Assessment.series_key, Assessment.version_number, Assessment.key
        )
    ).all()


def deadline_docs(session: Session, projects: Sequence[Project]) -> list[DeadlineDoc]:
    """The deadlines added by hand to ``projects`` (not the ones the reporting calendar
    computes), by project in the order given, each project's by due date."""
    by_project: dict[int, list[DeadlineDoc]] = {}
    keys = {project.id: project.key for project in projects}
    for row in manual_deadlines(session, None):  # every one: an IN of 100 000 ids is too long
        if row.project_id not in keys:
            continue
        by_project.setdefault(row.project_id, []).append(
            DeadlineDoc(
                project=keys[row.project_id],
                due_on=row.due_on,
                title=row.title,
                report_kind=row.report_kind,
                period=row.period,
                created_by=row.created_by,
                created_at=row.created_at,
            )
        )
    return [doc for project in projects for doc in by_project.get(project.id, [])]


def deadlines_in_file(data: bytes) -> list[DeadlineDoc] | None:
    """The hand-added deadlines a JSON registry file lists; None when it has no ``deadlines``
    (a file of an older version, or a single project: the deadlines stored stay). The JSON
    importer has accepted the file already."""
    raw: Any = json.loads(data.decode("utf-8-sig"))
    if not isinstance(raw, dict) or "deadlines" not in raw:
        return None
    return _DEADLINES.validate_python(raw["deadlines"])


__all__ = ["assessments_in_series_order", "deadline_docs", "deadlines_in_file"]
