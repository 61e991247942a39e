"""Reading one project: ``/projects/{id}`` (everything stored about it) and
``/projects/{id}/history`` (its audit trail, newest first).

History URL parameters: ``entity`` and ``entity_id`` narrow it to one record
(``?entity=funding&entity_id=3``), ``page`` pages through it (50 changes a page).
An unknown project id shows a "not found" page, never a server error.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from nicegui import APIRouter, run, ui

from project_db.errors import NotFound

from ...services import codelists, history
from ...services.access import Actor, can_edit_project
from ...services.projects import get_project, get_project_doc
from ..context import Translator, page_actor, session
from ..layout import frame, heading
from . import assessment_list, similar_panel
from . import view_results as results
from . import view_sections as sections
from .view_sections import AttachmentRow, ViewData

router = APIRouter()

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
RECENT_CHANGES = 5
HISTORY_PAGE_SIZE = 50


def _load(actor: Actor, project_id: int, lang: str) -> ViewData | None:
    with session(actor) as db_session:
        try:
            doc = get_project_doc(db_session, project_id)
        except NotFound:
            return None
        project = get_project(db_session, project_id)
        recent = history.project_history(db_session, project_id, page_size=RECENT_CHANGES)
        return ViewData(
            id=project_id,
            doc=doc,
            attachments=[
                AttachmentRow(a.id, a.filename, a.size, a.description) for a in project.attachments
            ],
            labels={name: codelists.labels(db_session, name, lang) for name in CODE_LISTS},
            can_edit=can_edit_project(db_session, actor, project_id),
            history=recent.items,
            history_total=recent.total,
        )


def not_found(tr: Translator, actor: Actor) -> None:
    with frame(tr, tr("Project not found"), actor):
        ui.label(tr("There is no project with this address. It may have been removed."))
        ui.link(tr("Back to the project list"), "/projects")


@router.page("/projects/{project_id:int}")
async def project_page(project_id: int) -> None:
    found = page_actor()
    if found is None:
        return
    actor, tr = found
    data = await run.io_bound(_load, actor, project_id, tr.lang)
    if data is None:
        not_found(tr, actor)
        return
    with frame(tr, data.doc.name, actor):
        _actions(tr, data)
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
    results.history_table(data.history, tr, data.id)
    link = tr("Show the whole change history ({count} changes)", count=data.history_total)
    ui.link(link, f"/projects/{data.id}/history")


# --- history page ------------------------------------------------------------------------


@dataclass
class HistoryData:
    name: str
    page: history.HistoryPage


def _load_history(
    actor: Actor, project_id: int, entity: str | None, entity_id: int | None, page: int
) -> HistoryData | None:
    with session(actor) as db_session:
        try:
            project = get_project(db_session, project_id)
        except NotFound:
            return None
        result = history.project_history(
            db_session,
            project_id,
            entity=entity,
            entity_id=entity_id,
            page=page,
            page_size=HISTORY_PAGE_SIZE,
        )
        return HistoryData(name=project.name, page=result)


@router.page("/projects/{project_id:int}/history")
async def history_page(
    project_id: int, entity: str | None = None, entity_id: str | None = None, page: str = "1"
) -> None:
    found = page_actor()
    if found is None:
        return
    actor, tr = found
    record_id = int(entity_id) if entity_id and entity_id.isdigit() else None
    number = max(1, int(page)) if page.isdigit() else 1
    data = await run.io_bound(_load_history, actor, project_id, entity or None, record_id, number)
    if data is None:
        not_found(tr, actor)
        return
    with frame(tr, tr("Change history"), actor):
        ui.label(data.name).classes("text-subtitle1 text-weight-medium")
        with ui.row().classes("items-center gap-4"):
            ui.link(tr("Back to the project"), f"/projects/{project_id}")
            if entity:
                what = tr(history.ENTITY_LABELS.get(entity, entity))
                if record_id is not None:
                    what = f"{what} #{record_id}"
                ui.label(tr("Only the changes of: {record}", record=what))
                ui.link(tr("Show all changes"), f"/projects/{project_id}/history")
        total = data.page.total
        count = tr("1 change") if total == 1 else tr("{count} changes", count=total)
        ui.label(count).classes("text-body1")
        if data.page.items:
            results.history_table(data.page.items, tr, project_id)
        _history_pager(
            tr, project_id=project_id, entity=entity, record_id=record_id, page=number, total=total
        )


def _history_pager(
    tr: Translator,
    *,
    project_id: int,
    entity: str | None,
    record_id: int | None,
    page: int,
    total: int,
) -> None:
    last = max(1, -(-total // HISTORY_PAGE_SIZE))
    if last == 1:
        return

    def href(target: int) -> str:
        params: dict[str, str | int] = {"page": target}
        if entity:
            params["entity"] = entity
        if record_id is not None:
            params["entity_id"] = record_id
        return f"/projects/{project_id}/history?{urlencode(params)}"

    pages = tr("Pages")
    with ui.element("nav").props(f'aria-label="{pages}"'), ui.row().classes("items-center gap-4"):
        if page > 1:
            ui.link(tr("Previous page"), href(page - 1))
        ui.label(tr("Page {page} of {last}", page=page, last=last))
        if page < last:
            ui.link(tr("Next page"), href(page + 1))
