"""The assessment wizard ``/assessments/{id}?step=3``: one step per framework phase (0–8),
autosaved as the user types; the checks and "Merkitse valmiiksi"; the frozen view with a new
version, the decision and the ex-post link; the versions of the series."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nicegui import ui

from evaus.assessment import Issue

from ...i18n import local_time
from ...services import assessments as svc
from ...services.access import Actor, can_review
from ...workshop import WorkshopEvent, answer_key, field_key, step_key
from ..components import date_input, today_text
from ..context import Translator
from ..layout import heading
from ..page import Opened, page
from . import deciding, live, scoping
from .common import (
    DASH,
    NOT_FOUND,
    AutoSaver,
    Fields,
    Loaded,
    Work,
    call_service,
    day_given,
    fresh_state,
    load,
    save_and_close,
    saved_with,
    status_label,
)
from .presence import PresenceBar, connection_banner
from .router import router


def _live_key(save_key: str) -> tuple[str, Callable[[Any], str]] | None:
    """The workshop key of a text field's autosave key and how to read its value from a
    document (None for a field that is not followed live)."""
    head, _, rest = save_key.partition(":")
    if head == "answer" and rest:
        return answer_key(rest), lambda doc: str(doc.answers.get(rest, "") or "")
    if head == "own" and rest:
        return field_key(rest), lambda doc: str(getattr(doc, rest, "") or "")
    if save_key == "crossing":
        return field_key("crossing_impacts"), lambda doc: str(doc.crossing_impacts or "")
    return None


@dataclass
class LiveField:
    """A text field of the wizard followed live: updated from the others' saves unless the
    viewer is typing in it (then a notice offers their value), locked while focused."""

    key: str  # workshop key
    save_key: str  # autosave key
    label: str
    widget: Any
    work: Callable[[str], Work]
    read: Callable[[Any], str]
    server: str  # the value as last stored (by anyone)
    notice: ui.element
    hint: ui.label
    focused: bool = False
    theirs: str | None = None  # their value while the notice is shown

    @property
    def value(self) -> str:
        return str(self.widget.value or "")


@dataclass
class LiveControl:
    """A choice, check box, date or one-line reason of the wizard followed live: set from the
    others' saves unless the viewer is in it or has just changed it (their save still
    waits)."""

    save_key: str  # autosave key
    widget: Any
    read: Callable[[Any], Any]  # the widget's value in a document
    server: Any  # the value as last stored (by anyone)
    focused: bool = False


class LiveFields(Fields):
    """``Fields`` whose text inputs the wizard follows live (``Wizard.live``)."""

    def __init__(self, wizard: Wizard, saver: AutoSaver | None) -> None:
        super().__init__(wizard.tr, saver)
        self.wizard = wizard

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
        widget = super().text(key, label, value, work, guidance=guidance, multiline=multiline)
        known = _live_key(key)
        if widget is None or known is None:
            return widget
        hint_id = self.new_id("holder")
        hint = ui.label("").classes("text-body2 text-weight-medium text-grey-10 empty:hidden")
        hint.props(f'id="{hint_id}" role="status" aria-live="polite"')
        described = widget.props.get("aria-describedby")
        widget.props(f'aria-describedby="{(described + " ") if described else ""}{hint_id}"')
        notice = ui.column().classes("w-full gap-1 empty:hidden")
        # What is typed is kept in the browser until saved (``live.DRAFTS_JS``).
        widget.props(f'data-draft="{self.wizard.id}:{known[0]}"')
        field = LiveField(known[0], key, label, widget, work, known[1], value or "", notice, hint)
        self.wizard.watch(field)
        return widget


class Wizard:
    """The page's state; the step builders read and extend it."""

    def __init__(self, tr: Translator, actor: Actor, loaded: Loaded) -> None:
        self.tr, self.actor, self.loaded = tr, actor, loaded
        self.id = loaded.view.id
        self.editable = loaded.editable
        self.saver: AutoSaver | None = None
        self.fields = Fields(tr, None)
        self.refreshers: list[Callable[[], Any]] = []
        self._parts_from: tuple[Any, ...] | None = None  # what the refreshed parts show
        self.step_elements: dict[int, ui.step] = {}
        self.stepper: ui.stepper | None = None
        self.bar: PresenceBar | None = None
        self.live: dict[str, LiveField] = {}
        self.controls: list[LiveControl] = []
        self.state_notice: live.StateNotice | None = None
        self._applying = False

    @property
    def doc(self) -> Any:
        return self.loaded.view.doc

    @property
    def framework(self) -> Any:
        return self.loaded.framework

    async def reload(self) -> None:
        """Read back what changed (after a save) and redraw the display-only parts."""
        state = await fresh_state(self.saver, self.actor, self.id, self.tr.lang)
        if state is None:
            return
        progress, issues, comparison, doc = state
        self.loaded.progress, self.loaded.issues, self.loaded.comparison = (
            progress,
            issues,
            comparison,
        )
        self.loaded.view.doc = doc
        saved: dict[str, str] = {}
        for field in self.live.values():
            stored = field.read(doc)
            if field.theirs is None and field.value == stored:
                if field.server != stored:
                    saved[field.key] = stored
                field.server = stored
        if saved:  # the browser forgets what it kept of these fields
            ui.run_javascript(live.draft_call("saved", self.id, saved))
        for control in self.controls:
            stored = control.read(doc)
            if control.widget.value == stored:
                control.server = stored
        self.update_captions()
        self.refresh_parts()

    def refresh_parts(self) -> None:
        """Draw the kept-fresh parts again when what they show changed: the document (but its
        text answers, which are fields of their own), the progress, the checks or the
        comparison. A save of a text answer redraws none of them."""
        shown = self._parts_shown()
        if shown == self._parts_from:
            return
        self._parts_from = shown
        for refresh in self.refreshers:
            refresh()

    def _parts_shown(self) -> tuple[Any, ...]:
        loaded = self.loaded
        return (
            loaded.view.doc.model_dump(exclude={"answers"}),
            loaded.progress,
            loaded.issues,
            loaded.comparison,
        )

    def kept_fresh(
        self, build: Callable[[], None], add: tuple[str, Callable[[], Any]] | None = None
    ) -> None:
        """A part drawn now and again after every save (it shows what the saves change);
        ``add``: the text and action of a button under it that adds an item (for editors)."""
        part = ui.refreshable(build)
        part()
        self.refreshers.append(part.refresh)
        if add is not None and self.editable:
            ui.button(add[0], icon="add", on_click=add[1])

    def dialog_buttons(
        self,
        dialog: ui.dialog,
        upsert: Callable[..., int],
        item: Any,
        values: Callable[[], dict[str, Any]],
        describe: Callable[[dict[str, Any]], str],
    ) -> None:
        """An item's dialog: Save stores ``values()`` with ``upsert`` (as ``item`` when it edits
        one) and closes the dialog; Cancel closes it."""

        async def save() -> None:
            fields = values()
            if item is not None:
                fields["key"] = item.key
            work = saved_with(upsert, self.id, fields)
            await save_and_close(self.saver, dialog, work, describe(fields))

        with ui.row().classes("gap-2"):
            ui.button(self.tr("Save"), on_click=save)
            ui.button(self.tr("Cancel"), on_click=dialog.close).props("flat")

    async def remove(self, delete: Callable[..., int], key: str, describe: str) -> None:
        """Remove an item (``delete_risk`` …) of the assessment now."""
        assert self.saver is not None
        await self.saver.save(saved_with(delete, self.id, key), describe)

    def update_captions(self) -> None:
        for item in self.loaded.progress:
            step = self.step_elements.get(item.number)
            if step is not None and item.required:
                caption = self.tr(
                    "{done}/{required} done", done=item.answered, required=item.required
                )
                step.props(f'caption="{caption}"')

    def go_to(self, issue: Issue) -> None:
        if issue.phase == 5 and issue.area:
            ui.navigate.to(f"/assessments/{self.id}/matrix")
            return
        if self.stepper is not None:
            self.stepper.set_value(str(issue.phase))
        target = ""
        if issue.area:
            target = f"area-{issue.area}"
        elif issue.question:
            target = f"q-{issue.question}"
        elif issue.alternative:
            target = f"alt-{issue.alternative}"
        if target:
            script = (
                f"setTimeout(() => {{ const e = document.getElementById('{target}'); "
                "if (e) { e.scrollIntoView({block: 'center'}); e.focus(); } }, 400)"
            )
            ui.run_javascript(script)

    # --- live editing ---------------------------------------------------------------------

    async def start(self) -> None:
        """After the browser connected: join the workshop and show the locks held now."""
        locks = await self.bar.join_for_locks() if self.bar is not None else None
        if locks is None:
            return
        for lock in locks:
            field = self.live.get(lock.key)
            if field is not None:
                field.hint.set_text(live.holder_text(self.tr, lock.holder.name))
        if self.saver is not None:
            await self._changed(live.resync(self.id))  # a save before joining is not missed
        if self.bar is not None:
            self.bar.mark_live()

    async def _step_changed(self, event: Any) -> None:
        ui.navigate.history.replace(f"/assessments/{self.id}?step={event.value}")
        if self.bar is not None and str(event.value).isdigit():
            await self.bar.move(step_key(int(event.value)))

    def follow(self, save_key: str, widget: Any, read: Callable[[Any], Any]) -> None:
        """Follow a choice, check box, date or short text live (``read``: its value in a
        document); the autosave under ``save_key`` stays as it was."""
        if not self.editable:
            return
        control = LiveControl(save_key, widget, read, read(self.doc))
        self.controls.append(control)

        def focused(value: bool) -> None:
            control.focused = value

        if isinstance(widget, ui.input | ui.textarea):
            widget.on("focus", lambda: focused(True))
            widget.on("blur", lambda: focused(False))

    def applying(self) -> bool:
        """Whether a stored value is being shown (the inputs' handlers do not save it)."""
        return self._applying

    def _set_control(self, control: LiveControl, value: Any) -> None:
        self._applying = True
        try:
            control.widget.set_value(value)
        finally:
            self._applying = False
        if self.saver is not None:
            self.saver.pending.pop(control.save_key, None)
            if not self.saver.pending and not self.saver.busy:
                self.saver.status.set_text("")

    def busy(self) -> bool:
        """Whether the viewer is typing or has something still to save."""
        pending = self.saver is not None and bool(self.saver.pending)
        return (
            pending
            or any(self._dirty(f) for f in self.live.values())
            or any(c.focused for c in self.controls)
        )

    async def _state_changed(self, event: WorkshopEvent) -> bool:
        """Somebody else changed the assessment's state (locked, approved, a new version,
        deleted): load the page again, or offer it when the viewer is typing. True when so."""
        text = live.state_change(self.tr, event, live.saver_name(self.bar, event.who))
        if text is None or self.state_notice is None:
            return False
        self.state_notice.show(event, text, busy=self.busy())
        return True

    async def _reader_changed(self, event: WorkshopEvent) -> None:
        await self._state_changed(event)

    def watch(self, field: LiveField) -> None:
        """Follow a text field: its lock on focus and blur, its notice while it differs."""
        self.live[field.key] = field

        async def focused() -> None:
            field.focused = True
            seat = self.bar.seat if self.bar is not None and self.bar.joined else None
            if seat is None:
                return
            claim = await seat.take(field.key)
            if not claim.ok and claim.holder is not None:
                field.hint.set_text(live.holder_text(self.tr, claim.holder.name))

        async def blurred() -> None:
            field.focused = False
            seat = self.bar.seat if self.bar is not None and self.bar.joined else None
            if seat is not None:
                await seat.release(field.key)

        def typed() -> None:
            # While their value is on offer, the typing waits for the viewer's choice.
            if field.theirs is not None and self.saver is not None and not self._applying:
                self.saver.pending.pop(field.save_key, None)

        field.widget.on("focus", focused)
        field.widget.on("blur", blurred)
        field.widget.on_value_change(typed)

    def _dirty(self, field: LiveField) -> bool:
        pending = self.saver is not None and field.save_key in self.saver.pending
        return field.focused or pending or field.value != field.server

    def _set(self, field: LiveField, value: str) -> None:
        """Show a stored value in the field without saving it again."""
        self._applying = True
        try:
            field.widget.set_value(value)
        finally:
            self._applying = False
        if self.saver is not None:
            self.saver.pending.pop(field.save_key, None)
            if not self.saver.pending and not self.saver.busy:
                self.saver.status.set_text("")
        field.server = value

    async def _changed(self, event: WorkshopEvent) -> None:
        received = time.monotonic()
        if await self._state_changed(event):
            return
        if not await live.news(self.saver, event):
            return
        edited = await live.latest(
            self.actor, self.id, self.tr.lang, since=received, version=live.saved_version(event)
        )
        if edited is None or self.saver is None:
            return
        if edited.version <= self.saver.version:
            return  # seen meanwhile
        live.follow(self.saver, edited)
        doc = edited.doc
        name = live.saver_name(self.bar, event.who)
        for field in self.live.values():
            stored = field.read(doc)
            if stored == field.server:
                continue
            if not self._dirty(field) or field.value == stored:
                self._set(field, stored)
                if field.theirs is not None:
                    field.theirs = None
                    field.notice.clear()
            else:
                self._offer(field, stored, name)
        for control in self.controls:
            stored = control.read(doc)
            if stored == control.server:
                continue
            control.server = stored
            waiting = self.saver is not None and control.save_key in self.saver.pending
            if not control.focused and not waiting and control.widget.value != stored:
                self._set_control(control, stored)
        self.loaded.progress = edited.progress
        self.loaded.issues = edited.issues
        self.loaded.comparison = edited.comparison
        self.loaded.view.doc = doc
        self.update_captions()
        self.refresh_parts()

    def _offer(self, field: LiveField, theirs: str, name: str, text: str | None = None) -> None:
        """The viewer is typing in a field somebody else saved: their value is offered next
        to it and the viewer's typing waits for the choice (``text`` says it otherwise)."""
        tr = self.tr
        field.theirs = theirs
        if self.saver is not None:
            self.saver.pending.pop(field.save_key, None)
        field.notice.clear()
        if text is None:
            text = tr("{name} changed this field: {value}", name=name, value=theirs or DASH)
        with (
            field.notice,
            ui.card().classes("w-full bg-amber-50").props('flat bordered role="status"'),
        ):
            ui.label(text).classes("whitespace-pre-wrap break-words")
            with ui.row().classes("gap-2"):
                ui.button(tr("Use their value"), on_click=lambda: self._use_theirs(field))
                ui.button(tr("Keep mine"), on_click=lambda: self._keep_mine(field)).props("outline")

    def _use_theirs(self, field: LiveField) -> None:
        if field.theirs is not None:
            self._set(field, field.theirs)
        field.theirs = None
        field.notice.clear()

    async def _keep_mine(self, field: LiveField) -> None:
        """Save the viewer's text over theirs, with the version that follows their save."""
        if field.theirs is not None:
            field.server = field.theirs
        field.theirs = None
        if self.saver is not None:
            value = field.value
            await self.saver.save(field.work(value), f"{field.label}: {value}")
        field.notice.clear()  # the button pressed goes last: its handler needs its context

    async def restore_drafts(self) -> None:
        """The browser (re)connected: what it kept of the text typed into the followed fields
        and the server did not get (the connection was lost) is saved when nobody else saved
        the field meanwhile, else shown in the field with the stored value offered beside it.
        Nothing newer is overwritten silently."""
        if self.saver is None or not self.live:
            return
        found = await live.read_drafts(self.id)
        handled: list[str] = []
        restored = False
        for key, draft in found.items():
            field = self.live.get(key)
            if field is None or not isinstance(draft, dict):
                if not key.startswith("impacts/"):  # the matrix offers its cells' own texts
                    handled.append(key)
                continue
            value, base = str(draft.get("v") or ""), draft.get("b")
            if value == field.value:
                continue  # the server has it: its save clears the draft
            if value == field.server:
                handled.append(key)
            elif base == field.server and field.theirs is None:
                field.widget.set_value(value)  # autosaved as if typed now
                restored = True
            else:
                self._applying = True
                try:
                    field.widget.set_value(value)
                finally:
                    self._applying = False
                text = self.tr(
                    "While your connection was lost, this field was saved as: {value}",
                    value=field.server or DASH,
                )
                self._offer(field, field.server, "", text)
                handled.append(key)
        if handled:
            ui.run_javascript(live.draft_call("drop", self.id, handled))
        if restored:
            ui.notify(self.tr("The text you typed while the connection was lost is being saved."))

    async def _lock(self, event: WorkshopEvent) -> None:
        if self.bar is None:
            return
        lost = self.bar.seat.lost(event) if self.bar.seat is not None else None
        field = self.live.get(event.where)
        if field is None:
            return
        if lost is not None:
            field.hint.set_text(live.holder_text(self.tr, event.name))
            return
        if self.bar.own(event):
            field.hint.set_text("")
            return
        if event.action in ("taken", "taken_over"):
            field.hint.set_text(live.holder_text(self.tr, event.name))
        elif event.action in ("released", "expired"):
            field.hint.set_text("")

    async def _keep_locks(self) -> None:
        seat = self.bar.seat if self.bar is not None else None
        if seat is None:
            return
        for field in self.live.values():
            if field.focused:
                await seat.keep(field.key)

    # --- building -------------------------------------------------------------------------

    def build(self, step: int) -> None:
        tr, view = self.tr, self.loaded.view
        self._header()
        connection_banner(tr)
        self.bar = PresenceBar(
            tr,
            self.actor,
            self.id,
            where=step_key(step),
            framework=self.framework,
            doc=lambda: self.doc,
        )
        if self.editable:
            self.saver = AutoSaver(tr, self.id, view.version, on_saved=self.reload)
            self.fields = LiveFields(self, self.saver)
            self.bar.on_changed(self._changed)
            self.bar.on_lock(self._lock)
            self.bar.on_heartbeat(self._keep_locks)
            self.bar.on_connect(self.restore_drafts)
            live.drafts_script()
        else:
            self.bar.on_changed(self._reader_changed)
            self._frozen_banner()
        self.state_notice = live.StateNotice(tr, self.id)
        names = [str(p.number) for p in self.framework.phases]
        value = str(step) if str(step) in names else "0"
        with (
            ui.stepper(value=value)
            .props("header-nav vertical inactive-color=grey-8 done-color=primary")
            .classes("w-full") as stepper
        ):
            self.stepper = stepper
            for phase in self.framework.phases:
                title = f"{phase.number}. {phase.name.get(tr.lang)}"
                with ui.step(str(phase.number), title=title) as element:
                    self.step_elements[phase.number] = element
                    heading(title, 2)
                    ui.label(phase.guidance.get(tr.lang)).classes("text-body2 text-grey-9")
                    if phase.number <= 4:
                        scoping.build(self, phase)
                    else:
                        deciding.build(self, phase)
                    with ui.stepper_navigation():
                        if phase.number > 0:
                            ui.button(tr("Previous"), on_click=stepper.previous).props("outline")
                        if phase.number < 8:
                            ui.button(tr("Next"), on_click=stepper.next)
        stepper.on_value_change(self._step_changed)
        self.update_captions()
        self._checks()
        self._parts_from = self._parts_shown()  # the parts are drawn from this now
        self._versions()

    def _header(self) -> None:
        tr, view, doc = self.tr, self.loaded.view, self.doc
        with ui.row().classes("items-center gap-x-6 gap-y-1"):
            ui.label(tr("Status: {status}", status=status_label(tr, doc.status))).classes(
                "text-weight-medium"
            )
            ui.label(tr("Version {number}", number=doc.version_number))
            if view.project_id is not None:
                with ui.row().classes("items-center gap-1"):
                    ui.label(tr("Project:"))
                    ui.link(self.loaded.project_name or DASH, f"/projects/{view.project_id}")
            ui.label(self.framework.name.get(tr.lang)).classes("text-grey-9")
        nav_name = tr("Assessment")
        with (
            ui.element("nav").props(f'aria-label="{nav_name}"'),
            ui.row().classes("items-center gap-4"),
        ):
            ui.link(tr("Impact matrix"), f"/assessments/{self.id}/matrix")
            if doc.status in ("paatetty", "jalkiarvioitu"):
                ui.link(tr("Ex-post evaluation"), f"/assessments/{self.id}/ex-post")
            ui.link(tr("All assessments"), "/assessments")

    def _frozen_banner(self) -> None:
        tr, view, doc = self.tr, self.loaded.view, self.doc
        with ui.card().classes("w-full bg-blue-50").props("flat bordered"):
            if view.frozen:
                ui.label(
                    tr(
                        "This assessment is {status} and locked: it can no longer be edited.",
                        status=status_label(tr, doc.status),
                    )
                ).classes("text-weight-medium")
            else:
                ui.label(tr("You can read this assessment but not edit it."))
            if doc.screening.needed is False:
                ui.label(tr("The screening found that no impact assessment is needed."))
                ui.label(tr("Reason: {reason}", reason=doc.screening.reason or DASH)).classes(
                    "whitespace-pre-wrap break-words"
                )
            self._approval()
            if view.can_edit and view.frozen:
                with ui.row().classes("gap-2 items-center"):
                    if view.latest_in_series:
                        ui.button(
                            tr("Start a new version"),
                            icon="content_copy",
                            on_click=self._new_version,
                        )
                    if doc.status in ("paatetty", "jalkiarvioitu"):
                        ui.button(
                            tr("Ex-post evaluation"),
                            icon="fact_check",
                            on_click=lambda: ui.navigate.to(f"/assessments/{self.id}/ex-post"),
                        )
                if doc.status == "valmis" and doc.screening.needed is not False:
                    self._decided_form()

    def _approval(self) -> None:
        """The sign-off: who approved the finished assessment and when, or the button for an
        approver (the services refuse its preparer)."""
        tr, doc = self.tr, self.doc
        if doc.approved_at is not None:
            when = tr.date(local_time(doc.approved_at).date())
            ui.label(tr("Approved by {name}, {date}", name=doc.approved_by, date=when)).props(
                'id="approval"'
            )
        elif doc.status == "valmis" and can_review(self.actor):
            ui.button(
                tr("Approve the assessment"),
                icon="verified",
                on_click=lambda: self._call(
                    lambda db, a: svc.approve_assessment(
                        db, self.id, expected_version=self.loaded.view.version, actor=a
                    )
                ),
            )

    def _decided_form(self) -> None:
        tr, doc = self.tr, self.doc
        heading(tr("Record the decision"), 2)  # the page's first section: h2 after the h1
        options = {a.key: a.name for a in doc.alternatives}
        with ui.row().classes("items-end gap-2"):
            day = date_input(tr("Decision date"), tr, today_text())
            chosen = ui.select(
                options,
                value=doc.recommendation.alternative_key,
                label=tr("Alternative decided on"),
            ).classes("w-72")
            planned = date_input(tr("Planned date of the ex-post check"), tr, "")

            async def decide() -> None:
                when = day_given(day.value, tr("Give the decision date."))
                if when is None:
                    return
                check_on = None
                if (planned.value or "").strip():
                    check_on = day_given(planned.value, tr("Give the date of the ex-post check."))
                    if check_on is None:
                        return
                await self._call(
                    lambda db, a: svc.mark_decided(
                        db,
                        self.id,
                        decision_date=when,
                        chosen_key=chosen.value,
                        ex_post_date=check_on,
                        expected_version=self.loaded.view.version,
                        actor=a,
                    )
                )

            ui.button(tr("Mark as decided"), on_click=decide)

    async def _call(self, work: Callable[[Any, Actor], Any]) -> None:
        if await call_service(self.tr, work) is not None:
            ui.navigate.to(f"/assessments/{self.id}")

    async def _new_version(self) -> None:
        new_id = await call_service(
            self.tr, lambda db, actor: svc.new_version(db, self.id, actor=actor).id
        )
        if new_id is not None:
            ui.navigate.to(f"/assessments/{new_id}")

    # --- checks and finishing -------------------------------------------------------------

    def _checks(self) -> None:
        if not self.editable:
            return
        tr = self.tr
        heading(tr("Checks"), 2)
        self.finish_problems = ui.column().classes("w-full gap-1").props('role="alert"')

        @ui.refreshable
        def issues() -> None:
            found = self.loaded.issues
            blocking = [i for i in found if i.blocking]
            warnings = [i for i in found if not i.blocking]
            if not found:
                ui.label(tr("Nothing is missing: the assessment can be marked finished."))
            if blocking:
                with ui.expansion(
                    tr("Missing before finishing ({count})", count=len(blocking)),
                    icon="error_outline",
                ).classes("w-full"):
                    self._issue_list(blocking)
            if warnings:
                with ui.expansion(
                    tr("Suggestions ({count})", count=len(warnings)), icon="info_outline"
                ).classes("w-full"):
                    self._issue_list(warnings)

        issues()
        self.refreshers.append(issues.refresh)
        with ui.row():
            ui.button(tr("Mark as finished"), icon="task_alt", on_click=self._confirm_finish)

    def _issue_list(self, items: list[Issue]) -> None:
        tr = self.tr
        with ui.element("ul").classes("q-pl-md w-full"):
            for issue in items:
                with ui.element("li"), ui.row().classes("items-center gap-2 no-wrap"):
                    ui.label(tr(issue.message, **issue.params)).classes("break-words")
                    go = tr("Go to step {number}", number=issue.phase)
                    ui.button(go, on_click=lambda i=issue: self.go_to(i)).props(
                        "flat dense no-caps color=primary"
                    )

    def _confirm_finish(self) -> None:
        """Finishing freezes the assessment for good: say so before doing it."""
        tr = self.tr
        dialog = ui.dialog()
        title_id, text_id = f"finish-title-{dialog.id}", f"finish-text-{dialog.id}"
        dialog.props(f'aria-labelledby="{title_id}" aria-describedby="{text_id}"')
        with dialog, ui.card().classes("max-w-xl"):
            heading(tr("Mark the assessment as finished?"), 2, element_id=title_id)
            ui.label(
                tr(
                    "A finished assessment is frozen: it can no longer be edited. "
                    "To change it afterwards, a new version of it is needed."
                )
            ).props(f'id="{text_id}"').classes("text-body1")
            with ui.row().classes("justify-end w-full gap-2"):
                ui.button(tr("Cancel"), on_click=dialog.close).props("flat")

                async def confirmed() -> None:
                    dialog.close()
                    await self._finish()

                ui.button(tr("Mark as finished"), icon="task_alt", on_click=confirmed)
        dialog.open()

    async def _finish(self) -> None:
        tr = self.tr
        self.finish_problems.clear()
        if self.saver is None or not await self.saver.flush():
            return
        expected = self.saver.version

        def not_yet(incomplete: svc.AssessmentIncomplete) -> None:
            with self.finish_problems:
                ui.label(tr("The assessment cannot be marked finished yet:")).classes(
                    "text-weight-medium text-negative"
                )
                self._issue_list(incomplete.issues)

        finished = await call_service(
            tr,
            lambda db, actor: svc.finish(
                db, self.id, expected_version=expected, actor=actor, lang=tr.lang
            ),
            not_yet,
        )
        if finished is not None:
            ui.navigate.to(f"/assessments/{self.id}")

    def _versions(self) -> None:
        versions = self.loaded.versions
        if len(versions) < 2:
            return
        tr = self.tr
        heading(tr("Versions"), 2)
        with ui.element("ul").classes("q-pl-md"):
            for item in versions:
                with ui.element("li"), ui.row().classes("items-center gap-3"):
                    label = tr("Version {number}", number=item.version_number)
                    text = f"{label} – {status_label(tr, item.status)}"
                    if item.id == self.id:
                        ui.label(text + " " + tr("(this version)"))
                    else:
                        ui.link(text, f"/assessments/{item.id}")
                        ui.link(
                            tr("Compare with this version"),
                            f"/assessments/{self.id}/compare/{item.id}",
                        )


@page(
    router,
    "/assessments/{assessment_id:int}",
    title=lambda tr, loaded: loaded.view.doc.title,
    load=load,
    not_found=NOT_FOUND,
    reconnect_timeout=live.RECONNECT_SECONDS,
)
async def wizard_page(opened: Opened[Loaded], assessment_id: int, step: str = "0") -> None:
    wizard = Wizard(opened.tr, opened.actor, opened.data)
    wizard.build(int(step) if step.isdigit() else 0)
    # The page is sent first; the workshop is joined once the browser is connected.
    await wizard.start()
