"""Counts and sums over the whole registry: projects by a code column, funding by funder."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from .models import Funding, Project

CountedColumn = Literal["status", "portfolio", "project_type", "region"]


def project_count(session: Session) -> int:
    return session.scalar(select(func.count(Project.id))) or 0


def projects_by(session: Session, column: CountedColumn) -> list[tuple[str | None, int]]:
    """(code, how many projects have it) for every value of the column, blank included."""
    grouped = getattr(Project, column)
    rows = session.execute(select(grouped, func.count(Project.id)).group_by(grouped)).all()
    return [(code, count) for code, count in rows]


def funding_by_funder(session: Session) -> list[tuple[str | None, int, Decimal]]:
    """(funder code, how many projects have a funding row with it, the sum of its amounts)."""
    rows = session.execute(
        select(
            Funding.funder_code,
            func.count(distinct(Funding.project_id)),
            func.coalesce(func.sum(Funding.amount), 0),
        ).group_by(Funding.funder_code)
    ).all()
    return [(code, count, Decimal(amount or 0)) for code, count, amount in rows]


__all__ = ["CountedColumn", "funding_by_funder", "project_count", "projects_by"]
