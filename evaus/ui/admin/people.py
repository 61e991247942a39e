"""Personal data (GDPR), administrators only: find a person, download everything stored about
them as JSON, pseudonymise or delete them (after a confirmation).

The page (in ``pages.py``) checks the role; every handler runs through ``admin_action`` (the
user reloaded, the service checks ``require_admin`` again).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nicegui import ui
from sqlalchemy.orm import Session

from ...services import personal_data
from ...services.access import Actor
from ..context import Translator
from ..layout import heading
from .common import (
    action_cell,
    admin_action,
    alert_label,
    cell,
    confirm,
    data_table,
    read_for_page,
    row_button,
    table_row,
)


@dataclass(frozen=True)
class _PersonRow:
    id: int
    name: str
    email: str
    phone: str


def _rows(text: str) -> Callable[[Session, Actor], list[_PersonRow]]:
    def work(db_session: Session, actor: Actor) -> list[_PersonRow]:
        return [
            _PersonRow(p.id, p.name, p.email or "", p.phone or "")
            for p in personal_data.search_people(db_session, text, actor=actor)
        ]

    return work


def people_page(actor: Actor, tr: Translator) -> None:
    ui.label(
        tr(
            "Find a person to download everything stored about them, or to erase their "
            "personal data. Pseudonymising keeps their project roles under the name "
            "\u201cPoistettu henkilö\u201d; deleting removes the roles too. Both also remove "
            "the e-mail, phone and name from the audit log and the projects' texts."
        )
    ).classes("max-w-3xl")
    message = alert_label()
    query = {"text": ""}

    @ui.refreshable
    def people_table() -> None:
        rows = read_for_page(actor, _rows(query["text"]))
        if not rows:
            ui.label(tr("No people were found."))
            return
        headers = [tr("Name"), tr("E-mail"), tr("Phone"), tr("Actions")]
        with data_table(tr, tr("People"), headers):
            for row in rows:
                _person_row(tr, row, message, people_table.refresh)

    def search() -> None:
        query["text"] = str(search_box.value or "")
        people_table.refresh()

    with ui.row().classes("items-end gap-2"):
        search_box = ui.input(tr("Name or e-mail")).props("clearable").classes("w-80")
        search_box.on("keydown.enter", search)
        ui.button(tr("Search"), on_click=search)
    heading(tr("People"), 2)
    people_table()


def _person_row(
    tr: Translator, row: _PersonRow, message: ui.label, refresh: Callable[[], Any]
) -> None:
    async def download() -> None:
        ok, report = await admin_action(
            tr,
            lambda s, a: personal_data.person_report(s, row.id, actor=a),
            errors=message,
        )
        if ok and report is not None:
            data = json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")
            ui.download.content(data, f"henkilotiedot_{row.id}.json", "application/json")

    async def erase(mode: str) -> None:
        ok, _counts = await admin_action(
            tr,
            lambda s, a: personal_data.erase_person(s, row.id, mode=mode, actor=a),
            errors=message,
        )
        if ok:
            if mode == "delete":
                ui.notify(tr("The person was deleted."), type="positive")
            else:
                ui.notify(tr("The person was pseudonymised."), type="positive")
            refresh()

    with table_row():
        cell(row.name)
        cell(row.email or "–")
        cell(row.phone or "–")
        with action_cell():
            row_button(tr("Download data"), row.name, download)
            _erase_button(
                tr("Pseudonymise"),
                tr(
                    "Pseudonymise {name}? The name, e-mail and phone are removed everywhere, "
                    "also from the audit log. This cannot be undone.",
                    name=row.name,
                ),
                row.name,
                lambda: erase("pseudonymise"),
                tr,
            )
            _erase_button(
                tr("Delete"),
                tr(
                    "Delete {name} and their project roles? The name, e-mail and phone are "
                    "removed everywhere, also from the audit log. This cannot be undone.",
                    name=row.name,
                ),
                row.name,
                lambda: erase("delete"),
                tr,
            )


def _erase_button(
    text: str, question: str, target: str, on_yes: Callable[[], Any], tr: Translator
) -> None:
    """A row button that asks ``question`` before it erases."""
    row_button(text, target, lambda: confirm(tr, question, text, on_yes))
