"""The audit history as people read it: who, when, what, old → new.

``project_history`` pages through the stored rows (one per field). ``readable_history`` is
what the history page shows: the rows of one save (same person, written within moments of
each other) grouped, the rows of one record in a save joined into one line ("Tavoite lisätty:
Asunnottomuus vähenee"), every name and value labelled in the reader's language
(``evaus.labels``), and bookkeeping (keys, ids, positions) left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.orm import Session

from project_db import history_queries as log
from project_db.audit import _text as audit_text
from project_db.bulk import BULK_CONTENT_FIELD
from project_db.errors import N_
from project_db.models import AuditEntry

from ..i18n import HELSINKI, format_message, gettext_for, moment
from ..labels import (
    CODE_LIST_COLUMNS,
    HIDDEN,
    NAME_COLUMNS,
    REFERENCE_COLUMNS,
    Vocabulary,
    document_summary,
    entity_name,
    field_name,
    record_name,
    value_text,
)
from . import codelists
from .access import Actor, require_read

ACTION_LABELS = {"create": N_("added"), "update": N_("changed"), "delete": N_("removed")}


class HistoryEntry(BaseModel):
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int
    field: str | None
    old_value: str | None
    new_value: str | None


class HistoryPage(BaseModel):
    items: list[HistoryEntry]
    total: int


def project_history(
    session: Session,
    project_id: int,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    page: int = 1,
    page_size: int = 50,
    actor: Actor,
) -> HistoryPage:
    """Newest first; optionally only one record's history."""
    require_read(actor)
    rows, total = log.audit_page(
        session, project_id, entity=entity, entity_id=entity_id, page=page, page_size=page_size
    )
    return _entries(rows, total)


def _history_page(
    session: Session, query: Select[AuditEntry], *, page: int, page_size: int
) -> HistoryPage:
    """One page of audit entries matching ``query``, newest first, with the total count."""
    return _entries(*log.entries_page(session, query, page=page, page_size=page_size))


def _entries(rows: Sequence[AuditEntry], total: int) -> HistoryPage:
    items = [HistoryEntry.model_validate(r, from_attributes=True) for r in rows]
    return HistoryPage(items=items, total=total)


# --- the history as people read it -----------------------------------------------------------

# Rows of one save are written within a moment of each other (a save may flush several times).
SAME_SAVE = timedelta(seconds=5)
_CODE_LISTS = tuple(dict.fromkeys(CODE_LIST_COLUMNS.values()))


class HistoryFilter(BaseModel):
    """Only the changes of one person, of one field (``table.column``), between two dates."""

    actor: str | None = None
    field: str | None = None
    since: date | None = None
    until: date | None = None


class FieldChange(BaseModel):
    label: str
    old: str
    new: str


class ChangeLine(BaseModel):
    """What happened to one record in one save: 'Tavoite lisätty: Asunnottomuus vähenee'."""

    action: str  # create | update | delete
    summary: str
    changes: list[FieldChange]


class ChangeGroup(BaseModel):
    """One save: who, when, and the records it changed."""

    at: datetime
    when: str
    actor: str
    lines: list[ChangeLine]


class FilterChoice(BaseModel):
    value: str
    label: str


class ReadableHistory(BaseModel):
    groups: list[ChangeGroup]
    total: int  # saves
    page: int
    pages: int
    actors: list[str]
    fields: list[FilterChoice]


def _helsinki_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=HELSINKI).astimezone(UTC)


def _audit_filter(project_id: int, wanted: HistoryFilter) -> log.AuditFilter:
    table, column = wanted.field.partition(".")[::2] if wanted.field else (None, None)
    return log.AuditFilter(
        project_id=project_id,
        hidden=HIDDEN,
        actor=wanted.actor or None,
        entity=table,
        field=column,
        since=_helsinki_midnight(wanted.since) if wanted.since else None,
        before=_helsinki_midnight(wanted.until + timedelta(days=1)) if wanted.until else None,
    )


