"""The ex-post loop: for the chosen alternative, what was assessed beside what happened.

Each assessed impact is judged *held*, *partly held*, *missed* or *not followed up*, with a
short reason (a message id); the overall verdict sums up the judgements in words.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from project_db.assessment_schemas import AssessmentDoc, ImpactIn
from project_db.errors import N_

from .checks import relevant_areas
from .comparison import NEGATIVE, POSITIVE
from .framework import Framework

Outcome = Literal["held", "partly", "missed", "not_followed"]
Verdict = Literal["matched", "largely_matched", "differed", "not_followed", "no_chosen"]

OUTCOME_LABELS = {
    "held": N_("held"),
    "partly": N_("partly held"),
    "missed": N_("missed"),
    "not_followed": N_("not followed up"),
}

VERDICT_MESSAGES = {
    "matched": N_("The outcome matched the assessment in all {count} followed-up impacts."),
    "largely_matched": N_(
        "The outcome largely matched the assessment: {held} held, {partly} partly held."
    ),
    "differed": N_("The outcome differed from the assessment in {missed} of {count} impacts."),
    "not_followed": N_("The impacts have not been followed up yet."),
    "no_chosen": N_("No alternative has been decided on yet."),
}


class ImpactOutcome(BaseModel):
    area: str
    assessed_direction: str | None
    assessed_size: str | None
    realised_direction: str | None
    realised_size: str | None
    outcome: Outcome
    reason: str  # a message id
    evidence: str
    indicator_values: str
    note: str


class ExPostComparison(BaseModel):
    alternative_key: str | None
    impacts: list[ImpactOutcome]
    counts: dict[str, int]
    verdict: Verdict
    verdict_message: str  # a message id with the counts as parameters
    verdict_params: dict[str, int]
    summary: str  # the team's own overall text


def _polarity(direction: str) -> str:
    if direction in POSITIVE:
        return "positive"
    if direction in NEGATIVE:
        return "negative"
    return {"0": "none", "+-": "mixed"}.get(direction, "uncertain")


def judge(
    assessed: str, assessed_size: str | None, realised: str | None, realised_size: str | None
) -> tuple[Outcome, str]:
    """Compare one assessed impact with what happened: the outcome and its reason."""
    if realised is None:
        return "not_followed", N_("No realised direction recorded.")
    before, after = _polarity(assessed), _polarity(realised)
    if "uncertain" in (before, after):
        return "partly", N_("The assessment or the follow-up was uncertain.")
    if before == after:
        if assessed == realised and (
            assessed_size is None or realised_size is None or assessed_size == realised_size
        ):
            return "held", N_("Direction and size as assessed.")
        if assessed == realised:
            return "partly", N_("Direction as assessed, size differed.")
        return "partly", N_("Same direction, different strength.")
    if "mixed" in (before, after):
        return "partly", N_("Partly as assessed: the impact was both positive and negative.")
    return "missed", N_("The impact went another way than assessed.")


def _outcome(impact: ImpactIn) -> ImpactOutcome:
    assert impact.direction is not None
    ex_post = impact.ex_post
    realised = ex_post.direction if ex_post else None
    realised_size = ex_post.size if ex_post else None
    outcome, reason = judge(impact.direction, impact.size, realised, realised_size)
    return ImpactOutcome(
        area=impact.area,
        assessed_direction=impact.direction,
        assessed_size=impact.size,
        realised_direction=realised,
        realised_size=realised_size,
        outcome=outcome,
        reason=reason,
        evidence=ex_post.evidence if ex_post else "",
        indicator_values=ex_post.indicator_values if ex_post else "",
        note=ex_post.note if ex_post else "",
    )


def compare_ex_post(doc: AssessmentDoc, framework: Framework) -> ExPostComparison:
    """Assessed vs realised for every assessed impact of the chosen alternative."""
    chosen = doc.chosen_key or (
        doc.recommendation.alternative_key if doc.status in ("paatetty", "jalkiarvioitu") else None
    )
    counts = dict.fromkeys(OUTCOME_LABELS, 0)
    if chosen is None:
        return ExPostComparison(
            alternative_key=None,
            impacts=[],
            counts=counts,
            verdict="no_chosen",
            verdict_message=VERDICT_MESSAGES["no_chosen"],
            verdict_params={},
            summary=doc.ex_post_summary,
        )
    impacts = []
    for area in relevant_areas(doc, framework):
        impact = doc.impact(area, chosen)
        if impact is not None and impact.assessed and impact.direction is not None:
            impacts.append(_outcome(impact))
    for item in impacts:
        counts[item.outcome] += 1
    verdict, params = _verdict(counts)
    return ExPostComparison(
        alternative_key=chosen,
        impacts=impacts,
        counts=counts,
        verdict=verdict,
        verdict_message=VERDICT_MESSAGES[verdict],
        verdict_params=params,
        summary=doc.ex_post_summary,
    )


def _verdict(counts: dict[str, int]) -> tuple[Verdict, dict[str, int]]:
    followed = counts["held"] + counts["partly"] + counts["missed"]
    if followed == 0:
        return "not_followed", {}
    if counts["missed"]:
        return "differed", {"missed": counts["missed"], "count": followed}
    if counts["partly"]:
        return "largely_matched", {"held": counts["held"], "partly": counts["partly"]}
    return "matched", {"count": followed}
