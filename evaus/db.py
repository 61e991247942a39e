"""Opening the configured database: engine, migrations at start-up, default code lists."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from project_db import audit
from project_db.engine import make_engine, make_sessionmaker
from project_db.migrate import upgrade

from .settings import Settings, get_settings


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


def open_database(settings: Settings | None = None, *, url: str | None = None) -> Database:
    """Connect, upgrade the schema to the newest revision and load missing default codes."""
    from .services.assessment_frameworks import ensure_builtin_frameworks
    from .services.codelists import ensure_default_codes

    settings = settings or get_settings()
    engine = make_engine(url or settings.effective_database_url)
    upgrade(engine)
    audit.install()
    database = Database(engine, make_sessionmaker(engine))
    with database.session() as session:
        ensure_default_codes(session)
        ensure_builtin_frameworks(session)  # the shipped assessment frameworks
        session.commit()
    return database
