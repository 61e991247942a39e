"""The benchmark databases: generated registries of N projects, built once and reused.

    from tests.bench.dataset import ensure_database
    url = ensure_database(10_000)          # sqlite:///<data dir>/evaus-bench-10000.sqlite3

The file is kept in the benchmarks' data folder between runs (benchmarks reuse it): the system
temp folder, or ``EVAUS_BENCH_DIR`` (``--data-dir`` of the scripts that take ``add_options``);
it is filled with ``evaus dev generate`` data up to N projects. ``--url`` style callers may pass
their own URL (PostgreSQL, say) and get it filled the same way; PostgreSQL is vacuumed and
analysed after generating, so the planner knows the tables' sizes.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select, text

from evaus.dev.generate import generate
from evaus.services.startup import open_registry
from project_db.models import Project


def data_dir() -> Path:
    """Where the generated databases (and Datasette's environment) are kept."""
    return Path(os.environ.get("EVAUS_BENCH_DIR") or tempfile.gettempdir())


def add_options(parser: argparse.ArgumentParser) -> None:
    """``--data-dir`` and ``--url``; call ``use_options`` with the parsed arguments."""
    parser.add_argument("--data-dir", help="folder of the generated SQLite files (default: temp)")
    parser.add_argument("--url", help="database URL (default: a SQLite file in the data folder)")


def use_options(args: argparse.Namespace) -> None:
    if args.data_dir:
        os.environ["EVAUS_BENCH_DIR"] = str(Path(args.data_dir).resolve())
        data_dir().mkdir(parents=True, exist_ok=True)


def default_url(projects: int) -> str:
    return f"sqlite:///{data_dir() / f'evaus-bench-{projects}.sqlite3'}"


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
                if database.engine.dialect.name == "postgresql":
                    session.close()
                    autocommit = database.engine.execution_options(isolation_level="AUTOCOMMIT")
                    with autocommit.connect() as connection:
                        connection.execute(text("VACUUM ANALYZE"))
    finally:
        database.engine.dispose()
    return url
