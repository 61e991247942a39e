"""Editor tabs: goals (with sub-goals, measures and results) and indicators.

A target is never overwritten silently: once an indicator has a target, changing it asks for
the reason and records a revision (old → new, with the date).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nicegui import ui

from project_db.schemas import DIRECTION_LABELS

from ..context import Translator
from ..indicator_picker import CataloguePicker, entry_summaries
from ..layout import dialog_title, heading
from .edit_editor import HELSINKI, Editor
from .edit_fields import (
    choice,
    date_field,
    form_date,
    item_card,
    long_text,
    new_key,
    number_text,
    row_buttons,
    text,
)


def _titles(items: list[dict[str, Any]], field: str, skip: str | None = None) -> dict[str, str]:
    result = {}
    for i, item in enumerate(items):
        if item.get("key") and item["key"] != skip:
            title = str(item.get(field) or "").strip().replace("\n", " ")
            result[item["key"]] = f"{i + 1}. {title[:70]}"
    return result


def _drop_refs(ed: Editor, key: str | None, *fields: str) -> None:
    """After removing a goal or measure, nothing may refer to it any more."""
    doc = ed.doc
    for items in (doc["goals"], doc["measures"], doc["results"], doc["indicators"]):
        for item in items:
            for field in fields:
                if key and item.get(field) == key:
                    item[field] = ""


def basis_labels(tr: Translator) -> dict[str, str]:
    return {
        "collected": tr("collected data"),
        "sample": tr("sample"),
        "estimate": tr("estimate"),
    }


def direction_labels(tr: Translator) -> dict[str, str]:
    return {code: tr(label) for code, label in DIRECTION_LABELS.items()}


def goals_tab(ed: Editor) -> None:
    tr, doc = ed.tr, ed.doc
    goals, measures, results = doc["goals"], doc["measures"], doc["results"]

    @ui.refreshable
    def content() -> None:
        heading(tr("Goals"), 2)
        if not goals:
            ui.label(tr("No goals yet."))
        for i, goal in enumerate(goals):
            with item_card():
                with ui.row().classes("w-full items-start gap-4"):
                    long_text(goal, "title", tr("Goal"), rows=1).classes("flex-1")
                    parents = _titles(goals, "title", skip=goal.get("key"))
                    choice(goal, "parent_key", tr("Sub-goal of"), parents, classes="w-72")
                    row_buttons(
                        tr,
                        goals,
                        i,
                        tr("goal {n}", n=i + 1),
                        content.refresh,
                        on_remove=lambda g: _drop_refs(ed, g.get("key"), "goal_key", "parent_key"),
                    )
                long_text(goal, "description", tr("Description"), rows=2)
        ui.button(tr("Add a goal"), icon="add", on_click=add_goal).props("outline")

        heading(tr("Measures"), 2)
        goal_titles = _titles(goals, "title")
        if not measures:
            ui.label(tr("No measures yet."))
        for i, measure in enumerate(measures):
            with item_card():
                with ui.row().classes("w-full items-start gap-4"):
                    long_text(measure, "title", tr("Measure"), rows=1).classes("flex-1")
                    choice(measure, "goal_key", tr("Goal"), goal_titles, classes="w-72")
                    row_buttons(
                        tr,
                        measures,
                        i,
                        tr("measure {n}", n=i + 1),
                        content.refresh,
                        on_remove=lambda m: _drop_refs(ed, m.get("key"), "measure_key"),
                    )
                long_text(measure, "description", tr("Description"), rows=2)
                with ui.row().classes("w-full items-start gap-4"):
                    text(measure, "responsible", tr("Responsible"), classes="w-72")
                    date_field(measure, "start_date", tr("Start date"), tr)
                    date_field(measure, "end_date", tr("End date"), tr)
        ui.button(tr("Add a measure"), icon="add", on_click=add_measure).props("outline")

        heading(tr("Results"), 2)
        measure_titles = _titles(measures, "title")
        kinds = {"output": tr("Output"), "result": tr("Result"), "impact": tr("Impact")}
        if not results:
            ui.label(tr("No results yet."))
        for i, result in enumerate(results):
            with item_card():
                with ui.row().classes("w-full items-start gap-4"):
                    choice(result, "kind", tr("Kind"), kinds, blank=None, classes="w-40")
                    choice(result, "goal_key", tr("Goal"), goal_titles, classes="w-64")
                    choice(result, "measure_key", tr("Measure"), measure_titles, classes="w-64")
                    ui.space()
                    row_buttons(tr, results, i, tr("result {n}", n=i + 1), content.refresh)
                long_text(result, "text", tr("Result"), rows=2)
        ui.button(tr("Add a result"), icon="add", on_click=add_result).props("outline")

    def add_goal() -> None:
        goals.append({"key": new_key(), "parent_key": "", "title": "", "description": ""})
        content.refresh()

    def add_measure() -> None:
        measures.append(
            {
                "key": new_key(),
                "goal_key": "",
                "title": "",
                "description": "",
                "responsible": "",
                "start_date": "",
                "end_date": "",
            }
        )
        content.refresh()

    def add_result() -> None:
        results.append(
            {"key": new_key(), "kind": "result", "goal_key": "", "measure_key": "", "text": ""}
        )
        content.refresh()

    content()
    ed.refreshers.append(content.refresh)
    ed.save_bar()


def indicators_tab(ed: Editor) -> None:
    tr, doc = ed.tr, ed.doc
    indicators = doc["indicators"]
    basis = basis_labels(tr)
    directions = direction_labels(tr)
    # The linked catalogue entries, read once; an entry linked later is read by its picker.
    linked = entry_summaries([i.get("catalogue_key") for i in indicators], tr.lang)

    @ui.refreshable
    def content() -> None:
        goal_titles = _titles(doc["goals"], "title")
        measure_titles = _titles(doc["measures"], "title")
        if not indicators:
            ui.label(tr("No indicators yet."))
        for i, indicator in enumerate(indicators):
            with item_card():
                with ui.row().classes("w-full items-start gap-4"):
                    text(indicator, "name", tr("Indicator"), classes="flex-1")
                    text(indicator, "unit", tr("Unit"), classes="w-40")
                    row_buttons(tr, indicators, i, tr("indicator {n}", n=i + 1), content.refresh)
                _catalogue_link(tr, indicator, linked, content.refresh)
                with ui.row().classes("w-full items-start gap-4"):
                    number_text(indicator, "baseline", tr("Baseline"))
                    choice(indicator, "baseline_basis", tr("Basis of the baseline"), basis)
                    _target(ed, indicator, content.refresh)
                    date_field(indicator, "target_date", tr("Target date"), tr)
                    # Which way is progress: the achievement of the target depends on it.
                    choice(indicator, "direction", tr("Direction"), directions, blank=None)
                with ui.row().classes("w-full items-start gap-4"):
                    choice(indicator, "goal_key", tr("Goal"), goal_titles, classes="w-72")
                    choice(indicator, "measure_key", tr("Measure"), measure_titles, classes="w-72")
                long_text(indicator, "source", tr("Source of the data"), rows=1)
                _revisions(tr, indicator)

    def add() -> None:
        indicators.append(
            {
                "key": new_key(),
                "goal_key": "",
                "measure_key": "",
                "name": "",
                "unit": "",
                "baseline": "",
                "baseline_basis": "",
                "target": "",
                "target_date": "",
                "source": "",
                "direction": "more",
                "catalogue_key": "",
                "revisions": [],
                "values": [],
            }
        )
        content.refresh()

    content()
    ed.refreshers.append(content.refresh)
    ui.button(tr("Add an indicator"), icon="add", on_click=add).props("outline")
    ed.save_bar()


def _catalogue_link(
    tr: Translator, indicator: dict[str, Any], linked: dict[str, Any], refresh: Any
) -> None:
    """The indicator's link to the catalogue; a copied name or unit redraws the inputs."""

    def changed(key: str | None, copies: dict[str, str]) -> None:
        indicator["catalogue_key"] = key or ""
        indicator.update(copies)
        if copies:
            refresh()

    CataloguePicker(
        tr,
        key=indicator.get("catalogue_key") or None,
        own=lambda: {"name": indicator.get("name") or "", "unit": indicator.get("unit") or ""},
        on_change=changed,
        known=linked,
    )


