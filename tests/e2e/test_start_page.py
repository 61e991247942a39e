"""The app as a person sees it: first start loads the demo projects into the list."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_status_reports_the_demo_projects(server: str) -> None:
    body = httpx.get(f"{server}/status", timeout=10).json()
    assert body["status"] == "ok"
    assert body["projects"] == 4


def test_project_list_shows_demo_projects_in_finnish(server: str, page: Page) -> None:
    page.goto(server)
    expect(page.get_by_role("heading", name="Hankkeet")).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Asunnottomien sosiaali- ja terveyspalveluiden kehittämishanke")
    expect(table).to_contain_text("1.9.2015–30.11.2018")
    expect(table).to_contain_text("Käynnissä")


def test_search_narrows_the_list(server: str, page: Page) -> None:
    page.goto(server)
    page.get_by_label("Haku").fill("etelä-pirkanmaan")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Etelä-Pirkanmaan sosiaalisen kuntoutuksen hanke")
    expect(table).not_to_contain_text("Asunnottomien sosiaali- ja terveyspalveluiden")


def test_project_list_has_no_accessibility_violations(server: str, page: Page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server)
    expect(page.get_by_role("table")).to_contain_text("SoKu")
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()
