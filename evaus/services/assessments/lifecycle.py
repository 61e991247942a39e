"""Creating, deleting and importing assessments (finishing, the decision and the ex-post
entries are edits: see ``edit.py``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from evaus.assessment.edits import Approve, AssessmentFrozen
from evaus.workshop.hooks import assessment_saved, assessment_touched
from project_db.accounts import user_by_username
from project_db.assessment_models import Assessment
from project_db.assessment_queries import (
    assessment_by_key,
    audit_entries_since,
    finished_by,
    last_audit_id,
    load_assessment,
    project_key_exists,
)
from project_db.assessment_schemas import (
    FROZEN_STATUSES,
    AlternativeIn,
    AssessmentDoc,
    AssessmentFields,
)
from project_db.assessment_store import (
    apply_assessment_changes,
    apply_assessment_doc,
    load_assessment_doc,
)
from project_db.audit import set_actor
from project_db.base import utcnow
from project_db.errors import N_, NotFound, Problem, ValidationFailed
from project_db.models import Project

from ..access import Actor, Forbidden, can_create_projects, can_review, require_admin
from .common import (
    ZERO_NAMES,
    AssessmentView,
    as_model,
    check_codes,
    ensure_version,
    get_framework,
    latest_version,
    refuse,
    require_edit,
    save_doc,
    validated,
)
from .read import get_assessment


def create_assessment(
    session: Session,
    fields: AssessmentFields | dict[str, Any],
    *,
    project_id: int | None = None,
    framework_id: str = "default",
    framework_version: int | None = None,
    actor: Actor,
) -> AssessmentView:
    """A new draft with the 0-alternative ("Nykytila jatkuu") already in it."""
    if not can_create_projects(actor):
        raise Forbidden("may not create assessments")
    own = as_model(AssessmentFields, fields, "")
    project = session.get(Project, project_id) if project_id is not None else None
    if project_id is not None and project is None:
        raise NotFound("project", project_id)
    version = framework_version or latest_version(session, framework_id)
    get_framework(session, framework_id, version)
    zero = AlternativeIn(is_zero=True, name=ZERO_NAMES.get(actor.language, ZERO_NAMES["fi"]))
    doc = validated(
        own.model_dump()
        | {
            "framework_id": framework_id,
            "framework_version": version,
            "project_key": project.key if project else None,
            "created_by": actor.username,
            "alternatives": [zero.model_dump()],
        }
    )
    assessment = Assessment()
    save_doc(session, assessment, doc, actor)
    return get_assessment(session, assessment.id, actor=actor)


def delete_assessment(
    session: Session, assessment_id: int, *, expected_version: int | None, actor: Actor
) -> None:
    """Delete a draft (finished assessments are kept as the record of the decision)."""
    assessment = load_assessment(session, assessment_id)
    require_edit(session, actor, assessment)
    ensure_version(session, assessment, expected_version)
    if assessment.status in FROZEN_STATUSES:
        raise AssessmentFrozen(assessment.status)
    set_actor(session, actor.username)
    session.delete(assessment)
    session.commit()
    assessment_touched(assessment_id, actor.username, "deleted")  # the live workshop


def import_assessment_doc(
    session: Session, doc: AssessmentDoc, *, actor: Actor
) -> tuple[Assessment, str]:
    """Create or update the assessment with the document's key (admins, like every import);
    the caller commits. Returns the row and what happened: created, updated or unchanged."""
    require_admin(actor)
    framework = get_framework(session, doc.framework_id, doc.framework_version)
    problems = check_codes(doc, framework)
    if doc.project_key and not project_key_exists(session, doc.project_key):
        problems.append(
            Problem(
                field="project_key",
                message=N_("refers to a project that is not in the registry"),
                params={},
            )
        )
    if problems:
        raise ValidationFailed(problems)
    assessment = assessment_by_key(session, doc.key)
    action = "updated" if assessment else "created"
    assessment = assessment or Assessment()
    mark = last_audit_id(session)
    apply_assessment_doc(session, assessment, doc)
    if action == "updated" and not audit_entries_since(session, assessment.id, mark):
        action = "unchanged"
    return assessment, action


def approve_assessment(
    session: Session, assessment_id: int, *, expected_version: int | None, actor: Actor
) -> int:
    """The sign-off of a finished ("valmis") assessment by an administrator or a reviewer who
    did not prepare it (did not create or finish it); records the approver's name and the
    time, audited. Optional: a finished assessment may be decided without it. Returns the new
    lock version."""
    if not can_review(actor):
        raise Forbidden("may not approve assessments")
    assessment, old = load_assessment_doc(session, assessment_id)
    ensure_version(session, assessment, expected_version)
    if assessment.status not in Approve.statuses:
        raise refuse("", N_("Only a finished assessment can be approved."))
    if actor.username in _preparers(session, assessment):
        raise refuse("", N_("The preparer of an assessment cannot approve it."))
    user = user_by_username(session, actor.username)
    name = (user.display_name if user else "") or actor.username
    new = validated(Approve(name, utcnow()).apply(old))
    set_actor(session, actor.username)
    try:
        apply_assessment_changes(session, assessment, old, new)
        version = assessment.version
        session.commit()
    except BaseException:
        session.rollback()
        raise
    assessment_saved(assessment.id, version, actor.username, old, new)  # the live workshop
    return version


def _preparers(session: Session, assessment: Assessment) -> set[str]:
    """Who prepared the assessment: its creator and whoever finished it (the audit trail)."""
    return {assessment.created_by, *finished_by(session, assessment.id)} - {""}
