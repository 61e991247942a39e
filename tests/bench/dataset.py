"""The benchmark databases: generated registries of N projects, built once and reused.

    from tests.bench.dataset import ensure_database
    url = ensure_database(10_000)          # sqlite:////tmp/evaus-bench-10000.sqlite3

The file is kept under the system temp folder between runs (benchmarks reuse it); it is filled
with ``evaus dev generate`` data up to N projects. ``--url`` style callers may pass their own URL
(PostgreSQL, say) and get it filled the same way.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from evaus.dev.generate import generate
from evaus.services.startup import open_registry
from project_db.models import Project


def default_url(projects: int) -> str:
    return f"sqlite:///{Path(tempfile.gettempdir()) / f'evaus-bench-{projects}.sqlite3'}"


def ensure_database(projects: int, url: str | None = None, *, quiet: bool = False) -> str:
    """A database URL holding at least ``projects`` generated projects (made when missing)."""
    url = url or default_url(projects)
    database = open_registry(url=url)
    try:
        with database.session("bench") as session:
            have = session.scalar(select(func.count()).select_from(Project)) or 0
            if have < projects:
                started = time.perf_counter()
                generate(session, projects - have, seed=have + 1, first=have + 1)
                seconds = time.perf_counter() - started
                if not quiet:
                    backend = database.engine.dialect.name
                    print(f"generate_{backend} {(projects - have) / seconds:.0f} projects/s")
    finally:
        database.engine.dispose()
    return url
