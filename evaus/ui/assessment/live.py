"""What the wizard and the matrix share for live editing: reading the latest state after
somebody else's save, telling one's own saves from the others' and naming the saver.

A save's ``changed`` event names the user but not the tab: a page tells its own saves by the
version (the autosaver's version is the one its last save returned). An event is handled once
the autosaver is idle, so that a save in flight has set its version first."""

from __future__ import annotations

import asyncio
from typing import Any

from nicegui import run

from ...services import assessments as svc
from ...services.access import Actor
from ...workshop import WorkshopEvent
from ..context import session
from .common import AutoSaver
from .presence import PresenceBar


def read_latest(actor: Actor, assessment_id: int, lang: str) -> svc.Edited:
    """Blocking: the stored assessment now, with its version (its progress, checks and
    comparison computed here, off the event loop)."""
    with session(actor) as db:
        view = svc.get_assessment(db, assessment_id, actor=actor)
        framework = svc.framework_of(db, assessment_id, actor=actor)
    edited = svc.Edited(view.id, view.version, view.doc, framework, lang)
    _ = edited.progress, edited.issues, edited.comparison
    return edited


async def latest(actor: Actor, assessment_id: int, lang: str) -> svc.Edited | None:
    """The stored assessment now (None when the server is shutting down)."""
    edited: svc.Edited | None = await run.io_bound(read_latest, actor, assessment_id, lang)
    return edited


async def idle(saver: AutoSaver, limit: float = 10.0) -> None:
    """Wait until the autosaver has no save in flight (at most ``limit`` seconds)."""
    waited = 0.0
    while saver.busy and waited < limit:
        await asyncio.sleep(0.05)
        waited += 0.05


async def news(saver: AutoSaver | None, event: WorkshopEvent) -> bool:
    """Whether a ``changed`` event is somebody else's save this page has not seen yet (or a
    ``resync``: read everything again)."""
    if saver is None:
        return False
    if event.action == "resync":
        return True
    if event.action != "saved" or event.version is None:
        return False
    await idle(saver)
    return event.version > saver.version


def follow(saver: AutoSaver, edited: svc.Edited) -> None:
    """The autosaver goes on from the newest version: the next own save of another field is
    no false conflict."""
    saver.version = max(saver.version, edited.version)


def saver_name(bar: PresenceBar | None, who: str) -> str:
    """The display name of the user who saved (their user name when not present)."""
    if bar is not None:
        for present in bar.present:
            if present.person.who == who:
                return present.person.name
    return who or "?"


def holder_text(tr: Any, name: str) -> str:
    """ "Muokkaa: Ville Virtanen" """
    return str(tr("Being edited by: {name}", name=name))


__all__ = ["follow", "holder_text", "idle", "latest", "news", "read_latest", "saver_name"]
