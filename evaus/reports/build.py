"""Report contexts from a project document and code labels: pure functions, no database.

``Labels`` maps a code list name to {code: label in the report's language}; the service reads
them from the code lists. Everything here is deterministic for the same input, so the SHA-256 of
a context identifies the data a report was made from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from project_db import finance
from project_db.codes import COST_CATEGORY_LISTS, DEFAULT_CODE_LISTS, INCOME_CATEGORY
from project_db.errors import N_, Problem
from project_db.indicators import achievement
from project_db.schemas import (
    BASIS_LABELS,
    DIRECTION_LABELS,
    FundingIn,
    IndicatorIn,
    PeriodIn,
    ProjectDoc,
    ProjectOrganisationIn,
    ProjectPersonIn,
)
from project_db.store import finnish_sort_key

from ..i18n import _, date_range, format_message, normalise_language, number, pvm
from .contexts import (
    AttachmentRow,
    Budget,
    BudgetRow,
    CardContext,
    ChartSeries,
    ChartSpec,
    CountRow,
    EsrFinalContext,
    EsrPeriodContext,
    FundingRow,
    FundingSummary,
    GoalRow,
    IndicatorRow,
    IndicatorValueRow,
    LinkRow,
    MeasureRow,
    OrgRow,
    ParticipantRow,
    Participants,
    PeriodInfo,
    PeriodParticipants,
    PersonRow,
    ProjectInfo,
    ResultRow,
    SectionRow,
    SteaContext,
    SteaProjectInfo,
    StmContext,
    VolunteerRow,
    _ReportContext,
)
from .errors import ReportFailed
from .kinds import UNKNOWN_KIND, ReportInput, ReportKind

if TYPE_CHECKING:
    from .privacy import Removal

Labels = dict[str, dict[str, str]]
HELSINKI = ZoneInfo("Europe/Helsinki")

RESULT_KIND_LABELS = {
    "output": N_("Output"),
    "result": N_("Result"),
    "impact": N_("Long-term impact"),
}

# Errors and warnings (message ids; the caller translates them).
NO_SUCH_PERIOD = N_("The project has no reporting period {number} (its periods: {available}).")
NO_PERIODS_AT_ALL = N_("The project has no reporting period {number}: it has no periods at all.")
YEAR_OUTSIDE = N_("The project was not running in {year} (its term is {term}).")
NO_FINISHED_YEAR = N_(
    "No calendar year of the project has ended yet (it started on {start}): choose the year."
)

MISSING_PERIOD_VALUES = N_("Period {number}: the indicator values are missing")
MISSING_PERIOD_NARRATIVE = N_("Period {number}: what was done is not described")
MISSING_PERIODS = N_("The project has no reporting periods: the report covers its whole term")
MISSING_GOALS = N_("The project has no goals")
MISSING_INDICATORS = N_("The project has no indicators")
MISSING_TARGET = N_("Indicator {name}: the target is missing")
MISSING_PARTICIPANTS = N_("The participant figures are missing")
MISSING_SECTION = N_("The description is missing: {title}")
MISSING_FUNDING = N_("The funding amounts are missing")
MISSING_LEAD = N_("The lead implementer is missing")
MISSING_LEAD_Y_TUNNUS = N_(
    "The Y-tunnus of the lead implementer (grant recipient) is missing: {name}"
)
MISSING_YEAR_VALUES = N_("No indicator values for {year}")
MISSING_STM_GRANT = N_("The project has no STM funding entered")
MISSING_SUMMARY = N_("The summary is missing")
MISSING_BUDGET = N_("The budget and the actual costs by cost category are missing")
MISSING_UNIQUE_PARTICIPANTS = N_(
    "The whole project's participants (each person once) are missing: the report shows "
    "the figures of each period"
)

NOT_KNOWN = N_("Not known")


# --- small helpers ------------------------------------------------------------------------


def _t(text: str | None) -> str | None:
    """Blank text is 'not known' (None), which the renderer shows as 'Ei tietoa'."""
    if text is None:
        return None
    text = text.strip()
    return text or None


def _label(labels: Labels, list_name: str, code: str | None) -> str | None:
    if not code:
        return None
    return labels.get(list_name, {}).get(code, code)


LONG_NUMBER_RE = re.compile(r"\d{4,}")


def _readable_numbers(text: str | None, lang: str) -> str | None:
    """Thousands separated the report's way: "Yli 1000000 €" → "Yli 1 000 000 €"."""
    if text is None:
        return None
    return LONG_NUMBER_RE.sub(lambda m: number(int(m.group()), lang), text)


def _section(doc: ProjectDoc, *kinds: str) -> str | None:
    """The text of the sections of these kinds, joined (several sections become paragraphs)."""
    bodies = [s.body.strip() for s in doc.sections if s.kind in kinds and s.body.strip()]
    return "\n\n".join(bodies) or None


def _section_title(labels: Labels, kind: str) -> str:
    return labels.get("section", {}).get(kind, kind)


