"""Helpers of the service tests (the database fixtures are in ``tests/conftest.py``): users and
project members made the way an administrator and a project's manager make them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from evaus.services.access import Actor, local_admin
from evaus.services.users import create_user, person_for_user
from project_db.models import Project, ProjectPerson, User

SETUP = local_admin("setup")


def new_user(session: Session, name: str, role: str, **extra: Any) -> Actor:
    """A user with the password ``<name>-salasana-1``, committed."""
    user = create_user(
        session, name, role=role, password=f"{name}-salasana-1", actor=SETUP, **extra
    )
    session.commit()
    return Actor.of(user)


def join_project(session: Session, actor: Actor, project_id: int, *, team: bool = True) -> Actor:
    """The user joins the project (a team member, or a contact only); the Actor gets the
    person."""
    user = session.get(User, actor.user_id)
    project = session.get(Project, project_id)
    assert user is not None and project is not None
    person = person_for_user(session, user)
    project.people.append(
        ProjectPerson(person=person, role="Jäsen", is_team=team, position=len(project.people))
    )
    session.commit()
    return Actor.of(user)
