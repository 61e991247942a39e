"""Conversion between stored projects and the interchange document (``ProjectDoc``).

``apply_doc`` reconciles a project with a document: rows are matched (by key, natural key or
position), only values that really differ are written, surplus rows are deleted. Re-importing
the same source therefore changes nothing and leaves no audit noise. ``merge_doc`` makes the
document for an update that keeps what a partial source does not mention.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .base import utcnow
from .fields import scalar_fields, scalar_names
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
    Organisation,
    ParticipantStat,
    Person,
    Project,
    ProjectLink,
    ProjectOrganisation,
    ProjectPerson,
    ProjectTheme,
    ReportingPeriod,
    Result,
    TargetRevision,
)
from .schemas import (
    AttachmentIn,
    BudgetLineIn,
    CostActualIn,
    FundingIn,
    GoalIn,
    IndicatorIn,
    IndicatorValueIn,
    LinkIn,
    MeasureIn,
    OrganisationIn,
    ParticipantStatIn,
    PeriodIn,
    PersonIn,
    ProjectDoc,
    ProjectFields,
    ProjectOrganisationIn,
    ProjectPersonIn,
    ResultIn,
    SectionIn,
    TargetRevisionIn,
    participant_group,
)
from .search import index_text
from .validators import search_fold

T = TypeVar("T")

# The project's own fields (scalars all): declared once, in ``ProjectFields``.
PROJECT_FIELDS = tuple(ProjectFields.model_fields)

# Reference fields: scalars of the document that name another record and are stored as a
# reference (a goal's, measure's or period's row), so they are not copied as they are.
_KEYED = frozenset({"key"})
_REFS = frozenset({"key", "parent_key", "goal_key", "measure_key"})
_PERIOD_REF = frozenset({"period"})

_FINNISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "w": "v", "ü": "y"})


def finnish_sort_key(text: str) -> str:
    """A key whose plain byte order is the Finnish alphabetical order (… Z Å Ä Ö)."""
    return search_fold(text).translate(_FINNISH_ORDER)


def _assign(obj: Any, values: dict[str, Any]) -> None:
    """Set only what differs, so unchanged rows are neither updated nor audited."""
    for name, value in values.items():
        current = getattr(obj, name)
        if isinstance(current, Decimal) and isinstance(value, Decimal):
            if current.compare(value) == 0:
                continue
        elif current == value:
            continue
        setattr(obj, name, value)


def _scalars(item: BaseModel, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A document record's scalar fields (``fields.scalar_fields``) as its row's values."""
    return {name: getattr(item, name) for name in scalar_names(type(item), exclude)}


def _fresh(factory: Callable[[], T]) -> T:
    """A new row whose lists are known to be empty: reading them after a flush must not query
    the database (one lazy load per new row made saving a project several times slower)."""
    obj = factory()
    for relationship in sa_inspect(type(obj)).relationships:
        if relationship.uselist:
            set_committed_value(obj, relationship.key, [])
    return obj


def _sync(
    current: Sequence[T],
    wanted: Iterable[tuple[Hashable, dict[str, Any]]],
    match_key: Callable[[T], Hashable],
    factory: Callable[[], T],
) -> list[T]:
    """The rows for ``wanted``: existing rows reused by match key, new ones created."""
    existing = {match_key(obj): obj for obj in current}
    result = []
    for key, values in wanted:
        obj = existing.pop(key, None)
        if obj is None:
            obj = _fresh(factory)
        _assign(obj, values)
        result.append(obj)
    return result


def _sync_in_order(
    current: Sequence[T], wanted: Sequence[dict[str, Any]], factory: Callable[[], T]
) -> list[T]:
    """Rows matched by their place in the list (for rows that have no key or position)."""
    result = []
    for index, values in enumerate(wanted):
        obj = current[index] if index < len(current) else _fresh(factory)
        _assign(obj, values)
        result.append(obj)
    return result


def _positional(items: Sequence[Any]) -> list[tuple[Hashable, dict[str, Any]]]:
    return [(("pos", i), values) for i, values in enumerate(items)]


def _by_position(obj: Any) -> Hashable:
    return ("pos", obj.position)


def _keyed_match(items: Sequence[Any], current: Sequence[Any]) -> list[Hashable]:
    """Match keys for keyed rows: the document's key when it has one, else the position."""
    known = {obj.key for obj in current}
    return [
        item.key if item.key and item.key in known else ("pos", i) for i, item in enumerate(items)
    ]


