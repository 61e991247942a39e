"""Versions of an assessment: a new draft from the newest one, the series, what changed."""

from __future__ import annotations

from sqlalchemy.orm import Session

from evaus.assessment import Change, diff
from evaus.workshop.hooks import assessment_touched
from project_db.assessment_models import Assessment
from project_db.assessment_queries import indicator_names_of, load_assessment, series_rows
from project_db.assessment_schemas import AssessmentDoc
from project_db.assessment_store import load_assessment_doc
from project_db.errors import N_

from ..access import Actor, require_read
from .common import (
    AssessmentSummary,
    AssessmentView,
    is_latest,
    refuse,
    require_edit,
    save_doc,
    summary_of,
    validated,
)
from .read import get_assessment


def new_version_from(doc: AssessmentDoc) -> AssessmentDoc:
    """A new draft copy: version number + 1, linked to the previous, same part keys (so the
    versions compare part by part), without the decision and the ex-post entries."""
    data = doc.model_dump()
    data.update(
        key=AssessmentDoc.model_fields["key"].get_default(call_default_factory=True),
        version_number=doc.version_number + 1,
        previous_key=doc.key,
        status="luonnos",
        chosen_key=None,
        decision_date=None,
        ex_post_summary="",
        ex_post_rating=None,
        approved_by="",
        approved_at=None,
    )
    for impact in data["impacts"]:
        impact["ex_post"] = None
    for follow_up in data["follow_ups"]:
        follow_up["ex_post_rating"] = None
    return validated(data)


def new_version(session: Session, assessment_id: int, *, actor: Actor) -> AssessmentView:
    """Copy the newest version of a series into a new draft (the old one stays as it was)."""
    assessment, current = load_assessment_doc(session, assessment_id)
    require_edit(session, actor, assessment)
    if not is_latest(session, assessment):
        raise refuse(
            "version_number",
            N_("A newer version of this assessment exists: make the new version from it."),
        )
    doc = new_version_from(current)
    copy = Assessment()
    save_doc(session, copy, doc, actor)
    assessment_touched(assessment.id, actor.username, "new_version")  # the live workshop
    return get_assessment(session, copy.id, actor=actor)


def list_versions(session: Session, assessment_id: int, *, actor: Actor) -> list[AssessmentSummary]:
    """Every version of the assessment's series, oldest first."""
    require_read(actor)
    return _list_versions(session, assessment_id)


def _list_versions(session: Session, assessment_id: int) -> list[AssessmentSummary]:
    assessment = load_assessment(session, assessment_id)
    return [summary_of(a, name) for a, name in series_rows(session, assessment.series_key)]


def compare_versions(session: Session, old_id: int, new_id: int, *, actor: Actor) -> list[Change]:
    """What changed from one version to another (answers, alternatives, areas, impacts …)."""
    require_read(actor)
    return diff(load_assessment_doc(session, old_id)[1], load_assessment_doc(session, new_id)[1])


def indicator_names(
    session: Session, project_keys: list[str | None], *, actor: Actor
) -> dict[str, str]:
    """{key: name} of the indicators of these projects (a version comparison names the
    indicators its follow-up links to)."""
    require_read(actor)
    return indicator_names_of(session, [k for k in project_keys if k])
