"""Projects: create, read, update, delete, and the searchable, filterable, sortable list."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from project_db import search
from project_db.audit import set_actor
from project_db.errors import ConflictError, ConflictInfo, NotFound, Problem, ValidationFailed
from project_db.models import AuditEntry, Funding, Organisation, Project, ProjectTheme, User
from project_db.schemas import (
    PersonIn,
    ProjectDoc,
    ProjectPersonIn,
    ProjectUpdate,
    problems_from_validation_error,
)
from project_db.store import apply_doc, to_doc
from project_db.validators import search_fold

from .access import Actor, require_admin, require_create, require_edit, require_read
from .codelists import UNKNOWN_CODE, check_codes
from .codelists import _codes as code_items
from .users import person_for_user

# The role a manager gets in the team of a project they create.
TEAM_ROLE = "Hankkeen vastuuhenkilö"

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


# --- reading ------------------------------------------------------------------------------


def get_project(session: Session, project_id: int, *, actor: Actor) -> Project:
    require_read(actor)
    return _get_project(session, project_id)


def _get_project(session: Session, project_id: int) -> Project:
    """The project, for a service that has checked the Actor already."""
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("project", project_id)
    return project


def get_project_doc(session: Session, project_id: int, *, actor: Actor) -> ProjectDoc:
    require_read(actor)
    return to_doc(_get_project(session, project_id))


def find_project(session: Session, reference: str, *, actor: Actor) -> Project:
    """A project by id, key, EURA code or a unique part of its name (for the CLI)."""
    require_read(actor)
    return _find_project(session, reference)


def _find_project(session: Session, reference: str) -> Project:
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


def count_from_source(session: Session, prefix: str, *, actor: Actor) -> int:
    """How many projects have a source key starting with ``prefix`` (``dev:`` for generated)."""
    require_read(actor)
    like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = select(func.count()).where(Project.source_key.like(like, escape="\\"))
    return session.scalar(query) or 0


@dataclass(frozen=True)
class TextMatch:
    """A full-text condition on ``Project``; PostgreSQL also gives its score (lower is more
    relevant). On SQLite, FTS5 ranks the matches itself (``fts_query``)."""

    condition: ColumnElement[bool]
    score: ColumnElement[float] | None = None
    fts_query: str = ""


def _text_match(session: Session, text: str) -> TextMatch | None:
    """Every word of ``text`` as a stemmed prefix query; None when it has no words.

    SQLite searches the FTS5 table (bm25), PostgreSQL the tsvector column (ts_rank).
    """
    terms = search.query_stems(text)
    if not terms:
        return None
    if session.get_bind().dialect.name == "postgresql":
        vector: ColumnElement[Any] = literal_column("project.search_vector")
        ts_query = func.to_tsquery(literal_column("'simple'"), search.tsquery(terms))
        rank = func.ts_rank(vector, ts_query)
        return TextMatch(condition=vector.op("@@")(ts_query), score=-rank)
    expression = search.fts5_query(terms)
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
    return stmt.where(and_(*conditions)) if conditions else stmt


def resolve_codes(
    session: Session, list_name: str, given: Sequence[str], *, actor: Actor
) -> list[str]:
    """The codes of a code list meant by ``given``: each a code or its name in Finnish, Swedish
    or English, in any case (``paattynyt``, ``Päättynyt``, ``avslutat``). An unknown value is a
    ``ValidationFailed`` naming the list and the allowed codes."""
    require_read(actor)
    known: dict[str, str] = {}
    items = code_items(session, list_name)
    for item in items:
        for name in (item.label_fi, item.label_sv, item.label_en):
            if name:
                known.setdefault(name.casefold(), item.code)
    known |= {item.code.casefold(): item.code for item in items}
    found: list[str] = []
    problems: list[Problem] = []
    for value in given:
        code = known.get(value.strip().casefold())
        if code is None:
            allowed = ", ".join(item.code for item in items)
            problems.append(Problem(list_name, UNKNOWN_CODE, {"value": value, "allowed": allowed}))
        elif code not in found:
            found.append(code)
    if problems:
        raise ValidationFailed(problems)
    return found


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
    )


def list_projects(session: Session, query: ProjectQuery, *, actor: Actor) -> ProjectPage:
    """One page of matching projects and the total count; never loads whole object graphs."""
    require_read(actor)
    return _list_projects(session, query)


def _list_projects(session: Session, query: ProjectQuery) -> ProjectPage:
    match = _text_match(session, query.text) if query.text.strip() else None
    sort = effective_sort(query)
    if sort == "relevance" and match is None:
        sort = "name"
    filtered_ids = _filtered(select(Project.id), query, match)
    if match is not None and match.fts_query and not _has_filters(query):
        # Every FTS5 row is a project: count the matches without reading the projects.
        total = session.scalar(_fts_select(match.fts_query, func.count())) or 0
    else:
        total = session.scalar(select(func.count()).select_from(filtered_ids.subquery())) or 0
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
        if sort_column is Project.sort_name and session.get_bind().dialect.name == "postgresql":
            sort_column = sort_column.collate("C")
        order = sort_column.desc() if query.descending else sort_column.asc()
        if sort_column is not Project.sort_name:  # names are never blank; other blanks go last
            order_by.append(sort_column.is_(None))
        order_by += [order, Project.id]
    rows = session.execute(
        _filtered(select(*_SUMMARY_COLUMNS), query, match)  # type: ignore[arg-type]
        .order_by(*order_by)
        .limit(query.page_size)
        .offset((query.page - 1) * query.page_size)
    ).all()
    return _page(session, query, total, rows)


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
    items = [
        ProjectSummary(
            id=p.id,
            key=p.key,
            name=p.name,
            short_name=p.short_name,
            status=p.status,
            project_type=p.project_type,
            portfolio=p.portfolio,
            region=p.region,
            start_date=p.start_date,
            end_date=p.end_date,
            budget_amount=p.budget_amount,
            eura_code=p.eura_code,
            funders=funders[p.id],
            version=p.version,
        )
        for p in rows
    ]
    return ProjectPage(items=items, total=total, page=query.page, page_size=query.page_size)


# --- writing ------------------------------------------------------------------------------


def validate_doc(data: object) -> ProjectDoc:
    """Validate raw input (a dict from a form, the API or a file) into a document."""
    if isinstance(data, ProjectDoc):
        return data
    try:
        return ProjectDoc.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(problems_from_validation_error(exc)) from None


def _check(session: Session, doc: ProjectDoc, actor: Actor) -> None:
    problems, _warnings = check_codes(session, doc, extend_open_lists=False, actor=actor)
    if problems:
        raise ValidationFailed(problems)


def create_project(
    session: Session, data: ProjectDoc | dict[str, object], *, actor: Actor
) -> Project:
    """A project as it is given (admins and managers; see ``create_project_for`` for the app)."""
    require_create(actor)
    doc = validate_doc(data)
    _check(session, doc, actor)
    set_actor(session, actor.username)
    try:
        project = apply_doc(session, Project(), doc)
        session.commit()
    except (StaleDataError, DBAPIError) as exc:
        # The same key or source key saved at the same moment by somebody else.
        if not is_write_race(exc):
            raise
        session.rollback()
        raise _conflict_with_stored(session, [doc]) from None
    return project


def create_project_for(
    session: Session, data: ProjectDoc | dict[str, object], *, actor: Actor
) -> Project:
    """A project created in the app: a manager who creates it joins its team, so may edit it."""
    require_create(actor)
    doc = validate_doc(data)
    if actor.role == "manager":
        user = session.get(User, actor.user_id)
        assert user is not None
        person = person_for_user(session, user)
        if not any(p.person.name == person.name for p in doc.people):
            member = ProjectPersonIn(
                person=PersonIn(name=person.name, email=person.email),
                role=TEAM_ROLE,
                is_team=True,
            )
            doc = doc.model_copy(update={"people": [*doc.people, member]})
    return create_project(session, doc, actor=actor)


class StaleWrite(ConflictError):
    """A conflict found only when the write reached the database: somebody else's write of the
    same version was committed first (the version check in ``UPDATE … WHERE version = :v``)."""


def _conflict_info(session: Session, project: Project, expected_version: int) -> ConflictInfo:
    """What the other writer did to the project since ``expected_version``."""
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.project_id == project.id, AuditEntry.action == "update")
        .order_by(AuditEntry.id.desc())
        .limit(20)
    ).all()
    last = entries[0] if entries else None
    return ConflictInfo(
        entity="project",
        entity_id=project.id,
        expected_version=expected_version,
        current_version=project.version,
        changed_by=last.actor if last else None,
        changed_at=last.at.isoformat() if last else None,
        changes=[
            (e.field or "", e.old_value, e.new_value) for e in entries if last and e.at == last.at
        ],
    )


def _ensure_version(session: Session, project: Project, expected_version: int | None) -> None:
    if expected_version is None or project.version == expected_version:
        return
    raise ConflictError(_conflict_info(session, project, expected_version))


# SQLSTATEs of PostgreSQL's unique violation, serialization failure and deadlock: a concurrent
# transaction won the race, and the loser's work was rolled back whole.
_RACE_SQLSTATES = frozenset({"23505", "40001", "40P01"})


def is_write_race(exc: BaseException) -> bool:
    """Whether a database error means a concurrent writer got there first."""
    if isinstance(exc, StaleDataError):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    if getattr(exc.orig, "sqlstate", None) in _RACE_SQLSTATES:
        return True
    # SQLite has no SQLSTATE; racing inserts of the same unique value fail like this.
    return isinstance(exc, IntegrityError) and "UNIQUE constraint failed" in str(exc.orig)


@contextmanager
def _write_race_is_conflict(session: Session, project_id: int, read_version: int) -> Iterator[None]:
    """Turn a write that lost a race with a concurrent one into ``StaleWrite`` (a conflict that
    names who saved the project meanwhile), after rolling the loser's work back whole.

    A project deleted meanwhile raises ``NotFound``."""
    try:
        yield
    except (StaleDataError, DBAPIError) as exc:
        if not is_write_race(exc):
            raise
        session.rollback()
        current = session.get(Project, project_id, populate_existing=True)
        if current is None:
            raise NotFound("project", project_id) from None
        raise StaleWrite(_conflict_info(session, current, read_version)) from None


def _conflict_with_stored(session: Session, docs: Sequence[ProjectDoc]) -> StaleWrite:
    """The conflict a write of whole documents (an import, a new project) reports when a
    concurrent write won the race (``is_write_race``), called after the rollback: it names the
    first of the documents' projects that is stored now and who saved it last.
    ``expected_version`` is 0: such a write is not based on a version the user saw."""
    for doc in docs:
        for column, value in ((Project.key, doc.key), (Project.source_key, doc.source_key)):
            project = session.scalar(select(Project).where(column == value)) if value else None
            if project is not None:
                return StaleWrite(_conflict_info(session, project, expected_version=0))
    return StaleWrite(
        ConflictInfo(entity="project", entity_id=0, expected_version=0, current_version=0)
    )


def update_project(
    session: Session,
    project_id: int,
    changes: ProjectUpdate | dict[str, object],
    *,
    expected_version: int | None,
    actor: Actor,
) -> Project:
    """Change some of the project's own fields. A stale ``expected_version`` is a conflict."""
    require_edit(session, actor, project_id)
    if not isinstance(changes, ProjectUpdate):
        try:
            changes = ProjectUpdate.model_validate(changes)
        except ValidationError as exc:
            raise ValidationFailed(problems_from_validation_error(exc)) from None
    project = _get_project(session, project_id)
    _ensure_version(session, project, expected_version)
    doc = to_doc(project)
    merged = doc.model_dump() | changes.model_dump(exclude_unset=True)
    return save_project_doc(session, project_id, merged, expected_version=None, actor=actor)


