"""Creating many new projects at once: the same rows as ``store.apply_doc``, written in bulk.

``apply_doc`` reconciles one project through the ORM's unit of work (three flushes, an audit
row per record) — right for editing, but ~20 projects/s. A large import or a generated registry
of 100 000 projects creates only *new* projects, so this module writes each table once per
batch with multi-row INSERTs (``insertmanyvalues``, ids returned in order), from the same value
builders ``apply_doc`` uses. Shared organisations and people go through the store's
``find_or_create_*`` once per distinct input (through the ORM, so they are audited field by
field). The history gets one "create" row per project holding its whole content — the project
document as JSON (``field`` is ``"document"``) — instead of one row per field of every goal,
indicator value …; only keys the rows were given here (records the document had no key for)
are not in it. The full-text index is written like the ORM events would (SQLite FTS5 rows;
PostgreSQL's tsvector column is generated).

``tests/db/test_bulk.py`` checks that a project created here reads back (``to_doc``) exactly like
one created by ``apply_doc``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from .base import new_key, utcnow
from .models import (
    Attachment,
    AuditEntry,
    BudgetLine,
    CostActual,
    Funding,
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    NarrativeSection,
    ParticipantStat,
    Project,
    ProjectLink,
    ProjectOrganisation,
    ProjectPerson,
    ProjectTheme,
    ReportingPeriod,
    Result,
    TargetRevision,
)
from .schemas import OrganisationIn, PersonIn, ProjectDoc
from .search import _FTS_DELETE, _FTS_INSERT, index_text
from .store import (
    PROJECT_FIELDS,
    _attachment_values,
    _budget_line,
    _cost_actual,
    _funding,
    _goal_values,
    _indicator_values,
    _link,
    _measure_values,
    _period,
    _project_person,
    _result_values,
    _revision,
    _section,
    _stat,
    _unique_roles,
    _value,
    build_search_text,
    find_or_create_organisation,
    find_or_create_person,
    finnish_sort_key,
    stored_shared,
)

# The audit row of a project created here: its field name (the value is the whole document).
BULK_CONTENT_FIELD = "document"

# Many-to-one references the store's value builders give as objects; rows need their ids.
_REFERENCES = {"organisation": "organisation_id", "person": "person_id", "period": "period_id"}


@dataclass(frozen=True)
class _Ref:
    """Stands in for a saved row where a value builder only reads ``.id``."""

    id: int


def _row(values: dict[str, Any], **fixed: Any) -> dict[str, Any]:
    row = dict(values)
    for name, column in _REFERENCES.items():
        if name in row:
            target = row.pop(name)
            row[column] = target.id if target is not None else None
    row.update(fixed)
    return row


def _insert(
    session: Session, model: type[Any], rows: list[dict[str, Any]], identity: tuple[str, ...] = ()
) -> list[int]:
    """Insert rows with plain multi-row INSERTs; with ``identity`` (columns that are unique
    together, e.g. project and key), the new ids in row order are read back.

    (``INSERT … RETURNING`` with ids in parameter order runs one row per statement on SQLite;
    reading the ids back by a natural key is many times faster on both backends.)"""
    if not rows:
        return []
    if "key" in identity:
        for row in rows:
            row.setdefault("key", None)
            row["key"] = row["key"] or new_key()
    by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        by_shape.setdefault(tuple(sorted(row)), []).append(row)
    for same_shape in by_shape.values():
        _insert_rows(session, model.__table__, same_shape)
    if not identity:
        return []
    table = model.__table__
    columns = [table.c[name] for name in identity]
    scope = identity[0]  # project_id, or the project's own key
    wanted = list({row[scope] for row in rows})
    found: dict[tuple[Any, ...], int] = {}
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        for row_id, *ident in session.connection().execute(
            select(table.c.id, *columns).where(table.c[scope].in_(chunk))
        ):
            found[tuple(ident)] = row_id
    return [found[tuple(row[name] for name in identity)] for row in rows]


def _python_defaults(table: Table, given: Iterable[str]) -> dict[str, Any] | None:
    """The columns left out of ``given`` that have a default computed in Python: a value or
    a function of no arguments (called per row); None when a default needs SQLAlchemy's
    execution context (a function of the context, a SQL expression, a sequence)."""
    defaults: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if column.key in given or default is None:
            continue
        if getattr(default, "is_scalar", False):
            defaults[column.key] = default.arg  # type: ignore[attr-defined]
        elif getattr(default, "is_callable", False) and hasattr(default.arg, "__wrapped__"):  # type: ignore[attr-defined]
            defaults[column.key] = default.arg.__wrapped__  # type: ignore[attr-defined]
        else:
            return None
    return defaults


def _insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows with the same columns, as one ``executemany`` of one compiled INSERT.

    SQLAlchemy's own ``execute(insert(table), rows)`` builds every row's parameters through
    the compiled statement (defaults, type processing, a dict per row) — at 600 000 rows
    seconds of work; here that is done once per column, and the rows go to the driver as
    they are (the same statement, the same defaults and the same type conversions)."""
    connection = session.connection()
    names = list(rows[0])
    defaults = _python_defaults(table, names)
    if defaults is None:
        connection.execute(insert(table), rows)
        return
    columns = names + list(defaults)
    compiled = insert(table).compile(dialect=connection.dialect, column_keys=columns)
    processors: dict[str, Any] = dict(compiled._bind_processors)  # each bind's conversion
    binds = compiled.positiontup if compiled.positional else list(compiled.binds)
    if binds is None or set(binds) != set(columns):  # a statement this code does not expect
        connection.execute(insert(table), rows)
        return
    now = utcnow()  # the rows written together are created at one moment
    fixed: dict[str, Any] = {}  # the same for every row: converted once
    made: dict[str, Any] = {}  # made anew for each row (a key)
    for name, default in defaults.items():
        value = now if default is utcnow else default
        if callable(value):
            made[name] = value
        else:
            process = processors.get(name)
            fixed[name] = value if process is None else process(value)
    steps = [(name, processors.get(name), name in fixed) for name in binds]
    parameters: list[Any] = []
    for given in rows:
        row = {**given, **{name: make() for name, make in made.items()}} if made else given
        converted = [
            fixed[name] if is_fixed else row[name] if process is None else process(row[name])
            for name, process, is_fixed in steps
        ]
        parameters.append(
            tuple(converted) if compiled.positional else dict(zip(binds, converted, strict=True))
        )
    connection.exec_driver_sql(compiled.string, parameters)


