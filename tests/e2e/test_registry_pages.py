"""The reading side: front page, project list (search, filters, sort, pages in the URL),
project page, change history, and the not-found page — as the users see them, in Finnish."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.e2e.conftest import Server, assert_accessible, login

pytestmark = pytest.mark.e2e

OULU = "Asunnottomien sosiaali- ja terveyspalveluiden kehittämishanke"


def _rows(page: Page) -> int:
    return page.locator("#main table tbody tr").count()


def test_dashboard_shows_statuses_and_charts(app_server: Server, page: Page) -> None:
    login(page, app_server, "ville", "/")
    expect(page.get_by_role("heading", name="Hankerekisteri", level=1)).to_be_visible()
    expect(page.get_by_text("Rekisterissä on 4 hanketta")).to_be_visible()
    expect(page.get_by_role("heading", name="Hankkeet tilan mukaan")).to_be_visible()
    expect(page.get_by_role("img", name="Hankkeet tilan mukaan")).to_be_visible()
    status_table = page.locator("table", has_text="Hankkeet tilan mukaan")
    expect(status_table.get_by_role("link", name="Käynnissä")).to_be_visible()
    expect(status_table.get_by_role("link", name="Päättynyt")).to_be_visible()
    expect(status_table.get_by_role("row", name="Ei määritelty 2")).to_be_visible()
    expect(page.get_by_role("heading", name="Hankkeet rahoittajittain")).to_be_visible()
    expect(page.locator("canvas").first).to_be_visible()  # the charts are drawn
    expect(page.get_by_role("button", name="Uusi hanke")).to_have_count(0)  # a viewer
    assert_accessible(page)
    status_table.get_by_role("link", name="Päättynyt").click()
    expect(page).to_have_url(f"{app_server.url}/projects?status=paattynyt")
    expect(page.get_by_text("1 hanke", exact=True)).to_be_visible()


def test_manager_sees_the_new_project_button(app_server: Server, page: Page) -> None:
    login(page, app_server, "maija", "/")
    expect(page.get_by_role("button", name="Uusi hanke")).to_be_visible()


def test_search_open_soku_and_see_the_team(app_server: Server, page: Page) -> None:
    login(page, app_server, "ville", "/projects")
    expect(page.get_by_text("4 hanketta")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Hae hankkeita").fill("SoKu")
    page.get_by_label("Hae hankkeita").press("Enter")
    expect(page.get_by_text("1 hanke", exact=True)).to_be_visible()
    expect(page).to_have_url(f"{app_server.url}/projects?q=SoKu")
    page.get_by_role("link", name=re.compile("SoKu")).click()
    expect(page).to_have_url(f"{app_server.url}/projects/{app_server.project_ids['SoKu']}")
    expect(page.get_by_text("S20397")).to_be_visible()
    expect(page.get_by_text("Päättynyt")).to_be_visible()
    expect(page.get_by_text("1.9.2015–30.11.2018")).to_be_visible()
    expect(page.get_by_role("heading", name="Tiimi ja yhteyshenkilöt")).to_be_visible()
    expect(page.get_by_role("cell", name="Ilkka Peltomaa")).to_be_visible()
    mail = page.get_by_role("link", name="ilkka.peltomaa@valkeakoski.fi")
    expect(mail).to_have_attribute("href", "mailto:ilkka.peltomaa@valkeakoski.fi")
    expect(page.get_by_role("link", name="tuula.heikkari@akaa.fi")).to_be_visible()
    expect(page.get_by_role("button", name="Muokkaa")).to_have_count(0)  # a viewer
    assert_accessible(page)


def test_filters_and_sort_live_in_the_url(app_server: Server, page: Page) -> None:
    login(page, app_server, "ville", "/projects?status=paattynyt")
    expect(page.get_by_text("1 hanke", exact=True)).to_be_visible()
    assert _rows(page) == 1
    expect(page.get_by_role("link", name=re.compile("SoKu"))).to_be_visible()
    page.reload()
    expect(page.get_by_text("1 hanke", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("SoKu"))).to_be_visible()

    # Clearing the status filter and choosing a sort updates the address.
    page.goto(f"{app_server.url}/projects")
    expect(page.get_by_text("4 hanketta")).to_be_visible()
    page.get_by_label("Järjestä").click()
    page.get_by_role("option", name="Päättymispäivä").click()
    expect(page).to_have_url(f"{app_server.url}/projects?sort=end")
    page.get_by_role("checkbox", name="Laskeva järjestys").click()
    expect(page).to_have_url(f"{app_server.url}/projects?sort=end&desc=1")
    page.get_by_label("Tila").click()
    page.get_by_role("option", name="Käynnissä").click()
    expect(page).to_have_url(f"{app_server.url}/projects?status=kaynnissa&sort=end&desc=1")
    expect(page.get_by_text("1 hanke", exact=True)).to_be_visible()
    expect(page.locator("#main table tbody").get_by_role("link", name=OULU)).to_be_visible()
    page.keyboard.press("Escape")
    page.reload()
    expect(page.get_by_text("1 hanke", exact=True)).to_be_visible()
    expect(page.get_by_role("checkbox", name="Laskeva järjestys")).to_be_checked()
    expect(page.locator("#main")).to_contain_text("Päättymispäivä")


def test_descending_end_date_order(app_server: Server, page: Page) -> None:
    login(page, app_server, "ville", "/projects")
    page.goto(f"{app_server.url}/projects?sort=end&desc=1")
    first = page.locator("#main table tbody tr").first
    # SoKu ends 30.11.2018, the Oulu project 1.11.2020: the later end comes first.
    expect(first).to_contain_text(OULU)
    page.goto(f"{app_server.url}/projects?sort=end")
    expect(page.locator("#main table tbody tr").first).to_contain_text("SoKu")


def test_pagination_in_the_url(app_server: Server, page: Page) -> None:
    login(page, app_server, "ville", "/projects?size=3")
    expect(page.get_by_text("4 hanketta")).to_be_visible()
    expect(page.get_by_text("Sivu 1/2")).to_be_visible()
    assert _rows(page) == 3
    expect(page.get_by_role("button", name="Edellinen sivu")).to_be_disabled()
    page.get_by_role("button", name="Seuraava sivu").click()
    expect(page.get_by_text("Sivu 2/2")).to_be_visible()
    expect(page).to_have_url(f"{app_server.url}/projects?page=2&size=3")
    assert _rows(page) == 1
    page.reload()
    expect(page.get_by_text("Sivu 2/2")).to_be_visible()
    assert _rows(page) == 1
    assert_accessible(page)


def test_oulu_project_page(app_server: Server, page: Page) -> None:
    login(page, app_server, "ville", f"/projects/{app_server.project_ids[OULU]}")
    expect(page.get_by_role("heading", name=OULU, level=1)).to_be_visible()
    main = page.locator("#main")
    expect(main).to_contain_text("Hyvinvointisalkku 2014-2020")
    expect(main).to_contain_text("Käynnissä")
    expect(main).to_contain_text("Pohjois-Pohjanmaa")
    expect(page.get_by_role("heading", name="Tiivistelmä")).to_be_visible()
    expect(page.get_by_role("cell", name="Arja Heikkinen")).to_be_visible()
    expect(page.get_by_role("link", name="arja.heikkinen@ouka.fi")).to_be_visible()
    expect(page.get_by_role("heading", name="Mittarit")).to_be_visible()
    indicators = page.locator("table", has_text="Viimeisin toteuma")
    indicator = indicators.get_by_role("row", name=re.compile("Tavoitetaan vähintään 200 henkilöä"))
    expect(indicator).to_contain_text("henkilöä")
    expect(indicator.get_by_role("cell", name="200", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Rahoitus")).to_be_visible()
    expect(page.get_by_role("cell", name="Sosiaali- ja terveysministeriö").first).to_be_visible()
    expect(page.get_by_role("heading", name="Viimeisimmät muutokset")).to_be_visible()
    expect(page.get_by_role("button", name="Muokkaa")).to_have_count(0)
    assert_accessible(page)


def test_edit_button_only_for_those_who_may_edit(app_server: Server, page: Page) -> None:
    login(page, app_server, "maija", f"/projects/{app_server.project_ids['SoKu']}")
    expect(page.get_by_role("button", name="Muokkaa")).to_be_visible()  # in the SoKu team
    page.goto(f"{app_server.url}/projects/{app_server.project_ids[OULU]}")
    expect(page.get_by_role("heading", name=OULU)).to_be_visible()
    expect(page.get_by_role("button", name="Muokkaa")).to_have_count(0)


def test_history_page(app_server: Server, page: Page) -> None:
    project_id = app_server.project_ids["SoKu"]
    login(page, app_server, "ville", f"/projects/{project_id}")
    page.get_by_role("link", name="Muutoshistoria", exact=True).click()
    expect(page).to_have_url(f"{app_server.url}/projects/{project_id}/history")
    expect(page.get_by_role("heading", name="Muutoshistoria", level=1)).to_be_visible()
    main = page.locator("#main")
    # Saves, newest first, each with who and when; a record's change is one readable line.
    expect(main.get_by_text(re.compile(r"^\d+ muutosta$"))).to_be_visible()
    saves = main.locator("ol > li")
    expect(saves.last).to_contain_text(re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4} klo [\d.]+, demo"))
    # The import is one save named by the project, not a row for every field.
    expect(saves.last.get_by_text(re.compile(r"^Hanke lisätty: .*SoKu"))).to_be_visible()
    # The setup added Maija to the team: the person by name, the role as written.
    added = main.get_by_role("listitem").filter(has_text=re.compile(r"^Henkilö lisätty: Maija"))
    expect(added).to_have_count(1)
    added.get_by_text(re.compile(r"^Henkilö lisätty: Maija")).click()  # opens what it holds
    expect(added.get_by_text("Rooli: Projektisuunnittelija", exact=True)).to_be_visible()
    expect(added.get_by_text("Tiimin jäsen: kyllä", exact=True)).to_be_visible()
    expect(main).not_to_contain_text("person_id")
    expect(main).not_to_contain_text("#")
    assert_accessible(page)

    # Only the import's changes: the choice goes into the address and survives a reload.
    page.get_by_label("Kuka").click()
    page.get_by_role("option", name="demo", exact=True).click()
    page.get_by_role("button", name="Näytä").click()
    expect(page).to_have_url(f"{app_server.url}/projects/{project_id}/history?who=demo")
    expect(main.get_by_text("1 muutos", exact=True)).to_be_visible()
    expect(added).to_have_count(0)
    expect(main.get_by_text(re.compile(r"^Hanke lisätty: .*SoKu"))).to_be_visible()
    page.reload()
    expect(main.get_by_text("1 muutos", exact=True)).to_be_visible()
    expect(added).to_have_count(0)
    main.get_by_role("link", name="Näytä kaikki muutokset").click()
    expect(page).to_have_url(f"{app_server.url}/projects/{project_id}/history")
    expect(added).to_have_count(1)

    # Dates are typed the Finnish way (never the browser's own picker); a wrong one is marked.
    assert page.locator("input[type=date]").count() == 0
    page.get_by_label("Alkaen", exact=True).fill("31.2.2020")
    page.get_by_role("button", name="Näytä").click()
    expect(main.get_by_text("Kirjoita päivämäärä muodossa 1.11.2020.")).to_be_visible()
    expect(page).to_have_url(f"{app_server.url}/projects/{project_id}/history")
    page.get_by_label("Alkaen", exact=True).fill("1.1.2000")
    page.get_by_role("button", name="Näytä").click()
    expect(page).to_have_url(f"{app_server.url}/projects/{project_id}/history?since=2000-01-01")
    expect(page.get_by_label("Alkaen", exact=True)).to_have_value("1.1.2000")
    expect(added).to_have_count(1)


def test_unknown_project_is_a_friendly_page(app_server: Server, page: Page) -> None:
    login(page, app_server, "ville", "/projects/987654")
    expect(page.get_by_role("heading", name="Hanketta ei löydy")).to_be_visible()
    expect(page.get_by_role("link", name="Takaisin hankeluetteloon")).to_be_visible()
    page.goto(f"{app_server.url}/projects/987654/history")
    expect(page.get_by_role("heading", name="Hanketta ei löydy")).to_be_visible()


def test_hostile_search_text_is_only_text(app_server: Server, page: Page) -> None:
    dialogs: list[Dialog] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    login(page, app_server, "ville", "/projects")
    hostile = "<script>alert(1)</script>"
    page.get_by_label("Hae hankkeita").fill(hostile)
    page.get_by_label("Hae hankkeita").press("Enter")
    expect(page.get_by_text("Hakuehtoja vastaavia hankkeita ei löytynyt.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/projects\?q=%3Cscript%3Ealert%281%29%3C%2Fscript%3E$"))
    page.reload()
    expect(page.get_by_label("Hae hankkeita")).to_have_value(hostile)
    expect(page.get_by_text("Hakuehtoja vastaavia hankkeita ei löytynyt.")).to_be_visible()
    page.get_by_label("Hae hankkeita").fill("")
    page.get_by_label("Hae hankkeita").press("Enter")
    expect(page.get_by_text("4 hanketta")).to_be_visible()
    assert dialogs == []
