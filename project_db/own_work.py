"""A team member's own work: the projects they are in the team of, and the newest version of
each assessment series they made or that is linked to those projects."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from .assessment_models import Assessment
from .models import Project, ProjectPerson


def team_projects(session: Session, person_id: int) -> Sequence[Project]:
    """The projects the person is a team member of, in Finnish name order."""
    return session.scalars(
        select(Project)
        .join(ProjectPerson, ProjectPerson.project_id == Project.id)
        .where(ProjectPerson.person_id == person_id, ProjectPerson.is_team.is_(True))
        .distinct()
        .order_by(Project.sort_name, Project.id)
    ).all()


def newest_assessments(
    session: Session, created_by: str, project_ids: Collection[int]
) -> Sequence[Row[Assessment, str]]:
    """(assessment, project name or None): the newest version of each series made by
    ``created_by`` or linked to one of the projects, the latest updated first."""
    newest = (
        select(Assessment.series_key, func.max(Assessment.version_number).label("n"))
        .group_by(Assessment.series_key)
        .subquery()
    )
    mine = Assessment.created_by == created_by
    condition = mine | Assessment.project_id.in_(list(project_ids)) if project_ids else mine
    return session.execute(
        select(Assessment, Project.name)
        .outerjoin(Project, Assessment.project_id == Project.id)
        .join(
            newest,
            (newest.c.series_key == Assessment.series_key)
            & (newest.c.n == Assessment.version_number),
        )
        .where(condition)
        .order_by(Assessment.updated_at.desc(), Assessment.id)
    ).all()


__all__ = ["newest_assessments", "team_projects"]
