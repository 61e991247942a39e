"""Completeness: what is still missing (warnings while drafting, blocking problems for "valmis")
and the progress of each phase. Pure functions of the document and its framework."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from project_db.assessment_schemas import AssessmentDoc
from project_db.errors import N_

from .framework import PHASE_KEYS, Framework

Severity = Literal["blocking", "warning"]

PHASE = {key: number for number, key in enumerate(PHASE_KEYS)}


@dataclass(frozen=True)
class Issue:
    """One thing missing or wrong, with where it is: phase, impact area, alternative, question."""

    code: str  # stable: "area_not_assessed", "no_alternative" …
    severity: Severity
    message: str  # a message id (N_), translated where it is shown
    phase: int
    params: dict[str, Any] = field(default_factory=dict)
    area: str | None = None
    alternative: str | None = None  # the alternative's key
    question: str | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == "blocking"


def _issue(code: str, severity: Severity, message: str, phase: str, **where: Any) -> Issue:
    params = where.pop("params", {})
    return Issue(code, severity, message, PHASE[phase], params, **where)


def check(doc: AssessmentDoc, framework: Framework, lang: str = "fi") -> list[Issue]:
    """Every issue, blocking ones first within each phase, in the order of the phases.

    Names in the parameters (questions, impact areas) are in ``lang``.
    """
    issues = _screening(doc)
    if doc.screening.needed is not False:
        issues += _questions(doc, framework, lang)
        issues += _alternatives(doc)
        issues += _hearings(doc, framework, lang)
        issues += _relevance(doc, framework, lang)
        issues += _impacts(doc, framework, lang)
        issues += _risks(doc)
        issues += _recommendation(doc)
        issues += _follow_up(doc)
    issues += _unknown_codes(doc, framework)
    return sorted(issues, key=lambda i: (i.phase, not i.blocking))


def blocking(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.blocking]


def _screening(doc: AssessmentDoc) -> list[Issue]:
    if doc.screening.needed is None:
        return [
            _issue(
                "screening_undecided",
                "blocking",
                N_("Decide in the screening whether an assessment is needed."),
                "screening",
            )
        ]
    if doc.screening.needed is False and not doc.screening.reason.strip():
        return [
            _issue(
                "screening_reason",
                "blocking",
                N_("The assessment was skipped in the screening: record the reason."),
                "screening",
            )
        ]
    return []


def _questions(doc: AssessmentDoc, framework: Framework, lang: str) -> list[Issue]:
    return [
        _issue(
            "question_unanswered",
            "warning",
            N_("Question not answered yet: {question}"),
            phase.key,
            question=q.key,
            params={"question": q.label.get(lang)},
        )
        for phase in framework.phases
        for q in phase.questions
        if q.required and not doc.answers.get(q.key, "").strip()
    ]


def _alternatives(doc: AssessmentDoc) -> list[Issue]:
    issues = []
    if len(doc.alternatives) < 2:
        issues.append(
            _issue(
                "no_alternative",
                "blocking",
                N_("Add at least one alternative besides the 0-alternative."),
                "alternatives",
            )
        )
    for alt in doc.alternatives:
        if not alt.description.strip():
            issues.append(
                _issue(
                    "alternative_description",
                    "warning",
                    N_("Alternative {name} has no description."),
                    "alternatives",
                    alternative=alt.key,
                    params={"name": alt.name},
                )
            )
        if not alt.is_zero and alt.cost_per_year is None:
            issues.append(
                _issue(
                    "alternative_cost",
                    "warning",
                    N_("Alternative {name} has no cost estimate (€/year)."),
                    "alternatives",
                    alternative=alt.key,
                    params={"name": alt.name},
                )
            )
    return issues


def _hearings(doc: AssessmentDoc, framework: Framework, lang: str) -> list[Issue]:
    """Kuuleminen: somebody heard at all; children or young people heard when the assessment
    concerns them (LAVA)."""
    if not doc.hearings:
        return [
            _issue(
                "no_hearing",
                "warning",
                N_("Record who was heard and how (clients, staff, partners)."),
                "goals",
            )
        ]
    if any(h.children_heard for h in doc.hearings):
        return []
    areas = children_areas_assessed(doc, framework)
    if not areas:
        return []
    names = [_area_name(framework, code, lang) for code in areas]
    return [
        _issue(
            "children_not_heard",
            "warning",
            N_(
                "The assessment concerns children or young people ({areas}), but no hearing "
                "records that children or young people were heard: record how they were heard."
            ),
            "goals",
            params={"areas": ", ".join(names)},
        )
    ]


# What marks an impact area or a population group as concerning children and young people:
# the words of its code (children_families, child_welfare, young_people), "LAVA" in its name,
# or a LAVA framework (lapsivaikutusten arviointi), whose every impact on people does.
_CHILD_WORDS = ("child", "lapsi", "lapse", "lasten", "young", "youth", "nuor", "barn", "lava")
_CODE_PARTS = re.compile(r"[_.+\-]+")
_LAVA = re.compile(r"\bLAVA\b")


def _names_children(code: str) -> bool:
    return any(part.startswith(_CHILD_WORDS) for part in _CODE_PARTS.split(code.casefold()))


def _lava_framework(framework: Framework) -> bool:
    return _names_children(framework.id)


def area_concerns_children(framework: Framework, code: str) -> bool:
    """Does the impact area concern children and young people (LAVA)?"""
    area = framework.area(code)
    if area is None:
        return False
    if area.on_people and _lava_framework(framework):
        return True
    return _names_children(code) or _LAVA.search(area.name.fi) is not None


def group_concerns_children(framework: Framework, code: str) -> bool:
    """Does the population group concern children and young people (LAVA)?"""
    return _lava_framework(framework) or _names_children(code)


def children_areas_assessed(doc: AssessmentDoc, framework: Framework) -> list[str]:
    """The impact areas in which the assessment takes up children, in the framework's order:
    an area concerning children marked relevant, and an area with an assessed impact that
    concerns children (by its area or a population group it falls on)."""
    relevant = set(relevant_areas(doc, framework))
    found = {code for code in relevant if area_concerns_children(framework, code)}
    for impact in doc.impacts:
        if not impact.assessed or impact.direction is None:
            continue
        if area_concerns_children(framework, impact.area) or any(
            group_concerns_children(framework, g) for g in impact.groups
        ):
            found.add(impact.area)
    return [code for code in framework.area_codes if code in found]


def _area_name(framework: Framework, code: str, lang: str) -> str:
    area = framework.area(code)
    return area.name.get(lang) if area else code


def _relevance(doc: AssessmentDoc, framework: Framework, lang: str) -> list[Issue]:
    areas = {a.area: a for a in doc.areas}
    issues = []
    for area in framework.impact_areas:
        marked = areas.get(area.code)
        params = {"area": area.name.get(lang)}
        if marked is None or marked.relevant is None:
            issues.append(
                _issue(
                    "area_undecided",
                    "blocking",
                    N_("Mark impact area {area} relevant or not relevant."),
                    "identification",
                    area=area.code,
                    params=params,
                )
            )
        elif not marked.reason.strip() and not marked.relevant:
            issues.append(
                _issue(
                    "area_reason",
                    "blocking",
                    N_("Impact area {area} is marked not relevant without a reason."),
                    "identification",
                    area=area.code,
                    params=params,
                )
            )
        elif not marked.reason.strip():
            issues.append(
                _issue(
                    "area_reason",
                    "warning",
                    N_("Give a one-line reason why impact area {area} is relevant."),
                    "identification",
                    area=area.code,
                    params=params,
                )
            )
    if any(a.relevant for a in doc.areas) and not doc.crossing_impacts.strip():
        issues.append(
            _issue(
                "crossing_impacts",
                "warning",
                N_("Consider crossing and cumulative impacts across the impact areas."),
                "identification",
            )
        )
    return issues


def relevant_areas(doc: AssessmentDoc, framework: Framework) -> list[str]:
    """The codes of the areas marked relevant, in the framework's order."""
    marked = {a.area for a in doc.areas if a.relevant}
    return [code for code in framework.area_codes if code in marked]


