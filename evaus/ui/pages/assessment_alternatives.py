"""Step 3 of the wizard: the alternatives (the 0-alternative "Nykytila jatkuu" always first and
never deletable), their costs, staff, premises and key-figure tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nicegui import ui

from project_db.assessment_schemas import AlternativeIn, KeyFigureTable

from ...services import assessments as svc
from ..layout import heading
from .assessment_common import DASH, fte

if TYPE_CHECKING:
    from .assessment_wizard import Wizard


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

    @ui.refreshable
    def listing() -> None:
        for alt in w.doc.alternatives:
            _card(w, alt)

    listing()
    w.refreshers.append(listing.refresh)
    if w.editable:
        ui.button(tr("Add an alternative"), icon="add", on_click=lambda: _dialog(w, None))


def _card(w: Wizard, alt: AlternativeIn) -> None:
    tr = w.tr
    with ui.card().props(f'flat bordered id="alt-{alt.key}" tabindex="-1"').classes("w-full gap-1"):
        name = alt.name + (" " + tr("(0-alternative)") if alt.is_zero else "")
        heading(name, 3, "break-words")
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
            with ui.row().classes("gap-2"):
                ui.button(tr("Edit"), on_click=lambda a=alt: _dialog(w, a)).props("outline dense")
                if not alt.is_zero:
                    ui.button(tr("Remove"), on_click=lambda a=alt: _delete(w, a)).props(
                        "flat dense color=negative"
                    )


def _table_text(table: KeyFigureTable) -> str:
    lines = ["; ".join(table.columns)] if table.columns else []
    lines += ["; ".join(row) for row in table.rows]
    return "\n".join(lines)


def parse_table(caption: str, text: str) -> dict[str, Any] | None:
    """First line: the column headers; then one row a line; cells separated by ';'."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines and not caption.strip():
        return None
    cells = [[c.strip() for c in line.split(";")] for line in lines]
    columns = cells[0] if cells else []
    rows = [row + [""] * (len(columns) - len(row)) for row in cells[1:]]
    return {"caption": caption.strip(), "columns": columns, "rows": rows}


def _dialog(w: Wizard, alt: AlternativeIn | None) -> None:
    tr = w.tr
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-3xl"):
        heading(tr("Edit the alternative") if alt else tr("New alternative"), 2)
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
                "One table per box: the first line holds the column headers, then one row a "
                "line; separate the cells with a semicolon, e.g. Asumispalvelu; 2022; 2023."
            )
        )
        tables: list[tuple[ui.input, ui.textarea]] = []
        box = ui.column().classes("w-full gap-1")

        def add_table(table: KeyFigureTable | None) -> None:
            with box:
                caption = ui.input(tr("Table caption"), value=table.caption if table else "")
                caption.classes("w-full")
                rows = ui.textarea(tr("Table rows"), value=_table_text(table) if table else "")
                rows.props("autogrow").classes("w-full font-mono")
                tables.append((caption, rows))

        for table in alt.key_figures if alt else []:
            add_table(table)
        ui.button(tr("Add a key-figure table"), icon="add", on_click=lambda: add_table(None)).props(
            "flat"
        )

        async def save() -> None:
            figures = [parse_table(c.value or "", r.value or "") for c, r in tables]
            values: dict[str, Any] = {
                "name": name.value or "",
                "description": description.value or "",
                "cost_per_year": (cost.value or "").strip() or None,
                "staff_fte": (staff.value or "").strip() or None,
                "premises": premises.value or "",
                "key_figures": [f for f in figures if f is not None],
            }
            if alt is not None:
                values["key"] = alt.key

            def work(db: Any, actor: Any, version: int) -> int:
                return svc.upsert_alternative(
                    db, w.id, values, expected_version=version, actor=actor
                )

            assert w.saver is not None
            if await w.saver.save(work, f"{tr('Name')}: {values['name']}"):
                dialog.close()

        with ui.row().classes("gap-2"):
            ui.button(tr("Save"), on_click=save)
            ui.button(tr("Cancel"), on_click=dialog.close).props("flat")
    dialog.open()


def _delete(w: Wizard, alt: AlternativeIn) -> None:
    tr = w.tr
    own = [i for i in w.doc.impacts if i.alternative_key == alt.key]
    others = {a.key: a.name for a in w.doc.alternatives if a.key != alt.key}
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-2xl"):
        heading(tr("Remove the alternative {name}?", name=alt.name), 2)
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

            def work(db: Any, actor: Any, version: int) -> int:
                return svc.delete_alternative(
                    db,
                    w.id,
                    alt.key,
                    impacts=mode,
                    move_to=move_to,
                    expected_version=version,
                    actor=actor,
                )

            assert w.saver is not None
            if await w.saver.save(work, alt.name):
                dialog.close()

        with ui.row().classes("gap-2"):
            ui.button(tr("Remove the alternative"), on_click=remove).props("color=negative")
            ui.button(tr("Cancel"), on_click=dialog.close).props("flat")
    dialog.open()
