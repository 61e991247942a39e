"""The wizard's steps 0–4: screening, starting point, goals and hearings, alternatives,
identification of the impact areas. Inputs autosave through the wizard's ``Fields``; a
hearing (who was heard, how and when, how many, children heard, what they said and what
changed) is saved from its dialog through the same autosaver."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from nicegui import ui

from project_db.assessment_schemas import HEARING_METHOD_LABELS, HearingIn

from ...i18n import number
from ...labels import hearing_children_text, hearing_method_text
from ...services import assessments as svc
from ..components import date_input, day_text, parse_day
from ..context import Translator
from ..layout import dialog_title, heading
from . import alternatives
from .common import (
    DASH,
    Work,
    edit_remove,
    read_text,
    save_and_close,
    saved_with,
)

if TYPE_CHECKING:
    from evaus.assessment.framework import Phase

    from .wizard import Wizard


def build(w: Wizard, phase: Phase) -> None:
    if phase.number == 0:
        _own_fields(w)
        _screening(w)
    questions(w, phase)
    if phase.number == 1:
        alternatives.key_figures_of_zero(w)
    elif phase.number == 2:
        _hearings(w)
    elif phase.number == 3:
        alternatives.build(w)
    elif phase.number == 4:
        _identification(w)


def answer_work(w: Wizard, key: str) -> Any:
    def work_for(text: str) -> Work:
        return svc.SetAnswer(key, text)

    return work_for


def questions(w: Wizard, phase: Phase) -> None:
    tr = w.tr
    for question in phase.questions:
        label = question.label.get(tr.lang)
        if question.required:
            label += " *"
        wrapper = ui.column().props(f'id="q-{question.key}" tabindex="-1"')
        with wrapper.classes("w-full gap-1 q-mt-sm"):
            w.fields.text(
                f"answer:{question.key}",
                label,
                w.doc.answers.get(question.key, ""),
                answer_work(w, question.key),
                guidance=question.guidance.get(tr.lang),
            )


def _own_fields(w: Wizard) -> None:
    tr, doc = w.tr, w.doc
    heading(tr("Basic information"), 3)

    def own(name: str) -> Any:
        def work_for(text: str) -> Work:
            return svc.UpdateFields({name: text})

        return work_for

    w.fields.text("own:title", tr("Title"), doc.title, own("title"), multiline=False)
    w.fields.text("own:decision", tr("Decision to be made"), doc.decision, own("decision"))
    w.fields.text(
        "own:preparers", tr("Prepared by"), doc.preparers, own("preparers"), multiline=False
    )
    w.fields.text(
        "own:organisation",
        tr("Organisation"),
        doc.organisation,
        own("organisation"),
        multiline=False,
    )


def _screening(w: Wizard) -> None:
    tr, doc, fw = w.tr, w.doc, w.framework
    heading(tr("Is an impact assessment needed?"), 3)
    screening = doc.screening
    if not w.editable:
        chosen = [
            c.label.get(tr.lang) for c in fw.screening_criteria if c.key in screening.criteria
        ]
        read_text(tr("Criteria that apply"), "\n".join(chosen))
        needed = {
            True: tr("An impact assessment is needed"),
            False: tr("No impact assessment is needed"),
            None: tr("Not decided yet"),
        }[screening.needed]
        read_text(tr("Result of the screening"), needed)
        read_text(tr("Reason"), screening.reason)
        return
    boxes: dict[str, ui.checkbox] = {}
    state: dict[str, Any] = {"needed": screening.needed}

    def save() -> None:
        criteria = [key for key, box in boxes.items() if box.value]
        needed, reason = state["needed"], reason_input.value or ""

        work = saved_with(svc.set_screening, w.id, needed=needed, criteria=criteria, reason=reason)
        assert w.saver is not None
        w.saver.schedule("screening", work, f"{tr('Reason')}: {reason}")
        summary.refresh()

    groups = (
        ("needed", tr("Signs that an assessment is needed")),
        ("not_needed", tr("Signs that no assessment is needed")),
    )
    for indicates, title in groups:
        with ui.element("fieldset").classes("border rounded p-2 w-full"):
            _legend(title)
            for criterion in fw.screening_criteria:
                if criterion.indicates == indicates:
                    box = ui.checkbox(
                        criterion.label.get(tr.lang), value=criterion.key in screening.criteria
                    )
                    box.on_value_change(save)
                    boxes[criterion.key] = box
                    w.follow("screening", box, partial(_criterion_on, criterion.key))
    options = {
        "yes": tr("An impact assessment is needed"),
        "no": tr("No impact assessment is needed"),
    }
    current = (
        {True: "yes", False: "no"}.get(screening.needed) if screening.needed is not None else None
    )
    with ui.element("fieldset").classes("border rounded p-2 w-full"):
        _legend(tr("Result of the screening"))
        radio = ui.radio(options, value=current).props("inline")

    def chose(event: Any) -> None:
        state["needed"] = {"yes": True, "no": False}.get(event.value)
        save()

    radio.on_value_change(chose)
    reason_input = ui.textarea(tr("Reason"), value=screening.reason).props("outlined autogrow")
    reason_input.classes("w-full").on_value_change(save)
    # Followed live: another participant's choice shows here (not while the viewer is in it).
    w.follow("screening", radio, _screening_result)
    w.follow("screening", reason_input, lambda doc: doc.screening.reason or "")

    @ui.refreshable
    def summary() -> None:
        if state["needed"] is False:
            with ui.card().props("flat bordered").classes("w-full bg-blue-50"):
                ui.label(
                    tr(
                        "No impact assessment is needed. With the reason recorded you can mark the "
                        "assessment finished (below): the screening and its reason stay on record."
                    )
                )

    summary()


def _criterion_on(key: str, doc: Any) -> bool:
    return key in doc.screening.criteria


def _screening_result(doc: Any) -> str | None:
    return (
        {True: "yes", False: "no"}.get(doc.screening.needed)
        if doc.screening.needed is not None
        else None
    )


def _relevance(code: str, doc: Any) -> str | None:
    marked = next((a for a in doc.areas if a.area == code), None)
    if marked is None or marked.relevant is None:
        return None
    return "yes" if marked.relevant else "no"


def _area_reason(code: str, doc: Any) -> str:
    marked = next((a for a in doc.areas if a.area == code), None)
    return (marked.reason or "") if marked is not None else ""


def _legend(text: str) -> None:
    with ui.element("legend").classes("px-1 text-weight-medium"):
        ui.label(text)


def _hearings(w: Wizard) -> None:
    tr = w.tr
    heading(tr("Who was heard"), 3)

    def listing() -> None:
        items = w.doc.hearings
        if not items:
            ui.label(tr("No one recorded yet."))
        for item in items:
            with ui.card().props("flat bordered").classes("w-full gap-1"):
                ui.label(item.group).classes("text-weight-medium break-words")
                for label, value in hearing_details(tr, item):
                    ui.label(f"{label}: {value}").classes("whitespace-pre-wrap break-words")
                if w.editable:
                    edit_remove(
                        tr,
                        partial(_hearing_dialog, w, item),
                        partial(w.remove, svc.delete_hearing, item.key, item.group),
                    )

    w.kept_fresh(listing, add=(tr("Add a heard group"), lambda: _hearing_dialog(w, None)))


def hearing_details(tr: Translator, item: HearingIn) -> list[tuple[str, str]]:
    """A hearing's facts as (label, text), those given only; children heard always (LAVA)."""
    details = [
        (tr("How they were heard"), hearing_method_text(item, tr.lang)),
        (tr("When they were heard"), tr.date(item.held_on) if item.held_on else ""),
        (
            tr("Number of people heard"),
            number(item.participants, tr.lang) if item.participants is not None else "",
        ),
        (tr("Children or young people heard"), hearing_children_text(item, tr.lang)),
        (tr("What they said"), item.summary),
        (tr("What changed because of it"), item.outcome),
    ]
    return [(label, value) for label, value in details if value]


