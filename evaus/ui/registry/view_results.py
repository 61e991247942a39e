"""The project page's plan and reporting sections (helpers of project_view.py): goals →
measures → results, indicators, reporting periods, participants, attachments, notes, history.

The same rules as in view_sections.py: user text only as text; empty lists are left out.
Each reporting period has its comments: a button with their count opens the period's thread.
"""

from __future__ import annotations

from decimal import Decimal

from nicegui import ui

from project_db.schemas import BASIS_LABELS, IndicatorIn, ProjectDoc

from ...i18n import number
from ...services import comments
from ...services.history import ChangeGroup, ChangeLine
from ..comments import CommentButtons
from ..context import Translator
from ..layout import heading
from .view_sections import DASH, ViewData, fmt_number, table, text_block

# --- logic chain and indicators ----------------------------------------------------------


def logic_chain(doc: ProjectDoc, tr: Translator) -> None:
    if not (doc.goals or doc.measures or doc.results):
        return
    heading(tr("Goals, measures and results"), 2)
    kinds = {"output": tr("Output"), "result": tr("Result"), "impact": tr("Impact")}

    def results_of(goal: str | None, measure: str | None) -> None:
        for r in doc.results:
            if r.goal_key == goal and r.measure_key == measure:
                with ui.row().classes("gap-2 no-wrap items-baseline"):
                    ui.label(f"{kinds[r.kind]}:").classes("text-weight-medium")
                    text_block(r.text)

    def measures_of(goal: str | None) -> None:
        for m in doc.measures:
            if m.goal_key != goal:
                continue
            with ui.card().classes("w-full").props("flat bordered"):
                ui.label(tr("Measure")).classes("text-caption text-grey-8")
                text_block(m.title, "text-body1 text-weight-medium")
                if m.description:
                    text_block(m.description)
                details = [
                    x
                    for x in (
                        m.responsible and tr("Responsible: {name}", name=m.responsible),
                        tr.dates(m.start_date, m.end_date),
                    )
                    if x
                ]
                if details:
                    ui.label(" · ".join(details)).classes("text-body2")
                results_of(goal, m.key)

    for goal in doc.goals:
        with ui.card().classes("w-full"):
            ui.label(tr("Goal")).classes("text-caption text-grey-8")
            text_block(goal.title, "text-subtitle1 text-weight-medium")
            if goal.description:
                text_block(goal.description)
            results_of(goal.key, None)
            measures_of(goal.key)
    measures_of(None)
    results_of(None, None)


def _latest(indicator: IndicatorIn, tr: Translator) -> str:
    if not indicator.values:
        return DASH
    value = max(indicator.values, key=lambda v: v.period)
    basis = tr(BASIS_LABELS[value.basis])
    return tr(
        "{value} (period {period}, {basis})",
        value=number(value.value, tr.lang),
        period=value.period,
        basis=basis,
    )


def indicators(doc: ProjectDoc, tr: Translator) -> None:
    if not doc.indicators:
        return
    heading(tr("Indicators"), 2)
    rows = []
    for i in doc.indicators:
        baseline = fmt_number(i.baseline, tr)
        if i.baseline is not None and i.baseline_basis:
            baseline += f" ({tr(BASIS_LABELS[i.baseline_basis])})"
        target = fmt_number(i.target, tr)
        if i.target is not None and i.target_date:
            target += f" ({tr.date(i.target_date)})"
        revisions = "\n".join(
            tr(
                "{date}: {old} → {new}, {reason}",
                date=tr.date(r.revised_on),
                old=fmt_number(r.old_target, tr),
                new=fmt_number(r.new_target, tr),
                reason=r.reason,
            )
            for r in i.revisions
        )
        rows.append(
            {
                "name": i.name,
                "unit": i.unit or DASH,
                "baseline": baseline,
                "target": target,
                "latest": _latest(i, tr),
                "revisions": revisions or DASH,
            }
        )
    columns = [
        ("name", tr("Indicator")),
        ("unit", tr("Unit")),
        ("baseline", tr("Baseline")),
        ("target", tr("Target")),
        ("latest", tr("Latest actual")),
        ("revisions", tr("Target revisions")),
    ]
    element = table(columns, rows)
    element.add_slot(
        "body-cell-revisions",
        '<q-td :props="props" class="whitespace-pre-line">{{ props.value }}</q-td>',
    )


# --- reporting ---------------------------------------------------------------------------


