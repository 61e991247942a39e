"""The public project catalogue as a resident reads it: no sign-in, JavaScript off, in Finnish
and Swedish, every page axe-clean (WCAG 2.1 AA) — on the real server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from evaus.services import projects, publishing
from evaus.services.access import local_admin
from evaus.services.startup import open_registry
from project_db.engine import sqlite_url
from project_db.models import Project

from .conftest import Server, assert_accessible

SHOTS = Path("/tmp/public_catalogue_ui")
ADMIN = local_admin("e2e-public")


@pytest.fixture
def published(app_server: Server) -> Iterator[dict[str, int]]:
    """SoKu in the public catalogue with one public contact; put back as it was afterwards
    (the other tests of the session see the demo data as loaded)."""
    database = open_registry(url=sqlite_url(app_server.data_dir))
    with database.session("e2e-public") as session:
        ids = {
            p.eura_code or p.name: p.id
            for p in session.scalars(select(Project).order_by(Project.id))
        }
        soku = ids["S20397"]
        original = projects.get_project_doc(session, soku, actor=ADMIN)
        doc = original.model_dump()
        doc["people"][0]["public_contact"] = True
        projects.save_project_doc(session, soku, doc, expected_version=None, actor=ADMIN)
        publishing.set_public(session, soku, True, actor=ADMIN)
    try:
        yield {"soku": soku, "private": next(i for k, i in ids.items() if k != "S20397")}
    finally:
        with database.session("e2e-public") as session:
            projects.save_project_doc(
                session, soku, original.model_dump(), expected_version=None, actor=ADMIN
            )
        database.engine.dispose()


@pytest.fixture
def no_js(browser: Browser) -> Iterator[Page]:
    # A Finnish resident's browser: it asks for Finnish pages (Accept-Language).
    context = browser.new_context(
        java_script_enabled=False, locale="fi-FI", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def checker(browser: Browser) -> Iterator[Page]:
    """axe-core runs as a script: a page of its own, with scripts on, to check what the page
    without JavaScript shows (the public pages have no scripts of their own)."""
    context = browser.new_context(locale="fi-FI", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def _accessible(checker: Page, shown: Page) -> None:
    """axe on exactly the HTML ``shown`` got (a form's answer too), at its address, so its
    stylesheet loads from the server as it did."""
    html, url = shown.content(), shown.url.split("#")[0]
    checker.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    checker.goto(url)
    assert_accessible(checker)
    checker.unroute(url)


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_resident_finds_and_reads_a_project_without_javascript(
    no_js: Page, checker: Page, app_server: Server, published: dict[str, int]
) -> None:
    page = no_js
    page.goto(f"{app_server.url}/public/projects")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", level=1, name="Julkiset hankkeet")).to_be_visible()
    expect(page.get_by_text("Julkisia hankkeita: 1")).to_be_visible()
    _accessible(checker, page)
    _shot(page, "list_fi")

    page.get_by_label("Hae hankkeita").fill("kuntoutus")
    page.get_by_role("button", name="Hae", exact=True).click()
    expect(page).to_have_url(re.compile(r"/public/projects\?q=kuntoutus&lang=fi$"))
    card_link = page.get_by_role("link", name=re.compile("Etelä-Pirkanmaan sosiaalisen"))
    expect(card_link).to_have_count(1)
    card_link.click()
    expect(page).to_have_url(f"{app_server.url}/public/projects/{published['soku']}?lang=fi")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Etelä-Pirkanmaan")
    expect(page.get_by_text("1.9.2015–30.11.2018")).to_be_visible()
    expect(page.get_by_role("heading", name="Yhteystiedot")).to_be_visible()
    expect(page.get_by_role("heading", name="Mittarit")).to_be_visible()
    _accessible(checker, page)
    _shot(page, "card_fi")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing side-scrolls
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "card_fi_phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Swedish from the language menu; the links keep it.
    page.get_by_role("link", name="På svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", name="Finansiering")).to_be_visible()
    _accessible(checker, page)
    _shot(page, "card_sv")
    page.get_by_role("link", name="Alla offentliga projekt").click()
    expect(page.get_by_role("heading", level=1, name="Offentliga projekt")).to_be_visible()
    _accessible(checker, page)

    # A private project is a page that does not exist, in the reader's language.
    response = page.goto(f"{app_server.url}/public/projects/{published['private']}?lang=sv")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1, name="Sidan hittades inte")).to_be_visible()
    _accessible(checker, page)


def test_search_engines_read_the_public_pages_without_signing_in(
    app_server: Server, published: dict[str, int]
) -> None:
    robots = httpx.get(f"{app_server.url}/robots.txt", timeout=20)
    assert robots.status_code == 200 and "Sitemap: " in robots.text
    sitemap = httpx.get(f"{app_server.url}/public/sitemap.xml", timeout=20)
    assert sitemap.status_code == 200
    assert f"/public/projects/{published['soku']}<" in sitemap.text
    assert f"/public/projects/{published['private']}<" not in sitemap.text
    home = httpx.get(f"{app_server.url}/public", timeout=20)
    assert home.status_code == 307 and home.headers["location"] == "/public/projects"
    # The rest of the application still asks to sign in.
    assert httpx.get(f"{app_server.url}/projects", timeout=20).status_code == 307


@pytest.mark.parametrize(
    ("lang", "thanks", "refused"),
    [
        ("fi", "Kiitos! Palautteesi lähetettiin", "Viesti: kirjoita palautteesi."),
        ("sv", "Tack! Din respons skickades", "Meddelande: skriv din respons."),
    ],
)
def test_the_accessibility_statement_and_its_feedback_without_javascript(
    no_js: Page, checker: Page, app_server: Server, lang: str, thanks: str, refused: str
) -> None:
    page = no_js
    page.goto(f"{app_server.url}/public/saavutettavuus?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("address.authority a").first).to_be_visible()
    _accessible(checker, page)
    _shot(page, f"statement_{lang}")

    form = page.locator("form.feedback")
    # Only spaces pass the browser's own check; the server refuses them, in the language.
    form.get_by_role("textbox").first.fill("   ")
    form.get_by_role("button").click()
    expect(page.get_by_role("alert")).to_contain_text(refused)
    _accessible(checker, page)

    form.get_by_role("textbox").first.fill("Hakukentän kontrasti on heikko mobiilissa.")
    form.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text(thanks)
    _accessible(checker, page)
