"""Portfolio roll-ups: figures over a selection of projects, aggregated in the database.

A **selection** (``Selection``) is the projects that match every given criterion — portfolio,
funder (a funding row with the code), region, municipality, theme, a chosen set of project
ids (several values of one criterion: any of them) — and that run at some point in the
**period** ``start``–``end`` (a project without an end date, or without a start date, counts as
running on that side). No criterion: every project of the registry.

Every figure is one GROUP BY query over the selection; nothing loops over projects in Python
(Python only adds up rows that are already aggregated, a few dozen at most).

**Money.** Planned is the selected projects' budget lines (the whole term), by the cost
scheme (ESR, STM, STEA) and category. Used is their actual costs, counted by the reporting
period they belong to: a period's costs count from the day it starts, so *used* is the costs
of the periods that started on or before the end of the range (all periods without an end),
and *used in the range* those of the periods that started within the range (each period in
exactly one range, never in two). Income (``tulot``) is its own row and is subtracted from the
net cost (``project_db.finance``). Sums are made in whole cents (integers), so they are exact
on SQLite too.

**Participants** are the whole projects' own figures (rows without a period, each person once
per project) added up over the projects that recorded them, by gender, age class, labour-market
status and education; beside them the participants of the reporting periods that started
within the range (a person may be counted in several periods).

**Indicators** are rolled up by their indicator-catalogue entry (``indicator.catalogue_key``);
indicators without a link are listed apart by name. For each entry: how many projects and
indicators; the baseline, the target and the **latest actual** (the value of the latest
reporting period that started on or before the end of the range) — added up when the entry's
unit is additive (``ADDITIVE_UNITS``: counts of people, things, events, euros), otherwise their
minimum, median and maximum; how many baselines and latest actuals are collected data, a
sample or an estimate; and how many indicators are on track, behind or ahead.

**On track** compares two shares, both 0 at the start and 1 at the end:

* *achievement* ``A``: the share of the way from the baseline to the target that the latest
  actual has come, direction aware (``project_db.indicators.achievement``): more is better —
  (actual − baseline) / (target − baseline) with the target above the baseline; less is
  better — the same with the target below it; on target is best — 1 − |actual − target| /
  |baseline − target|;
* *elapsed time* ``E``: (the end date of the latest actual's reporting period − the
  project's start date) / (the indicator's target date, else the project's end date − the
  project's start date), kept within 0…1.

With the tolerance ``TOLERANCE`` (0.10, ten percentage points) an indicator is **ahead** when
A > E + 0.10, **behind** when A < E − 0.10 and **on track** otherwise. It **cannot be
assessed** (``unknown``) without a baseline, a target, an actual, a project start date or a
target or end date after it, or when the target asks for no change or points against the
direction. Example: baseline 100 clients, target 300, 200 reached halfway through the term:
A = 0.5, E = 0.5 → on track; 120 reached at that time: A = 0.1 → behind.

**The list behind a figure.** ``figure_projects(session, selection, figure)`` returns the
projects (for an indicator figure: the indicators, with their project) that a figure counts
or adds up; its ``total`` is the figure's count, and adding up the listed projects' amounts
gives the money figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Select,
    String,
    and_,
    case,
    cast,
    distinct,
    false,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from .codes import INCOME_CATEGORY
from .indicator_catalogue import CatalogueEntry
from .models import (
    BudgetLine,
    CostActual,
    Funding,
    Indicator,
    IndicatorValue,
    ParticipantStat,
    Project,
    ProjectTheme,
    ReportingPeriod,
)

TOLERANCE: Final = 0.10
BASES: Final = ("collected", "sample", "estimate")
TRACKS: Final = ("on_track", "behind", "ahead", "unknown")
# Units whose figures add up over projects (case folded; a unit is additive when it is one of
# these). Shares, rates, averages, durations and anything else get min / median / max.
ADDITIVE_UNITS: Final = frozenset(
    {
        "henkilöä", "henkilö", "hlö", "hlöä", "henkeä", "asiakasta", "asiakas", "osallistujaa",
        "perhettä", "lasta", "nuorta", "työntekijää", "vapaaehtoista", "kpl", "lkm", "kappaletta",
        "käyntiä", "kertaa", "tapahtumaa", "tilaisuutta", "tuntia", "h", "€", "euroa", "eur",
        "personer", "person", "st", "st.", "stycken", "besök", "gånger", "timmar", "euro",
        "persons", "people", "clients", "pcs", "visits", "times", "hours",
    }
)  # fmt: skip
FREE_LIMIT: Final = 200  # free indicator names listed at most (the most used first)

_CENTS = 100
_FIGURE_SCALE = 10_000  # indicator figures have four decimals (models.Amount)


def is_additive(unit: str | None) -> bool:
    """Whether figures in ``unit`` add up over projects (see ``ADDITIVE_UNITS``)."""
    return (unit or "").strip().casefold() in ADDITIVE_UNITS


# --- the selection ---------------------------------------------------------------------------


class Selection(BaseModel):
    """Which projects a roll-up covers (see the module's docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    portfolios: tuple[str, ...] = ()
    funders: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    project_ids: tuple[int, ...] = ()
    start: date | None = None
    end: date | None = None


def _conditions(selection: Selection) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    for column, values in (
        (Project.portfolio, selection.portfolios),
        (Project.region, selection.regions),
        (Project.municipality, selection.municipalities),
    ):
        if values:
            found.append(column.in_(values))
    if selection.project_ids:
        found.append(Project.id.in_(selection.project_ids))
    # The funders' and themes' projects as lists (an index search each), not a correlated
    # EXISTS per project: at 100 000 projects the EXISTS alone took ~0.5 s.
    if selection.funders:
        funded = select(Funding.project_id).where(Funding.funder_code.in_(selection.funders))
        found.append(Project.id.in_(funded))
    if selection.themes:
        themed = select(ProjectTheme.project_id).where(ProjectTheme.theme.in_(selection.themes))
        found.append(Project.id.in_(themed))
    if selection.start is not None:
        found.append(or_(Project.end_date.is_(None), Project.end_date >= selection.start))
    if selection.end is not None:
        found.append(or_(Project.start_date.is_(None), Project.start_date <= selection.end))
    return found


def selected_ids(selection: Selection) -> Select[Any]:
    """SELECT the ids of the selected projects (for ``IN (…)``)."""
    return select(Project.id).where(*_conditions(selection))


def _in_selection(column: Any, selection: Selection) -> list[ColumnElement[bool]]:
    """``column IN (the selected ids)``; nothing when every project is selected (the whole
    registry is then read without a list of its ids)."""
    if not _conditions(selection):
        return []
    return [column.in_(selected_ids(selection))]


def _started_by_end(selection: Selection) -> list[ColumnElement[bool]]:
    """The reporting periods whose figures count: started on or before the range's end."""
    if selection.end is None:
        return []
    return [ReportingPeriod.start_date <= selection.end]


def _started_in_range(selection: Selection) -> ColumnElement[bool]:
    parts: list[ColumnElement[bool]] = []
    if selection.start is not None:
        parts.append(ReportingPeriod.start_date >= selection.start)
    if selection.end is not None:
        parts.append(ReportingPeriod.start_date <= selection.end)
    return and_(*parts) if parts else true()


def _cents(column: Any) -> ColumnElement[Any]:
    return cast(func.round(column * _CENTS), BigInteger)


def _euros(cents: Any) -> Decimal:
    return (Decimal(int(cents or 0)) / _CENTS).quantize(Decimal("0.01"))


# --- status, money, participants: the first figures -------------------------------------------


class StatusCount(BaseModel):
    code: str | None
    count: int


class MoneyRow(BaseModel):
    """One cost category of one scheme: planned (None: no budget line), used, used in range."""

    scheme: str
    category: str
    planned: Decimal | None
    used: Decimal
    used_in_range: Decimal
    has_costs: bool = True  # some actual cost of the category is counted in ``used``

    @property
    def is_income(self) -> bool:
        return self.category == INCOME_CATEGORY


class MoneyTotals(BaseModel):
    """Costs (every category but income), income, and the net cost = costs − income."""

    planned_costs: Decimal
    used_costs: Decimal
    used_costs_in_range: Decimal
    planned_income: Decimal
    used_income: Decimal
    used_income_in_range: Decimal

    @property
    def planned_net(self) -> Decimal:
        return self.planned_costs - self.planned_income

    @property
    def used_net(self) -> Decimal:
        return self.used_costs - self.used_income

    @property
    def used_net_in_range(self) -> Decimal:
        return self.used_costs_in_range - self.used_income_in_range


class ParticipantGroup(BaseModel):
    gender: str
    age_class: str
    labour_status: str | None
    education: str | None
    count: int


class Participants(BaseModel):
    projects: int  # projects that recorded their whole-project figures
    total: int  # those figures added up
    groups: list[ParticipantGroup]
    in_range: int  # participants of the periods that started within the range
    in_range_projects: int

    def by(
        self, field: Literal["gender", "age_class", "labour_status", "education"]
    ) -> dict[str | None, int]:
        """{code: count} of one grouping (None: not recorded)."""
        totals: dict[str | None, int] = {}
        for group in self.groups:
            code = getattr(group, field)
            totals[code] = totals.get(code, 0) + group.count
        return totals


class Figures(BaseModel):
    """The first figures of a selection: projects by status, money, participants."""

    selection: Selection
    projects: int
    by_status: list[StatusCount]
    budget_total: Decimal | None  # the projects' own budgets (project.budget_amount) added up
    budget_projects: int  # projects that have one
    money: list[MoneyRow]
    totals: MoneyTotals
    participants: Participants | None = None  # None: not read (``figures(participants=False)``)


def status_counts(session: Session, selection: Selection) -> list[StatusCount]:
    """How many selected projects are in each status (None: no status), most first."""
    rows = session.execute(
        select(Project.status, func.count(Project.id))
        .where(*_conditions(selection))
        .group_by(Project.status)
    ).all()
    counts = [StatusCount(code=code, count=int(count)) for code, count in rows]
    return sorted(counts, key=lambda c: (-c.count, c.code is None, c.code or ""))


def budget_total(session: Session, selection: Selection) -> tuple[Decimal | None, int]:
    """The selected projects' own budgets added up, and how many projects have one."""
    cents, count = session.execute(
        select(func.sum(_cents(Project.budget_amount)), func.count(Project.budget_amount)).where(
            *_conditions(selection)
        )
    ).one()
    return (_euros(cents) if count else None), int(count or 0)


def money(session: Session, selection: Selection) -> list[MoneyRow]:
    """Planned against used by scheme and cost category (two GROUP BY queries). How many
    projects are behind a row is the list's to count (``figure_projects``): counting them here
    too took a third of the time at 100 000 projects."""
    planned = {
        (scheme, category): _euros(cents)
        for scheme, category, cents in session.execute(
            select(BudgetLine.scheme, BudgetLine.category, func.sum(_cents(BudgetLine.amount)))
            .where(*_in_selection(BudgetLine.project_id, selection))
            .group_by(BudgetLine.scheme, BudgetLine.category)
        )
    }
    in_range: ColumnElement[Any] = _cents(CostActual.amount)
    if selection.start is not None or selection.end is not None:
        in_range = case((_started_in_range(selection), in_range), else_=0)
    used_query = (
        select(
            CostActual.scheme,
            CostActual.category,
            func.sum(_cents(CostActual.amount)),
            func.sum(in_range),
        )
        .where(*_in_selection(CostActual.project_id, selection), *_started_by_end(selection))
        .group_by(CostActual.scheme, CostActual.category)
    )
    if selection.start is not None or selection.end is not None:
        # The periods' start dates decide what counts; without a range every cost does.
        used_query = used_query.join(ReportingPeriod, ReportingPeriod.id == CostActual.period_id)
    used = {
        (scheme, category): (_euros(cents), _euros(range_cents))
        for scheme, category, cents, range_cents in session.execute(used_query)
    }
    zero = Decimal("0.00")
    return [
        MoneyRow(
            scheme=key[0],
            category=key[1],
            planned=planned.get(key),
            used=used.get(key, (zero, zero))[0],
            used_in_range=used.get(key, (zero, zero))[1],
            has_costs=key in used,
        )
        for key in sorted(set(planned) | set(used))
    ]


def money_totals(rows: Sequence[MoneyRow]) -> MoneyTotals:
    """Costs and income of the rows (already aggregated)."""
    zero = Decimal("0.00")
    costs = [r for r in rows if not r.is_income]
    income = [r for r in rows if r.is_income]
    return MoneyTotals(
        planned_costs=sum((r.planned or zero for r in costs), zero),
        used_costs=sum((r.used for r in costs), zero),
        used_costs_in_range=sum((r.used_in_range for r in costs), zero),
        planned_income=sum((r.planned or zero for r in income), zero),
        used_income=sum((r.used for r in income), zero),
        used_income_in_range=sum((r.used_in_range for r in income), zero),
    )


def participants(session: Session, selection: Selection) -> Participants:
    """The whole projects' participants by group, and those of the periods in the range."""
    whole = ParticipantStat.period_id.is_(None)
    groups = [
        ParticipantGroup(
            gender=gender,
            age_class=age,
            labour_status=labour,
            education=education,
            count=int(count or 0),
        )
        for gender, age, labour, education, count in session.execute(
            select(
                ParticipantStat.gender,
                ParticipantStat.age_class,
                ParticipantStat.labour_status,
                ParticipantStat.education,
                func.sum(ParticipantStat.count),
            )
            .where(*_in_selection(ParticipantStat.project_id, selection), whole)
            .group_by(
                ParticipantStat.gender,
                ParticipantStat.age_class,
                ParticipantStat.labour_status,
                ParticipantStat.education,
            )
        )
    ]
    projects = session.scalar(
        select(func.count(distinct(ParticipantStat.project_id))).where(
            *_in_selection(ParticipantStat.project_id, selection), whole
        )
    )
    in_range, in_range_projects = session.execute(
        select(func.sum(ParticipantStat.count), func.count(distinct(ParticipantStat.project_id)))
        .join(ReportingPeriod, ReportingPeriod.id == ParticipantStat.period_id)
        .where(*_in_selection(ParticipantStat.project_id, selection), _started_in_range(selection))
    ).one()
    return Participants(
        projects=int(projects or 0),
        total=sum(g.count for g in groups),
        groups=groups,
        in_range=int(in_range or 0),
        in_range_projects=int(in_range_projects or 0),
    )


def figures(session: Session, selection: Selection, *, with_participants: bool = True) -> Figures:
    """Status, money and (unless asked not to) participants of the selection: the fast part
    of a roll-up."""
    by_status = status_counts(session, selection)
    budget, budget_projects = budget_total(session, selection)
    rows = money(session, selection)
    return Figures(
        selection=selection,
        projects=sum(s.count for s in by_status),
        by_status=by_status,
        budget_total=budget,
        budget_projects=budget_projects,
        money=rows,
        totals=money_totals(rows),
        participants=participants(session, selection) if with_participants else None,
    )


# --- indicators ----------------------------------------------------------------------------


class FigureStats(BaseModel):
    """One figure (baseline, target or latest actual) of an entry's indicators."""

    count: int  # indicators that have it
    total: Decimal | None = None  # the sum (additive units only)
    minimum: Decimal | None = None
    median: Decimal | None = None
    maximum: Decimal | None = None


class IndicatorFigure(BaseModel):
    """The indicators linked to one catalogue entry, rolled up."""

    key: str
    name_fi: str
    name_sv: str
    name_en: str
    unit: str
    measure_type: str
    additive: bool
    projects: int
    indicators: int
    baseline: FigureStats
    target: FigureStats
    actual: FigureStats
    baseline_basis: dict[str, int]  # collected / sample / estimate → indicators
    actual_basis: dict[str, int]
    tracks: dict[str, int]  # on_track / behind / ahead / unknown → indicators

    def name_in(self, lang: str) -> str:
        return {"sv": self.name_sv, "en": self.name_en}.get(lang) or self.name_fi


class FreeIndicator(BaseModel):
    """Indicators of one name that are not linked to the catalogue."""

    name: str
    unit: str | None  # None: the indicators of this name have several units
    projects: int
    indicators: int


class IndicatorFigures(BaseModel):
    linked: list[IndicatorFigure]
    free: list[FreeIndicator]  # the most used first, at most FREE_LIMIT names
    free_names: int  # how many names in all
    free_indicators: int  # how many free indicators in all


def _day_number(session: Session, column: Any) -> ColumnElement[float]:
    """Days since a fixed day, as a float, on either database."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(column)
    return cast(column - literal_column("DATE '2000-01-01'"), Float)


def _latest_values(session: Session, selection: Selection) -> Any:
    """Per linked indicator of the selection, its values ranked newest first (``rank`` 1 is the
    latest actual): the values of the periods that started on or before the range's end."""
    newest_first = func.row_number().over(
        partition_by=IndicatorValue.indicator_id,
        order_by=(ReportingPeriod.start_date.desc(), ReportingPeriod.number.desc()),
    )
    return (
        select(
            IndicatorValue.indicator_id.label("indicator_id"),
            IndicatorValue.value.label("value"),
            IndicatorValue.basis.label("basis"),
            ReportingPeriod.end_date.label("value_date"),
            newest_first.label("rank"),
        )
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(
            *_in_selection(Indicator.project_id, selection),
            Indicator.catalogue_key.is_not(None),
            *_started_by_end(selection),
        )
        .subquery("ranked_values")
    )


def _achievement(b: Any, t: Any, a: Any, direction: Any) -> ColumnElement[float]:
    """``project_db.indicators.achievement`` as SQL (floats; every division guarded)."""
    more = case((t > b, (a - b) / (t - b)), else_=None)
    less = case((t < b, (a - b) / (t - b)), else_=None)
    on_target = case(
        (t == b, case((a == t, literal(1.0)), else_=None)),
        else_=literal(1.0) - func.abs(a - t) / func.abs(t - b),
    )
    return case(
        (or_(b.is_(None), t.is_(None), a.is_(None)), None),
        (direction == "target", on_target),
        (direction == "less", less),
        else_=more,
    )


def indicator_rows(session: Session, selection: Selection) -> Any:
    """One row per linked indicator of the selection: its project, entry, figures, the latest
    actual with its basis, and its track (on_track / behind / ahead / unknown)."""
    latest = _latest_values(session, selection)
    b = cast(Indicator.baseline, Float)
    t = cast(Indicator.target, Float)
    a = cast(latest.c.value, Float)
    start_day = _day_number(session, Project.start_date)
    due_day = _day_number(session, func.coalesce(Indicator.target_date, Project.end_date))
    value_day = _day_number(session, latest.c.value_date)
    elapsed_raw = case(
        (due_day > start_day, (value_day - start_day) / (due_day - start_day)), else_=None
    )
    first = (
        select(
            Indicator.id.label("indicator_id"),
            Indicator.project_id.label("project_id"),
            Indicator.catalogue_key.label("key"),
            Indicator.name.label("name"),
            Indicator.baseline.label("baseline"),
            Indicator.baseline_basis.label("baseline_basis"),
            Indicator.target.label("target"),
            latest.c.value.label("actual"),
            latest.c.basis.label("actual_basis"),
            _achievement(b, t, a, Indicator.direction).label("achieved"),
            elapsed_raw.label("elapsed_raw"),
        )
        .join(Project, Project.id == Indicator.project_id)
        .outerjoin(latest, and_(latest.c.indicator_id == Indicator.id, latest.c.rank == 1))
        .where(*_in_selection(Indicator.project_id, selection))
        .where(Indicator.catalogue_key.is_not(None))
        .subquery("indicator_figures")
    )
    elapsed = case(
        (first.c.elapsed_raw < 0, literal(0.0)),
        (first.c.elapsed_raw > 1, literal(1.0)),
        else_=first.c.elapsed_raw,
    )
    tolerance = literal(TOLERANCE, Float)
    track = case(
        (
            or_(first.c.achieved.is_(None), first.c.elapsed_raw.is_(None)),
            _text_constant("unknown"),
        ),
        (first.c.achieved > elapsed + tolerance, _text_constant("ahead")),
        (first.c.achieved < elapsed - tolerance, _text_constant("behind")),
        else_=_text_constant("on_track"),
    )
    return select(
        first.c.indicator_id,
        first.c.project_id,
        first.c.key,
        first.c.name,
        first.c.baseline,
        first.c.baseline_basis,
        first.c.target,
        first.c.actual,
        first.c.actual_basis,
        track.label("track"),
    ).subquery("tracked")


_FIGURE_COLUMNS = ("baseline", "target", "actual")


def _text_constant(word: str) -> ColumnElement[str]:
    """A constant word written into the SQL (PostgreSQL cannot type a bare parameter in a
    select list or a CASE)."""
    assert word.isidentifier()
    return literal_column(f"'{word}'", String)


def _medians(session: Session, rows: Any) -> dict[tuple[str, str], Decimal]:
    """The median of each figure per entry (window functions; the middle one, or the mean of
    the middle two)."""
    values = union_all(
        *(
            select(
                rows.c.key.label("key"),
                _text_constant(name).label("figure"),
                rows.c[name].label("value"),
            ).where(rows.c[name].is_not(None))
            for name in _FIGURE_COLUMNS
        )
    ).subquery("figure_values")
    window = (values.c.key, values.c.figure)
    ranked = select(
        values.c.key,
        values.c.figure,
        values.c.value,
        func.row_number().over(partition_by=window, order_by=values.c.value).label("position"),
        func.count().over(partition_by=window).label("size"),
    ).subquery("ranked_figures")
    middle = or_(
        ranked.c.position == (ranked.c.size + 1) // 2,
        ranked.c.position == (ranked.c.size + 2) // 2,
    )
    found = session.execute(
        select(ranked.c.key, ranked.c.figure, func.avg(cast(ranked.c.value, Float)))
        .where(middle)
        .group_by(ranked.c.key, ranked.c.figure)
    )
    return {(key, figure): _figure(value) for key, figure, value in found}


def _figure(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.0001"))


def _summed(value: Any) -> Decimal:
    return (Decimal(int(value or 0)) / _FIGURE_SCALE).quantize(Decimal("0.0001"))


def _counting(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def linked_indicators(session: Session, selection: Selection) -> list[IndicatorFigure]:
    """The roll-up of every catalogue entry that indicators of the selection link to."""
    rows = indicator_rows(session, selection)
    columns: list[Any] = [
        rows.c.key,
        func.count(distinct(rows.c.project_id)),
        func.count(),
    ]
    for name in _FIGURE_COLUMNS:
        column = rows.c[name]
        columns += [
            func.count(column),
            func.sum(cast(func.round(column * _FIGURE_SCALE), BigInteger)),
            func.min(column),
            func.max(column),
        ]
    columns += [_counting(rows.c.baseline_basis == basis) for basis in BASES]
    columns += [_counting(rows.c.actual_basis == basis) for basis in BASES]
    columns += [_counting(rows.c.track == track) for track in TRACKS]
    aggregated = session.execute(select(*columns).group_by(rows.c.key)).all()
    if not aggregated:
        return []
    medians = _medians(session, rows)
    entries = {
        e.key: e
        for e in session.scalars(
            select(CatalogueEntry).where(CatalogueEntry.key.in_([r[0] for r in aggregated]))
        )
    }
    result = []
    for row in aggregated:
        key, projects, indicators = row[0], int(row[1]), int(row[2])
        entry = entries[key]
        additive = entry.measure_type == "quantitative" and is_additive(entry.unit)
        stats = {}
        for i, name in enumerate(_FIGURE_COLUMNS):
            count, total, low, high = row[3 + 4 * i : 7 + 4 * i]
            stats[name] = FigureStats(
                count=int(count or 0),
                total=_summed(total) if additive and count else None,
                minimum=_figure(low) if low is not None else None,
                median=medians.get((key, name)),
                maximum=_figure(high) if high is not None else None,
            )
        counts = [int(x or 0) for x in row[15:]]
        result.append(
            IndicatorFigure(
                key=key,
                name_fi=entry.name_fi,
                name_sv=entry.name_sv,
                name_en=entry.name_en,
                unit=entry.unit,
                measure_type=entry.measure_type,
                additive=additive,
                projects=projects,
                indicators=indicators,
                baseline=stats["baseline"],
                target=stats["target"],
                actual=stats["actual"],
                baseline_basis=dict(zip(BASES, counts[0:3], strict=True)),
                actual_basis=dict(zip(BASES, counts[3:6], strict=True)),
                tracks=dict(zip(TRACKS, counts[6:10], strict=True)),
            )
        )
    return sorted(result, key=lambda f: (entries[f.key].sort_name, f.key))


def free_indicators(session: Session, selection: Selection) -> tuple[list[FreeIndicator], int, int]:
    """The indicators without a catalogue link, by name: the most used names first (at most
    ``FREE_LIMIT``), how many names and how many such indicators in all."""
    where = (
        *_in_selection(Indicator.project_id, selection),
        Indicator.catalogue_key.is_(None),
    )
    names, count = session.execute(
        select(func.count(distinct(Indicator.name)), func.count()).where(*where)
    ).one()
    rows = session.execute(
        select(
            Indicator.name,
            func.min(Indicator.unit),
            func.count(distinct(Indicator.unit)),
            func.count(distinct(Indicator.project_id)),
            func.count(),
        )
        .where(*where)
        .group_by(Indicator.name)
        .order_by(func.count(distinct(Indicator.project_id)).desc(), Indicator.name)
        .limit(FREE_LIMIT)
    ).all()
    free = [
        FreeIndicator(
            name=name,
            unit=unit if units == 1 else None,
            projects=int(projects),
            indicators=int(indicators),
        )
        for name, unit, units, projects, indicators in rows
    ]
    return free, int(names or 0), int(count or 0)


def indicator_figures(session: Session, selection: Selection) -> IndicatorFigures:
    """The indicator part of a roll-up (slower than ``figures``: pages may show it after)."""
    free, names, count = free_indicators(session, selection)
    return IndicatorFigures(
        linked=linked_indicators(session, selection),
        free=free,
        free_names=names,
        free_indicators=count,
    )


# --- the list behind a figure ------------------------------------------------------------------

FigureKind = Literal[
    "projects",  # every selected project
    "status",  # ``code``: a status (None: no status)
    "budget",  # projects with a budget of their own (project.budget_amount)
    "planned",  # ``scheme``/``category`` (None: every cost category but income)
    "used",  # the same, actual costs counted in ``used``
    "used_in_range",  # the same, in the periods that started within the range
    "participants",  # projects with whole-project participant figures
    "participants_in_range",  # projects with participants in periods within the range
    "indicator",  # ``code``: a catalogue key; ``measure`` (and ``basis``)
    "free_indicator",  # ``code``: the name of free indicators
]
IndicatorMeasure = Literal[
    "projects",
    "indicators",
    "baseline",
    "target",
    "actual",
    "baseline_basis",
    "actual_basis",
    "on_track",
    "behind",
    "ahead",
    "unknown",
]


class FigureRef(BaseModel):
    """Which figure of a roll-up (see ``figure_projects``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: FigureKind
    code: str | None = None
    scheme: str | None = None
    category: str | None = None
    measure: IndicatorMeasure = "projects"
    basis: Literal["collected", "sample", "estimate"] | None = None


class ProjectRef(BaseModel):
    id: int
    name: str
    detail: str | None = None  # an indicator figure: the indicator's own name


class FigureList(BaseModel):
    total: int
    rows: list[ProjectRef]
    offset: int = 0


def _category_condition(model: Any, figure: FigureRef) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if figure.scheme is not None:
        found.append(model.scheme == figure.scheme)
    if figure.category is not None:
        found.append(model.category == figure.category)
    else:
        found.append(model.category != INCOME_CATEGORY)
    return found


def _project_ids_behind(selection: Selection, figure: FigureRef) -> Select[Any] | None:
    """SELECT the ids of the projects behind a project-level figure (None: an indicator-level
    figure)."""
    ids = selected_ids(selection)
    kind = figure.kind
    if kind == "projects":
        return ids
    if kind == "status":
        status = Project.status.is_(None) if figure.code is None else Project.status == figure.code
        return select(Project.id).where(*_conditions(selection), status)
    if kind == "budget":
        return select(Project.id).where(*_conditions(selection), Project.budget_amount.is_not(None))
    if kind == "planned":
        return (
            select(BudgetLine.project_id)
            .where(
                *_in_selection(BudgetLine.project_id, selection),
                *_category_condition(BudgetLine, figure),
            )
            .distinct()
        )
    if kind in ("used", "used_in_range"):
        timing = _started_by_end(selection)
        if kind == "used_in_range":
            timing = [_started_in_range(selection)]
        return (
            select(CostActual.project_id)
            .join(ReportingPeriod, ReportingPeriod.id == CostActual.period_id)
            .where(
                *_in_selection(CostActual.project_id, selection),
                *_category_condition(CostActual, figure),
                *timing,
            )
            .distinct()
        )
    if kind == "participants":
        return (
            select(ParticipantStat.project_id)
            .where(
                *_in_selection(ParticipantStat.project_id, selection),
                ParticipantStat.period_id.is_(None),
            )
            .distinct()
        )
    if kind == "participants_in_range":
        return (
            select(ParticipantStat.project_id)
            .join(ReportingPeriod, ReportingPeriod.id == ParticipantStat.period_id)
            .where(
                *_in_selection(ParticipantStat.project_id, selection), _started_in_range(selection)
            )
            .distinct()
        )
    if kind == "free_indicator":
        return (
            select(Indicator.project_id)
            .where(
                *_in_selection(Indicator.project_id, selection),
                Indicator.catalogue_key.is_(None),
                Indicator.name == (figure.code or ""),
            )
            .distinct()
        )
    if kind == "indicator" and figure.measure == "projects":
        return (
            select(Indicator.project_id)
            .where(
                *_in_selection(Indicator.project_id, selection),
                Indicator.catalogue_key == figure.code,
            )
            .distinct()
        )
    return None


def _indicator_condition(rows: Any, figure: FigureRef) -> ColumnElement[bool]:
    measure = figure.measure
    if measure in _FIGURE_COLUMNS:
        return rows.c[measure].is_not(None)  # type: ignore[no-any-return]
    if measure in ("baseline_basis", "actual_basis"):
        if figure.basis is None:
            return rows.c[measure].is_not(None)  # type: ignore[no-any-return]
        return rows.c[measure] == figure.basis  # type: ignore[no-any-return]
    if measure in TRACKS:
        return rows.c.track == measure  # type: ignore[no-any-return]
    if measure == "indicators":
        return true()
    return false()


def figure_projects(
    session: Session,
    selection: Selection,
    figure: FigureRef,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> FigureList:
    """The projects behind a figure (for an indicator figure other than ``projects``: its
    indicators, one row each, with their project), in Finnish alphabetical order of the
    project's name; ``total`` is the figure's count. ``limit``/``offset``: one page."""
    ids = _project_ids_behind(selection, figure)
    sort_name: Any = Project.sort_name
    if session.get_bind().dialect.name == "postgresql":
        sort_name = Project.sort_name.collate("C")
    if ids is not None:
        query = select(Project.id, Project.name, cast(null(), String).label("detail")).where(
            Project.id.in_(ids)
        )
        order: tuple[Any, ...] = (sort_name, Project.id)
    else:
        rows = indicator_rows(session, selection)
        query = (
            select(Project.id, Project.name, rows.c.name.label("detail"))
            .join(rows, rows.c.project_id == Project.id)
            .where(rows.c.key == figure.code, _indicator_condition(rows, figure))
        )
        order = (sort_name, Project.id, rows.c.indicator_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    paged = query.order_by(*order).offset(offset)
    if limit is not None:
        paged = paged.limit(limit)
    found = [
        ProjectRef(id=pid, name=name, detail=detail) for pid, name, detail in session.execute(paged)
    ]
    return FigureList(total=int(total), rows=found, offset=offset)


# --- what a selection can be made of --------------------------------------------------------------


def municipality_names(session: Session) -> list[str]:
    """Every municipality some project names, alphabetically."""
    rows = session.scalars(
        select(Project.municipality)
        .where(Project.municipality.is_not(None), Project.municipality != "")
        .distinct()
        .order_by(Project.municipality)
    )
    return [name for name in rows if name]


def stored_project_ids(session: Session, ids: Sequence[int]) -> set[int]:
    """Which of ``ids`` are projects."""
    if not ids:
        return set()
    return set(session.scalars(select(Project.id).where(Project.id.in_(list(set(ids))))))


class ProjectLine(BaseModel):
    """A selected project as the portfolio report lists it (codes, not labels)."""

    id: int
    name: str
    status: str | None
    start_date: date | None
    end_date: date | None
    budget_amount: Decimal | None
    planned: Decimal | None = Field(default=None)  # its budget lines' costs (income not counted)
    used: Decimal | None = Field(default=None)  # its actual costs counted in ``used``


def project_lines(
    session: Session, selection: Selection, *, limit: int | None = None
) -> tuple[list[ProjectLine], int]:
    """The selected projects in Finnish alphabetical order (at most ``limit``) with their
    planned and used costs, and how many projects the selection has."""
    ids = selected_ids(selection)
    total = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    sort_name: Any = Project.sort_name
    if session.get_bind().dialect.name == "postgresql":
        sort_name = Project.sort_name.collate("C")
    page = (
        select(Project.id)
        .where(*_conditions(selection))
        .order_by(sort_name, Project.id)
        .limit(limit)
        .subquery("page")
    )
    planned = (
        select(BudgetLine.project_id, func.sum(_cents(BudgetLine.amount)).label("cents"))
        .where(BudgetLine.project_id.in_(select(page.c.id)), BudgetLine.category != INCOME_CATEGORY)
        .group_by(BudgetLine.project_id)
        .subquery("planned")
    )
    used = (
        select(CostActual.project_id, func.sum(_cents(CostActual.amount)).label("cents"))
        .join(ReportingPeriod, ReportingPeriod.id == CostActual.period_id)
        .where(
            CostActual.project_id.in_(select(page.c.id)),
            CostActual.category != INCOME_CATEGORY,
            *_started_by_end(selection),
        )
        .group_by(CostActual.project_id)
        .subquery("used")
    )
    rows = session.execute(
        select(
            Project.id,
            Project.name,
            Project.status,
            Project.start_date,
            Project.end_date,
            Project.budget_amount,
            planned.c.cents,
            used.c.cents,
        )
        .join(page, page.c.id == Project.id)
        .outerjoin(planned, planned.c.project_id == Project.id)
        .outerjoin(used, used.c.project_id == Project.id)
        .order_by(sort_name, Project.id)
    ).all()
    lines = [
        ProjectLine(
            id=pid,
            name=name,
            status=status,
            start_date=start,
            end_date=end,
            budget_amount=budget,
            planned=_euros(plan) if plan is not None else None,
            used=_euros(spent) if spent is not None else None,
        )
        for pid, name, status, start, end, budget, plan, spent in rows
    ]
    return lines, int(total)


# Kept for the tests and the benchmark: one query's worth of the selection's ids.
def selected_project_ids(session: Session, selection: Selection) -> list[int]:
    return list(session.scalars(selected_ids(selection).order_by(Project.id)))


__all__ = [
    "ADDITIVE_UNITS",
    "BASES",
    "FREE_LIMIT",
    "TOLERANCE",
    "TRACKS",
    "FigureKind",
    "FigureList",
    "FigureRef",
    "FigureStats",
    "Figures",
    "FreeIndicator",
    "IndicatorFigure",
    "IndicatorFigures",
    "IndicatorMeasure",
    "MoneyRow",
    "MoneyTotals",
    "ParticipantGroup",
    "Participants",
    "ProjectLine",
    "ProjectRef",
    "Selection",
    "StatusCount",
    "budget_total",
    "figure_projects",
    "figures",
    "free_indicators",
    "indicator_figures",
    "indicator_rows",
    "is_additive",
    "linked_indicators",
    "money",
    "money_totals",
    "municipality_names",
    "participants",
    "project_lines",
    "selected_ids",
    "selected_project_ids",
    "status_counts",
    "stored_project_ids",
]
