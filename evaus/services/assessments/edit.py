"""The wizard's autosave: one typed edit (``evaus.assessment.edits``) per save.

``edit`` loads the assessment once, checks the rights, the optimistic lock and the status,
applies the edit to the document, validates it, writes only what changed (child collections
that did not change are not touched), commits and returns the new state: the document, the
lock version and, computed from that same document with the framework looked up once, the
progress, the checks and the comparison the pages redraw.

The functions below ``edit`` are the older names of the same edits (used by the pages, the
API, the CLI and the tests): each builds its typed edit and returns the new lock version.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any, Literal

from sqlalchemy.orm import Session

from evaus.assessment import (
    Comparison,
    ExPostComparison,
    Framework,
    Issue,
    PhaseProgress,
    check,
    compare,
    compare_ex_post,
    progress,
)
from evaus.assessment.edits import (
    PART_MODELS,
    AssessmentFrozen,
    CompleteExPost,
    DeleteAlternative,
    DeletePart,
    Edit,
    Finish,
    MarkDecided,
    Section,
    SetAnswer,
    SetAreaRelevance,
    SetCrossingImpacts,
    SetExPost,
    SetExPostRatings,
    SetImpact,
    SetRecommendation,
    SetScreening,
    UpdateFields,
    UpsertAlternative,
    UpsertPart,
)
from evaus.workshop.hooks import assessment_saved
from project_db.assessment_queries import indicator_in_project
from project_db.assessment_schemas import (
    AlternativeIn,
    AssessmentDoc,
    ExPostIn,
    FollowUpIn,
    HearingIn,
    ImpactFields,
    RecommendationIn,
    RiskIn,
    ScreeningIn,
)
from project_db.assessment_store import apply_assessment_changes, load_assessment_doc
from project_db.audit import set_actor
from project_db.errors import N_, ValidationFailed

from ..access import Actor
from .common import (
    as_model,
    check_codes,
    ensure_version,
    get_framework,
    refuse,
    require_edit,
    validated,
)


@dataclass
class Edited:
    """The assessment after a save: what the page redraws from (``read`` answers the checks,
    progress and comparisons of a stored one with it too). The derived parts are computed on
    first use, from this document and framework (no further queries)."""

    id: int
    version: int
    doc: AssessmentDoc
    framework: Framework
    lang: str = "fi"
    changed: list[str] = field(default_factory=list)  # the child collections written

    @cached_property
    def progress(self) -> list[PhaseProgress]:
        return progress(self.doc, self.framework)

    @cached_property
    def issues(self) -> list[Issue]:
        return check(self.doc, self.framework, self.lang)

    @cached_property
    def comparison(self) -> Comparison:
        return compare(self.doc, self.framework)

    @cached_property
    def ex_post_comparison(self) -> ExPostComparison:
        return compare_ex_post(self.doc, self.framework)


def edit(
    session: Session,
    assessment_id: int,
    change: Edit,
    *,
    expected_version: int | None,
    actor: Actor,
    lang: str = "fi",
) -> Edited:
    """Apply one edit: rights, lock and status checked first; nothing is written when the
    edit changes nothing (the version stays). After the commit the post-commit callbacks are
    told (``evaus.workshop.hooks``: the live workshop publishes the save)."""
    assessment, old = load_assessment_doc(session, assessment_id)
    require_edit(session, actor, assessment)
    ensure_version(session, assessment, expected_version)
    if assessment.status not in change.statuses:
        raise AssessmentFrozen(assessment.status)
    framework = get_framework(session, assessment.framework_id, assessment.framework_version)
    if isinstance(change, Finish) and change.framework is None:
        change = replace(change, framework=framework, lang=lang)
    new = validated(change.apply(old))
    problems = check_codes(new, framework)
    if problems:
        raise ValidationFailed(problems)
    _check_references(session, assessment.project_id, change)
    set_actor(session, actor.username)
    try:
        changed = apply_assessment_changes(session, assessment, old, new)
        version = assessment.version
        session.commit()
    except BaseException:
        session.rollback()
        raise
    assessment_saved(assessment.id, version, actor.username, old, new)  # the live workshop
    return Edited(assessment.id, version, new, framework, lang, changed)


def _check_references(session: Session, project_id: int | None, change: Edit) -> None:
    """A follow-up's indicator must be an indicator of the linked project."""
    if isinstance(change, UpsertPart) and isinstance(change.item, FollowUpIn):
        key = change.item.indicator_key
        if key is not None and not indicator_in_project(session, project_id, key):
            raise refuse(
                "follow_up.indicator_key",
                N_("refers to an indicator that is not in the linked project"),
            )


