"""The live workshop's pages through NiceGUI's simulated user: the facilitator view of the demo
draft (the matrix in words and symbols, leading with the buttons), the presence bar with
another participant joined through the app's own workshop, following their lead and a save by a
third party appearing without a reload."""

from __future__ import annotations

import asyncio

from nicegui import ui
from nicegui.testing import User

from evaus.assessment import builtin_framework
from evaus.services import assessments as svc
from evaus.services.access import local_admin
from evaus.ui.assessment.facilitator import LEAD_KEY
from evaus.ui.assessment.presence import FACILITATOR_PLACE, place_name
from evaus.ui.context import Translator, database
from evaus.workshop import Person, Seat, WorkshopEvent, cell_key, current_workshop, step_key
from tests.ui.test_login_logic import sign_in

DRAFT = "asumispalvelujen palveluverkon"  # the demo draft: areas access, economy … × 2
ZERO, REFORM = "asumis-0", "asumis-1"


async def _draft_id(user: User) -> int:
    await user.open("/assessments")
    await user.should_see("Vaikutusten arviointi", retries=40)
    rows = [row for table in user.find(kind=ui.table).elements for row in table.rows]
    return int(next(row["id"] for row in rows if DRAFT in row["title"]))


async def _join_as_other(assessment_id: int, where: str) -> tuple[Seat, list[WorkshopEvent]]:
    """Another participant (another browser tab) through the app's running workshop."""
    workshop = current_workshop()
    assert workshop is not None, "the app starts the workshop"
    events: list[WorkshopEvent] = []
    person = Person(client="toinen-valilehti", who="ville", name="Ville Virtanen")
    seat = await workshop.join(assessment_id, person, events.append, where=where)
    return seat, events


async def _present(assessment_id: int, client_id: str) -> str | None:
    """Where the app's workshop has the page's tab now."""
    workshop = current_workshop()
    assert workshop is not None
    people = await workshop.presence.people(assessment_id)
    return next((p.where for p in people if p.person.client == client_id), None)


async def _joined(assessment_id: int, who: str) -> str:
    """Wait until the page's tab is in the workshop (it joins once the browser is connected);
    its client id."""
    workshop = current_workshop()
    assert workshop is not None
    for _ in range(200):
        people = await workshop.presence.people(assessment_id)
        found = next((p.person.client for p in people if p.person.who == who), None)
        if found is not None:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"{who} did not join the workshop of assessment {assessment_id}")


async def test_facilitator_view_shows_the_matrix_in_words_and_the_lead_moves(user: User) -> None:
    await sign_in(user, "maija")
    draft = await _draft_id(user)
    await user.open(f"/assessments/{draft}/facilitator?lead=1")
    await user.should_see("Fasilitointinäkymä", retries=40)
    # Rows: the relevant impact areas; cells: the direction in words (the symbol beside it).
    await user.should_see("Palvelujen saatavuus ja saavutettavuus")
    await user.should_see("Palveluverkon uudistus: kotiin tukeminen ja oma tuotanto")
    await user.should_see("Sekä myönteinen että kielteinen")
    await user.should_see("Täyttämättä")
    # The view leads: the focus is the first relevant area × the first alternative.
    await user.should_see("Sinä ohjaat", retries=40)
    await user.should_see("Nyt käsittelyssä: Asiakkaiden ja asukkaiden hyvinvointi ja terveys")
    user.find(kind=ui.button, content="Seuraava vaikutusalue").click()
    await user.should_see(
        "Nyt käsittelyssä: Palvelujen saatavuus ja saavutettavuus – Nykytila", retries=40
    )
    await user.should_see("Suuruus: Kohtalainen")  # access × zero: − kohtalainen
    user.find(kind=ui.button, content="Seuraava vaihtoehto").click()
    await user.should_see(
        "Nyt käsittelyssä: Palvelujen saatavuus ja saavutettavuus – Palveluverkon uudistus",
        retries=40,
    )
    await user.should_see("Suuruus: Suuri")  # access × reform: + suuri
    client_id = await _joined(draft, "maija")
    for _ in range(40):  # the move reaches the workshop's presence: the others follow it
        if await _present(draft, client_id) == cell_key("access", REFORM):
            break
        await asyncio.sleep(0.05)
    assert await _present(draft, client_id) == cell_key("access", REFORM)
    # The timer of the area: mm:ss, started and reset from the view.
    await user.should_see("00:00")
    user.find(kind=ui.button, content="Käynnistä").click()
    user.find(kind=ui.button, content="Nollaa").click()
    await user.should_see("00:00")
    # Stopping leads back to following: the buttons that move the focus are gone.
    user.find(kind=ui.button, content="Lopeta ohjaus").click()
    await user.should_see("Kukaan ei ohjaa", retries=40)
    await user.should_not_see("Seuraava vaihtoehto")
    assert await _present(draft, client_id) == FACILITATOR_PLACE


