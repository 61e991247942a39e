"""The live assessment workshop's reads: how a participant is named to the others."""

from __future__ import annotations

from sqlalchemy.orm import Session

from project_db.history_queries import display_names

from .access import Actor, require_read


def participant_name(session: Session, *, actor: Actor) -> str:
    """The signed-in user's name as the other participants see it: the display name, else the
    user name."""
    require_read(actor)
    return display_names(session, {actor.username}).get(actor.username) or actor.username
