"""The wizard's steps 5–8: the matrix link, feasibility and risks, the comparison and the
recommendation, follow-up indicators and the date of the ex-post check."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from nicegui import ui

from evaus.assessment import is_high_risk
from project_db.assessment_schemas import FollowUpIn, RiskIn

from ...labels import hearing_children_text, hearing_method_text
from ...services import assessments as svc
from ..components import date_input, day_text, parse_day
from ..indicator_picker import CataloguePicker, entry_summaries, entry_text
from ..layout import dialog_title, heading
from .common import (
    DASH,
    autosave_together,
    edit_remove,
    prefilled,
    read_text,
    saved_with,
    text_areas,
)
from .scoping import questions
from .summary import comparison_summary

if TYPE_CHECKING:
    from evaus.assessment.framework import Phase

    from .wizard import Wizard


def build(w: Wizard, phase: Phase) -> None:
    if phase.number == 5:
        _matrix_link(w)
    if phase.number == 7:
        _comparison(w)
    questions(w, phase)
    if phase.number == 6:
        _risks(w)
    elif phase.number == 8:
        _follow_ups(w)


def _matrix_link(w: Wizard) -> None:
    tr = w.tr

    # Marking areas relevant (step 4) or adding alternatives (step 3) changes the count.
    def counter() -> None:
        item = next(p for p in w.loaded.progress if p.number == 5)
        ui.label(
            tr(
                "{done} of {required} matrix cells are assessed.",
                done=item.answered,
                required=item.required,
            )
        )

    with ui.element("div").props('aria-live="polite"'):
        w.kept_fresh(counter)
    ui.link(tr("Open the impact matrix"), f"/assessments/{w.id}/matrix").classes("text-body1")


def _scale_options(w: Wizard, scale: str) -> dict[str | None, str]:
    values = getattr(w.framework.scales, scale)
    options: dict[str | None, str] = {None: DASH}
    options |= {v.code: v.label.get(w.tr.lang) for v in values}
    return options


# --- risks --------------------------------------------------------------------------------


def _risks(w: Wizard) -> None:
    tr = w.tr
    heading(tr("Risks"), 3)

    def listing() -> None:
        names = {a.key: a.name for a in w.doc.alternatives}
        if not w.doc.risks:
            ui.label(tr("No risks recorded yet."))
        for risk in w.doc.risks:
            with ui.card().props("flat bordered").classes("w-full gap-1"):
                ui.label(risk.description).classes("whitespace-pre-wrap break-words")
                concerns = names.get(risk.alternative_key or "", tr("The change as a whole"))
                level = w.framework.scale_label
                ui.label(tr("Concerns: {what}", what=concerns)).classes("break-words")
                ui.label(
                    tr(
                        "Likelihood: {likelihood} · consequence: {consequence}",
                        likelihood=level("risk_level", risk.likelihood, tr.lang) or DASH,
                        consequence=level("risk_level", risk.consequence, tr.lang) or DASH,
                    )
                )
                if is_high_risk(risk.likelihood, risk.consequence):
                    ui.label(tr("High risk")).classes("text-weight-medium text-red-800")
                ui.label(tr("Mitigation: {text}", text=risk.mitigation or DASH)).classes(
                    "whitespace-pre-wrap break-words"
                )
                if w.editable:
                    edit_remove(
                        tr,
                        partial(_risk_dialog, w, risk),
                        partial(w.remove, svc.delete_risk, risk.key, risk.description),
                    )

    w.kept_fresh(listing, add=(tr("Add a risk"), lambda: _risk_dialog(w, None)))


def _risk_dialog(w: Wizard, risk: RiskIn | None) -> None:
    tr = w.tr
    alternatives: dict[str | None, str] = {None: tr("The change as a whole")}
    alternatives |= {a.key: a.name for a in w.doc.alternatives}
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-2xl"):
        dialog_title(dialog, tr("Risk"))
        description = ui.textarea(tr("Description"), value=risk.description if risk else "")
        description.props("autogrow").classes("w-full")
        concerns = ui.select(
            alternatives, label=tr("Concerns"), value=risk.alternative_key if risk else None
        ).classes("w-full")
        with ui.row().classes("gap-2"):
            likelihood = ui.select(
                _scale_options(w, "risk_level"),
                label=tr("Likelihood"),
                value=risk.likelihood if risk else None,
            ).classes("w-48")
            consequence = ui.select(
                _scale_options(w, "risk_level"),
                label=tr("Consequence"),
                value=risk.consequence if risk else None,
            ).classes("w-48")
        mitigation = ui.textarea(tr("Mitigation"), value=risk.mitigation if risk else "")
        mitigation.props("autogrow").classes("w-full")

        w.dialog_buttons(
            dialog,
            svc.upsert_risk,
            risk,
            lambda: {
                "description": description.value or "",
                "alternative_key": concerns.value,
                "likelihood": likelihood.value,
                "consequence": consequence.value,
                "mitigation": mitigation.value or "",
            },
            lambda values: values["description"],
        )
    dialog.open()


# --- comparison and recommendation ----------------------------------------------------------


def _comparison(w: Wizard) -> None:
    tr = w.tr
    heading(tr("Comparison of the alternatives"), 3)

    w.kept_fresh(lambda: comparison_summary(tr, w.framework, w.loaded.comparison, w.doc))
    heading(tr("Recommendation"), 3)
    rec = w.doc.recommendation
    names = {a.key: a.name for a in w.doc.alternatives}
    if not w.editable:
        read_text(tr("Recommended alternative"), names.get(rec.alternative_key or "", ""))
        read_text(tr("Reasoning"), rec.reasoning)
        read_text(tr("Trade-offs"), rec.trade_offs)
        read_text(tr("Uncertainties"), rec.uncertainties)
    else:
        _recommendation_inputs(w, names)
    heading(tr("Who was heard"), 3)
    if not w.doc.hearings:
        ui.label(tr("No one recorded yet (step 2)."))
    with ui.element("ul").classes("q-pl-md"):
        for hearing in w.doc.hearings:
            with ui.element("li"):
                how = hearing_method_text(hearing, tr.lang)
                ui.label(hearing.group + (f" ({how})" if how else "")).classes("break-words")
                if hearing.children_heard:
                    children = hearing_children_text(hearing, tr.lang)
                    ui.label(f"{tr('Children or young people heard')}: {children}").classes(
                        "break-words"
                    )


def _recommendation_inputs(w: Wizard, names: dict[str, str]) -> None:
    tr, rec = w.tr, w.doc.recommendation
    options: dict[str | None, str] = {None: DASH} | dict(names)
    chosen = ui.select(options, label=tr("Recommended alternative"), value=rec.alternative_key)
    chosen.classes("w-full").props('id="recommendation"')
    texts = text_areas(
        {
            "reasoning": tr("Reasoning"),
            "trade_offs": tr("Trade-offs"),
            "uncertainties": tr("Uncertainties"),
        },
        rec,
    )
    autosave_together(
        w.saver,
        "recommendation",
        {"alternative_key": chosen, **texts},
        lambda values: saved_with(svc.set_recommendation, w.id, values),
        (tr("Reasoning"), "reasoning"),
    )


# --- follow-up ------------------------------------------------------------------------------


def _follow_ups(w: Wizard) -> None:
    tr = w.tr
    heading(tr("Follow-up indicators"), 3)
    indicators = {i.key: i.name for i in w.loaded.indicators if i.key}

    def listing() -> None:
        if not w.doc.follow_ups:
            ui.label(tr("No follow-up indicators yet."))
        linked = entry_summaries([f.catalogue_key for f in w.doc.follow_ups], tr.lang)
        for item in w.doc.follow_ups:
            entry = linked.get(item.catalogue_key or "")
            with ui.card().props("flat bordered").classes("w-full gap-1"):
                ui.label(item.name).classes("text-weight-medium break-words")
                details = [
                    (tr("Baseline"), item.baseline),
                    (tr("Target"), item.target),
                    (tr("Source"), item.source),
                    (tr("Schedule"), item.schedule),
                    (tr("Responsible"), item.responsible),
                    (tr("Project indicator"), indicators.get(item.indicator_key or "", "")),
                    (tr("Catalogue indicator"), entry_text(tr, entry) if entry else ""),
                ]
                for label, value in details:
                    if value:
                        ui.label(f"{label}: {value}").classes("break-words")
                if w.editable:
                    edit_remove(
                        tr,
                        partial(_follow_dialog, w, item),
                        partial(w.remove, svc.delete_follow_up, item.key, item.name),
                    )

    w.kept_fresh(listing, add=(tr("Add a follow-up indicator"), lambda: _follow_dialog(w, None)))
    _ex_post_date(w)


def _ex_post_date(w: Wizard) -> None:
    tr, value = w.tr, w.doc.ex_post_date
    heading(tr("Date of the ex-post check"), 3)
    if not w.editable:
        ui.label(tr.date(value) if value else DASH)
        return
    day = date_input(tr("Date of the ex-post check"), tr, day_text(value))

    def save(*_: Any) -> None:
        try:
            chosen = parse_day(day.value)
        except ValueError:
            return  # half typed: saved once it is a whole date

        work = saved_with(svc.update_assessment, w.id, {"ex_post_date": chosen})
        assert w.saver is not None
        w.saver.schedule("ex_post_date", work, str(day.value))

    day.on_value_change(save)
    w.follow("ex_post_date", day, lambda doc: day_text(doc.ex_post_date))


def _follow_dialog(w: Wizard, item: FollowUpIn | None) -> None:
    tr = w.tr
    indicators: dict[str | None, str] = {None: tr("No linked indicator")}
    indicators |= {i.key: i.name for i in w.loaded.indicators if i.key}
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-2xl"):
        dialog_title(dialog, tr("Follow-up indicator"))
        labels = {
            "name": tr("Name"),
            "baseline": tr("Baseline"),
            "target": tr("Target"),
            "source": tr("Source"),
            "schedule": tr("Schedule"),
            "responsible": tr("Responsible"),
        }
        inputs = prefilled(ui.input, labels, item)
        for widget in inputs.values():
            widget.classes("w-full")
        link = ui.select(
            indicators, label=tr("Project indicator"), value=item.indicator_key if item else None
        ).classes("w-full")
        if len(indicators) == 1:
            link.set_visibility(False)
        linked = {i.key: i for i in w.loaded.indicators if i.key}

        def fill_from_indicator(event: Any) -> None:
            # The project indicator's facts, as a start: each stays editable.
            source = linked.get(event.value)
            if source is None:
                return
            for name, value in (
                ("name", source.name),
                ("baseline", source.baseline),
                ("target", source.target),
            ):
                if value:
                    inputs[name].set_value(value)

        link.on_value_change(fill_from_indicator)
        catalogue = {"key": item.catalogue_key if item else None}

        def catalogue_changed(key: str | None, copies: dict[str, str]) -> None:
            catalogue["key"] = key
            for name, value in copies.items():
                inputs[name].set_value(value)

        CataloguePicker(
            tr,
            key=catalogue["key"],
            own=lambda: {"name": inputs["name"].value or ""},
            on_change=catalogue_changed,
        )

        w.dialog_buttons(
            dialog,
            svc.upsert_follow_up,
            item,
            lambda: (
                {k: v.value or "" for k, v in inputs.items()}
                | {"indicator_key": link.value, "catalogue_key": catalogue["key"]}
            ),
            lambda values: values["name"],
        )
    dialog.open()
