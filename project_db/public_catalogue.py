"""The public project catalogue: which projects anyone may read without signing in.

A project is public by its own choice (``Project.public`` true or false) or, without a choice
of its own (None), by its portfolio's default (``CodeItem.public_default`` of the portfolio
list's item). Every query of the public pages goes through ``public_condition``: a project that
is not public is never read for them, so nothing of it can show.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from .models import CodeItem, Project

PORTFOLIO_LIST = "portfolio"


def _portfolio_is_public() -> ColumnElement[bool]:
    return exists().where(
        CodeItem.list_name == PORTFOLIO_LIST,
        CodeItem.code == Project.portfolio,
        CodeItem.public_default.is_(True),
    )


def public_condition() -> ColumnElement[bool]:
    """True for the projects of the public catalogue (a condition on ``Project``)."""
    return or_(
        Project.public.is_(True),
        and_(Project.public.is_(None), _portfolio_is_public()),
    )


def public_project(session: Session, project_id: int) -> Project | None:
    """The project when it is public; None when it is missing or not public (alike)."""
    return session.scalar(select(Project).where(Project.id == project_id, public_condition()))


def is_public(session: Session, project_id: int) -> bool:
    return (
        session.scalar(select(Project.id).where(Project.id == project_id, public_condition()))
        is not None
    )


def public_projects_for_sitemap(session: Session) -> Sequence[tuple[int, datetime | None]]:
    """(id, last change) of every public project, oldest first."""
    rows = session.execute(
        select(Project.id, Project.updated_at).where(public_condition()).order_by(Project.id)
    )
    return [(row.id, row.updated_at) for row in rows]


def public_summaries(session: Session, project_ids: Sequence[int]) -> dict[int, str]:
    """The summaries of those of ``project_ids`` that are public (the list's excerpts)."""
    if not project_ids:
        return {}
    rows = session.execute(
        select(Project.id, Project.summary).where(
            Project.id.in_(list(project_ids)), public_condition()
        )
    )
    return {row.id: row.summary for row in rows}


def portfolio_item(session: Session, code: str) -> CodeItem | None:
    return session.scalar(
        select(CodeItem).where(CodeItem.list_name == PORTFOLIO_LIST, CodeItem.code == code)
    )


def portfolio_default(session: Session, code: str | None) -> bool:
    """Whether the portfolio's projects without a choice of their own are public."""
    if not code:
        return False
    item = portfolio_item(session, code)
    return bool(item is not None and item.public_default)


__all__ = [
    "PORTFOLIO_LIST",
    "is_public",
    "portfolio_default",
    "portfolio_item",
    "public_condition",
    "public_project",
    "public_projects_for_sitemap",
    "public_summaries",
]
