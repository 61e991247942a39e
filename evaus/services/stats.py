"""Figures for the front page: how many projects by status, funder and portfolio, money by funder.

Code values are returned as stored (``None`` for a project without one); the page turns them into
labels in the user's language.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from project_db.models import Funding, Project, ProjectTheme

from .access import Actor, require_read


class Count(BaseModel):
    code: str | None
    count: int


class Amount(BaseModel):
    code: str | None
    amount: Decimal
    projects: int  # how many projects have a funding row with this funder code


class RegistryStats(BaseModel):
    total: int
    by_status: list[Count]
    by_funder: list[Count]  # projects that have at least one funding row with the code
    by_portfolio: list[Count]
    budget_by_funder: list[Amount]  # sum of the funding amounts per funder code


def _counts(session: Session, column: object) -> list[Count]:
    rows = session.execute(
        select(column, func.count(Project.id)).group_by(column)  # type: ignore[call-overload]
    ).all()
    counts = [Count(code=code, count=count) for code, count in rows]
    return sorted(counts, key=lambda c: (-c.count, c.code is None, c.code or ""))


def registry_stats(session: Session, *, actor: Actor) -> RegistryStats:
    """Counts and sums over the whole registry (a handful of GROUP BY queries)."""
    require_read(actor)
    total = session.scalar(select(func.count(Project.id))) or 0
    funder_rows = session.execute(
        select(
            Funding.funder_code,
            func.count(distinct(Funding.project_id)),
            func.coalesce(func.sum(Funding.amount), 0),
        ).group_by(Funding.funder_code)
    ).all()
    by_funder = sorted(
        (Count(code=code, count=count) for code, count, _amount in funder_rows),
        key=lambda c: (-c.count, c.code is None, c.code or ""),
    )
    budget = sorted(
        (
            Amount(code=code, amount=Decimal(amount or 0), projects=count)
            for code, count, amount in funder_rows
        ),
        key=lambda a: (-a.amount, a.code is None, a.code or ""),
    )
    return RegistryStats(
        total=total,
        by_status=_counts(session, Project.status),
        by_funder=by_funder,
        by_portfolio=_counts(session, Project.portfolio),
        budget_by_funder=budget,
    )


def theme_names(session: Session, *, actor: Actor) -> list[str]:
    """Every theme some project uses, alphabetically (the list page's theme filter)."""
    require_read(actor)
    return list(session.scalars(select(ProjectTheme.theme).distinct().order_by(ProjectTheme.theme)))


__all__ = ["Amount", "Count", "RegistryStats", "registry_stats", "theme_names"]
