"""Each fact is entered one way: a funder chosen once, a linked follow-up indicator filled from
the project, key figures as a table, one date input (no browser date picker), and headings in
order on every editor tab and wizard step."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from evaus.db import open_database
from evaus.services import assessments
from evaus.services.access import Actor, local_admin
from project_db.assessment_models import Assessment
from project_db.assessment_schemas import AssessmentDoc
from project_db.engine import sqlite_url
from project_db.models import User

from .conftest import Server, choose, delete_project, login
from .test_editing import TABS, _create, _save, _saved, _tab

SHOTS = Path("/tmp/one-way")
STEPS = range(0, 9)


def _heading_order(page: Page) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    results = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["heading-order"]}})
    assert not results.response["violations"], results.generate_report()


def _no_native_date(page: Page) -> None:
    assert page.locator("input[type=date]").count() == 0, page.url


def _stored(server: Server, assessment_id: int) -> AssessmentDoc:
    database = open_database(url=sqlite_url(server.data_dir))
    try:
        with database.session("e2e-check") as session:
            admin = session.scalars(select(User).where(User.username == "admin")).one()
            view = assessments.get_assessment(session, assessment_id, actor=Actor.of(admin))
            return AssessmentDoc.model_validate(view.doc.model_dump())
    finally:
        database.engine.dispose()


def _new_assessment(page: Page, server: Server, project_id: int, title: str) -> int:
    page.goto(f"{server.url}/assessments/new?project={project_id}")
    page.get_by_label("Otsikko").fill(title)
    page.get_by_label("Päätettävä asia").fill("Jatketaanko toimintaa?")
    page.get_by_role("button", name="Luo arviointi").click()
    page.wait_for_url(re.compile(r"/assessments/\d+$"))
    match = re.search(r"/assessments/(\d+)$", page.url)
    assert match
    return int(match.group(1))


def test_funder_is_chosen_once(page: Page, app_server: Server) -> None:
    SHOTS.mkdir(exist_ok=True)
    login(page, app_server, "admin", "/")
    project_id = _create(page, app_server, "Rahoittaja kerran")
    try:
        _tab(page, "Rahoitus")
        page.get_by_role("button", name="Lisää rahoitus").click()
        choose(
            page,
            page.get_by_label("Rahoittaja", exact=True),
            "Sosiaali- ja terveysjärjestöjen avustuskeskus STEA",
            redrawn=True,
        )
        organisation = page.get_by_label("Rahoittajaorganisaatio")
        expect(organisation).to_have_value("Sosiaali- ja terveysjärjestöjen avustuskeskus STEA")
        page.screenshot(path=str(SHOTS / "funding.png"), full_page=True)
        _tab(page, "Organisaatiot")
        names = page.get_by_label("Organisaatio", exact=True)
        expect(names).to_have_value("Sosiaali- ja terveysjärjestöjen avustuskeskus STEA")
        _tab(page, "Rahoitus")
        page.get_by_label("Summa (€)").fill("120 000")
        _save(page)
        _saved(page)  # before the API reads it (under CI load it read the project unsaved)
        with app_server.api("admin") as client:
            doc = client.get(f"/api/projects/{project_id}").json()
        funding = doc["funding"][0]
        assert funding["funder_code"] == "STEA"
        assert funding["funder"]["name"] == "Sosiaali- ja terveysjärjestöjen avustuskeskus STEA"
        assert funding["funder"]["org_type"] == "valtio"
        roles = {(o["organisation"]["name"], o["role"]) for o in doc["organisations"]}
        assert ("Sosiaali- ja terveysjärjestöjen avustuskeskus STEA", "rahoittaja") in roles
    finally:
        delete_project(app_server, project_id)


def test_editor_tabs_have_headings_in_order_and_no_native_date(
    page: Page, app_server: Server
) -> None:
    login(page, app_server, "admin", "/")
    page.goto(f"{app_server.url}/projects/{app_server.project_ids['SoKu']}/edit")
    for tab in [*TABS, "Talous ja osallistujat"]:
        _tab(page, tab)
        _heading_order(page)
        _no_native_date(page)
    page.goto(f"{app_server.url}/projects")
    expect(page.get_by_label("Käynnissä alkaen", exact=True)).to_be_visible()
    _no_native_date(page)


def test_follow_up_link_and_key_figures_and_wizard(page: Page, app_server: Server) -> None:
    SHOTS.mkdir(exist_ok=True)
    login(page, app_server, "admin", "/")
    project_id = _create(page, app_server, "Mittari seurantaan")
    try:
        _follow_up_and_key_figures(page, app_server, project_id)
    finally:
        # The other tests of the session count the demo projects and assessments.
        _delete_assessments_and_project(app_server, project_id)


def _delete_assessments_and_project(server: Server, project_id: int) -> None:
    database = open_database(url=sqlite_url(server.data_dir))
    try:
        with database.session("e2e-cleanup") as session:
            linked = session.scalars(
                select(Assessment.id).where(Assessment.project_id == project_id)
            ).all()
            for assessment_id in linked:
                assessments.delete_assessment(
                    session, assessment_id, expected_version=None, actor=local_admin("e2e-cleanup")
                )
    finally:
        database.engine.dispose()
    delete_project(server, project_id)


def _follow_up_and_key_figures(page: Page, app_server: Server, project_id: int) -> None:
    _tab(page, "Mittarit")
    page.get_by_role("button", name="Lisää mittari").click()
    page.get_by_label("Mittari", exact=True).fill("Asiakastyytyväisyys")
    page.get_by_label("Yksikkö", exact=True).fill("%")
    page.get_by_label("Lähtötaso", exact=True).fill("62,5")
    page.get_by_label("Tavoitetaso", exact=True).fill("80")
    _save(page)
    _saved(page)  # before the page is left
    linked = {"name": "Asiakastyytyväisyys"}
    baseline = "62,5 %"
    assessment = _new_assessment(page, app_server, project_id, "Yksi tapa syöttää")
    for step in STEPS:
        page.goto(f"{app_server.url}/assessments/{assessment}?step={step}")
        expect(page.locator(".q-stepper__step-inner").first).to_be_visible()
        _heading_order(page)
        _no_native_date(page)

    # Step 8: linking a project indicator fills the follow-up indicator's facts.
    page.goto(f"{app_server.url}/assessments/{assessment}?step=8")
    page.get_by_role("button", name="Lisää seurantamittari").click()
    dialog = page.get_by_role("dialog")
    choose(page, dialog.get_by_label("Hankkeen mittari"), linked["name"])
    expect(dialog.get_by_label("Nimi")).to_have_value(linked["name"])
    expect(dialog.get_by_label("Lähtötaso")).to_have_value(baseline)
    expect(dialog.get_by_label("Tavoitetaso")).to_have_value("80 %")
    dialog.get_by_label("Tavoitetaso").fill("99 %")  # still editable
    page.screenshot(path=str(SHOTS / "follow_up.png"), full_page=True)
    dialog.get_by_role("button", name="Tallenna").click()
    expect(dialog).to_be_hidden()
    follow = _stored(app_server, assessment).follow_ups[0]
    assert follow.name == linked["name"] and follow.target == "99 %"
    assert follow.baseline == baseline

    # Step 3: key figures as a table.
    page.goto(f"{app_server.url}/assessments/{assessment}?step=3")
    page.get_by_role("button", name="Muokkaa").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Lisää tunnuslukutaulukko").click()
    dialog.get_by_label("Taulukon otsikko").fill("Asiakkaat")
    dialog.get_by_label("Sarakkeen 1 otsikko").fill("Palvelu")
    dialog.get_by_label("Sarakkeen 2 otsikko").fill("2025")
    dialog.get_by_label("Rivi 1, sarake 1").fill("Kotihoito")
    dialog.get_by_label("Rivi 1, sarake 2").fill("12.5")
    dialog.get_by_role("button", name="Lisää rivi").click()
    dialog.get_by_label("Rivi 2, sarake 1").fill("Asumispalvelu")
    dialog.get_by_label("Rivi 2, sarake 2").fill("3,25")
    page.screenshot(path=str(SHOTS / "key_figures.png"), full_page=True)
    dialog.get_by_role("button", name="Tallenna").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("cell", name="12,5")).to_be_visible()
    _heading_order(page)
    tables = _stored(app_server, assessment).zero_alternative.key_figures
    assert [t.model_dump() for t in tables] == [
        {
            "caption": "Asiakkaat",
            "columns": ["Palvelu", "2025"],
            "rows": [["Kotihoito", "12,5"], ["Asumispalvelu", "3,25"]],
        }
    ]
