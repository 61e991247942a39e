"""A participant whose connection drops, in a real browser on the shared server: the page says so
in a banner, what is typed meanwhile is kept in the browser, and once the connection is back it
is saved (another participant sees it live) and the browser forgets it; when the page itself
was lost meanwhile, the page loaded again saves the kept text, or offers it beside the value
somebody else saved meanwhile.

The drop is the page's own socket closed and opened again (``window.socket``, as NiceGUI's own
reconnection does): the server sees the disconnection exactly as on a network break, while the
page and its typing stay.

Waits are for conditions, with long timeouts: the test machine may be busy."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from evaus.services import assessments as svc
from evaus.services.access import Actor
from evaus.services.startup import open_registry
from project_db.engine import sqlite_url
from project_db.models import User

from .conftest import Server, delete_assessment, signed_in

pytestmark = [pytest.mark.e2e]

WAIT = 30_000  # ms
TITLE = "Työpaja katkoksen yli"
FIELD = "Päätettävä asia"
TYPED = "Kirjoitettu yhteyden ollessa poikki"


@dataclass
class Two:
    assessment_id: int
    maija: Page
    admin: Page


@pytest.fixture
def two(browser: Browser, app_server: Server) -> Iterator[Two]:
    """An assessment of Maija's (she and the administrator may edit it), removed afterwards;
    two signed-in browser contexts."""
    database = open_registry(url=sqlite_url(app_server.data_dir))
    try:
        with database.session("e2e-setup") as session:
            maija = Actor.of(session.scalars(select(User).where(User.username == "maija")).one())
            assessment_id = svc.create_assessment(session, {"title": TITLE}, actor=maija).id
    finally:
        database.engine.dispose()
    try:
        with signed_in(browser, app_server, "maija", "admin", timeout=WAIT) as pages:
            yield Two(assessment_id, *pages)
    finally:
        delete_assessment(app_server, assessment_id)


def _kept(page: Page) -> int:
    """How many texts the browser keeps for the workshop."""
    return int(
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('evaus-draft:')).length")
    )


def test_text_typed_while_the_connection_is_lost_is_saved_when_it_is_back(
    two: Two, app_server: Server
) -> None:
    wizard = f"{app_server.url}/assessments/{two.assessment_id}?step=0"
    for page in (two.maija, two.admin):
        page.goto(wizard)
        expect(page.get_by_label(FIELD)).to_be_visible()
    expect(two.maija.get_by_role("list", name="Paikalla nyt")).to_contain_text("Admin")
    expect(two.admin.get_by_role("list", name="Paikalla nyt")).to_contain_text("Maija")
    two.maija.evaluate("window.workshopMark = 'sama sivu'")
    # The connection drops: the banner says so; Maija goes on typing.
    two.maija.evaluate("window.socket.disconnect()")
    banner = two.maija.locator("#evaus-connection")
    expect(banner).to_have_text("Yhteys palvelimeen katkesi. Yhdistetään uudelleen…")
    # The others no longer see her as present.
    expect(two.admin.get_by_role("list", name="Paikalla nyt")).not_to_contain_text("Maija")
    two.maija.get_by_label(FIELD).fill(TYPED)
    assert _kept(two.maija) == 1
    # Back: the page is the same, the text is saved and reaches the administrator live.
    # (NiceGUI's own reconnection sends the next message id it expects; so does this one.)
    two.maija.evaluate(
        "window.socket.io.opts.query.next_message_id = window.nextMessageId;"
        " window.socket.connect()"
    )
    expect(banner).to_have_text("Yhteys palvelimeen palasi.")
    expect(two.admin.get_by_label(FIELD)).to_have_value(TYPED)
    assert two.maija.evaluate("window.workshopMark") == "sama sivu"
    expect(two.admin.get_by_role("list", name="Paikalla nyt")).to_contain_text("Maija")
    # Saved: the browser forgets it.
    two.maija.wait_for_function(
        "Object.keys(localStorage).filter(k => k.startsWith('evaus-draft:')).length === 0"
    )
    conflict = two.maija.get_by_role("heading", name="Joku muu on muuttanut arviointia")
    expect(conflict).to_have_count(0)


def _drop_and_type(page: Page, text: str) -> None:
    page.evaluate("window.socket.disconnect()")
    expect(page.locator("#evaus-connection")).to_have_text(
        "Yhteys palvelimeen katkesi. Yhdistetään uudelleen…"
    )
    page.get_by_label(FIELD).fill(text)
    assert _kept(page) == 1


def test_text_typed_before_the_page_was_lost_is_saved_or_offered_on_return(
    two: Two, app_server: Server
) -> None:
    """The page itself is gone meanwhile (a long break, a restart): the browser loads it again
    and the text it kept is saved, or offered when somebody else saved the field meanwhile."""
    wizard = f"{app_server.url}/assessments/{two.assessment_id}?step=0"
    for page in (two.maija, two.admin):
        page.goto(wizard)
        expect(page.get_by_label(FIELD)).to_be_visible()
    expect(two.maija.get_by_role("list", name="Paikalla nyt")).to_contain_text("Admin")
    # Nobody else saved the field: the text comes back and is saved.
    _drop_and_type(two.maija, TYPED)
    two.maija.reload()
    expect(two.maija.get_by_label(FIELD)).to_have_value(TYPED)
    expect(two.admin.get_by_label(FIELD)).to_have_value(TYPED)
    two.maija.wait_for_function(
        "Object.keys(localStorage).filter(k => k.startsWith('evaus-draft:')).length === 0"
    )
    # The administrator saves the field while Maija is away: hers is offered, theirs kept.
    expect(two.maija.get_by_role("list", name="Paikalla nyt")).to_contain_text("Admin")
    _drop_and_type(two.maija, "Maijan versio katkon aikana")
    two.admin.get_by_label(FIELD).fill("Adminin versio")
    two.admin.get_by_label(FIELD).press("Tab")  # out of the field: a later save shows in it
    expect(two.admin.get_by_role("status").filter(has_text="Tallennettu klo")).to_be_visible()
    two.maija.reload()
    expect(
        two.maija.get_by_text("Yhteytesi ollessa poikki tähän kenttään tallennettiin")
    ).to_be_visible()
    expect(two.maija.get_by_label(FIELD)).to_have_value("Maijan versio katkon aikana")
    expect(two.admin.get_by_label(FIELD)).to_have_value("Adminin versio")
    # Her choice: keep hers, saved over theirs without a conflict.
    two.maija.get_by_role("button", name="Pidä omani").click()
    expect(two.admin.get_by_label(FIELD)).to_have_value("Maijan versio katkon aikana")
    conflict = two.maija.get_by_role("heading", name="Joku muu on muuttanut arviointia")
    expect(conflict).to_have_count(0)
