"""Opening the configured database: engine, sessions, migrations at start-up.

What the registry needs in it besides its schema (default code lists, the shipped frameworks,
the demo projects) is the start-up service's work: ``evaus.services.startup``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

import project_db
from project_db import audit
from project_db.engine import make_engine, make_sessionmaker

from .settings import Settings, get_settings

# Every table in Base.metadata, every mapping configured, for whatever uses the database.
project_db.load_models()


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self, actor: str = "system") -> Iterator[Session]:
        """A session whose changes are audited as ``actor``; rolled back on any error."""
        with self.sessions() as session:
            audit.set_actor(session, actor)
            try:
                yield session
            except BaseException:
                session.rollback()
                raise


VERSIONS_DIR = resources.files(project_db) / "migrations" / "versions"
_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


@cache
def shipped_head() -> str | None:
    """The newest revision of the shipped migrations, read from their files without Alembic;
    None when that is not one simple chain (then Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS_DIR.iterdir():
        if not path.name.endswith(".py"):
            continue
        found = dict(_REVISION.findall(path.read_text("utf-8")))
        revision, parent = found.get("revision", ""), found.get("down_revision", "")
        if not re.fullmatch(r"['\"][\w-]+['\"]", revision):
            return None
        revisions.add(revision[1:-1])
        if re.fullmatch(r"['\"][\w-]+['\"]", parent):
            parents.add(parent[1:-1])
        elif parent != "None":
            return None  # a merge or something else unusual
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def is_at_head(engine: Engine) -> bool:
    """Whether the schema is at the newest shipped revision: one query, no Alembic import."""
    head = shipped_head()
    if head is None:
        return False
    try:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:  # no table yet: a new database
        return False
    return [row[0] for row in versions] == [head]


# Any number; the same in every EVAUS process that shares a PostgreSQL database.
_STARTUP_LOCK = 7_317_001


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """One process at a time through start-up work (migrations, default codes, demo data).

    PostgreSQL: a session advisory lock, so instances started together on one database wait
    for each other instead of creating the same tables or rows twice. SQLite serialises writers
    itself (and serves one machine)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _STARTUP_LOCK})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _STARTUP_LOCK})
            connection.commit()


def open_database(settings: Settings | None = None, *, url: str | None = None) -> Database:
    """Connect and upgrade the schema to the newest revision (nothing more: see
    ``evaus.services.startup.open_registry`` for a registry ready to use)."""
    settings = settings or get_settings()
    engine = make_engine(url or settings.effective_database_url)
    audit.install()
    # Alembic (a few hundred ms of imports and its environment) runs only when there is work.
    with startup_lock(engine):
        if not is_at_head(engine):
            from project_db.migrate import upgrade

            upgrade(engine)
    return Database(engine, make_sessionmaker(engine))