def _keyed_current(obj: Any, wanted_keys: set[Hashable]) -> Hashable:
    return obj.key if obj.key in wanted_keys else ("pos", obj.position)


# --- shared entities -----------------------------------------------------------------------


def find_or_create_organisation(
    session: Session,
    data: OrganisationIn,
    unsaved: dict[Hashable, Any] | None = None,
    stored: StoredShared | None = None,
) -> Organisation:
    """The organisation with this Y-tunnus, else with this name; created when there is none.

    Missing details (type, Y-tunnus) of a found organisation are filled in, never overwritten.
    ``unsaved`` (bulk creation) remembers the records made since the last flush, so they are
    found without flushing before every query; ``stored`` (``stored_shared``) holds what the
    queries would find, read beforehand for a whole batch.
    """
    org = None
    with session.no_autoflush if unsaved is not None else nullcontext():
        if data.y_tunnus:
            org = _remembered(unsaved, "y_tunnus", data.y_tunnus) or (
                stored.org_by_y_tunnus.get(data.y_tunnus)
                if stored is not None
                else session.scalar(
                    select(Organisation).where(Organisation.y_tunnus == data.y_tunnus)
                )
            )
        if org is None:
            candidates = [
                *_remembered_all(unsaved, "org_name", data.name),
                *(
                    stored.orgs_by_name.get(data.name, ())
                    if stored is not None
                    else session.scalars(
                        select(Organisation)
                        .where(Organisation.name == data.name)
                        .order_by(Organisation.id)
                    )
                ),
            ]
            org = next((o for o in candidates if not data.y_tunnus or not o.y_tunnus), None)
    if org is None:
        org = Organisation(name=data.name)
        session.add(org)
    for name in ("org_type", "y_tunnus", "municipality"):
        if getattr(org, name) is None and getattr(data, name) is not None:
            setattr(org, name, getattr(data, name))
    _remember(unsaved, org, ("org_name", org.name), ("y_tunnus", org.y_tunnus))
    return org


def find_or_create_person(
    session: Session,
    data: PersonIn,
    unsaved: dict[Hashable, Any] | None = None,
    known: Sequence[Person] = (),
    stored: StoredShared | None = None,
) -> Person:
    """The person with this e-mail; else the person of this name among ``known`` (the project's
    people) or in the same organisation, whose e-mail has changed; else a person of this name
    known without e-mail; or a new one. A found person's e-mail and phone are updated.
    Where several stored people match, the first saved is taken. ``stored`` as for
    ``find_or_create_organisation``."""
    person = None
    with session.no_autoflush if unsaved is not None else nullcontext():
        if data.email:
            person = _remembered(unsaved, "email", data.email) or (
                stored.person_by_email.get(data.email)
                if stored is not None
                else session.scalar(
                    select(Person).where(Person.email == data.email).order_by(Person.id).limit(1)
                )
            )
        if person is None:
            person = _same_person(session, data, known, stored)
        if person is None:
            person = _remembered(unsaved, "no_email", data.name) or (
                stored.person_without_email.get(data.name)
                if stored is not None
                else session.scalar(
                    select(Person)
                    .where(Person.name == data.name, Person.email.is_(None))
                    .order_by(Person.id)
                    .limit(1)
                )
            )
    if person is None:
        person = Person(name=data.name)
        session.add(person)
    _assign(person, {"name": data.name})
    if data.email:
        _assign(person, {"email": data.email})
    if data.phone:
        _assign(person, {"phone": data.phone})
    if data.organisation and person.organisation is None:
        person.organisation = find_or_create_organisation(
            session, OrganisationIn(name=data.organisation), unsaved, stored
        )
    no_email = None if person.email else person.name
    _remember(unsaved, person, ("email", person.email), ("no_email", no_email))
    return person


def _same_person(
    session: Session, data: PersonIn, known: Sequence[Person], stored: StoredShared | None = None
) -> Person | None:
    """The same name in the same project, or in the same organisation: the same person, even
    when the source gives another e-mail (people change addresses; a duplicate is wrong)."""
    name = search_fold(data.name)
    for person in known:
        if search_fold(person.name) == name:
            return person
    if not data.organisation:
        return None
    if stored is not None:
        return stored.person_in_organisation.get((data.name, data.organisation))
    return session.scalar(
        select(Person)
        .join(Organisation, Person.organisation_id == Organisation.id)
        .where(Person.name == data.name, Organisation.name == data.organisation)
        .order_by(Person.id)
        .limit(1)
    )


