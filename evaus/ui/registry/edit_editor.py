"""The project editor's state and saving: one working copy, saved whole from every tab.

Saving is explicit ("Save" on every tab): the document is checked as a whole, so a half-typed
row does not fail a save behind the user's back. Nothing is lost unnoticed: a status line says
when there are unsaved changes, and leaving the page with them asks first (the page's own
"back" link with a dialog, everything else with the browser's ``beforeunload`` question).

The project's version is remembered when the page opens. Saving sends it along; if somebody
else saved in between, the services raise ``ConflictError`` and the user sees what the other
person changed — nothing is overwritten silently.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from nicegui import run, ui

from project_db.codes import COST_CATEGORY_LISTS
from project_db.errors import ConflictError, ConflictInfo, NotFound, Problem, ValidationFailed

from ...i18n import HELSINKI, clock, describe_problem, field_label, moment
from ...services import codelists, editing
from ...services.access import Actor, Forbidden
from ..context import Translator, handler_actor, notify_forbidden, session
from ..layout import dialog_title
from .edit_fields import Data, bound_inputs, field_of, from_form, set_error, to_form

CODE_LISTS = (
    "status",
    "project_type",
    "portfolio",
    "region",
    "budget_class",
    "section",
    "funder",
    "organisation_type",
    "organisation_role",
    "gender",
    "age_class",
    "labour_status",
    "education",
    *COST_CATEGORY_LISTS.values(),
)
__all__ = ["CODE_LISTS", "EDITOR_RECONNECT_SECONDS", "HELSINKI", "Editor", "show_problems"]

# How long the server keeps an editor page whose browser has lost its connection (NiceGUI's
# ``reconnect_timeout``, 3 s by default): the working copy is on the server, and a browser that
# reconnects later than that reloads the page without it. A machine busy for a few seconds
# misses the socket's ping (NiceGUI's ping timeout is 2 s) and reconnects after it.
EDITOR_RECONNECT_SECONDS = 60.0

# Read by the page's ``beforeunload`` handler; the inputs set it at once, the server corrects it.
UNSAVED_FLAG = "window.evausUnsaved"


class Editor:
    """What every tab of the editor shares."""

    def __init__(self, tr: Translator, loaded: editing.Editable, codes: dict[str, Any]) -> None:
        self.tr = tr
        self.project_id = loaded.project_id
        self.name = loaded.name
        self.version = loaded.version
        self.locked = loaded.locked
        self.doc: Data = to_form(loaded.doc.model_dump(mode="json"), tr.lang)
        self.saved: Data = copy.deepcopy(self.doc)
        self.known_attachments = {a["key"] for a in self.doc["attachments"]}
        self.codes: dict[str, dict[str, str]] = codes["labels"]
        self.file_ids: dict[str, int] = codes["file_ids"]
        self.refreshers: list[Callable[[], Any]] = []
        self.on_renamed: Callable[[str], Any] | None = None
        self.summary: ui.column | None = None
        self.status: ui.label | None = None
        self.saving = False
        self.unsaved_shown = False

    def status_bar(self) -> None:
        """The summary of the last save's problems and the saving status (read out by screen
        readers), above the tabs; a timer notices unsaved changes."""
        self.summary = ui.column().classes("gap-1 text-negative").props('role="alert"')
        self.status = ui.label("").props('role="status" aria-live="polite"')
        self.status.classes(
            "fixed bottom-3 right-4 z-50 bg-white text-grey-10 text-body2 px-3 py-1 rounded "
            "shadow-2 empty:hidden"
        )
        ui.timer(0.5, self._watch)

    def unsaved(self) -> bool:
        return from_form(self.doc) != from_form(self.saved)

    def _watch(self) -> None:
        if self.saving or self.status is None:
            return
        unsaved = self.unsaved()
        if unsaved != self.unsaved_shown:
            self.unsaved_shown = unsaved
            if unsaved:
                self.status.set_text(self.tr("Unsaved changes"))
            ui.run_javascript(f"{UNSAVED_FLAG} = {'true' if unsaved else 'false'};")

    @staticmethod
    def load(actor: Actor, project_id: int, lang: str) -> tuple[editing.Editable, dict[str, Any]]:
        """Blocking: the project and the code labels (raises ``Forbidden`` for non-editors)."""
        with session(actor) as db_session:
            loaded = editing.load_for_edit(db_session, project_id, actor)
            labels = {
                name: codelists.labels(db_session, name, lang, actor=actor) for name in CODE_LISTS
            }
            file_ids = editing.attachment_ids(db_session, project_id, actor=actor)
        return loaded, {"labels": labels, "file_ids": file_ids}

    # --- saving ---------------------------------------------------------------------------

    def save_bar(self) -> None:
        """The Save button at the end of each tab."""
        ui.button(self.tr("Save"), icon="save", on_click=self.save)

    async def save(self) -> bool:
        """Save the whole working copy; True when it was stored."""
        tr = self.tr
        actor = handler_actor(tr)
        if actor is None or self.saving:
            return False
        snapshot = copy.deepcopy(self.doc)  # the user may type on while this is saved
        payload = from_form(snapshot)
        expected = self.version
        known = set(self.known_attachments)

        def work() -> int:
            with session(actor) as db_session:
                return editing.save_edited(
                    db_session,
                    self.project_id,
                    payload,
                    expected_version=expected,
                    known_attachments=known,
                    actor=actor,
                )

        self.saving = True
        self._set_status(tr("Saving…"))
        try:
            version = await run.io_bound(work)
        except Forbidden:
            self._set_status(tr("Not saved."))
            notify_forbidden(tr)
            return False
        except ValidationFailed as failure:
            self._set_status(tr("Not saved."))
            self.show_problems(failure.problems)
            return False
        except ConflictError as conflict:
            # Also a save that lost a race with one made at the same moment (``StaleWrite``).
            self._set_status(tr("Not saved."))
            self.conflict_dialog(conflict.info)
            return False
        except NotFound:  # deleted while the editor was open
            self._set_status(tr("Not saved."))
            ui.notify(
                tr("The item was not found. It may have been removed; reload the page."),
                type="negative",
            )
            return False
        finally:
            self.saving = False
        if version is None:  # the server is shutting down
            return False
        self.version = version
        self.saved = snapshot
        self.known_attachments |= {a["key"] for a in self.doc["attachments"] if a.get("key")}
        self.show_problems([])
        self.unsaved_shown = self.unsaved()
        if not self.unsaved_shown:
            ui.run_javascript(f"{UNSAVED_FLAG} = false;")
        self._set_status(tr("Saved at {time}", time=clock(datetime.now(UTC), tr.lang)))
        self.after_save(str(payload.get("name") or ""))
        return True

    def after_save(self, name: str) -> None:
        """What shows the saved document elsewhere on the page: the heading, the lists' labels."""
        if name and name != self.name:
            self.name = name
            if self.on_renamed is not None:
                self.on_renamed(name)
        for refresh in self.refreshers:
            refresh()

    def _set_status(self, text: str) -> None:
        if self.status is not None:
            self.status.set_text(text)

    def show_problems(self, problems: list[Problem]) -> None:
        """Every problem at its input, and all of them in the summary for screen readers."""
        show_problems(self.tr, self.doc, self.summary, problems)

    # --- conflicts ------------------------------------------------------------------------

    def conflict_dialog(self, info: ConflictInfo) -> None:
        tr = self.tr
        with ui.dialog().props("persistent") as dialog, ui.card().classes("w-full max-w-3xl"):
            dialog_title(dialog, tr("Someone else has changed the project"))
            who = info.changed_by or tr("unknown user")
            when = _when(info.changed_at, tr)
            ui.label(tr("{who} saved the project {when}.", who=who, when=when))
            if info.changes:
                ui.label(tr("Their changes:")).classes("text-weight-medium")
                with ui.element("ul").classes("q-pl-lg"):
                    for field, old, new in info.changes:
                        line = tr(
                            "{field}: {old} → {new}",
                            field=field_label(field, tr.lang),
                            old=_short(old),
                            new=_short(new),
                        )
                        with ui.element("li"):
                            ui.label(line)
            mine = self.my_changes()
            ui.label(
                tr(
                    "Your changes were not saved. Copy them from here before you load the "
                    "latest version:"
                )
            ).classes("text-weight-medium")
            ui.textarea(tr("Your unsaved changes"), value="\n".join(mine) or "—").props(
                "readonly outlined rows=6"
            ).classes("w-full")
            with ui.row().classes("gap-2"):
                ui.button(tr("Load the latest version"), on_click=ui.navigate.reload)
                ui.button(tr("Cancel"), on_click=dialog.close).props("flat")
        dialog.open()

    def my_changes(self) -> list[str]:
        """Human-readable lines for what differs between the working copy and the last save."""
        lines: list[str] = []
        _diff(from_form(self.saved), from_form(self.doc), "", lines, self.tr)
        return lines


