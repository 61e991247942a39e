"""Local user accounts: argon2-hashed passwords and the three roles."""

from __future__ import annotations

from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from project_db import accounts
from project_db.audit import set_actor
from project_db.errors import N_, NotFound, Problem, ValidationFailed
from project_db.models import Person, User
from project_db.validators import clean_line, normalise_email

from .access import Actor, require_admin

Role = Literal["admin", "manager", "reviewer", "viewer"]
ROLES: tuple[Role, ...] = ("admin", "manager", "reviewer", "viewer")
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()


def count_users(session: Session) -> int:
    return accounts.user_count(session)


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
    actor: Actor,
) -> User:
    """A new user account (admins)."""
    require_admin(actor)
    return add_user(
        session,
        username,
        role=role,
        password=password,
        display_name=display_name,
        email=email,
        language=language,
        audit_actor=actor.username,
    )


def _checked_email(email: str | None, problems: list[Problem]) -> str | None:
    """The normalised address (None when blank); an invalid one adds a problem."""
    if not email or not email.strip():
        return None
    try:
        return normalise_email(email)
    except ValueError:
        problems.append(
            Problem("email", N_("is not a valid e-mail address: {value}"), {"value": email})
        )
        return email


def add_user(
    session: Session,
    username: str,
    *,
    role: str,
    password: str,
    display_name: str = "",
    email: str | None = None,
    language: str = "fi",
    audit_actor: str,
) -> User:
    """The account itself, without a rights check: for ``create_user`` and the first-run page,
    which may make only the first administrator (``auth.create_first_admin``)."""
    username = clean_line(username)
    problems = _check_password(password)
    if not username or len(username) > 80:
        problems.append(Problem("username", N_("must be 1–80 characters long")))
    elif accounts.user_by_username(session, username):
        problems.append(Problem("username", N_("is already in use: {value}"), {"value": username}))
    if role not in ROLES:
        problems.append(
            Problem("role", N_("must be one of: {expected}"), {"expected": ", ".join(ROLES)})
        )
    email = _checked_email(email, problems)
    if problems:
        raise ValidationFailed(problems)
    set_actor(session, audit_actor)
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


def set_password(session: Session, user: User, password: str, *, actor: Actor) -> None:
    require_admin(actor)
    problems = _check_password(password)
    if problems:
        raise ValidationFailed(problems)
    set_actor(session, actor.username)
    user.password_hash = _hasher.hash(password)
    session.commit()


# --- administration (admins only) ------------------------------------------------------------


def list_users(session: Session, *, actor: Actor) -> list[User]:
    require_admin(actor)
    return accounts.users_by_username(session)


def update_user(
    session: Session,
    user_id: int,
    *,
    actor: Actor,
    role: str | None = None,
    active: bool | None = None,
    display_name: str | None = None,
    email: str | None = None,
    person_id: int | None = None,
) -> User:
    """Change a user's role, state or details. An admin cannot lock themselves out."""
    require_admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user", user_id)
    problems = []
    if role is not None and role not in ROLES:
        problems.append(
            Problem("role", N_("must be one of: {expected}"), {"expected": ", ".join(ROLES)})
        )
    if user.id == actor.user_id and (active is False or (role and role != "admin")):
        problems.append(Problem("role", N_("you cannot remove your own administrator rights")))
    if email:
        email = _checked_email(email, problems)
    if problems:
        raise ValidationFailed(problems)
    set_actor(session, actor.username)
    if role is not None:
        user.role = role
    if active is not None:
        user.active = active
    if display_name is not None:
        user.display_name = clean_line(display_name) or user.username
    if email is not None:
        user.email = email or None
    if person_id is not None:
        user.person_id = person_id
    session.commit()
    return user


def reset_password(session: Session, user_id: int, password: str, *, actor: Actor) -> None:
    require_admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user", user_id)
    set_password(session, user, password, actor=actor)
    user.failed_logins = 0
    user.locked_until = None
    session.commit()


def set_language(session: Session, language: str, *, actor: Actor) -> None:
    """The signed-in user's own choice of language (fi, sv, en): nobody else's."""
    user = session.get(User, actor.user_id)
    if user is not None and language in ("fi", "sv", "en"):
        set_actor(session, user.username)
        user.language = language
        session.commit()


def person_for_user(session: Session, user: User) -> Person:
    """The person record that stands for this user in project teams (created when missing)."""
    if user.person_id is not None:
        person = session.get(Person, user.person_id)
        if person is not None:
            return person
    person = Person(name=user.display_name or user.username, email=user.email)
    session.add(person)
    session.flush()
    user.person_id = person.id
    return person
