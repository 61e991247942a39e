"""Who else is in the assessment now: the presence bar of the live workshop, and the banner that
tells when the connection to the server is lost.

    bar = PresenceBar(tr, actor, assessment_id, where=step_key(3), framework=fw, doc=lambda: doc)
    bar.on("changed", reload)          # a save by anyone (``event.version``, ``event.fields``)
    bar.on("lock", lock_changed)       # soft locks taken, released, taken over, expired
    await bar.join()                   # in the page body: waits for the browser's connection
    await bar.move(cell_key(area, alternative))
    claim = await bar.seat.take(key)   # the participant's ``Seat``: locks, notes …

The bar joins the page's browser tab (``Person.client`` is NiceGUI's client id) as a
participant of the assessment's workshop (``evaus.workshop``), beats the heart every
``HEARTBEAT`` seconds and leaves when the page is gone for good (the client's deletion, after
NiceGUI's reconnect time: a short network break keeps the seat). It shows the *other* users
present — one round avatar with their initials per browser tab, their name and where they are
(a wizard step, a matrix cell … in words) on hover and as text for screen readers — and
announces arrivals and departures in a polite live region. Without a running workshop (the app
did not start one yet) the bar says nobody else is here and joins at the next heartbeat.

Handlers get the ``WorkshopEvent`` inside the bar's UI context (they may update elements and
notify); a handler may be a coroutine function.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Awaitable, Callable
from html import escape
from typing import Any

from nicegui import run, storage, ui

from evaus.assessment import Framework
from project_db.errors import N_

from ...services.access import Actor
from ...services.workshop import participant_name
from ...workshop import (
    EventKind,
    Lock,
    Person,
    Present,
    Seat,
    WorkshopEvent,
    current_workshop,
)
from ..context import Translator, session

log = logging.getLogger(__name__)

HEARTBEAT = 10.0  # seconds; presence expires after 30 s without one
# Where a participant of the facilitator view is (``evaus.ui.assessment.facilitator``) while
# not leading; the lead's place is the focused matrix cell.
FACILITATOR_PLACE = "facilitator"

Handler = Callable[[WorkshopEvent], Awaitable[None] | None]
DocGetter = Callable[[], Any]

_SECTIONS = {
    "risks": N_("Risks"),
    "hearings": N_("Hearings"),
    "follow_ups": N_("Follow-up"),
}

_CSS = """
.evaus-presence{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}
.evaus-presence ul{display:flex;flex-wrap:wrap;gap:.375rem;list-style:none;margin:0;padding:0}
.evaus-presence li{display:flex;align-items:center}
.evaus-avatar{display:inline-flex;align-items:center;justify-content:center;min-width:2.25em;
  height:2.25em;padding:0 .35em;border-radius:9999px;background:#1e3a8a;color:#fff;
  font-weight:700;letter-spacing:.02em;border:2px solid #fff;box-shadow:0 0 0 2px #1e3a8a}
"""


def place_name(
    tr: Translator, where: str, framework: Framework | None = None, doc: Any = None
) -> str:
    """Where a participant is, in words: "Vaihe 3: Vaihtoehdot", "Matriisi: Talous – Malli A"."""
    if where == FACILITATOR_PLACE:
        return tr("Facilitator view")
    parts = where.split("/")
    head, rest = parts[0], parts[1:]
    if head == "step" and len(rest) == 1 and rest[0].isdigit():
        number = int(rest[0])
        phases = framework.phases if framework is not None else []
        phase = next((p for p in phases if p.number == number), None)
        if phase is None:
            return tr("Step {number}", number=number)
        return tr("Step {number}: {name}", number=number, name=phase.name.get(tr.lang))
    if head == "impacts" and len(rest) == 2:
        return tr(
            "Matrix: {area} – {alternative}",
            area=area_name(tr, rest[0], framework),
            alternative=alternative_name(rest[1], doc),
        )
    if head == "areas" and len(rest) == 1:
        return tr("Impact area: {area}", area=area_name(tr, rest[0], framework))
    if head == "answers" and len(rest) == 1:
        questions = [q for p in framework.phases for q in p.questions] if framework else []
        question = next((q for q in questions if q.key == rest[0]), None)
        if question is not None:
            return tr("Question: {question}", question=question.label.get(tr.lang))
    if head == "alternatives" and len(rest) == 1:
        return tr("Alternative: {name}", name=alternative_name(rest[0], doc))
    if head in _SECTIONS:
        return tr(_SECTIONS[head])
    return tr("In the assessment")


def area_name(tr: Translator, code: str, framework: Framework | None) -> str:
    area = framework.area(code) if framework is not None else None
    return area.name.get(tr.lang) if area is not None else code


def alternative_name(key: str, doc: Any) -> str:
    alternative = doc.alternative(key) if doc is not None else None
    return str(alternative.name) if alternative is not None else key


class PresenceBar:
    """The participants of one assessment beside this page (see the module's docstring)."""

    def __init__(
        self,
        tr: Translator,
        actor: Actor,
        assessment_id: int,
        *,
        where: str = "",
        framework: Framework | None = None,
        doc: DocGetter | None = None,
    ) -> None:
        self.tr, self.actor, self.assessment_id = tr, actor, assessment_id
        self.where = where
        self.framework = framework
        self.doc = doc or (lambda: None)
        self.client = ui.context.client
        self.seat: Seat | None = None
        self.present: list[Present] = []
        self._name = actor.username
        self._handlers: dict[str, list[Handler]] = {}
        self._beats: list[Callable[[], Awaitable[None] | None]] = []
        self._connects: list[Callable[[], Awaitable[None] | None]] = []
        self._named = False
        self._drawn: list[tuple[str, str, str]] | None = None  # what the list shows
        self._refreshing = False
        self._again = False
        self._joining = asyncio.Lock()
        self._build()
        self.client.on_delete(self.leave)
        self.client.on_connect(self._reconnected)
        self.client.on_disconnect(self._disconnected)

    # --- the API for the pages --------------------------------------------------------------

    def on(self, kind: EventKind, handler: Handler) -> None:
        """Call ``handler(event)`` for every event of ``kind`` ("changed", "presence",
        "lock", "note") of the assessment, the page's own included (``own``)."""
        self._handlers.setdefault(kind, []).append(handler)

    def on_heartbeat(self, handler: Callable[[], Awaitable[None] | None]) -> None:
        """Call ``handler()`` after every heartbeat (every ``HEARTBEAT`` seconds while
        joined): e.g. ``seat.keep(key)`` for a lock held while nothing is typed."""
        self._beats.append(handler)

    def on_connect(self, handler: Callable[[], Awaitable[None] | None]) -> None:
        """Call ``handler()`` whenever the browser connects: the first time and after a lost
        connection (e.g. to offer what was typed meanwhile)."""
        self._connects.append(handler)

    def on_changed(self, handler: Handler) -> None:
        self.on("changed", handler)

    def on_lock(self, handler: Handler) -> None:
        self.on("lock", handler)

    def own(self, event: WorkshopEvent) -> bool:
        """Whether the event is this page's own doing (a save's event names the user only:
        compare ``event.who`` with the user for those)."""
        return self.seat is not None and self.seat.own(event)

    @property
    def person(self) -> Person:
        return Person(client=self.client.id, who=self.actor.username, name=self._name)

    @property
    def joined(self) -> bool:
        return self.seat is not None and not self.seat.left

    async def join(self) -> None:
        """Join the workshop as this page's tab (waits for the browser's connection first;
        nothing happens when the page is gone or no workshop runs yet)."""
        async with self._joining:  # the page and the first heartbeat may both ask
            if self.joined or self.seat is not None:
                return
            await self.client.connected()
            if self.client.is_deleted:
                return
            if not self._named:
                name = await run.io_bound(self._participant_name)
                self._named = name is not None
                self._name = name or self._name
            workshop = current_workshop()
            if workshop is None or self.client.is_deleted:
                return
            self.seat = await workshop.join(
                self.assessment_id, self.person, self._event, where=self.where
            )
            if self.client.is_deleted:  # closed while joining
                await self.leave()
                return
        await self.refresh()

    def mark_live(self) -> None:
        """The page has joined and read the assessment since: from here on it learns of every
        save through the workshop (``data-live`` on the bar, for tests and styles)."""
        if not self.container.is_deleted:
            self.container.props('data-live="true"')

    async def join_for_locks(self) -> list[Lock] | None:
        """Join (``join``) and give the soft locks the others hold now; None when the page
        did not join (no workshop runs, the page is gone)."""
        await self.join()
        if self.seat is None or not self.joined:
            return None
        return [lock for lock in await self.seat.locks() if lock.holder.client != self.client.id]

    async def move(self, where: str) -> None:
        """The participant is now at ``where`` (a key of ``evaus.workshop.keys``)."""
        self.where = where
        if self.joined and self.seat is not None:
            await self.seat.move(where)

    async def leave(self) -> None:
        """Leave the workshop (the page's deletion does this)."""
        if self.seat is not None:
            await self.seat.leave()

    async def refresh(self) -> None:
        """Read who is present and redraw (one read at a time; a request meanwhile reads
        again after it)."""
        if self._refreshing:
            self._again = True
            return
        self._refreshing = True
        try:
            while True:
                self._again = False
                if self.joined and self.seat is not None:
                    self.present = await self.seat.people()
                if self.client.is_deleted:
                    return
                self._draw()
                if not self._again:
                    return
        finally:
            self._refreshing = False

    def others(self) -> list[Present]:
        """The others present: every tab of another user, by name."""
        return [p for p in self.present if p.person.who != self.actor.username]

    # --- inside -----------------------------------------------------------------------------

    def _participant_name(self) -> str:
        with session(self.actor) as db:
            return participant_name(db, actor=self.actor)

    def _build(self) -> None:
        tr = self.tr
        ui.add_css(_CSS)
        label_id = f"presence-label-{self.client.id[:8]}"
        self.container = ui.element("section").classes("evaus-presence")
        self.container.props(f'aria-labelledby="{label_id}"')
        with self.container:
            ui.label(tr("Here now:")).classes("text-weight-medium").props(f'id="{label_id}"')
            self.list = ui.element("ul").props(f'aria-label="{escape(tr("Here now"))}"')
            self.live = ui.label("").props('role="status" aria-live="polite"').classes("sr-only")
        self._draw()
        ui.timer(HEARTBEAT, self._heartbeat)

    def _draw(self) -> None:
        tr, framework, doc = self.tr, self.framework, self.doc()
        drawn = [
            (
                p.person.client,
                p.person.initials,
                tr(
                    "{name}: {place}",
                    name=p.person.name,
                    place=place_name(tr, p.where, framework, doc),
                ),
            )
            for p in self.others()
        ]
        if drawn == self._drawn:
            return  # unchanged: an open tooltip stays open
        self._drawn = drawn
        self.list.clear()
        with self.list:
            if not drawn:
                with ui.element("li"):
                    ui.label(tr("Nobody else is here.")).classes("text-body2")
                return
            for client, initials, text in drawn:
                with ui.element("li").props(f'data-client="{escape(client)}"'):
                    ui.label(initials).classes("evaus-avatar").props('aria-hidden="true"')
                    ui.label(text).classes("sr-only")
                    ui.tooltip(text).classes("text-body1")

    async def _event(self, event: WorkshopEvent) -> None:
        if self.client.is_deleted or self.seat is None or self.seat.left:
            return
        if event.kind == "presence":
            self._announce(event)
            await self.refresh()
        for handler in list(self._handlers.get(event.kind, ())):
            await self._call(handler, event)

    def _announce(self, event: WorkshopEvent) -> None:
        if event.who == self.actor.username or event.action not in ("joined", "left", "expired"):
            return
        if event.action == "joined":
            if any(p.person.client == event.client for p in self.present):
                return  # back after a pause: not news
            text = self.tr("{name} joined.", name=event.name)
        else:
            text = self.tr("{name} left.", name=event.name)
        self.live.set_text(text)

    async def _call(self, handler: Callable[..., Any], *args: Any) -> None:
        # An event published from a save's thread carries no request: the elements a handler
        # makes must still know the page's (their own handlers read the signed-in user).
        storage.request_contextvar.set(self.client.request)
        with self.container:
            result = handler(*args)
            if inspect.isawaitable(result):
                await result

    async def _heartbeat(self) -> None:
        if self.client.is_deleted or not self.client.has_socket_connection:
            return  # away: present again once the browser is back
        if not self.joined:
            if self.seat is None:
                await self.join()  # the workshop may have started after the page
            return
        assert self.seat is not None
        await self.seat.heartbeat()
        await self.refresh()
        for beat in list(self._beats):
            await self._call(beat)

    async def _reconnected(self) -> None:
        """The browser is back (or connected the first time): present again, read again."""
        if self.joined and self.seat is not None:
            await self.seat.heartbeat()
            await self.refresh()
        for handler in list(self._connects):
            await self._call(handler)

    async def _disconnected(self) -> None:
        """The browser's connection was lost: absent for the others at once (a closed tab is
        not shown for NiceGUI's reconnect time); the seat and its locks stay until the page is
        gone, and coming back within that time makes the participant present again."""
        if self.joined and self.seat is not None and not self.client.is_deleted:
            await self.seat.away()


# --- the connection ---------------------------------------------------------------------------

_CONNECTION_JS = """
<script>(() => {
  const texts = %s;
  const install = () => {
    const popup = document.getElementById("popup");
    if (!popup || document.getElementById("evaus-connection")) return !!popup;
    const banner = document.createElement("div");
    banner.id = "evaus-connection";
    banner.setAttribute("role", "status");
    banner.setAttribute("aria-live", "assertive");
    banner.className = "evaus-connection";
    document.body.appendChild(banner);
    let lost = false, timer = null;
    const update = () => {
      const now = popup.getAttribute("aria-hidden") === "false";
      if (now === lost) return;
      lost = now;
      clearTimeout(timer);
      banner.textContent = lost ? texts.lost : texts.back;
      banner.dataset.state = lost ? "lost" : "back";
      if (lost) return;
      timer = setTimeout(() => {
        banner.textContent = "";
        delete banner.dataset.state;
      }, 5000);
    };
    new MutationObserver(update).observe(
      popup, {attributes: true, attributeFilter: ["aria-hidden"]});
    return true;
  };
  if (!install()) document.addEventListener("DOMContentLoaded", install);
})();</script>
"""

_CONNECTION_CSS = (
    ".evaus-connection:empty{display:none}"
    ".evaus-connection{position:fixed;top:0;left:50%;transform:translateX(-50%);z-index:10000;"
    "padding:.5rem 1rem;border:2px solid #000;border-radius:0 0 .5rem .5rem;font-size:1.125rem;"
    "font-weight:600;background:#fff;color:#000}"
    ".evaus-connection[data-state=lost]{background:#7f1d1d;color:#fff;border-color:#7f1d1d}"
)


def connection_banner(tr: Translator) -> None:
    """A banner (and a screen reader announcement) in the user's language while the page's
    connection to the server is lost, and briefly when it is back. It follows NiceGUI's own
    reconnect pop-up, so it costs the server nothing."""
    texts = {
        "lost": tr("The connection to the server was lost. Reconnecting…"),
        "back": tr("The connection to the server is back."),
    }
    ui.add_css(_CONNECTION_CSS)
    ui.add_body_html(_CONNECTION_JS % json.dumps(texts).replace("</", "<\\/"))


__all__ = [
    "FACILITATOR_PLACE",
    "HEARTBEAT",
    "PresenceBar",
    "alternative_name",
    "area_name",
    "connection_banner",
    "place_name",
]
