"""Publishing from the project editor (NiceGUI's simulated user): the "Julkinen" switch on the
basic tab and the public contact on the people tab, saved with the project."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from sqlalchemy import select

from evaus.db import open_database
from evaus.services import projects as ps
from evaus.services.access import local_admin
from project_db.engine import sqlite_url
from project_db.models import Project
from tests.ui.test_login_logic import sign_in

ADMIN = local_admin("tests")


def _database() -> Any:
    return open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))


def _soku() -> tuple[int, dict[str, Any]]:
    database = _database()
    with database.session("tests") as session:
        soku = session.scalars(select(Project.id).where(Project.eura_code == "S20397")).one()
        doc = ps.get_project_doc(session, soku, actor=ADMIN).model_dump(mode="json")
    database.engine.dispose()
    return soku, doc


def _elements(user: User, kind: type[Any], text: str) -> list[Any]:
    assert user.client is not None
    return [
        e
        for e in list(user.client.elements.values())
        if isinstance(e, kind)
        and (getattr(e, "text", None) == text or e.props.get("label") == text)
    ]


async def test_the_manager_publishes_and_marks_the_public_contact(user: User) -> None:
    soku, before = _soku()
    assert before["public"] is None
    assert not any(p["public_contact"] for p in before["people"])
    await sign_in(user, "maija")
    await user.open(f"/projects/{soku}/edit")
    await user.should_see("Salkun oletus ratkaisee, onko hanke julkinen.", retries=40)

    [public] = _elements(user, ui.switch, "Julkinen")
    assert public.value is None  # half-way: its portfolio decides
    contacts = _elements(user, ui.switch, "Julkinen yhteyshenkilö")
    assert len(contacts) == len(before["people"])
    with user:
        public.set_value(True)
        contacts[0].set_value(True)
    await user.should_see("Näkyy julkisessa hankeluettelossa.")
    save = _elements(user, ui.button, "Tallenna")
    UserInteraction(user, {save[0]}, None).click()
    await user.should_see("Tallennettu klo", retries=60)

    _id, after = _soku()
    assert after["public"] is True
    assert [p["public_contact"] for p in after["people"]] == [True] + [False] * (
        len(before["people"]) - 1
    )


async def test_saving_without_touching_the_switch_keeps_the_portfolios_choice(
    user: User,
) -> None:
    soku, _before = _soku()
    await sign_in(user, "admin")
    await user.open(f"/projects/{soku}/edit")
    await user.should_see("Salkun oletus ratkaisee, onko hanke julkinen.", retries=40)
    [name] = [e for e in _elements(user, ui.input, "Nimi") if e.value.startswith("Etelä")]
    with user:
        name.set_value(name.value + " (muutettu)")
    UserInteraction(user, {_elements(user, ui.button, "Tallenna")[0]}, None).click()
    await user.should_see("Tallennettu klo", retries=60)
    _id, after = _soku()
    assert after["name"].endswith("(muutettu)") and after["public"] is None
