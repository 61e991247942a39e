"""The generated projects' teams, for the accounts ``evaus dev generate --accounts`` makes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .base import utcnow
from .models import Person, Project, ProjectPerson


@dataclass(frozen=True)
class TeamPerson:
    project_id: int
    person_id: int
    name: str


def project_id_by_source(session: Session, source_key: str) -> int | None:
    """The id of the project with this source key (``dev:12``), or None."""
    return session.scalar(select(Project.id).where(Project.source_key == source_key))


def first_team_person(session: Session, source_key: str) -> TeamPerson | None:
    """The first team member of the project with this source key (its project manager in
    generated data), or None when there is no such project or it has no team."""
    row = session.execute(
        select(ProjectPerson.project_id, Person.id, Person.name)
        .join(Project, Project.id == ProjectPerson.project_id)
        .join(Person, Person.id == ProjectPerson.person_id)
        .where(Project.source_key == source_key, ProjectPerson.is_team.is_(True))
        .order_by(ProjectPerson.position, ProjectPerson.id)
        .limit(1)
    ).first()
    return None if row is None else TeamPerson(row[0], row[1], row[2])


def join_team(session: Session, project_id: int, person_id: int, role: str) -> bool:
    """Add the person to the project's team (unless they are in it already); whether they were
    added. The project's version moves on, like any change to it. The caller commits."""
    project = session.get(Project, project_id)
    if project is None:
        return False
    if any(p.person_id == person_id and p.is_team for p in project.people):
        return False
    project.people.append(
        ProjectPerson(
            person_id=person_id,
            role=role,
            is_contact=False,
            is_team=True,
            position=len(project.people),
        )
    )
    project.updated_at = utcnow()
    session.flush()
    return True


__all__ = ["TeamPerson", "first_team_person", "join_team", "project_id_by_source"]
