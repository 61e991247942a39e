"""The review of reporting periods: a project's manager submits a period, a reviewer approves
it (which locks its values) or returns it with a reason; a reviewer reopens an approved period
with a reason. Every transition is kept with who, when and why, and audited; a return's reason
is also a comment by the reviewer in the period's thread (``comments``), in the same
transaction. A submission is announced to the reviewers (else the administrators), a return
(with its reason) and an approval to the project's managers: a notice and an e-mail in the same
transaction (``reminders``).

States: draft → submitted → approved, submitted → returned → submitted, approved → draft
(reopened). Who: the project's editors (its team's managers, administrators) submit;
reviewers and administrators approve, return and reopen; nobody approves their own submission.

The lock: ``period_locks.check_period_locks`` compares a document about to be written with the
stored project; every service that writes a stored project (the editor, the API, imports) calls
it, so an approved period's narratives, actuals, participants and costs cannot change by any
route. The check and every move here hold the project for writing (``lock_project``) until
they commit, so a save and an approval of the same moment happen one after the other.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from project_db import period_review as data
from project_db.audit import set_actor
from project_db.base import utcnow
from project_db.errors import N_, NotFound, Problem, RegistryError, ValidationFailed
from project_db.models import Project
from project_db.validators import clean_block

from ..i18n import _, format_message
from ..reports import kinds
from . import comments
from .access import Actor, Forbidden, can_edit_project, can_review, require_read
from .period_locks import PERIOD_LOCKED

DRAFT, SUBMITTED, APPROVED, RETURNED = data.DRAFT, data.SUBMITTED, data.APPROVED, data.RETURNED

REASON_REQUIRED = N_("Give a reason.")
WRONG_STATE = N_("Period {number} is {state}: it cannot be {action} now.")
OWN_SUBMISSION = N_("You submitted period {number} yourself: another reviewer approves it.")
MAY_NOT_SUBMIT = N_("Only the project's manager submits its periods.")
MAY_NOT_REVIEW = N_("Only a reviewer or an administrator reviews periods.")
CHANGED_MEANWHILE = N_("Someone else moved period {number} at the same moment: try again.")
NO_PERIOD = N_("The project has no period {number}.")

STATE_LABELS = {
    DRAFT: N_("draft"),
    SUBMITTED: N_("submitted"),
    APPROVED: N_("approved"),
    RETURNED: N_("returned"),
}
ACTION_LABELS = {
    "submit": N_("submitted"),
    "approve": N_("approved"),
    "return": N_("returned"),
    "reopen": N_("reopened"),
}
MAX_REASON = comments.BODY_MAX  # the reason is also a comment


class _Translated:
    message: str
    params: dict[str, object]

    def text(self, lang: str) -> str:
        """The message in ``lang`` (a parameter that is a message id is translated too)."""
        params = {
            name: _(value, lang) if isinstance(value, str) else value
            for name, value in self.params.items()
        }
        return format_message(self.message, lang, **params)


class ReviewRefused(_Translated, RegistryError):
    """A transition the period's state does not allow; the message is a gettext message id."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.params = params


class ReviewForbidden(_Translated, Forbidden):
    """The actor may not move this period; the message is a gettext message id."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.params = params


class ReviewEvent(BaseModel):
    period: int
    from_state: str
    to_state: str
    actor: str
    at: datetime
    reason: str
    archive_id: int | None


class PeriodState(BaseModel):
    """One period's review state with its history, for a page or the API."""

    period: int
    state: str
    submitted_by: str | None
    submitted_at: datetime | None
    # The reason of the latest return or reopening (what the manager is to fix).
    reason: str
    events: list[ReviewEvent]


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("project", project_id)
    return project


def review_states(session: Session, project_id: int, *, actor: Actor) -> list[PeriodState]:
    """Each of the project's periods with its review state, in period order."""
    require_read(actor)
    project = _project(session, project_id)
    rows = data.reviews(session, project_id)
    history = [
        ReviewEvent.model_validate(e, from_attributes=True)
        for e in data.events(session, project_id)
    ]
    states = []
    for number in sorted(p.number for p in project.periods):
        row = rows.get(number)
        mine = [e for e in history if e.period == number]
        reasons = [e.reason for e in mine if e.reason]
        states.append(
            PeriodState(
                period=number,
                state=row.state if row else DRAFT,
                submitted_by=row.submitted_by if row else None,
                submitted_at=row.submitted_at if row else None,
                reason=reasons[-1] if reasons and row and row.state != APPROVED else "",
                events=mine,
            )
        )
    return states


def state_of(session: Session, project_id: int, period: int, *, actor: Actor) -> PeriodState:
    """One period's review state."""
    for found in review_states(session, project_id, actor=actor):
        if found.period == period:
            return found
    raise ReviewRefused(NO_PERIOD, number=period)


def _clean_reason(reason: str) -> str:
    text = clean_block(reason or "").strip()
    if not text:
        raise ValidationFailed([Problem("reason", REASON_REQUIRED)])
    return text[:MAX_REASON]


