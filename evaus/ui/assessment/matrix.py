"""The impact matrix ``/assessments/{id}/matrix``: impact areas (rows) × alternatives (columns).

Every cell is a real <button> (Tab reaches it, Enter or Space opens the editor; the arrow keys
move between cells). A cell shows the direction's symbol AND its label, with the size and the
time span, on a background colour that only repeats what the text says. Beside it a small button
shows how many comments the cell has ("Kommentit (2)") and opens the cell's own thread in a
dialog; the page's comment panel below lists every thread, the cells' ones too."""

from __future__ import annotations

import time
from dataclasses import dataclass
from html import escape
from typing import Any

from nicegui import ui

from project_db.assessment_schemas import ImpactIn
from project_db.errors import N_

from ...services import comments
from ...services.access import Actor
from ...workshop import Person, WorkshopEvent, cell_key, step_key
from ..comments import ASSESSMENT_SECTIONS, CommentButtons, comment_panel
from ..context import Translator
from ..layout import heading
from ..page import Opened, page
from . import live
from .common import (
    DIRECTION_CLASSES,
    EMPTY_CLASSES,
    NOT_FOUND,
    AutoSaver,
    Loaded,
    assessment_title,
    fresh_state,
    load,
)
from .presence import PresenceBar, connection_banner
from .router import router
from .summary import ComparisonSummary

ARROWS_JS = """
<script>
document.addEventListener('keydown', (event) => {
  const cell = event.target.closest && event.target.closest('[data-cell]');
  if (!cell) return;
  const moves = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1]};
  const move = moves[event.key];
  if (!move) return;
  const [row, col] = cell.dataset.cell.split(',').map(Number);
  const next = document.querySelector(`[data-cell="${row + move[0]},${col + move[1]}"]`);
  if (next) { event.preventDefault(); next.focus(); }
});
</script>
"""


@dataclass
class DrawnCell:
    """A cell on the page: its box, place and parts. A change of the cell updates its face (the
    button, or the box of a read-only cell) and its text in place: one small update to the
    browser, not the cell drawn anew."""

    box: ui.element
    row: int
    col: int
    area: Any
    alt: Any
    face: ui.element | None = None
    content: ui.html | None = None
    shown: tuple[str, str, str] = ("", "", "")  # the face's (html, classes, accessible name)


