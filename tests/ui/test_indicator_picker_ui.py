"""The indicator picker (NiceGUI's simulated user): a project manager links an indicator of
the editor to a catalogue entry found by Sotkanet's id, takes the entry's unit only for the
empty unit (the name stays the indicator's own), saves — the link is in the project's history
under the manager's name — and removes the link again. The administration's sub-navigation
leads to the catalogue, and the header to the portfolio view."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from sqlalchemy import select

from evaus.db import Database, open_database
from evaus.services import indicator_catalogue as ic
from evaus.services import projects as ps
from evaus.services.access import Actor, local_admin
from evaus.services.assessments import create_assessment, get_assessment
from project_db.engine import sqlite_url
from project_db.models import AuditEntry, Project
from project_db.models import User as Account
from tests.conftest import DATA_DIR
from tests.ui.test_login_logic import sign_in

ADMIN = local_admin("tests")
SAMPLE_JSON = (DATA_DIR / "sotkanet_indicators_sample.json").read_bytes()


def _database() -> Database:
    return open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))


def _setup() -> int:
    """The catalogue imported; SoKu (maija's project) with one free indicator without a unit."""
    database = _database()
    with database.session("tests") as session:
        ic.import_catalogue(session, SAMPLE_JSON, filename="sotkanet.json", actor=ADMIN)
        soku = session.scalars(select(Project.id).where(Project.eura_code == "S20397")).one()
        doc = ps.get_project_doc(session, soku, actor=ADMIN).model_dump(mode="json")
        doc["indicators"] = [{"key": "ind-1", "name": "Pitkäaikaistyöttömät", "unit": ""}]
        ps.save_project_doc(session, soku, doc, expected_version=None, actor=ADMIN)
    database.engine.dispose()
    return soku


def _indicator(soku: int) -> tuple[str | None, str, str]:
    database = _database()
    with database.session("tests") as session:
        (indicator,) = ps.get_project_doc(session, soku, actor=ADMIN).indicators
    database.engine.dispose()
    return indicator.catalogue_key, indicator.name, indicator.unit or ""


def _history(soku: int) -> list[tuple[str, str | None]]:
    database = _database()
    with database.session("tests") as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.new_value)
            .where(AuditEntry.project_id == soku, AuditEntry.field == "catalogue_key")
            .order_by(AuditEntry.id)
        ).all()
    database.engine.dispose()
    return [(actor, value) for actor, value in rows]


def _save(user: User) -> None:
    """Save from one of the tabs (each has a Save button; they save the same working copy)."""
    buttons = list(user.find(kind=ui.button, content="Tallenna").elements)
    UserInteraction(user, {next(b for b in buttons if b.text == "Tallenna")}, None).click()


async def test_a_manager_links_an_indicator_to_the_catalogue_and_removes_the_link(
    user: User,
) -> None:
    soku = _setup()
    await sign_in(user, "maija")
    await user.open(f"/projects/{soku}/edit")
    await user.should_see("Yhteinen mittari:", retries=40)
    await user.should_see("ei mitään (vapaa mittari)")
    user.find(kind=ui.button, content="Linkitä mittaristoon").click()
    await user.should_see("Hae mittaristosta", retries=40)
    user.find(marker="catalogue-search").type("90002")
    await user.should_see(
        "Pitkäaikaistyöttömät, % työvoimasta (%) · THL Sotkanet 90002", retries=40
    )
    user.find(marker="catalogue-choose").click()
    # The unit is empty: offered; the name is the indicator's own: not offered.
    await user.should_see("Kopioi yksikkö mittaristosta: %", retries=40)
    await user.should_not_see("Kopioi nimi mittaristosta")
    user.find(marker="catalogue-link-confirm").click()
    await user.should_not_see("Hae mittaristosta", retries=40)
    assert _indicator(soku) == (None, "Pitkäaikaistyöttömät", "")  # not saved yet
    _save(user)
    await user.should_see("Tallennettu klo", retries=60)
    assert _indicator(soku) == ("sotkanet:90002", "Pitkäaikaistyöttömät", "%")
    assert _history(soku) == [("maija", "sotkanet:90002")]

    user.find(kind=ui.button, content="Poista linkitys").click()
    await user.should_see("ei mitään (vapaa mittari)", retries=40)
    _save(user)
    # "Tallennettu klo" shows already from the first save: wait for the stored link to go.
    for _ in range(100):
        if _indicator(soku)[0] is None:
            break
        await asyncio.sleep(0.1)
    assert _indicator(soku) == (None, "Pitkäaikaistyöttömät", "%")
    assert _history(soku)[-1] == ("maija", None)