def _narratives(doc: ProjectDoc, kinds: tuple[str, ...]) -> list[SectionRow]:
    """The project's sections of these kinds, each under its own title, in the order of
    ``kinds`` (the order a funder's form asks for them), empty ones left out."""
    rows = []
    for kind in kinds:
        rows += [
            SectionRow(title=s.title, body=s.body.strip())
            for s in doc.sections
            if s.kind == kind and s.body.strip()
        ]
    return rows


def _other_narratives(doc: ProjectDoc, placed: tuple[str, ...]) -> list[SectionRow]:
    """The sections a report has no place of its own for: printed at the end, never dropped."""
    return [
        SectionRow(title=s.title, body=s.body.strip())
        for s in doc.sections
        if s.kind not in placed and s.body.strip()
    ]


def _basis(basis: str | None, lang: str) -> str | None:
    return _(BASIS_LABELS[basis], lang) if basis in BASIS_LABELS else None


def _progress(indicator: IndicatorIn, value: Decimal | None) -> Decimal | None:
    """How far from the baseline to the target the value has come, in whole per cent."""
    share = achievement(indicator.baseline, indicator.target, value, indicator.direction)
    return None if share is None else (share * 100).quantize(Decimal("1"))


def _project_info(doc: ProjectDoc, labels: Labels, lang: str = "fi") -> ProjectInfo:
    leads = sorted(
        {o.organisation.name for o in doc.organisations if o.role == "paatoteuttaja"},
        key=finnish_sort_key,
    )
    return ProjectInfo(
        name=doc.name,
        short_name=_t(doc.short_name),
        code=_t(doc.eura_code),
        project_type=_label(labels, "project_type", doc.project_type),
        status=_label(labels, "status", doc.status),
        portfolio=_label(labels, "portfolio", doc.portfolio),
        region=_label(labels, "region", doc.region),
        municipality=_t(doc.municipality),
        start_date=doc.start_date,
        end_date=doc.end_date,
        budget_amount=doc.budget_amount,
        budget_class=_readable_numbers(_label(labels, "budget_class", doc.budget_class), lang),
        action_line=_t(doc.action_line),
        specific_objective=_t(doc.specific_objective),
        decision_number=_t(doc.decision_number),
        responsible_authority=_t(doc.responsible_authority),
        programme=_t(doc.programme),
        website=_t(doc.website),
        summary=_t(doc.summary),
        themes=", ".join(doc.themes) or None,
        lead=", ".join(leads) or None,
    )


def _role_order(labels: Labels) -> list[str]:
    """The organisation roles in the order of their code list (päätoteuttaja, osatoteuttaja,
    rahoittaja, yhteistyökumppani …); the shipped order when the labels do not carry it."""
    return list(labels.get("organisation_role") or {}) or [
        entry[0] for entry in DEFAULT_CODE_LISTS["organisation_role"]
    ]


def ordered_organisations(doc: ProjectDoc, labels: Labels) -> list[ProjectOrganisationIn]:
    """The project's organisations by role (in the code list's order, roles not in it last),
    then by name in Finnish alphabetical order (… Z Å Ä Ö, case-insensitive)."""
    order = {code: i for i, code in enumerate(_role_order(labels))}
    return sorted(
        doc.organisations,
        key=lambda o: (
            order.get(o.role, len(order)),
            finnish_sort_key(o.role) if o.role not in order else "",
            finnish_sort_key(o.organisation.name),
            o.organisation.name,
        ),
    )


def _organisations(
    doc: ProjectDoc,
    labels: Labels,
    keep: Callable[[ProjectOrganisationIn], bool] | None = None,
) -> list[OrgRow]:
    """The organisations as the reports list them (see ``ordered_organisations``);
    ``keep`` chooses some of them."""
    return [
        OrgRow(
            name=o.organisation.name,
            role=_label(labels, "organisation_role", o.role) or o.role,
            org_type=_label(labels, "organisation_type", o.organisation.org_type),
            y_tunnus=o.organisation.y_tunnus,
        )
        for o in ordered_organisations(doc, labels)
        if keep is None or keep(o)
    ]


def ordered_people(people: list[ProjectPersonIn]) -> list[ProjectPersonIn]:
    """People by role, then by name in Finnish alphabetical order. A person's role is free
    text: the roles keep the order in which the project first names them (the project
    manager the team lists first stays first), people without a role come last."""
    first_seen: dict[str, int] = {}
    for p in people:
        role = finnish_sort_key(p.role.strip())
        if role:
            first_seen.setdefault(role, len(first_seen))
    return sorted(
        people,
        key=lambda p: (
            first_seen.get(finnish_sort_key(p.role.strip()), len(first_seen)),
            finnish_sort_key(p.person.name),
            p.person.name,
        ),
    )


def _people(people: list[ProjectPersonIn]) -> list[PersonRow]:
    return [
        PersonRow(
            name=p.person.name,
            role=_t(p.role),
            organisation=p.person.organisation,
            email=p.person.email,
            phone=p.person.phone,
        )
        for p in ordered_people(people)
    ]


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


def _goal_numbers(doc: ProjectDoc) -> dict[str, str]:
    numbers: dict[str, str] = {}
    main = [g for g in doc.goals if not g.parent_key]
    for i, goal in enumerate(main, start=1):
        numbers[goal.key or f"#{i}"] = str(i)
        subs = [g for g in doc.goals if g.parent_key and g.parent_key == goal.key]
        for j, sub in enumerate(subs, start=1):
            numbers[sub.key or f"#{i}.{j}"] = f"{i}.{j}"
    return numbers


