"""The project list: search, filters, sort and pages, all on the server; the query lives in the URL.

URL parameters (all optional; a shared or bookmarked address, or a reload, shows the same view):

    q          search text (every word must appear)
    status     status code           ┐
    funder     funder code (ESR …)   │ repeat a parameter for several values:
    portfolio  portfolio code        │ ?status=kaynnissa&status=paattynyt
    type       project type code     │ (values are OR-ed within a parameter,
    region     region code           │ parameters are AND-ed together)
    theme      theme                 ┘
    from, to   ISO dates (2020-01-31): projects running at some point in the range
    sort       relevance | name | start | end | status | budget | updated
               (default: by relevance when searching, else by name)
    desc       1 = descending
    page       1, 2, …
    size       rows per page (default 25, 1–500)

Changing a control rewrites the address in place (history.replaceState) and redraws the results.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from html import escape
from typing import Any, cast
from urllib.parse import urlencode

from fastapi import Request
from nicegui import run, ui
from starlette.datastructures import QueryParams

from project_db.errors import N_

from ...services import codelists, stats
from ...services.access import Actor
from ...services.projects import ProjectPage, ProjectQuery, SortField, list_projects
from ..components import date_input, day_text, parse_day
from ..context import Translator, session
from ..page import Opened, page
from .router import router

SORTS: dict[str, SortField] = {
    "relevance": "relevance",
    "name": "name",
    "start": "start_date",
    "end": "end_date",
    "status": "status",
    "budget": "budget_amount",
    "updated": "updated_at",
}
FILTERS = {  # URL parameter → (code list, ProjectQuery field)
    "status": ("status", "status"),
    "funder": ("funder", "funder"),
    "portfolio": ("portfolio", "portfolio"),
    "type": ("project_type", "project_type"),
    "region": ("region", "region"),
    "theme": ("", "theme"),
}
DEFAULT_SIZE = 25
PAGE_SIZES = (10, 25, 50, 100)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _int(text: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(text or default), low), high)
    except ValueError:
        return default


@dataclass
class ListView:
    """What the list shows, as read from and written to the URL."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    date_from: date | None = None
    date_to: date | None = None
    sort: str = ""  # "" = the service's default: relevance when searching, else name
    desc: bool = False
    page: int = 1
    size: int = DEFAULT_SIZE

    @classmethod
    def from_params(cls, params: QueryParams) -> ListView:
        filters = {
            name: [v for v in params.getlist(name) if v.strip()]
            for name in FILTERS
            if params.getlist(name)
        }
        sort = params.get("sort", "")
        return cls(
            q=params.get("q", "").strip(),
            filters={k: v for k, v in filters.items() if v},
            date_from=_date(params.get("from")),
            date_to=_date(params.get("to")),
            sort=sort if sort in SORTS else "",
            desc=params.get("desc", "") in ("1", "true"),
            page=_int(params.get("page"), 1, 1, 1_000_000),
            size=_int(params.get("size"), DEFAULT_SIZE, 1, 500),
        )

    def url(self) -> str:
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        for name in FILTERS:
            pairs += [(name, value) for value in self.filters.get(name, [])]
        if self.date_from:
            pairs.append(("from", self.date_from.isoformat()))
        if self.date_to:
            pairs.append(("to", self.date_to.isoformat()))
        if self.sort:
            pairs.append(("sort", self.sort))
        if self.desc:
            pairs.append(("desc", "1"))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        if self.size != DEFAULT_SIZE:
            pairs.append(("size", str(self.size)))
        return "/projects" + (f"?{urlencode(pairs)}" if pairs else "")

    def query(self) -> ProjectQuery:
        values: dict[str, Any] = {FILTERS[k][1]: v for k, v in self.filters.items()}
        return ProjectQuery(
            text=self.q,
            active_from=self.date_from,
            active_to=self.date_to,
            sort=SORTS.get(self.sort),
            descending=self.desc,
            page=self.page,
            page_size=self.size,
            **values,
        )


@dataclass
class Options:
    lists: dict[str, dict[str, str]]  # URL parameter → {code: label}


def _load_options(actor: Actor, lang: str) -> Options:
    with session(actor) as db_session:
        lists = {
            name: codelists.labels(db_session, code_list, lang, actor=actor)
            for name, (code_list, _field) in FILTERS.items()
            if code_list
        }
        lists["theme"] = {t: t for t in stats.theme_names(db_session, actor=actor)}
    return Options(lists=lists)


