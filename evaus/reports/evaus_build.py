"""The EVAUS decision report's context from an assessment document and its framework.

Pure functions, no database: the service loads the assessment, its framework and the linked
project's name. Direction, size and certainty are ordinal: impacts are *counted* per alternative
and shown side by side, never added up into a score.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from evaus.assessment import Framework, compare, compare_ex_post, relevant_areas
from evaus.assessment.checks import children_areas_assessed
from evaus.assessment.comparison import NEGATIVE, POSITIVE
from evaus.assessment.edits import RATING_LABELS
from evaus.assessment.expost import OUTCOME_LABELS
from project_db.assessment_schemas import (
    ZERO_ALTERNATIVE_NAME,
    AlternativeIn,
    AssessmentDoc,
    HearingIn,
    ImpactIn,
)
from project_db.errors import N_, Problem

from ..i18n import LANGUAGES, _, format_message, local_time, normalise_language
from ..labels import hearing_children_text, hearing_method_text
from .contexts import (
    AreaDecision,
    AssessmentInfo,
    BackgroundItem,
    CoverageInfo,
    EvausAlternativeRow,
    EvausContext,
    ExPostInfo,
    ExPostRow,
    FollowUpRow,
    HearingRow,
    HeatmapSpec,
    ImpactHighlight,
    KeyFigureBlock,
    MatrixRow,
    MitigationRow,
    ProjectRef,
    RatingRow,
    RiskRow,
    ScreeningInfo,
    VersionRow,
)
from .rows import _t

if TYPE_CHECKING:
    from .kinds.base import AssessmentVersion

STATUS_LABELS = {
    "luonnos": N_("draft"),
    "valmis": N_("finished"),
    "paatetty": N_("decided"),
    "jalkiarvioitu": N_("evaluated ex post"),
}
DECIDED_STATUSES = frozenset({"paatetty", "jalkiarvioitu"})
# A circle, not a dash: a dash would read as the minus of a negative impact.
NOT_ASSESSED_SYMBOL = "○"
ZERO_NAME = N_("Current state continues")  # the default name of the 0-alternative
SCREENING_NEEDED = N_("An impact assessment is needed")
SCREENING_NOT_NEEDED = N_("No impact assessment is needed")
SCREENING_OPEN = N_("The screening is not finished")
# The phases whose questions are the report's background (phase 0 is the screening, the
# decision summary of phase 7 is in the summary already).
BACKGROUND_PHASES = ("baseline", "goals", "alternatives", "assessment", "feasibility", "follow_up")
SUMMARY_QUESTIONS = frozenset({"decision_summary"})
STRENGTH = {"++": 0, "--": 0, "+": 1, "-": 1, "+-": 2}


def ordered_alternatives(doc: AssessmentDoc) -> list[AlternativeIn]:
    """The 0-alternative first, then the others in their own order."""
    return sorted(doc.alternatives, key=lambda a: not a.is_zero)


def alternative_name(alt: AlternativeIn, lang: str) -> str:
    """The alternative's name; the 0-alternative's default name (in any language, as it was
    given when the assessment was created) in the report's language."""
    if alt.is_zero and alt.name.strip() in _default_zero_names():
        return _(ZERO_NAME, lang)
    return alt.name


@cache
def _default_zero_names() -> frozenset[str]:
    return frozenset({ZERO_ALTERNATIVE_NAME} | {_(ZERO_NAME, lang) for lang in LANGUAGES})


def _named(doc: AssessmentDoc, key: str | None, lang: str) -> str | None:
    alt = doc.alternative(key)
    return alternative_name(alt, lang) if alt is not None else None


def undecided_areas(doc: AssessmentDoc, framework: Framework) -> list[str]:
    """The codes of the areas whose relevance is not decided yet, in the framework's order."""
    decided = {a.area for a in doc.areas if a.relevant is not None}
    return [code for code in framework.area_codes if code not in decided]


def _area_name(framework: Framework, code: str, lang: str) -> str:
    area = framework.area(code)
    return area.name.get(lang) if area else code


def _groups(framework: Framework, impact: ImpactIn, lang: str) -> str | None:
    names = {g.code: g.name.get(lang) for g in framework.population_groups}
    parts = [names.get(code, code) for code in impact.groups]
    if impact.falls_on.strip():
        parts.append(impact.falls_on.strip())
    unique = list(dict.fromkeys(p for p in parts if p))
    return "; ".join(unique) or None


