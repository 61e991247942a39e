"""One runner at a time for scheduled work when several instances share a database."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import text

if TYPE_CHECKING:
    from evaus.db import Database


def lock_key(name: str) -> int:
    """A stable signed 64-bit number for ``name``: the same in every process and release."""
    digest = hashlib.sha256(f"evaus:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def single_runner(database: Database, name: str) -> Iterator[bool]:
    """``with single_runner(db, "reminders") as got:`` — ``got`` is True in exactly one of the
    processes that enter at the same time; the others skip the work (they do not wait).

    PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a connection held
    for the block; it is released at the end, or by the server when the process dies, so a
    crashed instance never blocks the others. SQLite serves one machine and has one writer at
    a time: always True.

    Why an advisory lock and not a task-queue library: the instances already share the
    PostgreSQL database, and the lock is part of it — no broker, worker process or extra
    tables to run, back up and monitor. The lock only keeps runs from overlapping; that each
    e-mail goes out once is the outbox's guarantee (dedup keys, claimed rows), so a second run
    after the first has finished finds nothing new to do.
    """
    engine = database.engine
    if engine.dialect.name != "postgresql":
        yield True
        return
    key = lock_key(name)
    with engine.connect() as connection:
        got = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}))
        connection.commit()
        try:
            yield got
        finally:
            if got:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
