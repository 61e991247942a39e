"""Listing, searching and finding projects: the searchable, filterable, sortable list (one page
and the total count), a project by a reference people type, and the projects an import names.

The list reads only the columns it shows, never whole projects. Full-text search reads Finnish
words by their base forms, compound parts and stems (``search``): SQLite ranks with FTS5 (bm25),
PostgreSQL with ``ts_rank``. A search that finds nothing suggests corrections of its misspelt
words ("did you mean", ``ProjectPage.suggestions``). Names sort in Finnish
order by ``Project.sort_name`` (``store.finnish_sort_key``), compared byte-wise (``C``) on
PostgreSQL so both databases order alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Select, and_, exists, func, literal_column, or_, select, table
from sqlalchemy import text as text_sql
from sqlalchemy.orm import Session

from . import search, search_cache
from .errors import NotFound
from .models import Funding, Organisation, Project, ProjectTheme
from .public_catalogue import public_condition
from .validators import search_fold

SortField = Literal[
    "relevance", "name", "start_date", "end_date", "updated_at", "budget_amount", "status"
]


class ProjectQuery(BaseModel):
    """What the project list shows: the same model serves the list page, the CLI and the API."""

    text: str = ""
    status: list[str] = []
    funder: list[str] = []  # funder codes (ESR, STM …)
    portfolio: list[str] = []
    project_type: list[str] = []
    region: list[str] = []
    theme: list[str] = []
    active_from: date | None = None  # projects running at some point in [active_from, active_to]
    active_to: date | None = None
    # Only the projects of the public catalogue (``public_catalogue.public_condition``).
    public_only: bool = False
    # None: by relevance when ``text`` is given, else by name.
    sort: SortField | None = None
    descending: bool = False
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=50, ge=1, le=500)


class ProjectSummary(BaseModel):
    id: int
    key: str
    name: str
    short_name: str | None
    status: str | None
    project_type: str | None
    portfolio: str | None
    region: str | None
    start_date: date | None
    end_date: date | None
    budget_amount: Decimal | None
    eura_code: str | None
    funders: list[str]
    version: int


class ProjectPage(BaseModel):
    items: list[ProjectSummary]
    total: int
    page: int
    page_size: int
    # A search that found nothing: corrected search texts that find something ("did you mean").
    suggestions: list[str] = []


# --- one page of the list -----------------------------------------------------------------


@dataclass(frozen=True)
class TextMatch:
    """A full-text condition on ``Project``; PostgreSQL also gives its score (lower is more
    relevant). On SQLite, FTS5 ranks the matches itself (``fts_query``)."""

    condition: ColumnElement[bool]
    score: ColumnElement[float] | None = None
    fts_query: str = ""


def _text_match(session: Session, query: ProjectQuery) -> TextMatch | None:
    """Every word of the query's text must match (``search.query_words``: its stem as a prefix,
    or its base forms); None when it has no words. The public catalogue's search
    (``public_only``) looks only at what its cards show, not at the people and narratives only
    the registry shows.

    SQLite searches the FTS5 table (bm25), PostgreSQL the tsvector column (ts_rank).
    """
    return _words_match(session, search.query_words(query.text), query.public_only)


def _words_match(
    session: Session, words: Sequence[search.QueryWord], public_only: bool = False
) -> TextMatch | None:
    if not words:
        return None
    if session.get_bind().dialect.name == "postgresql":
        vector: ColumnElement[Any] = literal_column("project.search_vector")
        expression = search.ts_match(words, public_only=public_only)
        ts_query = func.to_tsquery(literal_column("'simple'"), expression)
        rank = func.ts_rank(vector, ts_query)
        return TextMatch(condition=vector.op("@@")(ts_query), score=-rank)
    expression = search.fts5_match(words, public_only=public_only)
    matching_ids = _fts_select(expression, literal_column("rowid"))
    return TextMatch(condition=Project.id.in_(matching_ids), fts_query=expression)


def _fts_select(expression: str, *columns: ColumnElement[Any]) -> Select[Any]:
    """SELECT ``columns`` of the FTS5 rows that match ``expression``."""
    fts_name: ColumnElement[Any] = literal_column(search.FTS_TABLE)
    return (
        select(*columns)
        .select_from(table(search.FTS_TABLE))
        .where(fts_name.op("MATCH")(expression))
    )


def _filtered(stmt: Select[Any], query: ProjectQuery, match: TextMatch | None) -> Select[Any]:
    conditions: list[ColumnElement[bool]] = []
    if match is not None:
        conditions.append(match.condition)
    for column, values in (
        (Project.status, query.status),
        (Project.portfolio, query.portfolio),
        (Project.project_type, query.project_type),
        (Project.region, query.region),
    ):
        if values:
            conditions.append(column.in_(values))
    if query.funder:
        conditions.append(
            exists().where(Funding.project_id == Project.id, Funding.funder_code.in_(query.funder))
        )
    if query.theme:
        conditions.append(
            exists().where(
                ProjectTheme.project_id == Project.id, ProjectTheme.theme.in_(query.theme)
            )
        )
    if query.active_from:
        conditions.append(or_(Project.end_date.is_(None), Project.end_date >= query.active_from))
    if query.active_to:
        conditions.append(or_(Project.start_date.is_(None), Project.start_date <= query.active_to))
    if query.public_only:
        conditions.append(public_condition())
    return stmt.where(and_(*conditions)) if conditions else stmt


# The list reads only these columns: never whole projects, their long texts or related rows.
_SUMMARY_COLUMNS = (
    Project.id,
    Project.key,
    Project.name,
    Project.short_name,
    Project.status,
    Project.project_type,
    Project.portfolio,
    Project.region,
    Project.start_date,
    Project.end_date,
    Project.budget_amount,
    Project.eura_code,
    Project.version,
)


def effective_sort(query: ProjectQuery) -> SortField:
    """Relevance when there is a search text and no other order was asked for, else name."""
    if query.sort is not None:
        return query.sort
    return "relevance" if query.text.strip() else "name"


def _has_filters(query: ProjectQuery) -> bool:
    return bool(
        query.status
        or query.funder
        or query.portfolio
        or query.project_type
        or query.region
        or query.theme
        or query.active_from
        or query.active_to
        or query.public_only
    )


def list_projects(session: Session, query: ProjectQuery) -> ProjectPage:
    """One page of matching projects and the total count; never loads whole object graphs.

    Kept by the registry's version (``search_cache``): the same query again, before anything
    is written, is answered from memory. The page is shared: do not change it."""
    return search_cache.cached(
        session, ("projects", query.model_dump_json()), lambda: _list_projects(session, query)
    )


def _list_projects(session: Session, query: ProjectQuery) -> ProjectPage:
    match = _text_match(session, query) if query.text.strip() else None
    sort = effective_sort(query)
    if sort == "relevance" and match is None:
        sort = "name"
    total = _count(session, query, match)
    if total == 0 and match is not None:
        page = _page(session, query, 0, [])
        page.suggestions = _suggestions(session, query) if query.page == 1 else []
        return page
    if sort == "relevance" and match is not None and match.fts_query:
        by_filters_only = _filtered(select(Project.id), query, None)
        return _page(session, query, total, _ranked_by_fts(session, query, match, by_filters_only))
    order_by: list[Any] = []
    if sort == "relevance" and match is not None and match.score is not None:
        order_by += [match.score.desc() if query.descending else match.score.asc(), Project.id]
    else:
        sort_column: Any = {
            "name": Project.sort_name,
            "start_date": Project.start_date,
            "end_date": Project.end_date,
            "updated_at": Project.updated_at,
            "budget_amount": Project.budget_amount,
            "status": Project.status,
        }[sort if sort != "relevance" else "name"]
        if sort_column is not Project.sort_name:  # names are never blank; other blanks go last
            order_by.append(sort_column.is_(None))
        elif session.get_bind().dialect.name == "postgresql":
            # The index on sort_name is byte-ordered; the key itself sorts in Finnish order.
            sort_column = sort_column.collate("C")
        order = sort_column.desc() if query.descending else sort_column.asc()
        order_by += [order, Project.id]
    rows = session.execute(
        _filtered(select(*_SUMMARY_COLUMNS), query, match)  # type: ignore[arg-type]
        .order_by(*order_by)
        .limit(query.page_size)
        .offset((query.page - 1) * query.page_size)
    ).all()
    return _page(session, query, total, rows)


def _count(session: Session, query: ProjectQuery, match: TextMatch | None) -> int:
    if match is not None and match.fts_query and not _has_filters(query):
        # Every FTS5 row is a project: count the matches without reading the projects.
        return session.scalar(_fts_select(match.fts_query, func.count())) or 0
    filtered_ids = _filtered(select(Project.id), query, match)
    return session.scalar(select(func.count()).select_from(filtered_ids.subquery())) or 0


# --- did you mean -------------------------------------------------------------------------

_MAX_SUGGESTED_WORDS = 6  # longer queries get no suggestions
_MAX_SUGGESTIONS = 3
_CANDIDATES_PER_WORD = 6
_MAX_VOCABULARY = 5000  # index terms looked at per misspelt word
_POSTGRES_SAMPLE = 2000  # PostgreSQL: the terms of at most this many projects sharing a prefix


def _suggestions(session: Session, query: ProjectQuery) -> list[str]:
    """Search texts like ``query.text`` with its misspelt words corrected, each finding
    something with the query's filters: Voikko's corrections and the index's own terms within
    two edits. The work is bounded: a few words, a few candidates each, one count per try."""
    words = search.query_words(query.text)
    if not words or len(words) > _MAX_SUGGESTED_WORDS:
        return []
    fixes: dict[str, list[search.QueryWord]] = {}
    for word in words:
        if _finds_any(session, word, query.public_only):
            continue
        found: list[search.QueryWord] = []
        seen: set[tuple[str, ...]] = set()  # one form of a word (päihdetyö, not päihdetyön too)
        for candidate in _candidates(session, word.word):
            fixed = search.query_word(candidate)
            same = fixed.exact or fixed.prefixes[:1]
            # The word or its base form must be indexed, not just a longer word it starts.
            indexed = search.QueryWord(candidate, (candidate, *fixed.exact), ())
            if same not in seen and _finds_any(session, indexed, query.public_only):
                seen.add(same)
                found.append(fixed)
                if len(found) == _MAX_SUGGESTIONS:
                    break
        if not found:
            return []  # nothing like anything indexed: no correction would find something
        fixes[word.word] = found
    suggestions: list[str] = []
    for n in range(_MAX_SUGGESTIONS if fixes else 0):
        tried = [
            fixes[w.word][min(n, len(fixes[w.word]) - 1)] if w.word in fixes else w for w in words
        ]
        text = " ".join(w.word for w in tried)
        match = _words_match(session, tried, query.public_only)
        if text not in suggestions and _count(session, query, match):
            suggestions.append(text)
    return suggestions


def _finds_any(session: Session, word: search.QueryWord, public_only: bool) -> bool:
    """Whether the word alone finds a project (a public one, with ``public_only``)."""
    query = ProjectQuery(public_only=public_only)
    return _count(session, query, _words_match(session, [word], public_only)) > 0


def _candidates(session: Session, word: str) -> list[str]:
    """Corrections of a misspelt word: Voikko's, then index terms close to it (the nearest
    first, then the most common). When some of those are words Voikko knows, the others (stems,
    typos in the data) are left out."""
    limit = 1 if len(word) <= 4 else 2
    near: list[tuple[int, int, str]] = []
    for term, documents in _vocabulary(session, word[:2]):
        if term == word or abs(len(term) - len(word)) > limit or not term.isalpha():
            continue
        distance = search.edit_distance(word, term, limit)
        if distance <= limit:
            near.append((distance, -documents, term))
    terms = [rank[-1] for rank in sorted(near)]
    known = [t for t in terms if search.is_known_word(t)]
    ordered = search.spelling_suggestions(word) + (known or terms)
    return list(dict.fromkeys(ordered))[:_CANDIDATES_PER_WORD]


def _vocabulary(session: Session, prefix: str) -> list[tuple[str, int]]:
    """Index terms starting with ``prefix`` (letters and digits) and how many projects have
    each; bounded."""
    if not prefix.isalnum():
        return []
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        # ts_stat reads the vectors of a sample of the projects a prefix query finds.
        vector: ColumnElement[Any] = literal_column("search_vector")
        sample = (
            select(vector)
            .select_from(table("project"))
            .where(vector.op("@@")(func.to_tsquery(literal_column("'simple'"), prefix + ":*")))
            .limit(_POSTGRES_SAMPLE)
        )
        inner = str(sample.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        statement = text_sql(
            "SELECT word, ndoc FROM ts_stat(:inner) WHERE left(word, :n) = :prefix LIMIT :limit"
        )
        parameters: dict[str, Any] = {"inner": inner, "n": len(prefix), "prefix": prefix}
    else:
        statement = text_sql(
            "SELECT term, doc FROM project_fts_vocab "
            "WHERE term >= :prefix AND term < :high LIMIT :limit"
        )
        parameters = {"prefix": prefix, "high": prefix + chr(0x10FFFF)}
    rows = session.execute(statement, parameters | {"limit": _MAX_VOCABULARY})
    return [(term, int(documents)) for term, documents in rows]


def _ranked_by_fts(
    session: Session, query: ProjectQuery, match: TextMatch, filtered_ids: Select[Any]
) -> Sequence[Any]:
    """SQLite by relevance: FTS5 ranks (bm25) and cuts the page; only its projects are read.

    With filters, the MATCH is limited to the filtered projects' ids, so bm25 is computed only
    for them. Ties keep the order the projects were added in, so pages never overlap."""
    direction = "DESC" if query.descending else "ASC"
    ranked = _fts_select(
        match.fts_query,
        literal_column("rowid").label("project_id"),
        literal_column("rank").label("score"),
    )
    if _has_filters(query):
        # "+rowid": the unary plus keeps SQLite from using the ids as FTS5 lookups, which
        # would run the MATCH once per filtered project.
        ranked = ranked.where(literal_column("+rowid").in_(filtered_ids))
    page = (
        ranked.order_by(literal_column(f"rank {direction}"), literal_column("rowid"))
        .limit(query.page_size)
        .offset((query.page - 1) * query.page_size)
        .subquery("ranked")
    )
    return session.execute(
        select(*_SUMMARY_COLUMNS)
        .join(page, page.c.project_id == Project.id)
        .order_by(page.c.score.desc() if query.descending else page.c.score.asc(), Project.id)
    ).all()


def _page(session: Session, query: ProjectQuery, total: int, rows: Sequence[Any]) -> ProjectPage:
    funders: dict[int, list[str]] = {p.id: [] for p in rows}
    if rows:
        for project_id, org_name in session.execute(
            select(Funding.project_id, Organisation.name)
            .join(Organisation, Funding.organisation_id == Organisation.id)
            .where(Funding.project_id.in_(funders))
            .order_by(Funding.project_id, Funding.position)
        ):
            funders[project_id].append(org_name)
    # One validation of the whole page (pydantic-core), not one model built per row in Python.
    items = [{**row._mapping, "funders": funders[row.id]} for row in rows]
    return ProjectPage.model_validate(
        {"items": items, "total": total, "page": query.page, "page_size": query.page_size}
    )


# --- single projects ----------------------------------------------------------------------


def find_project(session: Session, reference: str) -> Project:
    """A project by id, key, EURA code, source key or a unique part of its name."""
    reference = reference.strip()
    if reference.isdigit() and (project := session.get(Project, int(reference))):
        return project
    for column in (Project.key, Project.eura_code, Project.source_key):
        project = session.scalar(select(Project).where(column == reference))
        if project:
            return project
    matches = list(
        session.scalars(
            select(Project).where(Project.search_text.contains(search_fold(reference))).limit(2)
        )
    )
    if len(matches) == 1:
        return matches[0]
    raise NotFound("project", reference)


def stored_project(session: Session, key: str | None, source_key: str | None) -> Project | None:
    """The project stored under ``key``, else the one under ``source_key`` (an import's match)."""
    if key:
        project = session.scalar(select(Project).where(Project.key == key))
        if project:
            return project
    if source_key:
        return session.scalar(select(Project).where(Project.source_key == source_key))
    return None


def stored_keys(session: Session, keys: Iterable[str], *, source: bool = False) -> set[str]:
    """Which of ``keys`` (or source keys, with ``source``) name a project already stored."""
    column = Project.source_key if source else Project.key
    wanted = list(set(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        found |= {
            value for value in session.scalars(select(column).where(column.in_(chunk))) if value
        }
    return found


def count_with_source_prefix(session: Session, prefix: str) -> int:
    """How many projects have a source key starting with ``prefix`` (``dev:`` for generated)."""
    like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = select(func.count()).where(Project.source_key.like(like, escape="\\"))
    return session.scalar(query) or 0


def projects_in_name_order(session: Session) -> Sequence[Project]:
    """Every project, in Finnish alphabetical order, ties by key (the registry export)."""
    return session.scalars(select(Project).order_by(Project.sort_name, Project.key)).all()


def projects_in_id_order(session: Session) -> Iterable[Project]:
    """Every project, oldest first, read as it is iterated."""
    return session.scalars(select(Project).order_by(Project.id))


def theme_names(session: Session) -> list[str]:
    """Every theme some project uses, alphabetically (the list page's theme filter)."""
    return list(session.scalars(select(ProjectTheme.theme).distinct().order_by(ProjectTheme.theme)))


__all__ = [
    "ProjectPage",
    "ProjectQuery",
    "ProjectSummary",
    "SortField",
    "count_with_source_prefix",
    "effective_sort",
    "find_project",
    "list_projects",
    "projects_in_id_order",
    "projects_in_name_order",
    "stored_keys",
    "stored_project",
    "theme_names",
]
