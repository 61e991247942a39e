"""Users and their API tokens (administrators only).

The services refuse what an administrator may not do (remove their own administrator rights,
a too short password, a user name in use); the pages show the refusal in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from nicegui import ui
from sqlalchemy.orm import Session

from ...services import tokens, users
from ...services.access import Actor
from ..context import Translator
from ..layout import heading
from .common import (
    ROLE_LABELS,
    DialogSave,
    Refresh,
    action_cell,
    add_form,
    admin_action,
    alert_label,
    cell,
    confirm,
    data_table,
    date_time,
    edit_dialog,
    read_for_page,
    role_label,
    row_button,
    table_row,
)


@dataclass(frozen=True)
class _UserRow:
    id: int
    username: str
    display_name: str
    email: str
    role: str
    active: bool
    last_login: datetime | None


def _user_rows(db_session: Session, actor: Actor) -> list[_UserRow]:
    return [
        _UserRow(u.id, u.username, u.display_name, u.email or "", u.role, u.active, u.last_login_at)
        for u in users.list_users(db_session, actor=actor)
    ]


def _role_options(tr: Translator) -> dict[str, str]:
    return {role: tr(text) for role, text in ROLE_LABELS.items()}


def users_page(actor: Actor, tr: Translator) -> None:
    @ui.refreshable
    def user_table() -> None:
        rows = read_for_page(actor, _user_rows)
        headers = [
            tr("User name"),
            tr("Name"),
            tr("Role"),
            tr("Active"),
            tr("Last signed in"),
            tr("Actions"),
        ]
        with data_table(tr, tr("Users"), headers):
            for row in rows:
                _user_row(tr, row, row.id == actor.user_id, message, user_table.refresh)

    heading(tr("New user"), 2)
    _create_user_form(tr, user_table.refresh)
    heading(tr("Users"), 2)
    message = alert_label()
    user_table()


def _create_user_form(tr: Translator, refresh: Refresh) -> None:
    def rows() -> DialogSave:
        username = ui.input(tr("User name")).props("autocomplete=off")
        name = ui.input(tr("Name"))
        email = ui.input(tr("E-mail")).props("type=email autocomplete=off")
        role = ui.select(_role_options(tr), value="viewer", label=tr("Role"))
        password = ui.input(tr("Password"), password=True).props("autocomplete=new-password")
        again = ui.input(tr("Password again"), password=True).props("autocomplete=new-password")

        def check() -> str | None:
            if (password.value or "") != (again.value or ""):
                return tr("The passwords do not match.")
            return None

        return DialogSave(
            lambda s, a: (
                users.create_user(
                    s,
                    username.value or "",
                    role=role.value or "viewer",
                    password=password.value or "",
                    display_name=name.value or "",
                    email=(email.value or "").strip() or None,
                    actor=a,
                ).id
            ),
            lambda: tr("User {name} was created.", name=username.value),
            refresh,
            check=check,
            clear=(username, name, email, password, again),
        )

    add_form(tr, tr("Create user"), rows)


def _user_row(
    tr: Translator, row: _UserRow, is_self: bool, message: ui.label, refresh: Refresh
) -> None:
    def done() -> None:
        refresh()

    async def toggle_active() -> None:
        ok, _ = await admin_action(
            tr,
            lambda s, a: users.update_user(s, row.id, active=not row.active, actor=a).id,
            errors=message,
        )
        if ok:
            text = (
                tr("User {name} was deactivated.", name=row.username)
                if row.active
                else tr("User {name} was activated.", name=row.username)
            )
            ui.notify(text, type="positive")
            done()

    with table_row():
        cell(row.username)
        cell(row.display_name)
        cell(role_label(tr, row.role))
        cell(tr("Yes") if row.active else tr("No"))
        cell(date_time(tr, row.last_login))
        with action_cell():
            row_button(tr("Edit"), row.username, lambda: _edit_dialog(tr, row, done))
            if not is_self:  # the service refuses it anyway: no button that always fails
                toggle = tr("Deactivate") if row.active else tr("Activate")
                row_button(toggle, row.username, toggle_active)
            row_button(tr("Set password"), row.username, lambda: _password_dialog(tr, row))


def _edit_dialog(tr: Translator, row: _UserRow, done: Refresh) -> None:
    def rows() -> DialogSave:
        name = ui.input(tr("Name"), value=row.display_name).classes("w-full")
        email = ui.input(tr("E-mail"), value=row.email).props("type=email").classes("w-full")
        role = ui.select(_role_options(tr), value=row.role, label=tr("Role")).classes("w-full")
        return DialogSave(
            lambda s, a: (
                users.update_user(
                    s,
                    row.id,
                    role=role.value,
                    display_name=name.value or "",
                    email=(email.value or "").strip(),
                    actor=a,
                ).id
            ),
            tr("The changes were saved."),
            done,
        )

    edit_dialog(tr, tr("Edit user {name}", name=row.username), rows)


def _password_dialog(tr: Translator, row: _UserRow) -> None:
    def rows() -> DialogSave:
        password = ui.input(tr("New password"), password=True)
        password.props("autocomplete=new-password")
        again = ui.input(tr("Password again"), password=True).props("autocomplete=new-password")

        def check() -> str | None:
            if (password.value or "") != (again.value or ""):
                return tr("The passwords do not match.")
            return None

        return DialogSave(
            lambda s, a: users.reset_password(s, row.id, password.value or "", actor=a),
            tr("The password was changed."),
            check=check,
        )

    edit_dialog(tr, tr("New password for {name}", name=row.username), rows)


# --- API tokens ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TokenRow:
    id: int
    username: str
    name: str
    created: datetime
    last_used: datetime | None
    revoked: bool


def _token_rows(db_session: Session, actor: Actor) -> list[_TokenRow]:
    return [
        _TokenRow(t.id, t.user.username, t.name, t.created_at, t.last_used_at, t.revoked)
        for t in tokens.list_tokens(db_session, actor=actor)
    ]


def tokens_page(actor: Actor, tr: Translator) -> None:
    user_options = {
        row.id: f"{row.username} ({row.display_name})"
        for row in read_for_page(actor, _user_rows)
        if row.active
    }
    heading(tr("New API token"), 2)
    ui.label(
        tr(
            "A token lets a program use the JSON API with the rights of its user. "
            "It is shown only once, right after it is created."
        )
    ).classes("max-w-3xl")
    with ui.card().classes("w-full max-w-xl").props('role="form"'):
        user = ui.select(user_options, label=tr("User")).classes("w-full")
        name = ui.input(tr("Token name"), placeholder=tr("e.g. reporting")).classes("w-full")
        errors = alert_label()

        async def create() -> None:
            if user.value is None:
                errors.set_text(tr("Choose the user the token is for."))
                return
            user_id = int(user.value)
            ok, token = await admin_action(
                tr,
                lambda s, a: tokens.create_token(s, user_id, name.value or "", actor=a),
                errors=errors,
            )
            if not ok or token is None:
                return
            shown.clear()
            with shown:
                ui.label(tr("Copy the token now: it is not shown again.")).classes(
                    "text-weight-medium"
                ).props('role="status"')
                with ui.row().classes("w-full items-center no-wrap"):
                    field = ui.input(tr("New API token"), value=token).props("readonly")
                    field.classes("grow").props('input-class="font-mono"')
                    copy = tr("Copy")

                    def copy_token() -> None:
                        ui.clipboard.write(token)
                        ui.notify(tr("Copied."), type="positive")

                    ui.button(copy, on_click=copy_token)
            name.set_value("")
            token_table.refresh()

        ui.button(tr("Create token"), on_click=create).classes("self-start")
        shown = ui.column().classes("w-full")

    heading(tr("API tokens"), 2)

    @ui.refreshable
    def token_table() -> None:
        rows = read_for_page(actor, _token_rows)
        headers = [
            tr("User"),
            tr("Name"),
            tr("Created"),
            tr("Last used"),
            tr("State"),
            tr("Actions"),
        ]
        with data_table(tr, tr("API tokens"), headers):
            for row in rows:
                _token_row(tr, row, token_table.refresh)

    token_table()


def _token_row(tr: Translator, row: _TokenRow, refresh: Refresh) -> None:
    async def revoke() -> None:
        ok, _ = await admin_action(tr, lambda s, a: tokens.revoke_token(s, row.id, actor=a))
        if ok:
            ui.notify(tr("The token was revoked."), type="positive")
            refresh()

    with table_row():
        cell(row.username)
        cell(row.name)
        cell(date_time(tr, row.created))
        cell(date_time(tr, row.last_used))
        cell(tr("Revoked") if row.revoked else tr("Valid"))
        with action_cell():
            if not row.revoked:
                text = tr("Revoke")
                question = tr(
                    "Revoke the token {name} of {user}? Programs using it stop working.",
                    name=row.name,
                    user=row.username,
                )
                row_button(
                    text, f"{row.username} {row.name}", lambda: confirm(tr, question, text, revoke)
                )
