"""What every page needs: the database, the signed-in user, their language and translations.

Rights are checked on the server at two moments: when a page is built (``page.page_actor``,
which the ``page`` decorator calls) and in every event handler that changes data
(``handler_actor``), so a deactivated user or a changed role takes effect at once, whatever
buttons an old page still shows. This module builds no page chrome: ``layout`` (the frame)
depends on it, never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from nicegui import app, ui
from sqlalchemy.orm import Session

from ..db import Database
from ..i18n import date_range, eur, format_message, normalise_language, pvm
from ..services.access import Actor, Forbidden, load_actor
from ..services.users import count_users


def database() -> Database:
    """The application's database: ``evaus.ui.app.startup`` keeps it in the app state
    (``app.state.database``), where the API's ``get_database`` dependency reads it too."""
    found: Database | None = getattr(app.state, "database", None)
    assert found is not None, "startup() has not run"
    return found


def has_users() -> bool:
    """Whether anyone can sign in. Re-read from the database while the answer is no: the first
    administrator may have been made by the first-run page, ``evaus user add`` or another
    instance."""
    if not getattr(app.state, "has_users", False):
        with database().session("system") as db_session:
            app.state.has_users = count_users(db_session) > 0
    return bool(app.state.has_users)


@contextmanager
def session(actor: Actor | None = None) -> Iterator[Session]:
    """A database session audited as the signed-in user."""
    with database().session(actor.username if actor else "system") as db_session:
        yield db_session


class Translator:
    """``tr("Save")`` in the page's language; ``tr.date(d)``, ``tr.eur(x)`` format Finnish-style."""

    def __init__(self, lang: str) -> None:
        self.lang = normalise_language(lang)

    def __call__(self, message: str, **params: Any) -> str:
        return format_message(message, self.lang, **params)

    def date(self, value: Any) -> str:
        return pvm(value, self.lang)

    def dates(self, start: Any, end: Any) -> str:
        return date_range(start, end, self.lang)

    def eur(self, value: Any) -> str:
        return eur(value, self.lang)


def _stored_user_id() -> int | None:
    value = app.storage.user.get("user_id")
    return int(value) if value is not None else None


def current_actor() -> Actor | None:
    """The signed-in, still active user — read from the database on every call."""
    user_id = _stored_user_id()
    if user_id is None:
        return None
    with database().session() as db_session:
        actor = load_actor(db_session, user_id)
    if actor is None:
        app.storage.user.clear()
    return actor


def sign_in(actor: Actor) -> None:
    app.storage.user.update(user_id=actor.user_id)


def sign_out() -> None:
    app.storage.user.clear()


def handler_actor(tr: Translator) -> Actor | None:
    """In an event handler that changes data: the user, still signed in and active."""
    actor = current_actor()
    if actor is None:
        ui.notify(tr("Your session has ended. Sign in again."), type="warning")
        ui.navigate.to("/login")
    return actor


def notify_forbidden(tr: Translator) -> None:
    ui.notify(tr("You do not have the rights to do this."), type="negative")


def guarded(tr: Translator, action: Callable[[Actor], Any]) -> Any:
    """Run ``action`` for the signed-in user, turning a refusal into a message for them."""
    actor = handler_actor(tr)
    if actor is None:
        return None
    try:
        return action(actor)
    except Forbidden:
        notify_forbidden(tr)
        return None