async def test_the_header_leads_every_reader_to_the_portfolio_view(user: User) -> None:
    await sign_in(user, "ville")
    await user.open("/projects")
    await user.should_see("Kirjaudu ulos", retries=40)
    user.find(kind=ui.link, content="Salkkunäkymä").click()
    await user.should_see("Hankkeet tilan mukaan", retries=60)


async def test_the_admin_sub_navigation_leads_to_the_catalogue(user: User) -> None:
    await sign_in(user, "admin")
    await user.open("/admin/users")
    await user.should_see("Käyttäjät", retries=40)
    (link,) = user.find(kind=ui.link, content="Mittaristo").elements
    assert link.props.get("href") == "/admin/indicators"
    user.find(kind=ui.link, content="Mittaristo").click()
    await user.should_see("Lisää mittari", retries=40)
    (current,) = [
        e for e in user.find(kind=ui.link).elements if e.props.get("aria-current") == "page"
    ]
    assert current.text == "Mittaristo"


def _assessment() -> int:
    """A draft of maija's project SoKu, and the catalogue imported."""
    database = _database()
    with database.session("tests") as session:
        ic.import_catalogue(session, SAMPLE_JSON, filename="sotkanet.json", actor=ADMIN)
        soku = session.scalars(select(Project.id).where(Project.eura_code == "S20397")).one()
        maija = Actor.of(session.scalars(select(Account).where(Account.username == "maija")).one())
        made = create_assessment(session, {"title": "Mittaritesti"}, project_id=soku, actor=maija)
    database.engine.dispose()
    return made.id


def _follow_ups(assessment_id: int) -> list[tuple[str, str | None]]:
    database = _database()
    with database.session("tests") as session:
        doc = get_assessment(session, assessment_id, actor=ADMIN).doc
    database.engine.dispose()
    return [(f.name, f.catalogue_key) for f in doc.follow_ups]


async def test_a_follow_up_indicator_takes_its_name_from_the_linked_entry(user: User) -> None:
    assessment_id = _assessment()
    await sign_in(user, "maija")
    await user.open(f"/assessments/{assessment_id}?step=8")
    user.find(kind=ui.button, content="Lisää seurantamittari").click()
    await user.should_see("Yhteinen mittari:", retries=40)
    user.find(kind=ui.button, content="Linkitä mittaristoon").click()
    await user.should_see("Hae mittaristosta", retries=40)
    user.find(marker="catalogue-search").type("Långtidsarbetslösa")
    await user.should_see(
        "Pitkäaikaistyöttömät, % työvoimasta (%) · THL Sotkanet 90002", retries=40
    )
    user.find(marker="catalogue-choose").click()
    # The follow-up has no name yet: the entry's is offered (it has no unit field).
    await user.should_see(
        "Kopioi nimi mittaristosta: Pitkäaikaistyöttömät, % työvoimasta", retries=40
    )
    user.find(marker="catalogue-link-confirm").click()
    await user.should_not_see("Hae mittaristosta", retries=40)
    (save,) = [b for b in user.find(kind=ui.button).elements if b.text == "Tallenna"]
    UserInteraction(user, {save}, None).click()
    await user.should_see("Yhteinen mittari: Pitkäaikaistyöttömät", retries=60)
    assert _follow_ups(assessment_id) == [("Pitkäaikaistyöttömät, % työvoimasta", "sotkanet:90002")]
