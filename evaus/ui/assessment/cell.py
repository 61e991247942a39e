"""The editor of one matrix cell: direction, size, time span, certainty, population groups,
whom it falls on, justification, evidence, mitigation — or "ei arvioitu" with a reason; and the
button to the cell's comments ("Kommentit (2)"), which opens their dialog over the editor."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nicegui import ui

from project_db.assessment_schemas import ImpactIn

from ...services import assessments as svc
from ...services import comments
from ...workshop import Person, cell_key, step_key
from ..layout import heading
from . import live
from .common import save_and_close, text_areas

if TYPE_CHECKING:
    from .matrix import Matrix


def _options(matrix: Matrix, scale: str, with_symbol: bool = False) -> dict[str, str]:
    values = getattr(matrix.loaded.framework.scales, scale)
    lang = matrix.tr.lang
    return {
        v.code: f"{v.symbol} {v.label.get(lang)}" if with_symbol else v.label.get(lang)
        for v in values
    }


def _fieldset(title: str) -> ui.element:
    box = ui.element("fieldset").classes("border rounded px-2 pb-1 w-full")
    with box, ui.element("legend").classes("px-1 text-weight-medium"):
        ui.label(title)
    return box


class Editor:
    """The open editor of one cell in the live workshop: its soft lock (taken on opening,
    released on closing), who else holds it and whether somebody else saved the cell
    meanwhile (then its save keeps the version it was opened on: the version check decides)."""

    def __init__(self, matrix: Matrix, key: str) -> None:
        self.matrix, self.key = matrix, key
        self.stale = False
        self.base = matrix.saver.version if matrix.saver is not None else 0
        self.holder_box: ui.element | None = None
        self.lost_box: ui.element | None = None
        self.theirs_box: ui.element | None = None
        self.fill: Callable[[ImpactIn | None], None] | None = None  # the editor's inputs

    def version(self, current: int) -> int:
        return self.base if self.stale else current

    def changed_by_others(self) -> None:
        if not self.stale and self.matrix.saver is not None:
            self.stale, self.base = True, self.matrix.saver.version

    def offer_theirs(self, name: str, impact: ImpactIn | None, value: str) -> None:
        """Somebody else saved the cell while it is open here: their value is shown with a
        choice. Until one is made a save here is refused by the version check (it was opened
        on the older version)."""
        box, tr = self.theirs_box, self.matrix.tr
        if box is None or box.is_deleted:
            return
        box.clear()
        with box, ui.card().classes("w-full bg-amber-50").props('flat bordered role="status"'):
            ui.label(tr("{name} saved this cell: {value}", name=name, value=value)).classes(
                "whitespace-pre-wrap break-words"
            )
            with ui.row().classes("gap-2"):
                ui.button(tr("Use their value"), on_click=lambda: self._use_theirs(impact))
                ui.button(tr("Keep mine"), on_click=self._keep_mine).props("outline")

    def _current(self) -> None:
        """The editor now stands on the stored version: a save goes through."""
        self.stale = False
        if self.theirs_box is not None and not self.theirs_box.is_deleted:
            self.theirs_box.clear()

    def _use_theirs(self, impact: ImpactIn | None) -> None:
        if self.fill is not None:
            self.fill(impact)
        self._current()

    def _keep_mine(self) -> None:
        self._current()

    def show_holder(self, holder: Person | None) -> None:
        """Someone else edits the cell: say who and offer to take it over."""
        box, tr = self.holder_box, self.matrix.tr
        if box is None or box.is_deleted:
            return
        box.clear()
        if holder is None:
            return
        with (
            box,
            ui.card().classes("w-full bg-amber-50").props('flat bordered role="status"'),
            ui.row().classes("items-center gap-3"),
        ):
            ui.label(live.holder_text(tr, holder.name)).classes("text-weight-medium")
            ui.button(tr("Take over for editing"), icon="edit", on_click=self.take_over)

    async def take_over(self) -> None:
        bar = self.matrix.bar
        if bar is not None and bar.seat is not None and bar.joined:
            await bar.seat.take_over(self.key)
        self.matrix.holders.pop(self.key, None)
        self.show_holder(None)
        self.matrix.redraw_cell(self.key)

    def taken_over(self, name: str) -> None:
        """Somebody took the cell over: the typed text stays and can still be saved."""
        box, tr = self.lost_box, self.matrix.tr
        text = tr(
            "{name} took this cell over for editing. Your text is kept: you can still save it.",
            name=name,
        )
        if box is not None and not box.is_deleted:
            box.clear()
            with box:
                ui.label(text).classes("text-weight-medium text-negative")
        ui.notify(text, type="warning")

    async def closed(self) -> None:
        matrix = self.matrix
        if matrix.editor is self:
            matrix.editor = None
        bar = matrix.bar
        if bar is not None and bar.seat is not None and bar.joined:
            await bar.seat.release(self.key)
            await bar.move(step_key(5))


# The cell editor's texts, kept in the browser while typed (``live.DRAFTS_JS``) under
# "<cell key>/<field>": a page lost meanwhile offers them again (``Matrix.restore_drafts``).
KEPT_FIELDS = ("falls_on", "justification", "evidence", "mitigation", "not_assessed_reason")


def draft_key(key: str, field: str) -> str:
    return f"{key}/{field}"


async def open_editor(
    matrix: Matrix, area: Any, alt: Any, cell: str, kept: dict[str, str] | None = None
) -> None:
    """The editor of the cell; ``kept``: texts the browser kept from an editor whose page was
    lost, shown in place of the stored ones (saved only when the user saves)."""
    tr, fw = matrix.tr, matrix.loaded.framework
    impact = matrix.doc.impact(area.code, alt.key)
    title = tr("{area} – {alternative}", area=area.name.get(tr.lang), alternative=alt.name)
    key = cell_key(area.code, alt.key)
    if matrix.editor is not None:
        await matrix.editor.closed()
    editor = Editor(matrix, key)
    matrix.editor = editor
    # The element with role="dialog" is the dialog's root: it takes its name from the heading
    # (an id of its own: every opening makes a new dialog). It lives outside the table, which
    # is redrawn when somebody else saves.
    assert matrix.dialogs is not None
    with matrix.dialogs:
        dialog = ui.dialog()
    title_id = f"cell-editor-title-{dialog.id}"
    dialog.props(f'aria-labelledby="{title_id}"')

    async def visibility(event: Any) -> None:
        if not event.value:
            # Saved or given up: the browser forgets what it kept of the texts.
            keys = [draft_key(key, field) for field in KEPT_FIELDS]
            ui.run_javascript(live.draft_call("drop", matrix.id, keys))
            await editor.closed()
            dialog.delete()

    dialog.on_value_change(visibility)
    with dialog, ui.card().classes("w-full max-w-3xl"):
        heading(title, 2, "break-words", element_id=title_id)
        editor.holder_box = ui.element("div").classes("w-full empty:hidden")
        editor.lost_box = ui.element("div").props('role="alert"').classes("w-full empty:hidden")
        editor.theirs_box = ui.element("div").classes("w-full empty:hidden")
        ui.label(area.prompt.get(tr.lang)).classes("text-body2 text-grey-9")
        with _fieldset(tr("Direction")):
            direction = ui.radio(
                _options(matrix, "direction", with_symbol=True),
                value=impact.direction if impact else None,
            ).props("inline")
        with ui.row().classes("w-full gap-2 no-wrap"):
            with _fieldset(tr("Size")):
                size = ui.radio(_options(matrix, "size"), value=impact.size if impact else None)
            with _fieldset(tr("Time span")):
                span = ui.radio(
                    _options(matrix, "time_span"), value=impact.time_span if impact else None
                )
            with _fieldset(tr("Certainty")):
                certainty = ui.radio(
                    _options(matrix, "certainty"), value=impact.certainty if impact else None
                )
        groups = (
            ui.select(
                {g.code: g.name.get(tr.lang) for g in fw.population_groups},
                value=list(impact.groups) if impact else [],
                multiple=True,
                label=tr("Population groups"),
            )
            .props("use-chips")
            .classes("w-full")
        )
        labels = {
            "falls_on": tr("Whom it falls on"),
            "justification": tr("Justification"),
            "evidence": tr("Evidence (source)"),
            "mitigation": tr("Mitigation"),
        }
        texts = text_areas(labels, impact)
        not_assessed = ui.checkbox(
            fw.not_assessed.label.get(tr.lang), value=impact is not None and not impact.assessed
        )
        reason = ui.input(
            tr("Why it was not assessed"), value=impact.not_assessed_reason if impact else ""
        )
        reason.classes("w-full").bind_visibility_from(not_assessed, "value")
        for field, widget in {**texts, "not_assessed_reason": reason}.items():
            widget.props(f'data-draft="{matrix.id}:{draft_key(key, field)}"')
            if kept and field in kept:
                widget.set_value(kept[field])
        if kept and kept.get("not_assessed_reason"):
            not_assessed.set_value(True)

        def fill(stored: ImpactIn | None) -> None:
            """Show the stored cell in the inputs (their save, chosen over one's own)."""
            direction.set_value(stored.direction if stored else None)
            size.set_value(stored.size if stored else None)
            span.set_value(stored.time_span if stored else None)
            certainty.set_value(stored.certainty if stored else None)
            groups.set_value(list(stored.groups) if stored else [])
            for field, widget in texts.items():
                widget.set_value(getattr(stored, field, "") or "")
            not_assessed.set_value(stored is not None and not stored.assessed)
            reason.set_value(stored.not_assessed_reason if stored else "")

        editor.fill = fill

        async def store(fields: dict[str, Any] | None) -> None:
            def work(db: Any, actor: Any, version: int) -> svc.Edited:
                change = svc.impact_edit(area.code, alt.key, fields)
                expected = editor.version(version)
                return svc.edit(
                    db, matrix.id, change, expected_version=expected, actor=actor, lang=tr.lang
                )

            if await save_and_close(matrix.saver, dialog, work, title):
                await matrix.focus_cell(cell)

        async def save() -> None:
            if not_assessed.value:
                await store({"assessed": False, "not_assessed_reason": reason.value or ""})
                return
            await store(
                {
                    "assessed": True,
                    "direction": direction.value,
                    "size": size.value,
                    "time_span": span.value,
                    "certainty": certainty.value,
                    "groups": list(groups.value or []),
                    **{name: widget.value or "" for name, widget in texts.items()},
                }
            )

        with ui.row().classes("gap-2"):
            ui.button(tr("Save"), on_click=save)
            ui.button(tr("Empty the cell"), on_click=lambda: store(None)).props("outline")
            ui.button(tr("Cancel"), on_click=dialog.close).props("flat")
            if matrix.comment_buttons is not None:
                comment_key = comments.cell_key(area.code, alt.key)
                matrix.comment_buttons.button(comment_key, tr("Comments: {target}", target=title))
    dialog.open()
    bar = matrix.bar
    if bar is not None and bar.seat is not None and bar.joined:
        await bar.move(key)
        claim = await bar.seat.take(key)
        if not claim.ok and claim.holder is not None:
            matrix.holders[key] = claim.holder
            editor.show_holder(claim.holder)
