"""Step 3 of the wizard: the alternatives (the 0-alternative "Nykytila jatkuu" always first and
never deletable), their costs, staff, premises and key-figure tables."""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING, Any

from nicegui import ui

from project_db.assessment_schemas import AlternativeIn, KeyFigureTable

from ...services import assessments as svc
from ..layout import dialog_title, heading
from .common import DASH, edit_remove, fte, save_and_close, saved_with

if TYPE_CHECKING:
    from .wizard import Wizard


def figure_table(table: KeyFigureTable) -> None:
    """A key-figure table, read-only, with a header row."""
    width = max([len(table.columns), *(len(r) for r in table.rows)], default=0)
    if width == 0:
        return
    headers = [*table.columns, *[""] * (width - len(table.columns))]
    columns = [
        {"name": f"c{i}", "label": h, "field": f"c{i}", "align": "left" if i == 0 else "right"}
        for i, h in enumerate(headers)
    ]
    rows = [
        {f"c{i}": cell for i, cell in enumerate(row)} | {"_i": n}
        for n, row in enumerate(table.rows)
    ]
    if table.caption:
        ui.label(table.caption).classes("text-weight-medium break-words")
    ui.table(rows=rows, columns=columns, row_key="_i").props(
        "flat bordered dense wrap-cells hide-bottom"
    ).classes("w-full")


def key_figures_of_zero(w: Wizard) -> None:
    """Step 1 shows the key figures of the current state (they are edited in step 3)."""
    zero = w.doc.zero_alternative
    if zero.key_figures:
        heading(w.tr("Key figures of the current state"), 3)
        for table in zero.key_figures:
            figure_table(table)


def build(w: Wizard) -> None:
    tr = w.tr
    heading(tr("Alternatives"), 3)

    def listing() -> None:
        for alt in w.doc.alternatives:
            _card(w, alt)

    w.kept_fresh(listing, add=(tr("Add an alternative"), lambda: _dialog(w, None)))


def _card(w: Wizard, alt: AlternativeIn) -> None:
    tr = w.tr
    with ui.card().props(f'flat bordered id="alt-{alt.key}" tabindex="-1"').classes("w-full gap-1"):
        name = alt.name + (" " + tr("(0-alternative)") if alt.is_zero else "")
        heading(name, 4, "break-words")  # under the step's h3 "Alternatives"
        ui.label(alt.description or DASH).classes("whitespace-pre-wrap break-words")
        with ui.row().classes("gap-x-6 gap-y-1"):
            cost = tr.eur(alt.cost_per_year) if alt.cost_per_year is not None else DASH
            ui.label(tr("Costs: {cost} a year", cost=cost))
            ui.label(tr("Staff: {fte}", fte=fte(alt.staff_fte, tr)))
        if alt.premises:
            ui.label(tr("Premises: {text}", text=alt.premises)).classes("break-words")
        for table in alt.key_figures:
            figure_table(table)
        if w.editable:
            edit_remove(
                tr,
                partial(_dialog, w, alt),
                None if alt.is_zero else partial(_delete, w, alt),
            )


_DECIMAL_WITH_POINT = re.compile(r"-?\d{1,15}\.\d{1,15}")


def figure_cell(text: str) -> str:
    """A cell as stored: trimmed, a decimal number with the Finnish decimal comma (12,5)."""
    cell = text.strip()
    if _DECIMAL_WITH_POINT.fullmatch(cell):
        return cell.replace(".", ",")
    return cell


def clean_table(caption: str, columns: list[str], rows: list[list[str]]) -> dict[str, Any] | None:
    """A key-figure table as edited (``None`` when nothing was typed): blank rows and trailing
    blank columns left out, every row as wide as the header row."""
    columns = [figure_cell(c) for c in columns]
    rows = [[figure_cell(c) for c in row] for row in rows]
    rows = [row for row in rows if any(row)]
    width = max([len(columns), *(len(r) for r in rows)], default=0)

    def blank_column(i: int) -> bool:
        return (i >= len(columns) or not columns[i]) and all(i >= len(r) or not r[i] for r in rows)

    while width and blank_column(width - 1):
        width -= 1
    if not caption.strip() and width == 0:
        return None
    columns = (columns + [""] * width)[:width]
    rows = [(row + [""] * width)[:width] for row in rows]
    return {"caption": caption.strip(), "columns": columns, "rows": rows}