def _day_or_blank(text: str | None) -> bool:
    try:
        parse_day(text)
    except ValueError:
        return False
    return True


def _whole_number_or_blank(value: float | None) -> bool:
    return value is None or (value >= 0 and float(value).is_integer())


def _show_error(element: Any, message: str | None) -> None:
    """Quasar's error state and message under the input (``None`` clears them)."""
    if message is None:
        element.props(remove="error error-message")
    else:
        element.props["error"] = True
        element.props["error-message"] = message


def _hearing_dialog(w: Wizard, item: HearingIn | None) -> None:
    tr = w.tr
    methods: dict[str | None, str] = {None: DASH}
    methods |= {code: tr(label) for code, label in HEARING_METHOD_LABELS.items()}
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-2xl"):
        dialog_title(dialog, tr("Who was heard"))
        group = ui.input(
            tr("Group or organisation heard"), value=item.group if item else ""
        ).classes("w-full")
        with ui.row().classes("w-full gap-2 items-start"):
            method = ui.select(
                methods, label=tr("How they were heard"), value=item.method if item else None
            ).classes("w-56")
            held_on = date_input(
                tr("When they were heard"), tr, day_text(item.held_on) if item else ""
            )
            participants = ui.number(
                tr("Number of people heard"),
                value=item.participants if item else None,
                min=0,
                precision=0,
            ).classes("w-48")
        method_note = ui.input(
            tr("How they were heard, in words"), value=item.method_note if item else ""
        ).classes("w-full")
        children = ui.checkbox(
            tr("Children or young people were heard"),
            value=item.children_heard if item else False,
        )
        children_how = ui.textarea(
            tr("How children or young people were heard"),
            value=item.children_how if item else "",
        )
        children_how.props("autogrow").classes("w-full").bind_visibility_from(children, "value")
        summary = ui.textarea(tr("What they said"), value=item.summary if item else "")
        summary.props("autogrow").classes("w-full")
        outcome = ui.textarea(tr("What changed because of it"), value=item.outcome if item else "")
        outcome.props("autogrow").classes("w-full")

        def values() -> dict[str, Any]:
            heard = bool(children.value)
            return {
                "group": group.value or "",
                "method": method.value,
                "method_note": method_note.value or "",
                "held_on": parse_day(held_on.value),
                "participants": int(participants.value) if participants.value is not None else None,
                "children_heard": heard,
                "children_how": (children_how.value or "") if heard else "",
                "summary": summary.value or "",
                "outcome": outcome.value or "",
            }

        async def save() -> None:
            # Checked here, on saving (not while a date is half typed); each wrong field shows
            # its own message under it.
            wrong_day = not _day_or_blank(held_on.value)
            wrong_count = not _whole_number_or_blank(participants.value)
            _show_error(held_on, tr("Write the date as 1.11.2020.") if wrong_day else None)
            _show_error(
                participants, tr("Give a whole number, 0 or more.") if wrong_count else None
            )
            if wrong_day or wrong_count:
                return
            fields = values()
            if item is not None:
                fields["key"] = item.key
            work = saved_with(svc.upsert_hearing, w.id, fields)
            describe = f"{tr('Group or organisation heard')}: {fields['group']}"
            await save_and_close(w.saver, dialog, work, describe)

        with ui.row().classes("gap-2"):
            ui.button(tr("Save"), on_click=save)
            ui.button(tr("Cancel"), on_click=dialog.close).props("flat")
    dialog.open()


