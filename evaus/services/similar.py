""" "Has this been done before?": other projects whose goals, target groups, measures and summary
are most like one project's.

Candidates come from the full-text index (any of the project's most telling stems); they are then
ranked by the cosine of TF-IDF vectors over Finnish stems (``project_db.search``), computed here in
Python over the project and its candidates. Only the needed columns are read, never whole projects.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, func, literal_column, select, text
from sqlalchemy.orm import Session

from project_db import search
from project_db.errors import NotFound
from project_db.models import (
    Goal,
    Measure,
    NarrativeSection,
    Person,
    Project,
    ProjectPerson,
    Result,
)

from .access import Actor, require_read

# Words that say nothing about what a project is about.
_STOP = frozenset(
    search.stem(w)
    for w in search.words(
        "ja sekä tai on ovat oli että joka jotka myös kuin niin kanssa mukaan hanke hankkeen "
        "hankkeessa hankkeella hankkeet toiminta toimintaa kehittäminen kehitetään tavoite "
        "tavoitteena avulla lisäksi jossa joiden sen hän ne ei eri uusi uusia"
    )
)
_QUERY_TERMS = 12
_MAX_CANDIDATES = 200
_TARGET_GROUP = "kohderyhma"
_EXCERPT = 240


class SimilarProject(BaseModel):
    id: int
    name: str
    status: str | None
    start_date: date | None
    end_date: date | None
    score: float  # cosine similarity, 0 … 1
    excerpt: str  # a result of the project, or the start of its summary
    contacts: list[str]


def _texts(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """Summary, goals, target-group sections and measures of the projects, as text pieces."""
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
            NarrativeSection.project_id.in_(ids), NarrativeSection.kind == _TARGET_GROUP
        )
    ):
        texts[pid] += [title, body]
    return texts


def _terms(pieces: list[str]) -> Counter[str]:
    return Counter(
        s for s in search.stems(" ".join(pieces)) if len(s) > 3 and s not in _STOP and s.isalpha()
    )


def _candidates(session: Session, project_id: int, terms: list[str]) -> list[int]:
    """Projects sharing any of ``terms`` (exact stems), best matches first."""
    if session.get_bind().dialect.name == "postgresql":
        vector: ColumnElement[Any] = literal_column("project.search_vector")
        query = func.to_tsquery(literal_column("'simple'"), " | ".join(f"'{t}'" for t in terms))
        stmt = (
            select(Project.id)
            .where(vector.op("@@")(query), Project.id != project_id)
            .order_by(func.ts_rank(vector, query).desc())
            .limit(_MAX_CANDIDATES)
        )
        return list(session.scalars(stmt))
    match = " OR ".join(f'"{t}"' for t in terms)
    rows = session.execute(
        text(
            "SELECT rowid FROM project_fts WHERE project_fts MATCH :q AND rowid != :id "
            "ORDER BY bm25(project_fts) LIMIT :n"
        ),
        {"q": match, "id": project_id, "n": _MAX_CANDIDATES},
    )
    return [r[0] for r in rows]


def _vector(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    vec = {t: (1 + math.log(c)) * idf[t] for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def similar_projects(
    session: Session, project_id: int, limit: int = 5, *, actor: Actor
) -> list[SimilarProject]:
    """The ``limit`` projects most like this one (none when nothing is alike)."""
    require_read(actor)
    if session.get(Project, project_id) is None:
        raise NotFound("project", project_id)
    own = _terms(_texts(session, [project_id])[project_id])
    if not own:
        return []
    top = [t for t, _ in own.most_common(_QUERY_TERMS)]
    ids = _candidates(session, project_id, top)
    if not ids:
        return []
    counts = {pid: _terms(pieces) for pid, pieces in _texts(session, ids).items()}
    documents = [own, *counts.values()]
    df: Counter[str] = Counter(t for doc in documents for t in doc)
    idf = {t: math.log((1 + len(documents)) / (1 + n)) + 1 for t, n in df.items()}
    mine = _vector(own, idf)
    scores = {
        pid: sum(w * mine.get(t, 0.0) for t, w in _vector(c, idf).items())
        for pid, c in counts.items()
    }
    best = [pid for pid, s in sorted(scores.items(), key=lambda x: (-x[1], x[0])) if s > 0][:limit]
    return _describe(session, best, scores)


def _describe(session: Session, ids: list[int], scores: dict[int, float]) -> list[SimilarProject]:
    if not ids:
        return []
    rows = {
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
    results: dict[int, str] = {}
    for pid, result_text in session.execute(
        select(Result.project_id, Result.text)
        .where(Result.project_id.in_(ids))
        .order_by(Result.project_id, Result.kind == "output", Result.position)
    ):
        results.setdefault(pid, result_text)  # a result or impact before an output
    contacts: dict[int, list[str]] = {i: [] for i in ids}
    for pid, name in session.execute(
        select(ProjectPerson.project_id, Person.name)
        .join(Person, ProjectPerson.person_id == Person.id)
        .where(ProjectPerson.project_id.in_(ids), ProjectPerson.is_contact.is_(True))
        .order_by(ProjectPerson.project_id, ProjectPerson.position)
    ):
        contacts[pid].append(name)
    return [
        SimilarProject(
            id=pid,
            name=rows[pid].name,
            status=rows[pid].status,
            start_date=rows[pid].start_date,
            end_date=rows[pid].end_date,
            score=round(scores[pid], 3),
            excerpt=_excerpt(results.get(pid) or rows[pid].summary),
            contacts=contacts[pid],
        )
        for pid in ids
    ]


def _excerpt(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= _EXCERPT else value[: _EXCERPT - 1].rsplit(" ", 1)[0] + "…"


__all__ = ["SimilarProject", "similar_projects"]
