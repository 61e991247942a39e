"""Salkkuraportti / portföljrapport: the roll-up of a selection of projects for a board or a
committee (lautakunta), as a Word document and as a workbook of the same figures.

Unlike the other kinds it is made of many projects — a selection (portfolio, funder, region,
municipality, theme or chosen projects) and a period — not of one project, so it is never
offered among a project's reports (``kinds.all_kinds()`` leaves it out; ``kinds.get``
finds it). The service (``evaus.services.portfolio``) reads the roll-up
(``project_db.rollups``) and the labels into a ``PortfolioInput``; ``build_portfolio`` makes
the context the template ``portfolio_<lang>.docx`` prints, and ``portfolio_workbook`` the
XLSX of the same context (text cells neutralised like every export).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from project_db.errors import N_, Problem
from project_db.rollups import (
    BASES,
    Figures,
    FigureStats,
    IndicatorFigure,
    IndicatorFigures,
    MoneyRow,
    ProjectLine,
)
from project_db.schemas import BASIS_LABELS, SCHEME_LABELS

from ... import i18n
from ..contexts import ChartSeries, ChartSpec, _Ctx, _ReportContext
from ..errors import ReportFailed
from .base import Labels, ReportInput, ReportKind

NEEDS_SELECTION = N_("A portfolio report is made of a selection of projects, not of one project.")
NO_STATUS = N_("No status")
NOT_RECORDED = N_("Not recorded")
MIN_CHART_CATEGORIES = 2  # one category: the chart would only repeat the table
CHART_CATEGORIES = 3  # the largest categories drawn; the others as one bar (labels fit)
DOCX_PROJECTS = 300  # projects listed in the document at most (the workbook lists more)
XLSX_PROJECTS = 20_000
GENDERS = ("nainen", "mies", "muu")

TRACK_LABELS = {
    "on_track": N_("on track"),
    "behind": N_("behind"),
    "ahead": N_("ahead"),
    "unknown": N_("cannot be assessed"),
}


# --- the context -------------------------------------------------------------------------------


class SelectionLine(_Ctx):
    label: str
    value: str


class StatusRow(_Ctx):
    label: str
    count: int
    percent: Decimal | None = None


class MoneyLine(_Ctx):
    """One cost category (or a total): planned, used (cumulative), share used, used in the
    period, and its share of the planned costs."""

    category: str
    scheme: str = ""
    planned: Decimal | None = None
    used: Decimal
    used_percent: Decimal | None = None
    used_in_range: Decimal
    share_percent: Decimal | None = None


class AgeRow(_Ctx):
    age_class: str
    women: int
    men: int
    other: int
    total: int


class CountRow(_Ctx):
    label: str
    count: int


class PortfolioParticipants(_Ctx):
    known: bool
    projects: int
    total: int
    women: int
    men: int
    other: int
    rows: list[AgeRow]
    labour: list[CountRow]
    education: list[CountRow]
    in_range: int
    in_range_projects: int


class FigureCell(_Ctx):
    count: int
    total: Decimal | None = None
    minimum: Decimal | None = None
    median: Decimal | None = None
    maximum: Decimal | None = None


class PortfolioIndicatorRow(_Ctx):
    """One catalogue entry's indicators: the figures as numbers (the workbook) and as text
    (the document: a sum, or the median with the range)."""

    name: str
    unit: str
    additive: bool
    projects: int
    indicators: int
    baseline: FigureCell
    target: FigureCell
    actual: FigureCell
    baseline_text: str
    target_text: str
    actual_text: str
    basis_text: str
    baseline_basis: dict[str, int]
    actual_basis: dict[str, int]
    on_track: int
    behind: int
    ahead: int
    unknown: int
    progress_text: str


class FreeIndicatorRow(_Ctx):
    name: str
    unit: str | None = None
    projects: int
    indicators: int


class PortfolioProjectRow(_Ctx):
    name: str
    status: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    budget_amount: Decimal | None = None
    planned: Decimal | None = None
    used: Decimal | None = None


class PortfolioContext(_ReportContext):
    """Salkkuraportti: a selection of projects over a period, for a board or a committee."""

    title: str  # what the selection is ("Hyvinvointisalkku 2014-2020", "ESR, Uusimaa")
    selection: list[SelectionLine]
    period_start: date | None = None
    period_end: date | None = None
    project_count: int
    budget_total: Decimal | None = None
    budget_projects: int
    statuses: list[StatusRow]
    money_known: bool
    money: list[MoneyLine]
    cost_total: MoneyLine
    income: MoneyLine | None = None
    net: MoneyLine
    money_chart: ChartSpec | None = None
    participants: PortfolioParticipants
    indicators: list[PortfolioIndicatorRow]
    free_indicators: list[FreeIndicatorRow]
    free_names: int
    free_indicator_count: int
    # The linked indicators' progress added up (the title page's summary).
    on_track: int = 0
    behind: int = 0
    ahead: int = 0
    unknown: int = 0
    projects: list[PortfolioProjectRow]
    projects_total: int


@dataclass(frozen=True)
class PortfolioInput:
    """What the service read for one portfolio report (no session here)."""

    lang: str
    today: date
    title: str
    selection_lines: Sequence[tuple[str, str]]
    start: date | None
    end: date | None
    figures: Figures
    indicators: IndicatorFigures
    projects: Sequence[ProjectLine]
    labels: Labels


# --- building it -----------------------------------------------------------------------------


def _percent(part: Decimal | int, whole: Decimal | int | None) -> Decimal | None:
    if whole is None or whole == 0:
        return None
    return (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.1"))


def _label(labels: Labels, list_name: str, code: str | None, lang: str) -> str:
    if code is None or code == "":
        return i18n._(NOT_RECORDED, lang)
    return labels.get(list_name, {}).get(code, code)


def _money_line(category: str, scheme: str, row: MoneyRow, costs: Decimal | None) -> MoneyLine:
    return MoneyLine(
        category=category,
        scheme=scheme,
        planned=row.planned,
        used=row.used,
        used_percent=_percent(row.used, row.planned),
        used_in_range=row.used_in_range,
        share_percent=_percent(row.planned, costs) if row.planned is not None else None,
    )


def _money(source: PortfolioInput) -> dict[str, Any]:
    lang, figures = source.lang, source.figures
    totals = figures.totals
    costs = [r for r in figures.money if not r.is_income]
    income = [r for r in figures.money if r.is_income]
    planned_costs = totals.planned_costs if any(r.planned is not None for r in costs) else None

    def category(row: MoneyRow) -> str:
        list_name = f"cost_category_{row.scheme}"
        return source.labels.get(list_name, {}).get(row.category, row.category)

    lines = [
        _money_line(category(r), SCHEME_LABELS.get(r.scheme, r.scheme), r, planned_costs)
        for r in sorted(costs, key=lambda r: (-(r.planned or 0), r.scheme, r.category))
    ]
    planned_income = totals.planned_income if any(r.planned is not None for r in income) else None
    income_line = None
    if income:
        income_line = MoneyLine(
            category=category(income[0]),
            planned=planned_income,
            used=totals.used_income,
            used_percent=_percent(totals.used_income, planned_income),
            used_in_range=totals.used_income_in_range,
        )
    known_plan = planned_costs is not None or planned_income is not None
    net_planned = totals.planned_net if known_plan else None
    chart = None
    if len(lines) >= MIN_CHART_CATEGORIES:
        shown = lines[:CHART_CATEGORIES]
        rest = lines[CHART_CATEGORIES:]
        zero = Decimal(0)
        categories = [f"{line.category} ({line.scheme})" for line in shown]
        planned = [float(line.planned) if line.planned else None for line in shown]
        spent = [float(line.used) for line in shown]
        if rest:
            categories.append(i18n._(N_("Other categories"), lang))
            planned.append(float(sum((line.planned or zero for line in rest), zero)))
            spent.append(float(sum((line.used for line in rest), zero)))
        chart = ChartSpec(
            style="bars",
            title=i18n._(N_("Planned and used by cost category (€)"), lang),
            categories=categories,
            series=[
                ChartSeries(name=i18n._(N_("Planned"), lang), values=planned),
                ChartSeries(name=i18n._(N_("Used"), lang), values=spent),
            ],
            y_label="€",
        )
    return {
        "money_known": bool(figures.money),
        "money": lines,
        "cost_total": MoneyLine(
            category="",
            planned=planned_costs,
            used=totals.used_costs,
            used_percent=_percent(totals.used_costs, planned_costs),
            used_in_range=totals.used_costs_in_range,
            share_percent=Decimal("100.0") if planned_costs else None,
        ),
        "income": income_line,
        "net": MoneyLine(
            category="",
            planned=net_planned,
            used=totals.used_net,
            used_percent=_percent(totals.used_net, net_planned),
            used_in_range=totals.used_net_in_range,
        ),
        "money_chart": chart,
    }


def _participants(source: PortfolioInput) -> PortfolioParticipants:
    figures, lang, labels = source.figures.participants, source.lang, source.labels
    if figures is None:
        raise ReportFailed(NEEDS_SELECTION)  # the service always reads them for a report
    ages: dict[str, dict[str, int]] = {}
    for group in figures.groups:
        row = ages.setdefault(group.age_class, dict.fromkeys(GENDERS, 0))
        gender = group.gender if group.gender in GENDERS else "muu"
        row[gender] += group.count
    order = list(labels.get("age_class", {}))
    rows = [
        AgeRow(
            age_class=_label(labels, "age_class", age, lang),
            women=counts["nainen"],
            men=counts["mies"],
            other=counts["muu"],
            total=sum(counts.values()),
        )
        for age, counts in sorted(
            ages.items(),
            key=lambda item: (order.index(item[0]) if item[0] in order else 99, item[0]),
        )
    ]

    def counted(field: Any, list_name: str) -> list[CountRow]:
        found = figures.by(field)
        known = list(labels.get(list_name, {}))
        codes = sorted(
            found, key=lambda c: (c is None, known.index(c) if c in known else 99, c or "")
        )
        if codes == [None]:
            return []  # nothing recorded by this grouping
        return [CountRow(label=_label(labels, list_name, c, lang), count=found[c]) for c in codes]

    return PortfolioParticipants(
        known=figures.projects > 0,
        projects=figures.projects,
        total=figures.total,
        women=sum(r.women for r in rows),
        men=sum(r.men for r in rows),
        other=sum(r.other for r in rows),
        rows=rows,
        labour=counted("labour_status", "labour_status"),
        education=counted("education", "education"),
        in_range=figures.in_range,
        in_range_projects=figures.in_range_projects,
    )


def _number(value: Decimal | None, unit: str, lang: str) -> str:
    if value is None:
        return "–"
    text = i18n.number(value.normalize() if value == value.to_integral() else value, lang)
    return f"{text}\u00a0{unit}" if unit else text


def _figure_text(stats: FigureStats, row: IndicatorFigure, lang: str) -> str:
    """A sum for an additive unit, else the median with the range; how many of the
    indicators have the figure when not all do."""
    if stats.count == 0 or row.measure_type != "quantitative":
        return "–"
    unit = row.unit
    if row.additive:
        text = i18n.format_message(
            N_("total {value}"), lang, value=_number(stats.total, unit, lang)
        )
    elif stats.count == 1 or stats.minimum == stats.maximum:
        text = _number(stats.median, unit, lang)
    else:
        text = i18n.format_message(
            N_("median {median} ({minimum}–{maximum})"),
            lang,
            median=_number(stats.median, unit, lang),
            minimum=_number(stats.minimum, "", lang),
            maximum=_number(stats.maximum, "", lang),
        )
    if stats.count < row.indicators:
        text += "\n" + i18n.format_message(
            N_("{count} of {total} indicators"), lang, count=stats.count, total=row.indicators
        )
    return text


def _basis_text(counts: Mapping[str, int], lang: str) -> str:
    parts = [
        f"{i18n._(BASIS_LABELS[basis], lang)} {counts[basis]}" for basis in BASES if counts[basis]
    ]
    return "\n".join(parts) if parts else "–"


def _progress_text(tracks: Mapping[str, int], lang: str) -> str:
    parts = [f"{i18n._(TRACK_LABELS[t], lang)} {tracks[t]}" for t in TRACK_LABELS if tracks[t]]
    return "\n".join(parts) if parts else "–"


def _cell(stats: FigureStats) -> FigureCell:
    return FigureCell.model_validate(stats.model_dump())


def _indicators(source: PortfolioInput) -> list[PortfolioIndicatorRow]:
    lang = source.lang
    return [
        PortfolioIndicatorRow(
            name=row.name_in(lang),
            unit=row.unit,
            additive=row.additive,
            projects=row.projects,
            indicators=row.indicators,
            baseline=_cell(row.baseline),
            target=_cell(row.target),
            actual=_cell(row.actual),
            baseline_text=_figure_text(row.baseline, row, lang),
            target_text=_figure_text(row.target, row, lang),
            actual_text=_figure_text(row.actual, row, lang),
            basis_text=_basis_text(row.actual_basis, lang),
            baseline_basis=row.baseline_basis,
            actual_basis=row.actual_basis,
            on_track=row.tracks["on_track"],
            behind=row.tracks["behind"],
            ahead=row.tracks["ahead"],
            unknown=row.tracks["unknown"],
            progress_text=_progress_text(row.tracks, lang),
        )
        for row in source.indicators.linked
    ]


def build_portfolio(
    source: PortfolioInput, *, project_limit: int = DOCX_PROJECTS
) -> PortfolioContext:
    """The portfolio report's context (``project_limit``: projects listed at most)."""
    lang, figures, labels = source.lang, source.figures, source.labels
    statuses = [
        StatusRow(
            label=_label(labels, "status", s.code, lang)
            if s.code is not None
            else i18n._(NO_STATUS, lang),
            count=s.count,
            percent=_percent(s.count, figures.projects),
        )
        for s in figures.by_status
    ]
    projects = [
        PortfolioProjectRow(
            name=p.name,
            status=labels.get("status", {}).get(p.status, p.status) if p.status else None,
            start_date=p.start_date,
            end_date=p.end_date,
            budget_amount=p.budget_amount,
            planned=p.planned,
            used=p.used,
        )
        for p in source.projects[:project_limit]
    ]
    linked = source.indicators.linked
    tracks = {track: sum(row.tracks[track] for row in linked) for track in TRACK_LABELS}
    return PortfolioContext(
        lang=lang,
        generated_on=source.today,
        title=source.title,
        selection=[SelectionLine(label=k, value=v) for k, v in source.selection_lines],
        period_start=source.start,
        period_end=source.end,
        project_count=figures.projects,
        budget_total=figures.budget_total,
        budget_projects=figures.budget_projects,
        statuses=statuses,
        participants=_participants(source),
        indicators=_indicators(source),
        free_indicators=[
            FreeIndicatorRow(name=f.name, unit=f.unit, projects=f.projects, indicators=f.indicators)
            for f in source.indicators.free
        ],
        free_names=source.indicators.free_names,
        free_indicator_count=source.indicators.free_indicators,
        on_track=tracks["on_track"],
        behind=tracks["behind"],
        ahead=tracks["ahead"],
        unknown=tracks["unknown"],
        projects=projects,
        projects_total=figures.projects,
        **_money(source),
    )


