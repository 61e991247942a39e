"""Budget against actual by cost category, and participant totals, from a project document.

Sign rule: every stored amount is zero or more. A cost category adds to the net cost; the
category ``tulot`` (income, codes.INCOME_CATEGORY) is subtracted from it. Participants of the
whole project are their own figure (each person once), never the sum of the periods.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .codes import INCOME_CATEGORY
from .schemas import ProjectDoc

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CategoryLine:
    """One cost category: planned, actual (up to and including ``until_period``), the rest."""

    scheme: str
    category: str
    planned: Decimal | None
    actual: Decimal

    @property
    def is_income(self) -> bool:
        return self.category == INCOME_CATEGORY

    @property
    def remaining(self) -> Decimal | None:
        return None if self.planned is None else self.planned - self.actual


def signed(category: str, amount: Decimal) -> Decimal:
    """The amount's effect on the net cost: income reduces it."""
    return -amount if category == INCOME_CATEGORY else amount


def budget_against_actual(
    doc: ProjectDoc, scheme: str, until_period: int | None = None
) -> list[CategoryLine]:
    """Per category of ``scheme``, in budget order then first use: planned and actual amounts.
    ``until_period`` limits the actual costs to periods 1 … that one (a cumulative report)."""
    planned = {x.category: x.amount for x in doc.budget_lines if x.scheme == scheme}
    actual: dict[str, Decimal] = {}
    for cost in doc.cost_actuals:
        if cost.scheme != scheme or (until_period is not None and cost.period > until_period):
            continue
        actual[cost.category] = actual.get(cost.category, ZERO) + cost.amount
    categories = list(dict.fromkeys([*planned, *actual]))
    return [CategoryLine(scheme, c, planned.get(c), actual.get(c, ZERO)) for c in categories]


def net_cost(lines: list[CategoryLine]) -> tuple[Decimal | None, Decimal]:
    """Planned and actual net cost of the lines: costs minus income."""
    actual = sum((signed(x.category, x.actual) for x in lines), ZERO)
    if not any(x.planned is not None for x in lines):
        return None, actual
    planned = sum((signed(x.category, x.planned or ZERO) for x in lines), ZERO)
    return planned, actual


def participants_per_period(doc: ProjectDoc) -> dict[int, int]:
    """Participants of each reporting period that has participant rows."""
    totals: dict[int, int] = {}
    for stat in doc.participant_stats:
        if stat.period is not None:
            totals[stat.period] = totals.get(stat.period, 0) + stat.count
    return totals


def unique_participants(doc: ProjectDoc) -> int | None:
    """The whole project's participants, each person once (rows without a period); None when
    the project has not recorded that figure — it is not the sum of the periods."""
    rows = [stat.count for stat in doc.participant_stats if stat.period is None]
    return sum(rows) if rows else None
