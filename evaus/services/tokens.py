"""Personal API tokens: created by an administrator, shown once, stored as SHA-256 only."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy.orm import Session

from project_db import accounts
from project_db.audit import set_actor
from project_db.base import utcnow
from project_db.errors import NotFound
from project_db.models import ApiToken, User

from .access import Actor, require_admin

PREFIX = "evaus_"


LAST_USED_PRECISION = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, user_id: int, name: str, *, actor: Actor) -> str:
    require_admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user", user_id)
    return _create(session, user, name, actor)[1]


def create_token_for(
    session: Session, username: str, name: str, *, actor: Actor
) -> tuple[ApiToken, str]:
    """A new token for the user with this user name (the command line): the stored row and the
    token itself, which is not stored (only its SHA-256) and so can be shown only now."""
    require_admin(actor)
    user = accounts.user_by_username(session, username.strip())
    if user is None:
        raise NotFound("user", username)
    return _create(session, user, name, actor)


def _create(session: Session, user: User, name: str, actor: Actor) -> tuple[ApiToken, str]:
    token = PREFIX + secrets.token_urlsafe(32)
    set_actor(session, actor.username)
    row = ApiToken(
        user_id=user.id,
        name=name.strip()[:120] or "API",
        token_hash=_digest(token),
        created_by=actor.username,
    )
    session.add(row)
    session.commit()
    return row, token


def list_tokens(session: Session, *, actor: Actor) -> list[ApiToken]:
    require_admin(actor)
    return accounts.tokens_newest_first(session)


def revoke_token(session: Session, token_id: int, *, actor: Actor) -> None:
    require_admin(actor)
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("api token", token_id)
    set_actor(session, actor.username)
    token.revoked = True
    session.commit()


def actor_for_token(session: Session, token: str) -> Actor | None:
    """The active user a valid, unrevoked token belongs to."""
    row = accounts.token_by_hash(session, _digest(token.strip()))
    if row is None or row.revoked or not row.user.active:
        return None
    now = utcnow()
    last = row.last_used_at
    # Recorded at most once a minute: a write per request would queue every reader behind it.
    if last is None or now - last > LAST_USED_PRECISION:
        row.last_used_at = now
        session.commit()
    return Actor.of(row.user)
