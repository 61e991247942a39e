"""Conversion between stored assessments and the interchange document (``AssessmentDoc``).

Same style as ``store.py``: rows are matched by key (alternatives, risks, hearings, follow-ups),
by code (answers, areas) or by cell (impact area × alternative); only values that really
differ are written and surplus rows are deleted, so saving the same document changes nothing
and leaves no audit noise.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import indicator_catalogue
from .assessment_models import (
    Assessment,
    AssessmentAlternative,
    AssessmentAnswer,
    AssessmentArea,
    AssessmentFollowUp,
    AssessmentHearing,
    AssessmentImpact,
    AssessmentRisk,
)
from .assessment_queries import load_assessment_with_keys
from .assessment_schemas import (
    AlternativeIn,
    AssessmentDoc,
    ExPostIn,
    HearingIn,
    ImpactIn,
    KeyFigureTable,
    RiskIn,
)
from .base import utcnow
from .errors import ValidationFailed
from .models import AuditEntry, Indicator, Project
from .store import _assign, _money, _number, _sync

_OWN_FIELDS = (
    "title",
    "decision",
    "preparers",
    "organisation",
    "decision_date",
    "ex_post_date",
    "series_key",
    "version_number",
    "framework_id",
    "framework_version",
    "status",
    "created_by",
    "crossing_impacts",
    "chosen_key",
    "ex_post_summary",
    "ex_post_rating",
    "approved_by",
    "approved_at",
)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --- document → database ---------------------------------------------------------------------


def apply_assessment_doc(session: Session, assessment: Assessment, doc: AssessmentDoc) -> None:
    """Make ``assessment`` hold exactly what ``doc`` says. The caller commits.

    Any change to a part of the assessment moves the assessment's version on.
    """
    audit_mark = session.scalar(select(func.max(AuditEntry.id))) or 0
    values: dict[str, Any] = {name: getattr(doc, name) for name in _OWN_FIELDS}
    values.update(_screening_values(doc), **_recommendation_values(doc))
    values["key"] = doc.key
    values["project_id"] = _project_id(session, doc.project_key)
    values["previous_id"] = _previous_id(session, doc.previous_key)
    if assessment.id is None:
        session.add(assessment)
    _assign(assessment, values)
    for section in _SECTIONS:
        _SYNC[section](session, assessment, doc)
    session.flush()
    _touch_if_parts_changed(session, assessment, audit_mark)


def apply_assessment_changes(
    session: Session, assessment: Assessment, old: AssessmentDoc, new: AssessmentDoc
) -> list[str]:
    """Write what differs from ``old`` (what ``assessment`` holds now) to ``new``: the own
    fields that changed and only the child collections that changed; the others are not
    touched. Returns the changed collections. Same rows, values and audit trail as
    ``apply_assessment_doc``; the caller commits."""
    values: dict[str, Any] = {name: getattr(new, name) for name in _OWN_FIELDS}
    values.update(_screening_values(new), **_recommendation_values(new))
    values["key"] = new.key
    if new.project_key != old.project_key:
        values["project_id"] = _project_id(session, new.project_key)
    if new.previous_key != old.previous_key:
        values["previous_id"] = _previous_id(session, new.previous_key)
    _assign(assessment, values)
    own_changed = session.is_modified(assessment)
    changed = [s for s in _SECTIONS if getattr(old, s) != getattr(new, s)]
    parts_changed = False
    for section in changed:
        before = list(getattr(assessment, section))
        _SYNC[section](session, assessment, new)
        after = getattr(assessment, section)
        parts_changed = parts_changed or _rows_changed(session, before, after)
    if parts_changed and not own_changed:
        assessment.updated_at = utcnow()
    session.flush()
    return changed


def _rows_changed(session: Session, before: list[Any], after: list[Any]) -> bool:
    if len(before) != len(after) or any(a is not b for a, b in zip(before, after, strict=True)):
        return True
    return any(session.is_modified(row) for row in after)


def _sync_answers(session: Session, assessment: Assessment, doc: AssessmentDoc) -> None:
    assessment.answers = _sync(
        assessment.answers,
        [(k, {"question_key": k, "text": t}) for k, t in sorted(doc.answers.items()) if t],
        lambda a: a.question_key,
        AssessmentAnswer,
    )


def _sync_areas(session: Session, assessment: Assessment, doc: AssessmentDoc) -> None:
    assessment.areas = _sync(
        assessment.areas,
        [
            (
                a.area,
                {"area_code": a.area, "relevant": a.relevant, "reason": a.reason, "position": i},
            )
            for i, a in enumerate(doc.areas)
        ],
        lambda a: a.area_code,
        AssessmentArea,
    )


def _sync_hearings(session: Session, assessment: Assessment, doc: AssessmentDoc) -> None:
    assessment.hearings = _sync(
        assessment.hearings,
        [(h.key, _hearing_values(h, i)) for i, h in enumerate(doc.hearings)],
        lambda h: h.key,
        AssessmentHearing,
    )


def _sync_alternatives(session: Session, assessment: Assessment, doc: AssessmentDoc) -> None:
    _drop_stale_references(session, assessment, doc)
    assessment.alternatives = _sync(
        assessment.alternatives,
        [(a.key, _alternative_values(a, i)) for i, a in enumerate(doc.alternatives)],
        lambda a: a.key,
        AssessmentAlternative,
    )
    session.flush()  # the alternatives' ids are needed for impacts and risks


def _sync_impacts(session: Session, assessment: Assessment, doc: AssessmentDoc) -> None:
    alternatives = {a.key: a for a in assessment.alternatives}
    assessment.impacts = _sync(
        assessment.impacts,
        [
            ((i.area, i.alternative_key), _impact_values(i, n, alternatives))
            for n, i in enumerate(doc.impacts)
        ],
        lambda i: (i.area_code, i.alternative.key),
        AssessmentImpact,
    )


def _sync_risks(session: Session, assessment: Assessment, doc: AssessmentDoc) -> None:
    alternatives = {a.key: a for a in assessment.alternatives}
    assessment.risks = _sync(
        assessment.risks,
        [(r.key, _risk_values(r, i, alternatives)) for i, r in enumerate(doc.risks)],
        lambda r: r.key,
        AssessmentRisk,
    )


def _sync_follow_ups(session: Session, assessment: Assessment, doc: AssessmentDoc) -> None:
    paths = {f"follow_ups.{i}.catalogue_key": f.catalogue_key for i, f in enumerate(doc.follow_ups)}
    if problems := indicator_catalogue.unknown_key_problems(session, paths):
        raise ValidationFailed(problems)
    linked = any(f.indicator_key for f in doc.follow_ups)
    indicators = _indicators(session, assessment.project_id) if linked else {}
    assessment.follow_ups = _sync(
        assessment.follow_ups,
        [
            (
                f.key,
                {
                    "key": f.key,
                    "name": f.name,
                    "baseline": f.baseline,
                    "target": f.target,
                    "source": f.source,
                    "schedule": f.schedule,
                    "responsible": f.responsible,
                    "indicator_id": indicators.get(f.indicator_key) if f.indicator_key else None,
                    "catalogue_key": f.catalogue_key,
                    "ex_post_rating": f.ex_post_rating,
                    "position": i,
                },
            )
            for i, f in enumerate(doc.follow_ups)
        ],
        lambda f: f.key,
        AssessmentFollowUp,
    )


# In this order: alternatives before the impacts and risks that refer to them.
_SYNC: dict[str, Callable[[Session, Assessment, AssessmentDoc], None]] = {
    "answers": _sync_answers,
    "areas": _sync_areas,
    "hearings": _sync_hearings,
    "alternatives": _sync_alternatives,
    "impacts": _sync_impacts,
    "risks": _sync_risks,
    "follow_ups": _sync_follow_ups,
}
_SECTIONS = tuple(_SYNC)


def _hearing_values(h: HearingIn, i: int) -> dict[str, Any]:
    return {
        "key": h.key,
        "group_name": h.group,
        "method": h.method or "",
        "method_note": h.method_note,
        "held_on": h.held_on,
        "participants": h.participants,
        "children_heard": h.children_heard,
        "children_how": h.children_how,
        "summary": h.summary,
        "outcome": h.outcome,
        "position": i,
    }


def _screening_values(doc: AssessmentDoc) -> dict[str, Any]:
    return {
        "screening_needed": doc.screening.needed,
        "screening_criteria": _json(doc.screening.criteria),
        "screening_reason": doc.screening.reason,
    }


def _recommendation_values(doc: AssessmentDoc) -> dict[str, Any]:
    rec = doc.recommendation
    return {
        "recommended_key": rec.alternative_key,
        "recommendation_reasoning": rec.reasoning,
        "trade_offs": rec.trade_offs,
        "uncertainties": rec.uncertainties,
    }


def _project_id(session: Session, project_key: str | None) -> int | None:
    if project_key is None:
        return None
    return session.scalar(select(Project.id).where(Project.key == project_key))


def _previous_id(session: Session, previous_key: str | None) -> int | None:
    if previous_key is None:
        return None
    return session.scalar(select(Assessment.id).where(Assessment.key == previous_key))


def _indicators(session: Session, project_id: int | None) -> dict[str, int]:
    if project_id is None:
        return {}
    rows = session.execute(
        select(Indicator.key, Indicator.id).where(Indicator.project_id == project_id)
    )
    return {row.key: row.id for row in rows}


def _drop_stale_references(session: Session, assessment: Assessment, doc: AssessmentDoc) -> None:
    """Before alternatives go: their impacts go and their risks let go, in the ORM as well."""
    wanted = {a.key for a in doc.alternatives}
    leaving = [a for a in assessment.alternatives if a.key not in wanted]
    if not leaving:
        return
    leaving_ids = {a.id for a in leaving}
    assessment.impacts = [i for i in assessment.impacts if i.alternative_id not in leaving_ids]
    for risk in assessment.risks:
        if risk.alternative_id in leaving_ids:
            risk.alternative_id = None
    session.flush()


def _alternative_values(a: AlternativeIn, i: int) -> dict[str, Any]:
    return {
        "key": a.key,
        "is_zero": a.is_zero,
        "name": a.name,
        "description": a.description,
        "cost_per_year": a.cost_per_year,
        "staff_fte": a.staff_fte,
        "premises": a.premises,
        "key_figures": _json([t.model_dump() for t in a.key_figures]),
        "position": i,
    }


def _impact_values(
    x: ImpactIn, n: int, alternatives: dict[str, AssessmentAlternative]
) -> dict[str, Any]:
    ex_post = x.ex_post or ExPostIn()
    return {
        "area_code": x.area,
        "alternative": alternatives[x.alternative_key],
        "assessed": x.assessed,
        "not_assessed_reason": x.not_assessed_reason,
        "direction": x.direction,
        "size": x.size,
        "time_span": x.time_span,
        "certainty": x.certainty,
        "groups": _json(x.groups),
        "falls_on": x.falls_on,
        "justification": x.justification,
        "evidence": x.evidence,
        "mitigation": x.mitigation,
        "ex_post_recorded": x.ex_post is not None,
        "realised_direction": ex_post.direction,
        "realised_size": ex_post.size,
        "ex_post_evidence": ex_post.evidence,
        "ex_post_values": ex_post.indicator_values,
        "ex_post_note": ex_post.note,
        "position": n,
    }


def _risk_values(
    r: RiskIn, i: int, alternatives: dict[str, AssessmentAlternative]
) -> dict[str, Any]:
    return {
        "key": r.key,
        "alternative_id": alternatives[r.alternative_key].id if r.alternative_key else None,
        "description": r.description,
        "likelihood": r.likelihood,
        "consequence": r.consequence,
        "mitigation": r.mitigation,
        "position": i,
    }


def _touch_if_parts_changed(session: Session, assessment: Assessment, audit_mark: int) -> None:
    """A change to any part is a change to the assessment: its version moves on."""
    entities = session.scalars(
        select(AuditEntry.entity)
        .where(AuditEntry.id > audit_mark, AuditEntry.assessment_id == assessment.id)
        .distinct()
    ).all()
    if entities and "assessment" not in entities:
        assessment.updated_at = utcnow()
        session.flush()


# --- database → document -------------------------------------------------------------------


def load_assessment_doc(session: Session, assessment_id: int) -> tuple[Assessment, AssessmentDoc]:
    """The assessment and its document, read in one query per table."""
    assessment, project_key, previous_key = load_assessment_with_keys(session, assessment_id)
    return assessment, to_assessment_doc(session, assessment, keys=(project_key, previous_key))


def to_assessment_doc(
    session: Session,
    assessment: Assessment,
    *,
    keys: tuple[str | None, str | None] | None = None,
) -> AssessmentDoc:
    """Everything stored about one assessment version as an interchange document (``keys``:
    the project's and the previous version's key when the caller read them already)."""
    if keys is None:
        keys = (
            _key_of(session, Project, assessment.project_id),
            _key_of(session, Assessment, assessment.previous_id),
        )
    alternative_keys = {a.id: a.key for a in assessment.alternatives}
    indicator_keys = _indicator_keys(session, [f.indicator_id for f in assessment.follow_ups])
    data: dict[str, Any] = {name: getattr(assessment, name) for name in _OWN_FIELDS}
    data.update(
        key=assessment.key,
        previous_key=keys[1],
        project_key=keys[0],
        screening={
            "needed": assessment.screening_needed,
            "criteria": json.loads(assessment.screening_criteria or "[]"),
            "reason": assessment.screening_reason,
        },
        answers={a.question_key: a.text for a in assessment.answers},
        alternatives=[_alternative_doc(a) for a in assessment.alternatives],
        areas=[
            {"area": a.area_code, "relevant": a.relevant, "reason": a.reason}
            for a in assessment.areas
        ],
        impacts=[_impact_doc(i, alternative_keys) for i in assessment.impacts],
        risks=[
            {
                "key": r.key,
                "alternative_key": alternative_keys.get(r.alternative_id)
                if r.alternative_id
                else None,
                "description": r.description,
                "likelihood": r.likelihood,
                "consequence": r.consequence,
                "mitigation": r.mitigation,
            }
            for r in assessment.risks
        ],
        hearings=[_hearing_doc(h) for h in assessment.hearings],
        recommendation={
            "alternative_key": assessment.recommended_key,
            "reasoning": assessment.recommendation_reasoning,
            "trade_offs": assessment.trade_offs,
            "uncertainties": assessment.uncertainties,
        },
        follow_ups=[
            {
                "key": f.key,
                "name": f.name,
                "baseline": f.baseline,
                "target": f.target,
                "source": f.source,
                "schedule": f.schedule,
                "responsible": f.responsible,
                "indicator_key": indicator_keys.get(f.indicator_id) if f.indicator_id else None,
                "catalogue_key": f.catalogue_key,
                "ex_post_rating": f.ex_post_rating,
            }
            for f in assessment.follow_ups
        ],
    )
    return AssessmentDoc.model_validate(data)


def _indicator_keys(session: Session, ids: list[int | None]) -> dict[int, str | None]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Indicator.id, Indicator.key).where(Indicator.id.in_(wanted)))
    return {row.id: row.key for row in rows}


def _key_of(session: Session, model: Any, ident: int | None) -> str | None:
    if ident is None:
        return None
    key: str | None = session.scalar(select(model.key).where(model.id == ident))
    return key


def _alternative_doc(a: AssessmentAlternative) -> dict[str, Any]:
    return {
        "key": a.key,
        "is_zero": a.is_zero,
        "name": a.name,
        "description": a.description,
        "cost_per_year": _money(a.cost_per_year),
        "staff_fte": _number(a.staff_fte),
        "premises": a.premises,
        "key_figures": [
            KeyFigureTable.model_validate(t) for t in json.loads(a.key_figures or "[]")
        ],
    }


def _hearing_doc(h: AssessmentHearing) -> dict[str, Any]:
    return {
        "key": h.key,
        "group": h.group_name,
        "method": h.method or None,
        "method_note": h.method_note,
        "held_on": h.held_on,
        "participants": h.participants,
        "children_heard": h.children_heard,
        "children_how": h.children_how,
        "summary": h.summary,
        "outcome": h.outcome,
    }


def _impact_doc(i: AssessmentImpact, keys: dict[int, str]) -> dict[str, Any]:
    ex_post = None
    if i.ex_post_recorded:
        ex_post = {
            "direction": i.realised_direction,
            "size": i.realised_size,
            "evidence": i.ex_post_evidence,
            "indicator_values": i.ex_post_values,
            "note": i.ex_post_note,
        }
    return {
        "area": i.area_code,
        "alternative_key": keys[i.alternative_id],
        "assessed": i.assessed,
        "not_assessed_reason": i.not_assessed_reason,
        "direction": i.direction,
        "size": i.size,
        "time_span": i.time_span,
        "certainty": i.certainty,
        "groups": json.loads(i.groups or "[]"),
        "falls_on": i.falls_on,
        "justification": i.justification,
        "evidence": i.evidence,
        "mitigation": i.mitigation,
        "ex_post": ex_post,
    }


__all__ = [
    "apply_assessment_changes",
    "apply_assessment_doc",
    "load_assessment_doc",
    "to_assessment_doc",
]
