"""Demo data: real published Finnish documents, loaded through the importers."""

from __future__ import annotations

from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from project_db.models import Project

from ..services.registry_io import ImportReport, import_source

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
    """Import the demo projects. Idempotent: a second run updates nothing."""
    return [
        import_source(session, seed_text(name), filename=name, actor=actor) for name in DEMO_SEEDS
    ]


def registry_is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(Project))