@dataclass
class StoredShared:
    """The stored organisations and people that ``find_or_create_*`` would query for a batch of
    inputs, read beforehand in a few queries (``stored_shared``); the first saved where several
    match, as the single queries take."""

    org_by_y_tunnus: dict[str, Organisation]
    orgs_by_name: dict[str, list[Organisation]]
    person_by_email: dict[str, Person]
    person_without_email: dict[str, Person]
    person_in_organisation: dict[tuple[str, str], Person]
    # The found people's organisations: held here, so that they stay in the session's
    # identity map (which holds unchanged records weakly) until they are read.
    organisations: list[Organisation]


_IN_CHUNK = 5000  # values per IN list (well below either backend's limit on parameters)


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    wanted = sorted(set(values))
    for start in range(0, len(wanted), _IN_CHUNK):
        yield wanted[start : start + _IN_CHUNK]


def stored_shared(
    session: Session, organisations: Iterable[OrganisationIn], people: Iterable[PersonIn]
) -> StoredShared:
    """What the database holds for these inputs, as ``find_or_create_organisation`` and
    ``find_or_create_person`` look for it: organisations by Y-tunnus and by name (every input
    organisation and every person's organisation), people by e-mail, by name without e-mail
    and by name in an organisation of the given name. The people's organisations are read too,
    so that reading ``person.organisation`` needs no query (nor a flush) afterwards."""
    people = list(people)
    org_names = {o.name for o in organisations} | {p.organisation for p in people if p.organisation}
    y_tunnukset = {o.y_tunnus for o in organisations if o.y_tunnus}
    found = StoredShared({}, {}, {}, {}, {}, [])
    with session.no_autoflush:
        for chunk in _chunks(y_tunnukset):
            for org in session.scalars(
                select(Organisation).where(Organisation.y_tunnus.in_(chunk))
            ):
                found.org_by_y_tunnus[org.y_tunnus or ""] = org
        for chunk in _chunks(org_names):
            for org in session.scalars(
                select(Organisation).where(Organisation.name.in_(chunk)).order_by(Organisation.id)
            ):
                found.orgs_by_name.setdefault(org.name, []).append(org)
        readers: list[Person] = []
        for chunk in _chunks(p.email for p in people if p.email):
            for person in session.scalars(
                select(Person).where(Person.email.in_(chunk)).order_by(Person.id)
            ):
                found.person_by_email.setdefault(person.email or "", person)
                readers.append(person)
        for chunk in _chunks(p.name for p in people):
            for person in session.scalars(
                select(Person)
                .where(Person.name.in_(chunk), Person.email.is_(None))
                .order_by(Person.id)
            ):
                found.person_without_email.setdefault(person.name, person)
                readers.append(person)
        in_organisation = [p for p in people if p.organisation]
        by_organisation: list[tuple[Person, str]] = []
        for person_names in _chunks(p.name for p in in_organisation):
            for their_orgs in _chunks(p.organisation for p in in_organisation):
                by_organisation += [
                    (person, org_name)
                    for person, org_name in session.execute(
                        select(Person, Organisation.name)
                        .join(Organisation, Person.organisation_id == Organisation.id)
                        .where(Person.name.in_(person_names), Organisation.name.in_(their_orgs))
                    )
                ]
        for person, org_name in sorted(by_organisation, key=lambda found: found[0].id):
            found.person_in_organisation.setdefault((person.name, org_name), person)
            readers.append(person)
        org_ids = {p.organisation_id for p in readers if p.organisation_id is not None}
        for chunk in _chunks(org_ids):
            found.organisations += session.scalars(
                select(Organisation).where(Organisation.id.in_(chunk))
            )
    return found


def _remembered(unsaved: dict[Hashable, Any] | None, kind: str, value: str) -> Any:
    found = _remembered_all(unsaved, kind, value)
    return found[0] if found else None


def _remembered_all(unsaved: dict[Hashable, Any] | None, kind: str, value: str) -> list[Any]:
    return list(unsaved.get((kind, value), ())) if unsaved is not None else []


def _remember(unsaved: dict[Hashable, Any] | None, record: Any, *keys: tuple[str, Any]) -> None:
    if unsaved is None:
        return
    for kind, value in keys:
        if value is not None:
            records = unsaved.setdefault((kind, value), [])
            if record not in records:
                records.append(record)


# --- document → database ---------------------------------------------------------------------