def project_values(doc: ProjectDoc) -> dict[str, Any]:
    """The project row's own columns for a new project."""
    values: dict[str, Any] = {name: getattr(doc, name) for name in PROJECT_FIELDS}
    if doc.key:
        values["key"] = doc.key
    values["source_key"] = doc.source_key or None
    values["sort_name"] = finnish_sort_key(doc.name)[:500]
    values["search_text"] = build_search_text(doc)
    values["search_index"] = index_text(doc.name, values["search_text"], doc)
    return values


def create_projects(
    session: Session, docs: Sequence[ProjectDoc], shared: dict[str, Any] | None = None
) -> list[int]:
    """Create a new project for every document (none may exist yet); their ids, in order.

    The caller validates the documents and their codes first and commits afterwards.
    ``shared`` may carry the organisations and people found so far from one call to the next
    (a generator's batches); it holds only ids.
    """
    if not docs:
        return []
    shared = {} if shared is None else shared  # one find-or-create per distinct input
    unsaved: dict[Hashable, Any] = {}  # what those made or changed, until the flush below

    def once(kind: str, item: Any, make: Any) -> dict[str, Any]:
        marker = kind + item.model_dump_json()
        if marker not in shared:
            shared[marker] = make()
        return dict(shared[marker])

    # What the database holds for the inputs not found before, read in a few queries.
    stored = stored_shared(
        session,
        [
            o
            for doc in docs
            for o in [x.organisation for x in doc.organisations] + [f.funder for f in doc.funding]
            if "org:" + o.model_dump_json() not in shared
        ],
        [
            x.person
            for doc in docs
            for x in doc.people
            if "person:" + x.person.model_dump_json() not in shared
        ],
    )

    def organisation(data: OrganisationIn) -> Any:
        marker = "org:" + data.model_dump_json()
        if marker not in shared:
            shared[marker] = find_or_create_organisation(session, data, unsaved, stored)
        return shared[marker]

    def person(data: PersonIn) -> Any:
        marker = "person:" + data.model_dump_json()
        if marker not in shared:
            shared[marker] = find_or_create_person(session, data, unsaved, stored=stored)
        return shared[marker]

    org_links = [
        [
            {"organisation": organisation(x.organisation), "role": x.role, "position": i}
            for i, x in enumerate(_unique_roles(doc.organisations))
        ]
        for doc in docs
    ]
    funding = [
        [_funding(x, i, organisation(x.funder)) for i, x in enumerate(doc.funding)] for doc in docs
    ]
    people = [
        [_project_person(x, i, person(x.person)) for i, x in enumerate(doc.people)] for doc in docs
    ]
    session.flush()  # new organisations and people get their ids
    for marker, found in shared.items():
        shared[marker] = _Ref(found.id)  # ids outlive the session's objects

    project_rows = [project_values(doc) for doc in docs]
    project_ids = _insert(session, Project, project_rows, ("key",))
    simple: dict[type[Any], list[dict[str, Any]]] = {
        ProjectTheme: [],
        ProjectLink: [],
        NarrativeSection: [],
        ProjectOrganisation: [],
        Funding: [],
        ProjectPerson: [],
        Attachment: [],
        BudgetLine: [],
    }
    period_rows: list[dict[str, Any]] = []
    goal_rows: list[dict[str, Any]] = []
    for n, (project_id, doc) in enumerate(zip(project_ids, docs, strict=True)):
        themes = dict.fromkeys(doc.themes)
        simple[ProjectTheme] += [
            {"project_id": project_id, "theme": t, "position": i} for i, t in enumerate(themes)
        ]
        simple[ProjectLink] += [
            _row(_link(x, i), project_id=project_id) for i, x in enumerate(doc.links)
        ]
        simple[NarrativeSection] += [
            _row(_section(x, i), project_id=project_id) for i, x in enumerate(doc.sections)
        ]
        simple[ProjectOrganisation] += [_row(v, project_id=project_id) for v in org_links[n]]
        simple[Funding] += [_row(v, project_id=project_id) for v in funding[n]]
        simple[ProjectPerson] += [_row(v, project_id=project_id) for v in people[n]]
        simple[Attachment] += [
            _row(_attachment_values(x, i), project_id=project_id)
            for i, x in enumerate(doc.attachments)
        ]
        simple[BudgetLine] += [
            _row(_budget_line(x, i), project_id=project_id) for i, x in enumerate(doc.budget_lines)
        ]
        period_rows += [
            _row(_period(p), project_id=project_id)
            for p in sorted(doc.periods, key=lambda p: p.number)
        ]
        goal_rows += [
            _row(_goal_values(x, i), project_id=project_id) for i, x in enumerate(doc.goals)
        ]
    for model, rows in simple.items():
        _insert(session, model, rows)
    period_ids = iter(_insert(session, ReportingPeriod, period_rows, ("project_id", "number")))
    goal_ids = iter(_insert(session, Goal, goal_rows, ("project_id", "key")))

    periods: list[dict[int, _Ref]] = []
    goals: list[dict[str, _Ref]] = []
    parents: list[dict[str, Any]] = []
    measure_rows: list[dict[str, Any]] = []
    for project_id, doc in zip(project_ids, docs, strict=True):
        periods.append(
            {p.number: _Ref(next(period_ids)) for p in sorted(doc.periods, key=lambda p: p.number)}
        )
        ids = [next(goal_ids) for _goal in doc.goals]
        by_key = {g.key: _Ref(i) for g, i in zip(doc.goals, ids, strict=True) if g.key}
        goals.append(by_key)
        parents += [
            {"id": i, "parent_id": by_key[g.parent_key].id}
            for g, i in zip(doc.goals, ids, strict=True)
            if g.parent_key
        ]
        measure_rows += [
            _row(_measure_values(x, i, by_key), project_id=project_id)  # type: ignore[arg-type]
            for i, x in enumerate(doc.measures)
        ]
    if parents:
        session.connection().execute(
            update(Goal)
            .where(Goal.id == bindparam("goal_id"))
            .values(parent_id=bindparam("parent")),
            [{"goal_id": p["id"], "parent": p["parent_id"]} for p in parents],
        )
    measure_ids = iter(_insert(session, Measure, measure_rows, ("project_id", "key")))

    result_rows: list[dict[str, Any]] = []
    indicator_rows: list[dict[str, Any]] = []
    stat_rows: list[dict[str, Any]] = []
    cost_rows: list[dict[str, Any]] = []
    measures: list[dict[str, _Ref]] = []
    for n, (project_id, doc) in enumerate(zip(project_ids, docs, strict=True)):
        ids = [next(measure_ids) for _measure in doc.measures]
        by_key = {m.key: _Ref(i) for m, i in zip(doc.measures, ids, strict=True) if m.key}
        measures.append(by_key)
        g = goals[n]
        result_rows += [
            _row(_result_values(x, i, g, by_key), project_id=project_id)  # type: ignore[arg-type]
            for i, x in enumerate(doc.results)
        ]
        indicator_rows += [
            _row(_indicator_values(x, i, g, by_key), project_id=project_id)  # type: ignore[arg-type]
            for i, x in enumerate(doc.indicators)
        ]
        stat_rows += [
            _row(_stat(s, i, periods[n]), project_id=project_id)  # type: ignore[arg-type]
            for i, s in enumerate(doc.participant_stats)
        ]
        cost_rows += [
            _row(_cost_actual(x, i, periods[n]), project_id=project_id)  # type: ignore[arg-type]
            for i, x in enumerate(doc.cost_actuals)
        ]
    _insert(session, Result, result_rows)
    _insert(session, ParticipantStat, stat_rows)
    _insert(session, CostActual, cost_rows)
    indicator_ids = iter(_insert(session, Indicator, indicator_rows, ("project_id", "key")))

    revision_rows: list[dict[str, Any]] = []
    value_rows: list[dict[str, Any]] = []
    for n, doc in enumerate(docs):
        for indicator in doc.indicators:
            indicator_id = next(indicator_ids)
            revision_rows += [
                _row(_revision(r), indicator_id=indicator_id) for r in indicator.revisions
            ]
            value_rows += [
                _row(_value(v, periods[n]), indicator_id=indicator_id)  # type: ignore[arg-type]
                for v in indicator.values
            ]
    _insert(session, TargetRevision, revision_rows)
    _insert(session, IndicatorValue, value_rows)

    if session.get_bind().dialect.name == "sqlite":
        rows = [
            {"id": pid, "content": row["search_index"]}
            for pid, row in zip(project_ids, project_rows, strict=True)
        ]
        # An id SQLite reuses may still have a row left by a deletion outside the ORM.
        session.connection().execute(_FTS_DELETE, rows)
        session.connection().execute(_FTS_INSERT, rows)
    actor = session.info.get("actor", "system")
    now = utcnow()
    session.connection().execute(
        insert(AuditEntry),
        [
            {
                "at": now,
                "actor": actor,
                "action": "create",
                "entity": "project",
                "entity_id": pid,
                "project_id": pid,
                "assessment_id": None,
                "field": BULK_CONTENT_FIELD,
                "old_value": None,
                "new_value": _content(doc, project_rows[n]["key"]),
            }
            for n, (pid, doc) in enumerate(zip(project_ids, docs, strict=True))
        ],
    )
    return project_ids


def _content(doc: ProjectDoc, key: str) -> str:
    """What a bulk-created project holds, for its one audit row."""
    return doc.model_copy(update={"key": key}).model_dump_json(exclude_defaults=True)
