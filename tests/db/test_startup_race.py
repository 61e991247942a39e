"""Instances that start together on one new PostgreSQL database wait for each other.

Without the start-up lock, two processes migrating an empty database at once collide
(``duplicate key value violates unique constraint "pg_type_typname_nsp_index"``) and one dies.
"""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL

START = "from evaus.ui.app import prepare_database; prepare_database()"


@pytest.mark.skipif(POSTGRES_URL is None, reason="EVAUS_TEST_POSTGRES_URL is not set")
def test_three_processes_start_on_one_new_database(tmp_path: object) -> None:
    assert POSTGRES_URL is not None
    name = f"evaus_race_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        env = {"EVAUS_DATABASE_URL": url, "EVAUS_DATA_DIR": str(tmp_path), "PATH": "/usr/bin"}
        starts = [
            subprocess.Popen(
                [sys.executable, "-c", START], env=env, stderr=subprocess.PIPE, text=True
            )
            for _ in range(3)
        ]
        for process in starts:
            _out, errors = process.communicate(timeout=180)
            assert process.returncode == 0, errors[-2000:]
        engine = create_engine(url)
        with engine.connect() as connection:
            demo, distinct = connection.execute(
                text("SELECT count(*), count(DISTINCT name) FROM project")
            ).one()
            codes = connection.execute(
                text("SELECT count(*) FROM code_item WHERE list_name = 'region'")
            ).scalar()
        engine.dispose()
        assert demo == distinct > 0  # the demo projects once, not three times
        assert codes == 20  # 19 maakunta + Ahvenanmaa, once
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
