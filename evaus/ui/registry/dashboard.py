"""The front page. A project manager sees their own work: their due and overdue reports ("Omat
tehtävät"), their projects and assessments, what is missing from each project's next funder
report and what others recently changed in their projects. Administrators and viewers see the
registry in figures (projects by status, funder and portfolio; money by funder), each chart with
a heading and the same numbers as a table beside it for screen readers, and the way on to the
project list and the deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from nicegui import ui

from ...i18n import moment
from ...services import codelists, deadlines, stats
from ...services.access import Actor, can_create_projects
from ..assessment.common import status_label
from ..context import Translator, session
from ..cycle.components import due_table
from ..layout import heading
from ..page import Opened, page
from .router import router

if TYPE_CHECKING:
    from ...services import my_work

# Theme colours and Tailwind 700 shades: every one has AA contrast on white.
PALETTE = ["#1e3a8a", "#0f766e", "#6d28d9", "#b45309", "#be123c", "#374151", "#15803d", "#0369a1"]


@dataclass
class Bar:
    """One bar or slice: its label, its value as a number and as text, and an optional link."""

    label: str
    short: str
    value: float
    text: str
    href: str | None = None


@dataclass
class Figures:
    stats: stats.RegistryStats
    status: dict[str, str]
    funder: dict[str, str]
    portfolio: dict[str, str]


def _load(actor: Actor, lang: str) -> Figures:
    with session(actor) as db_session:
        return Figures(
            stats=stats.registry_stats(db_session, actor=actor),
            status=codelists.labels(db_session, "status", lang, actor=actor),
            funder=codelists.labels(db_session, "funder", lang, actor=actor),
            portfolio=codelists.labels(db_session, "portfolio", lang, actor=actor),
        )


def _href(param: str, code: str | None) -> str | None:
    return f"/projects?{urlencode({param: code})}" if code is not None else None


def _chart(
    title: str,
    bars: list[Bar],
    *,
    kind: str,
    value_label: str,
    minimum: int = 1,
    note: str | None = None,
) -> None:
    """A chart (hidden from screen readers as an image with a name) and the same data as a table."""
    heading(title, 2)
    if note:
        ui.label(note).classes("text-body2")
    if not bars:
        ui.label("–").classes("text-body1")
        return
    if kind == "pie":
        series: dict[str, Any] = {
            "type": "pie",
            "radius": ["35%", "65%"],
            "label": {"formatter": "{b}: {c}", "color": "#111827"},
            "data": [
                {"name": b.short, "value": b.value, "itemStyle": {"color": PALETTE[i % 8]}}
                for i, b in enumerate(bars)
            ],
        }
        options: dict[str, Any] = {"tooltip": {"trigger": "item"}, "series": [series]}
    else:
        options = {
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 8, "right": 16, "top": 8, "bottom": 8, "containLabel": True},
            "xAxis": {"type": "value", "minInterval": minimum, "axisLabel": {"color": "#111827"}},
            "yAxis": {
                "type": "category",
                "inverse": True,
                "data": [b.short for b in bars],
                "axisLabel": {"color": "#111827", "width": 160, "overflow": "truncate"},
            },
            "series": [
                {
                    "type": "bar",
                    "data": [
                        {"value": b.value, "itemStyle": {"color": PALETTE[i % 8]}}
                        for i, b in enumerate(bars)
                    ],
                    "label": {"show": True, "position": "right", "color": "#111827"},
                }
            ],
        }
    with ui.column().classes("w-full gap-2"):
        chart = ui.echart(options).classes("w-full").style("height: 220px")
        chart.props(f'role="img" aria-label="{_attr(title)}"')
        rows = [
            {"id": i, "label": b.label, "value": b.text, "href": b.href or ""}
            for i, b in enumerate(bars)
        ]
        columns = [
            {"name": "label", "label": title, "field": "label", "align": "left"},
            {"name": "value", "label": value_label, "field": "value", "align": "right"},
        ]
        table = ui.table(rows=rows, columns=columns).props("flat bordered dense wrap-cells")
        table.classes("w-full")
        table.add_slot(
            "body-cell-label",
            '<q-td :props="props"><a v-if="props.row.href" :href="props.row.href" '
            'class="nicegui-link">{{ props.value }}</a>'
            "<span v-else>{{ props.value }}</span></q-td>",
        )


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _counts(items: list[stats.Count], labels: dict[str, str], none: str, param: str) -> list[Bar]:
    return [
        Bar(
            label=labels.get(c.code, c.code) if c.code is not None else none,
            short=labels.get(c.code, c.code) if c.code is not None else none,
            value=c.count,
            text=str(c.count),
            href=_href(param, c.code),
        )
        for c in items
    ]


@dataclass
class Work:
    work: my_work.MyWork
    status: dict[str, str]
    total: int
    tasks: list[deadlines.DueItem]


def _load_work(actor: Actor, lang: str) -> Work:
    # Imported on the first visit, not at the server's start: a user's open report gaps need
    # the report services and every kind's context models.
    from ...services import my_work

    with session(actor) as db_session:
        return Work(
            work=my_work.my_work(db_session, actor, lang=lang),
            status=codelists.labels(db_session, "status", lang, actor=actor),
            total=stats.registry_stats(db_session, actor=actor).total,
            tasks=deadlines.due_items(
                db_session,
                actor=actor,
                filters=deadlines.DueFilter(states=deadlines.OPEN_STATES),
                lang=lang,
            ),
        )


def _load_front(actor: Actor, lang: str) -> Work | Figures:
    """A manager's own work; the registry's figures for the others."""
    return _load_work(actor, lang) if actor.role == "manager" else _load(actor, lang)


@page(
    router,
    "/",
    title=lambda tr, data: tr("My work") if isinstance(data, Work) else tr("Project registry"),
    load=_load_front,
)
def dashboard_page(opened: Opened[Work | Figures]) -> None:
    tr, actor, data = opened.tr, opened.actor, opened.data
    if isinstance(data, Work):
        _summary(tr, actor, data.total)
        _my_work(tr, data)
    else:
        _summary(tr, actor, data.stats.total)
        _charts(tr, data)


def _summary(tr: Translator, actor: Actor, total: int) -> None:
    with ui.row().classes("items-center gap-4"):
        text = tr("{count} projects in the registry", count=total)
        ui.label(text).classes("text-body1")
        ui.link(tr("Show all projects"), "/projects").classes("text-body1")
        ui.link(tr("Deadlines"), "/deadlines").classes("text-body1")
        if can_create_projects(actor):
            ui.button(
                tr("New project"), icon="add", on_click=lambda: ui.navigate.to("/projects/new")
            )


def _charts(tr: Translator, figures: Figures) -> None:
    s = figures.stats
    not_set = tr("Not set")
    no_funder = tr("No funder code")
    count_label = tr("Projects")
    funders = {
        c.code: f"{c.code} – {figures.funder[c.code]}" if c.code in figures.funder else c.code
        for c in s.by_funder
        if c.code is not None
    }
    funder_bars = [
        Bar(
            label=funders[c.code] if c.code is not None else no_funder,
            short=c.code if c.code is not None else no_funder,
            value=c.count,
            text=str(c.count),
            href=_href("funder", c.code),
        )
        for c in s.by_funder
    ]
    budget_bars = [
        Bar(
            label=funders.get(a.code, a.code) if a.code is not None else no_funder,
            short=a.code if a.code is not None else no_funder,
            value=float(a.amount),
            text=tr.eur(a.amount),
            href=_href("funder", a.code),
        )
        for a in s.budget_by_funder
    ]
    with ui.element("div").classes("grid grid-cols-1 lg:grid-cols-2 gap-4 w-full"):
        with ui.card().classes("w-full"):
            status_bars = _counts(s.by_status, figures.status, not_set, "status")
            _chart(tr("Projects by status"), status_bars, kind="bar", value_label=count_label)
        with ui.card().classes("w-full"):
            _chart(tr("Projects by funder"), funder_bars, kind="pie", value_label=count_label)
        with ui.card().classes("w-full"):
            portfolio_bars = _counts(s.by_portfolio, figures.portfolio, not_set, "portfolio")
            _chart(tr("Projects by portfolio"), portfolio_bars, kind="bar", value_label=count_label)
        with ui.card().classes("w-full"):
            title = tr("Funding by funder")
            empty = not any(b.value for b in budget_bars)
            note = tr("No funding amounts have been recorded.") if empty else None
            _chart(title, budget_bars, kind="bar", value_label=tr("Amount"), minimum=0, note=note)


# --- a manager's own work -----------------------------------------------------------------


def _my_work(tr: Translator, loaded: Work) -> None:
    work = loaded.work
    with ui.card().classes("w-full"):
        _tasks(tr, loaded.tasks)
    with ui.element("div").classes("grid grid-cols-1 lg:grid-cols-2 gap-4 w-full"):
        with ui.card().classes("w-full"):
            _own_projects(tr, work.projects, loaded.status)
        with ui.card().classes("w-full"):
            _own_assessments(tr, work.assessments)
        with ui.card().classes("w-full"):
            _report_gaps(tr, work.report_gaps)
        with ui.card().classes("w-full"):
            _recent_changes(tr, work.recent_changes)


def _tasks(tr: Translator, tasks: list[deadlines.DueItem]) -> None:
    heading(tr("My tasks"), 2)
    if not tasks:
        ui.label(tr("Nothing of yours is due or overdue.")).classes("text-body1")
    else:
        due_table(tr, tr("My tasks"), tasks)
    ui.link(tr("All deadlines of my projects"), "/deadlines").classes("text-body2")


def _own_projects(
    tr: Translator, projects: list[my_work.MyProject], status: dict[str, str]
) -> None:
    heading(tr("My projects"), 2)
    if not projects:
        ui.label(tr("You are not in the team of any project.")).classes("text-body1")
        return
    with ui.element("ul").classes("q-pl-md w-full"):
        for project in projects:
            with ui.element("li").classes("q-mb-sm"):
                name = project.short_name or project.name
                ui.link(name, f"/projects/{project.id}").classes("text-body1 break-words")
                details = [
                    project.name if project.short_name else "",
                    status.get(project.status, project.status) if project.status else "",
                    tr.dates(project.start_date, project.end_date)
                    if project.start_date or project.end_date
                    else "",
                ]
                ui.label(" · ".join(d for d in details if d)).classes("text-body2 break-words")


def _own_assessments(tr: Translator, assessments: list[my_work.MyAssessment]) -> None:
    heading(tr("My impact assessments"), 2)
    if not assessments:
        ui.label(tr("You have no impact assessments.")).classes("text-body1")
        ui.link(tr("New assessment"), "/assessments/new").classes("text-body1")
        return
    with ui.element("ul").classes("q-pl-md w-full"):
        for item in assessments:
            with ui.element("li").classes("q-mb-sm"):
                ui.link(item.title, f"/assessments/{item.id}").classes("text-body1 break-words")
                details = [
                    status_label(tr, item.status),
                    tr("Version {number}", number=item.version_number),
                    tr("Project: {name}", name=item.project_name) if item.project_name else "",
                ]
                ui.label(" · ".join(d for d in details if d)).classes("text-body2 break-words")


def _report_gaps(tr: Translator, gaps: list[my_work.ReportGap]) -> None:
    heading(tr("Missing from the next reports"), 2)
    if not gaps:
        ui.label(tr("None of your projects gets a periodic funder report.")).classes("text-body1")
        return
    for gap in gaps:
        if gap.period is not None:
            covers = tr("period {number}", number=gap.period)
        elif gap.year is not None:
            covers = str(gap.year)
        else:
            covers = tr("whole term")
        title = f"{gap.project_name}: {gap.kind_label} ({covers})"
        heading(title, 3, "break-words")
        if gap.failure:
            ui.label(gap.failure).classes("text-body2 text-negative break-words")
        elif not gap.missing:
            ui.label(tr("Nothing is missing.")).classes("text-body2")
        else:
            with ui.element("ul").classes("q-pl-md"):
                for text in gap.missing:
                    with ui.element("li"):
                        ui.label(text).classes("text-body2 break-words")
        ui.link(tr("Make the report"), f"/projects/{gap.project_id}/reports").classes("text-body2")


def _recent_changes(tr: Translator, changes: list[my_work.RecentChange]) -> None:
    heading(tr("Recent changes by others"), 2)
    if not changes:
        ui.label(tr("No one else has changed your projects.")).classes("text-body1")
        return
    with ui.element("ul").classes("q-pl-md w-full"):
        for change in changes:
            with ui.element("li").classes("q-mb-sm"):
                ui.label(
                    tr(
                        "{who} changed {project}; fields changed: {count}",
                        who=change.actor_name,
                        project=change.project_name,
                        count=change.fields,
                    )
                ).classes("text-body1 break-words")
                with ui.row().classes("items-center gap-3"):
                    ui.label(moment(change.at, tr.lang)).classes("text-body2")
                    history = tr("Change history of {project}", project=change.project_name)
                    ui.link(history, f"/projects/{change.project_id}/history").classes("text-body2")
