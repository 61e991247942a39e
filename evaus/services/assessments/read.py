"""Reading assessments: the document, lists, checks, progress, comparisons and history
(every role may read)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from evaus.assessment import Comparison, ExPostComparison, Framework, Issue, PhaseProgress
from project_db.assessment_queries import assessment_rows, history_query, load_assessment
from project_db.assessment_schemas import FROZEN_STATUSES
from project_db.assessment_store import load_assessment_doc

from ..access import Actor, require_read
from ..history import HistoryPage
from ..history import _history_page as history_page
from .common import (
    AssessmentSummary,
    AssessmentView,
    can_edit_assessment,
    get_framework,
    is_latest,
    summary_of,
)
from .edit import Edited


def get_assessment(session: Session, assessment_id: int, *, actor: Actor) -> AssessmentView:
    """The assessment as a document (every role may read)."""
    require_read(actor)
    assessment, doc = load_assessment_doc(session, assessment_id)
    return AssessmentView(
        id=assessment.id,
        version=assessment.version,
        doc=doc,
        project_id=assessment.project_id,
        frozen=assessment.status in FROZEN_STATUSES,
        can_edit=can_edit_assessment(session, actor, assessment),
        latest_in_series=is_latest(session, assessment),
    )


def framework_of(session: Session, assessment_id: int, *, actor: Actor) -> Framework:
    """The framework (id + version) the assessment was made with."""
    require_read(actor)
    assessment = load_assessment(session, assessment_id)
    return get_framework(session, assessment.framework_id, assessment.framework_version)


def list_assessments(
    session: Session,
    *,
    project_id: int | None = None,
    standalone: bool = False,
    status: list[str] | None = None,
    latest_only: bool = True,
    actor: Actor,
) -> list[AssessmentSummary]:
    """Assessments of a project, or the standalone ones, optionally by status; by default only
    the newest version of each series. Newest changes first."""
    require_read(actor)
    return _list_assessments(
        session,
        project_id=project_id,
        standalone=standalone,
        status=status,
        latest_only=latest_only,
    )


def _list_assessments(
    session: Session,
    *,
    project_id: int | None = None,
    standalone: bool = False,
    status: list[str] | None = None,
    latest_only: bool = True,
) -> list[AssessmentSummary]:
    rows = assessment_rows(
        session,
        project_id=project_id,
        standalone=standalone,
        status=status,
        latest_only=latest_only,
    )
    return [summary_of(a, name) for a, name in rows]


def check_assessment(
    session: Session, assessment_id: int, lang: str = "fi", *, actor: Actor
) -> list[Issue]:
    """Warnings and blocking problems with their locations (phase, area, alternative)."""
    require_read(actor)
    return _state(session, assessment_id, lang).issues


def assessment_progress(
    session: Session, assessment_id: int, *, actor: Actor
) -> list[PhaseProgress]:
    require_read(actor)
    return _state(session, assessment_id).progress


def comparison(session: Session, assessment_id: int, *, actor: Actor) -> Comparison:
    require_read(actor)
    return _state(session, assessment_id).comparison


def ex_post_comparison(session: Session, assessment_id: int, *, actor: Actor) -> ExPostComparison:
    require_read(actor)
    return _state(session, assessment_id).ex_post_comparison


def _state(session: Session, assessment_id: int, lang: str = "fi") -> Edited:
    """The stored assessment with its framework: the same derived parts a save returns."""
    assessment, doc = load_assessment_doc(session, assessment_id)
    framework = get_framework(session, assessment.framework_id, assessment.framework_version)
    return Edited(assessment.id, assessment.version, doc, framework, lang)


def assessment_history(
    session: Session, assessment_id: int, *, page: int = 1, page_size: int = 50, actor: Actor
) -> HistoryPage:
    """Who changed what in this assessment version, newest first."""
    require_read(actor)
    return history_page(session, history_query(assessment_id), page=page, page_size=page_size)
