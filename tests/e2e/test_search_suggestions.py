"""The project list's "did you mean": a search that finds nothing offers corrected searches."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from project_db import search
from tests.conftest import _require_tool
from tests.e2e.conftest import Server, assert_accessible, login

pytestmark = pytest.mark.e2e


def test_a_misspelt_search_suggests_the_right_word(app_server: Server, page: Page) -> None:
    _require_tool(
        "libvoikko" if search.voikko_available() else None,
        "Voikko (Finnish morphology)",
        "voikko-fi libvoikko1",
    )
    login(page, app_server, "ville", "/projects?q=asunotomuus")
    expect(page.get_by_text("Hakuehtoja vastaavia hankkeita ei löytynyt.")).to_be_visible()
    expect(page.get_by_text("Tarkoititko:")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="asunnottomuus", exact=True).click()
    expect(page).to_have_url(f"{app_server.url}/projects?q=asunnottomuus")
    expect(page.get_by_text("3 hanketta")).to_be_visible()
    expect(page.get_by_text("Tarkoititko:")).to_have_count(0)
    # Found by a team member's role only (SoKu's sosiaaliohjaajat).
    page.get_by_label("Hae hankkeita").fill("sosiaaliohjaajat")
    page.get_by_label("Hae hankkeita").press("Enter")
    expect(
        page.get_by_role("link", name="Etelä-Pirkanmaan sosiaalisen kuntoutuksen hanke – SoKu")
    ).to_be_visible()
