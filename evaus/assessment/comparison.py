"""The comparison of alternatives (phase 7) as decision-makers read it.

Direction, size and certainty are ordinal: an impact is *counted* (positive, negative, both,
uncertain …) per impact area and alternative, and these counts are shown side by side.
They are never added up into a score: "++" is not twice "+", and a "+" does not cancel a "−".
No field of these models is such a sum.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from project_db.assessment_schemas import AssessmentDoc, ImpactIn

from .checks import is_high_risk, relevant_areas
from .framework import Framework

POSITIVE = frozenset({"++", "+"})
NEGATIVE = frozenset({"-", "--"})
UNCERTAIN_CERTAINTY = frozenset({"epatodennakoinen", "mahdollinen"})


class DirectionCounts(BaseModel):
    """How many impacts point which way. Counts of impacts, not points on a scale."""

    positive: int = 0  # + and ++
    clearly_positive: int = 0  # of which ++
    negative: int = 0  # − and −−
    clearly_negative: int = 0  # of which −−
    no_impact: int = 0  # 0
    mixed: int = 0  # ±
    uncertain: int = 0  # ?
    not_assessed: int = 0  # "ei arvioitu" or still empty

    def add(self, impact: ImpactIn | None) -> None:
        direction = impact.direction if impact is not None and impact.assessed else None
        if direction is None:
            self.not_assessed += 1
        elif direction in POSITIVE:
            self.positive += 1
            self.clearly_positive += direction == "++"
        elif direction in NEGATIVE:
            self.negative += 1
            self.clearly_negative += direction == "--"
        elif direction == "0":
            self.no_impact += 1
        elif direction == "+-":
            self.mixed += 1
        else:
            self.uncertain += 1


class AlternativeSummary(BaseModel):
    key: str
    name: str
    is_zero: bool
    recommended: bool
    by_area: dict[str, DirectionCounts]
    total: DirectionCounts  # counts over all relevant areas, side by side — not a score
    cost_per_year: Decimal | None
    staff_fte: Decimal | None
    premises: str
    risks: int
    high_risks: int
    uncertainties: int  # impacts with certainty epätodennäköinen/mahdollinen or direction ?


class Comparison(BaseModel):
    areas: list[str]  # the relevant impact areas, in the framework's order
    alternatives: list[AlternativeSummary]
    general_risks: int  # risks not tied to one alternative


def _is_uncertain(impact: ImpactIn | None) -> bool:
    if impact is None or not impact.assessed:
        return False
    return impact.direction == "?" or impact.certainty in UNCERTAIN_CERTAINTY


def compare(doc: AssessmentDoc, framework: Framework) -> Comparison:
    areas = relevant_areas(doc, framework)
    summaries = []
    for alt in doc.alternatives:
        by_area: dict[str, DirectionCounts] = {}
        total = DirectionCounts()
        uncertainties = 0
        for area in areas:
            impact = doc.impact(area, alt.key)
            by_area.setdefault(area, DirectionCounts()).add(impact)
            total.add(impact)
            uncertainties += _is_uncertain(impact)
        risks = [r for r in doc.risks if r.alternative_key == alt.key]
        summaries.append(
            AlternativeSummary(
                key=alt.key,
                name=alt.name,
                is_zero=alt.is_zero,
                recommended=doc.recommendation.alternative_key == alt.key,
                by_area=by_area,
                total=total,
                cost_per_year=alt.cost_per_year,
                staff_fte=alt.staff_fte,
                premises=alt.premises,
                risks=len(risks),
                high_risks=sum(1 for r in risks if is_high_risk(r.likelihood, r.consequence)),
                uncertainties=uncertainties,
            )
        )
    general = sum(1 for r in doc.risks if r.alternative_key is None)
    return Comparison(areas=areas, alternatives=summaries, general_risks=general)
