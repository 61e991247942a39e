"""Assessments: the list (``/assessments?status=luonnos``), the form for a new one
(``/assessments/new?project=12``) and the section on a project's page."""

from __future__ import annotations

from typing import Any

from nicegui import run, ui

from project_db.assessment_schemas import STATUSES
from project_db.errors import N_, ValidationFailed

from ...i18n import describe_problem
from ...services import assessment_frameworks as frameworks
from ...services import assessments as svc
from ...services.access import Actor, Forbidden, can_create_projects, can_edit_project
from ...services.projects import ProjectQuery, list_projects
from ..context import Translator, handler_actor, notify_forbidden, session
from ..layout import heading
from ..page import Opened, page
from .common import DASH, status_label
from .router import router


def _rows(tr: Translator, items: list[svc.AssessmentSummary]) -> list[dict[str, Any]]:
    return [
        {
            "id": a.id,
            "title": a.title,
            "project_id": a.project_id,
            "project": a.project_name or DASH,
            "status": status_label(tr, a.status),
            "version": a.version_number,
            "updated": tr.date(a.updated_at.date()),
        }
        for a in items
    ]


def assessment_table(tr: Translator, items: list[svc.AssessmentSummary], project: bool) -> None:
    columns = [{"name": "title", "label": tr("Title"), "field": "title", "align": "left"}]
    if project:
        columns.append({"name": "project", "label": tr("Project"), "field": "project"})
    columns += [
        {"name": "status", "label": tr("Status"), "field": "status", "align": "left"},
        {"name": "version", "label": tr("Version"), "field": "version", "align": "right"},
        {"name": "updated", "label": tr("Last changed"), "field": "updated", "align": "left"},
    ]
    for column in columns:
        column.setdefault("align", "left")
    table = ui.table(rows=_rows(tr, items), columns=columns, row_key="id")
    table.props("flat bordered wrap-cells hide-bottom").classes("w-full")
    table.add_slot(
        "body-cell-title",
        '<q-td :props="props"><a :href="\'/assessments/\' + props.row.id" '
        'class="nicegui-link">{{ props.value }}</a></q-td>',
    )
    if project:
        table.add_slot(
            "body-cell-project",
            '<q-td :props="props"><a v-if="props.row.project_id" '
            ':href="\'/projects/\' + props.row.project_id" class="nicegui-link">'
            "{{ props.value }}</a><span v-else>{{ props.value }}</span></q-td>",
        )


def _chosen(status: str) -> str | None:
    return status if status in STATUSES else None


def _list(actor: Actor, status: str) -> list[svc.AssessmentSummary]:
    chosen = _chosen(status)
    with session(actor) as db:
        return svc.list_assessments(db, status=[chosen] if chosen else None, actor=actor)


@page(router, "/assessments", title=N_("Impact assessments"), load=_list)
def assessments_page(opened: Opened[list[svc.AssessmentSummary]], status: str = "") -> None:
    tr, actor, items = opened.tr, opened.actor, opened.data
    chosen = _chosen(status)
    with ui.row().classes("items-center gap-4"):
        options = {"": tr("All")} | {s: status_label(tr, s) for s in STATUSES}
        select = ui.select(options, value=chosen or "", label=tr("Status")).classes("w-56")
        select.on_value_change(
            lambda e: ui.navigate.to(
                f"/assessments?status={e.value}" if e.value else "/assessments"
            )
        )
        if can_create_projects(actor):
            ui.button(
                tr("New assessment"),
                icon="add",
                on_click=lambda: ui.navigate.to("/assessments/new"),
            )
    count = tr("{count} assessments", count=len(items))
    ui.label(count).classes("text-subtitle1").props('role="status"')
    if items:
        assessment_table(tr, items or [], project=True)
    else:
        ui.label(tr("No assessments."))


async def project_assessments(
    tr: Translator, actor: Actor, project_id: int, can_edit: bool
) -> None:
    """The section "Impact assessments" on a project's page."""

    def work() -> list[svc.AssessmentSummary]:
        with session(actor) as db:
            return svc.list_assessments(db, project_id=project_id, actor=actor)

    items = await run.io_bound(work) or []
    heading(tr("Impact assessments of the project"), 2)
    if items:
        assessment_table(tr, items or [], project=False)
    else:
        ui.label(tr("No assessments."))
    if can_edit:
        target = f"/assessments/new?project={project_id}"
        with ui.row():
            ui.button(tr("New assessment"), icon="add", on_click=lambda: ui.navigate.to(target))


# --- a new assessment ---------------------------------------------------------------------


def _choices(actor: Actor, lang: str) -> tuple[dict[int, str], dict[str, str]]:
    """Projects the user may link to and the installed frameworks (newest versions)."""
    with session(actor) as db:
        page = list_projects(db, ProjectQuery(page_size=500), actor=actor)
        projects = {p.id: p.name for p in page.items if can_edit_project(db, actor, p.id)}
        names: dict[str, str] = {}
        for info in frameworks.list_frameworks(db, actor=actor):
            name = {"fi": info.name_fi, "sv": info.name_sv}.get(lang, info.name_en)
            names.setdefault(info.framework_id, name)
        return projects, names


@page(
    router,
    "/assessments/new",
    title=N_("New assessment"),
    roles=("admin", "manager"),
    load=_choices,
)
def new_assessment_page(
    opened: Opened[tuple[dict[int, str], dict[str, str]]], project: str = ""
) -> None:
    tr = opened.tr
    projects, framework_names = opened.data
    chosen_project = int(project) if project.isdigit() and int(project) in projects else None
    title = ui.input(tr("Title")).props("outlined").classes("w-full")
    decision = ui.textarea(tr("Decision to be made")).props("outlined autogrow")
    decision.classes("w-full")
    project_options: dict[int | None, str] = {None: tr("No project (standalone)")}
    project_options.update(dict(projects.items()))
    project_select = ui.select(
        project_options, value=chosen_project, label=tr("Project (optional)"), with_input=True
    ).classes("w-full")
    framework = ui.select(
        framework_names, value="default", label=tr("Assessment framework")
    ).classes("w-full")
    problems = ui.column().classes("gap-1 text-negative").props('role="alert"')

    async def create() -> None:
        problems.clear()
        current = handler_actor(tr)
        if current is None:
            return
        fields = {"title": title.value or "", "decision": decision.value or ""}

        def work() -> int:
            with session(current) as db:
                pid = project_select.value
                if pid is not None and not can_edit_project(db, current, pid):
                    raise Forbidden("may not link to this project")
                return svc.create_assessment(
                    db,
                    fields,
                    project_id=pid,
                    framework_id=framework.value or "default",
                    actor=current,
                ).id

        try:
            new_id = await run.io_bound(work)
        except Forbidden:
            notify_forbidden(tr)
            return
        except ValidationFailed as failure:
            with problems:
                for problem in failure.problems:
                    ui.label(describe_problem(problem, tr.lang))
            return
        ui.navigate.to(f"/assessments/{new_id}")

    with ui.row().classes("gap-2"):
        ui.button(tr("Create the assessment"), icon="add", on_click=create)
        ui.link(tr("Cancel"), "/assessments")
