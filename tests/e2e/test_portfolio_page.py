"""The portfolio page in Chromium: the figures, charts with their tables, the indicator table
read after them, and the dialog of the projects behind a figure — each scanned by axe-core
(WCAG 2.1 A/AA) — and a figure opened from the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from evaus.db import open_database
from evaus.services import indicator_catalogue as ic
from evaus.services import projects as ps
from evaus.services.access import local_admin
from project_db.engine import sqlite_url

from .conftest import Server, _prepare, _start, _stop, assert_accessible, login, settle

ADMIN = local_admin("test-setup")
PORTFOLIO = "Hyvinvointisalkku 2014-2020"


@pytest.fixture
def portfolio_server(tmp_path: Path) -> Iterator[Server]:
    """The demo registry and two projects of the demo's portfolio with money, participants
    and indicators linked to the catalogue."""
    server = _prepare(tmp_path)
    database = open_database(url=sqlite_url(tmp_path))
    with database.session("test-setup") as session:
        ic.create_entry(
            session,
            {"key": "oma:asiakkaat", "name_fi": "Tavoitetut asiakkaat", "unit": "henkilöä"},
            actor=ADMIN,
        )
        for number, (name, reached) in enumerate((("Ruusu", "95"), ("Tulppaani", "20")), 1):
            ps.create_project(
                session,
                {
                    "name": f"Salkkuhanke {name}",
                    "portfolio": PORTFOLIO,
                    "status": "kaynnissa" if number == 1 else "paattynyt",
                    "start_date": "1.1.2025",
                    "end_date": "31.12.2026",
                    "periods": [
                        {"number": 1, "start_date": "1.1.2025", "end_date": "31.12.2025"},
                        {"number": 2, "start_date": "1.1.2026", "end_date": "31.12.2026"},
                    ],
                    "budget_lines": [
                        {"scheme": "esr", "category": "palkkakustannukset", "amount": "80000"},
                        {"scheme": "esr", "category": "ostopalvelut", "amount": "20000"},
                    ],
                    "cost_actuals": [
                        {
                            "period": p,
                            "scheme": "esr",
                            "category": category,
                            "amount": amount,
                        }
                        for p, category, amount in (
                            (1, "palkkakustannukset", "30000"),
                            (2, "palkkakustannukset", "25000"),
                            (2, "ostopalvelut", "8000"),
                        )
                    ],
                    "participant_stats": [
                        {"gender": "nainen", "age_class": "alle-25", "count": 12},
                        {"gender": "mies", "age_class": "30-54", "count": 7},
                    ],
                    "indicators": [
                        {
                            "key": "i1",
                            "name": "Asiakkaat",
                            "unit": "henkilöä",
                            "baseline": "0",
                            "target": "100",
                            "catalogue_key": "oma:asiakkaat",
                            "values": [{"period": 2, "value": reached, "basis": "collected"}],
                        },
                        {"key": "i2", "name": "Vertaisryhmät", "unit": "kpl", "target": "5"},
                    ],
                },
                actor=ADMIN,
            )
    database.engine.dispose()
    process, server.url = _start(tmp_path)
    yield server
    _stop(process)


def test_the_portfolio_page_is_accessible_and_opens_the_projects_behind_a_figure(
    page: Page, portfolio_server: Server
) -> None:
    query = urlencode({"portfolio": PORTFOLIO, "start": "1.1.2026", "end": "31.12.2026"})
    login(page, portfolio_server, "ville", f"/portfolio?{query}")
    expect(page.get_by_role("heading", name="Salkkunäkymä", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Talous kustannuslajeittain")).to_be_visible()
    # Each chart is an image with a name, and its table follows with the same figures.
    expect(page.get_by_role("img", name="Talous kustannuslajeittain")).to_be_visible()
    money = page.get_by_role("table", name="Talous kustannuslajeittain")
    expect(money.get_by_role("cell", name="Palkkakustannukset (ESR)", exact=True)).to_be_visible()
    expect(money.get_by_role("button", name="Palkkakustannukset (ESR), Suunniteltu")).to_have_text(
        "160\u00a0000 €"
    )
    # The indicator table arrives after the first figures.
    indicators = page.get_by_role("table", name="Mittariston mittarit")
    expect(indicators.get_by_text("yhteensä 115 henkilöä")).to_be_visible()
    expect(
        page.get_by_role("table", name="Muut mittarit (ei linkitetty mittaristoon)")
    ).to_be_visible()
    settle(page)
    assert_accessible(page)

    # The behind-schedule count opens the indicator's project, from the keyboard.
    behind = indicators.get_by_role("button", name="Tavoitetut asiakkaat (henkilöä), Jäljessä")
    behind.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Tavoitetut asiakkaat (henkilöä): Jäljessä")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text("1 mittaria")).to_be_visible()
    expect(dialog.get_by_role("link", name="Salkkuhanke Tulppaani")).to_be_visible()
    expect(dialog.get_by_role("link", name="Salkkuhanke Ruusu")).to_have_count(0)
    settle(page)
    assert_accessible(page)
    dialog.get_by_role("button", name="Sulje").click()
    expect(dialog).to_be_hidden()