def _move(
    session: Session,
    project_id: int,
    period: int,
    *,
    action: str,
    allowed_from: tuple[str, ...],
    to_state: str,
    actor: Actor,
    reason: str = "",
    archive: bool = False,
) -> PeriodState:
    project = _project(session, project_id)
    if period not in {p.number for p in project.periods}:
        raise ReviewRefused(NO_PERIOD, number=period)
    set_actor(session, actor.username)
    # The lock every write of the project's values takes (``period_locks``): a save that
    # checked the period as unlocked commits before this reads the state, or waits for it.
    data.lock_project(session, project_id)
    row = data.review_for_update(session, project_id, period)
    current = row.state if row else DRAFT
    if current not in allowed_from:
        raise ReviewRefused(
            WRONG_STATE, number=period, state=STATE_LABELS[current], action=ACTION_LABELS[action]
        )
    if action == "approve" and row is not None and row.submitted_by == actor.username:
        raise ReviewForbidden(OWN_SUBMISSION, number=period)
    if row is None:
        row = data.PeriodReview(project_id=project_id, period=period, state=DRAFT)
        session.add(row)
    row.state = to_state
    if action == "submit":
        row.submitted_by = actor.username
        row.submitted_at = utcnow()
    event = data.PeriodReviewEvent(
        project_id=project_id,
        period=period,
        from_state=current,
        to_state=to_state,
        actor=actor.username,
        reason=reason,
    )
    session.add(event)
    try:
        session.flush()
        if archive:
            event.archive_id = _archive_report(session, project, period, actor)
        _notify(session, project, period, action=action, event=event, actor=actor)
        if action == "return":
            # In the period's thread, where the manager answers it; ``add_comment`` commits
            # the comment with the step.
            target = comments.Target(comments.PERIOD, project_id, str(period))
            comments.add_comment(session, target, reason, actor=actor)
        session.commit()
    except (IntegrityError, StaleDataError):
        session.rollback()
        raise ReviewRefused(CHANGED_MEANWHILE, number=period) from None
    return state_of(session, project_id, period, actor=actor)


def _notify(
    session: Session,
    project: Project,
    period: int,
    *,
    action: str,
    event: data.PeriodReviewEvent,
    actor: Actor,
) -> None:
    """The notices and e-mails of the step, in its transaction (reminders.py builds them)."""
    from .reminders import queue_review_notices

    queue_review_notices(
        session,
        project_id=project.id,
        project_name=project.name,
        period=period,
        action=action,
        event_id=event.id,
        reason=event.reason,
        actor=actor,
    )


def _report_kind(session: Session, project: Project, period: int, actor: Actor) -> str | None:
    """The report the period's due item names, else the per-period report the project's
    funders get (the ESR monitoring report), else none."""
    from . import deadlines

    for item in deadlines.project_due_items(session, project.id, actor=actor):
        if item.period == period and item.kind:
            return item.kind
    funders = {f.funder_code for f in project.funding if f.funder_code}
    for kind in kinds.all_kinds():
        if kind.scope == "period" and kind.funders is not None and kind.serves(funders):
            return kind.name
    return None


def _archive_report(session: Session, project: Project, period: int, actor: Actor) -> int | None:
    """The period's report made and filed in the archive with the submission; None when the
    project gets no per-period report or its data does not make one (the submission stands)."""
    from .reports.archive import _archive_report as file_report
    from .reports.prepare import prepare_report, render_prepared

    kind = _report_kind(session, project, period, actor)
    if kind is None:
        return None
    try:
        prepared = prepare_report(
            session, project.id, kind, period=period, lang=actor.language, actor=actor
        )
        return file_report(session, prepared, render_prepared(prepared), actor=actor.username).id
    except RegistryError:
        return None


def submit(
    session: Session, project_id: int, period: int, *, actor: Actor, archive: bool = True
) -> PeriodState:
    """The project's manager hands a draft or returned period in for review; its report is made
    and archived with it (``archive``)."""
    if not can_edit_project(session, actor, project_id):
        raise ReviewForbidden(MAY_NOT_SUBMIT)
    return _move(
        session,
        project_id,
        period,
        action="submit",
        allowed_from=(DRAFT, RETURNED),
        to_state=SUBMITTED,
        actor=actor,
        archive=archive,
    )


def approve(session: Session, project_id: int, period: int, *, actor: Actor) -> PeriodState:
    """A reviewer accepts a submitted period, which locks its values."""
    if not can_review(actor):
        raise ReviewForbidden(MAY_NOT_REVIEW)
    return _move(
        session,
        project_id,
        period,
        action="approve",
        allowed_from=(SUBMITTED,),
        to_state=APPROVED,
        actor=actor,
    )


def return_(
    session: Session, project_id: int, period: int, reason: str, *, actor: Actor
) -> PeriodState:
    """A reviewer sends a submitted period back to the manager with a reason."""
    if not can_review(actor):
        raise ReviewForbidden(MAY_NOT_REVIEW)
    return _move(
        session,
        project_id,
        period,
        action="return",
        allowed_from=(SUBMITTED,),
        to_state=RETURNED,
        actor=actor,
        reason=_clean_reason(reason),
    )


def reopen(
    session: Session, project_id: int, period: int, reason: str, *, actor: Actor
) -> PeriodState:
    """A reviewer unlocks an approved period (back to draft) with a reason."""
    if not can_review(actor):
        raise ReviewForbidden(MAY_NOT_REVIEW)
    return _move(
        session,
        project_id,
        period,
        action="reopen",
        allowed_from=(APPROVED,),
        to_state=DRAFT,
        actor=actor,
        reason=_clean_reason(reason),
    )


def locked_periods(session: Session, project_id: int, *, actor: Actor) -> set[int]:
    """The numbers of the project's approved (locked) periods."""
    require_read(actor)
    return data.approved_periods(session, project_id)


__all__ = [
    "APPROVED",
    "DRAFT",
    "PERIOD_LOCKED",
    "RETURNED",
    "SUBMITTED",
    "PeriodState",
    "ReviewEvent",
    "ReviewForbidden",
    "ReviewRefused",
    "approve",
    "locked_periods",
    "reopen",
    "return_",
    "review_states",
    "state_of",
    "submit",
]
