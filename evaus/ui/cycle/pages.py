"""The portfolio view of what is due: every due and overdue item (a manager: of their own
projects), filtered by funder, state, due dates and project manager. The filters are the page's
query string, so a filtered view can be bookmarked and shared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from nicegui import APIRouter, ui

from project_db.errors import N_

from ...services import codelists, deadlines
from ...services.access import Actor
from ..components import date_input, day_text, parse_day
from ..context import Translator, session
from ..page import Opened, page
from .components import STATE_LABELS, due_table

router = APIRouter()

ALL = ""  # every funder
ALL_STATES = "all"
OPEN = "open"  # due and overdue: the page's default


@dataclass
class DeadlineData:
    items: list[deadlines.DueItem]
    funders: dict[str, str]
    managers: list[tuple[int, str]]
    funder: str
    state: str
    start: date | None
    end: date | None
    manager: int | None
    bad_dates: bool


def _day(text: str) -> tuple[date | None, bool]:
    try:
        return parse_day(text), False
    except ValueError:
        return None, True


def _load(  # noqa: PLR0917 - one parameter per filter
    actor: Actor, lang: str, funder: str, state: str, start: str, end: str, manager: str
) -> DeadlineData:
    first, bad_start = _day(start)
    last, bad_end = _day(end)
    chosen = int(manager) if manager.isdigit() else None
    if state in deadlines.STATES:
        states: tuple[deadlines.State, ...] = (state,)
    else:
        states = () if state == ALL_STATES else deadlines.OPEN_STATES
    filters = deadlines.DueFilter(
        funder=funder or None, states=states, start=first, end=last, manager=chosen
    )
    with session(actor) as db_session:
        return DeadlineData(
            items=deadlines.due_items(db_session, actor=actor, filters=filters, lang=lang),
            funders=codelists.labels(db_session, "funder", lang, actor=actor),
            managers=deadlines.manager_options(db_session, actor=actor),
            funder=funder,
            state=state if state in deadlines.STATES or state == ALL_STATES else OPEN,
            start=first,
            end=last,
            manager=chosen,
            bad_dates=bad_start or bad_end,
        )


@page(router, "/deadlines", title=N_("Deadlines"), load=_load)
def deadlines_page(  # noqa: PLR0917 - one parameter per filter
    opened: Opened[DeadlineData],
    funder: str = "",
    state: str = OPEN,
    start: str = "",
    end: str = "",
    manager: str = "",
) -> None:
    tr, actor, data = opened.tr, opened.actor, opened.data
    if actor.role == "manager":
        ui.label(tr("The deadlines of the projects where you are in the team.")).classes(
            "text-body1"
        )
    _filters(tr, actor, data)
    if data.bad_dates:
        ui.label(tr("Write dates as d.m.yyyy, e.g. 1.11.2020.")).classes("text-negative").props(
            'role="alert"'
        )
    if not data.items:
        ui.label(tr("Nothing is due with these choices.")).classes("text-body1")
        return
    ui.label(tr("{count} items", count=len(data.items))).classes("text-body2")
    due_table(tr, tr("Deadlines"), data.items)


def _filters(tr: Translator, actor: Actor, data: DeadlineData) -> None:
    funders = {ALL: tr("All funders")} | {
        code: f"{code} – {label}" for code, label in sorted(data.funders.items())
    }
    states = {OPEN: tr("Due and overdue"), ALL_STATES: tr("All states")} | {
        state: tr(label) for state, label in STATE_LABELS.items()
    }
    search = ui.element("div").props('role="search"').classes("w-full")
    with search, ui.row().classes("items-end gap-4 flex-wrap"):
        chosen = data.funder if data.funder in funders else ALL
        funder = ui.select(funders, value=chosen, label=tr("Funder"))
        funder.classes("w-64")
        state = ui.select(states, value=data.state, label=tr("State")).classes("w-64")
        start = date_input(tr("Due from"), tr, day_text(data.start))
        end = date_input(tr("Due until"), tr, day_text(data.end))
        for day in (start, end):  # room for the whole label ("Määräpäivä viimeistään")
            day.classes(remove="w-44", add="w-60")
        manager = None
        if actor.role != "manager":
            people = {0: tr("All project managers")} | dict(data.managers)
            manager = ui.select(
                people,
                value=data.manager if data.manager in people else 0,
                label=tr("Project manager"),
            ).classes("w-64")

        def show() -> None:
            query = {
                "funder": funder.value or "",
                "state": state.value,
                "start": start.value or "",
                "end": end.value or "",
                "manager": str(manager.value) if manager is not None and manager.value else "",
            }
            ui.navigate.to("/deadlines?" + urlencode({k: v for k, v in query.items() if v}))

        ui.button(tr("Show"), icon="filter_list", on_click=show)
