"""Where people start: the header search on every signed-in page and a manager's own front page
(their projects, assessments, what the next report lacks, what others changed)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from evaus.db import open_database
from evaus.services import assessments, tokens
from evaus.services.access import Actor, local_admin
from evaus.services.users import create_user, person_for_user
from project_db.engine import sqlite_url
from project_db.models import Project, ProjectPerson, User

from .conftest import Server, _prepare, _start, _stop, assert_accessible, login

SHOTS = Path("/tmp/front_page_ui")
KALLE_PASSWORD = "kalle-salasana-1"


def _header_search(page: Page) -> None:
    box = page.locator("header").get_by_label("Hae hankkeita")
    expect(box).to_be_visible()
    box.fill("SoKu")
    box.press("Enter")


def test_header_search_finds_soku_from_the_dashboard(page: Page, app_server: Server) -> None:
    login(page, app_server, "admin", "/")
    _header_search(page)
    expect(page).to_have_url(f"{app_server.url}/projects?q=SoKu")
    expect(page.get_by_text("1 hanke", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("SoKu"))).to_be_visible()
    # The list page has its own search box: one "Hae hankkeita" there, holding the query.
    expect(page.get_by_label("Hae hankkeita")).to_have_value("SoKu")


def test_header_search_is_on_every_page_and_keyboard_reachable(
    page: Page, app_server: Server
) -> None:
    login(page, app_server, "ville", "/assessments")
    search = page.get_by_role("searchbox", name="Hae hankkeita")
    expect(search).to_be_visible()
    for _ in range(15):  # skip link, EVAUS, the menu links, then the search
        page.keyboard.press("Tab")
        if search.evaluate("e => e === document.activeElement"):
            break
    expect(search).to_be_focused()
    page.keyboard.type("Asunnot")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{app_server.url}/projects?q=Asunnot")
    expect(page.get_by_label("Hae hankkeita")).to_have_value("Asunnot")


def test_header_fits_a_narrow_window(page: Page, app_server: Server) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, app_server, "maija", "/")
    search = page.locator("header").get_by_label("Hae hankkeita")
    expect(search).to_be_visible()
    box = search.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    button = page.locator("header").get_by_role("button", name="Hae", exact=True)
    button_box = button.bounding_box()
    assert button_box is not None and button_box["x"] + button_box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "narrow.png"), full_page=True)


def test_dashboard_and_list_are_accessible(page: Page, app_server: Server) -> None:
    login(page, app_server, "admin", "/")
    expect(page.get_by_role("heading", name="Hankkeet tilan mukaan")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{app_server.url}/assessments")
    expect(page.get_by_role("heading", name="Vaikutusten arviointi", level=1)).to_be_visible()
    assert_accessible(page)
    page.goto(f"{app_server.url}/projects")
    expect(page.get_by_text("4 hanketta")).to_be_visible()
    assert_accessible(page)


# --- a manager's front page, on a server of its own (its data is made for the test) --------


@pytest.fixture
def team_server(tmp_path: Path) -> Iterator[Server]:
    """Maija in SoKu's team (as in the shared server), Kalle in SoKu's and another project's
    team; Maija's assessment of SoKu and Kalle's of the other project."""
    server = _prepare(tmp_path)
    database = open_database(url=sqlite_url(tmp_path))
    with database.session("test-setup") as session:
        kalle = create_user(
            session,
            "kalle",
            role="manager",
            password=KALLE_PASSWORD,
            display_name="Kalle Kehittäjä",
            actor=local_admin("test-setup"),
        )
        projects = {p.short_name or p.name: p for p in session.scalars(select(Project))}
        soku = projects["SoKu"]
        other = next(p for name, p in projects.items() if name.startswith("Asunnottomien"))
        person = person_for_user(session, kalle)
        for project in (soku, other):
            project.people.append(
                ProjectPerson(person=person, role="Kehittäjä", is_team=True, position=99)
            )
        session.commit()
        admin = Actor.of(session.scalars(select(User).where(User.username == "admin")).one())
        server.tokens["kalle"] = tokens.create_token(session, kalle.id, "e2e", actor=admin)
        session.commit()
        soku_id, other_id, kalle_actor = soku.id, other.id, Actor.of(kalle)
    # Each assessment in a session of its own: the audit names the one who made it.
    with database.session("maija") as session:
        maija = Actor.of(session.scalars(select(User).where(User.username == "maija")).one())
        assessments.create_assessment(
            session, {"title": "SoKun vaikutusten arviointi"}, project_id=soku_id, actor=maija
        )
        session.commit()
    with database.session("kalle") as session:
        assessments.create_assessment(
            session, {"title": "Kallen oma arviointi"}, project_id=other_id, actor=kalle_actor
        )
        session.commit()
    database.engine.dispose()
    process, server.url = _start(tmp_path)
    yield server
    _stop(process)


def _change_municipality(server: Server, project_id: int, value: str) -> None:
    """Kalle changes a project through the API, as another person's tool would."""
    with server.api("kalle") as kalle:
        etag = kalle.get(f"/api/projects/{project_id}").headers["etag"]
        response = kalle.patch(
            f"/api/projects/{project_id}", json={"municipality": value}, headers={"If-Match": etag}
        )
        assert response.status_code == 200, response.text


