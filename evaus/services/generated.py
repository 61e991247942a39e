"""Generated, realistic projects for trying the application at scale (``evaus dev generate``)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from .access import Actor, require_admin
from .projects import count_from_source

SOURCE_PREFIX = "dev:"


def generate_projects(
    session: Session,
    count: int,
    seed: int = 1,
    *,
    actor: Actor,
    batch: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Store ``count`` generated projects, one commit per ``batch`` (administrators only).
    Numbers go on from earlier runs, so names and source keys stay unique."""
    require_admin(actor)
    from ..dev.generate import generate  # the generator's data tables only when used

    earlier = count_from_source(session, SOURCE_PREFIX, actor=actor)
    return generate(session, count, seed, first=earlier + 1, batch=batch, progress=progress)
