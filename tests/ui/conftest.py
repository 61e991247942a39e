"""Page logic without a browser (NiceGUI's `user` fixture): a fresh data dir per test.

The demo projects and users are written once per session (``demo_data_dir``); each test gets a
copy of that data dir, which is what a fresh load would give, in a fraction of the time.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from nicegui import testing
from sqlalchemy import select

from evaus.demo import load_demo
from evaus.services.access import local_admin
from evaus.services.startup import open_registry
from evaus.services.users import create_user, person_for_user
from project_db.engine import sqlite_url
from project_db.models import Project, ProjectPerson, User

PASSWORDS = {"admin": "admin-salasana-1", "maija": "maija-salasana-1", "ville": "ville-salasana-1"}


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the demo projects and three users, made once per session."""
    path = tmp_path_factory.mktemp("ui-demo-data")
    database = open_registry(url=sqlite_url(path))
    with database.session("test-setup") as session:
        load_demo(session)
        for name, role in (("admin", "admin"), ("maija", "manager"), ("ville", "viewer")):
            create_user(
                session, name, role=role, password=PASSWORDS[name], actor=local_admin("test-setup")
            )
        maija = session.scalars(select(User).where(User.username == "maija")).one()
        soku = session.scalars(select(Project).where(Project.eura_code == "S20397")).one()
        soku.people.append(
            ProjectPerson(
                person=person_for_user(session, maija),
                role="Suunnittelija",
                is_team=True,
                position=len(soku.people),
            )
        )
        session.commit()
    database.engine.dispose()  # the last connection closes: the WAL is folded into the file
    return path


@pytest.fixture(autouse=True)
def data_dir(
    demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    shutil.copytree(demo_data_dir, tmp_path, dirs_exist_ok=True)
    monkeypatch.setenv("EVAUS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("EVAUS_DATABASE_URL", raising=False)
    yield tmp_path


@pytest.fixture
def user(data_dir: Path, user: testing.User) -> testing.User:
    """NiceGUI's simulated user, started only after the data dir is ready."""
    return user
