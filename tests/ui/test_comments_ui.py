"""The comment panel on the project page (NiceGUI's simulated user): a manager adds a comment,
which shows in the list with the count badge; a viewer reads it without the form; the impact
matrix page takes comments too."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from nicegui import ui
from nicegui.testing import User
from sqlalchemy import select

from evaus.db import open_database
from project_db.assessment_models import Assessment
from project_db.engine import sqlite_url
from project_db.models import Project
from tests.ui.test_login_logic import sign_in


def _soku() -> int:
    database = open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))
    with database.session("tests") as session:
        soku = session.scalars(select(Project.id).where(Project.eura_code == "S20397")).one()
    database.engine.dispose()
    return soku


def _badges(user: User) -> list[str]:
    return [str(b.text) for b in user.find(kind=ui.badge).elements if "comment-count" in b.classes]


async def _badge_shows(user: User, count: str) -> None:
    for _ in range(60):
        if _badges(user) == [count]:
            return
        await asyncio.sleep(0.05)
    assert _badges(user) == [count]


async def test_a_comment_added_on_the_project_page_shows_with_its_count(user: User) -> None:
    soku = _soku()
    await sign_in(user, "maija")
    await user.open(f"/projects/{soku}")
    await user.should_see("Kommentit", retries=40)
    await user.should_see("Ei vielä kommentteja.", retries=40)
    await _badge_shows(user, "0")
    user.find(kind=ui.textarea, content="Kommentti").type("Budjetin rivi 3 tarkistettava")
    user.find(kind=ui.button, content="Lisää kommentti").click()
    await user.should_see("Kommentti lisättiin.", retries=60)
    await _badge_shows(user, "1")
    await user.should_see("maija · ", retries=40)  # the author with the comment
    await user.should_see("Budjetin rivi 3 tarkistettava", retries=40)

    user.find(kind=ui.button, content="Kirjaudu ulos").click()
    await user.should_see("Kirjaudu sisään", retries=40)
    await sign_in(user, "ville")
    await user.open(f"/projects/{soku}")
    await user.should_see("Budjetin rivi 3 tarkistettava", retries=60)
    await _badge_shows(user, "1")
    await user.should_not_see("Lisää kommentti")


async def test_the_impact_matrix_takes_comments(user: User) -> None:
    database = open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))
    with database.session("tests") as session:
        assessment = session.scalars(select(Assessment.id).order_by(Assessment.id)).first()
    database.engine.dispose()
    await sign_in(user, "admin")
    await user.open(f"/assessments/{assessment}/matrix")
    await user.should_see("Ei vielä kommentteja.", retries=40)
    user.find(kind=ui.textarea, content="Kommentti").type("Terveysvaikutus perusteltava")
    user.find(kind=ui.button, content="Lisää kommentti").click()
    await user.should_see("Kommentti lisättiin.", retries=60)
    await _badge_shows(user, "1")
    await user.should_see("Vaikutusmatriisi", retries=40)  # the part the comment is on
