"""Editor tab: budget and actual costs by cost category, participant groups and volunteers.

Amounts are typed the Finnish way ("241 500,00") and checked by the schema when saved, like
every other number of the editor. The totals below the rows follow what is typed; an amount
that is not a number yet is left out of them (the save reports it at its field). An approved
(locked) period's costs, participant groups and volunteers are shown read-only, like on the
other tabs: disabled inputs under the locked note, no buttons to add, move or remove its rows.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from babel.numbers import format_percent
from nicegui import ui

from project_db.codes import COST_CATEGORY_LISTS
from project_db.finance import ZERO, CategoryLine, net_cost
from project_db.schemas import SCHEME_LABELS
from project_db.validators import parse_decimal

from ...i18n import LOCALES, eur, normalise_language
from ..context import Translator
from ..layout import heading
from .edit_editor import Editor
from .edit_fields import (
    Data,
    choice,
    item_card,
    long_text,
    number_text,
    read_only,
    row_buttons,
    text,
    whole_number,
)
from .edit_tabs_plan import basis_labels
from .edit_tabs_report import locked_notice, period_names

# Which funder code or project type points to which scheme's cost categories.
_SCHEME_OF = {
    "ESR": "esr",
    "STM": "stm",
    "STEA": "stea",
    "esr": "esr",
    "stm": "stm",
    "stea": "stea",
}


def project_scheme(doc: Data) -> str:
    """The scheme of the rows already entered, else of the first known funder, else of the
    project type; ESR when nothing tells."""
    for row in [*doc["budget_lines"], *doc["cost_actuals"]]:
        if row.get("scheme") in COST_CATEGORY_LISTS:
            return str(row["scheme"])
    for funding in doc["funding"]:
        if (scheme := _SCHEME_OF.get(str(funding.get("funder_code") or ""))) is not None:
            return scheme
    return _SCHEME_OF.get(str(doc.get("project_type") or ""), "esr")


def _amount(value: Any) -> Decimal | None:
    try:
        return parse_decimal(str(value)) if str(value or "").strip() else None
    except ValueError:
        return None


def category_lines(doc: Data, scheme: str) -> list[CategoryLine]:
    """Planned and actual amount per category of ``scheme`` from the working copy."""
    planned: dict[str, Decimal] = {}
    for line in doc["budget_lines"]:
        amount = _amount(line.get("amount"))
        if line.get("scheme") == scheme and line.get("category") and amount is not None:
            planned[line["category"]] = planned.get(line["category"], ZERO) + amount
    actual: dict[str, Decimal] = {}
    for cost in doc["cost_actuals"]:
        amount = _amount(cost.get("amount"))
        if cost.get("scheme") == scheme and cost.get("category") and amount is not None:
            actual[cost["category"]] = actual.get(cost["category"], ZERO) + amount
    categories = list(dict.fromkeys([*planned, *actual]))
    return [CategoryLine(scheme, c, planned.get(c), actual.get(c, ZERO)) for c in categories]


def share_used(planned: Decimal | None, actual: Decimal, lang: str) -> str:
    if planned is None or planned <= 0:
        return "—"
    locale = LOCALES[normalise_language(lang)]
    return format_percent(actual / planned, format="#,##0.0 %", locale=locale)


def money_tab(ed: Editor) -> None:
    tr, doc = ed.tr, ed.doc
    state = {"scheme": project_scheme(doc)}
    # Groups added here and not yet given a status or an education (ids of the rows).
    fresh_groups: set[int] = set()

    def categories(scheme: str) -> dict[str, str]:
        return ed.codes.get(COST_CATEGORY_LISTS.get(scheme, ""), {})

    def change_scheme(event: Any) -> None:
        state["scheme"] = event.value
        for row in [*doc["budget_lines"], *doc["cost_actuals"]]:
            if row.get("period") not in ed.locked:  # a locked period's costs stay as approved
                row["scheme"] = event.value
        content.refresh()

    @ui.refreshable
    def totals() -> None:
        _totals(tr, categories(state["scheme"]), category_lines(doc, state["scheme"]))

    def amount_field(row: Data, label: str) -> ui.input:
        return number_text(row, "amount", label, classes="w-44").on_value_change(totals.refresh)

    def category_field(row: Data) -> ui.select:
        options = categories(str(row.get("scheme") or state["scheme"]))
        return choice(
            row, "category", tr("Cost category"), options, classes="w-72"
        ).on_value_change(totals.refresh)

    @ui.refreshable
    def content() -> None:
        scheme = state["scheme"]
        ui.select(
            dict(SCHEME_LABELS),
            value=scheme,
            label=tr("Cost scheme"),
            on_change=change_scheme,
        ).classes("w-44")

        heading(tr("Budget"), 2)
        lines = doc["budget_lines"]
        if not lines:
            ui.label(tr("No budget rows yet."))
        for i, line in enumerate(lines):
            with item_card(), ui.row().classes("w-full items-start gap-4"):
                category_field(line)
                amount_field(line, tr("Planned amount (€)"))
                text(line, "note", tr("Note"), classes="flex-1")
                what = tr("budget row {n}", n=i + 1)
                row_buttons(tr, lines, i, what, refresh_all)
        ui.button(tr("Add a budget row"), icon="add", on_click=add_line).props("outline")

        heading(tr("Actual costs"), 2)
        periods = period_names(ed)
        if not periods:
            ui.label(tr("Add reporting periods first."))
        costs = doc["cost_actuals"]
        for number, caption in periods.items():
            locked = number in ed.locked
            with item_card():
                heading(caption, 3)
                if locked:
                    locked_notice(ed, number, "costs")
                for i, cost in enumerate(costs):
                    if cost.get("period") != number:
                        continue
                    with ui.row().classes("w-full items-start gap-4"):
                        inputs = [
                            category_field(cost),
                            amount_field(cost, tr("Actual amount (€)")),
                            text(cost, "note", tr("Note"), classes="flex-1"),
                        ]
                        if locked:
                            read_only(inputs)
                            continue
                        what = tr("actual cost {n}", n=i + 1)
                        row_buttons(tr, costs, i, what, refresh_all)
                if not locked:
                    add = tr("Add an actual cost, period {n}", n=number)
                    ui.button(add, icon="add", on_click=lambda n=number: add_cost(n)).props(
                        "outline"
                    )

        heading(tr("Budget and actual costs"), 2)
        totals()

        _participant_groups(ed, fresh_groups, refresh_all)
        _volunteers(ed)

    def refresh_all() -> None:
        content.refresh()

    def add_line() -> None:
        doc["budget_lines"].append(
            {"scheme": state["scheme"], "category": "", "amount": "", "note": ""}
        )
        content.refresh()

    def add_cost(number: int) -> None:
        doc["cost_actuals"].append(
            {"period": number, "scheme": state["scheme"], "category": "", "amount": "", "note": ""}
        )
        content.refresh()

    ui.label(tr("Amounts in euros, e.g. 241 500,00. Income reduces the net cost.")).classes(
        "text-body2"
    )
    content()
    ed.refreshers.append(content.refresh)
    ed.save_bar()


def _totals(tr: Translator, labels: dict[str, str], lines: list[CategoryLine]) -> None:
    lang = tr.lang
    if not lines:
        ui.label(tr("No amounts yet."))
        return
    planned, actual = net_cost(lines)
    with ui.element("table").classes("text-left").props('aria-label="' + tr("Totals") + '"'):
        with ui.element("thead"), ui.element("tr"):
            for caption in (tr("Cost category"), tr("Planned"), tr("Actual"), tr("Share used")):
                with ui.element("th").props('scope="col"').classes("q-pr-lg"):
                    ui.label(caption)
        with ui.element("tbody"):
            for line in lines:
                name = labels.get(line.category, line.category)
                used = share_used(line.planned, line.actual, lang)
                _total_row(name, eur(line.planned, lang, cents=True) or "—", line, used, tr)
            with ui.element("tr").classes("text-weight-bold"):
                with ui.element("th").props('scope="row"').classes("q-pr-lg"):
                    ui.label(tr("Net cost (costs − income)"))
                with ui.element("td").classes("q-pr-lg"):
                    ui.label(eur(planned, lang, cents=True) or "—")
                with ui.element("td").classes("q-pr-lg"):
                    ui.label(eur(actual, lang, cents=True))
                with ui.element("td"):
                    ui.label(share_used(planned, actual, lang))


def _total_row(name: str, planned: str, line: CategoryLine, used: str, tr: Translator) -> None:
    with ui.element("tr"):
        with ui.element("th").props('scope="row"').classes("q-pr-lg text-weight-regular"):
            ui.label(name + (f" ({tr('income')})" if line.is_income else ""))
        with ui.element("td").classes("q-pr-lg"):
            ui.label(planned)
        with ui.element("td").classes("q-pr-lg"):
            ui.label(eur(line.actual, tr.lang, cents=True))
        with ui.element("td"):
            ui.label(used)


def _participant_groups(ed: Editor, fresh: set[int], refresh: Callable[[], None]) -> None:
    """Participant groups with labour-market status and education; the plain gender × age
    counts are the Participants tab's grid."""
    tr, stats = ed.tr, ed.doc["participant_stats"]
    heading(tr("Participants by labour-market status and education"), 2)
    ui.label(
        tr(
            "The whole project counts each person once; it is not the sum of the periods. "
            "Counts by gender and age only are on the Participants tab."
        )
    ).classes("text-body2")
    columns: list[tuple[Any, str]] = [("", tr("Whole project"))]
    columns += list(period_names(ed).items())
    for period, caption in columns:
        locked = period in ed.locked
        with item_card():
            heading(caption, 3)
            if locked:
                locked_notice(ed, period, "groups")
            for i, stat in enumerate(stats):
                is_group = stat.get("labour_status") or stat.get("education") or id(stat) in fresh
                if (stat.get("period") or "") != period or not is_group:
                    continue
                with ui.row().classes("w-full items-start gap-4"):
                    codes = ed.codes
                    inputs = [
                        choice(stat, "gender", tr("Gender"), codes["gender"], classes="w-36"),
                        choice(
                            stat, "age_class", tr("Age class"), codes["age_class"], classes="w-36"
                        ),
                        choice(
                            stat,
                            "labour_status",
                            tr("Labour-market status"),
                            codes["labour_status"],
                            classes="w-56",
                        ),
                        choice(
                            stat, "education", tr("Education"), codes["education"], classes="w-48"
                        ),
                        whole_number(stat, "count", tr("Count"), classes="w-28"),
                    ]
                    if locked:
                        read_only(inputs)
                        continue
                    what = tr("participant group {n}", n=i + 1)
                    row_buttons(
                        tr, stats, i, what, refresh, on_remove=lambda s: fresh.discard(id(s))
                    )
            if locked:
                continue
            add = tr("Add a participant group: {period}", period=caption)

            def add_group(period: Any = period) -> None:
                group = {"period": period, "gender": "", "age_class": "", "count": ""}
                group |= {"labour_status": "", "education": ""}
                stats.append(group)
                fresh.add(id(group))
                refresh()

            ui.button(add, icon="add", on_click=add_group).props("outline")


def _volunteers(ed: Editor) -> None:
    tr = ed.tr
    heading(tr("Volunteers and feedback"), 2)
    periods = ed.doc["periods"]
    if not periods:
        ui.label(tr("Add reporting periods first."))
    basis = basis_labels(tr)
    for period, caption in zip(periods, period_names(ed).values(), strict=True):
        locked = period["number"] in ed.locked
        with item_card():
            heading(caption, 3)
            if locked:
                locked_notice(ed, period["number"], "volunteers")
            with ui.row().classes("w-full items-start gap-4"):
                inputs: list[ui.element] = [
                    whole_number(period, "volunteers", tr("Volunteers")),
                    number_text(period, "volunteer_hours", tr("Volunteer hours"), classes="w-52"),
                    choice(
                        period,
                        "volunteers_basis",
                        tr("Basis of the volunteer figures"),
                        basis,
                        classes="w-56",
                    ),
                ]
            inputs.append(
                long_text(period, "feedback_methods", tr("How feedback was collected"), rows=2)
            )
            if locked:
                read_only(inputs)
