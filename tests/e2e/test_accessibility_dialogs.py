"""axe-core with each dialog of the app open: every dialog is scanned as a screen-reader user
meets it (the page behind a modal dialog is inert), and the page is scanned on its own before.

One browser for the module; each user logs in once and the later pages reuse the cookies.
Every test opens its dialog on a page of its own (an assessment or project made for it, or a
demo row), scans, and closes the dialog without changing anything shared.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from evaus.db import open_database
from evaus.services.access import local_admin
from evaus.services.assessments import set_answer
from evaus.services.projects import create_project_for
from project_db.engine import sqlite_url

from .conftest import Server, assert_accessible, delete_project, login

AREAS = ["equality", "access"]


@pytest.fixture(scope="module")
def sessions(browser: Browser, app_server: Server) -> dict[str, Any]:
    """Each user's cookies after one login: later pages in new contexts start logged in."""
    states: dict[str, Any] = {}
    for username in ("admin", "maija"):
        context = browser.new_context()
        login(context.new_page(), app_server, username)
        states[username] = context.storage_state()
        context.close()
    return states


@pytest.fixture
def as_user(browser: Browser, sessions: dict[str, Any]) -> Iterator[Callable[[str], Page]]:
    contexts = []

    def page_for(username: str) -> Page:
        context = browser.new_context(storage_state=sessions[username])
        contexts.append(context)
        return context.new_page()

    yield page_for
    for context in contexts:
        context.close()


def scan_dialog(page: Page, dialog: Locator) -> None:
    """The open dialog, once its opening transition has ended (mid-fade colours are not real)."""
    expect(dialog).to_be_visible()
    # Vue's transition classes stay on the backdrop and the dialog until their transitions end.
    page.wait_for_function(
        """() => !document.querySelector(
               '.q-dialog [class*="-enter-"], .q-dialog [class*="-leave-"]')"""
    )
    # The page behind the modal dialog is out of reach while the dialog is open.
    expect(page.locator("#app")).to_have_attribute("inert", "")
    assert_accessible(page)
    assert_named_dialogs(page)


def focus_back_on(page: Page, opener: Locator) -> None:
    """After the dialog, the keyboard continues from the button that opened it (a click puts
    the focus on the button's inner focus helper, which is as good)."""
    expect(page.locator("#app")).not_to_have_attribute("inert", "")
    page.wait_for_function("b => b.contains(document.activeElement)", arg=opener.element_handle())


def assert_named_dialogs(page: Page) -> None:
    """axe-core's dialog rules (best practices, so not in the WCAG run): every dialog named."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    rules = ["aria-dialog-name", "aria-allowed-role", "landmark-unique"]
    results = Axe().run(page, options={"runOnly": {"type": "rule", "values": rules}})
    serious = [v for v in results.response["violations"] if v.get("impact") != "minor"]
    assert not serious, results.generate_report()


# --- the assessment wizard --------------------------------------------------------------------


def _saved(page: Page) -> None:
    status = page.locator('[role="status"]').filter(has_text=re.compile("Tallenne"))
    expect(status).to_have_text(re.compile(r"Tallennettu klo \d"), timeout=10_000)


@pytest.fixture(scope="module")
def assessment(browser: Browser, app_server: Server, sessions: dict[str, Any]) -> int:
    """maija's draft with two relevant areas: a long step 4, a matrix and a removable option."""
    context = browser.new_context(storage_state=sessions["maija"])
    page = context.new_page()
    page.goto(f"{app_server.url}/assessments/new")
    page.get_by_label("Otsikko").fill(f"Dialogien saavutettavuus {uuid.uuid4().hex[:6]}")
    page.get_by_label("Päätettävä asia").fill("Perustetaanko uusi palvelumalli?")
    page.get_by_role("button", name="Luo arviointi").click()
    page.wait_for_url(re.compile(r"/assessments/\d+$"))
    match = re.search(r"/assessments/(\d+)$", page.url)
    assert match
    ident = int(match.group(1))
    page.goto(f"{app_server.url}/assessments/{ident}?step=3")
    page.get_by_role("button", name="Lisää vaihtoehto").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Nimi").fill("Yhteinen palvelukeskus")
    dialog.get_by_role("button", name="Tallenna").click()
    expect(dialog).to_be_hidden()
    _saved(page)
    page.goto(f"{app_server.url}/assessments/{ident}?step=4")
    for code in AREAS:
        card = page.locator(f"#area-{code}")
        card.get_by_role("radio", name="Olennainen", exact=True).click()
        card.get_by_label("Perustelu (yksi rivi)").fill("Koskee kaikkia")
    _saved(page)
    context.close()
    return ident