def apply_doc(session: Session, project: Project, doc: ProjectDoc) -> Project:
    """Make ``project`` hold exactly what ``doc`` says. The caller commits."""
    audit_mark = session.scalar(select(func.max(AuditEntry.id))) or 0
    values = {name: getattr(doc, name) for name in PROJECT_FIELDS}
    if doc.key and project.key != doc.key:
        values["key"] = doc.key
    values["source_key"] = doc.source_key if doc.source_key else project.source_key
    values["sort_name"] = finnish_sort_key(doc.name)[:500]  # casefold may lengthen (ß → ss)
    if project.id is None:
        for relationship in sa_inspect(Project).relationships:
            if relationship.uselist and relationship.key not in project.__dict__:
                set_committed_value(project, relationship.key, [])
        session.add(project)
    _assign(project, values)

    project.themes = _sync(
        project.themes,
        _positional([{"theme": t, "position": i} for i, t in enumerate(dict.fromkeys(doc.themes))]),
        _by_position,
        ProjectTheme,
    )
    project.links = _sync(
        project.links,
        _positional([_link(x, i) for i, x in enumerate(doc.links)]),
        _by_position,
        ProjectLink,
    )
    project.sections = _sync(
        project.sections,
        _positional([_section(x, i) for i, x in enumerate(doc.sections)]),
        _by_position,
        NarrativeSection,
    )
    project.organisations = _sync(
        project.organisations,
        [_project_org(session, x, i) for i, x in enumerate(_unique_roles(doc.organisations))],
        lambda o: (o.organisation_id, o.role),
        ProjectOrganisation,
    )
    project.funding = _sync(
        project.funding,
        _positional(
            [
                _funding(x, i, find_or_create_organisation(session, x.funder))
                for i, x in enumerate(doc.funding)
            ]
        ),
        _by_position,
        Funding,
    )
    known_people = [link.person for link in project.people]
    project.people = _sync(
        project.people,
        _positional(
            [
                _project_person(x, i, find_or_create_person(session, x.person, known=known_people))
                for i, x in enumerate(doc.people)
            ]
        ),
        _by_position,
        ProjectPerson,
    )
    _drop_rows_of_removed_periods(session, project, {p.number for p in doc.periods})
    project.periods = _sync(
        project.periods,
        [(p.number, _period(p)) for p in sorted(doc.periods, key=lambda p: p.number)],
        lambda p: p.number,
        ReportingPeriod,
    )
    project.goals = _sync_keyed(project.goals, doc.goals, _goal_values, Goal)
    project.attachments = _sync_keyed(
        project.attachments, doc.attachments, _attachment_values, Attachment
    )
    session.flush()  # goal, measure and period ids are needed for the references below

    goals = {g.key: g for g in project.goals}
    for goal, goal_in in zip(project.goals, doc.goals, strict=True):
        parent = goals[goal_in.parent_key].id if goal_in.parent_key else None
        _assign(goal, {"parent_id": parent})
    project.measures = _sync_keyed(
        project.measures, doc.measures, lambda x, i: _measure_values(x, i, goals), Measure
    )
    session.flush()
    measures = {m.key: m for m in project.measures}
    project.results = _sync_keyed(
        project.results, doc.results, lambda x, i: _result_values(x, i, goals, measures), Result
    )
    periods = {p.number: p for p in project.periods}
    project.indicators = _sync_keyed(
        project.indicators,
        doc.indicators,
        lambda x, i: _indicator_values(x, i, goals, measures),
        Indicator,
    )
    for indicator, indicator_in in zip(project.indicators, doc.indicators, strict=True):
        indicator.revisions = _sync_in_order(
            indicator.revisions, [_revision(r) for r in indicator_in.revisions], TargetRevision
        )
        indicator.values = _sync(
            indicator.values,
            [(v.period, _value(v, periods)) for v in indicator_in.values],
            lambda v: v.period.number,
            IndicatorValue,
        )
    project.participant_stats = _sync(
        project.participant_stats,
        [(participant_group(s), _stat(s, i, periods)) for i, s in enumerate(doc.participant_stats)],
        lambda s: (
            s.period.number if s.period else None,
            s.gender,
            s.age_class,
            s.labour_status,
            s.education,
        ),
        ParticipantStat,
    )
    project.budget_lines = _sync(
        project.budget_lines,
        [((x.scheme, x.category), _budget_line(x, i)) for i, x in enumerate(doc.budget_lines)],
        lambda x: (x.scheme, x.category),
        BudgetLine,
    )
    project.cost_actuals = _sync(
        project.cost_actuals,
        [
            ((x.period, x.scheme, x.category), _cost_actual(x, i, periods))
            for i, x in enumerate(doc.cost_actuals)
        ],
        lambda x: (x.period.number, x.scheme, x.category),
        CostActual,
    )
    project.search_text = build_search_text(doc)
    # The full-text index follows: FTS5 rows via project_db.search's mapper events, the
    # PostgreSQL tsvector as a generated column.
    project.search_index = index_text(doc.name, project.search_text, doc)
    session.flush()
    _bump_version_if_children_changed(session, project, audit_mark)
    return project