def _assessed(impact: ImpactIn | None) -> bool:
    return impact is not None and impact.assessed and impact.direction is not None


def _highlights(
    doc: AssessmentDoc, framework: Framework, lang: str, areas: list[str], directions: set[str]
) -> list[ImpactHighlight]:
    found: list[tuple[tuple[int, int, int], ImpactHighlight]] = []
    for alt_index, alt in enumerate(ordered_alternatives(doc)):
        for area_index, code in enumerate(areas):
            impact = doc.impact(code, alt.key)
            if impact is None or not _assessed(impact) or impact.direction not in directions:
                continue
            direction = impact.direction
            found.append(
                (
                    (alt_index, STRENGTH.get(direction or "", 3), area_index),
                    ImpactHighlight(
                        alternative=alternative_name(alt, lang),
                        area=_area_name(framework, code, lang),
                        symbol=framework.symbol(direction),
                        direction=framework.scale_label("direction", direction, lang),
                        groups=_t(impact.falls_on) or _groups(framework, impact, lang),
                        certainty=framework.scale_label("certainty", impact.certainty, lang)
                        or None,
                        justification=_t(impact.justification),
                    ),
                )
            )
    return [item for _key, item in sorted(found, key=lambda pair: pair[0])]


def _matrix(
    doc: AssessmentDoc, framework: Framework, lang: str, areas: list[str]
) -> list[MatrixRow]:
    not_assessed = framework.not_assessed.label.get(lang)
    rows = []
    for code in areas:
        for alt in ordered_alternatives(doc):
            impact = doc.impact(code, alt.key)
            if impact is None or not _assessed(impact):
                reason = _t(impact.not_assessed_reason) if impact is not None else None
                rows.append(
                    MatrixRow(
                        area=_area_name(framework, code, lang),
                        alternative=alternative_name(alt, lang),
                        assessed=False,
                        symbol=NOT_ASSESSED_SYMBOL,
                        direction=not_assessed,
                        justification=reason,
                    )
                )
                continue
            rows.append(
                MatrixRow(
                    area=_area_name(framework, code, lang),
                    alternative=alternative_name(alt, lang),
                    symbol=framework.symbol(impact.direction),
                    direction=framework.scale_label("direction", impact.direction, lang),
                    size=framework.scale_label("size", impact.size, lang) or None,
                    time_span=framework.scale_label("time_span", impact.time_span, lang) or None,
                    certainty=framework.scale_label("certainty", impact.certainty, lang) or None,
                    groups=_groups(framework, impact, lang),
                    justification=_t(impact.justification),
                    evidence=_t(impact.evidence),
                )
            )
    return rows


def _heatmap(
    doc: AssessmentDoc, framework: Framework, lang: str, areas: list[str], undecided: list[str]
) -> HeatmapSpec | None:
    """The relevant areas, then those not decided yet (every cell of those: not assessed)."""
    alternatives = ordered_alternatives(doc)
    if not (areas or undecided) or not alternatives:
        return None
    codes: list[list[str | None]] = []
    symbols: list[list[str]] = []
    for code in areas + undecided:
        row_codes: list[str | None] = []
        row_symbols: list[str] = []
        for alt in alternatives:
            impact = doc.impact(code, alt.key) if code in areas else None
            direction = impact.direction if impact is not None and _assessed(impact) else None
            row_codes.append(direction)
            row_symbols.append(framework.symbol(direction) if direction else NOT_ASSESSED_SYMBOL)
        codes.append(row_codes)
        symbols.append(row_symbols)
    not_assessed = framework.not_assessed.label.get(lang)
    legend = [f"{v.symbol} {v.label.get(lang)}" for v in framework.scales.direction]
    legend.append(f"{NOT_ASSESSED_SYMBOL} {not_assessed}")
    undecided_note = _("relevance not decided", lang)
    names = [_area_name(framework, code, lang) for code in areas]
    names += [f"{_area_name(framework, code, lang)} ({undecided_note})" for code in undecided]
    return HeatmapSpec(
        title=_("Impacts by area and alternative", lang),
        areas=names,
        alternatives=[_zero_marked(a, lang) for a in alternatives],
        codes=codes,
        symbols=symbols,
        legend=legend,
        not_assessed_text=not_assessed,
        not_assessed_symbol=NOT_ASSESSED_SYMBOL,
        legend_title=_("Alternatives", lang),
    )


