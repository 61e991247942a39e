"""The app started again in one process (the simulated user starts it per test) keeps one
lifespan: FastAPI nests it inside each included router's otherwise, one level per start, until
the stack overflows (after ~35 tests in one process)."""

from __future__ import annotations

from nicegui import app
from nicegui.testing import User


async def test_the_lifespan_is_not_nested_by_the_included_routers(user: User) -> None:
    await user.open("/login")
    await user.should_see("Kirjaudu sisään")
    assert getattr(app.router.lifespan_context, "__name__", "") != "merged_lifespan"