class Matrix:
    def __init__(
        self,
        tr: Translator,
        actor: Actor,
        loaded: Loaded,
        comment_buttons: CommentButtons | None = None,
    ) -> None:
        self.tr, self.actor, self.loaded = tr, actor, loaded
        self.comment_buttons = comment_buttons
        self.id = loaded.view.id
        self.editable = loaded.editable
        self.show_all = False
        self.saver: AutoSaver | None = None
        self.bar: PresenceBar | None = None
        # The cells drawn now (to redraw one), who else edits a cell, the open editor.
        self.cells: dict[str, DrawnCell] = {}
        self.holders: dict[str, Person] = {}
        self.editor: Any = None  # cell.Editor while a cell's dialog is open
        self.dialogs: ui.element | None = None
        self.state_notice: live.StateNotice | None = None
        self.summary: ComparisonSummary | None = None
        # Texts the browser kept from a cell editor whose page was lost: cell key → texts.
        self.kept: dict[str, dict[str, str]] = {}
        self.kept_box: ui.element | None = None

    @property
    def doc(self) -> Any:
        return self.loaded.view.doc

    async def reload(self) -> None:
        state = await fresh_state(self.saver, self.actor, self.id, self.tr.lang)
        if state is None:
            return
        self.loaded.progress, self.loaded.issues, self.loaded.comparison, doc = state
        self.loaded.view.doc = doc
        self.table.refresh()
        self.show_summary()

    def build(self) -> None:
        tr = self.tr
        connection_banner(tr)
        self.bar = PresenceBar(
            tr,
            self.actor,
            self.id,
            where=step_key(5),
            framework=self.loaded.framework,
            doc=lambda: self.doc,
        )
        self.bar.on_changed(self._changed)
        self.bar.on_lock(self._lock)
        self.bar.on("comment", self._comment)
        self.bar.on_heartbeat(self._keep)
        self.state_notice = live.StateNotice(tr, self.id)
        self.dialogs = ui.element("div")  # the cell editors: outside the redrawn table
        with ui.row().classes("items-center gap-4"):
            ui.link(tr("Back to the assessment"), f"/assessments/{self.id}?step=5")
            switch = ui.switch(tr("Show all impact areas, also the ones not relevant"))
            switch.on_value_change(lambda e: self._toggle(bool(e.value)))
        if self.editable:
            ui.label(tr("Choose a cell (Tab, arrow keys) and press Enter to assess it."))
            self.saver = AutoSaver(tr, self.id, self.loaded.view.version, on_saved=self.reload)
            live.drafts_script()
            self.kept_box = ui.element("div").classes("w-full empty:hidden")
            self.bar.on_connect(self.restore_drafts)
        elif self.loaded.view.frozen:
            ui.label(tr("The assessment is locked: the matrix can only be read."))
        ui.add_body_html(ARROWS_JS)
        self.table()
        heading(tr("Comparison of the alternatives"), 2)
        self.summary = ComparisonSummary(
            tr, self.loaded.framework, self.loaded.comparison, self.doc
        )

    # --- live -----------------------------------------------------------------------------

    async def start(self) -> None:
        """After the browser connected: join the workshop and show the cells being edited."""
        locks = await self.bar.join_for_locks() if self.bar is not None else None
        if locks is None:
            return
        for lock in locks:
            if lock.key.startswith("impacts/"):
                self.holders[lock.key] = lock.holder
                self.redraw_cell(lock.key)
        await self._changed(live.resync(self.id))  # a save before joining is not missed
        if self.bar is not None:
            self.bar.mark_live()

    async def restore_drafts(self) -> None:
        """The browser (re)connected: the texts it kept from a cell editor whose page was lost
        (a long break, a restart) are offered, cell by cell, to continue or to discard. Those
        the stored cell already has are forgotten. Nothing is saved without the user."""
        if self.saver is None or self.kept_box is None or self.editor is not None:
            return  # an editor still open on this page holds its own text
        found = await live.read_drafts(self.id)
        from .cell import KEPT_FIELDS

        texts: dict[str, dict[str, str]] = {}
        for name, draft in found.items():
            parts = str(name).split("/")
            ours = len(parts) == 4 and parts[0] == "impacts" and parts[3] in KEPT_FIELDS
            if ours and isinstance(draft, dict):
                texts.setdefault("/".join(parts[:3]), {})[parts[3]] = str(draft.get("v") or "")
        forgotten: list[str] = []
        self.kept = {}
        for key, typed in texts.items():
            _, area, alternative = key.split("/")
            impact = self.doc.impact(area, alternative)
            stored = {f: str(getattr(impact, f, "") or "") for f in KEPT_FIELDS}
            exists = self.loaded.framework.area(area) and self.doc.alternative(alternative)
            if not exists or all(stored[f] == v for f, v in typed.items()):
                forgotten += [f"{key}/{f}" for f in typed]
            else:
                self.kept[key] = typed
        if forgotten:
            ui.run_javascript(live.draft_call("drop", self.id, forgotten))
        self.show_kept()

    def show_kept(self) -> None:
        box, tr = self.kept_box, self.tr
        if box is None or box.is_deleted:
            return
        box.clear()
        if not self.kept:
            return
        with box, ui.card().classes("w-full bg-amber-50").props('flat bordered role="alert"'):
            ui.label(
                tr("Text you typed in a cell was not saved before the connection was lost.")
            ).classes("text-weight-medium")
            for key in list(self.kept):
                _, area_code, alternative_key = key.split("/")
                area = self.loaded.framework.area(area_code)
                alt = self.doc.alternative(alternative_key)
                if area is None or alt is None:
                    continue  # removed meanwhile (restore_drafts left out such cells)
                name = tr(
                    "{area} – {alternative}", area=area.name.get(tr.lang), alternative=alt.name
                )
                with ui.row().classes("items-center gap-2"):
                    ui.label(name)
                    ui.button(
                        tr("Continue editing"),
                        icon="edit",
                        on_click=lambda k=key, a=area, x=alt: self._continue(k, a, x),
                    ).props(f'aria-label="{escape(tr("Continue editing: {cell}", cell=name))}"')
                    ui.button(
                        tr("Discard the text"), on_click=lambda k=key: self._discard(k)
                    ).props(
                        f'flat aria-label="{escape(tr("Discard the text: {cell}", cell=name))}"'
                    )

    async def _continue(self, key: str, area: Any, alt: Any) -> None:
        from .cell import open_editor

        typed = self.kept.pop(key, {})
        self.show_kept()
        drawn = self.cells.get(key)
        where = f"{drawn.row},{drawn.col}" if drawn is not None else ""
        await open_editor(self, area, alt, where, kept=typed)

    def _discard(self, key: str) -> None:
        typed = self.kept.pop(key, {})
        ui.run_javascript(live.draft_call("drop", self.id, [f"{key}/{f}" for f in typed]))
        self.show_kept()

    async def _comment(self, event: WorkshopEvent) -> None:
        """A comment on a part of the assessment changed (anybody's, on any instance): the
        counts on the cells, the part's open thread and the page's panel follow."""
        if self.comment_buttons is not None:
            await self.comment_buttons.changed_elsewhere(event.where)

    async def _changed(self, event: WorkshopEvent) -> None:
        received = time.monotonic()
        text = live.state_change(self.tr, event, live.saver_name(self.bar, event.who))
        if text is not None and self.state_notice is not None:
            self.state_notice.show(event, text, busy=self.editor is not None)
            return
        reader = self.saver is None and event.action in ("saved", "resync")
        if not reader and not await live.news(self.saver, event):
            return
        edited = await live.latest(
            self.actor, self.id, self.tr.lang, since=received, version=live.saved_version(event)
        )
        if edited is None:
            return
        theirs = None
        if self.saver is not None:
            if edited.version <= self.saver.version:
                return
            if self.editor is not None and self.editor.key in event.fields:
                self.editor.changed_by_others()
                theirs = self.editor
            live.follow(self.saver, edited)
        elif event.action == "resync" and edited.version <= self.loaded.view.version:
            return  # a reader's page shows this version already
        self.loaded.view.version = max(self.loaded.view.version, edited.version)
        old = self.doc
        self.loaded.progress = edited.progress
        self.loaded.issues = edited.issues
        self.loaded.comparison = edited.comparison
        self.loaded.view.doc = edited.doc
        if theirs is not None:
            _, area, alternative = theirs.key.split("/")
            impact = edited.doc.impact(area, alternative)
            value = " ".join(x for x in self._cell_text(impact) if x)
            if impact is not None and impact.justification:
                value += f" — {impact.justification[:300]}"
            theirs.offer_theirs(live.saver_name(self.bar, event.who), impact, value)
        cells = [f for f in event.fields if f.startswith("impacts/")]
        structural = event.action == "resync" or any(
            f == "impacts" or f.startswith(("areas", "alternatives")) for f in event.fields
        )
        if structural or [a.key for a in old.alternatives] != [
            a.key for a in edited.doc.alternatives
        ]:
            self.table.refresh()
        else:
            for key in cells:
                self.redraw_cell(key)
        self.show_summary()

    async def _lock(self, event: WorkshopEvent) -> None:
        if self.bar is None or not event.where.startswith("impacts/"):
            return
        key = event.where
        lost = self.bar.seat is not None and self.bar.seat.lost(event) is not None
        if lost and self.editor is not None and self.editor.key == key:
            self.editor.taken_over(event.name)
        if self.bar.own(event):
            self.holders.pop(key, None)
        elif event.action in ("taken", "taken_over"):
            self.holders[key] = Person(
                client=event.client, who=event.who, name=event.name, initials=event.initials
            )
        elif event.action in ("released", "expired"):
            held = self.holders.get(key)
            if held is not None and held.client == event.client:
                self.holders.pop(key, None)
        if self.editor is not None and self.editor.key == key:
            self.editor.show_holder(self.holders.get(key))
        self.redraw_cell(key)

    async def _keep(self) -> None:
        if self.editor is not None and self.bar is not None and self.bar.seat is not None:
            await self.bar.seat.keep(self.editor.key)

    def redraw_cell(self, key: str) -> None:
        """Show the cell's value and holder now: its text, colours and name change in place."""
        drawn = self.cells.get(key)
        if drawn is None or drawn.box.is_deleted:
            return
        shown = self._face(drawn.row, drawn.col, drawn.area, drawn.alt)
        if shown == drawn.shown:
            return
        if drawn.face is None or drawn.content is None or drawn.face.is_deleted:
            drawn.box.clear()
            with drawn.box:
                self._cell_parts(drawn)
            return
        html, classes, name = shown
        drawn.shown = shown
        if html != drawn.content.content:
            drawn.content.set_content(html)
        drawn.face.classes(replace=classes)
        if name:
            drawn.face.props(f'aria-label="{escape(name)}"')

    def _toggle(self, value: bool) -> None:
        self.show_all = value
        self.table.refresh()

    def cell_name(self, part_key: str) -> str | None:
        """ "Impact area – alternative" of an impact cell's comment part key (None for another
        part or a cell no longer in the matrix)."""
        cell = comments.split_cell_key(part_key)
        if cell is None:
            return None
        area = self.loaded.framework.area(cell[0])
        alternative = self.doc.alternative(cell[1])
        if area is None or alternative is None:
            return None
        return self.tr(
            "{area} – {alternative}", area=area.name.get(self.tr.lang), alternative=alternative.name
        )

    def show_summary(self) -> None:
        """The comparison of the alternatives as it is now (what changed, in place)."""
        if self.summary is not None:
            self.summary.update(self.loaded.comparison, self.doc)

    @ui.refreshable_method
    def table(self) -> None:
        tr, doc, fw = self.tr, self.doc, self.loaded.framework
        self.cells = {}
        marked = {a.area: a for a in doc.areas}
        areas = [
            a
            for a in fw.impact_areas
            if self.show_all or (a.code in marked and marked[a.code].relevant)
        ]
        if not areas:
            ui.label(tr("No impact area is marked relevant yet (step 4)."))
            return
        with (
            ui.element("div").classes("w-full overflow-x-auto"),
            ui.element("table").classes("matrix w-full border-collapse"),
        ):
            with ui.element("caption").classes("text-left q-pb-sm"):
                ui.label(tr("Impacts by impact area and alternative"))
            with ui.element("thead"), ui.element("tr"):
                with ui.element("th").props('scope="col"').classes("text-left p-2"):
                    ui.label(tr("Impact area"))
                for alt in doc.alternatives:
                    with ui.element("th").props('scope="col"').classes("text-left p-2 min-w-40"):
                        ui.label(alt.name).classes("break-words")
            with ui.element("tbody"):
                for row, area in enumerate(areas):
                    relevant = area.code in marked and bool(marked[area.code].relevant)
                    with ui.element("tr").classes("border-t"):
                        with (
                            ui.element("th")
                            .props('scope="row"')
                            .classes("text-left p-2 align-top font-normal")
                        ):
                            ui.label(area.name.get(tr.lang)).classes("text-weight-medium")
                            if not relevant:
                                ui.label(tr("not relevant")).classes("text-body2 text-grey-9")
                        for col, alt in enumerate(doc.alternatives):
                            with ui.element("td").classes("p-1 align-top"):
                                self._cell(row, col, area, alt)

    def _cell_text(self, impact: ImpactIn | None) -> tuple[str, str, str]:
        """(symbol, label, details) and the colour classes come from the direction."""
        tr, fw = self.tr, self.loaded.framework
        if impact is None:
            return "", tr("Not filled in"), ""
        if not impact.assessed:
            return "", fw.not_assessed.label.get(tr.lang), impact.not_assessed_reason
        if impact.direction is None:
            return "", tr("Not filled in"), ""
        details = " · ".join(
            x
            for x in (
                fw.scale_label("size", impact.size, tr.lang).lower(),
                fw.scale_label("time_span", impact.time_span, tr.lang).lower(),
            )
            if x
        )
        label = fw.scale_label("direction", impact.direction, tr.lang)
        return fw.symbol(impact.direction), label, details

    def _cell(self, row: int, col: int, area: Any, alt: Any) -> None:
        drawn = DrawnCell(ui.element("div"), row, col, area, alt)
        self.cells[cell_key(area.code, alt.key)] = drawn
        with drawn.box:
            self._cell_parts(drawn)

    def _face(self, row: int, col: int, area: Any, alt: Any) -> tuple[str, str, str]:
        """The cell's (html, classes, accessible name); the name only when it is editable."""
        tr = self.tr
        impact = self.doc.impact(area.code, alt.key)
        symbol, label, details = self._cell_text(impact)
        direction = impact.direction if impact is not None and impact.assessed else None
        colours = DIRECTION_CLASSES.get(direction or "", EMPTY_CLASSES)
        html = ""
        if symbol:
            html += f'<span class="text-h6 q-mr-xs" aria-hidden="true">{escape(symbol)}</span>'
        html += f'<span class="text-weight-medium">{escape(label)}</span>'
        if details:
            html += f'<br><span class="text-body2">{escape(details[:120])}</span>'
        holder = self.holders.get(cell_key(area.code, alt.key))
        if holder is not None:
            text = escape(live.holder_text(tr, holder.name))
            html += (
                '<br><span class="evaus-holder text-body2 text-weight-bold" '
                f'data-holder="{escape(holder.client)}">✎ {text}</span>'
            )
            colours += " ring-2 ring-blue-900"
        classes = f"{colours} w-full text-left rounded p-2 min-h-16"
        if not self.editable:
            return html, classes, ""
        name = tr(
            "{area}, {alternative}: {value}. Edit",
            area=area.name.get(tr.lang),
            alternative=alt.name,
            value=" ".join(x for x in (symbol, label, details) if x),
        )
        if holder is not None:
            name += " (" + live.holder_text(tr, holder.name) + ")"
        return html, classes + " cursor-pointer focus:outline", name

    def _cell_parts(self, drawn: DrawnCell) -> None:
        tr, row, col, area, alt = self.tr, drawn.row, drawn.col, drawn.area, drawn.alt
        drawn.shown = html, classes, name = self._face(row, col, area, alt)
        area_name, where = area.name.get(tr.lang), f"{area.code}-{alt.key}"
        with ui.element("div").classes("flex no-wrap items-start gap-1"):
            if not self.editable:
                drawn.face = ui.element("div").classes(classes).props(f'id="cell-{where}"')
            else:
                drawn.face = ui.element("button").classes(classes)
                drawn.face.mark(f"cell-{where}").props(
                    f'type="button" id="cell-{where}" data-cell="{row},{col}" '
                    f'aria-label="{escape(name)}"'
                )
                drawn.face.on("click", lambda: self._editor(area, alt, row, col))
            with drawn.face:
                drawn.content = ui.html(html, sanitize=False, tag="span")
            if self.comment_buttons is not None:
                title = tr(
                    "Comments: {target}",
                    target=tr("{area} – {alternative}", area=area_name, alternative=alt.name),
                )
                key = comments.cell_key(area.code, alt.key)
                button = self.comment_buttons.button(key, title, compact=True)
                button.props(f'id="cell-comments-{where}"').classes("flex-none")
                button.mark(f"cell-comments-{where}")

    async def _editor(self, area: Any, alt: Any, row: int, col: int) -> None:
        from .cell import open_editor

        await open_editor(self, area, alt, f"{row},{col}")

    async def focus_cell(self, cell: str) -> None:
        ui.run_javascript(
            f"setTimeout(() => document.querySelector('[data-cell=\"{cell}\"]')?.focus(), 150)"
        )


@page(
    router,
    "/assessments/{assessment_id:int}/matrix",
    title=N_("Impact matrix"),
    load=load,
    not_found=NOT_FOUND,
    reconnect_timeout=live.RECONNECT_SECONDS,
)
async def matrix_page(opened: Opened[Loaded], assessment_id: int) -> None:
    tr, actor = opened.tr, opened.actor
    assessment_title(opened.data.doc)
    buttons = CommentButtons(tr, actor, comments.ASSESSMENT, assessment_id)
    await buttons.load()
    matrix = Matrix(tr, actor, opened.data, buttons)
    matrix.build()
    target = comments.Target(comments.ASSESSMENT, assessment_id, "matrix")
    # A change in a cell's dialog redraws the panel; one in the panel, the cells' counts.
    buttons.on_change = await comment_panel(
        tr, actor, target, ASSESSMENT_SECTIONS, part_label=matrix.cell_name, on_change=buttons.load
    )
    # The page is sent first; the workshop is joined once the browser is connected.
    await matrix.start()


__all__ = ["Matrix", "router"]
