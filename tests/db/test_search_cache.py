"""The search cache answers a repeated search from memory until anything is written: after a
create, rename, delete, publication, bulk insert — in this process, another instance or another
process — the next identical search shows the change (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from evaus.db import Database
from evaus.dev.generate import generate
from evaus.services import projects as ps
from evaus.services.access import local_admin
from evaus.services.publishing import set_public
from evaus.services.startup import open_registry
from project_db import search_cache
from project_db.listing import ProjectPage

ADMIN = local_admin("tests")
ROOT = Path(__file__).resolve().parents[2]


def search(database: Database, words: str, *, public_only: bool = False) -> ProjectPage:
    with database.session("reader") as session:
        query = ps.ProjectQuery(text=words, public_only=public_only)
        return ps.list_projects(session, query, actor=ADMIN)


def names(page: ProjectPage) -> list[str]:
    return [item.name for item in page.items]


def create(database: Database, name: str) -> int:
    with database.session("writer") as session:
        return ps.create_project(session, {"name": name}, actor=ADMIN).id


def version_of(database: Database, project_id: int) -> int:
    with database.session("writer") as session:
        return ps.get_project(session, project_id, actor=ADMIN).version


def test_a_cached_search_shows_each_write_next_time(database: Database) -> None:
    first = create(database, "Kuntoutuspolun kehittäminen")
    found = search(database, "kuntoutuspolku")
    assert names(found) == ["Kuntoutuspolun kehittäminen"]
    assert search(database, "kuntoutuspolku") is found  # answered from the cache

    create(database, "Kuntoutuspolku nuorille")  # create
    assert sorted(names(search(database, "kuntoutuspolku"))) == [
        "Kuntoutuspolku nuorille",
        "Kuntoutuspolun kehittäminen",
    ]

    assert search(database, "asumisneuvonta").total == 0  # cached: nothing
    with database.session("writer") as session:  # rename
        ps.update_project(
            session,
            first,
            {"name": "Asumisneuvonnan kehittäminen"},
            expected_version=version_of(database, first),
            actor=ADMIN,
        )
    assert names(search(database, "asumisneuvonta")) == ["Asumisneuvonnan kehittäminen"]
    assert names(search(database, "kuntoutuspolku")) == ["Kuntoutuspolku nuorille"]

    assert search(database, "asumisneuvonta", public_only=True).total == 0
    with database.session("writer") as session:  # publish
        set_public(session, first, True, actor=ADMIN)
    assert search(database, "asumisneuvonta", public_only=True).total == 1

    with database.session("writer") as session:  # delete
        ps.delete_project(session, first, expected_version=None, actor=ADMIN)
    assert search(database, "asumisneuvonta").total == 0
    assert search(database, "asumisneuvonta", public_only=True).total == 0


def test_bulk_inserts_move_the_version(database: Database) -> None:
    before = search(database, "kuntoutus").total
    with database.session("generator") as session:
        generate(session, 20, seed=7)
    assert search(database, "kuntoutus").total > before


def test_another_instance_and_another_process_see_the_writes(
    database: Database, database_url: str
) -> None:
    other = open_registry(url=database_url)  # a second server on the same database
    try:
        project = create(database, "Perhekeskuksen kehittäminen")
        assert search(other, "perhekeskus").total == 1
        assert search(other, "perhekeskus").total == 1  # cached there now
        assert search(database, "perhekeskus").total == 1  # and here

        with other.session("writer") as session:
            ps.update_project(
                session,
                project,
                {"name": "Lapsiperheiden palvelut"},
                expected_version=version_of(other, project),
                actor=ADMIN,
            )
        assert search(database, "perhekeskus").total == 0

        assert search(other, "lapsiperhe").total == 1  # cached in the other instance
        script = (
            "from evaus.services import projects as ps\n"
            "from evaus.services.access import local_admin\n"
            "from evaus.services.startup import open_registry\n"
            f"database = open_registry(url={database_url!r})\n"
            "with database.session('other process') as session:\n"
            f"    ps.delete_project(session, {project}, expected_version=None,"
            " actor=local_admin('other'))\n"
        )
        environment = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-c", script], check=True, env=environment, cwd=ROOT)
        assert search(other, "lapsiperhe").total == 0
        assert search(database, "lapsiperhe").total == 0
    finally:
        other.engine.dispose()


def test_uncommitted_writes_are_neither_shared_nor_served_stale(database: Database) -> None:
    assert search(database, "omaishoitaja").total == 0  # cached
    with database.session("writer") as session:
        ps.create_project(session, {"name": "Omaishoitajien tuki"}, actor=ADMIN)
    with database.session("writer") as session:
        session.execute(text("UPDATE project SET name = 'Omaishoitajien tuki 2'"))
        # this session sees its own change, which no other session may be given
        page = ps.list_projects(session, ps.ProjectQuery(text="omaishoitaja"), actor=ADMIN)
        assert names(page) == ["Omaishoitajien tuki 2"]
        session.rollback()
    assert names(search(database, "omaishoitaja")) == ["Omaishoitajien tuki"]


def test_the_same_search_asked_at_once_runs_once(database: Database) -> None:
    create(database, "Kuntoutuspolun kehittäminen")
    pages: list[str] = []

    def count_pages(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "LIMIT" in statement and ("project_fts" in statement or "search_vector" in statement):
            pages.append(statement)

    event.listen(database.engine, "before_cursor_execute", count_pages)
    together = threading.Barrier(8)

    def ask(_: int) -> ProjectPage:
        together.wait()
        return search(database, "kuntoutuspolku")

    try:
        with ThreadPoolExecutor(8) as pool:
            found = list(pool.map(ask, range(8)))
    finally:
        event.remove(database.engine, "before_cursor_execute", count_pages)
    assert {page.total for page in found} == {1}
    assert len(pages) == 1


@pytest.mark.parametrize(
    ("statement", "moves"),
    [
        ("SELECT * FROM project", False),
        ("  select 1", False),
        ("PRAGMA foreign_keys=ON", False),
        ("INSERT INTO project (name) VALUES (?)", True),
        ('UPDATE "project" SET name = ?', True),
        ("DELETE FROM funding WHERE id = ?", True),
        ("INSERT INTO project_fts (rowid, search_index) VALUES (?, ?)", True),
        ("INSERT OR REPLACE INTO organisation VALUES (?)", True),
        ("CREATE INDEX ix ON project (name)", True),
        ("UPDATE api_token SET last_used_at = ?", False),
        ("INSERT INTO audit_entry (entity) VALUES (?)", False),
        ("WITH x AS (SELECT 1) DELETE FROM project", True),
    ],
)
def test_which_statements_move_the_version(statement: str, moves: bool) -> None:
    assert search_cache.writes(statement) is moves