# --- file names and document properties ----------------------------------------------------------


def _ascii(text: str, limit: int) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-")[:limit]


# --- the workbook --------------------------------------------------------------------------------

_MONEY_FORMAT = '#,##0.00 "€"'
_DATE_FORMAT = "d.m.yyyy"


def _sheet_rows(context: PortfolioContext) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(sheet title, headers, rows) of the workbook, in the report's language."""
    lang = context.lang

    def t(message: str) -> str:
        return i18n._(message, lang)

    period = i18n.date_range(context.period_start, context.period_end, lang) or "–"
    summary: list[list[Any]] = [[line.label, line.value] for line in context.selection]
    summary += [
        [t(N_("Period")), period],
        [t(N_("Projects")), context.project_count],
        [t(N_("Projects' own budgets in total")), context.budget_total],
        [t(N_("Made on")), context.generated_on],
    ]
    money = [
        [m.category, m.scheme, m.planned, m.used, m.used_percent, m.used_in_range, m.share_percent]
        for m in context.money
    ]
    money.append(
        [
            t(N_("Costs in total")),
            "",
            context.cost_total.planned,
            context.cost_total.used,
            context.cost_total.used_percent,
            context.cost_total.used_in_range,
            context.cost_total.share_percent,
        ]
    )
    if context.income is not None:
        income = context.income
        money.append(
            [
                income.category + " " + t(N_("(subtracted)")),
                "",
                income.planned,
                income.used,
                income.used_percent,
                income.used_in_range,
                None,
            ]
        )
    net = context.net
    money.append(
        [t(N_("Net costs")), "", net.planned, net.used, net.used_percent, net.used_in_range, None]
    )
    people = context.participants
    participants: list[list[Any]] = [
        [r.age_class, r.women, r.men, r.other, r.total] for r in people.rows
    ]
    participants.append([t(N_("Total")), people.women, people.men, people.other, people.total])
    for heading, rows in (
        (t(N_("Labour-market status")), people.labour),
        (t(N_("Education")), people.education),
    ):
        if rows:
            participants += [[], [heading]]
            participants += [[row.label, None, None, None, row.count] for row in rows]
    if people.in_range_projects:
        participants += [
            [],
            [
                t(N_("Participants in the periods that started within the period")),
                None,
                None,
                None,
                people.in_range,
            ],
        ]
    indicators = []
    for row in context.indicators:
        cells: list[Any] = [row.name, row.unit, row.projects, row.indicators]
        for figure in (row.baseline, row.target, row.actual):
            cells += [figure.count, figure.total, figure.minimum, figure.median, figure.maximum]
        cells += [row.actual_basis.get(b, 0) for b in BASES]
        cells += [row.on_track, row.behind, row.ahead, row.unknown]
        indicators.append(cells)
    parts = [
        t(N_("indicators with the figure")),
        t(N_("total")),
        t(N_("minimum")),
        t(N_("median")),
        t(N_("maximum")),
    ]
    figures = (t(N_("Baseline")), t(N_("Target")), t(N_("Latest actual")))
    figure_headers = [f"{name}: {part}" for name in figures for part in parts]
    latest = t(N_("Latest actual"))
    return [
        (t(N_("Selection")), [t(N_("Item")), t(N_("Value"))], summary),
        (
            t(N_("Statuses")),
            [t(N_("Status")), t(N_("Projects")), "%"],
            [[s.label, s.count, s.percent] for s in context.statuses],
        ),
        (
            t(N_("Money")),
            [
                t(N_("Cost category")),
                t(N_("Cost scheme")),
                t(N_("Planned")),
                t(N_("Used")),
                t(N_("Used %")),
                t(N_("Used in the period")),
                t(N_("Share of planned costs %")),
            ],
            money,
        ),
        (
            t(N_("Participants")),
            [
                t(N_("Group")),
                t(N_("Women")),
                t(N_("Men")),
                t(N_("Other or unknown")),
                t(N_("Total")),
            ],
            participants,
        ),
        (
            t(N_("Indicators")),
            [t(N_("Indicator")), t(N_("Unit")), t(N_("Projects")), t(N_("Indicators"))]
            + figure_headers
            + [f"{latest}: {i18n._(BASIS_LABELS[b], lang)}" for b in BASES]
            + [i18n._(TRACK_LABELS[k], lang) for k in TRACK_LABELS],
            indicators,
        ),
        (
            t(N_("Other indicators")),
            [t(N_("Indicator")), t(N_("Unit")), t(N_("Projects")), t(N_("Indicators"))],
            [[f.name, f.unit, f.projects, f.indicators] for f in context.free_indicators],
        ),
        (
            t(N_("Projects")),
            [
                t(N_("Project")),
                t(N_("Status")),
                t(N_("Start date")),
                t(N_("End date")),
                t(N_("Budget")),
                t(N_("Planned costs")),
                t(N_("Used costs")),
            ],
            [
                [p.name, p.status, p.start_date, p.end_date, p.budget_amount, p.planned, p.used]
                for p in context.projects
            ],
        ),
    ]