def _drop_rows_of_removed_periods(session: Session, project: Project, kept: set[int]) -> None:
    """Rows of a period that goes are deleted first, by the ORM: deleted in the same flush as
    their period, the database's cascade could remove them before the ORM's own DELETE, which
    then finds nothing and fails the save."""
    if all(p.number in kept for p in project.periods):
        return

    def stays(row: Any) -> bool:
        return row.period is None or row.period.number in kept

    project.participant_stats = [s for s in project.participant_stats if stays(s)]
    project.cost_actuals = [c for c in project.cost_actuals if stays(c)]
    for indicator in project.indicators:
        indicator.values = [v for v in indicator.values if stays(v)]
    # A hand-added deadline and the review state of a period that goes go with it, audited
    # (``deadlines`` and ``period_reviews`` are declared with their models; a period added
    # later under the same number must not inherit them).
    for collection in ("deadlines", "period_reviews"):
        rows = getattr(project, collection)
        rows[:] = [r for r in rows if r.period is None or r.period in kept]
    session.flush()


def _bump_version_if_children_changed(session: Session, project: Project, audit_mark: int) -> None:
    """A change to any related record is a change to the project: its version moves on, so an
    editor holding the old version gets a conflict instead of overwriting it."""
    entities = session.scalars(
        select(AuditEntry.entity)
        .where(AuditEntry.id > audit_mark, AuditEntry.project_id == project.id)
        .distinct()
    ).all()
    if entities and "project" not in entities:
        project.updated_at = utcnow()
        session.flush()


def _sync_keyed(
    current: Sequence[T],
    items: Sequence[Any],
    values: Callable[[Any, int], dict[str, Any]],
    factory: Callable[[], T],
) -> list[T]:
    keys = _keyed_match(items, current)
    wanted_keys: set[Hashable] = {k for k in keys if isinstance(k, str)}
    return _sync(
        current,
        [(k, values(item, i)) for i, (k, item) in enumerate(zip(keys, items, strict=True))],
        lambda obj: _keyed_current(obj, wanted_keys),
        factory,
    )


def _unique_roles(items: list[ProjectOrganisationIn]) -> list[ProjectOrganisationIn]:
    seen: set[tuple[str, str]] = set()
    result = []
    for item in items:
        marker = (search_fold(item.organisation.name), item.role)
        if marker not in seen:
            seen.add(marker)
            result.append(item)
    return result


def _link(x: LinkIn, i: int) -> dict[str, Any]:
    return _scalars(x) | {"position": i}


def _section(x: SectionIn, i: int) -> dict[str, Any]:
    return _scalars(x) | {"position": i}


def _project_org(
    session: Session, x: ProjectOrganisationIn, i: int
) -> tuple[Hashable, dict[str, Any]]:
    org = find_or_create_organisation(session, x.organisation)
    if org.id is None:
        session.flush()  # the match key needs the organisation's id
    return (org.id, x.role), {"organisation": org, "role": x.role, "position": i}


def _funding(x: FundingIn, i: int, funder: Any) -> dict[str, Any]:
    return {"organisation": funder, **_scalars(x), "position": i}


def _project_person(x: ProjectPersonIn, i: int, person: Any) -> dict[str, Any]:
    return {"person": person, **_scalars(x), "position": i}


def _period(p: PeriodIn) -> dict[str, Any]:
    return _scalars(p) | {"position": p.number}


def _goal_values(x: GoalIn, i: int) -> dict[str, Any]:
    values = _scalars(x, _REFS) | {"position": i}  # the parent is set after the flush
    return _with_key(values, x.key)


def _attachment_values(x: AttachmentIn, i: int) -> dict[str, Any]:
    values = _scalars(x, _KEYED) | {"position": i}
    return _with_key(values, x.key)


def _with_key(values: dict[str, Any], key: str | None) -> dict[str, Any]:
    """A document's key is kept; rows without one keep theirs (or get a new one)."""
    return values | {"key": key} if key else values


def _ref(mapping: dict[str, Any], key: str | None) -> int | None:
    return mapping[key].id if key else None


def _measure_values(x: MeasureIn, i: int, goals: dict[str, Goal]) -> dict[str, Any]:
    values = _scalars(x, _REFS) | {
        "goal_id": _ref(goals, x.goal_key),
        "position": i,
    }
    return _with_key(values, x.key)