def _impacts(doc: AssessmentDoc, framework: Framework, lang: str) -> list[Issue]:
    issues = []
    for code in relevant_areas(doc, framework):
        area = framework.area(code)
        assert area is not None
        for alt in doc.alternatives:
            where: dict[str, Any] = {
                "area": code,
                "alternative": alt.key,
                "params": {"area": area.name.get(lang), "alternative": alt.name},
            }
            impact = doc.impact(code, alt.key)
            if impact is None or (impact.assessed and impact.direction is None):
                issues.append(
                    _issue(
                        "impact_missing",
                        "blocking",
                        N_("Impact area {area} is not assessed for alternative {alternative}."),
                        "assessment",
                        **where,
                    )
                )
            elif not impact.assessed and not impact.not_assessed_reason.strip():
                issues.append(
                    _issue(
                        "not_assessed_reason",
                        "blocking",
                        N_(
                            "Impact area {area} is marked not assessed for alternative "
                            "{alternative} without a reason."
                        ),
                        "assessment",
                        **where,
                    )
                )
            elif impact.assessed:
                issues += _impact_details(impact, where)
    return issues


def _impact_details(impact: Any, where: dict[str, Any]) -> list[Issue]:
    issues = []
    if impact.direction != "0" and None in (impact.size, impact.time_span, impact.certainty):
        issues.append(
            _issue(
                "impact_scales",
                "warning",
                N_("Give the size, time span and certainty of {area} in {alternative}."),
                "assessment",
                **where,
            )
        )
    if impact.direction != "0" and not impact.justification.strip():
        issues.append(
            _issue(
                "impact_justification",
                "warning",
                N_("Justify the impact on {area} in {alternative}."),
                "assessment",
                **where,
            )
        )
    return issues