def _goals(doc: ProjectDoc) -> list[GoalRow]:
    numbers = _goal_numbers(doc)
    rows = [
        GoalRow(
            number=numbers.get(g.key or "", str(i)), title=g.title, description=_t(g.description)
        )
        for i, g in enumerate(doc.goals, start=1)
    ]
    return sorted(rows, key=lambda r: [int(x) for x in r.number.split(".")])


def _measures(doc: ProjectDoc) -> list[MeasureRow]:
    goals = _goal_numbers(doc)
    return [
        MeasureRow(
            number=str(i),
            title=m.title,
            goal=goals.get(m.goal_key) if m.goal_key else None,
            responsible=_t(m.responsible),
            start_date=m.start_date,
            end_date=m.end_date,
        )
        for i, m in enumerate(doc.measures, start=1)
    ]


def _results(doc: ProjectDoc, lang: str) -> list[ResultRow]:
    order = {"output": 0, "result": 1, "impact": 2}
    ordered = sorted(doc.results, key=lambda r: order.get(r.kind, 3))
    return [ResultRow(kind=_(RESULT_KIND_LABELS[r.kind], lang), text=r.text) for r in ordered]


def _revisions(indicator: IndicatorIn, lang: str) -> str | None:
    from ..i18n import number, pvm

    parts = [
        f"{number(r.old_target, lang) or '–'} → {number(r.new_target, lang) or '–'} "
        f"({pvm(r.revised_on, lang)}: {r.reason})"
        for r in indicator.revisions
    ]
    return "; ".join(parts) or None


def _indicator_row(
    doc: ProjectDoc,
    index: int,
    indicator: IndicatorIn,
    lang: str,
    periods: set[int] | None,
) -> IndicatorRow:
    """``periods``: the periods whose latest value is reported (None: any period)."""
    goals = _goal_numbers(doc)
    values = [v for v in indicator.values if periods is None or v.period in periods]
    latest = max(values, key=lambda v: v.period) if values else None
    return IndicatorRow(
        number=str(index),
        name=indicator.name,
        unit=_t(indicator.unit),
        goal=goals.get(indicator.goal_key) if indicator.goal_key else None,
        baseline=indicator.baseline,
        baseline_basis=_basis(indicator.baseline_basis, lang),
        target=indicator.target,
        target_date=indicator.target_date,
        value=latest.value if latest else None,
        value_basis=_basis(latest.basis, lang) if latest else None,
        value_period=latest.period if latest else None,
        direction=_(DIRECTION_LABELS[indicator.direction], lang),
        progress_percent=_progress(indicator, latest.value if latest else None),
        revisions=_revisions(indicator, lang),
        source=_t(indicator.source),
    )


def _indicators(doc: ProjectDoc, lang: str, periods: set[int] | None = None) -> list[IndicatorRow]:
    return [
        _indicator_row(doc, i, ind, lang, periods) for i, ind in enumerate(doc.indicators, start=1)
    ]


def _indicator_values(
    doc: ProjectDoc, lang: str, periods: set[int] | None = None
) -> list[IndicatorValueRow]:
    by_number = {p.number: p for p in doc.periods}
    rows = []
    for i, ind in enumerate(doc.indicators, start=1):
        for value in sorted(ind.values, key=lambda v: v.period):
            if periods is not None and value.period not in periods:
                continue
            period = by_number[value.period]
            rows.append(
                IndicatorValueRow(
                    indicator=f"{i}. {ind.name}",
                    period=value.period,
                    start_date=period.start_date,
                    end_date=period.end_date,
                    value=value.value,
                    unit=_t(ind.unit),
                    basis=_basis(value.basis, lang) or value.basis,
                    note=_t(value.note),
                )
            )
    return rows


def _in_code_order(labels: Labels, list_name: str, codes: set[str]) -> list[str]:
    order = list(labels.get(list_name, {}))
    return sorted(codes, key=lambda c: (c not in order, order.index(c) if c in order else 0, c))


def _counts_by(stats: list[Any], attribute: str, labels: Labels, lang: str) -> list[CountRow]:
    """Participants by one classification (labour-market status, education); empty when no
    row records it, the rows without it as "not known"."""
    if not any(getattr(s, attribute) for s in stats):
        return []
    counts: dict[str | None, int] = {}
    for stat in stats:
        code = getattr(stat, attribute) or None
        counts[code] = counts.get(code, 0) + stat.count
    rows = [
        CountRow(label=_label(labels, attribute, code) or code, count=counts[code])
        for code in _in_code_order(labels, attribute, {c for c in counts if c})
    ]
    if None in counts:
        rows.append(CountRow(label=_(NOT_KNOWN, lang), count=counts[None]))
    return rows


def _per_period(doc: ProjectDoc) -> list[PeriodParticipants]:
    """Each period's own participant figure (the same person may be in several)."""
    totals = finance.participants_per_period(doc)
    return [
        PeriodParticipants(
            number=p.number, start_date=p.start_date, end_date=p.end_date, total=totals[p.number]
        )
        for p in sorted(doc.periods, key=lambda p: p.number)
        if p.number in totals
    ]


