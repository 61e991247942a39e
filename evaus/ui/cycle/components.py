"""Due items as other pages show them: a table with headers, and a project's next due date."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from nicegui import run, ui
from sqlalchemy.orm import Session

from project_db.errors import N_, RegistryError

from ...reports import kinds
from ...services import deadlines
from ...services.access import Actor, Forbidden, can_edit_project
from ..admin.common import action_cell, cell, data_table, problem_text, row_button, table_row
from ..components import date_input, parse_day
from ..context import Translator, handler_actor, notify_forbidden, session
from ..layout import heading

STATE_LABELS = {
    "overdue": N_("Overdue"),
    "due": N_("Due soon"),
    "upcoming": N_("Upcoming"),
    "done": N_("Report archived"),
}


def state_label(tr: Translator, state: str) -> str:
    return tr(STATE_LABELS[state]) if state in STATE_LABELS else state


def covers(tr: Translator, item: deadlines.DueItem) -> str:
    """What the item is about: a period, a year, or a dash."""
    if item.period is not None:
        return tr("period {number}", number=item.period)
    if item.year is not None:
        return str(item.year)
    return "–"


def due_table(tr: Translator, caption: str, items: list[deadlines.DueItem]) -> None:
    """Due date, project (a link), what is due (a link to the reports), period or year, state."""
    headers = [tr("Due date"), tr("Project"), tr("What is due"), tr("Period or year"), tr("State")]
    with data_table(tr, caption, headers):
        for item in items:
            with table_row():
                cell(tr.date(item.due_on))
                with ui.element("td"):
                    ui.link(item.project_name, f"/projects/{item.project_id}")
                with ui.element("td"):
                    ui.link(item.title, item.url)
                cell(covers(tr, item))
                with ui.element("td"):
                    label = ui.label(state_label(tr, item.state))
                    if item.state == "overdue":
                        label.classes("text-negative text-weight-medium")


def next_due_text(tr: Translator, item: deadlines.DueItem) -> str:
    return tr(
        "Next report due {date}: {title} ({covers}) – {state}",
        date=tr.date(item.due_on),
        title=item.title,
        covers=covers(tr, item),
        state=state_label(tr, item.state),
    )


def _next_due(actor: Actor, project_id: int) -> deadlines.DueItem | None:
    with session(actor) as db_session:
        return deadlines.next_due(db_session, project_id, actor=actor)


async def next_due_line(tr: Translator, actor: Actor, project_id: int) -> None:
    """One line on a project's pages: its next report and when it is due (nothing if none)."""
    item = await run.io_bound(_next_due, actor, project_id)
    if item is None:
        return
    label = ui.label(next_due_text(tr, item)).classes("text-body1 break-words")
    label.props('data-testid="next-due"')
    if item.state == "overdue":
        label.classes("text-negative")


# --- a project's deadlines added by hand ------------------------------------------------------


def _project_deadlines(actor: Actor, project_id: int) -> tuple[list[deadlines.DeadlineOut], bool]:
    with session(actor) as db_session:
        rows = deadlines.list_deadlines(db_session, project_id, actor=actor)
        return rows, can_edit_project(db_session, actor, project_id)


def _write(actor: Actor, work: Callable[[Session, Actor], object]) -> object:
    with session(actor) as db_session:
        return work(db_session, actor)


async def project_deadlines(tr: Translator, actor: Actor, project_id: int) -> None:
    """The deadlines added by hand to the project (e.g. from a funding decision); whoever may
    edit the project adds and removes them here."""

    @ui.refreshable
    async def section() -> None:
        loaded = await run.io_bound(_project_deadlines, actor, project_id)
        if loaded is None:  # the server is shutting down
            return
        rows, can_edit = loaded
        heading(tr("Deadlines added by hand"), 2)
        if not rows:
            ui.label(tr("No deadlines have been added by hand.")).classes("text-body2")
        else:
            headers = [tr("Due date"), tr("Title"), tr("Report kind"), tr("Period"), tr("Actions")]
            with data_table(tr, tr("Deadlines added by hand"), headers):
                for row in rows:
                    with table_row():
                        cell(tr.date(row.due_on))
                        cell(row.title)
                        cell(_kind_text(tr, row.report_kind))
                        cell(str(row.period) if row.period is not None else "–")
                        with action_cell():
                            if can_edit:
                                row_button(tr("Delete"), row.title, partial(remove, row.id))
        if can_edit:
            _add_form(tr, add)

    async def run_write(
        work: Callable[[Session, Actor], object], errors: ui.label | None = None
    ) -> bool:
        fresh = handler_actor(tr)
        if fresh is None:
            return False
        try:
            await run.io_bound(_write, fresh, work)
        except Forbidden:
            notify_forbidden(tr)
            return False
        except RegistryError as exc:
            if errors is None:
                ui.notify(problem_text(tr, exc), type="negative")
            else:
                errors.set_text(problem_text(tr, exc))
            return False
        section.refresh()
        return True

    async def add(data: deadlines.DeadlineIn, errors: ui.label) -> bool:
        return await run_write(
            lambda s, a: deadlines.add_deadline(s, project_id, data, actor=a), errors
        )

    async def remove(deadline_id: int) -> None:
        await run_write(lambda s, a: deadlines.delete_deadline(s, deadline_id, actor=a))

    await section()


def _kind_text(tr: Translator, name: str | None) -> str:
    if name is None:
        return "–"
    if name not in kinds.names():
        return name
    return tr(kinds.get(name).label)


def _add_form(
    tr: Translator, add: Callable[[deadlines.DeadlineIn, ui.label], Awaitable[bool]]
) -> None:
    options = {"": tr("No report kind")} | {k.name: tr(k.label) for k in kinds.all_kinds()}
    with ui.row().classes("items-end gap-4 flex-wrap").props('role="group"') as group:
        group.props(f'aria-label="{tr("Add a deadline")}"')
        due = date_input(tr("Due date"), tr)
        title = ui.input(tr("Title")).classes("w-72")
        kind = ui.select(options, value="", label=tr("Report kind")).classes("w-64")
        period = ui.number(tr("Period"), min=1, precision=0).classes("w-28")
    errors = ui.label().classes("text-negative").props('role="alert"')

    async def submit() -> None:
        errors.set_text("")
        try:
            day = parse_day(due.value)
        except ValueError:
            day = None
        if day is None:
            errors.set_text(tr("Write dates as d.m.yyyy, e.g. 1.11.2020."))
            return
        data = deadlines.DeadlineIn(
            due_on=day,
            title=(title.value or "")[: deadlines.MAX_TITLE],
            report_kind=kind.value or None,
            period=int(period.value) if period.value is not None else None,
        )
        if await add(data, errors):
            ui.notify(tr("The deadline was added."), type="positive")

    ui.button(tr("Add a deadline"), icon="add", on_click=submit)
