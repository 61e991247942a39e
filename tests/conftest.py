"""Shared fixtures: a fresh, migrated database per test on SQLite and (when configured) PostgreSQL.

PostgreSQL runs when EVAUS_TEST_POSTGRES_URL is set (``.ci/run`` sets it when a server answers);
otherwise the PostgreSQL variants are skipped with a message that says so.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from evaus.db import Database
from evaus.reports.pdf import soffice_path
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


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[None]:
    """argon2 at its lowest cost in the test process: the product's parameters take a tenth of
    a second per hash on purpose, and the fixtures make hundreds of users (four per test of the
    rights matrix). Hashing and checking are still argon2's; a hash records its parameters, so
    the servers of the browser tests check these hashes as they are."""
    from argon2 import PasswordHasher

    from evaus.services import users

    product = users._hasher
    users._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    users._hasher = product


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


class _Dropper:
    """Drops the databases of finished tests on a thread of its own. A DROP DATABASE waits until
    every backend of the server has let go of the files (up to seconds on a busy server); the
    next test need not wait for it. ``close`` waits for the drops and raises the first error."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evaus-test-drop")
        self._drops: list[Future[None]] = []

    def drop(self, name: str) -> None:
        self._drops.append(self._pool.submit(_drop_postgres, name))

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        for drop in self._drops:
            drop.result()


@pytest.fixture(scope="session")
def postgres_dropper() -> Iterator[_Dropper]:
    dropper = _Dropper()
    yield dropper
    dropper.close()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty, migrated database with the default code lists: a copy of a template
    made once per session (per xdist worker), a file copy on SQLite, ``CREATE DATABASE … TEMPLATE``
    on PostgreSQL."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "evaus.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
    else:
        pg_template: str = request.getfixturevalue("postgres_template")
        dropper: _Dropper = request.getfixturevalue("postgres_dropper")
        name, url = _postgres_copy(pg_template)
        yield url
        dropper.drop(name)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = open_registry(url=database_url)
    yield db
    db.engine.dispose()


def seed_bytes(name: str) -> bytes:
    return (SEEDS_DIR / name).read_bytes()


def _require_tool(path: str | None, what: str, package: str) -> str:
    """The program's path, or a skip (a failure in CI, where .ci/run installs it)."""
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing: .ci/run installs {package}")
        pytest.skip(f"{what} is not installed (apt-get install {package})")
    return path


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice, for the tests that convert a DOCX to PDF (only those: each takes seconds)."""
    return _require_tool(soffice_path(), "LibreOffice", "libreoffice-writer-nogui")


@pytest.fixture(scope="session")
def pdfinfo() -> str:
    """poppler's pdfinfo, for the tests that count or read the pages of a PDF."""
    return _require_tool(shutil.which("pdfinfo"), "pdfinfo", "poppler-utils")
