"""Who may do what. Every page, event handler and API route asks here, on the server.

admin   everything: users, code lists, imports, every project
manager creates projects; edits the projects where they are a team member
reviewer reads everything, edits nothing; approves, returns and reopens reporting periods
viewer  reads everything, edits nothing
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from project_db.errors import RegistryError
from project_db.models import ProjectPerson, User


class Forbidden(RegistryError):
    """The signed-in user may not do this."""


@dataclass(frozen=True)
class Actor:
    """The signed-in user as the services see it."""

    user_id: int
    username: str
    role: str
    person_id: int | None
    language: str

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.id, user.username, user.role, user.person_id, user.language)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def local_admin(username: str, language: str = "fi") -> Actor:
    """Who acts on the server itself (a command run there, the demo loader): whoever can run
    those can read the database anyway, so an administrator that is not a stored user."""
    return Actor(user_id=0, username=username, role="admin", person_id=None, language=language)


def load_actor(session: Session, user_id: int | None) -> Actor | None:
    """The active user with this id, read afresh: a deactivated user or a new role counts now."""
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    return Actor.of(user)


ROLES = ("admin", "manager", "reviewer", "viewer")


def require_read(actor: Actor) -> None:
    """Every signed-in role reads everything; without one (no Actor, an unknown role) nothing."""
    if not isinstance(actor, Actor) or actor.role not in ROLES:
        raise Forbidden("sign in to read")


def can_create_projects(actor: Actor) -> bool:
    return actor.role in ("admin", "manager")


def can_edit_project(session: Session, actor: Actor, project_id: int) -> bool:
    if actor.is_admin:
        return True
    if actor.role != "manager" or actor.person_id is None:
        return False
    return (
        session.scalar(
            select(ProjectPerson.id).where(
                ProjectPerson.project_id == project_id,
                ProjectPerson.person_id == actor.person_id,
                ProjectPerson.is_team.is_(True),
            )
        )
        is not None
    )


def can_review(actor: Actor) -> bool:
    """Approving, returning and reopening reporting periods: reviewers and administrators."""
    return isinstance(actor, Actor) and actor.role in ("admin", "reviewer")


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("admin only")


def require_create(actor: Actor) -> None:
    if not can_create_projects(actor):
        raise Forbidden("may not create projects")


def require_edit(session: Session, actor: Actor, project_id: int) -> None:
    if not can_edit_project(session, actor, project_id):
        raise Forbidden(f"may not edit project {project_id}")
