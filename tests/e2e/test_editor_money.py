"""The editor's finance tab: budget rows and actual costs are saved, totalled and checked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import Server, assert_accessible, choose, delete_project, login, settle
from .test_editing import _create, _fill_kept, _problems, _project, _save, _saved, _tab

SHOTS = Path("/tmp/editor-money")
TAB = "Talous ja osallistujat"


@pytest.fixture
def editor(page: Page, app_server: Server) -> Iterator[tuple[Page, int]]:
    login(page, app_server, "admin")
    project_id = _create(page, app_server, "Rahahanke")
    yield page, project_id
    delete_project(app_server, project_id)


def _choose(page: Page, scope: Locator, label: str, option: str) -> None:
    field = scope.get_by_label(label, exact=True)
    choose(page, field, option)
    expect(field).to_have_value(option)


def _euros(text: str) -> re.Pattern[str]:
    """An amount as Babel writes it in Finnish: no-break spaces between the groups and before €."""
    return re.compile(re.escape(text).replace(r"\ ", r"\s"))


def _totals(page: Page) -> Locator:
    return page.locator('table[aria-label="Yhteensä"]')


def test_budget_and_actual_cost_are_saved_and_totalled(
    editor: tuple[Page, int], app_server: Server
) -> None:
    page, project_id = editor
    _tab(page, "Raportointijaksot")
    page.get_by_role("button", name="Lisää raportointijakso").click()
    period = page.locator(".q-card").filter(has_text="Raportointijakso 1")
    period.get_by_label("Aloituspäivä", exact=True).fill("1.1.2020")
    period.get_by_label("Päättymispäivä", exact=True).fill("31.12.2020")

    _tab(page, "Mittarit")
    page.get_by_role("button", name="Lisää mittari").click()
    page.get_by_label("Mittari", exact=True).fill("Kustannus asiakasta kohden")
    indicator = page.locator(".q-card").filter(has=page.get_by_label("Suunta", exact=True))
    _choose(page, indicator, "Suunta", "mitä vähemmän, sitä parempi")

    _tab(page, TAB)
    budget = page.locator(".q-card").filter(has=page.get_by_label("Suunniteltu summa (€)"))
    # One click at a time: the tab is redrawn after each, and a click meanwhile is lost.
    for rows in (1, 2):
        page.get_by_role("button", name="Lisää budjettirivi").click()
        expect(budget).to_have_count(rows)
    _choose(page, budget.nth(0), "Kustannuslaji", "Palkkakustannukset")
    budget.nth(0).get_by_label("Suunniteltu summa (€)").fill("241 500,00")
    _choose(page, budget.nth(1), "Kustannuslaji", "Ostopalvelut")
    budget.nth(1).get_by_label("Suunniteltu summa (€)").fill("paljon")
    page.get_by_role("button", name="Lisää toteutunut kustannus, jakso 1").click()
    cost = (
        page.locator(".q-card")
        .filter(has_text="Jakso 1:")
        .filter(has=page.get_by_label("Toteutunut summa (€)"))
    )
    _choose(page, cost, "Kustannuslaji", "Palkkakustannukset")
    cost.get_by_label("Toteutunut summa (€)").fill("120 750,5")

    # The wrong amount is refused and shown at its own input only.
    _save(page)
    expect(_problems(page)).to_contain_text("paljon")
    wrong = budget.nth(1).locator(".q-field--error")
    expect(wrong).to_have_count(1)
    expect(wrong.get_by_label("Suunniteltu summa (€)")).to_have_value("paljon")
    expect(budget.nth(0).locator(".q-field--error")).to_have_count(0)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "invalid.png"), full_page=True)
    assert _project(app_server, project_id)["budget_lines"] == []

    budget.nth(1).get_by_label("Suunniteltu summa (€)").fill("10 000")
    _save(page)
    _saved(page)

    page.reload()
    _tab(page, TAB)
    budget = page.locator(".q-card").filter(has=page.get_by_label("Suunniteltu summa (€)"))
    expect(budget).to_have_count(2)
    expect(budget.nth(0).get_by_label("Kustannuslaji", exact=True)).to_have_value(
        "Palkkakustannukset"
    )
    expect(budget.nth(0).get_by_label("Suunniteltu summa (€)")).to_have_value("241500")
    expect(page.get_by_label("Toteutunut summa (€)")).to_have_value("120750,5")
    salaries = _totals(page).get_by_role("row").filter(has_text="Palkkakustannukset")
    expect(salaries).to_contain_text(_euros("241 500,00 €"))
    expect(salaries).to_contain_text(_euros("120 750,50 €"))
    expect(salaries).to_contain_text(_euros("50,0 %"))
    net = _totals(page).get_by_role("row").filter(has_text="Nettokustannus")
    expect(net).to_contain_text(_euros("251 500,00 €"))
    expect(net).to_contain_text(_euros("120 750,50 €"))
    expect(net).to_contain_text(_euros("48,0 %"))

    # The totals follow what is typed, before saving.
    budget.nth(1).get_by_label("Suunniteltu summa (€)").fill("0")
    expect(net).to_contain_text(_euros("241 500,00 €"))
    expect(net).to_contain_text(_euros("50,0 %"))

    settle(page)
    page.screenshot(path=str(SHOTS / "money.png"), full_page=True)
    assert_accessible(page)

    saved = _project(app_server, project_id)
    assert saved["budget_lines"] == [
        {"scheme": "esr", "category": "palkkakustannukset", "amount": "241500.00", "note": ""},
        {"scheme": "esr", "category": "ostopalvelut", "amount": "10000.00", "note": ""},
    ]
    assert saved["cost_actuals"] == [
        {
            "period": 1,
            "scheme": "esr",
            "category": "palkkakustannukset",
            "amount": "120750.50",
            "note": "",
        }
    ]
    indicators = saved["indicators"]
    assert isinstance(indicators, list)
    assert indicators[0]["direction"] == "less"

    _tab(page, "Mittarit")
    expect(page.get_by_label("Suunta", exact=True)).to_have_value("mitä vähemmän, sitä parempi")


def test_participant_groups_and_volunteers_are_saved(
    editor: tuple[Page, int], app_server: Server
) -> None:
    page, project_id = editor
    _tab(page, "Raportointijaksot")
    page.get_by_role("button", name="Lisää raportointijakso").click()
    period = page.locator(".q-card").filter(has_text="Raportointijakso 1")
    period.get_by_label("Aloituspäivä", exact=True).fill("1.1.2020")
    period.get_by_label("Päättymispäivä", exact=True).fill("31.12.2020")

    _tab(page, TAB)
    page.get_by_role("button", name="Lisää osallistujaryhmä: Koko hanke").click()
    whole = page.locator(".q-card").filter(
        has=page.get_by_role("button", name="Lisää osallistujaryhmä: Koko hanke")
    )
    _choose(page, whole, "Sukupuoli", "Nainen")
    _choose(page, whole, "Ikäryhmä", "30–54 v.")
    _choose(page, whole, "Työmarkkina-asema", "Pitkäaikaistyötön")
    _choose(page, whole, "Koulutus", "Toinen aste")
    whole.get_by_label("Lukumäärä", exact=True).fill("kolme")
    volunteers = page.locator(".q-card").filter(has=page.get_by_label("Vapaaehtoiset"))
    _fill_kept(volunteers.get_by_label("Vapaaehtoiset", exact=True), "12")
    _fill_kept(volunteers.get_by_label("Vapaaehtoistyön tunnit", exact=True), "340,5")
    _save(page)
    expect(whole.locator(".q-field--error").get_by_label("Lukumäärä")).to_have_value("kolme")
    whole.get_by_label("Lukumäärä", exact=True).fill("3")
    # The server clears the error when it has the new count: only then is it in the save.
    expect(whole.locator(".q-field--error")).to_have_count(0)
    _save(page)
    _saved(page)

    saved = _project(app_server, project_id)
    assert saved["participant_stats"] == [
        {
            "period": None,
            "gender": "nainen",
            "age_class": "30-54",
            "labour_status": "pitkaaikaistyoton",
            "education": "toinen-aste",
            "count": 3,
        }
    ]
    periods = saved["periods"]
    assert isinstance(periods, list)
    assert (periods[0]["volunteers"], periods[0]["volunteer_hours"]) == (12, "340.5")
    page.reload()
    _tab(page, TAB)
    expect(page.get_by_label("Lukumäärä", exact=True)).to_have_value("3")
    expect(page.get_by_label("Vapaaehtoistyön tunnit", exact=True)).to_have_value("340,5")
