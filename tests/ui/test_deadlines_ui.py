"""What is due, on the pages (NiceGUI's simulated user): a manager's "Omat tehtävät" shows an
overdue deadline with its date in Finnish, the project page shows its next due date, and the
portfolio view lists every due item with its filters."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from sqlalchemy import select

from evaus.db import open_database
from evaus.services import deadlines
from evaus.services.access import local_admin
from project_db.engine import sqlite_url
from project_db.models import Project
from tests.ui.test_login_logic import sign_in

ADMIN = local_admin("tests")


def _overdue_deadline() -> tuple[int, deadlines.DueItem]:
    """An administrator adds a deadline from the funding decision of the manager's project
    (SoKu) that has passed; the due item it gives."""
    database = open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))
    with database.session("tests") as session:
        soku = session.scalars(select(Project.id).where(Project.eura_code == "S20397")).one()
        deadline = deadlines.DeadlineIn(
            due_on=date(2020, 11, 1), title="Väliraportti päätöksen mukaan"
        )
        deadlines.add_deadline(session, soku, deadline, actor=ADMIN)
        items = deadlines.project_due_items(session, soku, actor=ADMIN, lang="fi")
    database.engine.dispose()
    (overdue,) = [i for i in items if i.state == "overdue"]
    return soku, overdue


async def test_front_page_shows_an_overdue_report(user: User) -> None:
    soku, first = _overdue_deadline()
    day = "1.11.2020"
    await sign_in(user, "maija")
    await user.open("/")
    await user.should_see("Omat tehtävät", retries=40)
    await user.should_see(day)
    await user.should_see("Myöhässä")
    await user.should_see(first.title)
    await user.open(f"/projects/{soku}")
    await user.should_see(f"Seuraava raportti {day}", retries=40)
    await user.open(f"/projects/{soku}/reports")
    await user.should_see(f"Seuraava raportti {day}", retries=40)


async def test_the_portfolio_view_lists_every_due_item(user: User) -> None:
    _soku, first = _overdue_deadline()
    await sign_in(user, "admin")
    await user.open("/deadlines?state=overdue")
    await user.should_see("Määräajat", retries=40)
    await user.should_see(first.project_name)
    await user.should_see("Hankepäällikkö")


async def test_a_manager_adds_a_deadline_on_the_reports_page(user: User) -> None:
    database = open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))
    with database.session("tests") as session:
        soku = session.scalars(select(Project.id).where(Project.eura_code == "S20397")).one()
    database.engine.dispose()
    await sign_in(user, "maija")
    await user.open(f"/projects/{soku}/reports")
    await user.should_see("Käsin lisätyt määräajat", retries=40)
    await user.should_see("Käsin lisättyjä määräaikoja ei ole.")
    for element in user.find(kind=ui.date_input, marker=None).elements:
        if element.props.get("label") == "Määräpäivä":
            element.set_value("31.12.2099")
    user.find(kind=ui.input, content="Otsikko").type("Loppuselvitys päätöksen mukaan")
    user.find(kind=ui.button, content="Lisää määräaika").click()
    await user.should_see("Määräaika lisättiin.", retries=40)
    await user.should_see("31.12.2099", retries=40)
    with database.session("tests") as session:
        (row,) = deadlines.list_deadlines(session, soku, actor=ADMIN)
    database.engine.dispose()
    assert (row.title, row.due_on, row.created_by) == (
        "Loppuselvitys päätöksen mukaan",
        date(2099, 12, 31),
        "maija",
    )


async def test_an_admin_sets_the_esr_days_in_the_calendar(user: User) -> None:
    await sign_in(user, "admin")
    await user.open("/admin/calendar")
    await user.should_see("ESR-seurantaraportti", retries=40)
    await user.should_see("Jakson loppu + päivät (ei asetettu: ei määräaikoja)")
    # The row's button names its rule: "Muokkaa: ESR-seurantaraportti".
    (esr,) = [
        b
        for b in user.find(kind=ui.button).elements
        if b.props.get("aria-label") == "Muokkaa: ESR-seurantaraportti"
    ]
    UserInteraction(user, {esr}, None).click()
    await user.should_see("Muokkaa sääntöä", retries=40)
    (days,) = [
        n
        for n in user.find(kind=ui.number).elements
        if n.props.get("label") == "Päiviä jakson päättymisestä"
    ]
    days.set_value(45)
    user.find(kind=ui.button, content="Tallenna").click()
    await user.should_see("Jakson loppu + 45 päivää", retries=40)
    database = open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))
    with database.session("tests") as session:
        rules = deadlines.list_rules(session, actor=ADMIN)
    database.engine.dispose()
    assert [r.days_after for r in rules if r.funder_code == "ESR"] == [45]