_MONEY_HEADERS = frozenset(
    {
        N_("Planned"),
        N_("Used"),
        N_("Used in the period"),
        N_("Budget"),
        N_("Planned costs"),
        N_("Used costs"),
    }
)


def portfolio_workbook(context: PortfolioContext) -> bytes:
    """The roll-up as an XLSX workbook: one sheet per part, numbers as numbers, dates as
    dates, and every text cell that a spreadsheet would run as a formula neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from project_db.tabular import neutralise_cell

    money_headers = {i18n._(h, context.lang) for h in _MONEY_HEADERS}
    workbook = Workbook()
    for blank in list(workbook.worksheets):
        workbook.remove(blank)
    for title, headers, rows in _sheet_rows(context):
        sheet = workbook.create_sheet(_sheet_title(title))
        sheet.append([neutralise_cell(h) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([neutralise_cell(v) if isinstance(v, str) else v for v in row])
        for column, header in enumerate(headers, start=1):
            if header in money_headers:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                    cell.number_format = _MONEY_FORMAT
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = _DATE_FORMAT
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    """A sheet title Excel accepts (≤ 31 characters, none of []:*?/\\)."""
    return re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "-"


# --- the kind ----------------------------------------------------------------------------------


class Portfolio(ReportKind):
    """The portfolio report. It has no project scope: the service builds it from a roll-up
    (``build_portfolio``), so ``build``/``missing`` of a project input refuse or say nothing."""

    name = "portfolio"
    label = N_("Portfolio report")
    context_model = PortfolioContext
    file_words: ClassVar[Mapping[str, str]] = {
        "fi": "salkkuraportti",
        "sv": "portfoljrapport",
        "en": "portfolio-report",
    }
    order = 90

    def build(self, source: ReportInput) -> PortfolioContext:
        raise ReportFailed(NEEDS_SELECTION)

    def missing(self, source: ReportInput) -> list[Problem]:
        return []

    def portfolio_file_name(
        self, title: str, lang: str, start: date | None, end: date | None, suffix: str
    ) -> str:
        """Hyvinvointisalkku-2014-2020-salkkuraportti-2026-01-01-2026-12-31.docx."""
        word = self.file_words.get(lang) or self.file_words["fi"]
        parts = [_ascii(title, 50) or "salkku", word]
        parts += [d.isoformat() for d in (start, end) if d is not None]
        return "-".join(parts) + suffix


KIND = Portfolio()

__all__ = [
    "DOCX_PROJECTS",
    "KIND",
    "XLSX_PROJECTS",
    "Portfolio",
    "PortfolioContext",
    "PortfolioInput",
    "build_portfolio",
    "portfolio_workbook",
]
