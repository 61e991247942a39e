"""The review of reporting periods on the Raportit page (NiceGUI's simulated user): the manager
submits a period, a reviewer returns it with a reason that the manager then sees, and after a
new submission the reviewer approves it, which locks it."""

from __future__ import annotations

import os
from pathlib import Path

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from sqlalchemy import select

from evaus.db import open_database
from evaus.services import period_review
from evaus.services import projects as ps
from evaus.services.access import Actor, local_admin
from evaus.services.users import create_user
from project_db.engine import sqlite_url
from project_db.models import Project
from tests.ui.test_login_logic import sign_in

ADMIN = local_admin("tests")
REVIEWER_PASSWORD = "riitta-salasana-1"


def _setup() -> tuple[int, Actor]:
    """SoKu with two reporting periods, and a reviewer."""
    database = open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))
    with database.session("tests") as session:
        soku = session.scalars(select(Project.id).where(Project.eura_code == "S20397")).one()
        doc = ps.get_project_doc(session, soku, actor=ADMIN).model_dump(mode="json")
        if len(doc["periods"]) < 2:
            doc["periods"] = [
                {"number": 1, "start_date": "2020-01-01", "end_date": "2020-06-30"},
                {"number": 2, "start_date": "2020-07-01", "end_date": "2020-12-31"},
            ]
            ps.save_project_doc(session, soku, doc, expected_version=None, actor=ADMIN)
        reviewer = create_user(
            session, "riitta", role="reviewer", password=REVIEWER_PASSWORD, actor=ADMIN
        )
        session.commit()
        actor = Actor.of(reviewer)
    database.engine.dispose()
    return soku, actor


def _state(soku: int, period: int) -> str:
    database = open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))
    with database.session("tests") as session:
        state = period_review.state_of(session, soku, period, actor=ADMIN).state
    database.engine.dispose()
    return state


def _click(user: User, label: str) -> None:
    (button,) = [
        b for b in user.find(kind=ui.button).elements if b.props.get("aria-label") == label
    ]
    UserInteraction(user, {button}, None).click()


async def _sign_in_reviewer(user: User) -> None:
    user.find(kind=ui.button, content="Kirjaudu ulos").click()
    await user.should_see("Kirjaudu sisään", retries=40)
    await user.open("/login")
    user.find("Käyttäjätunnus").type("riitta")
    user.find("Salasana").type(REVIEWER_PASSWORD)
    user.find(kind=ui.button, content="Kirjaudu sisään").click()
    await user.should_see("Kirjaudu ulos", retries=40)


async def test_submit_return_and_approve_on_the_reports_page(user: User) -> None:
    soku, _reviewer = _setup()
    await sign_in(user, "maija")
    await user.open(f"/projects/{soku}/reports")
    await user.should_see("Raportointijaksojen tarkastus", retries=40)
    _click(user, "Lähetä tarkastettavaksi: jakso 1")
    await user.should_see("Jakso 1 lähetettiin tarkastettavaksi.", retries=60)
    assert _state(soku, 1) == "submitted"

    await _sign_in_reviewer(user)
    await user.open(f"/projects/{soku}/reports")
    await user.should_see("Lähetetty tarkastettavaksi", retries=40)
    _click(user, "Palauta: jakso 1")
    await user.should_see("Palauta jakso 1", retries=40)
    user.find(kind=ui.textarea, content="Syy").type("Osallistujamäärä puuttuu")
    user.find(kind=ui.button, content="Palauta jakso 1").click()
    await user.should_see("Jakso 1 palautettiin.", retries=40)
    assert _state(soku, 1) == "returned"

    user.find(kind=ui.button, content="Kirjaudu ulos").click()
    await user.should_see("Kirjaudu sisään", retries=40)
    await sign_in(user, "maija")
    await user.open(f"/projects/{soku}/reports")
    await user.should_see("Osallistujamäärä puuttuu", retries=40)
    # The reason is also the reviewer's comment, which may show before the review table has.
    await user.should_see("Lähetä tarkastettavaksi", retries=40)
    _click(user, "Lähetä tarkastettavaksi: jakso 1")
    await user.should_see("Lähetetty tarkastettavaksi", retries=60)
    assert _state(soku, 1) == "submitted"

    await _sign_in_reviewer(user)
    await user.open(f"/projects/{soku}/reports")
    await user.should_see("Lähetetty tarkastettavaksi", retries=40)
    _click(user, "Hyväksy: jakso 1")
    await user.should_see("Jakso 1 hyväksyttiin ja lukittiin.", retries=40)
    assert _state(soku, 1) == "approved"