def _diff(old: Any, new: Any, path: str, lines: list[str], tr: Translator) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in dict.fromkeys([*old, *new]):
            _diff(old.get(key), new.get(key), f"{path}.{key}" if path else key, lines, tr)
    elif isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            _diff(
                old[i] if i < len(old) else None,
                new[i] if i < len(new) else None,
                f"{path}.{i}",
                lines,
                tr,
            )
    elif old != new and path:
        label = field_label(path, tr.lang)
        lines.append(f"{label}: {_short(_flat(old))} → {_flat(new)}")


def _flat(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return ", ".join(_flat(v) for v in value.values() if v not in (None, "", [], {}))
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    return str(value)


def _short(value: str | None, limit: int = 200) -> str:
    if value is None or value == "":
        return "—"
    return value if len(value) <= limit else value[:limit] + "…"


def _when(value: str | None, tr: Translator) -> str:
    if not value:
        return ""
    try:
        return moment(datetime.fromisoformat(value), tr.lang)
    except ValueError:
        return value


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def show_problems(
    tr: Translator, form: Data, summary: ui.column | None, problems: list[Problem]
) -> None:
    """Each problem next to its input (Quasar's error message) and all in ``summary``."""
    client = ui.context.client
    for element in bound_inputs(client):
        set_error(element, None)
    at_inputs: dict[int, list[str]] = {}
    elements = {
        (id(element.form_binding[0]), element.form_binding[1]): element  # type: ignore[attr-defined]
        for element in bound_inputs(client)
    }
    for problem in problems:
        found = field_of(form, problem.field) if problem.field else None
        if found is None:
            continue
        at = elements.get((id(found[0]), found[1]))
        if at is not None:
            # The input's label names the field: the message alone, with dates the user's way.
            text = describe_problem(replace(problem, field=""), tr.lang)
            at_inputs.setdefault(at.id, []).append(text)
            set_error(at, " ".join(at_inputs[at.id]))
    if summary is None:
        return
    summary.clear()
    if not problems:
        return
    with summary:
        ui.label(tr("Nothing was saved. Correct these and save again:")).classes(
            "text-weight-medium"
        )
        for problem in problems:
            ui.label(describe_problem(problem, tr.lang))