class FigureEditor:
    """One key-figure table edited as a grid: the header row, then the rows of figures."""

    def __init__(self, w: Wizard, table: KeyFigureTable | None) -> None:
        self.tr = w.tr
        self.caption = table.caption if table else ""
        width = max([len(table.columns), *(len(r) for r in table.rows)], default=0) if table else 0
        width = max(width, 2)
        self.columns = [*table.columns] if table else []
        self.columns += [""] * (width - len(self.columns))
        self.rows = [[*r, *[""] * (width - len(r))] for r in table.rows] if table else []
        if not self.rows:
            self.rows.append([""] * width)
        self.grid()

    def value(self) -> dict[str, Any] | None:
        return clean_table(self.caption, self.columns, self.rows)

    def _cell(self, cells: list[str], index: int, label: str) -> None:
        def store(event: Any) -> None:
            cells[index] = str(event.value or "")

        ui.input(value=cells[index], on_change=store).props(
            f'dense outlined aria-label="{label}" title="{label}"'
        ).classes("w-28")

    @ui.refreshable_method
    def grid(self) -> None:
        tr = self.tr
        with (
            ui.column()
            .classes("w-full gap-1 q-pa-sm")
            .props("role=group")
            .style("border: 1px solid #c2c2c2; border-radius: 4px")
        ):
            caption = ui.input(tr("Table caption"), value=self.caption).classes("w-full")
            caption.on_value_change(lambda e: setattr(self, "caption", str(e.value or "")))
            with ui.row().classes("gap-1 no-wrap items-center"):
                ui.label(tr("Headings")).classes("w-20 text-weight-medium")
                for i in range(len(self.columns)):
                    self._cell(self.columns, i, tr("Heading of column {n}", n=i + 1))
            for r, row in enumerate(self.rows):
                with ui.row().classes("gap-1 no-wrap items-center"):
                    ui.label(tr("Row {n}", n=r + 1)).classes("w-20")
                    for i in range(len(row)):
                        label = tr("Row {row}, column {column}", row=r + 1, column=i + 1)
                        self._cell(row, i, label)
                    gone = tr("Remove row {n}", n=r + 1)
                    ui.button(icon="delete", on_click=lambda r=r: self._drop_row(r)).props(
                        f'flat dense color=negative aria-label="{gone}" title="{gone}"'
                    )
            with ui.row().classes("gap-2"):
                ui.button(tr("Add a row"), icon="add", on_click=self._add_row).props("flat dense")
                ui.button(tr("Add a column"), icon="add", on_click=self._add_column).props(
                    "flat dense"
                )
                if len(self.columns) > 1:
                    ui.button(
                        tr("Remove the last column"), icon="remove", on_click=self._drop_column
                    ).props("flat dense")

    def _add_row(self) -> None:
        self.rows.append([""] * len(self.columns))
        self.grid.refresh()

    def _drop_row(self, index: int) -> None:
        self.rows.pop(index)
        self.grid.refresh()

    def _add_column(self) -> None:
        self.columns.append("")
        for row in self.rows:
            row.append("")
        self.grid.refresh()

    def _drop_column(self) -> None:
        self.columns.pop()
        for row in self.rows:
            row.pop()
        self.grid.refresh()


def _dialog(w: Wizard, alt: AlternativeIn | None) -> None:
    tr = w.tr
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-3xl"):
        dialog_title(dialog, tr("Edit the alternative") if alt else tr("New alternative"))
        name = ui.input(tr("Name"), value=alt.name if alt else "").classes("w-full")
        description = ui.textarea(tr("Description"), value=alt.description if alt else "")
        description.props("autogrow").classes("w-full")
        with ui.row().classes("w-full gap-2"):
            cost = ui.input(
                tr("Costs (€ a year)"),
                value="" if alt is None or alt.cost_per_year is None else str(alt.cost_per_year),
            ).classes("w-48")
            staff = ui.input(
                tr("Staff (FTE)"),
                value=""
                if alt is None or alt.staff_fte is None
                else str(alt.staff_fte).replace(".", ","),
            ).classes("w-48")
        premises = ui.textarea(tr("Premises"), value=alt.premises if alt else "")
        premises.props("autogrow").classes("w-full")
        heading(tr("Key figures"), 3)
        ui.label(
            tr(
                "Column headings on the first row, figures below; write decimals with a comma "
                "(12,5)."
            )
        )
        tables: list[FigureEditor] = []
        box = ui.column().classes("w-full gap-2")

        def add_table(table: KeyFigureTable | None) -> None:
            with box:
                tables.append(FigureEditor(w, table))

        for table in alt.key_figures if alt else []:
            add_table(table)
        ui.button(tr("Add a key-figure table"), icon="add", on_click=lambda: add_table(None)).props(
            "flat"
        )

        def values() -> dict[str, Any]:
            figures = [table.value() for table in tables]
            return {
                "name": name.value or "",
                "description": description.value or "",
                "cost_per_year": (cost.value or "").strip() or None,
                "staff_fte": (staff.value or "").strip() or None,
                "premises": premises.value or "",
                "key_figures": [f for f in figures if f is not None],
            }

        w.dialog_buttons(
            dialog,
            svc.upsert_alternative,
            alt,
            values,
            lambda fields: f"{tr('Name')}: {fields['name']}",
        )
    dialog.open()


def _delete(w: Wizard, alt: AlternativeIn) -> None:
    tr = w.tr
    own = [i for i in w.doc.impacts if i.alternative_key == alt.key]
    others = {a.key: a.name for a in w.doc.alternatives if a.key != alt.key}
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-2xl"):
        dialog_title(dialog, tr("Remove the alternative {name}?", name=alt.name))
        choice: ui.radio | None = None
        target: ui.select | None = None
        if own:
            ui.label(
                tr(
                    "The alternative has {count} assessed impacts. What happens to them?",
                    count=len(own),
                )
            )
            choice = ui.radio(
                {"move_to": tr("Move them to another alternative"), "delete": tr("Delete them")},
                value=None,
            )
            target = ui.select(others, label=tr("Move them to"), value=None).classes("w-72")

        async def remove() -> None:
            mode = choice.value if choice is not None else None
            move_to = target.value if target is not None else None
            if own and mode is None:
                ui.notify(tr("Choose what happens to the impacts."), type="warning")
                return

            work = saved_with(svc.delete_alternative, w.id, alt.key, impacts=mode, move_to=move_to)
            await save_and_close(w.saver, dialog, work, alt.name)

        with ui.row().classes("gap-2"):
            ui.button(tr("Remove the alternative"), on_click=remove).props("color=negative")
            ui.button(tr("Cancel"), on_click=dialog.close).props("flat")
    dialog.open()
