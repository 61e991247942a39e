"""User accounts and API tokens: counting and finding users, listing users and tokens."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import ApiToken, User


def user_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def user_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def users_by_username(session: Session) -> list[User]:
    """Every user, by user name."""
    return list(session.scalars(select(User).order_by(User.username)))


def token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))


def tokens_newest_first(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc())))


__all__ = [
    "token_by_hash",
    "tokens_newest_first",
    "user_by_username",
    "user_count",
    "users_by_username",
]
