"""The personal data page: an administrator pseudonymises a person; others get no access."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from evaus.db import open_database
from evaus.services.access import Actor
from evaus.services.projects import create_project_for
from project_db.engine import sqlite_url
from tests.e2e.conftest import Server, assert_accessible, delete_project, login

ADMIN = Actor(user_id=0, username="e2e-gdpr", role="admin", person_id=None, language="fi")
EMAIL = "eero.erasmus@example.fi"


@pytest.fixture
def person_project(app_server: Server) -> Iterator[int]:
    database = open_database(url=sqlite_url(app_server.data_dir))
    try:
        with database.session(ADMIN.username) as session:
            member = {"person": {"name": "Eero Erasmus", "email": EMAIL}, "role": "Kehittäjä"}
            project_id = create_project_for(
                session, {"name": "Tietosuojatestin hanke", "people": [member]}, actor=ADMIN
            ).id
    finally:
        database.engine.dispose()
    yield project_id
    delete_project(app_server, project_id)


@pytest.mark.parametrize("username", ["ville", "maija"])
def test_others_get_no_access(app_server: Server, page: Page, username: str) -> None:
    login(page, app_server, username)
    page.goto(f"{app_server.url}/admin/people")
    expect(page.get_by_text("Sinulla ei ole oikeutta nähdä tätä sivua.")).to_be_visible()
    expect(page.get_by_role("button", name="Pseudonymisoi")).to_have_count(0)


def test_admin_downloads_and_pseudonymises(
    app_server: Server, page: Page, person_project: int
) -> None:
    login(page, app_server, "admin", "/admin")
    page.get_by_role("link", name="Henkilötiedot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Henkilötiedot")
    page.get_by_label("Nimi tai sähköposti").fill("Erasmus")
    page.locator("#main").get_by_role("button", name="Hae", exact=True).click()
    row = page.get_by_role("row").filter(has_text=EMAIL)
    expect(row).to_have_count(1)
    assert_accessible(page)
    with page.expect_download() as download:
        row.get_by_role("button", name="Lataa tiedot: Eero Erasmus").click()
    report = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert report["person"]["email"] == EMAIL
    assert [r["project_name"] for r in report["project_roles"]] == ["Tietosuojatestin hanke"]
    row.get_by_role("button", name="Pseudonymisoi: Eero Erasmus").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Pseudonymisoidaanko Eero Erasmus?")
    dialog.get_by_role("button", name="Pseudonymisoi").click()
    expect(page.get_by_text("Henkilö pseudonymisoitiin.")).to_be_visible()
    page.locator("#main").get_by_role("button", name="Hae", exact=True).click()
    expect(page.get_by_role("row").filter(has_text=EMAIL)).to_have_count(0)
    page.goto(f"{app_server.url}/projects/{person_project}")
    expect(page.get_by_text("Poistettu henkilö").first).to_be_visible()
    expect(page.get_by_text("Eero Erasmus")).to_have_count(0)
