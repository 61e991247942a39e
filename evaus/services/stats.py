"""Figures for the front page: how many projects by status, funder and portfolio, money by funder.

Code values are returned as stored (``None`` for a project without one); the page turns them into
labels in the user's language.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from project_db import registry_stats as figures
from project_db.listing import theme_names as stored_theme_names
from project_db.registry_stats import CountedColumn

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


def _counts(session: Session, column: CountedColumn) -> list[Count]:
    rows = figures.projects_by(session, column)
    counts = [Count(code=code, count=count) for code, count in rows]
    return sorted(counts, key=lambda c: (-c.count, c.code is None, c.code or ""))


def registry_stats(session: Session, *, actor: Actor) -> RegistryStats:
    """Counts and sums over the whole registry (a handful of GROUP BY queries)."""
    require_read(actor)
    funder_rows = figures.funding_by_funder(session)
    by_funder = sorted(
        (Count(code=code, count=count) for code, count, _amount in funder_rows),
        key=lambda c: (-c.count, c.code is None, c.code or ""),
    )
    budget = sorted(
        (Amount(code=code, amount=amount, projects=count) for code, count, amount in funder_rows),
        key=lambda a: (-a.amount, a.code is None, a.code or ""),
    )
    return RegistryStats(
        total=figures.project_count(session),
        by_status=_counts(session, "status"),
        by_funder=by_funder,
        by_portfolio=_counts(session, "portfolio"),
        budget_by_funder=budget,
    )


def theme_names(session: Session, *, actor: Actor) -> list[str]:
    """Every theme some project uses, alphabetically (the list page's theme filter)."""
    require_read(actor)
    return stored_theme_names(session)


__all__ = ["Amount", "Count", "RegistryStats", "registry_stats", "theme_names"]