def _risks(doc: AssessmentDoc) -> list[Issue]:
    return [
        _issue(
            "risk_mitigation",
            "warning",
            N_("A high risk has no mitigation: {risk}"),
            "feasibility",
            alternative=r.alternative_key,
            params={"risk": r.description[:80]},
        )
        for r in doc.risks
        if is_high_risk(r.likelihood, r.consequence) and not r.mitigation.strip()
    ]


def is_high_risk(likelihood: str | None, consequence: str | None) -> bool:
    """High: one of the two is "suuri" and the other at least "kohtalainen" (a risk matrix)."""
    pair = {likelihood, consequence}
    return "suuri" in pair and pair <= {"suuri", "kohtalainen"}


def _recommendation(doc: AssessmentDoc) -> list[Issue]:
    rec = doc.recommendation
    if rec.alternative_key is None:
        return [
            _issue(
                "no_recommendation",
                "blocking",
                N_("Choose the recommended alternative."),
                "comparison",
            )
        ]
    issues = []
    if not rec.reasoning.strip():
        issues.append(
            _issue(
                "recommendation_reasoning",
                "blocking",
                N_("Give the reasons for the recommendation."),
                "comparison",
                alternative=rec.alternative_key,
            )
        )
    if not rec.trade_offs.strip() or not rec.uncertainties.strip():
        issues.append(
            _issue(
                "trade_offs",
                "warning",
                N_("Record the trade-offs and the uncertainties of the comparison."),
                "comparison",
            )
        )
    return issues


def _follow_up(doc: AssessmentDoc) -> list[Issue]:
    issues = []
    if not doc.follow_ups:
        issues.append(
            _issue(
                "no_follow_up",
                "warning",
                N_("Add at least one follow-up indicator."),
                "follow_up",
            )
        )
    if doc.ex_post_date is None:
        issues.append(
            _issue(
                "no_ex_post_date",
                "warning",
                N_("Set the date of the ex-post check."),
                "follow_up",
            )
        )
    return issues


def _unknown_codes(doc: AssessmentDoc, framework: Framework) -> list[Issue]:
    """Codes the framework does not know (an edited file, a hand-made import)."""
    issues = []
    areas = set(framework.area_codes)
    groups = framework.group_codes
    for code in sorted({a.area for a in doc.areas} | {i.area for i in doc.impacts}):
        if code not in areas:
            issues.append(
                _issue(
                    "unknown_area",
                    "blocking",
                    N_("The framework has no impact area {code}."),
                    "identification",
                    area=code,
                    params={"code": code},
                )
            )
    for code in sorted({g for i in doc.impacts for g in i.groups} - groups):
        issues.append(
            _issue(
                "unknown_group",
                "blocking",
                N_("The framework has no population group {code}."),
                "assessment",
                params={"code": code},
            )
        )
    return issues


# --- progress -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseProgress:
    number: int
    key: str
    answered: int
    required: int

    @property
    def done(self) -> bool:
        return self.answered >= self.required


def progress(doc: AssessmentDoc, framework: Framework) -> list[PhaseProgress]:
    """Per phase: how many of the required items are done (questions, decisions, cells)."""
    result = []
    for phase in framework.phases:
        required_questions = [q.key for q in phase.questions if q.required]
        answered = sum(1 for k in required_questions if doc.answers.get(k, "").strip())
        extra_done, extra_required = _phase_items(doc, framework, phase.key)
        result.append(
            PhaseProgress(
                phase.number,
                phase.key,
                answered + extra_done,
                len(required_questions) + extra_required,
            )
        )
    return result


def _phase_items(doc: AssessmentDoc, framework: Framework, key: str) -> tuple[int, int]:
    """(done, required) for what a phase needs besides its questions."""
    if key == "screening":
        screened = doc.screening.needed is True or (
            doc.screening.needed is False and bool(doc.screening.reason.strip())
        )
        return int(screened), 1
    if key == "goals":
        return min(len(doc.hearings), 1), 1
    if key == "alternatives":
        described = sum(1 for a in doc.alternatives if a.description.strip())
        return min(described, 2), 2
    if key == "identification":
        decided = {a.area for a in doc.areas if a.relevant is not None}
        return sum(1 for c in framework.area_codes if c in decided), len(framework.area_codes)
    if key == "assessment":
        cells = [(c, a.key) for c in relevant_areas(doc, framework) for a in doc.alternatives]
        done = 0
        for area, alt in cells:
            impact = doc.impact(area, alt)
            if impact and (
                (impact.assessed and impact.direction is not None)
                or (not impact.assessed and impact.not_assessed_reason.strip())
            ):
                done += 1
        return done, len(cells)
    if key == "feasibility":
        return min(len(doc.risks), 1), 1
    if key == "comparison":
        rec = doc.recommendation
        return int(rec.alternative_key is not None) + int(bool(rec.reasoning.strip())), 2
    if key == "follow_up":
        return min(len(doc.follow_ups), 1), 1
    return 0, 0