def _zero_marked(alt: AlternativeIn, lang: str) -> str:
    name = alternative_name(alt, lang)
    return f"{name} ({_('0-alternative', lang)})" if alt.is_zero else name


def _alternatives(
    doc: AssessmentDoc, framework: Framework, lang: str, undecided: int
) -> list[EvausAlternativeRow]:
    """Each alternative with its counts; an area not decided yet counts as not assessed."""
    summaries = {s.key: s for s in compare(doc, framework).alternatives}
    rows = []
    for alt in ordered_alternatives(doc):
        summary = summaries[alt.key]
        total = summary.total
        rows.append(
            EvausAlternativeRow(
                name=alternative_name(alt, lang),
                is_zero=alt.is_zero,
                recommended=summary.recommended,
                chosen=doc.chosen_key == alt.key,
                description=_t(alt.description),
                cost_per_year=alt.cost_per_year,
                staff_fte=alt.staff_fte,
                premises=_t(alt.premises),
                positive=total.positive,
                negative=total.negative,
                mixed=total.mixed,
                uncertain=total.uncertain,
                no_impact=total.no_impact,
                not_assessed=total.not_assessed + undecided,
                risks=summary.risks,
                high_risks=summary.high_risks,
            )
        )
    return rows


def _mitigations(
    doc: AssessmentDoc, framework: Framework, lang: str, areas: list[str]
) -> list[MitigationRow]:
    rows = []
    for alt in ordered_alternatives(doc):
        for code in areas:
            impact = doc.impact(code, alt.key)
            if impact is not None and impact.mitigation.strip():
                target = f"{_area_name(framework, code, lang)} – {alternative_name(alt, lang)}"
                rows.append(MitigationRow(target=target, text=impact.mitigation.strip()))
    for risk in doc.risks:
        if risk.mitigation.strip():
            target = risk.description.strip().rstrip(".")
            rows.append(MitigationRow(target=target, text=risk.mitigation.strip()))
    return rows


def _ex_post(doc: AssessmentDoc, framework: Framework, lang: str) -> ExPostInfo | None:
    followed = any(i.ex_post is not None for i in doc.impacts)
    rated = doc.ex_post_rating is not None or any(f.ex_post_rating for f in doc.follow_ups)
    if (
        doc.status != "jalkiarvioitu"
        and not followed
        and not rated
        and not doc.ex_post_summary.strip()
    ):
        return None
    result = compare_ex_post(doc, framework)
    rows = []
    for item in result.impacts:
        assessed = framework.symbol(item.assessed_direction)
        if item.assessed_size:
            assessed += " " + framework.scale_label("size", item.assessed_size, lang)
        realised = None
        if item.realised_direction:
            realised = framework.symbol(item.realised_direction)
            if item.realised_size:
                realised += " " + framework.scale_label("size", item.realised_size, lang)
        evidence = " ".join(
            x.strip() for x in (item.evidence, item.indicator_values, item.note) if x.strip()
        )
        rows.append(
            ExPostRow(
                area=_area_name(framework, item.area, lang),
                assessed=assessed,
                realised=realised,
                outcome=_(OUTCOME_LABELS[item.outcome], lang),
                reason=_(item.reason, lang),
                evidence=_t(evidence),
            )
        )
    return ExPostInfo(
        alternative=_named(doc, result.alternative_key, lang),
        verdict=format_message(result.verdict_message, lang, **result.verdict_params),
        summary=_t(result.summary),
        rows=rows,
        ratings=[
            RatingRow(name=f.name, rating=_(RATING_LABELS[f.ex_post_rating], lang))
            for f in doc.follow_ups
            if f.ex_post_rating
        ],
        rating=_(RATING_LABELS[doc.ex_post_rating], lang) if doc.ex_post_rating else None,
    )


def _coverage(
    doc: AssessmentDoc, framework: Framework, areas: list[str], undecided: list[str]
) -> CoverageInfo:
    missing = sum(
        1 for code in areas for alt in doc.alternatives if not _assessed(doc.impact(code, alt.key))
    )
    excluded = sum(1 for a in doc.areas if a.relevant is False and framework.area(a.area))
    return CoverageInfo(
        areas=len(framework.area_codes),
        relevant=len(areas),
        excluded=excluded,
        undecided=len(undecided),
        missing_impacts=missing,
        all_assessed=not undecided and missing == 0 and bool(doc.alternatives),
    )


