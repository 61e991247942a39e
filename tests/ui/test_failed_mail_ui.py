"""The administration's overview lists the e-mails the server refused for good (NiceGUI's
simulated user): the recipient and the error with the date."""

from __future__ import annotations

import os
from pathlib import Path

from nicegui.testing import User

from evaus.db import Database, open_database
from project_db import outbox
from project_db.engine import sqlite_url
from tests.ui.test_login_logic import sign_in

ERROR = "550 5.1.1 <vanha@kunta.example.fi>: Recipient address rejected"


def _database() -> Database:
    return open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))


def _failed_mail() -> None:
    database = _database()
    with database.session("tests") as session:
        message, _new = outbox.enqueue(
            session,
            outbox.MailDraft(
                dedup_key="test:failed",
                recipient="vanha@kunta.example.fi",
                subject="Muistutus",
                body_text="Muistutus",
            ),
        )
        message.state = outbox.FAILED
        message.last_error = ERROR
        session.commit()
    database.engine.dispose()


async def test_the_admin_overview_lists_failed_mail(user: User) -> None:
    _failed_mail()
    await sign_in(user, "admin")
    await user.open("/admin")
    await user.should_see("Sähköpostit, joita ei voitu lähettää", retries=40)
    await user.should_see("vanha@kunta.example.fi", retries=5)
    await user.should_see("Recipient address rejected", retries=5)
