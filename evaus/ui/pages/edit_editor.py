"""The project editor's state and saving: one working copy, saved whole from every tab.

The project's version is remembered when the page opens. Saving sends it along; if somebody
else saved in between, the services raise ``ConflictError`` and the user sees what the other
person changed — nothing is overwritten silently.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from nicegui import run, ui

from project_db.errors import ConflictError, ConflictInfo, NotFound, Problem, ValidationFailed

from ...i18n import describe_problem, field_label
from ...services import codelists, editing
from ...services.access import Actor, Forbidden
from ..context import Translator, handler_actor, notify_forbidden, session
from .edit_fields import Data, from_form, to_form

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
)
HELSINKI = ZoneInfo("Europe/Helsinki")


class Editor:
    """What every tab of the editor shares."""

    def __init__(self, tr: Translator, loaded: editing.Editable, codes: dict[str, Any]) -> None:
        self.tr = tr
        self.project_id = loaded.project_id
        self.name = loaded.name
        self.version = loaded.version
        self.doc: Data = to_form(loaded.doc.model_dump(mode="json"), tr.lang)
        self.saved: Data = copy.deepcopy(self.doc)
        self.known_attachments = {a["key"] for a in self.doc["attachments"]}
        self.codes: dict[str, dict[str, str]] = codes["labels"]
        self.file_ids: dict[str, int] = codes["file_ids"]
        self.refreshers: list[Callable[[], Any]] = []

    @staticmethod
    def load(actor: Actor, project_id: int, lang: str) -> tuple[editing.Editable, dict[str, Any]]:
        """Blocking: the project and the code labels (raises ``Forbidden`` for non-editors)."""
        with session(actor) as db_session:
            loaded = editing.load_for_edit(db_session, project_id, actor)
            labels = {name: codelists.labels(db_session, name, lang) for name in CODE_LISTS}
            file_ids = editing.attachment_ids(db_session, project_id)
        return loaded, {"labels": labels, "file_ids": file_ids}

    # --- saving ---------------------------------------------------------------------------

    def save_bar(self) -> None:
        """The problems of the last save and the Save button, at the end of each tab."""
        alert = ui.column().classes("gap-1 text-negative").props('role="alert"')
        ui.button(self.tr("Save"), icon="save", on_click=lambda: self.save(alert))

    async def save(self, alert: ui.column) -> None:
        tr = self.tr
        alert.clear()
        actor = handler_actor(tr)
        if actor is None:
            return
        payload = from_form(self.doc)
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

        try:
            version = await run.io_bound(work)
        except Forbidden:
            notify_forbidden(tr)
            return
        except ValidationFailed as failure:
            self.show_problems(alert, failure.problems)
            return
        except ConflictError as conflict:
            # Also a save that lost a race with one made at the same moment (``StaleWrite``).
            self.conflict_dialog(conflict.info)
            return
        except NotFound:  # deleted while the editor was open
            ui.notify(
                tr("The item was not found. It may have been removed; reload the page."),
                type="negative",
            )
            return
        assert version is not None
        self.version = version
        self.saved = copy.deepcopy(self.doc)
        self.known_attachments |= {a["key"] for a in self.doc["attachments"] if a.get("key")}
        ui.notify(tr("Saved"), type="positive", color="green-9")

    def show_problems(self, alert: ui.column, problems: list[Problem]) -> None:
        with alert:
            ui.label(self.tr("Nothing was saved. Correct these and save again:")).classes(
                "text-weight-medium"
            )
            for problem in problems:
                ui.label(describe_problem(problem, self.tr.lang))

    # --- conflicts ------------------------------------------------------------------------

    def conflict_dialog(self, info: ConflictInfo) -> None:
        tr = self.tr
        with ui.dialog().props("persistent") as dialog, ui.card().classes("w-full max-w-3xl"):
            title = _escape(tr("Someone else has changed the project"))
            ui.html(f'<h2 class="text-h6 q-my-none">{title}</h2>', sanitize=False)
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
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:  # stored in UTC
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(HELSINKI)
    return f"{tr.date(moment.date())} {moment:%H:%M}"


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
