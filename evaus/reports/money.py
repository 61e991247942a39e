"""The money of the project reports: funding, budget against actual, the grant's period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from project_db import finance
from project_db.codes import COST_CATEGORY_LISTS, INCOME_CATEGORY
from project_db.schemas import FundingIn, ProjectDoc

from ..i18n import _
from .contexts import Budget, BudgetRow, ChartSeries, ChartSpec, FundingRow, FundingSummary
from .kinds.base import Labels
from .rows import _label

# Fewer funders than these and the chart only repeats the table next to it.
MIN_CHART_FUNDERS = 3


def _funding(doc: ProjectDoc, labels: Labels) -> FundingSummary:
    rows = [
        FundingRow(
            funder=f.funder.name,
            funder_code=_label(labels, "funder", f.funder_code),
            amount=f.amount,
            share_percent=f.share_percent,
            own_contribution=f.own_contribution,
            decision_number=f.decision_number,
            decision_date=f.decision_date,
            period_start=f.period_start,
            period_end=f.period_end,
        )
        for f in doc.funding
    ]
    granted = [f.amount for f in doc.funding if f.amount is not None]
    own = [f.own_contribution for f in doc.funding if f.own_contribution is not None]
    return FundingSummary(
        rows=rows,
        total_granted=sum(granted, Decimal(0)) if granted else None,
        total_own=sum(own, Decimal(0)) if own else None,
        budget=doc.budget_amount,
    )


def _used(actual: Decimal, planned: Decimal | None) -> Decimal | None:
    if planned is None or planned == 0:
        return None
    return (actual / planned * 100).quantize(Decimal("0.1"))


def _budget_row(
    category: str, planned: Decimal | None, actual: Decimal, period_actual: Decimal | None
) -> BudgetRow:
    return BudgetRow(
        category=category,
        planned=planned,
        actual=actual,
        period_actual=period_actual,
        used_percent=_used(actual, planned),
    )


def _budget(doc: ProjectDoc, labels: Labels, scheme: str, period: int | None = None) -> Budget:
    """Budget against actual by cost category of ``scheme``. With ``period``: the actual costs
    up to and including it, and that period's own beside them."""
    lines = finance.budget_against_actual(doc, scheme, until_period=period)
    if not lines:
        return Budget()
    of_period: dict[str, Decimal] = {}
    if period is not None:
        for cost in doc.cost_actuals:
            if cost.scheme == scheme and cost.period == period:
                of_period[cost.category] = of_period.get(cost.category, finance.ZERO) + cost.amount

    def period_sum(lines: list[finance.CategoryLine]) -> Decimal | None:
        if period is None:
            return None
        return sum((of_period.get(x.category, finance.ZERO) for x in lines), finance.ZERO)

    list_name = COST_CATEGORY_LISTS[scheme]
    costs = [x for x in lines if not x.is_income]
    income = next((x for x in lines if x.is_income), None)
    rows = [
        _budget_row(
            _label(labels, list_name, x.category) or x.category,
            x.planned,
            x.actual,
            period_sum([x]),
        )
        for x in costs
    ]
    cost_planned, cost_actual = finance.net_cost(costs)
    net_planned, net_actual = finance.net_cost(lines)
    net_period = None
    if period is not None:
        net_period = sum((finance.signed(c, a) for c, a in of_period.items()), finance.ZERO)
    return Budget(
        known=True,
        costs=rows,
        cost_total=_budget_row("", cost_planned, cost_actual, period_sum(costs)),
        income=(
            _budget_row(
                _label(labels, list_name, INCOME_CATEGORY) or INCOME_CATEGORY,
                income.planned,
                income.actual,
                period_sum([income]),
            )
            if income
            else None
        ),
        net=_budget_row("", net_planned, net_actual, net_period),
    )


def _funding_chart(doc: ProjectDoc, lang: str) -> ChartSpec | None:
    rows = [f for f in doc.funding if f.amount is not None or f.own_contribution is not None]
    if len(rows) < MIN_CHART_FUNDERS:
        return None
    return ChartSpec(
        style="bars",
        title=_("Funding by funder (€)", lang),
        categories=[f.funder.name[:40] for f in rows],
        series=[
            ChartSeries(
                name=_("Granted", lang),
                values=[float(f.amount) if f.amount is not None else None for f in rows],
            ),
            ChartSeries(
                name=_("Own contribution", lang),
                values=[
                    float(f.own_contribution) if f.own_contribution is not None else None
                    for f in rows
                ],
            ),
        ],
        y_label="€",
    )


def grant_period(rows: list[FundingIn]) -> tuple[date | None, date | None]:
    """The period of use of a funder's grant: of its first funding row that has one (None,
    None: no row has one, and the report prints the project's term as the term)."""
    for f in rows:
        if f.period_start or f.period_end:
            return f.period_start, f.period_end
    return None, None
