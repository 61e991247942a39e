"""Hostile text in the browser: shown as text, never run (a project made through the services)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Dialog, Page, expect

from evaus.db import open_database
from evaus.services.access import Actor
from evaus.services.projects import create_project_for
from project_db.engine import sqlite_url
from tests.e2e.conftest import Server, delete_project, login

ADMIN = Actor(user_id=0, username="e2e-hostile", role="admin", person_id=None, language="fi")
PAYLOAD = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=2;alert(1)</script>"
NAME = f"Vihamielinen {PAYLOAD} & <b>lihava</b> äöå"


@pytest.fixture
def hostile_project(app_server: Server) -> Iterator[int]:
    database = open_database(url=sqlite_url(app_server.data_dir))
    try:
        with database.session(ADMIN.username) as session:
            project = create_project_for(
                session,
                {
                    "name": NAME,
                    "short_name": '=HYPERLINK("http://x","y")',
                    "summary": f"{SCRIPT}\n{PAYLOAD}\n\u202eRTL\u202c 👩‍👩‍👧 {{{{ 7*7 }}}}",
                    "goals": [{"title": f"Tavoite {PAYLOAD}"}],
                    "people": [{"person": {"name": f"Henkilö {SCRIPT}"}, "role": "<i>rooli</i>"}],
                },
                actor=ADMIN,
            )
            project_id = project.id
    finally:
        database.engine.dispose()
    yield project_id
    delete_project(app_server, project_id)


def test_hostile_text_is_shown_as_text(
    app_server: Server, page: Page, hostile_project: int
) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    login(page, app_server, "ville", f"/projects/{hostile_project}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(NAME)
    expect(page.get_by_text(SCRIPT).first).to_be_visible()
    expect(page.get_by_text(f"Tavoite {PAYLOAD}").first).to_be_visible()
    assert page.locator("main img[src='x']").count() == 0
    assert page.locator("main b", has_text="lihava").count() == 0
    page.goto(f"{app_server.url}/projects?q=Vihamielinen")
    expect(page.get_by_text(NAME).first).to_be_visible()
    # Whatever the page loads (an injected image's error handler would run then) has loaded.
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
