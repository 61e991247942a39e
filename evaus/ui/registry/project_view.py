"""Reading one project: ``/projects/{id}`` (everything stored about it) and
``/projects/{id}/history`` (its audit trail, newest first).

History URL parameters: ``who`` (a user name), ``what`` (a field), ``since`` and ``until``
(dates) narrow it; ``page`` pages through it (20 saves a page).
An unknown project id shows a "not found" page, never a server error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from nicegui import ui

from project_db.errors import N_, NotFound

from ...services import codelists, comments, history
from ...services.access import Actor, can_edit_project
from ...services.projects import get_project, get_project_doc
from .. import comments as comment_ui
from ..assessment import listing as assessment_list
from ..comments import comment_panel
from ..components import date_input, day_text, parse_day
from ..context import Translator, session
from ..cycle.components import next_due_line
from ..layout import heading
from ..page import Opened, missing_page, page
from . import similar_panel
from . import view_results as results
from . import view_sections as sections
from .router import router
from .view_sections import AttachmentRow, ViewData

CODE_LISTS = (
    "status",
    "project_type",
    "portfolio",
    "region",
    "budget_class",
    "funder",
    "organisation_role",
    "organisation_type",
    "gender",
    "age_class",
)
RECENT_CHANGES = 3  # saves
HISTORY_PAGE_SIZE = 20  # saves


def _load(actor: Actor, project_id: int, lang: str) -> ViewData | None:
    with session(actor) as db_session:
        try:
            doc = get_project_doc(db_session, project_id, actor=actor)
        except NotFound:
            return None
        project = get_project(db_session, project_id, actor=actor)
        recent = history.readable_history(
            db_session, project_id, lang, page_size=RECENT_CHANGES, actor=actor
        )
        return ViewData(
            id=project_id,
            doc=doc,
            attachments=[
                AttachmentRow(a.id, a.filename, a.size, a.description) for a in project.attachments
            ],
            labels={
                name: codelists.labels(db_session, name, lang, actor=actor) for name in CODE_LISTS
            },
            can_edit=can_edit_project(db_session, actor, project_id),
            history=recent.groups,
            history_total=recent.total,
        )


PROJECT_NOT_FOUND = missing_page(
    N_("Project not found"),
    N_("Back to the project list"),
    "/projects",
    text=N_("There is no project with this address. It may have been removed."),
)


@page(
    router,
    "/projects/{project_id:int}",
    title=lambda tr, data: data.doc.name,
    load=_load,
    not_found=PROJECT_NOT_FOUND,
)
async def project_page(opened: Opened[ViewData], project_id: int) -> None:
    tr, actor, data = opened.tr, opened.actor, opened.data
    _actions(tr, data)
    await next_due_line(tr, actor, data.id)
    sections.basic_data(data, tr)
    sections.texts(data.doc, tr)
    sections.organisations(data, tr)
    sections.people(data.doc, tr)
    results.logic_chain(data.doc, tr)
    results.indicators(data.doc, tr)
    results.periods(data, tr)
    results.attachments(data, tr)
    results.notes(data.doc, tr)
    await assessment_list.project_assessments(tr, actor, data.id, data.can_edit)
    await similar_panel.similar_section(tr, actor, data.id)
    target = comments.Target(comments.PROJECT, data.id)
    await comment_panel(tr, actor, target, comment_ui.PROJECT_SECTIONS)
    _recent_changes(tr, data)


def _actions(tr: Translator, data: ViewData) -> None:
    with ui.row().classes("items-center gap-4"):
        if data.can_edit:  # the edit page and its save handler check the right again
            edit = f"/projects/{data.id}/edit"
            ui.button(tr("Edit"), icon="edit", on_click=lambda: ui.navigate.to(edit))
        ui.link(tr("Change history"), f"/projects/{data.id}/history")
        ui.link(tr("Reports"), f"/projects/{data.id}/reports")
        ui.link(tr("Back to the project list"), "/projects")


def _recent_changes(tr: Translator, data: ViewData) -> None:
    heading(tr("Latest changes"), 2)
    if not data.history:
        ui.label(sections.DASH)
        return
    results.history_groups(data.history, tr)
    link = tr(
        "Show the whole change history ({count})",
        count=history.change_count(data.history_total, tr.lang),
    )
    ui.link(link, f"/projects/{data.id}/history")


# --- history page ------------------------------------------------------------------------


@dataclass
class HistoryData:
    name: str
    wanted: history.HistoryFilter
    history: history.ReadableHistory


def _load_history(
    actor: Actor,
    lang: str,
    *,
    project_id: int,
    who: str | None,
    what: str | None,
    since: str | None,
    until: str | None,
    page: str,
) -> HistoryData | None:
    wanted = history.HistoryFilter(
        actor=who or None, field=what or None, since=_day(since), until=_day(until)
    )
    number = max(1, int(page)) if page.isdigit() else 1
    with session(actor) as db_session:
        try:
            project = get_project(db_session, project_id, actor=actor)
        except NotFound:
            return None
        result = history.readable_history(
            db_session,
            project_id,
            lang,
            wanted,
            page=number,
            page_size=HISTORY_PAGE_SIZE,
            actor=actor,
        )
        return HistoryData(name=project.name, wanted=wanted, history=result)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@page(
    router,
    "/projects/{project_id:int}/history",
    title=N_("Change history"),
    load=_load_history,
    not_found=PROJECT_NOT_FOUND,
)
async def history_page(
    opened: Opened[HistoryData],
    project_id: int,
    *,
    who: str | None = None,
    what: str | None = None,
    since: str | None = None,
    until: str | None = None,
    page: str = "1",
) -> None:
    # The query parameters are declared here (FastAPI reads them); the loader reads them.
    tr, data = opened.tr, opened.data
    ui.label(data.name).classes("text-subtitle1 text-weight-medium")
    ui.link(tr("Back to the project"), f"/projects/{project_id}")
    _history_filters(tr, project_id, data.history, data.wanted)
    result = data.history
    ui.label(history.change_count(result.total, tr.lang)).classes("text-body1")
    if result.groups:
        results.history_groups(result.groups, tr)
    _history_pager(
        tr, project_id=project_id, wanted=data.wanted, page=result.page, last=result.pages
    )


def _history_filters(
    tr: Translator, project_id: int, found: history.ReadableHistory, wanted: history.HistoryFilter
) -> None:
    """Who, which field, between which dates: the page reloads with the choices in its address."""
    with ui.element("form").classes("row items-end gap-4 q-my-sm") as form:
        form.props('role="search"')
        who = ui.select(
            {"": tr("Everyone"), **{a: a for a in found.actors}},
            value=wanted.actor or "",
            label=tr("Who"),
        ).classes("min-w-40")
        what = ui.select(
            {"": tr("All fields"), **{c.value: c.label for c in found.fields}},
            value=wanted.field if wanted.field in {c.value for c in found.fields} else "",
            label=tr("Field"),
        ).classes("min-w-60")
        since = date_input(tr("From"), tr, day_text(wanted.since))
        until = date_input(tr("To"), tr, day_text(wanted.until))

        def typed(field: ui.date_input) -> str | None:
            """The day as ISO for the address, "" when blank, None (and marked) when not a day."""
            try:
                day = parse_day(field.value)
            except ValueError:
                field.props(f'error error-message="{tr("Write the date as 1.11.2020.")}"')
                return None
            field.props(remove="error error-message")
            return day.isoformat() if day else ""

        def apply() -> None:
            days = typed(since), typed(until)
            if None in days:
                return
            params = {
                "who": who.value or "",
                "what": what.value or "",
                "since": days[0] or "",
                "until": days[1] or "",
            }
            query = urlencode({k: v for k, v in params.items() if v})
            ui.navigate.to(f"/projects/{project_id}/history" + (f"?{query}" if query else ""))

        ui.button(tr("Show"), on_click=apply)
        if wanted.actor or wanted.field or wanted.since or wanted.until:
            ui.link(tr("Show all changes"), f"/projects/{project_id}/history")


def _history_pager(
    tr: Translator, *, project_id: int, wanted: history.HistoryFilter, page: int, last: int
) -> None:
    if last == 1:
        return

    def href(target: int) -> str:
        params: dict[str, str | int] = {"page": target}
        if wanted.actor:
            params["who"] = wanted.actor
        if wanted.field:
            params["what"] = wanted.field
        if wanted.since:
            params["since"] = wanted.since.isoformat()
        if wanted.until:
            params["until"] = wanted.until.isoformat()
        return f"/projects/{project_id}/history?{urlencode(params)}"

    pages = tr("Pages")
    with ui.element("nav").props(f'aria-label="{pages}"'), ui.row().classes("items-center gap-4"):
        if page > 1:
            ui.link(tr("Previous page"), href(page - 1))
        ui.label(tr("Page {page} of {last}", page=page, last=last))
        if page < last:
            ui.link(tr("Next page"), href(page + 1))
