"""What the assessment pages share: loading, autosave with the optimistic lock, the conflict
dialog, read-only text, status labels and the matrix cell colours.

Autosave: every input schedules a save under a key (one per answer, area, …): a typed edit
(``svc.SetAnswer`` …) or a function that calls the services. A timer stores what has been quiet
for ~0.7 s, one save at a time, each with the version the previous save returned. A save by
``svc.edit`` returns the new state (document, progress, checks, comparison), so the page
redraws from it without reading the assessment again (``fresh_state``). A stale version
(somebody else saved) stops the autosave and opens a dialog that shows their change and offers
a reload: nothing is overwritten silently.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from nicegui import run, ui
from sqlalchemy.orm import Session

from evaus.assessment import Comparison, Framework, Issue, PhaseProgress
from project_db.errors import N_, ConflictError, ConflictInfo, NotFound, ValidationFailed

from ...i18n import clock, describe_problem, moment, number
from ...labels import ENTITY_LABELS
from ...services import assessments as svc
from ...services.access import Actor, Forbidden
from ...services.projects import get_project_doc
from ..components import parse_day
from ..context import Translator, handler_actor, notify_forbidden, session
from ..layout import dialog_title
from ..page import missing_page

HELSINKI = ZoneInfo("Europe/Helsinki")
DASH = "—"
DEBOUNCE = 0.7

# Colour AND text: the symbol and the label are always written in the cell (WCAG 1.4.1).
DIRECTION_CLASSES = {
    "++": "bg-green-100 text-green-900",
    "+": "bg-green-100 text-green-800",
    "0": "bg-gray-100 text-gray-800",
    "-": "bg-red-100 text-red-800",
    "--": "bg-red-100 text-red-900",
    "+-": "bg-amber-100 text-amber-900",
    "?": "bg-amber-100 text-amber-900",
}
EMPTY_CLASSES = "bg-white text-gray-800 border border-dashed border-gray-500"

# A save: a typed edit, or a function (session, actor, expected version) that returns the new
# version or, from ``svc.edit``, the whole new state.
Work = Callable[[Session, Actor, int], "int | svc.Edited"] | svc.Edit


def status_label(tr: Translator, status: str) -> str:
    return tr(svc.STATUS_LABELS.get(status, status))


def when(value: datetime | str | None, tr: Translator) -> str:
    """A stored UTC moment in Finnish time: 3.4.2024 klo 12.03."""
    if value is None or value == "":
        return ""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment(at, tr.lang)


def short(value: str | None, limit: int = 200) -> str:
    if value is None or value == "":
        return DASH
    return value if len(value) <= limit else value[:limit] + "…"


def fte(value: Decimal | None, tr: Translator) -> str:
    if value is None:
        return DASH
    return tr("{count} FTE", count=f"{value.normalize():f}".replace(".", ","))


def assessment_title(doc: Any) -> None:
    """Under the page's heading: the assessment's title."""
    ui.label(doc.title).classes("text-subtitle1 text-weight-medium break-words")


def read_text(label: str, value: str | None) -> None:
    """A question and its answer for readers (text, never HTML)."""
    ui.label(label).classes("text-weight-medium")
    ui.label(value or DASH).classes("whitespace-pre-wrap break-words")


NOT_FOUND = missing_page(
    N_("Assessment not found"),
    N_("Back to the assessments"),
    "/assessments",
    text=N_("There is no assessment with this address. It may have been removed."),
)


# --- loading ------------------------------------------------------------------------------


@dataclass
class IndicatorInfo:
    key: str
    name: str
    unit: str
    latest: str  # the latest actual value with its period, or ""
    baseline: str = ""  # written in the user's language, with the unit
    target: str = ""


@dataclass
class Loaded:
    view: svc.AssessmentView
    framework: Framework
    progress: list[PhaseProgress]
    issues: list[Issue]
    comparison: Comparison
    versions: list[svc.AssessmentSummary]
    project_name: str | None
    indicators: list[IndicatorInfo] = field(default_factory=list)

    @property
    def doc(self) -> Any:
        return self.view.doc

    @property
    def editable(self) -> bool:
        return self.view.can_edit and not self.view.frozen


def load(actor: Actor, assessment_id: int, lang: str) -> Loaded | None:
    """Blocking: everything an assessment page shows (None when there is no such assessment)."""
    with session(actor) as db:
        try:
            view = svc.get_assessment(db, assessment_id, actor=actor)
        except NotFound:
            return None
        project_name = None
        indicators: list[IndicatorInfo] = []
        if view.project_id is not None:
            project = get_project_doc(db, view.project_id, actor=actor)
            project_name = project.name
            for indicator in project.indicators:
                values = sorted(indicator.values, key=lambda v: v.period)
                latest = ""
                if values:
                    last = values[-1]
                    latest = f"{last.value} {indicator.unit}".strip() + f" ({last.period})"
                baseline, target = (
                    f"{number(v, lang)} {indicator.unit}".strip() if v is not None else ""
                    for v in (indicator.baseline, indicator.target)
                )
                indicators.append(
                    IndicatorInfo(
                        indicator.key or "",
                        indicator.name,
                        indicator.unit,
                        latest,
                        baseline=baseline,
                        target=target,
                    )
                )
        return Loaded(
            view=view,
            framework=svc.framework_of(db, assessment_id, actor=actor),
            progress=svc.assessment_progress(db, assessment_id, actor=actor),
            issues=svc.check_assessment(db, assessment_id, lang, actor=actor),
            comparison=svc.comparison(db, assessment_id, actor=actor),
            versions=svc.list_versions(db, assessment_id, actor=actor),
            project_name=project_name,
            indicators=indicators,
        )


def load_state(actor: Actor, assessment_id: int, lang: str) -> tuple[Any, ...]:
    """Blocking: what changes while editing (progress, issues, comparison, the document),
    computed from one load of the assessment."""
    with session(actor) as db:
        view = svc.get_assessment(db, assessment_id, actor=actor)
        framework = svc.framework_of(db, assessment_id, actor=actor)
    return _state(svc.Edited(view.id, view.version, view.doc, framework, lang))


def _state(edited: svc.Edited) -> tuple[Any, ...]:
    return edited.progress, edited.issues, edited.comparison, edited.doc


async def fresh_state(
    saver: AutoSaver | None, actor: Actor, assessment_id: int, lang: str
) -> tuple[Any, ...] | None:
    """After a save: (progress, issues, comparison, document) as the save returned them, else
    read back (``load_state``; None when the server is shutting down)."""
    edited = saver.take_state() if saver is not None else None
    if edited is not None:
        return _state(edited)
    return await run.io_bound(load_state, actor, assessment_id, lang)


# --- autosave -----------------------------------------------------------------------------


@dataclass
class _Pending:
    due: float
    work: Work
    describe: str


class AutoSaver:
    """Saves parts of one assessment in the background; keeps the lock version."""

    def __init__(
        self,
        tr: Translator,
        assessment_id: int,
        version: int,
        on_saved: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.tr = tr
        self.assessment_id = assessment_id
        self.version = version
        self.on_saved = on_saved
        self.pending: dict[str, _Pending] = {}
        self.busy = False
        self.stopped = False
        self.state: svc.Edited | None = None  # what the last save returned
        self.status = ui.label("").props('role="status" aria-live="polite"')
        self.status.classes(
            "fixed bottom-3 right-4 z-50 bg-white text-grey-10 text-body2 px-3 py-1 rounded "
            "shadow-2 empty:hidden"
        )
        ui.timer(0.2, self._tick)

    def schedule(self, key: str, work: Work, describe: str = "") -> None:
        if self.stopped:
            return
        self.pending[key] = _Pending(time.monotonic() + DEBOUNCE, work, describe)
        self.status.set_text(self.tr("Saving…"))

    async def _tick(self) -> None:
        if self.busy or self.stopped:
            return
        now = time.monotonic()
        due = [key for key, item in self.pending.items() if item.due <= now]
        for key in due:
            item = self.pending.pop(key, None)
            if item is not None and not await self._run(item.work, item.describe):
                return

    async def flush(self) -> bool:
        """Store whatever is waiting (before a structural save or finishing)."""
        while self.busy:
            await _sleep()
        for key in list(self.pending):
            item = self.pending.pop(key)
            if not await self._run(item.work, item.describe):
                return False
        return True

    async def save(self, work: Work, describe: str = "") -> bool:
        """Save now (dialogs, buttons); True when stored."""
        if not await self.flush():
            return False
        return await self._run(work, describe)

    def take_state(self) -> svc.Edited | None:
        """The state the last save returned, once, when it is still the current one."""
        state, self.state = self.state, None
        return state if state is not None and state.version == self.version else None

    async def _run(self, work: Work, describe: str) -> bool:
        tr = self.tr
        if self.stopped:
            return False
        actor = handler_actor(tr)
        if actor is None:
            return False
        expected = self.version
        self.state = None
        assessment_id = self.assessment_id

        def job() -> int | svc.Edited:
            with session(actor) as db:
                if callable(work):
                    saved = work(db, actor, expected)
                else:
                    saved = svc.edit(
                        db,
                        assessment_id,
                        work,
                        expected_version=expected,
                        actor=actor,
                        lang=tr.lang,
                    )
            if isinstance(saved, svc.Edited):
                _state(saved)  # computed here, off the event loop
            return saved

        self.busy = True
        self.status.set_text(tr("Saving…"))
        try:
            saved = await run.io_bound(job)
        except Forbidden:
            self.status.set_text(tr("Not saved."))
            notify_forbidden(tr)
            return False
        except ConflictError as conflict:
            self.stopped = True
            self.status.set_text(tr("Not saved: someone else has changed the assessment."))
            conflict_dialog(tr, conflict.info, describe)
            return False
        except (ValidationFailed, NotFound) as failure:
            problems = getattr(failure, "problems", [])
            text = "; ".join(describe_problem(p, tr.lang) for p in problems) or str(failure)
            self.status.set_text(tr("Not saved: {problem}", problem=text))
            ui.notify(tr("Not saved: {problem}", problem=text), type="negative")
            return False
        finally:
            self.busy = False
        if saved is None:  # the server is shutting down
            return False
        if isinstance(saved, svc.Edited):
            self.version, self.state = saved.version, saved
        else:
            self.version = saved
        now = datetime.now(HELSINKI)
        if not self.pending:
            self.status.set_text(tr("Saved at {time}", time=clock(now, tr.lang)))
        if self.on_saved is not None and not self.pending:
            await self.on_saved()
        return True


async def _sleep() -> None:
    import asyncio

    await asyncio.sleep(0.05)


def change_label(tr: Translator, name: str) -> str:
    """'assessment_answer.text' → 'Vastaus (text)' for the conflict dialog."""
    entity, _, rest = name.replace(":", ".").partition(".")
    label = ENTITY_LABELS.get(entity)
    if label is None:
        return name
    return f"{tr(label)} ({rest})" if rest and rest != "text" else tr(label)


def conflict_dialog(tr: Translator, info: ConflictInfo, mine: str) -> None:
    with ui.dialog().props("persistent") as dialog, ui.card().classes("w-full max-w-3xl"):
        dialog_title(dialog, tr("Someone else has changed the assessment"))
        who = info.changed_by or tr("unknown user")
        ui.label(tr("{who} saved the assessment {when}.", who=who, when=when(info.changed_at, tr)))
        if info.changes:
            ui.label(tr("Their changes:")).classes("text-weight-medium")
            with ui.element("ul").classes("q-pl-lg"):
                for name, old, new in info.changes:
                    line = tr(
                        "{field}: {old} → {new}",
                        field=change_label(tr, name),
                        old=short(old),
                        new=short(new),
                    )
                    with ui.element("li"):
                        ui.label(line).classes("break-words")
        ui.label(
            tr("Your change was not saved. Copy it from here before you load the latest version:")
        ).classes("text-weight-medium")
        ui.textarea(tr("Your unsaved change"), value=mine or DASH).props(
            "readonly outlined rows=4"
        ).classes("w-full")
        with ui.row().classes("gap-2"):
            ui.button(tr("Load the latest version"), on_click=ui.navigate.reload)
            ui.button(tr("Close"), on_click=dialog.close).props("flat")
    dialog.open()


# --- editable or read-only text -------------------------------------------------------------


class Fields:
    """Inputs that autosave (for editors) or plain text (for readers and frozen assessments)."""

    def __init__(self, tr: Translator, saver: AutoSaver | None) -> None:
        self.tr = tr
        self.saver = saver
        self._ids = 0

    @property
    def editable(self) -> bool:
        return self.saver is not None

    def new_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}-{self._ids}"

    def text(
        self,
        key: str,
        label: str,
        value: str,
        work: Callable[[str], Work],
        *,
        guidance: str = "",
        multiline: bool = True,
    ) -> ui.input | ui.textarea | None:
        if self.saver is None:
            ui.label(label).classes("text-weight-medium")
            if guidance and multiline:
                ui.label(guidance).classes("text-body2 text-grey-9")
            ui.label(value or DASH).classes("whitespace-pre-wrap break-words")
            return None
        saver = self.saver
        props = "outlined autogrow" if multiline else "outlined"
        if guidance:
            guidance_id = self.new_id("guidance")
            ui.label(guidance).classes("text-body2 text-grey-9").props(f'id="{guidance_id}"')
            props += f' aria-describedby="{guidance_id}"'
        widget = (ui.textarea if multiline else ui.input)(label, value=value)
        widget.props(props).classes("w-full")

        def changed(event: Any) -> None:
            text = event.value or ""
            saver.schedule(key, work(text), f"{label}: {text}")

        widget.on_value_change(changed)
        return widget


# --- what the pages' handlers share ---------------------------------------------------------


def saved_with(service: Callable[..., int], assessment_id: int, *args: Any, **kwargs: Any) -> Work:
    """A save that calls ``service(db, assessment_id, *args, **kwargs)`` with the expected
    version and the user (``upsert_risk``, ``delete_hearing``, ``set_ex_post`` …)."""

    def work(db: Session, actor: Actor, version: int) -> int:
        return service(db, assessment_id, *args, **kwargs, expected_version=version, actor=actor)

    return work


def autosave_together(
    saver: AutoSaver | None,
    key: str,
    widgets: dict[str, Any],
    work: Callable[[dict[str, Any]], Work],
    describe: tuple[str, str],
) -> None:
    """Inputs saved as one part: when any changes, ``work`` of all their values (texts as "")
    is scheduled under ``key``; ``describe`` is (label, the value's name) for the conflict
    dialog."""
    label, shown = describe

    def save(*_: Any) -> None:
        values = {
            name: (widget.value or "")
            if isinstance(widget, ui.input | ui.textarea)
            else widget.value
            for name, widget in widgets.items()
        }
        assert saver is not None
        saver.schedule(key, work(values), f"{label}: {values[shown]}")

    for widget in widgets.values():
        widget.on_value_change(save)


async def save_and_close(
    saver: AutoSaver | None, dialog: ui.dialog, work: Work, describe: str
) -> bool:
    """A dialog's save: closed when stored (True), left open otherwise."""
    assert saver is not None
    if await saver.save(work, describe):
        dialog.close()
        return True
    return False


def edit_remove(tr: Translator, edit: Callable[[], Any], remove: Callable[[], Any] | None) -> None:
    """The buttons of an item on a list: Edit, and Remove unless ``remove`` is None."""
    with ui.row().classes("gap-2"):
        ui.button(tr("Edit"), on_click=edit).props("outline dense")
        if remove is not None:
            ui.button(tr("Remove"), on_click=remove).props("flat dense color=negative")


def prefilled(make: Callable[..., Any], labels: dict[str, str], item: Any) -> dict[str, Any]:
    """An input per field (``make(label, value=…)``), filled from ``item`` (None: empty)."""
    return {
        name: make(label, value=getattr(item, name) if item else "")
        for name, label in labels.items()
    }


def text_areas(labels: dict[str, str], item: Any) -> dict[str, ui.textarea]:
    """Growing text areas, one per field, filled from ``item`` (None: empty)."""
    areas = prefilled(ui.textarea, labels, item)
    for area in areas.values():
        area.props("outlined autogrow").classes("w-full")
    return areas


def day_given(text: str | None, missing: str) -> date | None:
    """The day typed into a date input; None, with ``missing`` told, when none or no real day."""
    try:
        day = parse_day(text)
    except ValueError:
        day = None
    if day is None:
        ui.notify(missing, type="negative")
    return day


async def call_service(
    tr: Translator,
    work: Callable[[Session, Actor], Any],
    incomplete: Callable[[svc.AssessmentIncomplete], None] | None = None,
) -> Any:
    """A change of state made now (not autosaved), as the signed-in user, off the event loop.
    Its result, or None when it was refused (told to the user; an incomplete assessment to
    ``incomplete`` when given)."""
    actor = handler_actor(tr)
    if actor is None:
        return None

    def job() -> Any:
        with session(actor) as db:
            return work(db, actor)

    try:
        return await run.io_bound(job)
    except Forbidden:
        notify_forbidden(tr)
    except ValidationFailed as failure:
        if incomplete is not None and isinstance(failure, svc.AssessmentIncomplete):
            incomplete(failure)
        else:
            for problem in failure.problems:
                ui.notify(describe_problem(problem, tr.lang), type="negative")
    return None