def _identification(w: Wizard) -> None:
    tr, doc, fw = w.tr, w.doc, w.framework
    marked = {a.area: a for a in doc.areas}
    heading(tr("Impact areas"), 3)
    for area in fw.impact_areas:
        current = marked.get(area.code)
        name = area.name.get(tr.lang)
        card = ui.card().props(f'flat bordered id="area-{area.code}" tabindex="-1"')
        with card.classes("w-full gap-1"):
            heading(name, 4, "text-subtitle1 text-weight-medium")  # under "Impact areas"
            ui.label(area.prompt.get(tr.lang)).classes("text-body2 text-grey-9")
            if not w.editable:
                relevance = {True: tr("Relevant"), False: tr("Not relevant"), None: DASH}[
                    current.relevant if current else None
                ]
                ui.label(relevance).classes("text-weight-medium")
                ui.label(current.reason if current and current.reason else DASH).classes(
                    "break-words"
                )
                continue
            _area_inputs(w, area.code, name, current)
    w.fields.text(
        "crossing",
        tr("Crossing and cumulative impacts"),
        doc.crossing_impacts,
        svc.SetCrossingImpacts,
        guidance=tr(
            "Do impacts in different areas fall on the same people, reinforce or cancel each "
            "other, or pile up over time?"
        ),
    )


def _area_inputs(w: Wizard, code: str, name: str, current: Any) -> None:
    tr = w.tr
    value = (
        None
        if current is None or current.relevant is None
        else ("yes" if current.relevant else "no")
    )
    options = {"yes": tr("Relevant"), "no": tr("Not relevant")}
    with ui.element("div").props(f'role="radiogroup" aria-label="{name}"'):
        radio = ui.radio(options, value=value).props("inline")
    reason = ui.input(tr("Reason (one line)"), value=current.reason if current else "")
    reason.props("outlined dense").classes("w-full")

    def save(*_: Any) -> None:
        relevant = {"yes": True, "no": False}.get(radio.value or "")
        text = reason.value or ""

        assert w.saver is not None
        w.saver.schedule(
            f"area:{code}", svc.SetAreaRelevance(code, relevant, text), f"{name}: {text}"
        )

    radio.on_value_change(save)
    reason.on_value_change(save)
    w.follow(f"area:{code}", radio, partial(_relevance, code))
    w.follow(f"area:{code}", reason, partial(_area_reason, code))