WIZARD: dict[str, tuple[str, str, str | re.Pattern[str]]] = {
    # step: (button that opens the dialog, the dialog's name)
    "finish-long-step": ("4", "Merkitse valmiiksi", "Merkitäänkö arviointi valmiiksi?"),
    "hearing": ("2", "Lisää kuultu taho", "Keitä kuultiin"),
    "alternative-new": ("3", "Lisää vaihtoehto", "Uusi vaihtoehto"),
    "alternative-remove": ("3", "Poista", re.compile("^Poistetaanko vaihtoehto")),
    "risk": ("6", "Lisää riski", "Riski"),
    "follow-up": ("8", "Lisää seurantamittari", "Seurantamittari"),
}


@pytest.mark.parametrize("case", list(WIZARD))
def test_wizard_dialog(
    case: str, as_user: Callable[[str], Page], app_server: Server, assessment: int
) -> None:
    step, button, name = WIZARD[case]
    page = as_user("maija")
    page.goto(f"{app_server.url}/assessments/{assessment}?step={step}")
    expect(page.locator(".q-stepper__step-inner").first).to_be_visible()
    if case == "finish-long-step":
        assert_accessible(page)
    opener = page.locator("#main").get_by_role("button", name=button, exact=True).first
    opener.click()
    dialog = page.get_by_role("dialog", name=name)
    scan_dialog(page, dialog)
    dialog.get_by_role("button", name=re.compile("^(Peruuta|Sulje)$")).first.click()
    expect(dialog).to_be_hidden()
    focus_back_on(page, opener)


def test_matrix_cell_editor(
    as_user: Callable[[str], Page], app_server: Server, assessment: int
) -> None:
    page = as_user("maija")
    page.goto(f"{app_server.url}/assessments/{assessment}/matrix")
    page.locator('[data-cell="0,0"]').click()
    scan_dialog(page, page.get_by_role("dialog", name=re.compile("Yhdenvertaisuus")))


def test_assessment_conflict(
    as_user: Callable[[str], Page], app_server: Server, assessment: int
) -> None:
    """A tab's save meets a newer version that reached it by no live update (a save made by
    another process, as an instance without the shared workshop hub would): the version check
    shows the conflict dialog."""
    page = as_user("maija")
    page.goto(f"{app_server.url}/assessments/{assessment}?step=1")
    question = "^Toimintaympäristö"
    expect(page.get_by_role("textbox", name=re.compile(question))).to_be_visible()
    # The page has joined the workshop and read the assessment since: a save made before that
    # reaches it as a live update (their value offered, no conflict; seen once under CI load).
    expect(page.locator("section.evaus-presence[data-live]")).to_have_count(1)
    database = open_database(url=sqlite_url(app_server.data_dir))
    try:
        with database.session("e2e-other") as session:
            set_answer(
                session,
                assessment,
                "operating_environment",
                uuid.uuid4().hex,
                expected_version=None,
                actor=local_admin("e2e-other"),
            )
    finally:
        database.engine.dispose()
    page.get_by_role("textbox", name=re.compile(question)).fill("Toisen välilehden teksti")
    scan_dialog(page, page.get_by_role("dialog", name="Joku muu on muuttanut arviointia"))


# --- the project editor -----------------------------------------------------------------------


@pytest.fixture
def project(app_server: Server) -> Iterator[int]:
    """A project of its own with one indicator (its target change has a dialog)."""
    database = open_database(url=sqlite_url(app_server.data_dir))
    try:
        with database.session("e2e-setup") as session:
            fields: dict[str, object] = {
                "name": "Dialogitestin hanke",
                "indicators": [{"name": "Asiakkaiden määrä", "target": "10"}],
            }
            ident = create_project_for(session, fields, actor=local_admin("e2e-setup")).id
    finally:
        database.engine.dispose()
    yield ident
    delete_project(app_server, ident)


