"""The user's own notification settings page (the bell itself: ``notice_bell``)."""

from __future__ import annotations

from nicegui import APIRouter, ui

from project_db.errors import N_

from ..services import notifications as notification_service
from ..services.access import Actor
from .context import guarded, session
from .notice_bell import PREFERENCES_PATH
from .page import Opened, page

router = APIRouter()


KIND_LABELS = (
    ("reminder_before", N_("Reminders before a report is due")),
    ("reminder_due", N_("Reminders on the day a report is due")),
    ("reminder_overdue", N_("Reminders of overdue reports")),
    ("review", N_("Review notices")),
)
DIGEST_LABELS = {"daily": N_("Daily"), "weekly": N_("Weekly"), "off": N_("Off")}


def _load(actor: Actor) -> notification_service.Preferences:
    with session(actor) as db_session:
        return notification_service.preferences(db_session, actor=actor)


@page(router, PREFERENCES_PATH, title=N_("Notification settings"), load=_load)
def preferences_page(opened: Opened[notification_service.Preferences]) -> None:
    tr, prefs = opened.tr, opened.data
    ui.label(tr("Choose what EVAUS tells you by e-mail and under the bell."))
    switches = {
        kind: ui.checkbox(tr(label), value=bool(getattr(prefs, kind)))
        for kind, label in KIND_LABELS
    }
    digest = ui.select(
        {code: tr(label) for code, label in DIGEST_LABELS.items()},
        value=prefs.digest_frequency,
        label=tr("Digest e-mail"),
    ).classes("w-48")

    def save(actor: Actor) -> None:
        chosen = notification_service.Preferences(
            **{kind: bool(box.value) for kind, box in switches.items()},
            digest_frequency=str(digest.value or "weekly"),
        )
        with session(actor) as db_session:
            notification_service.save_preferences(db_session, chosen, actor=actor)
        ui.notify(tr("Saved."), type="positive")

    ui.button(tr("Save"), on_click=lambda: guarded(tr, save)).props("color=primary")