def _version(
    session: Session,
    assessment_id: int,
    change: Edit,
    expected_version: int | None,
    actor: Actor,
) -> int:
    return edit(
        session, assessment_id, change, expected_version=expected_version, actor=actor
    ).version


# --- the older names ------------------------------------------------------------------------


def update_assessment(
    session: Session,
    assessment_id: int,
    fields: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Change some of the own fields: title, decision, preparers, organisation, dates."""
    change = UpdateFields(fields)
    return _version(session, assessment_id, change, expected_version, actor)


def set_answer(
    session: Session,
    assessment_id: int,
    question_key: str,
    text: str,
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Autosave one answer; an empty text removes it."""
    change = SetAnswer(question_key, text)
    return _version(session, assessment_id, change, expected_version, actor)


def set_screening(
    session: Session,
    assessment_id: int,
    *,
    needed: bool | None,
    criteria: list[str] | None = None,
    reason: str = "",
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Phase 0: needed / not needed (then the reason is recorded) / undecided (None)."""
    screening = ScreeningIn.model_construct(needed=needed, criteria=criteria or [], reason=reason)
    return _version(session, assessment_id, SetScreening(screening), expected_version, actor)


def upsert_alternative(
    session: Session,
    assessment_id: int,
    alternative: AlternativeIn | dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Add an alternative or change the one with the same key. Build ``AlternativeIn`` first to
    know a new alternative's key. The 0-alternative stays the 0-alternative."""
    alt: AlternativeIn = as_model(AlternativeIn, alternative, "alternative")
    return _version(session, assessment_id, UpsertAlternative(alt), expected_version, actor)


def delete_alternative(
    session: Session,
    assessment_id: int,
    key: str,
    *,
    impacts: Literal["move_to", "delete"] | None = None,
    move_to: str | None = None,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Remove an alternative. When impacts refer to it the caller must choose: move them to
    another alternative (``impacts="move_to", move_to=key``) or delete them. The 0-alternative
    can never be deleted. Its risks are moved along or become general risks."""
    change = DeleteAlternative(key, impacts, move_to)
    return _version(session, assessment_id, change, expected_version, actor)


def set_area_relevance(
    session: Session,
    assessment_id: int,
    area: str,
    *,
    relevant: bool | None,
    reason: str = "",
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Phase 4: mark an impact area relevant / not relevant (None = undecided) with a reason."""
    change = SetAreaRelevance(area, relevant, reason)
    return _version(session, assessment_id, change, expected_version, actor)


def set_crossing_impacts(
    session: Session, assessment_id: int, text: str, *, expected_version: int | None, actor: Actor
) -> int:
    """Phase 4: the note on crossing and cumulative impacts across areas."""
    return _version(session, assessment_id, SetCrossingImpacts(text), expected_version, actor)


def set_impact(
    session: Session,
    assessment_id: int,
    area: str,
    alternative_key: str,
    fields: ImpactFields | dict[str, Any] | None,
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Autosave one matrix cell (impact area × alternative); ``None`` empties the cell.
    For "ei arvioitu" pass ``assessed=False`` with ``not_assessed_reason``."""
    change = impact_edit(area, alternative_key, fields)
    return _version(session, assessment_id, change, expected_version, actor)


def impact_edit(
    area: str, alternative_key: str, fields: ImpactFields | dict[str, Any] | None
) -> SetImpact:
    """The typed edit of one matrix cell from what a form holds (validated)."""
    cell = None if fields is None else as_model(ImpactFields, fields, "impact")
    return SetImpact(area, alternative_key, cell)


def part_edit(section: Section, item: Any) -> UpsertPart:
    """The typed upsert of a risk, hearing or follow-up from what a form holds (validated)."""
    prefix = {"risks": "risks", "hearings": "hearings", "follow_ups": "follow_up"}[section]
    return UpsertPart(section, as_model(PART_MODELS[section], item, prefix))


def upsert_risk(
    session: Session,
    assessment_id: int,
    risk: RiskIn | dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Phase 6: add a risk or change the one with the same key."""
    return _version(session, assessment_id, part_edit("risks", risk), expected_version, actor)


def delete_risk(
    session: Session, assessment_id: int, key: str, *, expected_version: int | None, actor: Actor
) -> int:
    return _version(session, assessment_id, DeletePart("risks", key), expected_version, actor)


def upsert_hearing(
    session: Session,
    assessment_id: int,
    hearing: HearingIn | dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Phase 2 (kuuleminen): add a heard group or change the one with the same key."""
    change = part_edit("hearings", hearing)
    return _version(session, assessment_id, change, expected_version, actor)


def delete_hearing(
    session: Session, assessment_id: int, key: str, *, expected_version: int | None, actor: Actor
) -> int:
    return _version(session, assessment_id, DeletePart("hearings", key), expected_version, actor)


def upsert_follow_up(
    session: Session,
    assessment_id: int,
    follow_up: FollowUpIn | dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Phase 8: add a follow-up indicator or change the one with the same key. An
    ``indicator_key`` must be an indicator of the linked project."""
    change = part_edit("follow_ups", follow_up)
    return _version(session, assessment_id, change, expected_version, actor)


def delete_follow_up(
    session: Session, assessment_id: int, key: str, *, expected_version: int | None, actor: Actor
) -> int:
    change = DeletePart("follow_ups", key)
    return _version(session, assessment_id, change, expected_version, actor)


def set_recommendation(
    session: Session,
    assessment_id: int,
    recommendation: RecommendationIn | dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """Phase 7: the recommended alternative, its reasoning, trade-offs and uncertainties."""
    rec: RecommendationIn = as_model(RecommendationIn, recommendation, "recommendation")
    return _version(session, assessment_id, SetRecommendation(rec), expected_version, actor)


# --- status: finish, decide, ex-post --------------------------------------------------------


def finish(
    session: Session,
    assessment_id: int,
    *,
    expected_version: int | None,
    actor: Actor,
    lang: str = "fi",
) -> int:
    """luonnos → valmis when no blocking problem is left (else ``AssessmentIncomplete``).
    A finished assessment is frozen."""
    return edit(
        session,
        assessment_id,
        Finish(lang=lang),
        expected_version=expected_version,
        actor=actor,
        lang=lang,
    ).version


def mark_decided(
    session: Session,
    assessment_id: int,
    *,
    decision_date: date,
    chosen_key: str | None = None,
    ex_post_date: date | None = None,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """valmis → päätetty: the decision was made (by default on the recommended alternative);
    ``ex_post_date`` plans the ex-post check (a due item of the linked project's managers)."""
    change = MarkDecided(decision_date, chosen_key, ex_post_date)
    return _version(session, assessment_id, change, expected_version, actor)


def set_ex_post(
    session: Session,
    assessment_id: int,
    area: str,
    ex_post: ExPostIn | dict[str, Any] | None,
    *,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """After the decision: what actually happened to the chosen alternative's impact in an
    area (``None`` removes the entry). Allowed in päätetty and jälkiarvioitu."""
    entry: ExPostIn | None = None if ex_post is None else as_model(ExPostIn, ex_post, "ex_post")
    return _version(session, assessment_id, SetExPost(area, entry), expected_version, actor)


def set_ex_post_ratings(
    session: Session,
    assessment_id: int,
    *,
    follow_ups: dict[str, str | None],
    overall: str | None,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """After the decision: rate each follow-up indicator (by key) and the whole."""
    change = SetExPostRatings(follow_ups, overall)
    return _version(session, assessment_id, change, expected_version, actor)


def complete_ex_post(
    session: Session,
    assessment_id: int,
    *,
    summary: str,
    ex_post_date: date,
    expected_version: int | None,
    actor: Actor,
) -> int:
    """The overall ex-post summary: päätetty → jälkiarvioitu (the summary stays editable)."""
    change = CompleteExPost(summary, ex_post_date)
    return _version(session, assessment_id, change, expected_version, actor)
