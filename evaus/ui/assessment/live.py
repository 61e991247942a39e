"""What the wizard and the matrix share for live editing: reading the latest state after
somebody else's save, telling one's own saves from the others' and naming the saver.

A save's ``changed`` event names the user but not the tab: a page tells its own saves by the
version (the autosaver's version is the one its last save returned). An event is handled once
the autosaver is idle, so that a save in flight has set its version first."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from ...services import assessments as svc
from ...services.access import Actor
from ...workshop import WorkshopEvent
from ..context import session
from .common import AutoSaver
from .presence import PresenceBar

# How long the server keeps a wizard or matrix page whose browser lost its connection
# (NiceGUI's ``reconnect_timeout``, 3 s by default): a participant whose network breaks for a
# while comes back to the same page, seat and locks instead of a reloaded page.
RECONNECT_SECONDS = 30.0

# The text typed into a followed field is kept in the browser (localStorage, under
# ``evaus-draft:<assessment id>:<field key>``) with the value it was typed over, until the
# server says that it saved it: a connection lost meanwhile loses nothing, and the page offers
# the text again when it is back (``Wizard.restore_drafts``).
DRAFTS_JS = """<script>(() => {
  if (window.evausDrafts) return;
  const PREFIX = "evaus-draft:";
  const bases = {};
  const hostOf = (target) => (target && target.closest ? target.closest("[data-draft]") : null);
  const read = (name) => {
    try { return JSON.parse(localStorage.getItem(name) || "null"); } catch (e) { return null; }
  };
  document.addEventListener("focusin", (event) => {
    const host = hostOf(event.target);
    if (host && !(host.dataset.draft in bases)) bases[host.dataset.draft] = event.target.value;
  });
  document.addEventListener("input", (event) => {
    const host = hostOf(event.target);
    if (!host) return;
    const key = host.dataset.draft;
    const draft = {v: event.target.value, b: key in bases ? bases[key] : null, at: Date.now()};
    try { localStorage.setItem(PREFIX + key, JSON.stringify(draft)); } catch (e) {}
  });
  window.evausDrafts = {
    read(owner) {
      const start = PREFIX + owner + ":", found = {};
      for (let i = 0; i < localStorage.length; i++) {
        const name = localStorage.key(i);
        if (name && name.startsWith(start)) found[name.slice(start.length)] = read(name);
      }
      return found;
    },
    saved(owner, values) {
      for (const [key, value] of Object.entries(values)) {
        bases[owner + ":" + key] = value;
        const draft = read(PREFIX + owner + ":" + key);
        if (draft && draft.v === value) localStorage.removeItem(PREFIX + owner + ":" + key);
      }
    },
    drop(owner, keys) {
      for (const key of keys) localStorage.removeItem(PREFIX + owner + ":" + key);
    },
  };
})();</script>"""


def drafts_script() -> None:
    """The page keeps what is typed into its followed fields in the browser (``DRAFTS_JS``)."""
    ui.add_body_html(DRAFTS_JS)


async def read_drafts(owner: int) -> dict[str, Any]:
    """What the browser keeps for the assessment ``owner``: key → {"v": text, "b": the value
    it was typed over, "at": ms}; empty when the browser does not answer in time."""
    script = f"return window.evausDrafts ? evausDrafts.read({json.dumps(str(owner))}) : {{}}"
    try:
        found = await ui.run_javascript(script, timeout=5)
    except TimeoutError:
        return {}
    return found if isinstance(found, dict) else {}


def draft_call(function: str, owner: int, arg: object) -> str:
    """ "evausDrafts.saved(12, {...})" """
    return (
        f"window.evausDrafts && evausDrafts.{function}({json.dumps(str(owner))}, {json.dumps(arg)})"
    )


# The fields whose change alters what a page may do: its status (finished, decided …) and the
# approval.
STATE_FIELDS = ("status", "approved_by", "approved_at")


def read_latest(actor: Actor, assessment_id: int, lang: str) -> svc.Edited:
    """Blocking: the stored assessment now, with its version (its progress, checks and
    comparison computed here, off the event loop)."""
    with session(actor) as db:
        view = svc.get_assessment(db, assessment_id, actor=actor)
        framework = svc.framework_of(db, assessment_id, actor=actor)
    edited = svc.Edited(view.id, view.version, view.doc, framework, lang)
    _ = edited.progress, edited.issues, edited.comparison
    return edited


# The last read of each assessment (and language) on this instance: when it started and its
# result. Every open page of an assessment reads it again after a save; they share one read: a
# read whose result has the save's version (or a later one) serves every page that got the
# save's event, so a save costs one read per instance, not one per page. A ``resync`` (no
# version) shares a read started after the page learnt of it.
_reads: dict[tuple[int, str], tuple[float, asyncio.Future[svc.Edited | None]]] = {}
_READ_KEPT = 60.0  # seconds


def _shareable(
    found: tuple[float, asyncio.Future[svc.Edited | None]] | None,
    since: float | None,
    version: int | None,
) -> bool:
    """Whether a read (started, future) may serve a page that wants ``version`` (or a read
    started after ``since``): a read in flight may, a finished one when its result has it."""
    if found is None:
        return False
    started, future = found
    if version is None:
        return since is not None and started >= since
    if not future.done():
        return True
    if future.cancelled() or future.exception() is not None:
        return False
    result = future.result()
    return result is None or result.version >= version


async def latest(
    actor: Actor,
    assessment_id: int,
    lang: str,
    since: float | None = None,
    version: int | None = None,
) -> svc.Edited | None:
    """The stored assessment now (None when the server is shutting down). ``version``: the
    version of the save the page learnt of; a read of the same assessment by any page of this
    instance that has it (or is still in flight) is shared. ``since`` (without ``version``):
    the ``time.monotonic()`` when the page learnt of the change; a read started after it is
    shared."""
    key = (assessment_id, lang)
    while True:
        found = _reads.get(key)
        if not _shareable(found, since, version):
            break
        assert found is not None
        try:
            result = await asyncio.shield(found[1])
        except Exception:
            break  # a failed read is read again
        if version is None or result is None or result.version >= version:
            return result
        if _reads.get(key) is found:
            break  # it started before the save: nobody reads again yet
    now = time.monotonic()
    for old in [k for k, (started, _) in _reads.items() if now - started > _READ_KEPT]:
        del _reads[old]
    future: asyncio.Future[svc.Edited | None] = asyncio.ensure_future(
        run.io_bound(read_latest, actor, assessment_id, lang)
    )
    _reads[key] = (now, future)
    try:
        return await asyncio.shield(future)
    except BaseException:
        if _reads.get(key, (0.0, None))[1] is future:
            del _reads[key]  # a failed read is not shared
        raise


def saved_version(event: WorkshopEvent) -> int | None:
    """The version a ``changed``/``saved`` event brings (None for any other event)."""
    return event.version if event.action == "saved" else None


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


def resync(assessment_id: int) -> WorkshopEvent:
    """The event that makes a page read the assessment again: after joining the workshop, for
    a save made between reading the page's data and joining (a page loaded again after a
    restart, while another one saves what it kept)."""
    return WorkshopEvent(assessment_id=assessment_id, kind="changed", action="resync")


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


def state_change(tr: Any, event: WorkshopEvent, name: str) -> str | None:
    """What a ``changed`` event does to the whole page, in words: the assessment was deleted,
    a new version was made of it, its status or approval changed; None for any other event."""
    if event.action == "deleted":
        return str(tr("{name} deleted the assessment.", name=name))
    if event.action == "new_version":
        return str(tr("{name} started a new version of the assessment.", name=name))
    if event.action == "saved" and any(f in STATE_FIELDS for f in event.fields):
        return str(tr("{name} changed the state of the assessment.", name=name))
    return None


class StateNotice:
    """Where a page says that somebody else changed the assessment's state (it is now locked,
    approved, deleted …): the page is loaded again at once when nothing is being typed on it,
    else a notice offers it and the typed text stays to be copied."""

    def __init__(self, tr: Any, assessment_id: int) -> None:
        self.tr, self.assessment_id = tr, assessment_id
        self.box = ui.element("div").classes("w-full empty:hidden").props('role="alert"')

    def show(self, event: WorkshopEvent, text: str, busy: bool) -> None:
        target = "/assessments" if event.action == "deleted" else None
        if not busy:
            ui.notify(text)
            if target is None:
                ui.navigate.reload()
            else:
                ui.navigate.to(target)
            return
        self.box.clear()
        load: Callable[[], None] = (
            ui.navigate.reload if target is None else lambda: ui.navigate.to(target)
        )
        with self.box, ui.card().classes("w-full bg-amber-50").props("flat bordered"):
            ui.label(text).classes("text-weight-medium")
            ui.label(
                self.tr("What you typed was not saved: copy it before you load the page again.")
            )
            ui.button(self.tr("Load the page again"), on_click=load)


__all__ = [
    "DRAFTS_JS",
    "RECONNECT_SECONDS",
    "STATE_FIELDS",
    "StateNotice",
    "draft_call",
    "drafts_script",
    "follow",
    "holder_text",
    "idle",
    "latest",
    "news",
    "read_latest",
    "resync",
    "saved_version",
    "saver_name",
    "state_change",
]
