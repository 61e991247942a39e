"""Shared fixtures: a fresh, migrated database per test on SQLite and (when configured) PostgreSQL.

PostgreSQL runs when EVAUS_TEST_POSTGRES_URL is set (``.ci/run`` sets it when a server answers);
otherwise the PostgreSQL variants are skipped with a message that says so.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from evaus.db import Database
from evaus.services.startup import open_registry

SEEDS_DIR = Path(__file__).resolve().parent.parent / "evaus" / "demo" / "seeds"
DATA_DIR = Path(__file__).resolve().parent / "data"
POSTGRES_URL = os.environ.get("EVAUS_TEST_POSTGRES_URL")

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not POSTGRES_URL,
            reason="PostgreSQL tests skipped: EVAUS_TEST_POSTGRES_URL is not set",
        ),
    ),
]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    database = open_registry(url=f"sqlite:///{path}")
    database.engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    assert POSTGRES_URL
    name = f"evaus_tmpl_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    database = open_registry(url=url)
    database.engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _postgres_copy(template: str) -> tuple[str, str]:
    assert POSTGRES_URL
    name = f"evaus_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return name, make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _drop_postgres(name: str) -> None:
    assert POSTGRES_URL
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty, migrated database with the default code lists."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "evaus.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
    else:
        pg_template: str = request.getfixturevalue("postgres_template")
        name, url = _postgres_copy(pg_template)
        yield url
        _drop_postgres(name)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = open_registry(url=database_url)
    yield db
    db.engine.dispose()


def seed_bytes(name: str) -> bytes:
    return (SEEDS_DIR / name).read_bytes()