async def test_presence_bar_shows_the_others_and_the_view_follows_the_lead(user: User) -> None:
    await sign_in(user, "maija")
    draft = await _draft_id(user)
    await user.open(f"/assessments/{draft}/facilitator")
    await user.should_see("Kukaan ei ohjaa", retries=40)
    await user.should_see("Kukaan muu ei ole paikalla.")
    page_tab = await _joined(draft, "maija")
    other, events = await _join_as_other(draft, step_key(3))
    # The other's avatar (initials) with their name and place in words.
    await user.should_see("Ville Virtanen: Vaihe 3: Vaihtoehdot", retries=40)
    await user.should_see("VV")
    await user.should_see("Ville Virtanen tuli mukaan.")
    # They lead and move the focus: this view follows.
    await other.take_over(LEAD_KEY)
    await other.move(cell_key("economy", REFORM))
    await user.should_see("Ville Virtanen ohjaa", retries=40)
    await user.should_see(
        "Nyt käsittelyssä: Talous (kunta / hyvinvointialue) – Palveluverkon uudistus", retries=40
    )
    await user.should_see("Ville Virtanen: Matriisi: Talous (kunta / hyvinvointialue)")
    # The page's own tab stays at the facilitator view: it follows, it does not move.
    assert await _present(draft, page_tab) == FACILITATOR_PLACE
    assert not [e for e in events if e.kind == "presence" and e.client == page_tab]
    # A third party saves a cell through the services: the view shows it without a reload.
    fields = {"direction": "++", "size": "suuri", "justification": "Kolmannen tallennus"}

    def save() -> None:
        with database().session("kolmas") as db:
            svc.set_impact(
                db,
                draft,
                "economy",
                REFORM,
                fields,
                expected_version=None,
                actor=local_admin("kolmas"),
            )

    await asyncio.to_thread(save)
    await user.should_see("Perustelu: Kolmannen tallennus", retries=60)
    await user.should_see("Selvästi myönteinen")
    # The other leaves: gone from the bar, nobody leads.
    await other.leave()
    await user.should_see("Kukaan muu ei ole paikalla.", retries=40)
    await user.should_see("Kukaan ei ohjaa", retries=40)
    await user.should_not_see("Ville Virtanen: ")


def test_places_are_named_in_the_readers_language() -> None:
    framework = builtin_framework()
    fi, sv, en = Translator("fi"), Translator("sv"), Translator("en")
    assert place_name(fi, step_key(3), framework) == "Vaihe 3: Vaihtoehdot"
    assert place_name(sv, step_key(3), framework) == "Steg 3: Alternativ"
    assert place_name(en, step_key(5), framework) == "Step 5: Assessing impacts"
    cell = cell_key("economy", "malli-a")
    assert place_name(fi, cell, framework) == "Matriisi: Talous (kunta / hyvinvointialue) – malli-a"
    assert place_name(sv, FACILITATOR_PLACE) == "Facilitatorvy"
    assert (
        place_name(en, "areas/equality", framework)
        == "Impact area: Equality and non-discrimination"
    )
    assert place_name(fi, "risks/r1") == "Riskit"
    assert place_name(fi, "title") == "Arvioinnissa"
