"""The live workshop across instances: two browser contexts, each on its own instance of the
cluster (nginx + two `evaus serve` + Redis + PostgreSQL), open the demo draft's matrix and
wizard; a save made through one appears in the other without a reload (Redis pub/sub)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import login

from .conftest import Cluster, requirements

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.xdist_group("multi-instance")]
requirements()

WAIT = 30_000  # ms
DRAFT = "asumispalvelujen palveluverkon"
CELL = "#cell-wellbeing_health-asumis-0"  # empty in the demo draft


def _draft_id(page: Page, url: str) -> int:
    page.goto(f"{url}/assessments")
    page.get_by_role("link", name=re.compile(DRAFT)).click()
    page.wait_for_url(re.compile(r"/assessments/\d+$"), timeout=WAIT)
    match = re.search(r"/assessments/(\d+)$", page.url)
    assert match
    return int(match.group(1))


def test_saves_on_one_instance_appear_live_on_the_other(cluster: Cluster, browser: Browser) -> None:
    a, b = (cluster.direct(i) for i in cluster.instances)
    contexts = [browser.new_context() for _ in range(2)]
    pages = [context.new_page() for context in contexts]
    try:
        for page, server in zip(pages, (a, b), strict=True):
            page.set_default_timeout(WAIT)
            login(page, server, "admin", "/assessments")
        here, there = pages
        draft = _draft_id(here, a.url)
        here.goto(f"{a.url}/assessments/{draft}/matrix")
        there.goto(f"{b.url}/assessments/{draft}/matrix")
        expect(there.locator(CELL)).to_contain_text("Täyttämättä")
        there.wait_for_timeout(1000)  # both pages have joined the workshop
        there.evaluate("window.workshopMark = 'sama sivu'")
        # A cell saved on instance A is redrawn on instance B.
        here.locator(CELL).click()
        dialog = here.get_by_role("dialog")
        dialog.get_by_role("radio", name="++ Selvästi myönteinen", exact=True).click()
        dialog.get_by_role("button", name="Tallenna").click()
        expect(dialog).to_be_hidden()
        expect(there.locator(CELL)).to_contain_text("Selvästi myönteinen")
        assert there.evaluate("window.workshopMark") == "sama sivu"
        # A wizard field saved on B is updated on A; the next save on A is no false conflict.
        here.goto(f"{a.url}/assessments/{draft}?step=0")
        there.goto(f"{b.url}/assessments/{draft}?step=0")
        expect(here.get_by_label("Organisaatio")).to_be_visible()
        here.wait_for_timeout(1000)
        there.get_by_label("Organisaatio").fill("Instanssi B")
        there.get_by_label("Organisaatio").press("Tab")
        expect(here.get_by_label("Organisaatio")).to_have_value("Instanssi B")
        here.get_by_label("Valmistelijat").fill("Instanssi A")
        here.get_by_label("Valmistelijat").press("Tab")
        expect(there.get_by_label("Valmistelijat")).to_have_value("Instanssi A")
        conflict = here.get_by_role("heading", name="Joku muu on muuttanut arviointia")
        expect(conflict).to_have_count(0)
    finally:
        for context in contexts:
            context.close()