def save_project_doc(
    session: Session,
    project_id: int,
    data: ProjectDoc | dict[str, object],
    *,
    expected_version: int | None,
    actor: Actor,
) -> Project:
    """Replace everything stored about a project with ``data`` (editors, imports)."""
    require_edit(session, actor, project_id)
    project = _get_project(session, project_id)
    _ensure_version(session, project, expected_version)
    doc = validate_doc(data)
    _check(session, doc, actor)
    set_actor(session, actor.username)
    with _write_race_is_conflict(session, project_id, project.version):
        apply_doc(session, project, doc)
        session.commit()
    return project


def delete_project(
    session: Session, project_id: int, *, expected_version: int | None, actor: Actor
) -> None:
    """Delete a project with everything in it (admins only, like every deletion of records)."""
    require_admin(actor)
    project = _get_project(session, project_id)
    _ensure_version(session, project, expected_version)
    set_actor(session, actor.username)
    with _write_race_is_conflict(session, project_id, project.version):
        session.delete(project)
        session.commit()


__all__ = [
    "ProjectPage",
    "ProjectQuery",
    "ProjectSummary",
    "StaleWrite",
    "create_project",
    "create_project_for",
    "delete_project",
    "effective_sort",
    "find_project",
    "get_project",
    "get_project_doc",
    "is_write_race",
    "list_projects",
    "resolve_codes",
    "save_project_doc",
    "update_project",
    "validate_doc",
]
