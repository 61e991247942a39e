"""Signing in: password check, a growing lock after repeated failures, the first administrator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from project_db.accounts import user_by_username
from project_db.audit import set_actor
from project_db.base import utcnow
from project_db.errors import N_, RegistryError

from .access import Actor
from .users import add_user, count_users, verify_password

FREE_ATTEMPTS = 3
MAX_LOCK = timedelta(minutes=15)


class LoginFailed(RegistryError):
    def __init__(self, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


WRONG_CREDENTIALS = N_("Wrong user name or password.")
LOCKED = N_("Too many failed attempts. Try again in {seconds} seconds.")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def authenticate(session: Session, username: str, password: str) -> Actor:
    """The user, or LoginFailed. After three failures each further one locks the account for
    twice as long as the previous (2 s, 4 s, 8 s … at most 15 min)."""
    user = user_by_username(session, username.strip())
    now = utcnow()
    if user is not None and user.locked_until and _aware(user.locked_until) > now:
        seconds = int((_aware(user.locked_until) - now).total_seconds()) + 1
        raise LoginFailed(LOCKED, seconds)
    if user is None or not user.active or not verify_password(user, password):
        if user is not None:
            set_actor(session, "login")
            user.failed_logins += 1
            extra = user.failed_logins - FREE_ATTEMPTS
            if extra > 0:
                user.locked_until = now + min(timedelta(seconds=2**extra), MAX_LOCK)
            session.commit()
        raise LoginFailed(WRONG_CREDENTIALS)
    set_actor(session, user.username)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.commit()
    return Actor.of(user)


def _needs_first_admin(session: Session) -> bool:
    return count_users(session) == 0


def create_first_admin(
    session: Session, username: str, password: str, *, display_name: str = "", language: str = "fi"
) -> Actor:
    """Only while there are no users at all: the first-run page cannot be used to add more."""
    if not _needs_first_admin(session):
        raise LoginFailed(N_("The first administrator has already been created."))
    user = add_user(
        session,
        username,
        role="admin",
        password=password,
        display_name=display_name,
        language=language,
        audit_actor="first-run",
    )
    return Actor.of(user)