def _group_bounds(rows: Sequence[Any]) -> list[tuple[int, int]]:
    """(newest id, oldest id) of each save, newest save first; rows come newest first."""
    bounds: list[tuple[int, int]] = []
    previous: Any = None
    for row in rows:
        same = (
            previous is not None
            and row.actor == previous.actor
            and previous.at - row.at <= SAME_SAVE
        )
        if same:
            bounds[-1] = (bounds[-1][0], row.id)
        else:
            bounds.append((row.id, row.id))
        previous = row
    return bounds


def readable_history(
    session: Session,
    project_id: int,
    lang: str,
    wanted: HistoryFilter | None = None,
    *,
    page: int = 1,
    page_size: int = 20,
    actor: Actor,
) -> ReadableHistory:
    """A project's history in saves, newest first, every name and value as the pages show it."""
    require_read(actor)
    wanted = wanted or HistoryFilter()
    query = _audit_filter(project_id, wanted)
    bounds = _group_bounds(log.audit_marks(session, query))
    pages = max(1, -(-len(bounds) // page_size))
    page = min(max(1, page), pages)
    shown = bounds[(page - 1) * page_size : page * page_size]
    rows: list[AuditEntry] = []
    if shown:
        rows = log.audit_entries_between(session, query, shown[0][0], shown[-1][1])
    describe = _Describer(session, lang, rows)
    groups = [describe.group([r for r in rows if last <= r.id <= first]) for first, last in shown]
    return ReadableHistory(
        groups=groups,
        total=len(bounds),
        page=page,
        pages=pages,
        actors=log.audit_actors(session, project_id),
        fields=_field_choices(session, project_id, lang),
    )


def _field_choices(session: Session, project_id: int, lang: str) -> list[FilterChoice]:
    pairs = log.audit_fields(session, project_id, HIDDEN)
    choices = [
        FilterChoice(
            value=f"{table}.{column}",
            label=f"{entity_name(table, lang)}: {field_name(table, column, lang).lower()}",
        )
        for table, column in pairs
        if column
    ]
    return sorted(choices, key=lambda c: c.label.lower())


class _Describer:
    """Turns the audit rows of a page into lines; looks up every name the rows refer to."""

    def __init__(self, session: Session, lang: str, rows: Sequence[AuditEntry]) -> None:
        self.session = session
        self.lang = lang
        self.base = Vocabulary(
            lang=lang, codes={name: codelists._labels(session, name, lang) for name in _CODE_LISTS}
        )
        self.vocabularies = self._assessment_vocabularies({r.assessment_id for r in rows})
        wanted = {(r.entity, r.entity_id) for r in rows}
        wanted |= {
            (REFERENCE_COLUMNS[r.field], int(value))
            for r in rows
            if r.field in REFERENCE_COLUMNS
            for value in (r.old_value, r.new_value)
            if value and value.isdigit()
        }
        self.facts = _facts(session, wanted)
        referred = {
            (REFERENCE_COLUMNS[column], int(value))
            for facts in self.facts.values()
            for column, value in facts.items()
            if column in REFERENCE_COLUMNS and value and value.isdigit()
        }
        self.facts.update(_facts(session, referred - set(self.facts)))
        # Names of the referred records first: the names made of references use them.
        for _round in range(2):
            for (table, record_id), facts in self.facts.items():
                self.base.records[(table, record_id)] = record_name(table, facts, self.base)

    def _assessment_vocabularies(self, ids: set[int | None]) -> dict[int, Vocabulary]:
        from .assessment_frameworks import _get_framework  # imports this module

        found: dict[int, Vocabulary] = {}
        known = [i for i in ids if i is not None]
        if not known:
            return found
        assessments = log.assessment_frameworks(self.session, known)
        alternatives = log.removed_alternative_names(self.session, known)
        alternatives.update(log.alternative_names(self.session, known))
        for assessment_id, framework_id, version in assessments:
            found[assessment_id] = replace(
                self.base,
                framework=_get_framework(self.session, framework_id, version),
                alternatives=alternatives,
            )
        return found

    def vocabulary(self, row: AuditEntry) -> Vocabulary:
        return self.vocabularies.get(row.assessment_id or 0, self.base)

    def group(self, rows: list[AuditEntry]) -> ChangeGroup:
        by_record: dict[tuple[str, int, str], list[AuditEntry]] = {}
        for row in rows:
            by_record.setdefault((row.entity, row.entity_id, row.action), []).append(row)
        lines = [self.line(*ident, records) for ident, records in by_record.items()]
        return ChangeGroup(
            at=rows[-1].at, when=moment(rows[-1].at, self.lang), actor=rows[-1].actor, lines=lines
        )

    def line(self, table: str, record_id: int, action: str, rows: list[AuditEntry]) -> ChangeLine:
        vocab = self.vocabulary(rows[0])
        # The rows of a created record name it themselves (it may have been renamed since).
        own: dict[str, str | None] = {
            r.field: r.new_value if action == "create" else r.old_value for r in rows if r.field
        }
        facts = {**self.facts.get((table, record_id), {}), **own} if action != "update" else None
        name = (
            record_name(table, facts, vocab)
            if facts
            else self.base.records.get((table, record_id), "")
        )
        document = next((r for r in rows if r.field == BULK_CONTENT_FIELD), None)
        if document is not None:
            name = document_summary(document.new_value, self.lang)
        what = entity_name(table, self.lang)
        summary = format_message(_SUMMARIES[action], self.lang, what=what, name=name)
        if not name:
            summary = format_message(_BARE_SUMMARIES[action], self.lang, what=what)
        naming = set(NAME_COLUMNS.get(table, ())) if action != "update" else set()
        changes = [
            FieldChange(
                label=field_name(table, r.field, self.lang),
                old=value_text(table, r.field, r.old_value, vocab),
                new=value_text(table, r.field, r.new_value, vocab),
            )
            for r in rows
            if r.field and r.field not in naming and r.field != BULK_CONTENT_FIELD
        ]
        # A created or removed record's empty fields say nothing.
        changes = [c for c in changes if action == "update" or c.old or c.new]
        return ChangeLine(action=action, summary=summary, changes=changes)


_SUMMARIES = {
    "create": N_("{what} added: {name}"),
    "update": N_("{what} changed: {name}"),
    "delete": N_("{what} removed: {name}"),
}
_BARE_SUMMARIES = {
    "create": N_("{what} added"),
    "update": N_("{what} changed"),
    "delete": N_("{what} removed"),
}


def _facts(
    session: Session, wanted: set[tuple[str, int]]
) -> dict[tuple[str, int], dict[str, str | None]]:
    """The naming columns of records: as stored now, or (removed records) as the history last
    saw them. Values in the audit log's text form."""
    by_table: dict[str, set[int]] = {}
    for table, record_id in wanted:
        if table in NAME_COLUMNS:
            by_table.setdefault(table, set()).add(record_id)
    found: dict[tuple[str, int], dict[str, str | None]] = {}
    for table, ids in by_table.items():
        columns = NAME_COLUMNS[table]
        stored, removed = log.record_columns(session, table, columns, ids)
        for record_id in sorted(ids):
            if record_id in stored:
                values = stored[record_id]
                found[(table, record_id)] = {
                    c: audit_text(v) for c, v in zip(columns, values, strict=True)
                }
            elif record_id in removed:
                found[(table, record_id)] = removed[record_id]
    return found


def change_count(count: int, lang: str) -> str:
    """'1 muutos', '2 muutosta'."""
    return (
        gettext_for(lang).ngettext("{count} change", "{count} changes", count).format(count=count)
    )
