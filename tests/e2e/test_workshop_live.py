"""The live workshop in real browsers on the shared server: two people open the facilitator view
of the demo draft, each sees the other in the presence bar, the lead's focus (arrow keys and
buttons) is followed by the other view, and a cell saved by a third person in the matrix appears
in both views without a reload. Both views pass axe-core.

Waits are for conditions, with long timeouts: the test machine may be busy."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from evaus.services import assessments as svc
from evaus.services.access import local_admin
from evaus.services.startup import open_registry
from project_db.engine import sqlite_url

from .conftest import Server, assert_accessible, settle, signed_in

WAIT = 30_000  # ms
DRAFT = "asumispalvelujen palveluverkon"
ZERO, REFORM = "Nykytila jatkuu", "Palveluverkon uudistus: kotiin tukeminen ja oma tuotanto"
WELLBEING = "Asiakkaiden ja asukkaiden hyvinvointi ja terveys"
ACCESS = "Palvelujen saatavuus ja saavutettavuus"
CELL = ("wellbeing_health", "asumis-0")  # empty in the demo draft


def _draft_id(page: Page, server: Server) -> int:
    page.goto(f"{server.url}/assessments")
    page.get_by_role("link", name=re.compile(DRAFT)).click()
    page.wait_for_url(re.compile(r"/assessments/\d+$"), timeout=WAIT)
    match = re.search(r"/assessments/(\d+)$", page.url)
    assert match
    return int(match.group(1))


def _empty_cell(server: Server, assessment_id: int) -> None:
    """Put the demo draft's cell back as it was (other tests of the session read the draft)."""
    database = open_registry(url=sqlite_url(server.data_dir))
    try:
        with database.session("e2e-cleanup") as session:
            svc.set_impact(
                session,
                assessment_id,
                *CELL,
                None,
                expected_version=None,
                actor=local_admin("e2e-cleanup"),
            )
    finally:
        database.engine.dispose()


@pytest.fixture
def people(browser: Browser, app_server: Server) -> Iterator[tuple[Page, Page, Page]]:
    """Maija (leads), Ville (follows) and the administrator (saves in the matrix), each in a
    browser context of their own."""
    with signed_in(browser, app_server, "maija", "ville", "admin", timeout=WAIT) as pages:
        yield pages[0], pages[1], pages[2]


def _now(page: Page, area: str, alternative: str) -> None:
    heading = page.get_by_role("heading", name=f"Nyt käsittelyssä: {area} – {alternative}")
    expect(heading).to_be_visible(timeout=WAIT)


def test_two_facilitator_views_follow_the_lead_and_show_saves_live(
    people: tuple[Page, Page, Page], app_server: Server
) -> None:
    lead, follower, third = people
    draft = _draft_id(lead, app_server)
    view = f"{app_server.url}/assessments/{draft}/facilitator"
    try:
        lead.goto(f"{view}?lead=1")
        expect(lead.get_by_text("Sinä ohjaat")).to_be_visible(timeout=WAIT)
        _now(lead, WELLBEING, ZERO)
        follower.goto(view)
        # The follower finds the lead and their focus; each sees the other in the bar.
        expect(follower.get_by_text("Maija ohjaa")).to_be_visible(timeout=WAIT)
        _now(follower, WELLBEING, ZERO)
        others = follower.get_by_role("list", name="Paikalla nyt")
        expect(others).to_contain_text(f"Maija: Matriisi: {WELLBEING} – {ZERO}", timeout=WAIT)
        # The avatar's initials (a page Maija just left stays listed until its connection's
        # grace period ends, so there may be two for a moment).
        expect(others.get_by_text("M", exact=True).first).to_be_visible()
        others = lead.get_by_role("list", name="Paikalla nyt")
        expect(others).to_contain_text("Ville: Fasilitointinäkymä", timeout=WAIT)
        # Nothing reloads from here on: a mark on each window would be lost by a reload.
        for page in (lead, follower):
            page.evaluate("window.workshopMark = 'sama sivu'")
        # The lead moves with the arrow keys and the buttons; the other view follows.
        lead.keyboard.press("ArrowDown")
        _now(lead, ACCESS, ZERO)
        _now(follower, ACCESS, ZERO)
        lead.get_by_role("button", name="Seuraava vaihtoehto").click()
        _now(lead, ACCESS, REFORM)
        _now(follower, ACCESS, REFORM)
        expect(follower.get_by_role("button", name="Seuraava vaihtoehto")).to_have_count(0)
        # A third person saves a cell in the matrix: both views show it.
        third.goto(f"{app_server.url}/assessments/{draft}/matrix")
        third.locator(f"#cell-{CELL[0]}-{CELL[1]}").click()
        dialog = third.get_by_role("dialog")
        expect(dialog).to_be_visible(timeout=WAIT)
        dialog.get_by_role("radio", name="++ Selvästi myönteinen", exact=True).click()
        dialog.get_by_role("radio", name="Suuri", exact=True).click()
        dialog.get_by_label("Perustelu").fill("Kolmannen arvio")
        dialog.get_by_role("button", name="Tallenna").click()
        expect(dialog).to_be_hidden(timeout=WAIT)
        for page in (lead, follower):
            cell = page.locator(f"#facilitator-cell-{CELL[0]}-{CELL[1]}")
            expect(cell).to_contain_text("Selvästi myönteinen", timeout=WAIT)
            expect(cell).to_contain_text("Suuri")
            assert page.evaluate("window.workshopMark") == "sama sivu"
        # Back to the saved cell: its justification is shown large.
        lead.keyboard.press("ArrowUp")
        lead.keyboard.press("ArrowLeft")
        _now(follower, WELLBEING, ZERO)
        expect(follower.get_by_text("Perustelu: Kolmannen arvio")).to_be_visible(timeout=WAIT)
        for page in (lead, follower):
            settle(page)
            assert_accessible(page)
        # The banner follows NiceGUI's reconnect pop-up, in the user's language.
        popup = "(hidden) => document.getElementById('popup').setAttribute('aria-hidden', hidden)"
        banner = follower.locator("#evaus-connection")
        follower.evaluate(popup, "false")
        expect(banner).to_have_text("Yhteys palvelimeen katkesi. Yhdistetään uudelleen…")
        follower.evaluate(popup, "true")
        expect(banner).to_have_text("Yhteys palvelimeen palasi.")
    finally:
        _empty_cell(app_server, draft)
