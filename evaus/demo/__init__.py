"""Demo data: real published Finnish documents, loaded through the importers, and two
assessments built from them (``assessments.json``)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from project_db.assessment_schemas import AssessmentDoc
from project_db.audit import set_actor
from project_db.models import Project

from ..services.access import local_admin
from ..services.registry_io import ImportedAssessment, ImportReport, import_source

# Seed 002 (a service-network description) is the assessment's demo material, not a project.
DEMO_SEEDS = (
    "000_innokyla_hanska.txt",
    "001_oulu_asunnottomat.txt",
    "003_sokra_arvio_kuopio.txt",
    "004_esr_soku.txt",
)


def seed_text(name: str) -> bytes:
    return resources.files(__package__).joinpath("seeds", name).read_bytes()


def load_demo(session: Session, *, actor: str = "demo") -> list[ImportReport]:
    """Import the demo projects and assessments. Idempotent: a second run updates nothing."""
    reports = [
        import_source(session, seed_text(name), filename=name, actor=local_admin(actor))
        for name in DEMO_SEEDS
    ]
    load_demo_assessments(session, actor=actor)
    return reports


def demo_assessment_entries() -> list[dict[str, Any]]:
    text = resources.files(__package__).joinpath("assessments.json").read_text("utf-8")
    entries: list[dict[str, Any]] = json.loads(text)["assessments"]
    return entries


def load_demo_assessments(session: Session, *, actor: str = "demo") -> list[ImportedAssessment]:
    """The Hanska assessment (seed 000, linked to its project, decided and evaluated ex post)
    and the draft on the service-network change of seed 002. Matched by key: idempotent."""
    from ..services.assessments import import_assessment_doc

    set_actor(session, actor)
    results = []
    try:
        for entry in demo_assessment_entries():
            data = dict(entry["doc"])
            if entry.get("project_source_key"):
                project = session.scalar(
                    select(Project).where(Project.source_key == entry["project_source_key"])
                )
                data["project_key"] = project.key if project else None
            assessment, action = import_assessment_doc(
                session, AssessmentDoc.model_validate(data), actor=local_admin(actor)
            )
            results.append(ImportedAssessment(assessment.title, action, assessment.id))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return results


def registry_is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(Project))