def _editor(as_user: Callable[[str], Page], server: Server, project: int) -> Page:
    page = as_user("admin")
    page.goto(f"{server.url}/projects/{project}/edit")
    expect(page.get_by_label("Kunta", exact=True)).to_be_visible()
    return page


def test_project_leave_with_unsaved_changes(
    as_user: Callable[[str], Page], app_server: Server, project: int
) -> None:
    page = _editor(as_user, app_server, project)
    page.get_by_label("Kunta", exact=True).fill("Tallentamaton kunta")
    page.get_by_role("link", name="Takaisin hankkeen sivulle").click()
    dialog = page.get_by_role("dialog", name="Poistutaanko sivulta?")
    scan_dialog(page, dialog)
    dialog.get_by_role("button", name="Jää sivulle").click()
    expect(dialog).to_be_hidden()


def test_project_conflict(as_user: Callable[[str], Page], app_server: Server, project: int) -> None:
    page = _editor(as_user, app_server, project)
    with app_server.api("admin") as client:
        path = f"/api/projects/{project}"
        etag = client.get(path).headers["ETag"]
        changed = client.patch(path, json={"municipality": "Muualla"}, headers={"If-Match": etag})
        assert changed.status_code == 200, changed.text
    page.get_by_label("Kunta", exact=True).fill("Täällä")
    page.get_by_role("button", name="Tallenna", exact=True).first.click()
    scan_dialog(page, page.get_by_role("dialog", name="Joku muu on muuttanut hanketta"))


def test_indicator_target_change(
    as_user: Callable[[str], Page], app_server: Server, project: int
) -> None:
    page = _editor(as_user, app_server, project)
    page.get_by_role("tab", name="Mittarit").click()
    page.get_by_role("button", name="Muuta tavoitetasoa").click()
    scan_dialog(page, page.get_by_role("dialog", name="Muuta tavoitetasoa"))


# --- administration ---------------------------------------------------------------------------

ADMIN = {
    # case: (path, row text, button in the row, the dialog's role and name)
    "user-edit": ("/admin/users", "ville", "Muokkaa", ("dialog", "Muokkaa käyttäjää ville")),
    "user-password": ("/admin/users", "ville", "Vaihda salasana", ("dialog", re.compile("ville$"))),
    "token-revoke": (
        "/admin/tokens",
        "e2e",
        "Mitätöi",
        ("alertdialog", re.compile("^Mitätöidäänkö")),
    ),
    "code-edit": ("/admin/codes", "", "Muokkaa", ("dialog", re.compile("^Koodin .* nimet$"))),
    "code-delete": ("/admin/codes", "", "Poista:", ("alertdialog", re.compile("^Poistetaanko"))),
    "organisation": ("/admin/organisations", "", "Muokkaa", ("dialog", "Muokkaa organisaatiota")),
    "person-erase": (
        "/admin/people",
        "",
        "Pseudonymisoi",
        ("alertdialog", re.compile("^Pseudonymisoidaanko")),
    ),
}


@pytest.mark.parametrize("case", list(ADMIN))
def test_admin_dialog(case: str, as_user: Callable[[str], Page], app_server: Server) -> None:
    path, row_text, button, (role, name) = ADMIN[case]
    page = as_user("admin")
    page.goto(f"{app_server.url}{path}")
    if case == "person-erase":
        page.get_by_label("Nimi tai sähköposti").fill("Aino Muuri")
        page.locator("#main").get_by_role("button", name="Hae", exact=True).click()
        # The header and the one match: the table has been redrawn (no click on an old row).
        expect(page.locator("#main").get_by_role("row")).to_have_count(2)
    rows = page.locator("#main").get_by_role("row").filter(has_text=row_text)
    opener = rows.get_by_role("button", name=re.compile("^" + re.escape(button))).first
    opener.click()
    dialog = page.get_by_role(role, name=name)  # type: ignore[arg-type]
    scan_dialog(page, dialog)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    focus_back_on(page, opener)
