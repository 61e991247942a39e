"""Sign-in logic through NiceGUI's simulated user (fast, no browser)."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from tests.ui.conftest import PASSWORDS


async def sign_in(user: User, username: str) -> None:
    await user.open("/login")
    user.find("Käyttäjätunnus").type(username)
    user.find("Salasana").type(PASSWORDS[username])
    user.find(kind=ui.button, content="Kirjaudu sisään").click()
    await user.should_see("Kirjaudu ulos", retries=40)


async def test_wrong_password_is_refused(user: User) -> None:
    await user.open("/login")
    user.find("Käyttäjätunnus").type("ville")
    user.find("Salasana").type("väärin-väärin")
    user.find(kind=ui.button, content="Kirjaudu sisään").click()
    await user.should_see("Väärä käyttäjätunnus tai salasana.", retries=40)
    await user.should_not_see("Kirjaudu ulos")


async def test_viewer_signs_in_and_out(user: User) -> None:
    await sign_in(user, "ville")
    await user.should_not_see("Hallinta")
    user.find(kind=ui.button, content="Kirjaudu ulos").click()
    await user.should_see("Kirjaudu sisään", retries=40)


async def test_admin_sees_administration_link(user: User) -> None:
    await sign_in(user, "admin")
    await user.should_see("Hallinta")