def periods(data: ViewData, tr: Translator) -> None:
    doc = data.doc
    if doc.periods:
        heading(tr("Reporting periods"), 2)
        # The counts are read once the page is shown (the page has loaded its data without them).
        buttons = CommentButtons(tr, None, comments.PERIOD, data.id)
        parts = (
            ("done", tr("What was done")),
            ("changes", tr("What changed")),
            ("deviations", tr("Deviations and why")),
            ("next_steps", tr("Next steps")),
        )
        for period in sorted(doc.periods, key=lambda p: p.number):
            title = tr(
                "Period {number}: {dates}",
                number=period.number,
                dates=tr.dates(period.start_date, period.end_date),
            )
            heading(title, 3, element_id=f"period-{period.number}")
            buttons.button(
                str(period.number),
                tr("Comments: {target}", target=title),
                context=tr("period {number}", number=period.number),
            )
            written = [(label, getattr(period, name)) for name, label in parts]
            if not any(text for _label, text in written):
                ui.label(tr("No report written for this period.")).classes("text-body2")
            for label, text in written:
                if text:
                    ui.label(label).classes("text-weight-medium")
                    text_block(text)
        buttons.load_soon()
    if doc.participant_stats:
        heading(tr("Participants"), 2)
        rows = [
            {
                "period": str(s.period) if s.period else tr("Whole project"),
                "gender": data.label("gender", s.gender),
                "age": data.label("age_class", s.age_class),
                "count": str(s.count),
            }
            for s in doc.participant_stats
        ]
        total = sum(s.count for s in doc.participant_stats)
        rows.append({"period": tr("Total"), "gender": "", "age": "", "count": str(total)})
        columns = [
            ("period", tr("Reporting period")),
            ("gender", tr("Gender")),
            ("age", tr("Age class")),
            ("count", tr("Count")),
        ]
        table(columns, rows, align_right=("count",))


def attachments(data: ViewData, tr: Translator) -> None:
    if not data.attachments:
        return
    heading(tr("Attachments"), 2)
    with ui.element("ul").classes("list-disc pl-6"):
        for a in data.attachments:
            with ui.element("li"), ui.row().classes("gap-2 items-baseline"):
                ui.link(a.filename, f"/files/{a.id}")
                ui.label(f"({number(Decimal(a.size) / 1024, tr.lang)[:8]} kt)").classes(
                    "text-body2"
                )
                if a.description:
                    text_block(a.description, "text-body2")


def notes(doc: ProjectDoc, tr: Translator) -> None:
    if not doc.notes:
        return
    with ui.expansion(tr("Notes left over from the import")).classes("w-full").props("dense"):
        text_block(doc.notes, "text-body2")


# --- history -----------------------------------------------------------------------------


def history_groups(groups: list[ChangeGroup], tr: Translator) -> None:
    """The saves, newest first: who and when, then each record's change with its fields."""
    # The lists around them hide markers: the disclosure triangle says a line opens.
    ui.add_css(
        "details.history-record > summary { display: list-item; cursor: pointer;"
        " list-style: disclosure-closed outside; }"
        " details.history-record[open] > summary { list-style-type: disclosure-open; }"
    )
    with ui.element("ol").classes("q-pl-none q-my-sm w-full").style("list-style: none"):
        for group in groups:
            with ui.element("li").classes("q-py-sm").style("border-top: 1px solid #d0d0d0"):
                ui.label(tr("{when}, {who}", when=group.when, who=group.actor)).classes(
                    "text-weight-medium"
                )
                with ui.element("ul").classes("q-pl-md q-my-xs").style("list-style: none"):
                    for line in group.lines:
                        _history_line(line, tr)


def _history_line(line: ChangeLine, tr: Translator) -> None:
    with ui.element("li").classes("break-words q-mb-xs"):
        if not line.changes:
            ui.label(line.summary)
        elif line.action == "update":  # the change itself: old → new, always in sight
            ui.label(line.summary)
            _history_fields(line, tr)
        else:
            # What an added or removed record contained: a click away, so that a save of many
            # records reads as a list of them.
            with ui.element("details").classes("history-record"):
                with ui.element("summary"):
                    ui.label(line.summary).classes("inline")
                _history_fields(line, tr)


def _history_fields(line: ChangeLine, tr: Translator) -> None:
    with ui.element("ul").classes("q-pl-lg q-my-none text-body2"):
        for change in line.changes:
            with ui.element("li").classes("whitespace-pre-line break-words"):
                if line.action == "update":
                    text = tr(
                        "{field}: {old} → {new}",
                        field=change.label,
                        old=change.old or DASH,
                        new=change.new or DASH,
                    )
                else:
                    value = change.new if line.action == "create" else change.old
                    text = f"{change.label}: {value}"
                ui.label(text)
