"""The ex-post evaluation ``/assessments/{id}/ex-post`` (after the decision): for the chosen
alternative, what actually happened to each assessed impact; assessed and realised side by
side with a verdict per impact and overall; "Merkitse jälkiarvioiduksi" with the summary."""

from __future__ import annotations

from typing import Any

from nicegui import run, ui

from evaus.assessment import ExPostComparison
from evaus.assessment.edits import RATING_LABELS
from evaus.assessment.expost import OUTCOME_LABELS
from project_db.errors import N_

from ...services import assessments as svc
from ...services.access import Actor
from ..components import date_input, day_text, today_text
from ..context import Translator, session
from ..layout import heading
from ..page import Opened, page
from .common import (
    DASH,
    NOT_FOUND,
    AutoSaver,
    Loaded,
    assessment_title,
    autosave_together,
    day_given,
    load,
    read_text,
    saved_with,
    text_areas,
)
from .router import router

DECIDED = ("paatetty", "jalkiarvioitu")


def _comparison(actor: Actor, assessment_id: int) -> tuple[ExPostComparison, Any]:
    with session(actor) as db:
        return (
            svc.ex_post_comparison(db, assessment_id, actor=actor),
            svc.get_assessment(db, assessment_id, actor=actor).doc,
        )


class ExPost:
    def __init__(self, tr: Translator, actor: Actor, loaded: Loaded, result: ExPostComparison):
        self.tr, self.actor, self.loaded, self.result = tr, actor, loaded, result
        self.id = loaded.view.id
        self.editable = loaded.view.can_edit and loaded.view.doc.status in DECIDED
        self.saver: AutoSaver | None = None

    @property
    def doc(self) -> Any:
        return self.loaded.view.doc

    def label(self, scale: str, code: str | None) -> str:
        fw = self.loaded.framework
        if code is None:
            return DASH
        text = fw.scale_label(scale, code, self.tr.lang)
        return f"{fw.symbol(code)} {text}" if scale == "direction" else text

    async def reload(self) -> None:
        loaded = await run.io_bound(_comparison, self.actor, self.id)
        if loaded is None:
            return
        self.result, self.loaded.view.doc = loaded
        self.side_by_side.refresh()

    def build(self) -> None:
        tr, doc = self.tr, self.doc
        ui.link(tr("Back to the assessment"), f"/assessments/{self.id}")
        chosen = doc.alternative(self.result.alternative_key)
        if doc.status not in DECIDED or chosen is None:
            ui.label(tr("The ex-post evaluation starts when the decision has been recorded."))
            return
        ui.label(tr("Alternative decided on: {name}", name=chosen.name)).classes(
            "text-subtitle1 text-weight-medium break-words"
        )
        if doc.decision_date:
            ui.label(tr("Decision date: {date}", date=tr.date(doc.decision_date)))
        if self.editable:
            self.saver = AutoSaver(tr, self.id, self.loaded.view.version, on_saved=self.reload)
        self.side_by_side()
        self._ratings()
        heading(tr("What actually happened"), 2)
        if self.loaded.indicators:
            self._indicators()
        for item in self.result.impacts:
            self._impact(item)
        self._summary()

    @ui.refreshable_method
    def side_by_side(self) -> None:
        tr, result = self.tr, self.result
        heading(tr("Assessed and realised side by side"), 2)
        verdict = tr(result.verdict_message, **result.verdict_params)
        ui.label(verdict).classes("text-body1 text-weight-medium").props('id="verdict"')
        if result.summary:
            ui.label(result.summary).classes("whitespace-pre-wrap break-words")
        fw = self.loaded.framework
        rows = []
        for n, item in enumerate(result.impacts):
            area = fw.area(item.area)
            rows.append(
                {
                    "n": n,
                    "area": area.name.get(tr.lang) if area else item.area,
                    "assessed": self._pair(item.assessed_direction, item.assessed_size),
                    "realised": self._pair(item.realised_direction, item.realised_size),
                    "verdict": tr(OUTCOME_LABELS[item.outcome]),
                    "reason": tr(item.reason),
                }
            )
        columns = [
            ("area", tr("Impact area")),
            ("assessed", tr("Assessed")),
            ("realised", tr("Realised")),
            ("verdict", tr("Verdict")),
            ("reason", tr("Why")),
        ]
        ui.table(
            rows=rows,
            columns=[{"name": k, "label": v, "field": k, "align": "left"} for k, v in columns],
            row_key="n",
        ).props("flat bordered wrap-cells hide-bottom").classes("w-full")

    def _ratings(self) -> None:
        """Each follow-up indicator and the whole rated: saavutettu … ei saavutettu."""
        tr, doc = self.tr, self.doc
        heading(tr("Were the targets achieved?"), 2)
        options = {code: tr(label) for code, label in RATING_LABELS.items()}
        rows = [(f"follow_up:{f.key}", f.name, f.ex_post_rating) for f in doc.follow_ups]
        rows.append(("overall", tr("The change as a whole"), doc.ex_post_rating))
        if not self.editable:
            for _, name, rating in rows:
                read_text(name, tr(RATING_LABELS[rating]) if rating else DASH)
            return
        widgets = {
            key: ui.select(options, value=rating, label=name, clearable=True)
            .classes("w-96")
            .props(f'data-rating="{key}"')
            for key, name, rating in rows
        }

        def work(values: dict[str, Any]) -> Any:
            follow_ups = {k.split(":", 1)[1]: v for k, v in values.items() if k != "overall"}
            return saved_with(
                svc.set_ex_post_ratings,
                self.id,
                follow_ups=follow_ups,
                overall=values["overall"],
            )

        autosave_together(
            self.saver, "ex_post_ratings", widgets, work, (tr("Overall rating"), "overall")
        )

    def _pair(self, direction: str | None, size: str | None) -> str:
        if direction is None:
            return DASH
        text = self.label("direction", direction)
        return f"{text}, {self.label('size', size).lower()}" if size else text

    def _indicators(self) -> None:
        tr = self.tr
        heading(tr("Indicators of the project (latest actual values)"), 3)
        rows = [
            {"n": n, "name": i.name, "latest": i.latest or DASH}
            for n, i in enumerate(self.loaded.indicators)
        ]
        ui.table(
            rows=rows,
            columns=[
                {"name": "name", "label": tr("Indicator"), "field": "name", "align": "left"},
                {
                    "name": "latest",
                    "label": tr("Latest actual value (period)"),
                    "field": "latest",
                    "align": "left",
                },
            ],
            row_key="n",
        ).props("flat bordered dense wrap-cells hide-bottom").classes("w-full")

    def _impact(self, item: Any) -> None:
        tr, fw = self.tr, self.loaded.framework
        area = fw.area(item.area)
        name = area.name.get(tr.lang) if area else item.area
        with ui.card().props("flat bordered").classes("w-full gap-1"):
            heading(name, 3)
            ui.label(
                tr(
                    "Assessed: {value}",
                    value=self._pair(item.assessed_direction, item.assessed_size),
                )
            )
            if not self.editable:
                read_text(tr("Realised"), self._pair(item.realised_direction, item.realised_size))
                read_text(tr("Evidence"), item.evidence)
                read_text(tr("Indicator values"), item.indicator_values)
                read_text(tr("Note"), item.note)
                return
            directions = {v.code: f"{v.symbol} {v.label.get(tr.lang)}" for v in fw.scales.direction}
            sizes = {v.code: v.label.get(tr.lang) for v in fw.scales.size}
            direction = ui.select(
                directions,
                value=item.realised_direction,
                label=tr("Realised direction"),
                clearable=True,
            ).classes("w-72")
            size = ui.select(
                sizes, value=item.realised_size, label=tr("Realised size"), clearable=True
            ).classes("w-72")
            texts = text_areas(
                {
                    "evidence": tr("Evidence"),
                    "indicator_values": tr("Indicator values"),
                    "note": tr("Note"),
                },
                item,
            )

            autosave_together(
                self.saver,
                f"ex_post:{item.area}",
                {"direction": direction, "size": size, **texts},
                lambda entry: saved_with(svc.set_ex_post, self.id, item.area, entry),
                (name, "note"),
            )

    def _summary(self) -> None:
        tr, doc = self.tr, self.doc
        heading(tr("Summary of the ex-post evaluation"), 2)
        if not self.editable:
            read_text(tr("Summary"), doc.ex_post_summary)
            ui.label(
                tr(
                    "Date of the ex-post check: {date}",
                    date=tr.date(doc.ex_post_date) if doc.ex_post_date else DASH,
                )
            )
            return
        summary = ui.textarea(tr("Summary"), value=doc.ex_post_summary)
        summary.props("outlined autogrow").classes("w-full")
        shown = day_text(doc.ex_post_date) if doc.ex_post_date else today_text()
        day = date_input(tr("Date of the ex-post check"), tr, shown)

        async def complete() -> None:
            when = day_given(day.value, tr("Give the date of the ex-post check."))
            if when is None:
                return
            text = summary.value or ""
            work = saved_with(svc.complete_ex_post, self.id, summary=text, ex_post_date=when)
            assert self.saver is not None
            if await self.saver.save(work, text):
                ui.notify(tr("Marked as evaluated ex post."), type="positive", color="green-9")

        with ui.row():
            ui.button(tr("Mark as evaluated ex post"), icon="fact_check", on_click=complete)


def _load(actor: Actor, assessment_id: int, lang: str) -> tuple[Loaded, ExPostComparison] | None:
    loaded = load(actor, assessment_id, lang)
    if loaded is None:
        return None
    return loaded, _comparison(actor, assessment_id)[0]


@page(
    router,
    "/assessments/{assessment_id:int}/ex-post",
    title=N_("Ex-post evaluation"),
    load=_load,
    not_found=NOT_FOUND,
)
def ex_post_page(opened: Opened[tuple[Loaded, ExPostComparison]], assessment_id: int) -> None:
    loaded, result = opened.data
    assessment_title(loaded.doc)
    ExPost(opened.tr, opened.actor, loaded, result).build()