def _background(doc: AssessmentDoc, framework: Framework, lang: str) -> list[BackgroundItem]:
    """The answers of the phases in the framework's order; an unanswered required question
    shows as "Ei tietoa", an unanswered optional one is left out."""
    items = []
    for key in BACKGROUND_PHASES:
        for question in framework.phase(key).questions:
            if question.key in SUMMARY_QUESTIONS:
                continue
            text = _t(doc.answers.get(question.key))
            if text is None and not question.required:
                continue
            items.append(BackgroundItem(heading=question.label.get(lang), text=text))
    return items


def _screening(doc: AssessmentDoc, framework: Framework, lang: str) -> ScreeningInfo:
    labels = {c.key: c.label.get(lang) for c in framework.screening_criteria}
    needed = doc.screening.needed
    if needed is None:
        result = SCREENING_OPEN
    else:
        result = SCREENING_NEEDED if needed else SCREENING_NOT_NEEDED
    return ScreeningInfo(
        result=_(result, lang),
        criteria=[labels.get(code, code) for code in doc.screening.criteria],
        reason=_t(doc.screening.reason),
        notes=_t(doc.answers.get("screening_notes")),
    )


def _status(status: str, lang: str) -> str:
    return _(STATUS_LABELS.get(status, status), lang)


def _versions(
    doc: AssessmentDoc, versions: Sequence[AssessmentVersion], lang: str
) -> tuple[list[VersionRow], VersionRow | None]:
    rows = [
        VersionRow(
            number=v.number,
            status=_status(v.status, lang),
            changed_on=v.changed_on,
            this=v.number == doc.version_number,
        )
        for v in sorted(versions, key=lambda v: v.number)
    ]
    newest = rows[-1] if rows else None
    return rows, newest if newest is not None and not newest.this else None


def build_evaus(
    doc: AssessmentDoc,
    framework: Framework,
    lang: str,
    today: date,
    *,
    project_name: str | None = None,
    project_short_name: str | None = None,
    versions: Sequence[AssessmentVersion] = (),
) -> EvausContext:
    """The report's context. ``versions``: every version of the assessment's series (the
    report says which one it is made from and whether a newer one exists)."""
    lang = normalise_language(lang)
    areas = relevant_areas(doc, framework)
    undecided = undecided_areas(doc, framework)
    version_rows, newer = _versions(doc, versions, lang)
    this_version = next((v for v in version_rows if v.this), None)
    return EvausContext(
        lang=lang,
        generated_on=today,
        project=ProjectRef(
            name=project_name or doc.title,
            short_name=_t(project_short_name),
            linked=project_name is not None,
        ),
        assessment=AssessmentInfo(
            title=doc.title,
            status=_status(doc.status, lang),
            framework=framework.name.get(lang),
            version_number=doc.version_number,
            preparers=_t(doc.preparers),
            organisation=_t(doc.organisation),
            decision=_t(doc.decision),
            decision_summary=_t(doc.answers.get("decision_summary")),
            decision_date=doc.decision_date,
            ex_post_date=doc.ex_post_date,
            approved_by=doc.approved_by or None,
            approved_on=local_time(doc.approved_at).date() if doc.approved_at else None,
            draft=doc.status == "luonnos",
            decided=doc.status in DECIDED_STATUSES,
            version_date=this_version.changed_on if this_version else None,
            versions=version_rows,
            newer_version=newer,
        ),
        alternatives=_alternatives(doc, framework, lang, len(undecided)),
        key_figures=[
            KeyFigureBlock(
                alternative=alternative_name(alt, lang),
                caption=_t(table.caption),
                columns=list(table.columns),
                rows=[list(row) for row in table.rows],
            )
            for alt in ordered_alternatives(doc)
            for table in alt.key_figures
            if table.rows
        ],
        positives=_highlights(doc, framework, lang, areas, set(POSITIVE)),
        negatives=_highlights(doc, framework, lang, areas, set(NEGATIVE) | {"+-"}),
        trade_offs=_t(doc.recommendation.trade_offs),
        uncertainties=_t(doc.recommendation.uncertainties),
        crossing_impacts=_t(doc.crossing_impacts),
        mitigations=_mitigations(doc, framework, lang, areas),
        recommendation=_named(doc, doc.recommendation.alternative_key, lang),
        reasoning=_t(doc.recommendation.reasoning),
        chosen=_named(doc, doc.chosen_key, lang),
        follow_ups=[
            FollowUpRow(
                name=f.name,
                baseline=_t(f.baseline),
                target=_t(f.target),
                source=_t(f.source),
                schedule=_t(f.schedule),
                responsible=_t(f.responsible),
            )
            for f in doc.follow_ups
        ],
        hearings=[_hearing(h, lang) for h in doc.hearings],
        children_unheard=_children_unheard(doc, framework, lang),
        risks=[
            RiskRow(
                alternative=_named(doc, r.alternative_key, lang),
                description=r.description,
                likelihood=framework.scale_label("risk_level", r.likelihood, lang) or None,
                consequence=framework.scale_label("risk_level", r.consequence, lang) or None,
                mitigation=_t(r.mitigation),
            )
            for r in doc.risks
        ],
        matrix=_matrix(doc, framework, lang, areas),
        excluded_areas=[
            AreaDecision(area=_area_name(framework, a.area, lang), reason=_t(a.reason))
            for a in doc.areas
            if a.relevant is False
        ],
        undecided_areas=[_area_name(framework, code, lang) for code in undecided],
        coverage=_coverage(doc, framework, areas, undecided),
        background=_background(doc, framework, lang),
        screening=_screening(doc, framework, lang),
        heatmap=_heatmap(doc, framework, lang, areas, undecided),
        ex_post=_ex_post(doc, framework, lang),
    )


