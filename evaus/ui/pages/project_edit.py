"""Creating and editing projects: /projects/new and the tabbed editor /projects/{id}/edit.

The editor loads the project and its version once, edits a working copy, and every tab's
"Save" button saves the whole document with the loaded version (see ``edit_editor``).
"""

from __future__ import annotations

from typing import Any

from nicegui import APIRouter, run, ui

from project_db.errors import NotFound, ValidationFailed

from ...services import codelists, projects
from ...services.access import Actor, Forbidden, require_create
from ..context import (
    Translator,
    forbidden_notice,
    handler_actor,
    notify_forbidden,
    page_actor,
    session,
)
from ..layout import frame
from .edit_editor import CODE_LISTS, Editor
from .edit_fields import from_form
from .edit_tabs_basic import (
    basic_fields,
    basic_tab,
    descriptions_tab,
    funding_tab,
    organisations_tab,
    people_tab,
)
from .edit_tabs_plan import goals_tab, indicators_tab
from .edit_tabs_report import attachments_tab, participants_tab, periods_tab, values_tab

router = APIRouter()

NEW_PROJECT_FIELDS = (
    "name",
    "short_name",
    "status",
    "project_type",
    "portfolio",
    "start_date",
    "end_date",
    "region",
    "municipality",
    "budget_amount",
    "budget_class",
    "summary",
)


def _code_labels(actor: Actor, lang: str) -> dict[str, dict[str, str]]:
    with session(actor) as db_session:
        return {name: codelists.labels(db_session, name, lang) for name in CODE_LISTS}


@router.page("/projects/new")
async def new_project_page() -> None:
    found = page_actor(roles=("admin", "manager"))
    if found is None:
        return
    actor, tr = found
    codes = await run.io_bound(_code_labels, actor, tr.lang)
    assert codes is not None
    data: dict[str, Any] = dict.fromkeys(NEW_PROJECT_FIELDS, "")
    data["status"] = "valmistelussa" if "valmistelussa" in codes["status"] else ""
    with frame(tr, tr("New project"), actor):
        ui.label(
            tr("Give the basic information first; the rest is filled in on the editing page.")
        ).classes("text-body1")
        with ui.column().props('role="form"').classes("w-full gap-2"):
            basic_fields(tr, codes, data, full=False)
        alert = ui.column().classes("gap-1 text-negative").props('role="alert"')

        async def create() -> None:
            alert.clear()
            current = handler_actor(tr)
            if current is None:
                return
            payload = from_form(data)

            def work() -> int:
                with session(current) as db_session:
                    require_create(current)
                    return projects.create_project_for(db_session, payload, actor=current).id

            try:
                created = await run.io_bound(work)
            except Forbidden:
                notify_forbidden(tr)
                return
            except ValidationFailed as failure:
                _problems(tr, alert, failure)
                return
            ui.navigate.to(f"/projects/{created}/edit")

        with ui.row().classes("gap-2"):
            ui.button(tr("Create the project"), icon="add", on_click=create)
            ui.link(tr("Cancel"), "/projects").classes("self-center")


def _problems(tr: Translator, alert: ui.column, failure: ValidationFailed) -> None:
    from ...i18n import describe_problem

    with alert:
        ui.label(tr("Nothing was saved. Correct these and save again:")).classes(
            "text-weight-medium"
        )
        for problem in failure.problems:
            ui.label(describe_problem(problem, tr.lang))


@router.page("/projects/{project_id}/edit")
async def edit_project_page(project_id: int) -> None:
    found = page_actor()
    if found is None:
        return
    actor, tr = found
    try:
        found_project = await run.io_bound(Editor.load, actor, project_id, tr.lang)
    except Forbidden:
        forbidden_notice(tr)
        return
    except NotFound:
        with frame(tr, tr("Project not found"), actor):
            ui.link(tr("Back to the project list"), "/projects")
        return
    assert found_project is not None
    loaded, codes = found_project
    editor = Editor(tr, loaded, codes)
    with frame(tr, tr("Editing: {name}", name=loaded.name), actor):
        ui.link(tr("Back to the project page"), f"/projects/{project_id}")
        _tabs(editor)


def _tabs(editor: Editor) -> None:
    tr = editor.tr
    pages = [
        ("basic", tr("Basic information"), basic_tab),
        ("descriptions", tr("Descriptions"), descriptions_tab),
        ("funding", tr("Funding"), funding_tab),
        ("organisations", tr("Organisations"), organisations_tab),
        ("people", tr("People"), people_tab),
        ("goals", tr("Goals"), goals_tab),
        ("indicators", tr("Indicators"), indicators_tab),
        ("periods", tr("Reporting periods"), periods_tab),
        ("values", tr("Indicator values"), values_tab),
        ("participants", tr("Participants"), participants_tab),
        ("attachments", tr("Attachments"), attachments_tab),
    ]

    def shown() -> None:
        for refresh in editor.refreshers:
            refresh()

    with ui.tabs(on_change=shown).props("align=left outside-arrows mobile-arrows dense") as tabs:
        tabs.classes("w-full text-primary").props('aria-label="' + tr("Parts of the project") + '"')
        for name, label, _build in pages:
            ui.tab(name, label=label).props("no-caps")
    with ui.tab_panels(tabs, value="basic").classes("w-full").props("animated=false"):
        for name, _label, build in pages:
            with ui.tab_panel(name).classes("flex flex-col gap-3 q-px-none"):
                build(editor)
