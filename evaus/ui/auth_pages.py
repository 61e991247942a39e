"""Sign-in, sign-out and the first-run page that creates the first administrator."""

from __future__ import annotations

import asyncio

from nicegui import APIRouter, run, ui

from project_db.errors import ValidationFailed

from ..i18n import describe_problem
from ..services import auth
from ..services.access import Actor
from .context import Translator, current_actor, database, has_users, sign_in, sign_out
from .layout import frame

router = APIRouter()


def _safe_next(target: str | None) -> str:
    # Only paths of this site: an attacker's absolute URL must not be a redirect target.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


def _language_links(tr: Translator, path: str) -> None:
    with ui.row().classes("gap-3"):
        for code, name in (("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")):
            ui.link(name, f"{path}?lang={code}").props(f'lang="{code}"')


@router.page("/login")
async def login_page(lang: str = "fi", next: str | None = None) -> None:
    if not has_users():
        ui.navigate.to(f"/setup?lang={lang}")
        return
    if current_actor() is not None:
        ui.navigate.to(_safe_next(next))
        return
    tr = Translator(lang)
    with frame(tr, tr("Sign in")):
        with (
            ui.card().classes("w-96").props('role="form"'),
            ui.column().classes("w-full items-stretch"),
        ):
            username = (
                ui.input(tr("User name")).props("autocomplete=username autofocus").classes("w-full")
            )
            password = ui.input(tr("Password"), password=True).props(
                "autocomplete=current-password"
            )
            message = ui.label().classes("text-negative").props('role="alert"')

            async def attempt() -> None:
                def check() -> Actor:
                    with database().session("login") as db_session:
                        return auth.authenticate(
                            db_session, username.value or "", password.value or ""
                        )

                try:
                    actor = await run.io_bound(check)
                except auth.LoginFailed as failure:
                    await asyncio.sleep(1)  # slows down guessing even before the lock starts
                    message.set_text(tr(failure.message, seconds=failure.retry_after))
                    return
                assert actor is not None
                sign_in(actor)
                ui.navigate.to(_safe_next(next))

            password.on("keydown.enter", attempt)
            ui.button(tr("Sign in"), on_click=attempt).classes("w-full")
        _language_links(tr, "/login")


@router.page("/logout")
def logout_page() -> None:
    sign_out()
    ui.navigate.to("/login")


@router.page("/setup")
async def setup_page(lang: str = "fi") -> None:
    if has_users():
        ui.navigate.to("/login")
        return
    tr = Translator(lang)
    with frame(tr, tr("Create the first administrator")):
        ui.label(
            tr(
                "EVAUS has no users yet. Create the administrator account that manages users, "
                "code lists and imports."
            )
        ).classes("text-body1 max-w-xl")
        with (
            ui.card().classes("w-96").props('role="form"'),
            ui.column().classes("w-full items-stretch"),
        ):
            username = ui.input(tr("User name")).props("autocomplete=username").classes("w-full")
            display_name = ui.input(tr("Name")).classes("w-full")
            password = ui.input(tr("Password"), password=True).props("autocomplete=new-password")
            again = ui.input(tr("Password again"), password=True).props("autocomplete=new-password")
            message = ui.label().classes("text-negative").props('role="alert"')

            async def create() -> None:
                if password.value != again.value:
                    message.set_text(tr("The passwords do not match."))
                    return

                def make() -> Actor:
                    with database().session("first-run") as db_session:
                        return auth.create_first_admin(
                            db_session,
                            username.value or "",
                            password.value or "",
                            display_name=display_name.value or "",
                            language=tr.lang,
                        )

                try:
                    actor = await run.io_bound(make)
                except ValidationFailed as exc:
                    message.set_text(" ".join(describe_problem(p, tr.lang) for p in exc.problems))
                    return
                except auth.LoginFailed as failure:
                    message.set_text(tr(failure.message))
                    return
                assert actor is not None
                sign_in(actor)
                ui.navigate.to("/")

            ui.button(tr("Create administrator"), on_click=create).classes("w-full")
        _language_links(tr, "/setup")
