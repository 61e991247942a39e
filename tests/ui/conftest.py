"""Page logic without a browser (NiceGUI's `user` fixture): a fresh data dir per test."""

from __future__ import annotations

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


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    database = open_registry(url=sqlite_url(tmp_path))
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
    database.engine.dispose()
    monkeypatch.setenv("EVAUS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("EVAUS_DATABASE_URL", raising=False)
    yield tmp_path


@pytest.fixture
def user(data_dir: Path, user: testing.User) -> testing.User:
    """NiceGUI's simulated user, started only after the data dir is ready."""
    return user
