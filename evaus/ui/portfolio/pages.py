"""The portfolio page (``/portfolio``): the figures of a selection of projects over a period.

The selection (portfolio, funder, region, municipality, theme) and the period are the page's
query string, so a view can be bookmarked and shared; without one the page shows the whole
registry over this calendar year. The fast figures come first — projects by status and money
by cost category, read while the page opens — and the participants and the indicator table
are read after the page is on screen. Every count and sum opens the projects behind it (a
dialog of links, 50 at a time). Each chart has a heading, its values written on it and the
same figures as a table below it; the two money series differ by pattern as well as by colour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from nicegui import APIRouter, run, ui

from project_db import rollups
from project_db.codes import INCOME_CATEGORY
from project_db.errors import N_, NotFound
from project_db.schemas import BASIS_LABELS, SCHEME_LABELS

from ...i18n import moment, number, today_in_helsinki
from ...reports.kinds.base import Labels
from ...services import portfolio as service
from ...services.access import Actor
from ..components import date_input, day_text
from ..context import Translator, handler_actor, session
from ..layout import dialog_title, heading
from ..page import Opened, page

router = APIRouter()

ALL = ""
PAGE_SIZE = 50  # projects shown at a time in a figure's dialog
ARCHIVE_SHOWN = 20  # the newest archived portfolio reports listed
# Theme colours with AA contrast on white (as the front page's charts).
PLANNED_COLOUR, USED_COLOUR, BAR_COLOUR = "#1e3a8a", "#b45309", "#0f766e"
# The number format of the charts' labels (the browser's Intl), per the user's language.
LOCALES = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
TABLE_CSS = (
    ".portfolio-table{border-collapse:collapse}"
    ".portfolio-table th,.portfolio-table td{border-bottom:1px solid #d1d5db;"
    "padding:4px 8px;vertical-align:middle}"
    ".portfolio-table th{background:#eef2f7;font-weight:600}"
)
TRACKS = {
    "on_track": N_("On track"),
    "behind": N_("Behind"),
    "ahead": N_("Ahead"),
    "unknown": N_("Cannot be assessed"),
}


@dataclass
class PortfolioData:
    options: service.SelectionOptions
    chosen: dict[str, str]  # the query as given (what the filters show)
    selection: rollups.Selection | None
    problems: list[str]
    figures: rollups.Figures | None = None
    labels: Labels = field(default_factory=dict)
    title: str = ""


def _this_year() -> tuple[str, str]:
    year = today_in_helsinki().year
    return day_text(date(year, 1, 1)), day_text(date(year, 12, 31))


def _load(  # noqa: PLR0917 - one parameter per filter
    actor: Actor,
    lang: str,
    portfolio: str,
    funder: str,
    region: str,
    municipality: str,
    theme: str,
    start: str | None,
    end: str | None,
) -> PortfolioData:
    if start is None and end is None:
        start, end = _this_year()
    chosen = {
        "portfolio": portfolio,
        "funder": funder,
        "region": region,
        "municipality": municipality,
        "theme": theme,
        "start": start or "",
        "end": end or "",
    }
    form = service.SelectionForm(
        portfolio=[portfolio] if portfolio else [],
        funder=[funder] if funder else [],
        region=[region] if region else [],
        municipality=[municipality] if municipality else [],
        theme=[theme] if theme else [],
        start=start,
        end=end,
    )
    with session(actor) as db_session:
        options = service.selection_options(db_session, actor=actor, lang=lang)
        try:
            selection = service.resolve_selection(db_session, form, actor=actor)
        except service.SelectionInvalid as invalid:
            return PortfolioData(options, chosen, None, invalid.lines(lang))
        title, _lines = service.describe_selection(db_session, selection, actor=actor, lang=lang)
        return PortfolioData(
            options=options,
            chosen=chosen,
            selection=selection,
            problems=[],
            figures=service.portfolio_figures(
                db_session, selection, actor=actor, with_participants=False
            ),
            labels=service.report_labels(db_session, actor=actor, lang=lang),
            title=title,
        )


@page(router, "/portfolio", title=N_("Portfolio view"), load=_load)
async def portfolio_page(  # noqa: PLR0917 - one parameter per filter
    opened: Opened[PortfolioData],
    portfolio: str = "",
    funder: str = "",
    region: str = "",
    municipality: str = "",
    theme: str = "",
    start: str | None = None,
    end: str | None = None,
) -> None:
    tr, data = opened.tr, opened.data
    ui.add_css(TABLE_CSS)
    ui.label(
        tr(
            "The projects that match every choice and run at some point in the period (a "
            "project without a start or end date is counted), in figures. Choose a figure to "
            "see the projects behind it."
        )
    ).classes("text-body1")
    _filters(tr, data)
    if data.problems:
        with ui.column().classes("gap-1").props('role="alert"'):
            for line in data.problems:
                ui.label(line).classes("text-negative")
        return
    assert data.selection is not None and data.figures is not None
    view = PortfolioView(opened.actor, tr, data.selection, data.labels)
    period = tr.dates(data.selection.start, data.selection.end) or tr("the whole term")
    heading(f"{data.title}, {period}", 2)
    view.headline(data.figures)
    view.downloads()
    view.statuses(data.figures)
    view.money(data.figures)
    await view.later()
    view.archive()


def _filters(tr: Translator, data: PortfolioData) -> None:
    options = data.options
    chosen = data.chosen

    def choices(everything: str, values: dict[str, str]) -> dict[str, str]:
        return {ALL: everything} | values

    search = ui.element("div").props('role="search"').classes("w-full")
    with search, ui.row().classes("items-end gap-4 flex-wrap"):
        selects = {}
        for name, label, everything, values in (
            ("portfolio", tr("Portfolio"), tr("All portfolios"), options.portfolios),
            (
                "funder",
                tr("Funder"),
                tr("All funders"),
                {c: f"{c} – {label}" for c, label in options.funders.items()},
            ),
            ("region", tr("Region"), tr("All regions"), options.regions),
            (
                "municipality",
                tr("Municipality"),
                tr("All municipalities"),
                {m: m for m in options.municipalities},
            ),
            ("theme", tr("Theme"), tr("All themes"), {t: t for t in options.themes}),
        ):
            available = choices(everything, values)
            value = chosen[name] if chosen[name] in available else ALL
            selects[name] = (
                ui.select(available, value=value, label=label, with_input=len(available) > 12)
                .classes("w-64")
                .props("options-dense")
            )
        start = date_input(tr("Period from"), tr, chosen["start"])
        end = date_input(tr("Period to"), tr, chosen["end"])

        def show() -> None:
            query = {name: select.value or "" for name, select in selects.items()}
            query = {k: v for k, v in query.items() if v}
            query |= {"start": start.value or "", "end": end.value or ""}
            ui.navigate.to("/portfolio?" + urlencode(query))

        ui.button(tr("Show"), icon="filter_list", on_click=show)


def _percent_text(part: Decimal | int, whole: Decimal | int | None, lang: str) -> str | None:
    """ "79,9 %" (one decimal); None without a whole to compare with."""
    if not whole:
        return None
    return f"{number((Decimal(part) / Decimal(whole) * 100).quantize(Decimal('0.1')), lang)} %"


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


Cell = str | tuple[str, Callable[[], Any]] | None


class PortfolioView:
    """The figures of one selection on the page, each opening the projects behind it."""

    def __init__(
        self, actor: Actor, tr: Translator, selection: rollups.Selection, labels: Labels
    ) -> None:
        self.actor = actor
        self.tr = tr
        self.selection = selection
        self.labels = labels
        self.archived: Any = None  # the archive's list, refreshed when a report is made

    # --- pieces ----------------------------------------------------------------------------

    def _label(self, list_name: str, code: str | None) -> str:
        if code is None:
            return self.tr("Not set")
        return self.labels.get(list_name, {}).get(code, code)

    def _category(self, row: rollups.MoneyRow) -> str:
        return self._label(f"cost_category_{row.scheme}", row.category)

    def _opener(self, title: str, figure: rollups.FigureRef) -> Callable[[], Any]:
        async def open_list() -> None:
            await self.show_projects(title, figure)

        return open_list

    def _table(
        self, caption: str, headers: list[str], rows: list[list[Cell]], numeric: set[int]
    ) -> None:
        """A real table (caption, column headers, rows); a cell with an action is a button
        whose name says what it opens."""
        with ui.element("div").classes("w-full overflow-x-auto"):
            table = ui.element("table").classes("portfolio-table w-full")
            with table:
                with ui.element("caption").classes("text-left q-pb-xs"):
                    ui.label(caption).classes("text-subtitle2")
                with ui.element("thead"), ui.element("tr"):
                    for i, text in enumerate(headers):
                        th = ui.element("th").props('scope="col"')
                        th.classes("text-right" if i in numeric else "text-left")
                        with th:
                            ui.label(text)
                with ui.element("tbody"):
                    for row in rows:
                        with ui.element("tr"):
                            for i, cell in enumerate(row):
                                td = ui.element("td").classes(
                                    "text-right" if i in numeric else "text-left"
                                )
                                with td:
                                    self._cell(cell, row, headers[i])

    def _cell(self, cell: Cell, row: list[Cell], header: str) -> None:
        if cell is None:
            ui.label("–")
        elif isinstance(cell, str):
            ui.label(cell).classes("whitespace-pre-line")
        else:
            text, action = cell
            first = row[0]
            about = first if isinstance(first, str) else ""
            name = self.tr(
                "{figure}: {value} – show the projects", figure=f"{about}, {header}", value=text
            )
            ui.button(text, on_click=action).props(
                f'flat dense no-caps color=primary aria-label="{_attr(name)}"'
            ).classes("underline")

    def _bar_chart(
        self,
        title: str,
        categories: list[str],
        series: list[dict[str, Any]],
        *,
        euros: bool = False,
    ) -> None:
        """Horizontal bars with their values written on them in the Finnish way (1 000 000 €),
        series told apart by pattern as well as colour; the table below has the same data."""
        locale = LOCALES.get(self.tr.lang, "fi-FI")
        suffix = " €" if euros else ""
        description = self.tr("{title}: the figures are in the table below", title=title)
        number_js = (
            f"v => new Intl.NumberFormat('{locale}', {{maximumFractionDigits: 0}}).format(v)"
            f" + '{suffix}'"
        )
        options = {
            # ECharts names the chart itself (in English unless told): its name is the title,
            # and the series are told apart by pattern.
            "aria": {
                "enabled": True,
                "label": {"description": description},
                "decal": {"show": True},
            },
            "tooltip": {"trigger": "axis", ":valueFormatter": number_js},
            "legend": {
                "show": len(series) > 1,
                "top": 0,
                "left": 0,
                "textStyle": {"color": "#111827"},
            },
            "grid": {"left": 8, "right": 96, "top": 32, "bottom": 8, "containLabel": True},
            "xAxis": {
                "type": "value",
                # Counts and euros are whole numbers: ticks at 0.5 would print as "0 1 1 2 2".
                "minInterval": 1,
                "axisLabel": {"color": "#111827", ":formatter": number_js},
            },
            "yAxis": {
                "type": "category",
                "inverse": True,
                "data": categories,
                "axisLabel": {"color": "#111827", "width": 220, "overflow": "truncate"},
            },
            "series": [
                {
                    "type": "bar",
                    "label": {
                        "show": True,
                        "position": "right",
                        "color": "#111827",
                        ":formatter": f"p => ({number_js})(p.value)",
                    },
                    **s,
                }
                for s in series
            ],
        }
        height = max(160, 48 + len(categories) * 20 * max(1, len(series)))
        chart = ui.echart(options).classes("w-full").style(f"height: {height}px")
        chart.props(f'role="img" aria-label="{_attr(title)}"')

    # --- the parts -------------------------------------------------------------------------

    def headline(self, figures: rollups.Figures) -> None:
        tr = self.tr
        totals = figures.totals
        share = _percent_text(totals.used_costs, totals.planned_costs, tr.lang)
        used_share = f" ({share})" if share else ""
        cards: list[tuple[str, str, rollups.FigureRef | None]] = [
            (tr("Projects"), str(figures.projects), rollups.FigureRef(kind="projects")),
            (
                tr("Planned costs"),
                tr.eur(totals.planned_costs),
                rollups.FigureRef(kind="planned"),
            ),
            (
                tr("Used by the end of the period"),
                tr.eur(totals.used_costs) + used_share,
                rollups.FigureRef(kind="used"),
            ),
            (
                tr("Used in the period"),
                tr.eur(totals.used_costs_in_range),
                rollups.FigureRef(kind="used_in_range"),
            ),
        ]
        with ui.element("div").classes("grid grid-cols-2 md:grid-cols-4 gap-3 w-full"):
            for label, value, figure in cards:
                with ui.card().classes("q-pa-sm"):
                    ui.label(label).classes("text-caption text-grey-9")
                    if figure is None:
                        ui.label(value).classes("text-h6")
                    else:
                        name = tr(
                            "{figure}: {value} – show the projects", figure=label, value=value
                        )
                        ui.button(value, on_click=self._opener(label, figure)).props(
                            f'flat dense no-caps color=primary aria-label="{_attr(name)}"'
                        ).classes("text-h6 underline").mark(f"figure-{figure.kind}")

    def downloads(self) -> None:
        from ...reports.pdf import soffice_path

        tr = self.tr
        with ui.row().classes("gap-2 items-center"):
            ui.label(tr("Portfolio report:")).classes("text-body1")
            for report_format, text, icon in (
                ("docx", tr("Download the report (DOCX)"), "description"),
                ("xlsx", tr("Download the figures (XLSX)"), "table_view"),
                ("pdf", tr("Download the report (PDF)"), "picture_as_pdf"),
            ):
                if report_format == "pdf" and soffice_path() is None:
                    continue
                ui.button(text, icon=icon, on_click=self._downloader(report_format)).props(
                    "outline no-caps"
                ).mark(f"download-{report_format}")

    def _downloader(self, report_format: str) -> Callable[[], Any]:
        async def download() -> None:
            actor = handler_actor(self.tr)
            if actor is None:
                return
            note = ui.notification(self.tr("Making the report…"), spinner=True, timeout=None)
            try:
                made = await run.io_bound(
                    _make_report, actor, self.selection, self.tr.lang, report_format
                )
            finally:
                note.dismiss()
            if made is not None:
                ui.download.content(made.content, made.filename, made.media_type)
                if report_format != "xlsx" and self.archived is not None:
                    self.archived.refresh()

        return download

    def archive(self) -> None:
        """The newest portfolio reports made (DOCX, also those a PDF was made of), each
        downloadable exactly as it was made."""
        heading(self.tr("Archived portfolio reports"), 2)
        self.archived = ui.refreshable(self._archive_table)
        self.archived()

    def _archive_table(self) -> None:
        tr = self.tr
        with session(self.actor) as db_session:
            rows = service.archived_reports(db_session, actor=self.actor, limit=ARCHIVE_SHOWN)
        if not rows:
            ui.label(tr("No portfolio reports have been made yet.")).mark("archive-empty")
            return
        headers = [
            tr("Made"),
            tr("Made by"),
            tr("Selection"),
            tr("Report period"),
            tr("Language"),
            tr("Report file"),
        ]
        with ui.element("table").classes("portfolio-table").mark("portfolio-archive"):
            with ui.element("caption").classes("text-left"):
                ui.label(tr("Archived portfolio reports"))
            with ui.element("tr"):
                for header in headers:
                    with ui.element("th").props('scope="col"'):
                        ui.label(header)
            for row in rows:
                period = tr.dates(row.start, row.end) if row.start or row.end else ""
                with ui.element("tr"):
                    for text in (
                        moment(row.created_at, tr.lang),
                        row.created_by,
                        row.title,
                        period or tr("the whole term"),
                        row.lang,
                    ):
                        with ui.element("td"):
                            ui.label(text)
                    with ui.element("td"):
                        name = tr("Download {name}", name=row.filename)
                        ui.button(tr("Download"), on_click=self._archived_download(row.id)).props(
                            f'flat dense no-caps aria-label="{_attr(name)}"'
                        ).mark("archive-download")

    def _archived_download(self, archive_id: int) -> Callable[[], Any]:
        async def download() -> None:
            actor = handler_actor(self.tr)
            if actor is None:
                return
            try:
                made = await run.io_bound(_archived_report, actor, archive_id)
            except NotFound:
                ui.notify(self.tr("The report is no longer in the archive."), type="warning")
                return
            if made is not None:
                ui.download.content(made.content, made.filename, made.media_type)

        return download

    def statuses(self, figures: rollups.Figures) -> None:
        tr = self.tr
        title = tr("Projects by status")
        heading(title, 2)
        if not figures.by_status:
            ui.label(tr("No projects match these choices.")).classes("text-body1")
            return
        labels = [self._label("status", s.code) for s in figures.by_status]
        self._bar_chart(
            title,
            labels,
            [
                {
                    "name": tr("Projects"),
                    "data": [s.count for s in figures.by_status],
                    "itemStyle": {"color": BAR_COLOUR},
                }
            ],
        )
        rows: list[list[Cell]] = []
        for label, status in zip(labels, figures.by_status, strict=True):
            figure = rollups.FigureRef(kind="status", code=status.code)
            share = _percent_text(status.count, figures.projects, tr.lang)
            rows.append(
                [
                    label,
                    (str(status.count), self._opener(f"{title}: {label}", figure)),
                    share,
                ]
            )
        rows.append(
            [
                tr("Total"),
                (
                    str(figures.projects),
                    self._opener(tr("Projects"), rollups.FigureRef(kind="projects")),
                ),
                "100 %",
            ]
        )
        self._table(title, [tr("Status"), tr("Projects"), tr("Share")], rows, {1, 2})

    def money(self, figures: rollups.Figures) -> None:
        tr = self.tr
        title = tr("Money by cost category")
        heading(title, 2)
        if not figures.money:
            ui.label(
                tr("The selected projects have no budget or actual costs by cost category.")
            ).classes("text-body1")
            return
        costs = sorted(
            (r for r in figures.money if not r.is_income),
            key=lambda r: (-(r.planned or 0), r.scheme, r.category),
        )
        names = [f"{self._category(r)} ({SCHEME_LABELS.get(r.scheme, r.scheme)})" for r in costs]
        self._bar_chart(
            title,
            names,
            [
                {
                    "name": tr("Planned"),
                    "data": [float(r.planned or 0) for r in costs],
                    "itemStyle": {"color": PLANNED_COLOUR},
                },
                {
                    "name": tr("Used"),
                    "data": [float(r.used) for r in costs],
                    "itemStyle": {"color": USED_COLOUR},
                },
            ],
            euros=True,
        )
        zero = Decimal(0)
        rows = [
            self._money_row(
                name, (r.planned or zero, r.used, r.used_in_range), r.scheme, r.category
            )
            for name, r in zip(names, costs, strict=True)
        ]
        t = figures.totals
        rows.append(
            self._money_row(
                tr("Costs in total"),
                (t.planned_costs, t.used_costs, t.used_costs_in_range),
                None,
                None,
            )
        )
        if any(r.is_income for r in figures.money):
            rows.append(
                self._money_row(
                    tr("Income (subtracted)"),
                    (t.planned_income, t.used_income, t.used_income_in_range),
                    None,
                    INCOME_CATEGORY,
                )
            )
        net = [tr.eur(t.planned_net), tr.eur(t.used_net)]
        rows.append([tr("Net costs"), *net, None, tr.eur(t.used_net_in_range)])
        headers = [
            tr("Cost category"),
            tr("Planned"),
            tr("Used"),
            tr("Used %"),
            tr("Used in the period"),
        ]
        self._table(title, headers, rows, {1, 2, 3, 4})
        ui.label(
            tr(
                "Planned: the budget lines of the selected projects for their whole term. Used: "
                "the actual costs of the reporting periods that started by the end of the "
                "period. Used in the period: those of the periods that started within it."
            )
        ).classes("text-body2")

    def _money_row(
        self,
        name: str,
        amounts: tuple[Decimal, Decimal, Decimal],
        scheme: str | None,
        category: str | None,
    ) -> list[Cell]:
        """A money row whose amounts open the projects behind them."""
        tr = self.tr
        planned, used, in_range = amounts

        def cell(amount: Decimal, kind: str, word: str) -> Cell:
            figure = rollups.FigureRef.model_validate(
                {"kind": kind, "scheme": scheme, "category": category}
            )
            return tr.eur(amount), self._opener(f"{name}: {word}", figure)

        return [
            name,
            cell(planned, "planned", tr("Planned")),
            cell(used, "used", tr("Used")),
            _percent_text(used, planned, tr.lang),
            cell(in_range, "used_in_range", tr("Used in the period")),
        ]

    def participants(self, people: rollups.Participants) -> None:
        tr = self.tr
        title = tr("Participants")
        if not people.projects:
            ui.label(tr("The selected projects have not recorded their participants.")).classes(
                "text-body1"
            )
            return
        genders = people.by("gender")
        rows: list[list[Cell]] = [
            [self._label("gender", code), str(count)]
            for code, count in sorted(genders.items(), key=lambda item: -item[1])
        ]
        rows.append(
            [
                tr("Total"),
                (str(people.total), self._opener(title, rollups.FigureRef(kind="participants"))),
            ]
        )
        self._table(
            tr(
                "Participants of {count} projects, each person once per project",
                count=people.projects,
            ),
            [tr("Gender"), tr("Participants")],
            rows,
            {1},
        )
        if people.in_range_projects:
            ui.label(
                tr(
                    "In the reporting periods that started within the period: {count} "
                    "participants in {projects} projects (a person may be counted in several "
                    "periods).",
                    count=people.in_range,
                    projects=people.in_range_projects,
                )
            ).classes("text-body2")

    async def later(self) -> None:
        """Participants and indicators: read after the first figures are on the screen."""
        tr = self.tr
        holders = []
        for title in (tr("Participants"), tr("Indicators")):
            heading(title, 2)
            holder = ui.column().classes("w-full gap-2").props('aria-live="polite"')
            with holder, ui.row().classes("items-center gap-2"):
                ui.spinner(size="sm")
                ui.label(tr("Loading…"))
            holders.append(holder)
        found = await run.io_bound(_later, self.actor, self.selection)
        for holder in holders:
            holder.clear()
        if found is None:
            return
        people, indicators = found
        with holders[0]:
            self.participants(people)
        with holders[1]:
            self._indicator_table(indicators)
            self._free_table(indicators)

    def _figure_text(self, stats: rollups.FigureStats, row: rollups.IndicatorFigure) -> str:
        tr = self.tr
        if stats.count == 0 or row.measure_type != "quantitative":
            return "–"

        def value(x: Decimal | None, unit: str = row.unit) -> str:
            if x is None:
                return "–"
            text = number(x.normalize() if x == x.to_integral() else x, tr.lang)
            return f"{text} {unit}" if unit else text

        if row.additive:
            text = tr("total {value}", value=value(stats.total))
        elif stats.count == 1 or stats.minimum == stats.maximum:
            text = value(stats.median)
        else:
            text = tr(
                "median {median} ({minimum}–{maximum})",
                median=value(stats.median),
                minimum=value(stats.minimum, ""),
                maximum=value(stats.maximum, ""),
            )
        if stats.count < row.indicators:
            text += "\n" + tr(
                "{count} of {total} indicators", count=stats.count, total=row.indicators
            )
        return text

    def _indicator_table(self, found: rollups.IndicatorFigures) -> None:
        tr = self.tr
        if not found.linked:
            ui.label(
                tr("No indicator of the selected projects is linked to the indicator catalogue.")
            ).classes("text-body1")
            return
        headers = [
            tr("Indicator"),
            tr("Projects"),
            tr("Baseline"),
            tr("Target"),
            tr("Latest actual"),
            tr("Basis of the latest actuals"),
            *(tr(label) for label in TRACKS.values()),
        ]
        rows: list[list[Cell]] = []
        for row in found.linked:
            name = row.name_in(tr.lang) + (f" ({row.unit})" if row.unit else "")

            def ref(measure: str, key: str = row.key) -> rollups.FigureRef:
                return rollups.FigureRef.model_validate(
                    {"kind": "indicator", "code": key, "measure": measure}
                )

            basis = (
                "\n".join(
                    f"{tr(BASIS_LABELS[b])} {row.actual_basis[b]}"
                    for b in rollups.BASES
                    if row.actual_basis[b]
                )
                or None
            )
            cells: list[Cell] = [
                name,
                (str(row.projects), self._opener(f"{name}: {tr('Projects')}", ref("projects"))),
                self._figure_text(row.baseline, row),
                self._figure_text(row.target, row),
                self._figure_text(row.actual, row),
                basis,
            ]
            for track, label in TRACKS.items():
                count = row.tracks[track]
                cells.append(
                    (str(count), self._opener(f"{name}: {tr(label)}", ref(track))) if count else "0"
                )
            rows.append(cells)
        self._table(tr("Indicators of the indicator catalogue"), headers, rows, {1, 6, 7, 8, 9})
        ui.label(
            tr(
                "Counts of people, things and euros are added up; other units show the median "
                "and the range. The latest actual is the value of the latest reporting period "
                "that started by the end of the period. On track: the share of the way from the "
                "baseline to the target is within 10 percentage points of the share of the time "
                "from the project's start to the target date that had passed; ahead or behind: "
                "more than that, either way."
            )
        ).classes("text-body2")

    def _free_table(self, found: rollups.IndicatorFigures) -> None:
        tr = self.tr
        if not found.free:
            return
        title = tr("Other indicators (not linked to the catalogue)")
        heading(title, 3)
        rows: list[list[Cell]] = [
            [
                f.name,
                f.unit or None,
                (
                    str(f.projects),
                    self._opener(f.name, rollups.FigureRef(kind="free_indicator", code=f.name)),
                ),
            ]
            for f in found.free
        ]
        self._table(title, [tr("Indicator"), tr("Unit"), tr("Projects")], rows, {2})
        if found.free_names > len(found.free):
            ui.label(
                tr(
                    "The {shown} most used of {total} names.",
                    shown=len(found.free),
                    total=found.free_names,
                )
            ).classes("text-body2")

    # --- the projects behind a figure ---------------------------------------------------------

    async def show_projects(self, title: str, figure: rollups.FigureRef) -> None:
        tr = self.tr
        dialog = ui.dialog()
        with dialog, ui.card().classes("w-full max-w-2xl"):
            dialog_title(dialog, title)
            summary = ui.label("").classes("text-body2")
            items = ui.element("ul").classes("q-pl-md")
            more = ui.button(tr("Show more")).props("flat no-caps")
            with ui.row().classes("justify-end w-full"):
                ui.button(tr("Close"), on_click=dialog.close)
        shown = 0

        async def load_more() -> None:
            nonlocal shown
            actor = handler_actor(tr)
            if actor is None:
                return
            page = await run.io_bound(_figure_page, actor, self.selection, figure, shown)
            if page is None:
                return
            summary.text = (
                tr("{count} projects", count=page.total)
                if figure.kind != "indicator" or figure.measure == "projects"
                else tr("{count} indicators", count=page.total)
            )
            with items:
                for ref in page.rows:
                    with ui.element("li"):
                        ui.link(ref.name, f"/projects/{ref.id}")
                        if ref.detail and ref.detail != ref.name:
                            ui.label(f"– {ref.detail}").classes("inline q-ml-xs text-body2")
            shown += len(page.rows)
            more.set_visibility(shown < page.total)

        more.on_click(load_more)
        dialog.open()
        await load_more()


def _later(
    actor: Actor, selection: rollups.Selection
) -> tuple[rollups.Participants, rollups.IndicatorFigures]:
    with session(actor) as db_session:
        return (
            service.portfolio_participants(db_session, selection, actor=actor),
            service.portfolio_indicators(db_session, selection, actor=actor),
        )


def _figure_page(
    actor: Actor, selection: rollups.Selection, figure: rollups.FigureRef, offset: int
) -> rollups.FigureList:
    with session(actor) as db_session:
        return service.figure_projects(
            db_session, selection, figure, actor=actor, limit=PAGE_SIZE, offset=offset
        )


def _make_report(
    actor: Actor, selection: rollups.Selection, lang: str, report_format: str
) -> service.PortfolioReport:
    with session(actor) as db_session:
        return service.portfolio_report(
            db_session,
            selection,
            actor=actor,
            lang=lang,
            report_format=report_format,
            archive=True,
        )


def _archived_report(actor: Actor, archive_id: int) -> service.PortfolioReport:
    with session(actor) as db_session:
        return service.archived_report(db_session, archive_id, actor=actor)
