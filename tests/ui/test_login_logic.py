"""Sign-in logic through NiceGUI's simulated user (fast, no browser)."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from tests.ui.conftest import PASSWORDS


async def sign_in(user: User, username: str, password: str | None = None) -> None:
    await user.open("/login")
    user.find("Käyttäjätunnus").type(username)
    user.find("Salasana").type(password or PASSWORDS[username])
    user.find(kind=ui.button, content="Kirjaudu sisään").click()
    await arrived_signed_in(user)


async def arrived_signed_in(user: User) -> None:
    """Wait for the page after signing in. NiceGUI's simulated users share one ``ui.navigate``
    (the user whose attribute was read last): with two users the sign-in's navigation may open
    the page for the other one. This user's session is signed in all the same, so its page is
    opened here when its own navigation did not come."""
    try:
        await user.should_see("Kirjaudu ulos", retries=40)
    except AssertionError:
        await user.open("/")
        await user.should_see("Kirjaudu ulos", retries=100)


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
