"""The editor of one matrix cell: direction, size, time span, certainty, population groups,
whom it falls on, justification, evidence, mitigation — or "ei arvioitu" with a reason; and the
button to the cell's comments ("Kommentit (2)"), which opens their dialog over the editor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nicegui import ui

from ...services import assessments as svc
from ...services import comments
from ..layout import heading
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


def open_editor(matrix: Matrix, area: Any, alt: Any, cell: str) -> None:
    tr, fw = matrix.tr, matrix.loaded.framework
    impact = matrix.doc.impact(area.code, alt.key)
    title = tr("{area} – {alternative}", area=area.name.get(tr.lang), alternative=alt.name)
    # The element with role="dialog" is the dialog's root: it takes its name from the heading
    # (an id of its own: every opening makes a new dialog).
    dialog = ui.dialog()
    title_id = f"cell-editor-title-{dialog.id}"
    dialog.props(f'aria-labelledby="{title_id}"')
    with dialog, ui.card().classes("w-full max-w-3xl"):
        heading(title, 2, "break-words", element_id=title_id)
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

        async def store(fields: dict[str, Any] | None) -> None:
            def work(db: Any, actor: Any, version: int) -> svc.Edited:
                change = svc.impact_edit(area.code, alt.key, fields)
                return svc.edit(
                    db, matrix.id, change, expected_version=version, actor=actor, lang=tr.lang
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
                key = comments.cell_key(area.code, alt.key)
                matrix.comment_buttons.button(key, tr("Comments: {target}", target=title))
    dialog.open()
