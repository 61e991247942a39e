"""The audit log: every change to registry data is written as who, when, what, old → new.

A session-level ``after_flush`` hook sees every inserted, updated and deleted row, so no service
can forget to audit. The acting user is taken from ``session.info["actor"]``.

One audit row per field: an update holds the field's old and new value, a created record one
row per field it was given (old empty → new value), a deleted record one row per field it held
(old value → new empty). Rows come from the flush's own list of what it wrote, not from
``session.new``/``session.deleted``: records removed from a collection (delete-orphan) or by a
cascade are deleted by the flush itself and appear only there.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import InstanceState, Session, UOWTransaction
from sqlalchemy.orm.util import identity_key

from .assessment_models import Assessment
from .base import utcnow
from .models import AuditEntry, Indicator, Project

# Bookkeeping columns and derived data are not changes a person made.
_SKIP = frozenset(
    {
        "version",
        "created_at",
        "updated_at",
        "search_text",
        "search_index",
        "sort_name",
        "id",
        "last_used_at",
        "last_login_at",
        "failed_logins",
        "locked_until",
    }
)
_SECRET = frozenset({"password_hash", "token_hash"})
_NOT_AUDITED = (AuditEntry,)


def set_actor(session: Session, actor: str) -> None:
    session.info["actor"] = actor


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _label(obj: Any) -> str | None:
    for attr in ("name", "title", "username", "filename", "code", "theme", "url", "role"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            return value[:200]
    return None


def _project_id(session: Session, obj: Any) -> int | None:
    if isinstance(obj, Project):
        return obj.id
    project_id = getattr(obj, "project_id", None)
    if project_id is not None:
        return int(project_id)
    assessment_id = getattr(obj, "assessment_id", None)
    if assessment_id is not None:  # a part of an assessment: the project it is linked to
        found = session.connection().scalar(
            select(Assessment.project_id).where(Assessment.id == assessment_id)
        )
        return int(found) if found is not None else None
    indicator_id = getattr(obj, "indicator_id", None)
    if indicator_id is not None:
        # Usually the indicator was saved in the same flush: no query needed.
        indicator = session.identity_map.get(identity_key(Indicator, indicator_id))
        if indicator is not None and indicator.project_id is not None:
            return int(indicator.project_id)
        found = session.connection().scalar(
            select(Indicator.project_id).where(Indicator.id == indicator_id)
        )
        return int(found) if found is not None else None
    return None


def _assessment_id(obj: Any) -> int | None:
    if isinstance(obj, Assessment):
        return obj.id
    assessment_id = getattr(obj, "assessment_id", None)
    return int(assessment_id) if assessment_id is not None else None


def _columns(obj: Any) -> list[str]:
    return [c.key for c in inspect(obj).mapper.column_attrs if c.key not in _SKIP]


def _content(obj: Any) -> list[tuple[str, Any]]:
    """The fields a record holds (empty ones left out), for its creation or deletion."""
    return [(key, value) for key in _columns(obj) if (value := getattr(obj, key)) is not None]


def _written(flush_context: UOWTransaction) -> list[tuple[InstanceState[Any], bool]]:
    """Every record the flush wrote, with whether it was deleted, in a stable order."""
    states = [
        (state, is_delete)
        for state, (is_delete, list_only) in flush_context.states.items()
        if not list_only and state.obj() is not None
    ]
    return sorted(states, key=lambda item: (item[0].class_.__name__, item[0].obj().id or 0))


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    actor = session.info.get("actor", "system")
    now = utcnow()
    rows: list[dict[str, Any]] = []

    def add(obj: Any, action: str, field: str | None, old: Any, new: Any) -> None:
        rows.append(
            {
                "at": now,
                "actor": actor,
                "action": action,
                "entity": obj.__tablename__,
                "entity_id": obj.id,
                "project_id": _project_id(session, obj),
                "assessment_id": _assessment_id(obj),
                "field": field,
                "old_value": "***" if field in _SECRET and old is not None else _text(old),
                "new_value": "***" if field in _SECRET and new is not None else _text(new),
            }
        )

    pending = set(session.new)
    for state, is_delete in _written(flush_context):
        obj = state.obj()
        if isinstance(obj, _NOT_AUDITED):
            continue
        if is_delete:
            _record_delete(obj, add)
        elif obj in pending or not state.has_identity:
            _record_create(obj, add)
        else:
            _record_update(obj, state, add)
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def _record_create(obj: Any, add: Any) -> None:
    content = _content(obj)
    for key, value in content:
        add(obj, "create", key, None, value)
    if not content:
        add(obj, "create", None, None, _label(obj))


def _record_update(obj: Any, state: InstanceState[Any], add: Any) -> None:
    for key in _columns(obj):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if _text(old) != _text(new):
            add(obj, "update", key, old, new)


def _record_delete(obj: Any, add: Any) -> None:
    content = _content(obj)
    for key, value in content:
        add(obj, "delete", key, value, None)
    if not content:
        add(obj, "delete", None, _label(obj), None)


def install(session_class: type[Session] = Session) -> None:
    """Audit every session of this class (idempotent)."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)
