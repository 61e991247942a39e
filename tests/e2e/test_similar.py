""" "Onko tätä tehty aiemmin?": the two social rehabilitation demo projects find each other."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, assert_accessible, login

pytestmark = pytest.mark.e2e

HANSKA = "Sosiaalisen kuntoutuksen yhteistyöprosessi monenlaista tukea tarvitseville"
SOKU = "Etelä-Pirkanmaan sosiaalisen kuntoutuksen hanke – SoKu"


def test_similar_projects_are_shown_on_the_project_page(app_server: Server, page: Page) -> None:
    soku = app_server.project_ids["SoKu"]
    login(page, app_server, "ville", f"/projects/{soku}")
    expect(page.get_by_role("heading", name="Onko tätä tehty aiemmin?")).to_be_visible()
    section = page.locator("ul").filter(has=page.get_by_role("link", name=HANSKA))
    link = section.get_by_role("link", name=HANSKA)
    expect(link).to_be_visible()
    assert_accessible(page)
    link.click()
    expect(page.get_by_role("heading", name=HANSKA, level=1)).to_be_visible()
    expect(page.get_by_role("link", name=SOKU)).to_be_visible()
    page.screenshot(path="/tmp/search/similar.png", full_page=True)