def _participants(
    doc: ProjectDoc, labels: Labels, period: int | None, lang: str = "fi"
) -> Participants:
    """Participants of one period, or (``period`` None) of the whole project: its own figures
    with each person once, never the sum of the periods (which counts people twice)."""
    if period is not None:
        stats = [s for s in doc.participant_stats if s.period == period]
    else:
        stats = [s for s in doc.participant_stats if s.period is None]
    if not stats:
        return Participants(per_period=_per_period(doc) if period is None else [])
    rows = []
    for age_class in _in_code_order(labels, "age_class", {s.age_class for s in stats}):
        row = ParticipantRow(age_class=_label(labels, "age_class", age_class) or age_class)
        for stat in stats:
            if stat.age_class != age_class:
                continue
            if stat.gender == "nainen":
                row.women += stat.count
            elif stat.gender == "mies":
                row.men += stat.count
            else:
                row.other += stat.count
        row.total = row.women + row.men + row.other
        rows.append(row)
    return Participants(
        rows=rows,
        women=sum(r.women for r in rows),
        men=sum(r.men for r in rows),
        other=sum(r.other for r in rows),
        total=sum(r.total for r in rows),
        labour=_counts_by(stats, "labour_status", labels, lang),
        education=_counts_by(stats, "education", labels, lang),
        known=True,
        unique=period is None,
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


def _volunteer_periods(periods: list[PeriodIn], lang: str) -> list[VolunteerRow]:
    return [
        VolunteerRow(
            number=p.number,
            start_date=p.start_date,
            end_date=p.end_date,
            volunteers=p.volunteers,
            hours=p.volunteer_hours,
            basis=_basis(p.volunteers_basis, lang),
            feedback_methods=_t(p.feedback_methods),
        )
        for p in periods
    ]


def _period_info(period: PeriodIn) -> PeriodInfo:
    return PeriodInfo(
        number=period.number,
        start_date=period.start_date,
        end_date=period.end_date,
        done=_t(period.done),
        changes=_t(period.changes),
        deviations=_t(period.deviations),
        next_steps=_t(period.next_steps),
    )


def _attachments(doc: ProjectDoc) -> list[AttachmentRow]:
    return [
        AttachmentRow(number=i, filename=a.filename, description=_t(a.description))
        for i, a in enumerate(doc.attachments, start=1)
    ]


MAX_CHART_SERIES = 8
# Fewer points than these and the chart only repeats the table next to it.
MIN_CHART_PERIODS = 2
MIN_CHART_FUNDERS = 3


def _indicator_chart(doc: ProjectDoc, lang: str, periods: list[PeriodIn]) -> ChartSpec | None:
    """Progress from the baseline to the target (%) per period, for the first indicators that
    have a baseline, a target and values: 100 is the target whichever way it lies."""
    numbers = [p.number for p in periods]
    if len(numbers) < MIN_CHART_PERIODS:
        return None
    series = []
    for i, ind in enumerate(doc.indicators, start=1):
        progress = {v.period: _progress(ind, v.value) for v in ind.values if v.period in numbers}
        if not any(x is not None for x in progress.values()):
            continue
        series.append(
            ChartSeries(
                name=f"{i}. {ind.name[:40]}",
                values=[float(x) if (x := progress.get(n)) is not None else None for n in numbers],
            )
        )
        if len(series) == MAX_CHART_SERIES:
            break
    if not series:
        return None
    return ChartSpec(
        style="percent_lines",
        title=_("Indicators: progress from the baseline to the target, by period", lang),
        categories=[format_message("Period {number}", lang, number=n) for n in numbers],
        series=series,
        y_label=_("per cent of the way to the target", lang),
        reference_label=_("Target (100 %)", lang),
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


# --- periods and years ----------------------------------------------------------------------


def resolve_period(doc: ProjectDoc, number: int | None) -> PeriodIn | None:
    """The period asked for, the latest when none is asked, None when the project has none."""
    periods = sorted(doc.periods, key=lambda p: p.number)
    if number is None:
        return periods[-1] if periods else None
    for period in periods:
        if period.number == number:
            return period
    if not periods:
        raise ReportFailed(NO_PERIODS_AT_ALL, number=number)
    available = ", ".join(str(p.number) for p in periods)
    raise ReportFailed(NO_SUCH_PERIOD, number=number, available=available)


def resolve_year(doc: ProjectDoc, year: int | None, today: date) -> int:
    """The year asked for (checked against the project's term), else the last finished
    calendar year with data: a year still running (or to come) is never the default."""
    start, end = doc.start_date, doc.end_date
    if year is not None:
        if (start and year < start.year) or (end and year > end.year):
            raise ReportFailed(YEAR_OUTSIDE, year=year, term=date_range(start, end))
        return year
    last_finished = today.year - 1
    with_data = [y for y in map(period_year, doc.periods) if y <= last_finished]
    if with_data:
        return max(with_data)
    candidate = min(end.year, last_finished) if end else last_finished
    if start and candidate < start.year:
        raise ReportFailed(NO_FINISHED_YEAR, start=pvm(start), this_year=today.year)
    return candidate


def period_year(period: PeriodIn) -> int:
    """The one calendar year a period belongs to: the year in which most of its days fall (on
    a tie the later one). A period over New Year is so counted in one year, never in both."""
    days: dict[int, int] = {}
    for year in range(period.start_date.year, period.end_date.year + 1):
        first = max(period.start_date, date(year, 1, 1))
        last = min(period.end_date, date(year, 12, 31))
        days[year] = (last - first).days + 1
    return max(days, key=lambda y: (days[y], y))


def _periods_in_year(doc: ProjectDoc, year: int) -> list[PeriodIn]:
    return sorted((p for p in doc.periods if period_year(p) == year), key=lambda p: p.number)


# --- privacy for public reports ------------------------------------------------------------

# An e-mail address is ``local @ domain`` (``@`` also written ``(at)`` or ``[at]``), the
# local part ``[\w.+-]+`` and the domain ``[\w-]+(?:\.[\w-]+)+``, with optional spaces
# around the ``@``. One regex for all of it tries every position of a long word and scans to
# the word's end each time (quadratic: a 40 000-character word took 48 s), so the addresses
# are found from their ``@`` instead: the domain is matched forwards and the local part
# backwards (on the reversed text), each scan ending where the address ends.
EMAIL_AT_RE = re.compile(r"@|\(at\)|\[at\]", re.IGNORECASE)
_EMAIL_DOMAIN_RE = re.compile(r"\s*+[\w-]++(?:\.[\w-]++)++")
_EMAIL_LOCAL_REVERSED_RE = re.compile(r"\s*+[\w.+-]++")
# Bounded: each attempt starts only at "+" or "0" and its quantifiers have fixed limits.
PHONE_RE = re.compile(r"(?<![\w+])(?:\+\d{1,3}|0)[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d){5,10}(?!\d)")


def email_spans(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of every e-mail address in the text, left to right, not overlapping;
    in time linear in the length of the text."""
    reversed_text: str | None = None
    end_of_last = 0
    for at in EMAIL_AT_RE.finditer(text):
        if at.start() < end_of_last:
            continue
        domain = _EMAIL_DOMAIN_RE.match(text, at.end())
        if domain is None:
            continue
        if reversed_text is None:
            reversed_text = text[::-1]
        size = len(text)
        local = _EMAIL_LOCAL_REVERSED_RE.match(reversed_text, size - at.start(), size - end_of_last)
        if local is not None:
            yield size - local.end(), domain.end()
            end_of_last = domain.end()


def scrub_emails(text: str, marker: str) -> str:
    """The text with every e-mail address replaced by the marker."""
    parts: list[str] = []
    kept_from = 0
    for start, end in email_spans(text):
        parts += (text[kept_from:start], marker)
        kept_from = end
    return "".join(parts) + text[kept_from:] if parts else text


def _map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_map_strings(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _map_strings(v, fn) for k, v in value.items()}
    return value


# --- the contexts ---------------------------------------------------------------------------


# A description on the card is cut after this many characters (at a word), so that the card
# stays at two pages at most; the card says so, and the full texts stay in the registry.
CARD_SECTION_CHARS = 600


def _card_sections(doc: ProjectDoc) -> tuple[list[SectionRow], bool]:
    rows, shortened = [], False
    for section in doc.sections:
        body = _t(section.body)
        if body is None:
            continue
        if len(body) > CARD_SECTION_CHARS:
            cut = body[:CARD_SECTION_CHARS]
            space = cut.rfind(" ")
            if space > CARD_SECTION_CHARS // 2:  # a 100 000-character word is cut where it is
                cut = cut[:space]
            body = cut.rstrip(" ,.;:–-") + " …"
            shortened = True
        rows.append(SectionRow(title=section.title, body=body))
    return rows, shortened


def build_card(doc: ProjectDoc, labels: Labels, lang: str, today: date) -> CardContext:
    contacts = [p for p in doc.people if p.is_contact] or list(doc.people)
    sections, shortened = _card_sections(doc)
    return CardContext(
        lang=lang,
        generated_on=today,
        project=_project_info(doc, labels, lang),
        organisations=_organisations(doc, labels),
        funding=_funding(doc, labels),
        contacts=_people(contacts),
        goals=_goals(doc),
        measures=_measures(doc),
        results=_results(doc, lang),
        indicators=_indicators(doc, lang),
        sections=sections,
        sections_shortened=shortened,
        attachments=_attachments(doc),
        links=[LinkRow(title=x.title or x.url, url=x.url) for x in doc.links],
    )


# Where each funder's form prints the project's narrative sections (section kinds).
STARTING_POINT = ("toimintaymparisto", "lahtotilanne", "tarpeet", "kehittyminen_ennen")
IMPLEMENTATION = (
    "lyhyt_selostus",
    "perusidea",
    "ratkaisun_kuvaus",
    "toimintatavat",
    "toteutussuunnitelma",
)
ACHIEVEMENTS = ("kehittyminen_aikana", "arvioinnin_tulokset", "arviointi")
EMBEDDING = ("juurruttaminen", "jatkuvuus", "ehdot")
HORIZONTAL = ("tasa_arvo", "yhdenvertaisuus", "kestava_kehitys")

MISSING_STEA_RECIPIENT = N_(
    "The STEA grant recipient cannot be told from the registry: mark the implementing "
    "association or foundation (organisation type) of the project"
)
REMOVED_FROM_PUBLIC = {
    "name": N_("Removed from the public report, a name: {text}"),
    "contact": N_("Removed from the public report, contact details: {text}"),
    "identity_code": N_("Removed from the public report, a personal identity code: {text}"),
    "link": N_("Removed from the public report, a link: {text}"),
    "attachment": N_("Removed from the public report, an attachment: {text}"),
}


def _esr_contacts(doc: ProjectDoc) -> list[PersonRow]:
    """The contact persons the ESR forms ask for (only those marked as contacts)."""
    return _people([p for p in doc.people if p.is_contact])


def _esr_project(doc: ProjectDoc, labels: Labels, lang: str) -> ProjectInfo:
    """The basic data of the ESR forms. What the project does not say itself comes from its
    ESR funding: the grant decision (number and date), and the responsible authority, which is
    the authority that granted the ESR funding (the ELY-keskus, "Hankkeen rahoittaja")."""
    info = _project_info(doc, labels, lang)
    esr = [f for f in doc.funding if f.funder_code == "ESR"]
    if info.decision_number is None:
        for f in esr:
            if _t(f.decision_number):
                when = f", {pvm(f.decision_date, lang)}" if f.decision_date else ""
                info.decision_number = f"{_t(f.decision_number)}{when}"
                break
    if info.responsible_authority is None and esr:
        info.responsible_authority = _t(esr[0].funder.name)
    info.grant_start, info.grant_end = grant_period(esr)
    return info


def grant_period(rows: list[FundingIn]) -> tuple[date | None, date | None]:
    """The period of use of a funder's grant: of its first funding row that has one (None,
    None: no row has one, and the report prints the project's term as the term)."""
    for f in rows:
        if f.period_start or f.period_end:
            return f.period_start, f.period_end
    return None, None


def build_esr_period(
    doc: ProjectDoc, labels: Labels, lang: str, today: date, period_number: int | None
) -> EsrPeriodContext:
    period = resolve_period(doc, period_number)
    if period is None:  # no periods: the whole term, clearly marked as such
        info = PeriodInfo(
            number=0,
            start_date=doc.start_date or today,
            end_date=doc.end_date or today,
        )
        numbers: set[int] = set()
        chart_periods: list[PeriodIn] = []
    else:
        info = _period_info(period)
        numbers = {period.number}
        chart_periods = [p for p in doc.periods if p.number <= period.number]
    indicators = _indicators(doc, lang, numbers)
    implementation = (*IMPLEMENTATION, "yhteistyo")
    placed = (
        *STARTING_POINT,
        "kohderyhma",
        *implementation,
        *ACHIEVEMENTS,
        *HORIZONTAL,
        "viestinta",
    )
    return EsrPeriodContext(
        lang=lang,
        generated_on=today,
        project=_esr_project(doc, labels, lang),
        period=info,
        period_count=len(doc.periods),
        whole_term=period is None,
        organisations=_organisations(doc, labels),
        contacts=_esr_contacts(doc),
        funding=_funding(doc, labels),
        goals=_goals(doc),
        starting_point=_narratives(doc, STARTING_POINT),
        target_group=_section(doc, "kohderyhma"),
        implementation=_narratives(doc, implementation),
        measures=_measures(doc),
        achievements=_narratives(doc, ACHIEVEMENTS),
        indicators=indicators,
        participants=_participants(doc, labels, info.number, lang) if period else Participants(),
        budget=_budget(doc, labels, "esr", period.number if period else None),
        equality=_section(doc, "tasa_arvo"),
        non_discrimination=_section(doc, "yhdenvertaisuus"),
        sustainability=_section(doc, "kestava_kehitys"),
        communication=_section(doc, "viestinta"),
        other_sections=_other_narratives(doc, placed),
        indicator_chart=_indicator_chart(doc, lang, sorted(chart_periods, key=lambda p: p.number)),
        funding_chart=_funding_chart(doc, lang),
        attachments=_attachments(doc),
    )


def build_esr_final(doc: ProjectDoc, labels: Labels, lang: str, today: date) -> EsrFinalContext:
    periods = sorted(doc.periods, key=lambda p: p.number)
    deviations = [
        f"{format_message('Period {number}', lang, number=p.number)}: {p.deviations.strip()}"
        for p in periods
        if p.deviations.strip()
    ]
    problems = "\n\n".join(filter(None, [_section(doc, "ongelmat"), *deviations])) or None
    continuation = _section(doc, *EMBEDDING) or (_t(periods[-1].next_steps) if periods else None)
    implementation = (*IMPLEMENTATION, "yhteistyo")
    placed = (
        *STARTING_POINT,
        "kohderyhma",
        *implementation,
        *ACHIEVEMENTS,
        *HORIZONTAL,
        "ongelmat",
        *EMBEDDING,
        "kehittamisehdotukset",
        "vinkit",
        "viestinta",
    )
    return EsrFinalContext(
        lang=lang,
        generated_on=today,
        project=_esr_project(doc, labels, lang),
        organisations=_organisations(doc, labels),
        contacts=_esr_contacts(doc),
        funding=_funding(doc, labels),
        starting_point=_section(doc, *STARTING_POINT),
        starting_points=_narratives(doc, STARTING_POINT),
        target_group=_section(doc, "kohderyhma"),
        goals=_goals(doc),
        implementation=_narratives(doc, implementation),
        measures=_measures(doc),
        periods=[_period_info(p) for p in periods],
        achievements=_narratives(doc, ACHIEVEMENTS),
        results=_results(doc, lang),
        indicators=_indicators(doc, lang),
        indicator_values=_indicator_values(doc, lang),
        participants=_participants(doc, labels, None, lang),
        budget=_budget(doc, labels, "esr"),
        equality=_section(doc, "tasa_arvo"),
        non_discrimination=_section(doc, "yhdenvertaisuus"),
        sustainability=_section(doc, "kestava_kehitys"),
        problems=problems,
        continuation=continuation,
        proposals=_section(doc, "kehittamisehdotukset", "vinkit"),
        communication=_section(doc, "viestinta"),
        other_sections=_other_narratives(doc, placed),
        indicator_chart=_indicator_chart(doc, lang, periods),
        funding_chart=_funding_chart(doc, lang),
        attachments=_attachments(doc),
    )


# STEA grants go to non-profit associations and foundations only (not to municipalities).
STEA_ELIGIBLE_TYPES = {"jarjesto", None}
IMPLEMENTER_ROLES = ("paatoteuttaja", "osatoteuttaja")


def stea_recipient(doc: ProjectDoc) -> str | None:
    """The organisation that receives the STEA grant, when the registry can tell: the one
    implementing association or foundation (the lead one first); None when it cannot."""
    implementers = [o for o in doc.organisations if o.role in IMPLEMENTER_ROLES]
    eligible = [o for o in implementers if o.organisation.org_type in STEA_ELIGIBLE_TYPES]
    typed = [o for o in eligible if o.organisation.org_type == "jarjesto"] or eligible
    chosen = [o for o in typed if o.role == "paatoteuttaja"] or typed
    names = {o.organisation.name for o in chosen}
    return names.pop() if len(names) == 1 else None


def _y_tunnus_of(doc: ProjectDoc, name: str | None) -> str | None:
    """The Y-tunnus the registry holds for the organisation of this name (None: none)."""
    codes = {
        o.organisation.y_tunnus
        for o in doc.organisations
        if name and o.organisation.name == name and o.organisation.y_tunnus
    }
    return codes.pop() if len(codes) == 1 else None


def _stea_context(
    doc: ProjectDoc, labels: Labels, lang: str, today: date, year: int | None
) -> SteaContext:
    the_year = resolve_year(doc, year, today)
    periods = _periods_in_year(doc, the_year)
    numbers = {p.number for p in periods}
    stea = next((f for f in doc.funding if f.funder_code == "STEA"), None)
    recipient = stea_recipient(doc)
    activity = (*STARTING_POINT, *IMPLEMENTATION)
    embedding = ("jatkuvuus", "ehdot", "vinkit")  # juurruttaminen has its own field
    placed = (
        "juurruttaminen",
        *activity,
        *ACHIEVEMENTS,
        "kohderyhma",
        "palaute",
        "yhteistyo",
        "vapaaehtoiset",
        *embedding,
    )
    return SteaContext(
        lang=lang,
        generated_on=today,
        year=the_year,
        project=SteaProjectInfo(
            name=doc.name,
            short_name=_t(doc.short_name),
            organisation=recipient,
            y_tunnus=_y_tunnus_of(doc, recipient),
            decision_number=(stea.decision_number if stea else None) or _t(doc.decision_number),
            decision_date=stea.decision_date if stea else None,
            grant_start=stea.period_start if stea else None,
            grant_end=stea.period_end if stea else None,
            start_date=doc.start_date,
            end_date=doc.end_date,
            region=_label(labels, "region", doc.region),
            summary=_t(doc.summary),
        ),
        activity=_narratives(doc, activity),
        year_activity=[
            info
            for info in map(_period_info, periods)
            if info.done or info.changes or info.deviations or info.next_steps
        ],
        goals=_goals(doc),
        achievements=_narratives(doc, ACHIEVEMENTS),
        indicators=_indicators(doc, lang, numbers),
        indicator_values=_indicator_values(doc, lang, numbers),
        results=_results(doc, lang),
        target_group=_section(doc, "kohderyhma"),
        feedback=_section(doc, "palaute"),
        partners=_organisations(
            doc,
            labels,
            keep=lambda o: o.role != "rahoittaja" and o.organisation.name != recipient,
        ),
        cooperation=_section(doc, "yhteistyo"),
        volunteers=_section(doc, "vapaaehtoiset"),
        volunteer_periods=_volunteer_periods(periods, lang),
        embedding=_section(doc, "juurruttaminen"),
        embedding_sections=_narratives(doc, embedding),
        other_sections=_other_narratives(doc, placed),
        indicator_chart=_indicator_chart(doc, lang, periods),
    )


def _stea_scrubbed(
    doc: ProjectDoc, labels: Labels, lang: str, today: date, year: int | None
) -> tuple[SteaContext, list[Removal]]:
    from .privacy import Scrubber  # privacy uses the e-mail and phone finders of this module

    scrubber = Scrubber(
        lang,
        people=[p.person.name for p in doc.people],
        attachments=[a.filename for a in doc.attachments],
    )
    context = _stea_context(doc, labels, lang, today, year)
    data = _map_strings(context.model_dump(exclude={"lang"}), scrubber.scrub)
    data["lang"] = context.lang
    # An organisation's business ID is public, and "0201256-6" would pass for a phone number.
    data["project"]["y_tunnus"] = context.project.y_tunnus
    data["privacy_checked"] = True
    return SteaContext.model_validate(data), scrubber.removed


def build_stea(
    doc: ProjectDoc, labels: Labels, lang: str, today: date, year: int | None
) -> SteaContext:
    """The public STEA report: every text scrubbed of personal data (see ``privacy``)."""
    return _stea_scrubbed(doc, labels, lang, today, year)[0]


def stea_removals(
    doc: ProjectDoc, labels: Labels, lang: str, today: date, year: int | None
) -> list[Problem]:
    """What the scrub removes from the public STEA report, for the person making it (the
    report itself never shows it). Identity codes are shown without their personal part."""
    problems = []
    seen: set[tuple[str, str]] = set()
    for removal in _stea_scrubbed(doc, labels, lang, today, year)[1]:
        text = removal.text
        if removal.kind == "identity_code":
            text = text[:7] + "****"
        if (removal.kind, text) in seen:
            continue
        seen.add((removal.kind, text))
        problems.append(
            Problem(
                field="privacy", message=REMOVED_FROM_PUBLIC[removal.kind], params={"text": text}
            )
        )
    return problems


def build_stm(doc: ProjectDoc, labels: Labels, lang: str, today: date) -> StmContext:
    funding = _funding(doc, labels)
    grant_index = next((i for i, f in enumerate(doc.funding) if f.funder_code == "STM"), None)
    organisations = _organisations(doc, labels)
    leads = {o.organisation.name for o in doc.organisations if o.role == "paatoteuttaja"}
    periods = sorted(doc.periods, key=lambda p: p.number)
    implementation = (*IMPLEMENTATION, "yhteistyo")
    embedding = ("jatkuvuus", "ehdot", "vinkit")  # juurruttaminen has its own field
    placed = (*STARTING_POINT, *implementation, *ACHIEVEMENTS, "juurruttaminen", *embedding)
    return StmContext(
        lang=lang,
        generated_on=today,
        project=_project_info(doc, labels, lang),
        grant=funding.rows[grant_index] if grant_index is not None else None,
        recipients=[o for o in organisations if o.name in leads],
        organisations=organisations,
        funding=funding,
        starting_point=_narratives(doc, STARTING_POINT),
        goals=_goals(doc),
        implementation=_narratives(doc, implementation),
        measures=_measures(doc),
        periods=[_period_info(p) for p in periods],
        achievements=_narratives(doc, ACHIEVEMENTS),
        results=_results(doc, lang),
        indicators=_indicators(doc, lang),
        embedding=_section(doc, "juurruttaminen"),
        embedding_sections=_narratives(doc, embedding),
        other_sections=_other_narratives(doc, placed),
        indicator_chart=_indicator_chart(doc, lang, periods),
        funding_chart=_funding_chart(doc, lang),
        budget=_budget(doc, labels, "stm"),
        attachments=_attachments(doc),
    )


def _input(
    doc: ProjectDoc,
    *,
    labels: Labels,
    lang: str,
    today: date,
    period: int | None,
    year: int | None,
) -> ReportInput:
    return ReportInput(
        lang=normalise_language(lang),
        today=today,
        project=doc,
        labels=labels,
        period=period,
        year=year,
    )


def _project_kind(kind: str) -> ReportKind:
    from . import kinds  # the kinds build with the functions of this module

    found = kinds.get(kind)
    if found.scope == "assessment":  # made of an assessment, not of a project document
        raise ReportFailed(UNKNOWN_KIND, kind=kind)
    return found


def build_context(
    kind: str,
    doc: ProjectDoc,
    labels: Labels,
    lang: str,
    today: date,
    *,
    period: int | None = None,
    year: int | None = None,
) -> _ReportContext:
    """The context of a report of one project (see ``evaus.reports.kinds``)."""
    return _project_kind(kind).build(
        _input(doc, labels=labels, lang=lang, today=today, period=period, year=year)
    )


def missing_data(
    kind: str,
    doc: ProjectDoc,
    period: int | None = None,
    *,
    year: int | None = None,
    labels: Labels | None = None,
    today: date | None = None,
) -> list[Problem]:
    """What the report of this kind would show as 'Ei tietoa', as warnings (message ids).

    Raises ``ReportFailed`` when the report cannot be made at all (an unknown period or year).
    """
    when = today or datetime.now(HELSINKI).date()
    return _project_kind(kind).missing(
        _input(doc, labels=labels or {}, lang="fi", today=when, period=period, year=year)
    )
