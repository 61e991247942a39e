"""The bell in the header (NiceGUI's simulated user): a reminder's notice shows with the unread
count in the bell's accessible name, "mark all read" empties it, and the settings page saves a
kind switched off."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from nicegui import ui
from nicegui.testing import User
from sqlalchemy import select

from evaus.db import Database, open_database
from evaus.services import notifications as notification_service
from evaus.services.access import Actor
from project_db import notifications as notice_data
from project_db.engine import sqlite_url
from project_db.models import User as UserRow
from tests.ui.test_login_logic import sign_in

TEXT = "Muistutus: ESR-seurantaraportti (SoKu) erääntyy 30.7.2026"


def _database() -> Database:
    return open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))


def _notice_for(username: str) -> Actor:
    database = _database()
    with database.session("tests") as session:
        user = session.scalars(select(UserRow).where(UserRow.username == username)).one()
        notice_data.add_notice(
            session,
            dedup_key=f"reminder:test:{user.id}:before7",
            user_id=user.id,
            kind=notice_data.REMINDER_BEFORE,
            texts={"fi": TEXT, "sv": "Påminnelse", "en": "Reminder"},
            link="/projects",
        )
        session.commit()
        actor = Actor.of(user)
    database.engine.dispose()
    return actor


def _unread(actor: Actor) -> int:
    database = _database()
    with database.session() as session:
        count = notification_service.unread_count(session, actor=actor)
    database.engine.dispose()
    return count


def _bell_label(user: User) -> str:
    (bell,) = user.find(marker="notice-bell").elements
    return str(bell.props.get("aria-label"))


async def test_a_notice_appears_under_the_bell(user: User) -> None:
    maija = _notice_for("maija")
    await sign_in(user, "maija")
    await user.open("/")
    await user.should_see(TEXT, retries=40)
    assert _bell_label(user) == "Ilmoitukset: 1 lukematonta"
    user.find(kind=ui.button, content="Merkitse kaikki luetuiksi").click()
    for _ in range(40):
        if _unread(maija) == 0:
            break
        await asyncio.sleep(0.05)  # the handler runs on the event loop
    assert _unread(maija) == 0
    await user.open("/")
    await user.should_see(TEXT, retries=40)
    assert _bell_label(user) == "Ilmoitukset: 0 lukematonta"


async def test_the_settings_page_switches_a_kind_off(user: User) -> None:
    await sign_in(user, "ville")
    await user.open("/profile/notifications")
    await user.should_see("Ilmoitusasetukset", retries=40)
    user.find(kind=ui.checkbox, content="Muistutukset raportin määräpäivänä").click()
    user.find(kind=ui.button, content="Tallenna").click()
    await user.should_see("Tallennettu.", retries=40)
    database = _database()
    with database.session() as session:
        ville = session.scalars(select(UserRow).where(UserRow.username == "ville")).one()
        stored = notice_data.preferences(session, ville.id)
        assert stored is not None
        assert (stored.reminder_due, stored.reminder_before) == (False, True)
    database.engine.dispose()
