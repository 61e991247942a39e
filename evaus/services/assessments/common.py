"""What every part of the assessment services shares: the views, rights, the optimistic lock,
validation and saving."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from evaus.assessment import Framework
from evaus.assessment.edits import refuse
from project_db.assessment_models import Assessment
from project_db.assessment_queries import (
    highest_version_number,
    latest_audit_entries,
    load_assessment,
)
from project_db.assessment_schemas import AssessmentDoc, assessment_problems
from project_db.assessment_store import apply_assessment_doc
from project_db.audit import set_actor
from project_db.errors import N_, ConflictError, ConflictInfo, Problem, ValidationFailed
from project_db.models import AuditEntry

from ..access import Actor, Forbidden, can_edit_project
from ..assessment_frameworks import _get_framework as get_framework
from ..assessment_frameworks import _latest_version as latest_version

ZERO_NAMES = {"fi": "Nykytila jatkuu", "sv": "Nuläget fortsätter", "en": "Current state continues"}


class AssessmentSummary(BaseModel):
    id: int
    key: str
    series_key: str
    version_number: int
    title: str
    status: str
    project_id: int | None
    project_name: str | None
    framework_id: str
    framework_version: int
    created_by: str
    updated_at: datetime
    version: int  # the optimistic-lock version (for autosave), not the version number


class AssessmentView(BaseModel):
    """What the wizard loads: the document, the lock version and what the user may do."""

    id: int
    version: int
    doc: AssessmentDoc
    project_id: int | None
    frozen: bool
    can_edit: bool
    latest_in_series: bool


def summary_of(a: Assessment, project_name: str | None) -> AssessmentSummary:
    return AssessmentSummary(
        id=a.id,
        key=a.key,
        series_key=a.series_key,
        version_number=a.version_number,
        title=a.title,
        status=a.status,
        project_id=a.project_id,
        project_name=project_name,
        framework_id=a.framework_id,
        framework_version=a.framework_version,
        created_by=a.created_by,
        updated_at=a.updated_at,
        version=a.version,
    )


# --- rights -------------------------------------------------------------------------------


def can_edit_assessment(session: Session, actor: Actor, assessment: Assessment) -> bool:
    if actor.is_admin:
        return True
    if actor.role != "manager":
        return False
    if assessment.created_by == actor.username:
        return True
    return assessment.project_id is not None and can_edit_project(
        session, actor, assessment.project_id
    )


def require_edit(session: Session, actor: Actor, assessment: Assessment) -> None:
    if not can_edit_assessment(session, actor, assessment):
        raise Forbidden(f"may not edit assessment {assessment.id}")


def is_latest(session: Session, assessment: Assessment) -> bool:
    return assessment.version_number == highest_version_number(session, assessment.series_key)


# --- validation ---------------------------------------------------------------------------


def validated(data: dict[str, Any] | AssessmentDoc) -> AssessmentDoc:
    """The whole document validated (an edited document: its parts and its consistency)."""
    if isinstance(data, AssessmentDoc):
        # An edited document may hold raw values (a date as text): validated here.
        data = data.model_dump(warnings=False)
    try:
        return AssessmentDoc.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(assessment_problems(exc)) from None


def as_model(model: type[Any], data: Any, prefix: str) -> Any:
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(assessment_problems(exc, prefix)) from None


def check_codes(doc: AssessmentDoc, framework: Framework) -> list[Problem]:
    """Codes the framework does not know: question keys, criteria, areas and groups."""
    problems = []
    questions = framework.question_keys
    for key in doc.answers:
        if key not in questions:
            problems.append(_unknown_code(f"answers.{key}", key))
    for i, key in enumerate(doc.screening.criteria):
        if key not in framework.criterion_keys:
            problems.append(_unknown_code(f"screening.criteria.{i}", key))
    areas = set(framework.area_codes)
    for i, area in enumerate(doc.areas):
        if area.area not in areas:
            problems.append(_unknown_code(f"areas.{i}.area", area.area))
    for i, impact in enumerate(doc.impacts):
        if impact.area not in areas:
            problems.append(_unknown_code(f"impacts.{i}.area", impact.area))
        for group in impact.groups:
            if group not in framework.group_codes:
                problems.append(_unknown_code(f"impacts.{i}.groups", group))
    return problems


def _unknown_code(field: str, code: str) -> Problem:
    return Problem(
        field=field,
        message=N_("is not in the assessment framework: {code}"),
        params={"code": code},
    )


# --- the optimistic lock ------------------------------------------------------------------


def ensure_version(session: Session, assessment: Assessment, expected: int | None) -> None:
    if expected is None or assessment.version == expected:
        return
    entries = latest_audit_entries(session, assessment.id)
    last = entries[0] if entries else None
    raise ConflictError(
        ConflictInfo(
            entity="assessment",
            entity_id=assessment.id,
            expected_version=expected,
            current_version=assessment.version,
            changed_by=last.actor if last else None,
            changed_at=last.at.isoformat() if last else None,
            changes=_conflict_changes([e for e in entries if last and e.at == last.at]),
        )
    )


def _conflict_changes(entries: list[AuditEntry]) -> list[tuple[str, str | None, str | None]]:
    """Updated fields old → new; a created or deleted record once (its audit rows hold one
    field each)."""
    changes: list[tuple[str, str | None, str | None]] = []
    records: set[tuple[str, int, str]] = set()
    for e in entries:
        if e.action == "update" and e.field:
            changes.append((f"{e.entity}.{e.field}", e.old_value, e.new_value))
        elif (e.entity, e.entity_id, e.action) not in records:
            records.add((e.entity, e.entity_id, e.action))
            changes.append((f"{e.entity}:{e.action}", None, None))
    return changes


# --- saving a whole document (creating, new versions) ---------------------------------------


def save_doc(session: Session, assessment: Assessment, doc: AssessmentDoc, actor: Actor) -> int:
    framework = get_framework(session, doc.framework_id, doc.framework_version)
    problems = check_codes(doc, framework)
    if problems:
        raise ValidationFailed(problems)
    set_actor(session, actor.username)
    try:
        apply_assessment_doc(session, assessment, doc)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return assessment.version


__all__ = [
    "ZERO_NAMES",
    "AssessmentSummary",
    "AssessmentView",
    "as_model",
    "can_edit_assessment",
    "check_codes",
    "ensure_version",
    "get_framework",
    "is_latest",
    "latest_version",
    "load_assessment",
    "refuse",
    "require_edit",
    "save_doc",
    "summary_of",
    "validated",
]
