"""Shared pieces of the administration pages: sub-navigation, plain tables, running an action,
the edit dialog and the add form.

Every action that changes data goes through ``admin_action``: it reloads the signed-in user
(``guarded`` + ``require_admin``: a user demoted a second ago is refused), runs the service in
a worker thread with a fresh audited session, and turns refusals and validation problems into
messages the user can read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from nicegui import run, ui
from nicegui.elements.mixins.value_element import ValueElement
from sqlalchemy.orm import Session

from project_db.errors import N_, NotFound, RegistryError, ValidationFailed

from ...i18n import describe_problem, moment
from ...services.access import Actor, Forbidden, require_admin
from ..context import Translator, guarded, notify_forbidden, session
from ..layout import dialog_title

T = TypeVar("T")
Refresh = Callable[[], Any]  # what redraws a table after a change

TIMEZONE = ZoneInfo("Europe/Helsinki")

ROLE_LABELS = {
    "admin": N_("Administrator"),
    "manager": N_("Project manager"),
    "reviewer": N_("Reviewer"),
    "viewer": N_("Viewer"),
}

# (path, title) of the parts of the administration, in the order of the sub-navigation.
SECTIONS: list[tuple[str, str]] = [
    ("/admin/users", N_("Users")),
    ("/admin/tokens", N_("API tokens")),
    ("/admin/codes", N_("Code lists")),
    ("/admin/calendar", N_("Reporting calendar")),
    ("/admin/organisations", N_("Organisations")),
    ("/admin/import", N_("Import")),
    ("/admin/export", N_("Export")),
]
# Parts with pages of their own (registered apart from SECTIONS) that the sub-navigation also
# links to.
MORE_SECTIONS: list[tuple[str, str]] = [
    ("/admin/indicators", N_("Indicator catalogue")),
]

_TABLE_CSS = (
    ".admin-table{border-collapse:collapse;width:100%}"
    ".admin-table th,.admin-table td{border-bottom:1px solid #d1d5db;padding:6px 8px;"
    "text-align:left;vertical-align:middle}"
    ".admin-table th{background:#f3f4f6;font-weight:600;color:#111827}"
    # The caption names the table for screen readers; the page's heading already shows it.
    ".admin-table caption{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap}"
)


def role_label(tr: Translator, role: str) -> str:
    return tr(ROLE_LABELS[role]) if role in ROLE_LABELS else role


def date_time(tr: Translator, value: datetime | None) -> str:
    """23.11.2026 klo 14.05 (Finnish time), or a dash when there is no time."""
    if value is None:
        return "–"
    return moment(value, tr.lang)


def admin_nav(tr: Translator, current: str | None = None) -> None:
    """Links to every part of the administration; the current one is marked for screen readers."""
    name = tr("Administration sections")
    with ui.element("nav").props(f'aria-label="{name}"'), ui.row().classes("gap-4 flex-wrap"):
        ui.link(tr("Overview"), "/admin").props('aria-current="page"' if current is None else "")
        for path, title in SECTIONS + MORE_SECTIONS:
            link = ui.link(tr(title), path)
            if path == current:
                link.props('aria-current="page"').classes("font-bold")


@contextmanager
def data_table(tr: Translator, caption: str, headers: list[str]) -> Iterator[None]:
    """A real <table> with a caption and a header row; add rows with ``table_row``."""
    ui.add_css(_TABLE_CSS)
    with ui.element("div").classes("w-full overflow-x-auto"), ui.element("table") as table:
        table.classes("admin-table")
        with ui.element("caption"):
            ui.label(caption)
        with ui.element("thead"), ui.element("tr"):
            for header in headers:
                with ui.element("th").props('scope="col"'):
                    ui.label(header)
        with ui.element("tbody"):
            yield


@contextmanager
def table_row() -> Iterator[None]:
    with ui.element("tr"):
        yield


def cell(text: str) -> None:
    with ui.element("td"):
        ui.label(text)


@contextmanager
def action_cell() -> Iterator[None]:
    with ui.element("td"), ui.row().classes("gap-1 items-center no-wrap"):
        yield


def fresh_admin(tr: Translator) -> Actor | None:
    """The signed-in user read afresh, if still an active administrator (else a message)."""

    def check(actor: Actor) -> Actor:
        require_admin(actor)
        return actor

    result: Actor | None = guarded(tr, check)
    return result


def problem_text(tr: Translator, exc: RegistryError) -> str:
    if isinstance(exc, ValidationFailed):
        return " ".join(describe_problem(p, tr.lang) for p in exc.problems)
    if isinstance(exc, NotFound):
        return tr("The item was not found. It may have been removed; reload the page.")
    return str(exc)


async def admin_action(
    tr: Translator,
    work: Callable[[Session, Actor], T],
    *,
    errors: ui.label | None = None,
) -> tuple[bool, T | None]:
    """Run ``work(session, actor)`` for a fresh administrator in a worker thread.

    Returns (True, result) on success. Problems go to ``errors`` (a role="alert" label) or to
    a notification, and (False, None) is returned.
    """
    if errors is not None:
        errors.set_text("")
    actor = fresh_admin(tr)
    if actor is None:
        return False, None

    def run_in_thread() -> T:
        with session(actor) as db_session:
            return work(db_session, actor)

    try:
        return True, await run.io_bound(run_in_thread)
    except Forbidden:
        notify_forbidden(tr)
    except RegistryError as exc:
        text = problem_text(tr, exc)
        if errors is not None:
            errors.set_text(text)
        else:
            ui.notify(text, type="negative", multi_line=True)
    return False, None


def alert_label() -> ui.label:
    """A place for error messages that screen readers announce when the text changes."""
    return ui.label().classes("text-negative").props('role="alert"')


def read_for_page(actor: Actor, work: Callable[[Session, Actor], T]) -> T:
    """Read data while building a page (the page itself already checked the role)."""
    with session(actor) as db_session:
        return work(db_session, actor)


def confirm(tr: Translator, question: str, action_text: str, on_yes: Callable[[], Any]) -> None:
    """A small modal asking to confirm an irreversible action."""
    # The dialog's own root is the alertdialog (not a second role inside Quasar's "dialog"),
    # named by the question.
    dialog = ui.dialog()
    question_id = f"confirm-question-{dialog.id}"
    dialog.props(f'role="alertdialog" aria-labelledby="{question_id}"')
    with dialog, ui.card():
        ui.label(question).props(f'id="{question_id}"')
        with ui.row().classes("justify-end w-full"):
            ui.button(tr("Cancel"), on_click=dialog.close).props("flat")

            async def yes() -> None:
                dialog.close()
                result = on_yes()
                if hasattr(result, "__await__"):
                    await result

            ui.button(action_text, on_click=yes).props("color=negative")
    dialog.open()


@dataclass(frozen=True)
class DialogSave:
    """What an ``edit_dialog``'s Save (or an ``add_form``'s button) does.

    ``work`` runs through ``admin_action`` (it reads the inputs when it runs); ``saved`` is the
    notification after success (a function when it names what was typed), ``then`` runs after
    it (a table's refresh). ``check`` refuses before the service: it returns the message to
    show, or None to go on. ``clear``: the inputs an add form empties after success.
    """

    work: Callable[[Session, Actor], object]
    saved: str | Callable[[], str]
    then: Refresh | None = None
    check: Callable[[], str | None] | None = None
    clear: tuple[ValueElement[Any], ...] = ()


async def _save(tr: Translator, action: DialogSave, errors: ui.label) -> bool:
    """``action``'s check, then its work; a refusal goes to ``errors``. True when saved."""
    problem = action.check() if action.check is not None else None
    if problem:
        errors.set_text(problem)
        return False
    ok, _ = await admin_action(tr, action.work, errors=errors)
    return ok


def _saved(action: DialogSave) -> None:
    saved = action.saved if isinstance(action.saved, str) else action.saved()
    ui.notify(saved, type="positive")
    for field in action.clear:
        field.set_value("")
    if action.then is not None:
        action.then()


def edit_dialog(
    tr: Translator, title: str, rows: Callable[[], DialogSave], *, width: str = "w-96"
) -> None:
    """A modal form, opened at once: the ``title`` (which names the dialog), the rows that
    ``rows()`` builds, an error line (role="alert"), Cancel and Save. ``rows`` returns what
    Save does; the dialog closes only after a successful save."""
    with ui.dialog() as dialog, ui.card().classes(width):
        dialog_title(dialog, title)
        action = rows()
        errors = alert_label()

        async def save() -> None:
            if await _save(tr, action, errors):
                dialog.close()
                _saved(action)

        with ui.row().classes("justify-end w-full"):
            ui.button(tr("Cancel"), on_click=dialog.close).props("flat")
            ui.button(tr("Save"), on_click=save)
    dialog.open()


def add_form(tr: Translator, button: str, rows: Callable[[], DialogSave]) -> None:
    """A form (a card) that adds something: the rows that ``rows()`` builds, an error line
    (role="alert") and the ``button``; after a successful add its ``clear`` inputs are
    emptied."""
    form = ui.card().classes("w-full max-w-xl").props('role="form"')
    with form, ui.column().classes("w-full items-stretch gap-1"):
        action = rows()
        errors = alert_label()

        async def add() -> None:
            if await _save(tr, action, errors):
                _saved(action)

        ui.button(button, on_click=add).classes("self-start")


def row_button(text: str, target: str, on_click: Callable[..., Any]) -> ui.button:
    """A small button in a table row; its accessible name also names the row (``text: target``)."""
    button = ui.button(text, on_click=on_click).props("flat dense no-caps")
    button.props["aria-label"] = f"{text}: {target}"
    return button
