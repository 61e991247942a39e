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

from pydantic import BaseModel
from sqlalchemy.orm import Session

from project_db import search, similarity
from project_db.errors import NotFound
from project_db.models import Project

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
    return similarity.project_texts(session, ids, _TARGET_GROUP)


def _terms(pieces: list[str]) -> Counter[str]:
    return Counter(
        s for s in search.stems(" ".join(pieces)) if len(s) > 3 and s not in _STOP and s.isalpha()
    )


def _candidates(session: Session, project_id: int, terms: list[str]) -> list[int]:
    """Projects sharing any of ``terms`` (exact stems), best matches first."""
    return similarity.sharing_stems(session, project_id, terms, _MAX_CANDIDATES)


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
    rows = similarity.project_briefs(session, ids)
    results = similarity.first_results(session, ids)
    contacts = similarity.contact_names(session, ids)
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
