"""Rebuilding the full-text index of every project (``evaus db reindex``).

A project's index follows each save; rebuilding is needed after installing (or removing) Voikko,
after restoring a backup, and once for older databases (migration 0019 does it on the upgrade).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from project_db import search

from .access import Actor, require_admin


@dataclass(frozen=True)
class Reindexed:
    projects: int  # how many projects were indexed
    voikko: bool  # with base forms and compound parts (Voikko is installed), else stems only


def reindex(
    session: Session,
    *,
    actor: Actor,
    batch: int = 500,
    progress: Callable[[int], None] | None = None,
) -> Reindexed:
    """Index every project again from its stored rows, one commit per ``batch`` projects
    (administrators only)."""
    require_admin(actor)
    search.remove_stale_rows(session.connection())
    done = 0
    last_id = 0
    while ids := search.project_ids_after(session.connection(), last_id, batch):
        search.reindex(session.connection(), ids, batch=batch)
        session.commit()
        done += len(ids)
        last_id = ids[-1]
        if progress:
            progress(done)
    return Reindexed(projects=done, voikko=search.voikko_available())


__all__ = ["Reindexed", "reindex"]
