"""Schema migrations with data, and backup → restore of a full database, on SQLite and PostgreSQL.

A database made by the first release (revision 0001) and holding data is upgraded to the newest
revision, and the data is read back through the services. `evaus backup` / `evaus restore` of the
demo database (with assessments and an archived report) give the same JSON export.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from evaus.db import Database
from evaus.demo import load_demo
from evaus.services import registry_io, reports
from evaus.services.access import local_admin
from evaus.services.auth import authenticate
from evaus.services.projects import ProjectQuery, get_project_doc, list_projects
from evaus.services.startup import open_registry
from project_db.engine import make_engine
from project_db.migrate import current_revision, head_revision, upgrade
from project_db.models import ReportArchive
from tests.conftest import BACKENDS, POSTGRES_URL, _drop_postgres

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

PASSWORD = "vanha-salasana-1"


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no tables at all."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    assert POSTGRES_URL
    name = f"evaus_m_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    _drop_postgres(name)


def _insert_release_one_rows(url: str) -> None:
    """Rows as the first release wrote them: plain SQL against the 0001 schema."""
    from argon2 import PasswordHasher

    engine = make_engine(url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    now = datetime(2021, 3, 1, 12, 0, tzinfo=UTC)
    stamp = {"v": 1, "c": now, "u": now}
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organisation (id, name, y_tunnus, municipality, key, version, "
                "created_at, updated_at) VALUES (1, 'Vanhan ajan kunta', '0201256-6', 'Oulu', "
                "'org-1', :v, :c, :u)"
            ),
            stamp,
        )
        conn.execute(
            text(
                "INSERT INTO project (id, name, sort_name, short_name, status, start_date, "
                "end_date, summary, municipality, budget_amount, notes, search_text, key, "
                "version, created_at, updated_at) VALUES (1, 'Vanha hanke – äöå', "
                "'vanha hanke – |}{', 'VANHA', 'kaynnissa', '2020-01-01', '2021-12-31', "
                "'Tiivistelmä ennen päivityksiä', 'Oulu', 123456.78, '', "
                "'vanha hanke – äöå vanha tiivistelmä ennen päivityksiä', 'proj-1', :v, :c, :u)"
            ),
            stamp,
        )
        conn.execute(
            text(
                "INSERT INTO project_organisation (id, project_id, organisation_id, role, "
                "position, version, created_at, updated_at) VALUES "
                "(1, 1, 1, 'paatoteuttaja', 0, :v, :c, :u)"
            ),
            stamp,
        )
        conn.execute(
            text(
                "INSERT INTO goal (id, project_id, parent_id, title, description, key, position, "
                "version, created_at, updated_at) VALUES "
                "(1, 1, NULL, 'Vanha tavoite', 'Kuvaus', 'g1', 0, :v, :c, :u)"
            ),
            stamp,
        )
        conn.execute(
            text(
                "INSERT INTO person (id, name, email, phone, organisation_id, key, version, "
                "created_at, updated_at) VALUES (1, 'Vanja Vanhanen', 'vanja@example.fi', "
                "'+358 40 123 4567', 1, 'person-1', :v, :c, :u)"
            ),
            stamp,
        )
        conn.execute(
            text(
                "INSERT INTO project_person (id, project_id, person_id, role, is_contact, "
                "is_team, position, version, created_at, updated_at) VALUES "
                "(1, 1, 1, 'Projektipäällikkö', TRUE, TRUE, 0, :v, :c, :u)"
            ),
            stamp,
        )
        conn.execute(
            text(
                "INSERT INTO app_user (id, username, display_name, email, role, password_hash, "
                "active, language, person_id, failed_logins, version, created_at, updated_at) "
                "VALUES (1, 'vanja', 'Vanja', 'vanja@example.fi', 'manager', :h, TRUE, 'fi', 1, "
                "0, :v, :c, :u)"
            ),
            {**stamp, "h": PasswordHasher().hash(PASSWORD)},
        )
        if conn.dialect.name == "postgresql":  # ids were given: move the sequences past them
            for table in ("organisation", "project", "project_organisation", "goal", "person"):
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1, true)")
                )
            conn.execute(text("SELECT setval(pg_get_serial_sequence('project_person', 'id'), 1)"))
            conn.execute(text("SELECT setval(pg_get_serial_sequence('app_user', 'id'), 1)"))
    engine.dispose()


def test_upgrade_from_the_first_revision_keeps_the_data(empty_url: str) -> None:
    _insert_release_one_rows(empty_url)
    database = open_registry(url=empty_url)  # upgrades to head, adds the default code lists
    try:
        assert current_revision(database.engine) == head_revision(database.engine)
        with database.session("tester") as session:
            doc = get_project_doc(session, 1, actor=READER)
            assert doc.name == "Vanha hanke – äöå"
            assert doc.short_name == "VANHA" and doc.status == "kaynnissa"
            assert str(doc.budget_amount) == "123456.78"
            assert doc.summary == "Tiivistelmä ennen päivityksiä"
            assert [g.title for g in doc.goals] == ["Vanha tavoite"]
            assert [(o.organisation.name, o.role) for o in doc.organisations] == [
                ("Vanhan ajan kunta", "paatoteuttaja")
            ]
            assert doc.organisations[0].organisation.y_tunnus == "0201256-6"
            (member,) = doc.people
            assert member.person.name == "Vanja Vanhanen"
            assert member.person.email == "vanja@example.fi" and member.is_contact
            page = list_projects(session, ProjectQuery(text="vanha"), actor=READER)
            assert [p.name for p in page.items] == ["Vanha hanke – äöå"]
            actor = authenticate(session, "vanja", PASSWORD)
            assert actor.role == "manager" and actor.person_id == 1
            # The upgraded database takes new writes (sequences and new columns work).
            registry_io.import_source(
                session,
                json.dumps({"projects": [{"name": "Uusi hanke päivityksen jälkeen"}]}).encode(),
                actor=local_admin("tester"),
            )
            export = json.loads(registry_io.export_json(session, actor=READER))
            assert {p["name"] for p in export["projects"]} == {
                "Vanha hanke – äöå",
                "Uusi hanke päivityksen jälkeen",
            }
    finally:
        database.engine.dispose()


# --- evaus backup / evaus restore ----------------------------------------------------------------


def evaus(data_dir: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "EVAUS_"))}
    env.update(EVAUS_DATA_DIR=str(data_dir), EVAUS_DATABASE_URL=url, EVAUS_LANG="en")
    return subprocess.run(
        [sys.executable, "-m", "evaus.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )


def test_backup_and_restore_of_a_full_database(
    database: Database, empty_url: str, tmp_path: Path
) -> None:
    with database.session("demo") as session:
        load_demo(session)
        session.commit()
        project_id = reports.select_projects(session, actor=READER)[0]
        reports.generate_report(session, project_id, "card", actor=local_admin("tester"))
        session.commit()
        before = registry_io.export_json(session, actor=READER)
        archived = session.scalar(select(func.count()).select_from(ReportArchive))
    assert json.loads(before)["assessments"] and archived == 1
    url = database.engine.url.render_as_string(hide_password=False)
    backup = tmp_path / "backup.zip"
    made = evaus(tmp_path / "source", url, "backup", str(backup))
    assert made.returncode == 0, made.stderr
    restored = evaus(tmp_path / "target", empty_url, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout
    target = open_registry(url=empty_url)
    try:
        with target.session() as session:
            assert registry_io.export_json(session, actor=READER) == before
            assert session.scalar(select(func.count()).select_from(ReportArchive)) == 1
            (entry,) = reports.list_archive(session, actor=READER)
            _name, content = reports.download_archived(session, entry.id, actor=READER)
            assert content.startswith(b"PK")
    finally:
        target.engine.dispose()


def _schema_differences(url: str) -> list[tuple[object, ...]]:
    """What Alembic's autogenerate would change to make the migrated database match the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from project_db.base import Base

    # The full-text search is made by the migrations alone, per backend (0005, 0019): SQLite's
    # FTS5 tables; PostgreSQL's tsvector column, its index and the name sort in the "C" order.
    search_only = {"search_vector", "ix_project_search_vector", "ix_project_sort_name_c"}

    def ours(obj: object, name: str | None, type_: str, reflected: bool, _other: object) -> bool:
        if type_ == "table" and name is not None and "_fts" in name:
            return False
        return name not in search_only

    engine = make_engine(url)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": ours})
            diffs = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    # SQLite keeps no names of the foreign keys a column added later declares inline (0017): a
    # foreign key the models name is "removed" and "added" again with the same columns.
    flat = [d for d in diffs if isinstance(d, tuple)]
    fks = {
        (d[0], tuple(c.name for c in d[1].columns), d[1].referred_table.name)
        for d in flat
        if d[0] in ("add_fk", "remove_fk")
    }
    paired = {(cols, table) for kind, cols, table in fks if kind == "add_fk"} & {
        (cols, table) for kind, cols, table in fks if kind == "remove_fk"
    }
    return [
        d
        for d in flat
        if not (
            d[0] in ("add_fk", "remove_fk")
            and (tuple(c.name for c in d[1].columns), d[1].referred_table.name) in paired
        )
    ] + [d for d in diffs if not isinstance(d, tuple)]


def test_the_migrated_schema_is_the_models_schema(empty_url: str) -> None:
    """An index or column added to a migration and not to the models (or the other way round)
    would leave tests and a new install with another schema than an upgraded registry."""
    assert _schema_differences(empty_url) == []