def _target(ed: Editor, indicator: dict[str, Any], refresh: Any) -> None:
    tr = ed.tr
    if not str(indicator.get("target") or "").strip():
        number_text(indicator, "target", tr("Target"))
        return
    ui.input(tr("Target"), value=indicator["target"]).props("readonly").classes("w-40")
    ui.button(
        tr("Change the target"), icon="edit", on_click=lambda: _revise(ed, indicator, refresh)
    ).props("outline").classes("self-center")


def _revise(ed: Editor, indicator: dict[str, Any], refresh: Any) -> None:
    tr = ed.tr
    form = {"new_target": "", "reason": "", "revised_on": form_date(datetime.now(HELSINKI).date())}
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-xl"):
        dialog_title(dialog, tr("Change the target"))
        ui.label(tr("Current target: {target}", target=indicator["target"]))
        number_text(form, "new_target", tr("New target")).props("autofocus")
        long_text(form, "reason", tr("Reason for the change"), rows=2)
        date_field(form, "revised_on", tr("Date of revision"), tr)
        problem = ui.label().classes("text-negative").props('role="alert"')

        def accept() -> None:
            if not form["new_target"].strip() or not form["reason"].strip():
                problem.set_text(tr("Give the new target and the reason for the change."))
                return
            indicator["revisions"].append(
                {
                    "old_target": indicator["target"],
                    "new_target": form["new_target"].strip(),
                    "reason": form["reason"].strip(),
                    "revised_on": form["revised_on"],
                }
            )
            indicator["target"] = form["new_target"].strip()
            dialog.close()
            refresh()
            ui.notify(tr("The target was changed. Save to keep the change."))

        with ui.row().classes("gap-2"):
            ui.button(tr("Change the target"), on_click=accept)
            ui.button(tr("Cancel"), on_click=dialog.close).props("flat")
    dialog.open()


def _revisions(tr: Translator, indicator: dict[str, Any]) -> None:
    revisions = indicator.get("revisions") or []
    if not revisions:
        return
    ui.label(tr("Target revisions")).classes("text-weight-medium")
    with ui.element("ul").classes("q-pl-lg q-my-none"):
        for revision in revisions:
            line = tr(
                "{date}: {old} → {new} ({reason})",
                date=revision.get("revised_on") or "",
                old=revision.get("old_target") or "—",
                new=revision.get("new_target") or "—",
                reason=revision.get("reason") or "",
            )
            with ui.element("li"):
                ui.label(line)
