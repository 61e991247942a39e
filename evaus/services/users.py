"""Local user accounts: argon2-hashed passwords and the three roles."""

from __future__ import annotations

from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from project_db.audit import set_actor
from project_db.errors import N_, Problem, ValidationFailed
from project_db.models import User
from project_db.validators import clean_line

Role = Literal["admin", "manager", "viewer"]
ROLES: tuple[Role, ...] = ("admin", "manager", "viewer")
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def _check_password(password: str) -> list[Problem]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return [
            Problem(
                "password",
                N_("must be at least {minimum} characters long"),
                {"minimum": MIN_PASSWORD_LENGTH},
            )
        ]
    return []


def create_user(
    session: Session,
    username: str,
    *,
    role: str,
    password: str,
    display_name: str = "",
    email: str | None = None,
    language: str = "fi",
    actor: str,
) -> User:
    username = clean_line(username)
    problems = _check_password(password)
    if not username or len(username) > 80:
        problems.append(Problem("username", N_("must be 1–80 characters long")))
    elif session.scalar(select(User).where(User.username == username)):
        problems.append(Problem("username", N_("is already in use: {value}"), {"value": username}))
    if role not in ROLES:
        problems.append(
            Problem("role", N_("must be one of: {expected}"), {"expected": ", ".join(ROLES)})
        )
    if problems:
        raise ValidationFailed(problems)
    set_actor(session, actor)
    user = User(
        username=username,
        role=role,
        password_hash=_hasher.hash(password),
        display_name=clean_line(display_name) or username,
        email=email,
        language=language,
    )
    session.add(user)
    session.commit()
    return user


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def set_password(session: Session, user: User, password: str, *, actor: str) -> None:
    problems = _check_password(password)
    if problems:
        raise ValidationFailed(problems)
    set_actor(session, actor)
    user.password_hash = _hasher.hash(password)
    session.commit()
