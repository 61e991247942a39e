"""The audit history as people read it: who, when, what, old → new."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from project_db.errors import N_
from project_db.models import AuditEntry

ENTITY_LABELS = {
    "project": N_("Project"),
    "project_theme": N_("Theme"),
    "project_link": N_("Link"),
    "narrative_section": N_("Section"),
    "project_organisation": N_("Organisation"),
    "organisation": N_("Organisation"),
    "funding": N_("Funding"),
    "project_person": N_("Person"),
    "person": N_("Person"),
    "goal": N_("Goal"),
    "measure": N_("Measure"),
    "result": N_("Result"),
    "indicator": N_("Indicator"),
    "target_revision": N_("Target revision"),
    "reporting_period": N_("Reporting period"),
    "indicator_value": N_("Value"),
    "participant_stat": N_("Participants"),
    "attachment": N_("Attachment"),
    "code_item": N_("Code list entry"),
    "app_user": N_("User"),
    "api_token": N_("API token"),
    "assessment": N_("Assessment"),
    "assessment_answer": N_("Answer"),
    "assessment_alternative": N_("Alternative"),
    "assessment_area": N_("Impact area"),
    "assessment_impact": N_("Impact"),
    "assessment_risk": N_("Risk"),
    "assessment_hearing": N_("Consultation"),
    "assessment_follow_up": N_("Follow-up indicator"),
    "assessment_framework": N_("Assessment framework"),
}
ACTION_LABELS = {"create": N_("added"), "update": N_("changed"), "delete": N_("removed")}


class HistoryEntry(BaseModel):
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int
    field: str | None
    old_value: str | None
    new_value: str | None


class HistoryPage(BaseModel):
    items: list[HistoryEntry]
    total: int


def project_history(
    session: Session,
    project_id: int,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    page: int = 1,
    page_size: int = 50,
) -> HistoryPage:
    """Newest first; optionally only one record's history."""
    query = select(AuditEntry).where(AuditEntry.project_id == project_id)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    return history_page(session, query, page=page, page_size=page_size)


def history_page(
    session: Session, query: Select[AuditEntry], *, page: int, page_size: int
) -> HistoryPage:
    """One page of audit entries matching ``query``, newest first, with the total count."""
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(AuditEntry.id.desc()).limit(page_size).offset((page - 1) * page_size)
    ).all()
    items = [
        HistoryEntry(
            at=r.at,
            actor=r.actor,
            action=r.action,
            entity=r.entity,
            entity_id=r.entity_id,
            field=r.field,
            old_value=r.old_value,
            new_value=r.new_value,
        )
        for r in rows
    ]
    return HistoryPage(items=items, total=total)
