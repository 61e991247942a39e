"""The review of a project's reporting periods on its Raportit page: each period's state, the
reason of a return or reopening, and the buttons of whoever may move it (submit: the project's
manager; approve, return with a reason, reopen with a reason: a reviewer), and each period's
comments (a button with their count opens the period's thread)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from nicegui import run, ui
from sqlalchemy.orm import Session

from project_db.errors import N_, RegistryError

from ...services import comments, period_review
from ...services.access import Actor, Forbidden, can_edit_project, can_review
from ..admin.common import action_cell, cell, data_table, problem_text, row_button, table_row
from ..comments import CommentButtons
from ..context import Translator, handler_actor, notify_forbidden, session
from ..layout import dialog_title, heading

STATE_LABELS = {
    period_review.DRAFT: N_("Draft"),
    period_review.SUBMITTED: N_("Submitted for review"),
    period_review.APPROVED: N_("Approved and locked"),
    period_review.RETURNED: N_("Returned"),
}


def state_label(tr: Translator, state: str) -> str:
    return tr(STATE_LABELS[state]) if state in STATE_LABELS else state


def _load(actor: Actor, project_id: int) -> tuple[list[period_review.PeriodState], bool, bool]:
    with session(actor) as db_session:
        states = period_review.review_states(db_session, project_id, actor=actor)
        return states, can_edit_project(db_session, actor, project_id), can_review(actor)


def _write(actor: Actor, work: Callable[[Session, Actor], object]) -> object:
    with session(actor) as db_session:
        return work(db_session, actor)


def _refusal(tr: Translator, exc: RegistryError) -> str:
    if isinstance(exc, period_review.ReviewRefused | period_review.ReviewForbidden):
        return exc.text(tr.lang)
    return problem_text(tr, exc)


async def period_reviews(tr: Translator, actor: Actor, project_id: int) -> None:
    """The periods' review table with the actions the signed-in user may take."""

    @ui.refreshable
    async def section() -> None:
        loaded = await run.io_bound(_load, actor, project_id)
        if loaded is None:  # the server is shutting down
            return
        states, can_submit, reviewer = loaded
        heading(tr("Review of reporting periods"), 2)
        if not states:
            ui.label(tr("The project has no reporting periods.")).classes("text-body2")
            return
        headers = [tr("Period"), tr("State"), tr("Reason"), tr("Actions")]
        buttons = CommentButtons(tr, actor, comments.PERIOD, project_id)
        await buttons.load()
        with data_table(tr, tr("Review of reporting periods"), headers):
            for state in states:
                name = tr("period {number}", number=state.period)
                with table_row():
                    cell(str(state.period))
                    cell(_state_text(tr, state))
                    cell(state.reason or "–")
                    with action_cell():
                        _buttons(tr, state, name, can_submit=can_submit, reviewer=reviewer)
                        title = tr("Comments: {target}", target=name)
                        buttons.button(str(state.period), title, context=name)

    def _buttons(
        tr: Translator,
        state: period_review.PeriodState,
        name: str,
        *,
        can_submit: bool,
        reviewer: bool,
    ) -> None:
        number = state.period
        if can_submit and state.state in (period_review.DRAFT, period_review.RETURNED):
            row_button(tr("Submit"), name, partial(submit, number))
        if reviewer and state.state == period_review.SUBMITTED:
            row_button(tr("Approve"), name, partial(approve, number))
            row_button(tr("Return"), name, partial(ask_reason, number, "return"))
        if reviewer and state.state == period_review.APPROVED:
            row_button(tr("Reopen"), name, partial(ask_reason, number, "reopen"))

    async def run_write(work: Callable[[Session, Actor], object], done: str) -> bool:
        fresh = handler_actor(tr)
        if fresh is None:
            return False
        try:
            await run.io_bound(_write, fresh, work)
        except period_review.ReviewForbidden as exc:
            ui.notify(exc.text(tr.lang), type="negative")
            return False
        except Forbidden:
            notify_forbidden(tr)
            return False
        except RegistryError as exc:
            ui.notify(_refusal(tr, exc), type="negative")
            return False
        ui.notify(done, type="positive")
        section.refresh()
        return True

    async def submit(number: int) -> None:
        await run_write(
            lambda s, a: period_review.submit(s, project_id, number, actor=a),
            tr("Period {number} was submitted for review.", number=number),
        )

    async def approve(number: int) -> None:
        await run_write(
            lambda s, a: period_review.approve(s, project_id, number, actor=a),
            tr("Period {number} was approved and locked.", number=number),
        )

    def ask_reason(number: int, action: str) -> None:
        title = (
            tr("Return period {number}", number=number)
            if action == "return"
            else tr("Reopen period {number}", number=number)
        )
        with ui.dialog() as dialog, ui.card().classes("w-[32rem] max-w-full"):
            dialog_title(dialog, title)  # also the dialog's accessible name
            reason = ui.textarea(tr("Reason")).classes("w-full").props("autogrow")
            errors = ui.label().classes("text-negative").props('role="alert"')

            async def confirm() -> None:
                text = (reason.value or "").strip()
                if not text:
                    errors.set_text(tr("Give a reason."))
                    return

                def work(db_session: Session, fresh: Actor) -> object:
                    if action == "return":
                        return period_review.return_(
                            db_session, project_id, number, text, actor=fresh
                        )
                    return period_review.reopen(db_session, project_id, number, text, actor=fresh)

                done = (
                    tr("Period {number} was returned.", number=number)
                    if action == "return"
                    else tr("Period {number} was reopened.", number=number)
                )
                if await run_write(work, done):
                    dialog.close()

            with ui.row().classes("justify-end w-full"):
                ui.button(tr("Cancel"), on_click=dialog.close).props("flat")
                ui.button(title, on_click=confirm)
        dialog.open()

    await section()


def _state_text(tr: Translator, state: period_review.PeriodState) -> str:
    text = state_label(tr, state.state)
    if state.state == period_review.SUBMITTED and state.submitted_by:
        text += " (" + tr("by {name}", name=state.submitted_by) + ")"
    return text
