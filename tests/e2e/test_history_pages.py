"""The change history and the comparison of assessment versions as an administrator reads them:
labels and values in Finnish, never a column, table, code, key or ISO date; what an assessment
version assessed (ex ante) apart from what was realised (ex post).

Each test has a server of its own: the tests change the demo Hanska project and assessment,
which the tests on the shared server count and read."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from evaus.db import open_database
from evaus.demo import demo_assessment_entries
from evaus.services import assessments as svc
from evaus.services import editing
from evaus.services.access import Actor, local_admin
from project_db.assessment_models import Assessment
from project_db.assessment_schemas import AlternativeIn
from project_db.base import Base
from project_db.engine import sqlite_url
from project_db.models import CodeItem, User

from .conftest import Server, _prepare, _start, _stop, assert_accessible, choose, login

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("EVAUS_HISTORY_SHOTS")  # a directory: save screenshots there
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# Words of a text: letters, digits and the underscore column names are made of.
WORD = re.compile(r"[\w]+(?:-[\w]+)*")
NEW_GOAL = "Asunnottomuus vähenee"
NEW_PERSON = "Maija Meikäläinen"
REMOVED_ALTERNATIVE = "Palvelusetelit yksityisiltä"
NEW_EVIDENCE = "Kuntakysely 2025: palvelukeskuksen asiakasmäärät"


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[Server]:
    server = _prepare(tmp_path)
    process, server.url = _start(tmp_path)
    yield server
    _stop(process)
    assert "Traceback" not in (tmp_path / "server.log").read_text()


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _hanska_entry() -> dict[str, Any]:
    return next(e for e in demo_assessment_entries() if "Hanska" in e["doc"]["title"])


def _hanska(session: Session) -> Assessment:
    title = _hanska_entry()["doc"]["title"]
    found = session.scalars(
        select(Assessment).where(Assessment.title == title).order_by(Assessment.version_number)
    ).first()
    assert found is not None and found.project_id is not None
    return found


def _with_session(server: Server, work: Any) -> Any:
    """Run ``work(session, admin)`` on the server's database, as the administrator."""
    database = open_database(url=sqlite_url(server.data_dir))
    try:
        with database.session("admin") as session:
            user = session.scalars(select(User).where(User.username == "admin")).one()
            return work(session, Actor.of(user))
    finally:
        database.engine.dispose()


def _internal_words(server: Server) -> tuple[set[str], set[str]]:
    """Column and table names of the models; the code-list codes a reader never sees.

    Left out: a code that is also a word of a label (``STEA``, ``muu``: the label says it), and
    the section codes that are plain Finnish words (``tarpeet``, ``jatkuvuus``) the project's own
    texts use."""

    def codes(session: Any, _admin: Actor) -> set[str]:
        items = session.scalars(select(CodeItem)).all()
        label_words = {
            w.lower()
            for i in items
            for label in (i.label_fi, i.label_sv, i.label_en)
            for w in WORD.findall(label or "")
        }
        return {
            i.code
            for i in items
            if i.code.lower() not in label_words
            and not (i.list_name == "section" and i.code.isalpha())
        }

    names = {c.name for t in Base.metadata.tables.values() for c in t.columns}
    names |= set(Base.metadata.tables)
    return names, _with_session(server, codes)


def _assert_readable(texts: list[str], server: Server) -> None:
    names, codes = _internal_words(server)
    for text in texts:
        words = set(WORD.findall(text))
        assert not words & names, (sorted(words & names), text)
        assert not words & codes, (sorted(words & codes), text)
        assert not UUID.search(text), text
        assert not ISO_DATE.search(text), text


# --- the history -------------------------------------------------------------------------


def _edit_hanska(server: Server) -> int:
    """The funding, the people and the goals of the Hanska project changed in the editor's
    save, the project's own fields through the JSON API (If-Match), and a new version of its
    assessment with an edited alternative and another one recommended and then removed.
    Returns the project id."""

    def edit(session: Any, admin: Actor) -> int:
        hanska = _hanska(session)
        project_id = hanska.project_id
        assert project_id is not None
        loaded = editing.load_for_edit(session, project_id, admin)
        data = loaded.doc.model_dump(mode="json")
        assert data["funding"], "the demo project has funding"
        data["funding"][0]["amount"] = "1234567"
        data["people"].append(
            {"person": {"name": NEW_PERSON}, "role": "Kehittäjä", "is_contact": True}
        )
        data["goals"].append({"title": NEW_GOAL})
        editing.save_edited(
            session,
            project_id,
            data,
            expected_version=loaded.version,
            known_attachments=set(),
            actor=admin,
        )
        second = svc.new_version(session, hanska.id, actor=admin)
        alternative = next(a for a in second.doc.alternatives if not a.is_zero)
        alternative = alternative.model_copy(update={"staff_fte": Decimal("15.5")})
        version = svc.upsert_alternative(
            session, second.id, alternative, expected_version=second.version, actor=admin
        )
        # An alternative recommended and then removed: the history still names it.
        removed = AlternativeIn(name=REMOVED_ALTERNATIVE)
        version = svc.upsert_alternative(
            session, second.id, removed, expected_version=version, actor=admin
        )
        version = svc.set_recommendation(
            session,
            second.id,
            {"alternative_key": removed.key},
            expected_version=version,
            actor=admin,
        )
        svc.delete_alternative(
            session, second.id, removed.key, expected_version=version, actor=admin
        )
        return project_id

    project_id: int = _with_session(server, edit)
    with server.api("admin") as client:
        read = client.get(f"/api/projects/{project_id}")
        assert read.status_code == 200, read.text
        saved = client.patch(
            f"/api/projects/{project_id}",
            json={"status": "myonnetty", "start_date": "2024-02-01", "budget_amount": "250000"},
            headers={"If-Match": read.headers["etag"]},
        )
        assert saved.status_code == 200, saved.text
    return project_id


