"""The bell in the header: the unread count (also in its accessible name), the latest notices
with their links, "mark all read" and the way to the notification settings, in a popup that is a
non-modal dialog for assistive technology."""

from __future__ import annotations

from html import escape

from nicegui import ui

from ..services import notifications as notification_service
from ..services.access import Actor
from .context import Translator, guarded, session

PREFERENCES_PATH = "/profile/notifications"
BELL_LIMIT = 8


def notice_bell(tr: Translator, actor: Actor) -> None:
    """The bell: the unread count (also in its accessible name) and a menu of the latest."""
    with session(actor) as db_session:
        count = notification_service.unread_count(db_session, actor=actor)
        latest = notification_service.notices(
            db_session, actor=actor, limit=BELL_LIMIT, lang=tr.lang
        )
    name = tr("Notices: {count} unread", count=count)
    bell = (
        ui.button(icon="notifications")
        .mark("notice-bell")
        .props(f'flat round color=white aria-label="{escape(name)}" aria-haspopup="dialog"')
    )
    with bell:
        if count:
            ui.badge(str(count), color="negative").props('floating aria-hidden="true"')
        # Links and buttons, reached with Tab: a non-modal dialog, not Quasar's role="menu"
        # (which would need menuitem children and arrow-key navigation).
        menu = ui.menu().props(f'role="dialog" aria-label="{escape(tr("Notices"))}"')
        with menu, ui.column().classes("gap-1 p-3 max-w-sm"):
            if not latest:
                ui.label(tr("No notices."))
            for notice in latest:
                when = tr.date(notice.created_at.date())
                link = ui.link(f"{notice.text} ({when})", notice.link or "/")
                link.classes("text-body2" + ("" if notice.read else " text-weight-bold"))
            with ui.row().classes("gap-2 items-center"):
                if count:
                    ui.button(tr("Mark all read"), on_click=lambda: _mark_all_read(tr)).props(
                        "flat dense no-caps"
                    )
                ui.link(tr("Notification settings"), PREFERENCES_PATH)


def _mark_all_read(tr: Translator) -> None:
    def mark(actor: Actor) -> None:
        with session(actor) as db_session:
            notification_service.mark_all_read(db_session, actor=actor)
        ui.navigate.reload()

    guarded(tr, mark)
