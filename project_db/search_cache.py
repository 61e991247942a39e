"""The registry's version, and a cache of search pages kept by it.

Every transaction that writes to the registry bumps ``registry_version.version`` when it
commits, in the same transaction: a search answered at version *v* stays right until the
version moves. The version lives in the database, so every process and instance that shares
the database sees another's writes at once (each keeps its own cache).

Where the version moves: ``track_writes`` listens on the engine (``project_db.engine``), so
every statement of every session and connection passes it — ORM flushes, bulk inserts, the
search index, Alembic's migrations. A connection that ran a write (``INSERT``/``UPDATE``/
``DELETE``/DDL on any table but the few that never change what a search shows: API tokens' last
use, the audit log, the mail outbox, notices) runs ``UPDATE registry_version`` right before
its ``COMMIT``. The row is locked only from there to the commit, so long writes do not queue
each other behind it. Writes made outside EVAUS (``sqlite3`` on the file, ``psql``) do not move
the version: bump it by hand (``bump``) or restart the servers after such a change.

The cache (``cached``): per engine, at most ``EVAUS_SEARCH_CACHE_SIZE`` pages (default 256; 0
turns it off), least recently used first out. A reader takes the version first, then the data,
in one session; a page made from newer data than its version is harmless, an older one cannot
be stored under a newer version. A session with its own uncommitted writes neither reads nor
fills the cache.
"""

from __future__ import annotations

import os
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import BigInteger, Engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import Base

T = TypeVar("T")

TABLE = "registry_version"
DEFAULT_SIZE = 256
WAIT_SECONDS = 30.0  # at most this long for another thread computing the same page


class RegistryVersion(Base):
    """One row: how many committed transactions have written to the registry."""

    __tablename__ = TABLE

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# Tables whose writes never change what a search or list shows.
UNTRACKED = frozenset(
    {TABLE, "alembic_version", "api_token", "audit_entry", "mail_outbox", "notice"}
)
_READS = re.compile(
    r"\s*(SELECT|PRAGMA|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SHOW|SET|EXPLAIN|VALUES)\b",
    re.IGNORECASE,
)
_TARGET = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
    r"\s+\"?(\w+)",
    re.IGNORECASE,
)
_DDL = re.compile(r"\s*(CREATE|DROP|ALTER)\b", re.IGNORECASE)
_WROTE = "evaus_registry_written"  # key in the DBAPI connection's info
_BUMP = text("UPDATE registry_version SET version = version + 1 WHERE id = 1")
_READ = text("SELECT version FROM registry_version WHERE id = 1")

_with_table: weakref.WeakSet[Engine] = weakref.WeakSet()  # engines whose database has the table


def writes(statement: str) -> bool:
    """Whether an SQL statement may change what a search shows (unknown kinds: yes)."""
    if _READS.match(statement):
        return False
    target = _TARGET.match(statement)
    return target is None or target.group(1).lower() not in UNTRACKED


def _has_table(connection: Connection) -> bool:
    """Whether the database has the version table (not before its migration); remembered once
    it has."""
    engine = connection.engine
    if engine in _with_table:
        return True
    if engine.dialect.name == "postgresql":
        found = connection.exec_driver_sql("SELECT to_regclass('registry_version')").scalar()
    else:
        found = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'registry_version'"
        ).scalar()
    if found is not None:
        _with_table.add(engine)
    return found is not None


def _before_execute(
    connection: Connection,
    _cursor: Any,
    statement: str,
    _parameters: Any,
    _context: Any,
    _executemany: bool,
) -> None:
    if writes(statement):
        connection.info[_WROTE] = True
        if _DDL.match(statement):  # a migration (or its downgrade) may drop the table
            _with_table.discard(connection.engine)


def _before_commit(connection: Connection) -> None:
    if connection.info.pop(_WROTE, False) and _has_table(connection):
        connection.execute(_BUMP)
        connection.info.pop(_WROTE, None)


def _after_rollback(connection: Connection) -> None:
    connection.info.pop(_WROTE, None)


def track_writes(engine: Engine) -> None:
    """Bump the registry's version with every transaction of ``engine`` that writes."""
    if not event.contains(engine, "before_cursor_execute", _before_execute):
        event.listen(engine, "before_cursor_execute", _before_execute)
        event.listen(engine, "commit", _before_commit)
        event.listen(engine, "rollback", _after_rollback)


def bump(connection: Connection) -> None:
    """Move the version on (after a change made outside EVAUS); the caller commits."""
    connection.execute(_BUMP)


def version(session: Session) -> int | None:
    """The registry's version as this session sees it; None without the table or when the
    session has uncommitted writes of its own (their results must not be shared)."""
    if session.new or session.dirty or session.deleted:
        return None
    connection = session.connection()
    if connection.info.get(_WROTE) or not _has_table(connection):
        return None
    value = connection.execute(_READ).scalar()
    return None if value is None else int(value)


class _Pages:
    """A bounded least-recently-used map, safe across threads; ``computing`` holds the keys
    some thread is computing now, so that the same search asked by many at once (50 users
    opening the list) is run once and the others wait for it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.computing: dict[Hashable, threading.Event] = {}

    def claim(self, key: Hashable) -> threading.Event | None:
        """None: the caller computes ``key`` (and calls ``done``); else an event to wait on."""
        with self._lock:
            running = self.computing.get(key)
            if running is None:
                self.computing[key] = threading.Event()
            return running

    def done(self, key: Hashable) -> None:
        with self._lock:
            running = self.computing.pop(key, None)
        if running is not None:
            running.set()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def cache_size() -> int:
    """``EVAUS_SEARCH_CACHE_SIZE`` (pages kept per database), default 256; 0 turns it off."""
    try:
        return max(0, int(os.environ.get("EVAUS_SEARCH_CACHE_SIZE", DEFAULT_SIZE)))
    except ValueError:
        return DEFAULT_SIZE


_caches: weakref.WeakKeyDictionary[Engine, _Pages] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cached(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s answer for ``key`` at the registry's current version: from the cache,
    or computed and kept (once, however many ask for it at the same moment). Callers must not
    change what they are given."""
    size = cache_size()
    current = version(session) if size else None
    if current is None:
        return compute()
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with _caches_lock:
        pages = _caches.get(engine)
        if pages is None or pages.size != size:
            pages = _caches[engine] = _Pages(size)
    full_key = (current, key)
    found = pages.get(full_key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    running = pages.claim(full_key)
    if running is not None and running.wait(WAIT_SECONDS):
        found = pages.get(full_key)
        if found is not None:
            return found  # type: ignore[no-any-return]
    try:
        found = compute()
        pages.put(full_key, found)
    finally:
        if running is None:
            pages.done(full_key)
    return found


__all__ = ["RegistryVersion", "bump", "cached", "track_writes", "version", "writes"]
