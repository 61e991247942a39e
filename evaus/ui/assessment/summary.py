"""The comparison of the alternatives (counts side by side, never a total score) and the
version comparison page ``/assessments/{id}/compare/{other_id}``."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from evaus.assessment import Comparison, Framework
from project_db.assessment_schemas import AssessmentDoc
from project_db.errors import NotFound

from ...labels import ComparedRow, Vocabulary, compared_rows
from ...services import assessments as svc
from ...services.history import change_count
from ..context import Translator, session
from ..layout import heading
from ..page import Opened, page
from .common import DASH, NOT_FOUND, assessment_title, fte, status_label
from .router import router

# Evaluated in the browser when the table is drawn.
NARROW_SCREEN = "window.matchMedia('(max-width: 599px)').matches"


def comparison_summary(
    tr: Translator, framework: Framework, comparison: Comparison, doc: AssessmentDoc
) -> None:
    """Per alternative: how many impacts point which way, costs, staff, risks, uncertainties."""
    ComparisonSummary(tr, framework, comparison, doc)


class ComparisonSummary:
    """The comparison drawn once; ``update`` shows another comparison by changing the table's
    rows and the texts that differ in place (a live change sends little to the browser)."""

    def __init__(
        self, tr: Translator, framework: Framework, comparison: Comparison, doc: AssessmentDoc
    ) -> None:
        self.tr, self.framework = tr, framework
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
        self.rows = _rows(tr, comparison)
        self.table = ui.table(
            rows=self.rows,
            columns=[
                {"name": n, "label": label, "field": n, "align": "left"} for n, label in columns
            ],
            row_key="key",
        ).props("flat bordered dense wrap-cells hide-bottom")
        self.table.classes("w-full")
        self.general_box = ui.element("div").classes("empty:hidden")
        self.general = 0
        self.areas_box = ui.element("div").classes("empty:hidden")
        self.lines: list[tuple[str, str, str]] = []
        self.labels: list[tuple[ui.label, ui.label, ui.label]] = []
        self._general(comparison.general_risks)
        self._areas(_by_area(tr, framework, comparison, doc))

    def update(self, comparison: Comparison, doc: AssessmentDoc) -> None:
        rows = _rows(self.tr, comparison)
        if rows != self.rows:
            self.rows = rows
            self.table.rows = rows
            self.table.update()
        if comparison.general_risks != self.general:
            self._general(comparison.general_risks)
        lines = _by_area(self.tr, self.framework, comparison, doc)
        if [line[0] for line in lines] != [line[0] for line in self.lines]:
            self._areas(lines)
            return
        for old, new, labels in zip(self.lines, lines, self.labels, strict=True):
            for before, after, label in zip(old, new, labels, strict=True):
                if before != after:
                    label.set_text(after)
        self.lines = lines

    def _general(self, count: int) -> None:
        self.general = count
        self.general_box.clear()
        if count:
            with self.general_box:
                ui.label(self.tr("Risks that concern the change as a whole: {count}", count=count))

    def _areas(self, lines: list[tuple[str, str, str]]) -> None:
        self.lines, self.labels = lines, []
        self.areas_box.clear()
        if not lines:
            return
        with self.areas_box, ui.element("ul").classes("q-pl-md"):
            for name, positive, negative in lines:
                with ui.element("li"):
                    self.labels.append(
                        (
                            ui.label(name).classes("text-weight-medium break-words"),
                            ui.label(positive),
                            ui.label(negative),
                        )
                    )


def _rows(tr: Translator, comparison: Comparison) -> list[dict[str, Any]]:
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
    return rows


def _by_area(
    tr: Translator, framework: Framework, comparison: Comparison, doc: AssessmentDoc
) -> list[tuple[str, str, str]]:
    """Per alternative (none without relevant areas): its name and the areas it affects
    positively and negatively, in words."""
    if not comparison.areas:
        return []
    lines = []
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
        lines.append(
            (
                alt.name,
                tr("Positive: {areas}", areas=", ".join(positive) or DASH),
                tr("Negative: {areas}", areas=", ".join(negative) or DASH),
            )
        )
    return lines


# --- comparing versions -------------------------------------------------------------------


def _load(actor: Any, assessment_id: int, other_id: int, lang: str) -> tuple[Any, ...] | None:
    with session(actor) as db:
        try:
            a = svc.get_assessment(db, assessment_id, actor=actor)
            b = svc.get_assessment(db, other_id, actor=actor)
        except NotFound:
            return None
        if a.doc.series_key != b.doc.series_key:
            return None
        old, new = (a, b) if a.doc.version_number <= b.doc.version_number else (b, a)
        changes = svc.compare_versions(db, old.id, new.id, actor=actor)
        vocab = Vocabulary(
            lang=lang,
            framework=svc.framework_of(db, new.id, actor=actor),
            indicators=svc.indicator_names(
                db, [old.doc.project_key, new.doc.project_key], actor=actor
            ),
        )
        return old, new, compared_rows(changes, [old.doc, new.doc], vocab)


def _changes_table(tr: Translator, rows: list[ComparedRow], old: int, new: int) -> None:
    columns = [
        ("part", tr("Part")),
        ("which", tr("Which")),
        ("field", tr("Field")),
        ("before", tr("Version {number}", number=old)),
        ("after", tr("Version {number}", number=new)),
    ]
    shown = [
        {
            "n": n,
            "part": r.part,
            "which": r.which or DASH,
            "field": r.field,
            # Whole texts: comparing them is what the page is for.
            "before": r.before or DASH,
            "after": r.after or DASH,
        }
        for n, r in enumerate(rows)
    ]
    table = ui.table(
        rows=shown,
        columns=[
            {
                "name": k,
                "label": v,
                "field": k,
                "align": "left",
                "classes": "whitespace-pre-line break-words align-top",
                "headerClasses": "text-no-wrap",
            }
            for k, v in columns
        ],
        row_key="n",
        pagination=50,
    )
    table.props("flat bordered wrap-cells").classes("w-full")
    # On a phone five columns do not fit: each change becomes a card of label–value pairs.
    table.props[":grid"] = NARROW_SCREEN


def _title(tr: Translator, data: tuple[Any, ...]) -> str:
    old, new, _rows = data
    return tr(
        "Changes from version {old} to version {new}",
        old=old.doc.version_number,
        new=new.doc.version_number,
    )


@page(
    router,
    "/assessments/{assessment_id:int}/compare/{other_id:int}",
    title=_title,
    load=_load,
    not_found=NOT_FOUND,
)
def compare_page(opened: Opened[tuple[Any, ...]], assessment_id: int, other_id: int) -> None:
    tr = opened.tr
    old, new, rows = opened.data
    first, second = old.doc.version_number, new.doc.version_number
    assessment_title(new.doc)
    with ui.row().classes("gap-4"):
        ui.link(tr("Version {number}", number=first), f"/assessments/{old.id}")
        ui.link(tr("Version {number}", number=second), f"/assessments/{new.id}")
    for version in (old, new):
        ui.label(
            tr(
                "Version {number}: {status}",
                number=version.doc.version_number,
                status=status_label(tr, version.doc.status),
            )
        ).classes("text-body2")
    if not rows:
        ui.label(tr("The versions are the same."))
        return
    assessed = [r for r in rows if not r.realised]
    realised = [r for r in rows if r.realised]
    heading(tr("What was assessed"), 2)
    ui.label(change_count(len(assessed), tr.lang)).classes("text-body2")
    if assessed:
        _changes_table(tr, assessed, first, second)
    heading(tr("What was realised (ex-post evaluation)"), 2)
    ui.label(
        tr(
            "The evaluation after implementation is kept apart from the assessment: "
            "a new version starts without it."
        )
    ).classes("text-body2 text-grey-9")
    ui.label(change_count(len(realised), tr.lang)).classes("text-body2")
    if realised:
        _changes_table(tr, realised, first, second)