def _result_values(
    x: ResultIn, i: int, goals: dict[str, Goal], measures: dict[str, Measure]
) -> dict[str, Any]:
    values = _scalars(x, _REFS) | {
        "goal_id": _ref(goals, x.goal_key),
        "measure_id": _ref(measures, x.measure_key),
        "position": i,
    }
    return _with_key(values, x.key)


def _indicator_values(
    x: IndicatorIn, i: int, goals: dict[str, Goal], measures: dict[str, Measure]
) -> dict[str, Any]:
    values = _scalars(x, _REFS) | {
        "goal_id": _ref(goals, x.goal_key),
        "measure_id": _ref(measures, x.measure_key),
        "position": i,
    }
    return _with_key(values, x.key)


def _revision(r: TargetRevisionIn) -> dict[str, Any]:
    return _scalars(r)


def _value(v: IndicatorValueIn, periods: dict[int, ReportingPeriod]) -> dict[str, Any]:
    return _scalars(v, _PERIOD_REF) | {"period": periods[v.period]}


def _stat(s: ParticipantStatIn, i: int, periods: dict[int, ReportingPeriod]) -> dict[str, Any]:
    period = periods[s.period] if s.period else None
    return _scalars(s, _PERIOD_REF) | {"period": period, "position": i}


def _budget_line(x: BudgetLineIn, i: int) -> dict[str, Any]:
    return _scalars(x) | {"position": i}


def _cost_actual(x: CostActualIn, i: int, periods: dict[int, ReportingPeriod]) -> dict[str, Any]:
    return _scalars(x, _PERIOD_REF) | {"period": periods[x.period], "position": i}


def build_search_text(doc: ProjectDoc) -> str:
    """What the list search looks through: name, summary, goals, measures, results, narrative."""
    parts: list[str] = [doc.name, doc.short_name or "", doc.eura_code or "", doc.summary]
    parts += doc.themes
    parts += [g.title + "\n" + g.description for g in doc.goals]
    parts += [m.title + "\n" + m.description for m in doc.measures]
    parts += [r.text for r in doc.results]
    parts += [s.title + "\n" + s.body for s in doc.sections]
    return search_fold("\n".join(p for p in parts if p))


# --- database → document -------------------------------------------------------------------


def _org_doc(org: Organisation) -> OrganisationIn:
    return OrganisationIn.model_construct(
        name=org.name, org_type=org.org_type, y_tunnus=org.y_tunnus, municipality=org.municipality
    )


def _number(value: Decimal | None) -> Decimal | None:
    """Stored figures come back with the column's scale (200.0000): give back the value."""
    if value is None:
        return None
    normalised = value.normalize()
    return normalised.quantize(Decimal(1)) if normalised == normalised.to_integral() else normalised


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


_AS_STORED: dict[str, Callable[[Any], Any]] = {"money": _money, "number": _number}


