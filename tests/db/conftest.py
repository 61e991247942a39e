"""Helpers of the service tests (the database fixtures are in ``tests/conftest.py``): users and
project members made the way an administrator and a project's manager make them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from evaus import public
from evaus.db import Database
from evaus.public import guard
from evaus.services.access import Actor, local_admin
from evaus.services.users import create_user, person_for_user
from evaus.settings import get_settings
from project_db.models import Project, ProjectPerson, User

SETUP = local_admin("setup")
IATI_REF = "FI-PRO-1234567-8"  # the organisation that publishes the IATI file


@pytest.fixture
def public_client(
    database: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[TestClient]:
    """The public pages and the open data alone, as a visitor reaches them: the open-data files
    in a temporary data folder, the page-rate limit fresh for each test."""
    monkeypatch.setenv("EVAUS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EVAUS_IATI_REPORTING_ORG_REF", IATI_REF)
    monkeypatch.setenv("EVAUS_IATI_REPORTING_ORG_NAME", "Esimerkin hyvinvointialue")
    get_settings.cache_clear()
    guard.reset_page_limit()
    app = FastAPI()
    app.state.database = database
    app.include_router(public.router)
    with TestClient(app) as test_client:
        yield test_client
    guard.reset_page_limit()
    monkeypatch.undo()
    get_settings.cache_clear()


def new_user(session: Session, name: str, role: str, **extra: Any) -> Actor:
    """A user with the password ``<name>-salasana-1``, committed."""
    user = create_user(
        session, name, role=role, password=f"{name}-salasana-1", actor=SETUP, **extra
    )
    session.commit()
    return Actor.of(user)


def join_project(session: Session, actor: Actor, project_id: int, *, team: bool = True) -> Actor:
    """The user joins the project (a team member, or a contact only); the Actor gets the
    person."""
    user = session.get(User, actor.user_id)
    project = session.get(Project, project_id)
    assert user is not None and project is not None
    person = person_for_user(session, user)
    project.people.append(
        ProjectPerson(person=person, role="Jäsen", is_team=team, position=len(project.people))
    )
    session.commit()
    return Actor.of(user)
