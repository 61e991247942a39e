"""The assessment wizard ``/assessments/{id}?step=3``: one step per framework phase (0–8),
autosaved as the user types; the checks and "Merkitse valmiiksi"; the frozen view with a new
version, the decision and the ex-post link; the versions of the series."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from evaus.assessment import Issue

from ...i18n import local_time
from ...services import assessments as svc
from ...services.access import Actor, can_review
from ..components import date_input, today_text
from ..context import Translator
from ..layout import heading
from ..page import Opened, page
from . import deciding, scoping
from .common import (
    DASH,
    NOT_FOUND,
    AutoSaver,
    Fields,
    Loaded,
    call_service,
    day_given,
    fresh_state,
    load,
    save_and_close,
    saved_with,
    status_label,
)
from .router import router


class Wizard:
    """The page's state; the step builders read and extend it."""

    def __init__(self, tr: Translator, actor: Actor, loaded: Loaded) -> None:
        self.tr, self.actor, self.loaded = tr, actor, loaded
        self.id = loaded.view.id
        self.editable = loaded.editable
        self.saver: AutoSaver | None = None
        self.fields = Fields(tr, None)
        self.refreshers: list[Callable[[], Any]] = []
        self.step_elements: dict[int, ui.step] = {}
        self.stepper: ui.stepper | None = None

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
        self.update_captions()
        for refresh in self.refreshers:
            refresh()

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

    # --- building -------------------------------------------------------------------------

    def build(self, step: int) -> None:
        tr, view = self.tr, self.loaded.view
        self._header()
        if self.editable:
            self.saver = AutoSaver(tr, self.id, view.version, on_saved=self.reload)
            self.fields = Fields(tr, self.saver)
        else:
            self._frozen_banner()
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
        stepper.on_value_change(
            lambda e: ui.navigate.history.replace(f"/assessments/{self.id}?step={e.value}")
        )
        self.update_captions()
        self._checks()
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
)
def wizard_page(opened: Opened[Loaded], assessment_id: int, step: str = "0") -> None:
    Wizard(opened.tr, opened.actor, opened.data).build(int(step) if step.isdigit() else 0)