def test_history_page_reads_without_internal_names(demo_server: Server, page: Page) -> None:
    project_id = _edit_hanska(demo_server)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, demo_server, "admin", f"/projects/{project_id}/history")
    main = page.locator("#main")
    expect(page.get_by_role("heading", name="Muutoshistoria", level=1)).to_be_visible()
    expect(main.get_by_text(f"Tavoite lisätty: {NEW_GOAL}")).to_be_visible()
    # What an added record contains is a click away: the save reads as a list of records.
    person = main.get_by_role("listitem").filter(has_text=f"Henkilö lisätty: {NEW_PERSON}")
    expect(person.get_by_text("Rooli: Kehittäjä")).to_be_hidden()
    person.get_by_text(f"Henkilö lisätty: {NEW_PERSON}").click()
    expect(person.get_by_text("Rooli: Kehittäjä", exact=True)).to_be_visible()
    expect(person.get_by_text("Yhteyshenkilö: kyllä", exact=True)).to_be_visible()
    expect(main.get_by_text(re.compile(r"^Summa: – → 1\xa0234\xa0567 €$"))).to_be_visible()
    expect(main.get_by_text(re.compile(r"^Tila: – → Myönnetty$"))).to_be_visible()
    expect(main.get_by_text(re.compile(r"^Aloituspäivä: – → 1\.2\.2024$"))).to_be_visible()
    expect(main.get_by_text(f"Vaihtoehto poistettu: {REMOVED_ALTERNATIVE}")).to_be_visible()
    recommended = f"Suositeltu vaihtoehto: {REMOVED_ALTERNATIVE} → –"
    expect(main.get_by_text(recommended, exact=True)).to_be_visible()
    staff = re.compile(r"^Henkilöstö \(henkilötyövuotta\): – → 15,5$")
    expect(main.get_by_text(staff)).to_be_visible()
    expect(main.get_by_text(re.compile(r"^Vaihtoehto muutettu: "))).to_be_visible()
    expect(main.get_by_text(re.compile(r"^\d+ muutosta$"))).to_be_visible()
    # The newest save first, who made it and when (a Finnish date and time).
    first = main.locator("ol > li").first
    expect(first).to_contain_text(re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d{2}, admin"))

    _shot(page, "history-1280")
    # Every record opened: the whole text is checked, not only what is in sight.
    page.evaluate("() => document.querySelectorAll('#main details').forEach(d => d.open = true)")
    texts = [main.inner_text()]
    page.get_by_label("Kenttä").click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    texts += options.all_inner_texts()
    assert "Rahoitus: summa" in texts
    page.keyboard.press("Escape")
    _assert_readable(texts, demo_server)
    assert "(poistettu)" not in texts[0]
    assert_accessible(page)

    # Only one person's changes: the choice goes into the address.
    choose(page, page.get_by_label("Kuka"), "demo")
    # The choice has reached the page before "Näytä" reads it (under load the click came first).
    expect(page.get_by_role("combobox", name="Kuka")).to_have_value("demo")
    page.get_by_role("button", name="Näytä").click()
    expect(page).to_have_url(re.compile(r"/history\?who=demo$"))
    expect(main.get_by_text(re.compile(r", demo$")).first).to_be_visible()
    expect(main.get_by_text(f"Tavoite lisätty: {NEW_GOAL}")).to_have_count(0)
    expect(main.get_by_text(re.compile(r", admin$"))).to_have_count(0)
    assert_accessible(page)

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{demo_server.url}/projects/{project_id}/history")
    expect(main.get_by_text(f"Tavoite lisätty: {NEW_GOAL}")).to_be_visible()
    # Nothing wider than the screen: long names and values wrap.
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 375, overflow
    assert_accessible(page)
    _shot(page, "history-375")


# --- the version comparison --------------------------------------------------------------


def _row(page: Page, table: Locator, which: str, field: str) -> Locator:
    """The row of one field of one part: the cells 'Which' and 'Field' say it exactly."""
    return (
        table.get_by_role("row")
        .filter(has=page.get_by_role("cell", name=field, exact=True))
        .filter(has_text=which)
    )


def test_version_comparison_keeps_v1_assessment_apart_from_the_realised(
    demo_server: Server, page: Page
) -> None:
    first: dict[str, Any] = _hanska_entry()["doc"]
    impact = next(i for i in first["impacts"] if i.get("ex_post") and i.get("evidence"))
    realised = impact["ex_post"]
    assert realised["evidence"] and realised["evidence"] != impact["evidence"]

    def v1(session: Any, _admin: Actor) -> tuple[int, Any]:
        hanska = _hanska(session)
        return hanska.id, svc.framework_of(session, hanska.id, actor=READER)

    v1_id, framework = _with_session(demo_server, v1)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, demo_server, "admin", f"/assessments/{v1_id}")
    # The page is connected and has joined the workshop before the click (under CI load a
    # click on the page still settling was lost when the page loaded again).
    expect(page.locator("section.evaus-presence[data-live]")).to_have_count(1)
    page.get_by_role("button", name="Aloita uusi versio").click()
    page.wait_for_url(re.compile(rf"/assessments/(?!{v1_id}$)\d+$"))
    match = re.search(r"/assessments/(\d+)$", page.url)
    assert match
    v2_id = int(match.group(1))

    # The new version assesses the impact again: another direction, another source.
    other = "-" if impact["direction"] != "-" else "+"

    def reassess(session: Any, admin: Actor) -> None:
        view = svc.get_assessment(session, v2_id, actor=admin)
        cell = view.doc.impact(impact["area"], impact["alternative_key"])
        assert cell is not None
        fields = cell.model_dump(exclude={"area", "alternative_key", "ex_post"})
        fields |= {"direction": other, "evidence": NEW_EVIDENCE}
        svc.set_impact(
            session,
            v2_id,
            impact["area"],
            impact["alternative_key"],
            fields,
            expected_version=view.version,
            actor=admin,
        )

    _with_session(demo_server, reassess)
    page.reload()
    page.get_by_role("link", name="Vertaa tähän versioon").click()
    expect(page).to_have_url(re.compile(rf"/assessments/{v2_id}/compare/{v1_id}$"))
    expect(
        page.get_by_role("heading", name="Muutokset versiosta 1 versioon 2", level=1)
    ).to_be_visible()

    assessed_heading = page.get_by_role("heading", name=re.compile("^Mitä arvioitiin"))
    realised_heading = page.get_by_role("heading", name=re.compile("^Mitä toteutui"))
    expect(assessed_heading).to_be_visible()
    expect(realised_heading).to_be_visible()
    tables = page.locator("#main table")
    expect(tables).to_have_count(2)
    assessed, realised_table = tables.nth(0), tables.nth(1)
    for table in (assessed, realised_table):
        expect(table.get_by_role("columnheader", name="Versio 1")).to_be_visible()
        expect(table.get_by_role("columnheader", name="Versio 2")).to_be_visible()

    found_area = framework.area(impact["area"])
    assert found_area is not None
    area = found_area.name.get("fi")
    label = framework.scale_label("direction", impact["direction"], "fi")
    symbol = framework.symbol(impact["direction"])
    direction = _row(page, assessed, area, "Suunta")
    expect(direction).to_have_count(1)
    expect(direction.get_by_role("cell").nth(3)).to_have_text(f"{label} ({symbol})")
    evidence = _row(page, assessed, area, "Näyttö")
    expect(evidence).to_have_count(1)
    expect(evidence.get_by_role("cell").nth(3)).to_have_text(impact["evidence"])
    expect(evidence.get_by_role("cell").nth(4)).to_have_text(NEW_EVIDENCE)
    expect(assessed).not_to_contain_text(realised["evidence"][:60])

    # What was realised is its own table: v1's evaluation, none yet in the new version.
    found = realised_table.get_by_role("row").filter(has_text=realised["evidence"][:60])
    expect(found.first).to_be_visible()
    expect(found.first.get_by_role("cell").nth(0)).to_have_text("Toteutunut vaikutus")
    expect(found.first.get_by_role("cell").nth(4)).to_have_text("—")
    summary = _row(page, realised_table, "", "Jälkiarvioinnin yhteenveto")
    expect(summary.get_by_role("cell").nth(3)).to_contain_text(first["ex_post_summary"][:60])
    # Every field has its name, and every row shows a difference.
    main = page.locator("#main")
    expect(main).not_to_contain_text("Muu tieto")
    for row in main.locator("tbody tr").all():
        cells = row.get_by_role("cell").all_inner_texts()
        assert cells[3:] != ["—", "—"], cells

    _assert_readable([main.inner_text()], demo_server)
    assert_accessible(page)
    _shot(page, "compare-1280")

    # On a phone every change is a card that fits the screen, whole texts included.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    expect(assessed_heading).to_be_visible()
    v1_evidence = main.get_by_text(impact["evidence"], exact=True)
    expect(v1_evidence).to_be_visible()
    box = v1_evidence.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, width
    assert_accessible(page)
    _shot(page, "compare-375")
