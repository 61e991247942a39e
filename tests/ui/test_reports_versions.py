"""The Raportit page offers every version of the project's assessment, the decided one first
chosen (NiceGUI's simulated user)."""

from __future__ import annotations

import os
from pathlib import Path

from nicegui import ui
from nicegui.testing import User
from sqlalchemy import select

from evaus.db import open_database
from evaus.services.access import Actor, local_admin
from evaus.services.assessments import list_assessments, new_version
from project_db.engine import sqlite_url
from project_db.models import User as UserRow
from tests.ui.test_login_logic import sign_in

READER = local_admin("tests")  # who reads in these tests (services take the Actor)


def _new_draft_of_hanska() -> int:
    database = open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))
    with database.session("test") as session:
        admin = session.scalars(select(UserRow).where(UserRow.username == "admin")).one()
        (hanska,) = [a for a in list_assessments(session, actor=READER) if a.project_id is not None]
        new_version(session, hanska.id, actor=Actor.of(admin))
        session.commit()
    database.engine.dispose()
    assert hanska.project_id is not None
    return hanska.project_id


async def test_the_version_choice_lists_versions_with_status_and_date(user: User) -> None:
    project_id = _new_draft_of_hanska()
    await sign_in(user, "ville")
    await user.open(f"/projects/{project_id}/reports")
    await user.should_see("Luo raportti", retries=40)
    (kind,) = [s for s in user.find(kind=ui.select).elements if s.props.get("label") == "Raportti"]
    kind.set_value("evaus")
    await user.should_see("Arviointi ja versio", retries=40)
    (choice,) = [
        s
        for s in user.find(kind=ui.select).elements
        if s.props.get("label") == "Arviointi ja versio"
    ]
    assert isinstance(choice.options, dict)
    labels = list(choice.options.values())
    assert len(labels) == 2
    draft, decided = labels
    assert "versio 2, luonnos," in draft and "(oletus)" not in draft
    assert "versio 1, jälkiarvioitu," in decided and decided.endswith("(oletus)")
    # The decided version is the one chosen at first.
    assert choice.value == next(k for k, v in choice.options.items() if v == decided)
