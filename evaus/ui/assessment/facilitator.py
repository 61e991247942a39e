"""The facilitator view ``/assessments/{id}/facilitator``: the impacts × alternatives matrix of
an assessment for a projector in a workshop — read-only, large type (24 px and up), black on
white or on light tints (WCAG AAA contrast), the direction and size of each impact in words and
symbols, never in colour alone — with the cell under discussion ("Nyt käsittelyssä") shown large
above the matrix, and an optional timer per impact area.

**Who leads.** One participant leads: whoever opened the view with ``?lead=1`` or pressed
*Ohjaa* on it last. The lead moves the focus with the arrow keys (up and down: impact area;
left and right: alternative) or the buttons; every other open facilitator view of the same
assessment follows, on any instance. The lead is the holder of the soft lock ``LEAD_KEY`` of
the assessment's workshop (``evaus.workshop.locks``): *Ohjaa* takes it over (the previous lead's
views become followers), the lead keeps it with every heartbeat, and it ends with *Lopeta
ohjaus*, the lead's page closing, or two minutes without a heartbeat. The focus itself is the
lead's presence: the lead's ``seat.move(cell_key(area, alternative))``, which every participant
receives as a ``presence``/``moved`` event — so the wizard's and the matrix's presence bars show
where the workshop is, too. A view that opens reads the lock's holder and their place. Followers
are present at ``FACILITATOR_PLACE``.

**Live.** A save by anyone (the ``changed`` event; ``resync`` after a lost connection between
instances) reads the assessment again through the services, as the matrix page does, and
redraws the matrix and the focus; the user is read afresh too, so a deactivated user's view
stops following.

**The timer** is the view's own (on the projector's computer): it counts the time spent on the
focused impact area; moving to another area keeps each area's time apart.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from html import escape
from typing import Any

from nicegui import run, ui

from evaus.assessment import Framework
from project_db.assessment_schemas import ImpactIn
from project_db.errors import N_, NotFound

from ...services import assessments as svc
from ...services.access import Actor, load_actor
from ...workshop import WorkshopEvent, cell_key
from ..context import Translator, session
from ..page import Opened, page
from .common import NOT_FOUND
from .presence import FACILITATOR_PLACE, PresenceBar, area_name, connection_banner
from .router import router

LEAD_KEY = "facilitator/lead"  # the soft lock whose holder leads the facilitator views
KEY_EVENT = "evaus_facilitator_key"
# What a save must change for the view to read the assessment again.
SHOWN_PARTS = ("impacts", "areas", "alternatives", "title")

# Black text on light tints: 13:1 and more (WCAG AAA); the symbol and the label say the same.
CELL_STYLES = {
    "++": "background:#bbf7d0",
    "+": "background:#dcfce7",
    "0": "background:#f3f4f6",
    "-": "background:#fee2e2",
    "--": "background:#fecaca",
    "+-": "background:#fef3c7",
    "?": "background:#fef3c7",
}

_CSS = """
#main{max-width:none}
.facilitator{font-size:24px;line-height:1.4;color:#000;background:#fff;display:flex;
  flex-direction:column;gap:16px}