def test_manager_front_page_shows_own_work(page: Page, team_server: Server) -> None:
    soku = team_server.project_ids["SoKu"]
    other_name = next(n for n in team_server.project_ids if n.startswith("Asunnottomien"))
    _change_municipality(team_server, soku, "Valkeakoski")
    _change_municipality(team_server, team_server.project_ids[other_name], "Tampere")
    login(page, team_server, "maija", "/")
    expect(page.get_by_role("heading", name="Oma työ", level=1)).to_be_visible()

    own = page.locator(".q-card").filter(has=page.get_by_role("heading", name="Omat hankkeet"))
    expect(own.get_by_role("link", name="SoKu", exact=True)).to_be_visible()
    expect(own.get_by_role("link")).to_have_count(1)  # not the projects Maija is not in
    expect(page.get_by_text(other_name)).to_have_count(0)

    mine = page.locator(".q-card").filter(
        has=page.get_by_role("heading", name="Omat vaikutusten arvioinnit")
    )
    expect(mine.get_by_role("link", name="SoKun vaikutusten arviointi")).to_be_visible()
    expect(page.get_by_text("Kallen oma arviointi")).to_have_count(0)

    gaps = page.locator(".q-card").filter(
        has=page.get_by_role("heading", name="Puuttuu seuraavista raporteista")
    )
    expect(
        gaps.get_by_role("heading", name=re.compile("SoKu: ESR-seurantaraportti"))
    ).to_be_visible()
    expect(gaps.get_by_text("Hankkeelle ei ole kirjattu tavoitteita")).to_be_visible()

    changes = page.locator(".q-card").filter(
        has=page.get_by_role("heading", name="Muiden tekemät viimeaikaiset muutokset")
    )
    first = changes.locator("li").first
    expect(first).to_contain_text("Kalle Kehittäjä muutti hanketta SoKu; muutettuja kenttiä: 1")
    expect(first).to_contain_text(re.compile(r"\d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d{2}"))
    expect(changes).not_to_contain_text(other_name)
    history = first.get_by_role("link", name="Hankkeen SoKu muutoshistoria")
    expect(history).to_have_attribute("href", f"/projects/{soku}/history")
    assert_accessible(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "manager.png"), full_page=True)
    history.click()
    expect(page).to_have_url(f"{team_server.url}/projects/{soku}/history")
    expect(page.get_by_text(re.compile("Valkeakoski")).first).to_be_visible()


def test_viewer_keeps_the_registry_figures(page: Page, app_server: Server) -> None:
    login(page, app_server, "ville", "/")
    expect(page.get_by_role("heading", name="Hankerekisteri", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Hankkeet tilan mukaan")).to_be_visible()
    expect(page.get_by_role("heading", name="Omat hankkeet")).to_have_count(0)