def _load_page(actor: Actor, view: ListView) -> ProjectPage:
    with session(actor) as db_session:
        result = list_projects(db_session, view.query(), actor=actor)
        last = max(1, -(-result.total // view.size))
        if view.page > last:  # an old bookmark beyond the end: show the last page
            result = list_projects(db_session, replace(view, page=last).query(), actor=actor)
    return result


@page(router, "/projects", title=N_("Projects"), load=_load_options)
async def projects_page(opened: Opened[Options], request: Request) -> None:
    view = ListView.from_params(request.query_params)
    await ProjectList(opened.tr, opened.actor, view, opened.data).build()


class ProjectList:
    """The controls and the results. The result elements are made once; a change of the query
    updates their content in place (rows, count, pager) instead of rebuilding them: less work on
    the server and in the browser, and the same elements for screen readers."""

    def __init__(self, tr: Translator, actor: Actor, view: ListView, options: Options) -> None:
        self.tr, self.actor, self.view, self.options = tr, actor, view, options
        self.selects: dict[str, ui.select] = {}
        self.page = view.page
        self._requests = 0  # the newest query wins when clicks overtake each other

    async def build(self) -> None:
        self._controls()
        self._results()
        await self.show()

    # --- controls -------------------------------------------------------------------------

    def _controls(self) -> None:
        tr, view = self.tr, self.view
        with ui.element("div").props('role="search"').classes("w-full flex flex-col gap-2"):
            with ui.row().classes("w-full items-center gap-2 no-wrap"):
                self.search = ui.input(tr("Search projects"), value=view.q).classes("grow")
                self.search.props('clearable type="search"')
                self.search.on("keydown.enter", self.changed)
                self.search.on("clear", self.changed)
                ui.button(tr("Search"), icon="search", on_click=self.changed)
            labels = {
                "status": tr("Status"),
                "funder": tr("Funder"),
                "portfolio": tr("Portfolio"),
                "type": tr("Project type"),
                "region": tr("Region"),
                "theme": tr("Theme"),
            }
            with ui.element("div").classes("grid grid-cols-1 sm:grid-cols-2 lg:grid-cols-4 gap-2"):
                for name, label in labels.items():
                    self._filter_select(name, label)
                self.date_from = date_input(tr("Running from"), tr, day_text(view.date_from))
                self.date_to = date_input(tr("Running until"), tr, day_text(view.date_to))
                for widget in (self.date_from, self.date_to):
                    widget.props("clearable").classes("w-full")
                    widget.on_value_change(self.date_changed)
            with ui.row().classes("items-center gap-4"):
                sort_labels = {
                    "": tr("Best match first when searching, else by name"),
                    "relevance": tr("Best match first"),
                    "name": tr("Name"),
                    "start": tr("Start date"),
                    "end": tr("End date"),
                    "status": tr("Status"),
                    "budget": tr("Budget"),
                    "updated": tr("Last changed"),
                }
                self.sort = ui.select(sort_labels, label=tr("Sort by"), value=view.sort)
                self.sort.classes("w-80").on_value_change(self.changed)
                self.desc = ui.checkbox(tr("Descending order"), value=view.desc)
                self.desc.on_value_change(self.changed)
                sizes = {n: str(n) for n in sorted({*PAGE_SIZES, view.size})}
                self.size = ui.select(sizes, label=tr("Rows per page"), value=view.size)
                self.size.classes("w-36").on_value_change(self.changed)
                ui.link(tr("Clear filters"), "/projects")

    def _filter_select(self, name: str, label: str) -> None:
        options = dict(self.options.lists.get(name, {}))
        chosen = self.view.filters.get(name, [])
        for code in chosen:  # a code from the URL that the list does not know (any more)
            options.setdefault(code, code)
        # NiceGUI rebuilds a select's option list on every property change: the options go in
        # last, in one step (and the handler after them, so that filling it is no user change).
        select = ui.select([], label=label, value=[], multiple=True, clearable=True)
        select.props("use-chips stack-label").classes("w-full")
        select.set_options(options, value=chosen)
        select.on_value_change(self.changed)
        self.selects[name] = select

    async def changed(self, *_event: object) -> None:
        await self.apply()

    async def date_changed(self, event: Any) -> None:
        """Filter once a whole date is typed or chosen, or the date is cleared."""
        try:
            parse_day(event.value)
        except ValueError:
            return
        await self.apply()

    async def apply(self, page: int = 1) -> None:
        """Read the controls into the view, put it in the address bar, show the results."""
        self.view = ListView(
            q=(self.search.value or "").strip(),
            filters={n: list(s.value) for n, s in self.selects.items() if s.value},
            date_from=_typed_day(self.date_from.value),
            date_to=_typed_day(self.date_to.value),
            sort=cast(str, self.sort.value or ""),
            desc=bool(self.desc.value),
            page=page,
            size=int(self.size.value or DEFAULT_SIZE),
        )
        ui.navigate.history.replace(self.view.url())
        await self.show()

    async def previous_page(self) -> None:
        await self.apply(self.page - 1)

    async def next_page(self) -> None:
        await self.apply(self.page + 1)

    # --- results --------------------------------------------------------------------------

    def _results(self) -> None:
        tr = self.tr
        self.count = ui.label().classes("text-subtitle1").props('role="status" aria-live="polite"')
        self.empty = ui.label(tr("No projects match the search.")).classes("text-body1")
        # "Did you mean": corrected searches when nothing was found (links to their lists).
        self.suggestions = ui.row().classes("items-center gap-3")
        self.columns = [
            (tr("Name"), "left"),
            (tr("Status"), "left"),
            (tr("Duration"), "left"),
            (tr("Funders"), "left"),
            (tr("Region"), "left"),
            (tr("Budget"), "right"),
        ]
        # The rows as one piece of HTML in Quasar's own table markup (it looks exactly like a
        # ui.table): a new page of results is one property of one element, which the browser
        # swaps in at once, instead of a table component drawing every cell anew.
        self.table = ui.html(sanitize=False).classes(TABLE_CLASSES)
        pager_name = tr("Pages")
        self.pager = ui.element("nav").props(f'aria-label="{pager_name}"')
        with self.pager, ui.row().classes("items-center gap-2"):
            self.previous = ui.button(tr("Previous page"), on_click=self.previous_page)
            self.previous.props("outline")
            self.page_label = ui.label()
            self.following = ui.button(tr("Next page"), on_click=self.next_page)
            self.following.props("outline")

    async def show(self) -> None:
        """Query the current view and put the page of results into the elements."""
        self._requests += 1
        request = self._requests
        result = await run.io_bound(_load_page, self.actor, self.view)
        if result is None or request != self._requests:  # shutting down, or a newer query
            return
        tr, labels = self.tr, self.options.lists
        last = max(1, -(-result.total // result.page_size))
        self.page = result.page
        rows = [
            (
                p.id,
                _full_name(p.name, p.short_name),
                labels["status"].get(p.status, p.status) if p.status else "–",
                tr.dates(p.start_date, p.end_date) or "–",
                ", ".join(p.funders) or "–",
                labels["region"].get(p.region, p.region) if p.region else "–",
                tr.eur(p.budget_amount) or "–",
            )
            for p in result.items
        ]
        count = tr("1 project") if result.total == 1 else tr("{count} projects", count=result.total)
        self.count.set_text(count)
        self.empty.set_visibility(not rows)
        self.suggestions.clear()
        if result.suggestions:
            with self.suggestions:
                ui.label(tr("Did you mean:"))
                for text in result.suggestions:
                    ui.link(text, replace(self.view, q=text, page=1).url())
        self.suggestions.set_visibility(bool(result.suggestions))
        self.table.set_content(_table_html(self.columns, rows))
        self.table.set_visibility(bool(rows))
        self.pager.set_visibility(last > 1)
        self.page_label.set_text(tr("Page {page} of {last}", page=result.page, last=last))
        self.previous.set_enabled(result.page > 1)
        self.following.set_enabled(result.page < last)


# Quasar's classes of a flat, bordered ui.table with wrapping cells (props "flat bordered
# wrap-cells"), so that the list looks as before.
TABLE_CLASSES = (
    "q-table__container q-table--horizontal-separator column no-wrap q-table__card "
    "q-table--flat q-table--bordered w-full"
)


def _table_html(columns: list[tuple[str, str]], rows: list[tuple[Any, ...]]) -> str:
    """The results table; the name links to the project. Every text is escaped."""
    head = "".join(f'<th class="text-{align}">{escape(label)}</th>' for label, align in columns)
    aligns = [align for _label, align in columns]
    body = []
    for project_id, name, *cells in rows:
        link = f'<a href="/projects/{int(project_id)}" class="nicegui-link">{escape(name)}</a>'
        tds = "".join(
            f'<td class="text-{align}">{escape(text)}</td>'
            for align, text in zip(aligns[1:], cells, strict=True)
        )
        body.append(f'<tr><td class="q-td text-{aligns[0]}">{link}</td>{tds}</tr>')
    return (
        f'<div class="q-table__middle scroll"><table class="q-table"><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _full_name(name: str, short_name: str | None) -> str:
    """The name, and the short name after it unless the name already ends with it."""
    if not short_name or name.endswith(short_name):
        return name
    return f"{name} ({short_name})"


def _typed_day(text: str | None) -> date | None:
    try:
        return parse_day(text)
    except ValueError:
        return None  # half typed: no filter until the date is whole


__all__ = ["ListView", "router"]