def _stored(
    row: Any, model: type[BaseModel], exclude: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """A row's values of the scalar fields of its document model; figures as they were given."""
    return {
        f.name: _AS_STORED.get(f.kind, _same)(getattr(row, f.name))
        for f in scalar_fields(model)
        if f.name not in exclude
    }


def _same(value: Any) -> Any:
    return value


def to_doc(project: Project) -> ProjectDoc:
    """Everything stored about a project as an interchange document."""
    goal_keys = {g.id: g.key for g in project.goals}
    measure_keys = {m.id: m.key for m in project.measures}
    data: dict[str, Any] = _stored(project, ProjectFields)
    data.update(
        key=project.key,
        source_key=project.source_key,
        themes=[t.theme for t in project.themes],
        links=[_stored(x, LinkIn) for x in project.links],
        sections=[_stored(s, SectionIn) for s in project.sections],
        organisations=[
            {"organisation": _org_doc(o.organisation), "role": o.role}
            for o in project.organisations
        ],
        funding=[
            {"funder": _org_doc(f.organisation), **_stored(f, FundingIn)} for f in project.funding
        ],
        people=[
            {
                "person": PersonIn.model_construct(
                    name=p.person.name,
                    email=p.person.email,
                    phone=p.person.phone,
                    organisation=p.person.organisation.name if p.person.organisation else None,
                ),
                **_stored(p, ProjectPersonIn),
            }
            for p in project.people
        ],
        goals=[
            {
                **_stored(g, GoalIn, _REFS),
                "key": g.key,
                "parent_key": goal_keys.get(g.parent_id) if g.parent_id else None,
            }
            for g in project.goals
        ],
        measures=[
            {
                **_stored(m, MeasureIn, _REFS),
                "key": m.key,
                "goal_key": goal_keys.get(m.goal_id) if m.goal_id else None,
            }
            for m in project.measures
        ],
        results=[
            {
                **_stored(r, ResultIn, _REFS),
                "key": r.key,
                "goal_key": goal_keys.get(r.goal_id) if r.goal_id else None,
                "measure_key": measure_keys.get(r.measure_id) if r.measure_id else None,
            }
            for r in project.results
        ],
        indicators=[_indicator_doc(i, goal_keys, measure_keys) for i in project.indicators],
        periods=[_stored(p, PeriodIn) for p in project.periods],
        participant_stats=[
            {
                **_stored(s, ParticipantStatIn, _PERIOD_REF),
                "period": s.period.number if s.period else None,
            }
            for s in project.participant_stats
        ],
        budget_lines=[_stored(x, BudgetLineIn) for x in project.budget_lines],
        cost_actuals=[
            {**_stored(x, CostActualIn, _PERIOD_REF), "period": x.period.number}
            for x in project.cost_actuals
        ],
        attachments=[_stored(a, AttachmentIn) for a in project.attachments],
    )
    return ProjectDoc.model_validate(_plain(data))


def _indicator_doc(
    ind: Indicator, goal_keys: dict[int, str], measure_keys: dict[int, str]
) -> dict[str, Any]:
    return {
        **_stored(ind, IndicatorIn, _REFS),
        "key": ind.key,
        "goal_key": goal_keys.get(ind.goal_id) if ind.goal_id else None,
        "measure_key": measure_keys.get(ind.measure_id) if ind.measure_id else None,
        "revisions": [_stored(r, TargetRevisionIn) for r in ind.revisions],
        "values": [
            {**_stored(v, IndicatorValueIn, _PERIOD_REF), "period": v.period.number}
            for v in sorted(ind.values, key=lambda v: v.period.number)
        ],
    }


def _plain(value: Any) -> Any:
    """Nested pydantic models built with model_construct → dicts, for one validation pass."""
    if isinstance(value, OrganisationIn | PersonIn):
        return value.__dict__.copy()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


__all__ = [
    "Omitted",
    "apply_doc",
    "build_search_text",
    "find_or_create_organisation",
    "find_or_create_person",
    "finnish_sort_key",
    "merge_doc",
    "to_doc",
]


# --- merging a partial source ----------------------------------------------------------------


@dataclass(frozen=True)
class Omitted:
    """Something the registry holds that a source does not mention: a field (``item`` None) or
    one record of a list field (``field`` is the list's name, ``item`` names the record)."""

    field: str
    item: str | None = None


def _empty(value: Any) -> bool:
    return value is None or value in ("", [])


def merge_doc(current: ProjectDoc, source: ProjectDoc) -> tuple[ProjectDoc, list[Omitted]]:
    """``source`` completed with what ``current`` holds and the source does not mention, and
    the list of those things (what a full replacement would remove).

    A field the source leaves empty is not mentioned. A record of a list is mentioned when the
    source has the same record: the same theme, link address, section kind, organisation and
    role, funder, person name, reporting period, participant group, budget category, period's
    cost category, or (goals, measures,
    results, indicators, attachments) the same key, else the same place in the list — the same
    matching ``apply_doc`` does.
    """
    data = source.model_dump()
    have = current.model_dump()
    omitted: list[Omitted] = []
    for name in PROJECT_FIELDS:
        if _empty(data[name]) and not _empty(have[name]):
            data[name] = have[name]
            omitted.append(Omitted(name))
    natural: dict[str, Callable[[Any], Hashable]] = {
        "themes": search_fold,
        "links": lambda x: x["url"],
        "sections": lambda x: x["kind"],
        "organisations": lambda x: (search_fold(x["organisation"]["name"]), x["role"]),
        "funding": lambda x: search_fold(x["funder"]["name"]),
        "people": lambda x: search_fold(x["person"]["name"]),
        "periods": lambda x: x["number"],
        "participant_stats": lambda x: (
            x["period"],
            x["gender"],
            x["age_class"],
            x["labour_status"],
            x["education"],
        ),
        "budget_lines": lambda x: (x["scheme"], x["category"]),
        "cost_actuals": lambda x: (x["period"], x["scheme"], x["category"]),
    }
    for name, identity in natural.items():
        waiting: dict[Hashable, list[int]] = {}
        for index, item in enumerate(data[name]):
            waiting.setdefault(identity(item), []).append(index)
        matches = [
            queue.pop(0) if (queue := waiting.get(identity(x))) else None for x in have[name]
        ]
        data[name], kept = _in_stored_order(data[name], have[name], matches)
        omitted += [Omitted(name, _describe(name, x)) for x in kept]
    renamed: dict[str, dict[str, str]] = {}
    for name in ("goals", "measures", "results", "indicators", "attachments"):
        matches, renamed[name] = _match_keyed(data[name], have[name])
        data[name], kept = _in_stored_order(data[name], have[name], matches)
        omitted += [Omitted(name, _describe(name, x)) for x in kept]
    _follow_renamed_keys(data, renamed)
    current_indicators = {x["key"]: x for x in have["indicators"] if x["key"]}
    for indicator in data["indicators"]:
        stored = current_indicators.get(indicator["key"])
        # A link to the indicator catalogue is the registry's own: a source seldom gives one.
        for part in ("revisions", "values", "catalogue_key"):
            if stored and not indicator[part] and stored[part]:
                indicator[part] = stored[part]
                omitted.append(Omitted("indicators", f"{indicator['name']}: {part}"))
    return ProjectDoc.model_validate(data), omitted


def _in_stored_order(
    items: list[Any], stored: list[Any], matches: list[int | None]
) -> tuple[list[Any], list[Any]]:
    """Stored records in their places, each replaced by the source item matching it (``matches``
    gives its index), then the source's new items; and the stored records nothing matched.
    Keeping the places keeps rows matched by place in ``apply_doc`` from shifting."""
    merged = [
        x if match is None else items[match] for x, match in zip(stored, matches, strict=True)
    ]
    used = {match for match in matches if match is not None}
    merged += [x for i, x in enumerate(items) if i not in used]
    return merged, [x for x, match in zip(stored, matches, strict=True) if match is None]


def _match_keyed(
    items: list[dict[str, Any]], stored: list[dict[str, Any]]
) -> tuple[list[int | None], dict[str, str]]:
    """For each stored record, the source item matching it (by key, else by place) — the same
    matching ``apply_doc`` does — and the stored keys a matched source item replaces (key → new
    key). Keyless source items take the stored key."""
    stored_keys = {x["key"] for x in stored if x["key"]}
    by_key = {x["key"] for x in items if x["key"] in stored_keys}
    matches: list[int | None] = [None] * len(stored)
    renamed: dict[str, str] = {}
    for index, item in enumerate(items):
        if item["key"] in stored_keys:
            for i, x in enumerate(stored):
                if x["key"] == item["key"] and matches[i] is None:
                    matches[i] = index
            continue
        if index < len(stored) and stored[index]["key"] not in by_key:
            matches[index] = index
            old_key = stored[index]["key"]
            if not item["key"]:
                item["key"] = old_key
            elif old_key:
                renamed[old_key] = item["key"]
    return matches, renamed


def _follow_renamed_keys(data: dict[str, Any], renamed: dict[str, dict[str, str]]) -> None:
    """Kept records refer to goals and measures by key: follow a key the source replaced."""
    goals, measures = renamed["goals"], renamed["measures"]
    for name in ("goals", "measures", "results", "indicators"):
        for item in data[name]:
            if item.get("parent_key") in goals:
                item["parent_key"] = goals[item["parent_key"]]
            if item.get("goal_key") in goals:
                item["goal_key"] = goals[item["goal_key"]]
            if item.get("measure_key") in measures:
                item["measure_key"] = measures[item["measure_key"]]


def _describe(name: str, item: Any) -> str:
    """A record as a person recognises it in a list of what was kept or removed."""
    if isinstance(item, str):
        return item
    if name == "organisations":
        return f"{item['organisation']['name']} ({item['role']})"
    if name == "funding":
        return str(item["funder"]["name"])
    if name == "people":
        return str(item["person"]["name"])
    if name == "periods":
        return str(item["number"])
    if name == "participant_stats":
        group = [item["gender"], item["age_class"], item["labour_status"], item["education"]]
        return " ".join([str(item["period"] or "–"), *(str(x) for x in group if x)])
    if name == "budget_lines":
        return f"{item['scheme']} {item['category']}"
    if name == "cost_actuals":
        return f"{item['period']} {item['scheme']} {item['category']}"
    for field in ("title", "name", "text", "url", "filename"):
        if item.get(field):
            text = " ".join(str(item[field]).split())
            return text if len(text) <= 80 else text[:79] + "…"
    return "–"
