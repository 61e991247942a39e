"""Creating and editing projects: /projects/new and the tabbed editor /projects/{id}/edit.

The editor loads the project and its version once, edits a working copy, and every tab's
"Save" button saves the whole document with the loaded version (see ``edit_editor``). Leaving
with unsaved changes asks first.
"""

from __future__ import annotations

from html import escape
from typing import Any

from nicegui import run, ui

from project_db.errors import N_, ValidationFailed

from ...services import codelists, editing, projects
from ...services.access import Actor, Forbidden, require_create
from ..context import handler_actor, notify_forbidden, session
from ..layout import dialog_title
from ..page import Opened, missing_page, page
from .edit_editor import CODE_LISTS, EDITOR_RECONNECT_SECONDS, UNSAVED_FLAG, Editor, show_problems
from .edit_fields import from_form
from .edit_tabs_basic import (
    basic_fields,
    basic_tab,
    descriptions_tab,
    funding_tab,
    organisations_tab,
    people_tab,
)
from .edit_tabs_money import money_tab
from .edit_tabs_plan import goals_tab, indicators_tab
from .edit_tabs_report import attachments_tab, participants_tab, periods_tab, values_tab
from .router import router

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
        return {name: codelists.labels(db_session, name, lang, actor=actor) for name in CODE_LISTS}


@page(
    router,
    "/projects/new",
    title=N_("New project"),
    roles=("admin", "manager"),
    load=_code_labels,
)
async def new_project_page(opened: Opened[dict[str, dict[str, str]]]) -> None:
    tr, codes = opened.tr, opened.data
    data: dict[str, Any] = dict.fromkeys(NEW_PROJECT_FIELDS, "")
    data["status"] = "valmistelussa" if "valmistelussa" in codes["status"] else ""
    ui.label(
        tr("Give the basic information first; the rest is filled in on the editing page.")
    ).classes("text-body1")
    with ui.column().props('role="form"').classes("w-full gap-2"):
        basic_fields(tr, codes, data, full=False)
    alert = ui.column().classes("gap-1 text-negative").props('role="alert"')

    async def create() -> None:
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
            show_problems(tr, data, alert, failure.problems)
            return
        ui.navigate.to(f"/projects/{created}/edit")

    with ui.row().classes("gap-2"):
        ui.button(tr("Create the project"), icon="add", on_click=create)
        ui.link(tr("Cancel"), "/projects").classes("self-center")


@page(
    router,
    "/projects/{project_id}/edit",
    title=lambda tr, found: tr("Editing: {name}", name=found[0].name),
    load=Editor.load,  # raises Forbidden for non-editors: the "no access" page
    not_found=missing_page(N_("Project not found"), N_("Back to the project list"), "/projects"),
    # The unsaved working copy lives with the page on the server: a connection that drops for
    # a moment (a busy machine misses the socket's ping) comes back to it instead of reloading
    # the page without the user's changes.
    reconnect_timeout=EDITOR_RECONNECT_SECONDS,
)
def edit_project_page(
    opened: Opened[tuple[editing.Editable, dict[str, Any]]], project_id: int
) -> None:
    title = ui.context.slot.children[-1]  # the page's <h1>, written by ``frame``
    assert isinstance(title, ui.html)
    tr = opened.tr
    loaded, codes = opened.data
    editor = Editor(tr, loaded, codes)

    def renamed(name: str) -> None:
        text = tr("Editing: {name}", name=name)
        title.set_content(f'<h1 class="text-h5 q-my-sm">{escape(text)}</h1>')
        ui.page_title(f"{text} – EVAUS")

    editor.on_renamed = renamed
    _guard_leaving(editor, f"/projects/{project_id}")
    editor.status_bar()
    _tabs(editor)


# Typing marks the page unsaved at once (the server's check follows within half a second);
# the browser then asks before a reload, a closed tab or a link elsewhere drops the changes.
_LEAVE_GUARD_JS = f"""<script>
{UNSAVED_FLAG} = false;
document.addEventListener("input", () => {{ {UNSAVED_FLAG} = true; }}, true);
window.addEventListener("beforeunload", (event) => {{
  if ({UNSAVED_FLAG}) {{ event.preventDefault(); event.returnValue = ""; }}
}});
</script>"""


def _guard_leaving(editor: Editor, back: str) -> None:
    """The link back to the project: with unsaved changes it asks what to do with them."""
    tr = editor.tr
    ui.add_body_html(_LEAVE_GUARD_JS)

    with ui.dialog() as dialog, ui.card().classes("w-full max-w-lg"):
        dialog_title(dialog, tr("Leave the page?"))
        ui.label(tr("You have unsaved changes."))

        async def save_and_leave() -> None:
            dialog.close()
            if await editor.save():
                ui.navigate.to(back)

        def leave() -> None:
            dialog.close()
            ui.run_javascript(f"{UNSAVED_FLAG} = false;")
            ui.navigate.to(back)

        with ui.row().classes("gap-2"):
            ui.button(tr("Save and leave"), on_click=save_and_leave)
            ui.button(tr("Leave without saving"), on_click=leave).props("outline")
            ui.button(tr("Stay on this page"), on_click=dialog.close).props("flat")

    def clicked() -> None:
        if editor.unsaved():
            dialog.open()
        else:
            ui.run_javascript(f"{UNSAVED_FLAG} = false;")
            ui.navigate.to(back)

    link = ui.link(tr("Back to the project page"), back)
    # The click stays on the page; the server knows whether anything is unsaved.
    link.on("click", clicked, js_handler="(event) => { event.preventDefault(); emit(); }")


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
        ("money", tr("Finance and participants"), money_tab),
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