def _hearing(h: HearingIn, lang: str) -> HearingRow:
    return HearingRow(
        group=h.group,
        method=hearing_method_text(h, lang) or None,
        held_on=h.held_on,
        participants=h.participants,
        children=hearing_children_text(h, lang),
        summary=_t(h.summary),
        outcome=_t(h.outcome),
    )


def _children_unheard(doc: AssessmentDoc, framework: Framework, lang: str) -> list[str]:
    if any(h.children_heard for h in doc.hearings):
        return []
    return [_area_name(framework, code, lang) for code in children_areas_assessed(doc, framework)]


def evaus_missing(
    doc: AssessmentDoc | None, framework: Framework | None, lang: str
) -> list[Problem]:
    """What the EVAUS report would show as "Ei tietoa", as warnings (message ids)."""
    out: list[Problem] = []

    def add(field: str, message: str, **params: Any) -> None:
        out.append(Problem(field=field, message=message, params=params))

    if doc is None or framework is None:
        add("assessment", N_("The project has no impact assessment"))
        return out
    if not doc.decision.strip():
        add("decision", N_("The decision to be made is not described"))
    for alt in ordered_alternatives(doc):
        if alt.cost_per_year is None and not alt.is_zero:
            add(
                "alternatives",
                N_("Alternative {alternative}: the cost per year is missing"),
                alternative=alternative_name(alt, lang),
            )
    for code in undecided_areas(doc, framework):
        add(
            "areas",
            N_("Impact area {area}: whether it is relevant is not decided"),
            area=_area_name(framework, code, lang),
        )
    for code in relevant_areas(doc, framework):
        for alt in ordered_alternatives(doc):
            impact = doc.impact(code, alt.key)
            if impact is None or (impact.assessed and impact.direction is None):
                area = _area_name(framework, code, lang)
                add(
                    "impacts",
                    N_("Impact area {area}: {alternative} is not assessed"),
                    area=area,
                    alternative=alternative_name(alt, lang),
                )
    if doc.recommendation.alternative_key is None:
        add("recommendation", N_("No alternative is recommended"))
    if not doc.recommendation.reasoning.strip():
        add("recommendation", N_("The reasoning of the recommendation is missing"))
    if not doc.recommendation.trade_offs.strip():
        add("recommendation", N_("The trade-offs are not described"))
    if not doc.recommendation.uncertainties.strip():
        add("recommendation", N_("The uncertainties are not described"))
    if not doc.hearings:
        add("hearings", N_("Nobody heard is recorded"))
    elif unheard := _children_unheard(doc, framework, lang):
        add(
            "hearings",
            N_(
                "Children or young people were not heard, though the assessment concerns "
                "them: {areas}"
            ),
            areas=", ".join(unheard),
        )
    if not doc.follow_ups:
        add("follow_ups", N_("No follow-up indicators"))
    return out
