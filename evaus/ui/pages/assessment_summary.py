"""The comparison of the alternatives (counts side by side, never a total score) and the
version comparison page ``/assessments/{id}/compare/{other_id}``."""

from __future__ import annotations

from typing import Any

from nicegui import APIRouter, run, ui

from evaus.assessment import Change, Comparison, Framework
from project_db.assessment_schemas import AssessmentDoc
from project_db.errors import N_, NotFound

from ...services import assessments as svc
from ..context import Translator, page_actor, session
from ..layout import frame, heading
from .assessment_common import DASH, fte, not_found_page, short

router = APIRouter()


def comparison_summary(
    tr: Translator, framework: Framework, comparison: Comparison, doc: AssessmentDoc
) -> None:
    """Per alternative: how many impacts point which way, costs, staff, risks, uncertainties."""
    ui.label(
        tr(
            "Counts of impacts over the relevant impact areas. They are not added up into a "
            "score: a “+” does not cancel a “−”."
        )
    ).classes("text-body2 text-grey-9")
    columns = [
        ("name", tr("Alternative")),
        ("positive", tr("Positive (+, ++)")),
        ("negative", tr("Negative (−, −−)")),
        ("mixed", tr("Both (±)")),
        ("uncertain", tr("Uncertain (?)")),
        ("none", tr("No impact (0)")),
        ("open", tr("Not assessed")),
        ("cost", tr("Costs a year")),
        ("fte", tr("Staff")),
        ("risks", tr("Risks (high)")),
        ("uncertainties", tr("Uncertainties")),
    ]
    rows = []
    for alt in comparison.alternatives:
        total = alt.total
        name = alt.name + (" " + tr("(recommended)") if alt.recommended else "")
        rows.append(
            {
                "key": alt.key,
                "name": name,
                "positive": f"{total.positive} ({total.clearly_positive} ++)",
                "negative": f"{total.negative} ({total.clearly_negative} −−)",
                "mixed": total.mixed,
                "uncertain": total.uncertain,
                "none": total.no_impact,
                "open": total.not_assessed,
                "cost": tr.eur(alt.cost_per_year) if alt.cost_per_year is not None else DASH,
                "fte": fte(alt.staff_fte, tr),
                "risks": f"{alt.risks} ({alt.high_risks})",
                "uncertainties": alt.uncertainties,
            }
        )
    ui.table(
        rows=rows,
        columns=[{"name": n, "label": label, "field": n, "align": "left"} for n, label in columns],
        row_key="key",
    ).props("flat bordered dense wrap-cells hide-bottom").classes("w-full")
    if comparison.general_risks:
        ui.label(
            tr("Risks that concern the change as a whole: {count}", count=comparison.general_risks)
        )
    _by_area(tr, framework, comparison, doc)


def _by_area(
    tr: Translator, framework: Framework, comparison: Comparison, doc: AssessmentDoc
) -> None:
    if not comparison.areas:
        return
    with ui.element("ul").classes("q-pl-md"):
        for alt in comparison.alternatives:
            positive, negative = [], []
            for code in comparison.areas:
                area = framework.area(code)
                name = area.name.get(tr.lang) if area else code
                impact = doc.impact(code, alt.key)
                if impact is None or not impact.assessed:
                    continue
                if impact.direction in ("+", "++"):
                    positive.append(f"{name} ({framework.symbol(impact.direction)})")
                elif impact.direction in ("-", "--"):
                    negative.append(f"{name} ({framework.symbol(impact.direction)})")
            with ui.element("li"):
                ui.label(alt.name).classes("text-weight-medium break-words")
                ui.label(tr("Positive: {areas}", areas=", ".join(positive) or DASH))
                ui.label(tr("Negative: {areas}", areas=", ".join(negative) or DASH))


# --- comparing versions -------------------------------------------------------------------


def _load(actor: Any, first: int, second: int) -> tuple[Any, ...] | None:
    with session(actor) as db:
        try:
            a = svc.get_assessment(db, first, actor=actor)
            b = svc.get_assessment(db, second, actor=actor)
        except NotFound:
            return None
        if a.doc.series_key != b.doc.series_key:
            return None
        old, new = (a, b) if a.doc.version_number <= b.doc.version_number else (b, a)
        changes = svc.compare_versions(db, old.id, new.id)
        return old, new, changes, svc.framework_of(db, new.id)


PART_LABELS = {
    "assessment": N_("Assessment"),
    "screening": N_("Screening"),
    "answer": N_("Answer"),
    "alternative": N_("Alternative"),
    "area": N_("Impact area"),
    "impact": N_("Impact"),
    "risk": N_("Risk"),
    "hearing": N_("Consultation"),
    "recommendation": N_("Recommendation"),
    "follow_up": N_("Follow-up indicator"),
}


def _ident(change: Change, framework: Framework, docs: list[AssessmentDoc], lang: str) -> str:
    names = {a.key: a.name for d in docs for a in d.alternatives}
    questions = {q.key: q.label.get(lang) for p in framework.phases for q in p.questions}

    def area(code: str) -> str:
        found = framework.area(code)
        return found.name.get(lang) if found else code

    if change.part == "answer":
        return questions.get(change.ident, change.ident)
    if change.part == "area":
        return area(change.ident)
    if change.part == "impact" and "/" in change.ident:
        code, key = change.ident.split("/", 1)
        return f"{area(code)} / {names.get(key, key)}"
    if change.part == "alternative":
        return names.get(change.ident, change.ident)
    return "" if change.part in ("assessment", "screening", "recommendation") else change.ident


@router.page("/assessments/{assessment_id:int}/compare/{other_id:int}")
async def compare_page(assessment_id: int, other_id: int) -> None:
    found = page_actor()
    if found is None:
        return
    actor, tr = found
    data = await run.io_bound(_load, actor, assessment_id, other_id)
    if data is None:
        not_found_page(tr, actor)
        return
    old, new, changes, framework = data
    title = tr(
        "Changes from version {old} to version {new}",
        old=old.doc.version_number,
        new=new.doc.version_number,
    )
    with frame(tr, title, actor):
        ui.label(new.doc.title).classes("text-subtitle1 text-weight-medium break-words")
        with ui.row().classes("gap-4"):
            ui.link(tr("Version {number}", number=old.doc.version_number), f"/assessments/{old.id}")
            ui.link(tr("Version {number}", number=new.doc.version_number), f"/assessments/{new.id}")
        if not changes:
            ui.label(tr("The versions are the same."))
            return
        heading(tr("{count} changes", count=len(changes)), 2)
        rows = [
            {
                "n": n,
                "part": tr(PART_LABELS.get(c.part, c.part)),
                "ident": _ident(c, framework, [old.doc, new.doc], tr.lang),
                "field": c.field or (tr("added") if c.old is None else tr("removed")),
                "old": short(c.old),
                "new": short(c.new),
            }
            for n, c in enumerate(changes)
        ]
        columns = [
            ("part", tr("Part")),
            ("ident", tr("Which")),
            ("field", tr("Field")),
            ("old", tr("Before")),
            ("new", tr("After")),
        ]
        ui.table(
            rows=rows,
            columns=[{"name": k, "label": v, "field": k, "align": "left"} for k, v in columns],
            row_key="n",
            pagination=50,
        ).props("flat bordered wrap-cells").classes("w-full")