.facilitator:fullscreen{overflow:auto;padding:24px}
.facilitator .q-btn{font-size:22px;min-height:48px}
.facilitator .q-btn .q-icon{font-size:28px}
.facilitator-title{font-size:28px;font-weight:600}
.facilitator-status{font-size:24px}
.facilitator-focus{border:4px solid #000;border-radius:8px;padding:16px 20px}
.facilitator-focus h2{font-size:36px;font-weight:700;line-height:1.2;margin:0 0 8px}
.facilitator-value{font-size:40px;font-weight:700}
.facilitator-value .symbol{font-size:48px;margin-right:.3em}
.facilitator-details{font-size:26px;margin:0;padding-left:1.2em}
.facilitator-timer{font-size:56px;font-weight:700;font-variant-numeric:tabular-nums}
.facilitator table{border-collapse:collapse;width:100%;font-size:24px}
.facilitator caption{text-align:left;font-weight:600;padding-bottom:8px}
.facilitator th,.facilitator td{border:2px solid #000;padding:10px;vertical-align:top;
  text-align:left}
.facilitator thead th{background:#fff}
.facilitator th[aria-current],.facilitator td[aria-current]{outline:6px solid #000;
  outline-offset:-6px}
.facilitator th.current-axis{text-decoration:underline;text-decoration-thickness:3px}
.facilitator .cell-symbol{font-size:32px;font-weight:700;margin-right:.25em}
.facilitator .cell-label{font-weight:700}
.facilitator .now-badge{display:inline-block;background:#000;color:#fff;padding:0 .4em;
  border-radius:4px;margin-bottom:4px;font-weight:700}
.facilitator-empty{background:#fff;border-style:dashed !important}
"""

_KEYS_JS = f"""
<script>
document.addEventListener("keydown", (event) => {{
  const keys = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"];
  if (!keys.includes(event.key) || event.altKey || event.ctrlKey || event.metaKey) return;
  const view = document.getElementById("facilitator");
  if (!view || view.dataset.lead !== "true") return;
  const target = event.target;
  if (target !== document.body && !(target.closest && target.closest("#facilitator"))) return;
  if (target.closest && target.closest("input, textarea, select, [role=listbox], [role=combobox]"))
    return;
  event.preventDefault();
  emitEvent("{KEY_EVENT}", event.key);
}});
</script>
"""


@dataclass
class Shown:
    """What the view shows: the assessment and its framework."""

    view: svc.AssessmentView
    framework: Framework

    @property
    def doc(self) -> Any:
        return self.view.doc


def _load(actor: Actor, assessment_id: int) -> Shown | None:
    """Blocking: the assessment and its framework (None when there is no such assessment)."""
    with session(actor) as db:
        try:
            view = svc.get_assessment(db, assessment_id, actor=actor)
        except NotFound:
            return None
        return Shown(view, svc.framework_of(db, assessment_id, actor=actor))


def _reload(actor: Actor, assessment_id: int) -> tuple[Actor | None, Shown | None]:
    """Blocking, after a save: the user read afresh (None when no longer active) and what
    the view shows."""
    with session(actor) as db:
        current = load_actor(db, actor.user_id)
    if current is None:
        return None, None
    return current, _load(current, assessment_id)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


class AreaTimer:
    """Time spent on each impact area: runs for the focused area only."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.area: str | None = None
        self.since: float | None = None  # monotonic start of the running stretch

    @property
    def running(self) -> bool:
        return self.since is not None

    def seconds(self, area: str | None = None) -> float:
        area = self.area if area is None else area
        if area is None:
            return 0.0
        extra = time.monotonic() - self.since if self.since is not None and area == self.area else 0
        return self.spent.get(area, 0.0) + extra

    def _bank(self) -> None:
        if self.since is not None and self.area is not None:
            now = time.monotonic()
            self.spent[self.area] = self.spent.get(self.area, 0.0) + now - self.since
            self.since = now

    def focus(self, area: str | None) -> None:
        if area != self.area:
            self._bank()
            self.area = area

    def start(self) -> None:
        if self.since is None:
            self.since = time.monotonic()

    def pause(self) -> None:
        self._bank()
        self.since = None

    def reset(self) -> None:
        if self.area is not None:
            self.spent.pop(self.area, None)
        if self.since is not None:
            self.since = time.monotonic()


class Facilitator:
    """One open facilitator view."""

    def __init__(self, tr: Translator, actor: Actor, shown: Shown) -> None:
        self.tr, self.actor, self.shown = tr, actor, shown
        self.id = shown.view.id
        self.focus: tuple[str, str] | None = None  # (area code, alternative key)
        self.lead_client: str | None = None
        self.lead_name = ""
        self.timer = AreaTimer()
        self.following = True  # False once the user is no longer active
        self._loading = False
        self._stale = False
        self.bar: PresenceBar | None = None

    # --- what is shown ----------------------------------------------------------------------

    @property
    def doc(self) -> Any:
        return self.shown.doc

    @property
    def framework(self) -> Framework:
        return self.shown.framework

    def areas(self) -> list[Any]:
        """The impact areas marked relevant, in the framework's order."""
        relevant = {a.area for a in self.doc.areas if a.relevant}
        return [a for a in self.framework.impact_areas if a.code in relevant]

    def alternatives(self) -> list[Any]:
        return list(self.doc.alternatives)

    @property
    def leading(self) -> bool:
        return self.bar is not None and self.lead_client == self.bar.client.id

    def _default_focus(self) -> tuple[str, str] | None:
        areas, alternatives = self.areas(), self.alternatives()
        if not areas or not alternatives:
            return None
        return areas[0].code, alternatives[0].key

    def _valid(self, focus: tuple[str, str] | None) -> bool:
        return (
            focus is not None
            and self.framework.area(focus[0]) is not None
            and self.doc.alternative(focus[1]) is not None
        )

    # --- building -----------------------------------------------------------------------------

    def build(self) -> None:
        tr = self.tr
        ui.add_css(_CSS)
        ui.add_body_html(_KEYS_JS)
        connection_banner(tr)
        self.root = ui.element("div").props('id="facilitator" data-lead="false"')
        self.root.classes("facilitator w-full")
        self.focus = self._default_focus()
        self.timer.focus(self.focus[0] if self.focus else None)
        with self.root:
            self.title = ui.label(self.doc.title).classes("facilitator-title break-words")
            self.bar = PresenceBar(
                tr,
                self.actor,
                self.id,
                where=FACILITATOR_PLACE,
                framework=self.framework,
                doc=lambda: self.doc,
            )
            self.bar.on("lock", self._lock_event)
            self.bar.on("presence", self._presence_event)
            self.bar.on("changed", self._changed_event)
            self.bar.on_heartbeat(self._keep_lead)
            self.lead_row()
            self.focus_panel()
            self.controls()
            self._timer_row()
            self.table()
        ui.on(KEY_EVENT, self._key)
        self.ticker = ui.timer(1.0, self._tick, active=False)

    async def start(self, want_lead: bool) -> None:
        """After the browser connected: join the workshop, find the lead and follow them (or
        lead, with ``?lead=1``)."""
        assert self.bar is not None
        await self.bar.join()
        if not self.bar.joined or self.bar.seat is None:
            return
        if want_lead:
            await self.take_lead()
            return
        seat = self.bar.seat
        lead = next((lock.holder for lock in await seat.locks() if lock.key == LEAD_KEY), None)
        if lead is not None:
            self._set_lead(lead.client, lead.name)
            where = next(
                (p.where for p in await seat.people() if p.person.client == lead.client), ""
            )
            self._follow(where)
            self.redraw()

    @ui.refreshable_method
    def lead_row(self) -> None:
        tr = self.tr
        with ui.row().classes("items-center gap-4 w-full"):
            if self.leading:
                text = tr("You are leading: the other facilitator views follow your choice.")
            elif self.lead_client is not None:
                text = tr("{name} is leading: this view follows their choice.", name=self.lead_name)
            else:
                text = tr("Nobody is leading. Press Lead to have the other views follow you.")
            ui.label(text).classes("facilitator-status").props(
                'role="status" id="facilitator-lead"'
            )
            if self.leading:
                ui.button(tr("Stop leading"), icon="stop", on_click=self.stop_leading)
            else:
                ui.button(tr("Lead"), icon="campaign", on_click=self.take_lead)
            ui.button(
                tr("Full screen"),
                icon="fullscreen",
                on_click=lambda: ui.run_javascript(
                    "document.getElementById('facilitator')?.requestFullscreen?.()"
                ),
            ).props("outline")

    @ui.refreshable_method
    def focus_panel(self) -> None:
        tr = self.tr
        with ui.element("section").classes("facilitator-focus").props('aria-live="polite"'):
            if self.focus is None or not self._valid(self.focus):
                ui.html(f"<h2>{escape(tr('Nothing to discuss yet'))}</h2>", sanitize=False)
                ui.label(tr("No impact area is marked relevant yet (step 4)."))
                return
            area, alt_key = self.focus
            alternative = self.doc.alternative(alt_key)
            title = tr(
                "Now: {area} – {alternative}",
                area=area_name(tr, area, self.framework),
                alternative=alternative.name,
            )
            ui.html(f'<h2 id="facilitator-now">{escape(title)}</h2>', sanitize=False)
            impact = self.doc.impact(area, alt_key)
            symbol, label = self._value(impact)
            html = ""
            if symbol:
                html += f'<span class="symbol" aria-hidden="true">{escape(symbol)}</span>'
            html += f"<span>{escape(label)}</span>"
            ui.html(html, sanitize=False).classes("facilitator-value")
            details = self._details(impact)
            if details:
                with ui.element("ul").classes("facilitator-details"):
                    for name, value in details:
                        with ui.element("li"):
                            ui.label(f"{name}: {value}").classes("whitespace-pre-wrap break-words")

    @ui.refreshable_method
    def controls(self) -> None:
        if not self.leading:
            return
        tr = self.tr
        with ui.row().classes("items-center gap-3"):
            ui.button(
                tr("Previous impact area"), icon="arrow_upward", on_click=lambda: self.step(-1, 0)
            )
            ui.button(
                tr("Next impact area"), icon="arrow_downward", on_click=lambda: self.step(1, 0)
            )
            ui.button(
                tr("Previous alternative"), icon="arrow_back", on_click=lambda: self.step(0, -1)
            )
            ui.button(
                tr("Next alternative"), icon="arrow_forward", on_click=lambda: self.step(0, 1)
            )
        ui.label(
            tr(
                "The arrow keys move the focus: up and down between impact areas, left and "
                "right between alternatives."
            )
        )

    def _timer_row(self) -> None:
        tr = self.tr
        with ui.row().classes("items-center gap-4"):
            ui.label(tr("Time on this impact area")).props('id="facilitator-timer-label"')
            self.clock = ui.label(_clock(0)).classes("facilitator-timer")
            self.clock.props('role="timer" aria-labelledby="facilitator-timer-label"')
            self.start_button = ui.button(
                tr("Start"), icon="play_arrow", on_click=self._start_timer
            )
            ui.button(tr("Pause"), icon="pause", on_click=self._pause_timer).props("outline")
            ui.button(tr("Reset"), icon="restart_alt", on_click=self._reset_timer).props("outline")

    @ui.refreshable_method
    def table(self) -> None:
        tr = self.tr
        areas, alternatives = self.areas(), self.alternatives()
        if not areas or not alternatives:
            return
        focus = self.focus or ("", "")
        with ui.element("div").classes("w-full overflow-x-auto"), ui.element("table"):
            with ui.element("caption"):
                ui.label(tr("Impacts by impact area and alternative"))
            with ui.element("thead"), ui.element("tr"):
                with ui.element("th").props('scope="col"'):
                    ui.label(tr("Impact area"))
                for alt in alternatives:
                    header = ui.element("th").props('scope="col"').classes("break-words")
                    if alt.key == focus[1]:
                        header.classes("current-axis")
                    with header:
                        ui.label(alt.name)
            with ui.element("tbody"):
                for area in areas:
                    with ui.element("tr"):
                        header = ui.element("th").props('scope="row"')
                        if area.code == focus[0]:
                            header.classes("current-axis")
                        with header:
                            ui.label(area.name.get(tr.lang))
                        for alt in alternatives:
                            self._cell(area.code, alt.key, (area.code, alt.key) == focus)

    def _cell(self, area: str, alt_key: str, current: bool) -> None:
        impact = self.doc.impact(area, alt_key)
        symbol, label = self._value(impact)
        direction = impact.direction if impact is not None and impact.assessed else None
        cell = ui.element("td").props(f'id="facilitator-cell-{escape(area)}-{escape(alt_key)}"')
        style = CELL_STYLES.get(direction or "")
        if style:
            cell.style(style)
        else:
            cell.classes("facilitator-empty")
        if current:
            cell.props('aria-current="true"')
        size = ""
        if impact is not None and impact.assessed:
            size = self.framework.scale_label("size", impact.size, self.tr.lang)
        html = ""
        if current:
            html += f'<span class="now-badge">{escape(self.tr("Now"))}</span><br>'
        if symbol:
            html += f'<span class="cell-symbol" aria-hidden="true">{escape(symbol)}</span>'
        html += f'<span class="cell-label">{escape(label)}</span>'
        if size:
            html += f"<br><span>{escape(size)}</span>"
        with cell:
            ui.html(html, sanitize=False, tag="span")

    def _value(self, impact: ImpactIn | None) -> tuple[str, str]:
        """(symbol, label) of a cell's direction; no symbol for an empty or unassessed one."""
        tr, fw = self.tr, self.framework
        if impact is None or (impact.assessed and impact.direction is None):
            return "", tr("Not filled in")
        if not impact.assessed:
            return "", fw.not_assessed.label.get(tr.lang)
        return fw.symbol(impact.direction), fw.scale_label("direction", impact.direction, tr.lang)

    def _details(self, impact: ImpactIn | None) -> list[tuple[str, str]]:
        tr, fw, lang = self.tr, self.framework, self.tr.lang
        if impact is None:
            return []
        if not impact.assessed:
            return (
                [(tr("Reason"), impact.not_assessed_reason)] if impact.not_assessed_reason else []
            )
        found = [
            (tr("Size"), fw.scale_label("size", impact.size, lang)),
            (tr("Time span"), fw.scale_label("time_span", impact.time_span, lang)),
            (tr("Certainty"), fw.scale_label("certainty", impact.certainty, lang)),
            (tr("Justification"), impact.justification),
        ]
        return [(name, value) for name, value in found if value]

    def redraw(self) -> None:
        self.title.set_text(self.doc.title)
        self.root.props(f'data-lead="{"true" if self.leading else "false"}"')
        self.lead_row.refresh()
        self.focus_panel.refresh()
        self.controls.refresh()
        self.table.refresh()

    # --- leading ------------------------------------------------------------------------------

    def _set_lead(self, client: str | None, name: str = "") -> None:
        self.lead_client, self.lead_name = client, name

    async def take_lead(self) -> None:
        """Lead: take the lead's lock over from whoever has it and show the focus to all."""
        if self.bar is None or not self.bar.joined or self.bar.seat is None:
            return
        await self.bar.seat.take_over(LEAD_KEY)
        self._set_lead(self.bar.client.id, self.bar.person.name)
        self.redraw()
        await self._publish_focus()

    async def stop_leading(self) -> None:
        if self.bar is None or self.bar.seat is None or not self.leading:
            return
        self._set_lead(None)
        await self.bar.seat.release(LEAD_KEY)
        await self.bar.move(FACILITATOR_PLACE)
        self.redraw()

    async def _keep_lead(self) -> None:
        if not self.leading or self.bar is None or self.bar.seat is None:
            return
        if not await self.bar.seat.keep(LEAD_KEY):  # taken over or expired meanwhile
            lead = next(
                (lock.holder for lock in await self.bar.seat.locks() if lock.key == LEAD_KEY), None
            )
            self._set_lead(lead.client if lead else None, lead.name if lead else "")
            await self.bar.move(FACILITATOR_PLACE)
            self.redraw()

    async def _publish_focus(self) -> None:
        if self.bar is not None and self.focus is not None:
            await self.bar.move(cell_key(*self.focus))

    async def step(self, areas: int, alternatives: int) -> None:
        """The lead moves the focus by one impact area or alternative (at the ends it stays)."""
        if not self.leading:
            return
        codes = [a.code for a in self.areas()]
        keys = [a.key for a in self.alternatives()]
        if not codes or not keys:
            return
        area, alt = self.focus if self._valid(self.focus) and self.focus else (codes[0], keys[0])
        row = codes.index(area) if area in codes else 0
        col = keys.index(alt) if alt in keys else 0
        row = min(max(row + areas, 0), len(codes) - 1)
        col = min(max(col + alternatives, 0), len(keys) - 1)
        self._set_focus((codes[row], keys[col]))
        await self._publish_focus()

    async def _key(self, event: Any) -> None:
        moves = {
            "ArrowUp": (-1, 0),
            "ArrowDown": (1, 0),
            "ArrowLeft": (0, -1),
            "ArrowRight": (0, 1),
        }
        move = moves.get(str(event.args))
        if move is not None:
            await self.step(*move)

    def _set_focus(self, focus: tuple[str, str] | None) -> None:
        if focus == self.focus:
            return
        self.focus = focus
        self.timer.focus(focus[0] if focus else None)
        self._show_time()
        self.focus_panel.refresh()
        self.table.refresh()

    def _follow(self, where: str) -> None:
        parts = where.split("/")
        if len(parts) == 3 and parts[0] == "impacts":
            focus = (parts[1], parts[2])
            if self._valid(focus):
                self._set_focus(focus)

    # --- events -------------------------------------------------------------------------------

    async def _lock_event(self, event: WorkshopEvent) -> None:
        if event.where != LEAD_KEY or self.bar is None:
            return
        was_leading = self.leading
        if event.action in ("taken", "taken_over"):
            self._set_lead(event.client, event.name)
            if was_leading and not self.leading:
                ui.notify(self.tr("{name} took over leading.", name=event.name))
                await self.bar.move(FACILITATOR_PLACE)
        elif event.action in ("released", "expired") and event.client == self.lead_client:
            self._set_lead(None)
        self.redraw()

    async def _presence_event(self, event: WorkshopEvent) -> None:
        if self.leading or event.client != self.lead_client:
            return
        if event.action in ("joined", "moved"):
            self._follow(event.where)

    async def _changed_event(self, event: WorkshopEvent) -> None:
        shown = any(f.split("/")[0] in SHOWN_PARTS for f in event.fields)
        if event.action == "saved" and event.fields and not shown:
            return  # a part the view does not show
        await self.reload()

    async def reload(self) -> None:
        """Read the assessment again (one read at a time; saves meanwhile read once more)."""
        if not self.following:
            return
        if self._loading:
            self._stale = True
            return
        self._loading = True
        try:
            while True:
                self._stale = False
                result = await run.io_bound(_reload, self.actor, self.id)
                if result is None:  # the server is shutting down
                    return
                actor, shown = result
                if actor is None:
                    self.following = False
                    ui.notify(self.tr("Your session has ended. Sign in again."), type="warning")
                    return
                self.actor = actor
                if shown is not None:
                    self.shown = shown
                    if not self._valid(self.focus):
                        self._set_focus(self._default_focus())
                    self.redraw()
                if not self._stale:
                    return
        finally:
            self._loading = False

    # --- the timer ----------------------------------------------------------------------------

    def _show_time(self) -> None:
        self.clock.set_text(_clock(self.timer.seconds()))

    def _start_timer(self) -> None:
        self.timer.start()
        self.ticker.activate()
        self._show_time()

    def _pause_timer(self) -> None:
        self.timer.pause()
        self.ticker.deactivate()
        self._show_time()

    def _reset_timer(self) -> None:
        self.timer.reset()
        self._show_time()

    def _tick(self) -> None:
        self._show_time()


@page(
    router,
    "/assessments/{assessment_id:int}/facilitator",
    title=N_("Facilitator view"),
    load=_load,
    not_found=NOT_FOUND,
)
async def facilitator_page(opened: Opened[Shown], assessment_id: int, lead: str = "") -> None:
    view = Facilitator(opened.tr, opened.actor, opened.data)
    view.build()
    # The page is sent first; the workshop is joined once the browser is connected.
    await view.start(want_lead=lead in ("1", "true", "yes"))


__all__ = ["LEAD_KEY", "AreaTimer", "Facilitator", "facilitator_page", "router"]
