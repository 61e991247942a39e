"""Projects: create, read, update, delete, and the searchable, filterable, sortable list."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from project_db import listing
from project_db.audit import set_actor
from project_db.errors import ConflictError, ConflictInfo, NotFound, Problem, ValidationFailed
from project_db.history_queries import latest_updates
from project_db.listing import (
    ProjectPage,
    ProjectQuery,
    ProjectSummary,
    SortField,
    effective_sort,
)
from project_db.models import Project, User
from project_db.schemas import (
    PersonIn,
    ProjectDoc,
    ProjectPersonIn,
    ProjectUpdate,
    problems_from_validation_error,
)
from project_db.store import apply_doc, to_doc

from .access import Actor, require_admin, require_create, require_edit, require_read
from .codelists import UNKNOWN_CODE, check_codes
from .codelists import _codes as code_items
from .period_locks import check_period_locks

# The role a manager gets in the team of a project they create.
TEAM_ROLE = "Hankkeen vastuuhenkilö"


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
    return listing.find_project(session, reference)


def count_from_source(session: Session, prefix: str, *, actor: Actor) -> int:
    """How many projects have a source key starting with ``prefix`` (``dev:`` for generated)."""
    require_read(actor)
    return listing.count_with_source_prefix(session, prefix)


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


def list_projects(session: Session, query: ProjectQuery, *, actor: Actor) -> ProjectPage:
    """One page of matching projects and the total count; never loads whole object graphs."""
    require_read(actor)
    return _list_projects(session, query)


def _list_projects(session: Session, query: ProjectQuery) -> ProjectPage:
    return listing.list_projects(session, query)


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
        # Imported here: the accounts module loads argon2, which reading projects never needs.
        from .users import person_for_user

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
    entries = latest_updates(session, project.id, limit=20)
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
        project = listing.stored_project(session, doc.key, doc.source_key)
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
    stored = to_doc(project)
    set_actor(session, actor.username)
    with _write_race_is_conflict(session, project_id, project.version):
        apply_doc(session, project, doc)
        # Last, under the project's lock until the commit: an approval of the same moment
        # comes before (the write is refused) or after (it locks what was written).
        check_period_locks(session, project, doc, stored=stored)
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
    "SortField",
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
