"""What the search for similar projects reads: the texts that say what projects are about,
the projects sharing any of a set of stems (best matches first), and what a result shows of
each project. Only the needed columns are read, never whole projects."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, func, literal_column, select, text
from sqlalchemy.orm import Session

from .models import Goal, Measure, NarrativeSection, Person, Project, ProjectPerson, Result


def project_texts(
    session: Session, ids: Collection[int], section_kind: str
) -> dict[int, list[str]]:
    """Summary, goals, measures and the narrative sections of ``section_kind`` of the
    projects, as text pieces."""
    texts: dict[int, list[str]] = {i: [] for i in ids}
    for pid, summary in session.execute(
        select(Project.id, Project.summary).where(Project.id.in_(ids))
    ):
        texts[pid].append(summary)
    for model in (Goal, Measure):
        for pid, title, description in session.execute(
            select(model.project_id, model.title, model.description).where(
                model.project_id.in_(ids)
            )
        ):
            texts[pid] += [title, description]
    for pid, title, body in session.execute(
        select(NarrativeSection.project_id, NarrativeSection.title, NarrativeSection.body).where(
            NarrativeSection.project_id.in_(ids), NarrativeSection.kind == section_kind
        )
    ):
        texts[pid] += [title, body]
    return texts


def sharing_stems(session: Session, project_id: int, terms: list[str], limit: int) -> list[int]:
    """Other projects whose index has any of ``terms`` (exact stems), best matches first."""
    if session.get_bind().dialect.name == "postgresql":
        vector: ColumnElement[Any] = literal_column("project.search_vector")
        query = func.to_tsquery(literal_column("'simple'"), " | ".join(f"'{t}'" for t in terms))
        stmt = (
            select(Project.id)
            .where(vector.op("@@")(query), Project.id != project_id)
            .order_by(func.ts_rank(vector, query).desc())
            .limit(limit)
        )
        return list(session.scalars(stmt))
    match = " OR ".join(f'"{t}"' for t in terms)
    rows = session.execute(
        text(
            "SELECT rowid FROM project_fts WHERE project_fts MATCH :q AND rowid != :id "
            "ORDER BY bm25(project_fts) LIMIT :n"
        ),
        {"q": match, "id": project_id, "n": limit},
    )
    return [r[0] for r in rows]


def project_briefs(
    session: Session, ids: Collection[int]
) -> dict[int, Row[int, str, str | None, date | None, date | None, str]]:
    """Id → (id, name, status, start_date, end_date, summary) of the projects."""
    return {
        r.id: r
        for r in session.execute(
            select(
                Project.id,
                Project.name,
                Project.status,
                Project.start_date,
                Project.end_date,
                Project.summary,
            ).where(Project.id.in_(ids))
        )
    }


def first_results(session: Session, ids: Collection[int]) -> dict[int, str]:
    """Id → the first result of the project, a result or impact before an output."""
    results: dict[int, str] = {}
    for pid, result_text in session.execute(
        select(Result.project_id, Result.text)
        .where(Result.project_id.in_(ids))
        .order_by(Result.project_id, Result.kind == "output", Result.position)
    ):
        results.setdefault(pid, result_text)
    return results


def contact_names(session: Session, ids: Collection[int]) -> dict[int, list[str]]:
    """Id → the names of the project's contact people, in the project's order."""
    contacts: dict[int, list[str]] = {i: [] for i in ids}
    for pid, name in session.execute(
        select(ProjectPerson.project_id, Person.name)
        .join(Person, ProjectPerson.person_id == Person.id)
        .where(ProjectPerson.project_id.in_(ids), ProjectPerson.is_contact.is_(True))
        .order_by(ProjectPerson.project_id, ProjectPerson.position)
    ):
        contacts[pid].append(name)
    return contacts


__all__ = [
    "contact_names",
    "first_results",
    "project_briefs",
    "project_texts",
    "sharing_stems",
]
