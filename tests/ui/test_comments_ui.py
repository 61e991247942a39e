"""The comment panel on the project page (NiceGUI's simulated user): a manager adds a comment,
which shows in the list with the count badge; a viewer reads it without the form; the impact
matrix page takes comments too. A reporting period (project page, period review) and an impact
cell have threads of their own in a dialog, with the count on their button; only the author
edits a comment, which then says when it was edited."""

from __future__ import annotations

import asyncio
import html
import os
from pathlib import Path
from typing import TypeVar

from nicegui import ui
from nicegui.element import Element
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from sqlalchemy import select

from evaus.db import open_database
from evaus.services import projects as ps
from evaus.services.access import local_admin
from project_db.assessment_models import Assessment
from project_db.engine import sqlite_url
from project_db.models import Project
from tests.ui.test_login_logic import sign_in

T = TypeVar("T", bound=Element)


def _soku() -> int:
    database = open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))
    with database.session("tests") as session:
        soku = session.scalars(select(Project.id).where(Project.eura_code == "S20397")).one()
    database.engine.dispose()
    return soku


def _badges(user: User) -> list[str]:
    return [str(b.text) for b in user.find(kind=ui.badge).elements if "comment-count" in b.classes]


async def _badge_shows(user: User, count: str) -> None:
    for _ in range(60):
        if _badges(user) == [count]:
            return
        await asyncio.sleep(0.05)
    assert _badges(user) == [count]


async def test_a_comment_added_on_the_project_page_shows_with_its_count(user: User) -> None:
    soku = _soku()
    await sign_in(user, "maija")
    await user.open(f"/projects/{soku}")
    await user.should_see("Kommentit", retries=40)
    await user.should_see("Ei vielä kommentteja.", retries=40)
    await _badge_shows(user, "0")
    user.find(kind=ui.textarea, content="Kommentti").type("Budjetin rivi 3 tarkistettava")
    user.find(kind=ui.button, content="Lisää kommentti").click()
    await user.should_see("Kommentti lisättiin.", retries=60)
    await _badge_shows(user, "1")
    await user.should_see("maija · ", retries=40)  # the author with the comment
    await user.should_see("Budjetin rivi 3 tarkistettava", retries=40)

    user.find(kind=ui.button, content="Kirjaudu ulos").click()
    await user.should_see("Kirjaudu sisään", retries=40)
    await sign_in(user, "ville")
    await user.open(f"/projects/{soku}")
    await user.should_see("Budjetin rivi 3 tarkistettava", retries=60)
    await _badge_shows(user, "1")
    await user.should_not_see("Lisää kommentti")


async def test_the_impact_matrix_takes_comments(user: User) -> None:
    database = open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))
    with database.session("tests") as session:
        assessment = session.scalars(select(Assessment.id).order_by(Assessment.id)).first()
    database.engine.dispose()
    await sign_in(user, "admin")
    await user.open(f"/assessments/{assessment}/matrix")
    await user.should_see("Ei vielä kommentteja.", retries=40)
    user.find(kind=ui.textarea, content="Kommentti").type("Terveysvaikutus perusteltava")
    user.find(kind=ui.button, content="Lisää kommentti").click()
    await user.should_see("Kommentti lisättiin.", retries=60)
    await _badge_shows(user, "1")
    await user.should_see("Vaikutusmatriisi", retries=40)  # the part the comment is on


# --- a period's, an impact cell's own thread; editing one's own comment --------------------

ADMIN = local_admin("tests")


def _with_periods() -> int:
    """SoKu with two reporting periods."""
    database = open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))
    with database.session("tests") as session:
        soku = session.scalars(select(Project.id).where(Project.eura_code == "S20397")).one()
        doc = ps.get_project_doc(session, soku, actor=ADMIN).model_dump(mode="json")
        doc["periods"] = [
            {"number": 1, "start_date": "2020-01-01", "end_date": "2020-06-30"},
            {"number": 2, "start_date": "2020-07-01", "end_date": "2020-12-31"},
        ]
        ps.save_project_doc(session, soku, doc, expected_version=None, actor=ADMIN)
    database.engine.dispose()
    return soku


def _labelled(user: User, label: str) -> list[ui.button]:
    return [b for b in user.find(kind=ui.button).elements if b.props.get("aria-label") == label]


async def _click_labelled(user: User, label: str) -> None:
    """Click the one button named ``label`` (waiting for it: the counts come a moment later)."""
    for _ in range(60):
        if len(_labelled(user, label)) == 1:
            break
        await asyncio.sleep(0.05)
    (button,) = _labelled(user, label)
    UserInteraction(user, {button}, None).click()


async def _labelled_shows(user: User, label: str, count: int = 1) -> None:
    for _ in range(60):
        if len(_labelled(user, label)) == count:
            return
        await asyncio.sleep(0.05)
    assert len(_labelled(user, label)) == count, [
        b.props.get("aria-label") for b in user.find(kind=ui.button).elements
    ]


def _open_dialog(user: User) -> ui.dialog:
    (dialog,) = [d for d in user.find(kind=ui.dialog).elements if d.value]
    return dialog


def _inside(element: Element, container: Element) -> bool:
    while element is not None:
        if element is container:
            return True
        element = element.parent_slot.parent if element.parent_slot else None  # type: ignore[assignment]
    return False


def _in_dialog(user: User, kind: type[T], content: str) -> UserInteraction[T]:
    """The element of ``kind`` with ``content`` in the topmost open dialog."""
    dialogs = [d for d in user.find(kind=ui.dialog).elements if d.value]
    found = {e for e in user.find(kind=kind, content=content).elements if _inside(e, dialogs[-1])}
    assert found, f"no {content!r} in the dialog"
    return UserInteraction(user, found, None)


async def test_a_period_has_its_own_thread_with_a_count(user: User) -> None:
    soku = _with_periods()
    await sign_in(user, "maija")
    await user.open(f"/projects/{soku}")
    await user.should_see("Jakso 1: 1.1.2020–30.6.2020", retries=40)
    await _click_labelled(user, "Kommentit (0): jakso 1")
    await user.should_see("Kommentit: Jakso 1: 1.1.2020–30.6.2020", retries=40)
    dialog = _open_dialog(user)
    assert str(dialog.props["aria-labelledby"]).startswith("comment-dialog-title-")
    _in_dialog(user, ui.textarea, "Kommentti").type("Jakson 1 osallistujat puuttuvat")
    _in_dialog(user, ui.button, "Lisää kommentti").click()
    await user.should_see("Kommentti lisättiin.", retries=60)
    await user.should_see("Jakson 1 osallistujat puuttuvat", retries=40)
    # The count on the page follows; the other period and the project's panel keep theirs.
    await _labelled_shows(user, "Kommentit (1): jakso 1")
    await _labelled_shows(user, "Kommentit (0): jakso 2")
    # The open dialog's thread has its comment; the project's own panel below keeps none
    # (the elements come in no fixed order).
    assert sorted(_badges(user)) == ["0", "1"]

    # The period review on the reports page shows the same thread.
    await user.open(f"/projects/{soku}/reports")
    await user.should_see("Raportointijaksojen tarkastus", retries=40)
    await _click_labelled(user, "Kommentit (1): jakso 1")
    await user.should_see("Kommentit: jakso 1", retries=40)
    await user.should_see("Jakson 1 osallistujat puuttuvat", retries=40)


async def test_the_author_edits_their_comment_and_others_may_not(user: User) -> None:
    soku = _soku()
    await sign_in(user, "maija")
    await user.open(f"/projects/{soku}")
    await user.should_see("Ei vielä kommentteja.", retries=40)
    user.find(kind=ui.textarea, content="Kommentti").type("Budjetti 3")
    user.find(kind=ui.button, content="Lisää kommentti").click()
    await user.should_see("Kommentti lisättiin.", retries=60)
    await _click_labelled(user, "Muokkaa kommenttia: Budjetti 3")
    await user.should_see("Muokkaa kommenttia", retries=40)
    field = _in_dialog(user, ui.textarea, "Kommentti")
    assert [e.value for e in field.elements] == ["Budjetti 3"]
    field.clear().type("Budjetin rivi 3 on korjattu")
    _in_dialog(user, ui.button, "Tallenna").click()
    await user.should_see("Kommentti tallennettiin.", retries=60)
    await user.should_see("Budjetin rivi 3 on korjattu", retries=40)
    await user.should_see("· muokattu ", retries=40)  # with the time of the edit
    await user.should_see(" klo ", retries=40)
    await _labelled_shows(user, "Muokkaa kommenttia: Budjetin rivi 3 on korjattu")

    # An administrator answers and resolves, but does not rewrite maija's words.
    user.find(kind=ui.button, content="Kirjaudu ulos").click()
    await user.should_see("Kirjaudu sisään", retries=40)
    await sign_in(user, "admin")
    await user.open(f"/projects/{soku}")
    await user.should_see("Budjetin rivi 3 on korjattu", retries=60)
    await user.should_see("Vastaa", retries=40)
    await user.should_not_see("Muokkaa kommenttia")


async def test_an_impact_cell_has_its_own_thread(user: User) -> None:
    database = open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))
    with database.session("tests") as session:
        assessment = session.scalars(select(Assessment.id).order_by(Assessment.id)).first()
    database.engine.dispose()
    await sign_in(user, "admin")
    await user.open(f"/assessments/{assessment}/matrix")
    await user.should_see("Ei vielä kommentteja.", retries=40)
    cells = [
        b
        for b in user.find(kind=ui.button).elements
        if str(b.props.get("id", "")).startswith("cell-comments-")
    ]
    assert cells and {b.props["aria-label"] for b in cells} == {"Kommentit (0)"}
    first = cells[0]
    UserInteraction(user, {first}, None).click()
    await user.should_see("Kommentit: ", retries=40)
    dialog = _open_dialog(user)
    title = next(
        str(e.content)
        for e in user.find(kind=ui.html).elements
        if _inside(e, dialog) and "comment-dialog-title" in str(e.content)
    )
    _in_dialog(user, ui.textarea, "Kommentti").type("Vaikutus naisiin ja miehiin?")
    _in_dialog(user, ui.button, "Lisää kommentti").click()
    await user.should_see("Kommentti lisättiin.", retries=60)
    for _ in range(60):
        if first.props["aria-label"] == "Kommentit (1)":
            break
        await asyncio.sleep(0.05)
    assert first.props["aria-label"] == "Kommentit (1)" and first.text == "1"
    assert sum(b.props["aria-label"] == "Kommentit (0)" for b in cells) == len(cells) - 1
    # The page's panel lists the cell's thread under the cell's name.
    _in_dialog(user, ui.button, "Sulje").click()
    await _badge_shows_all(user, "1")
    cell_name = html.unescape(title.split("Kommentit: ", 1)[1].split("<", 1)[0])
    parts = [
        str(label.text)
        for label in user.find(kind=ui.label).elements
        if "text-overline" in label.classes and not _inside(label, dialog)
    ]
    assert parts == [cell_name]  # e.g. "Yhdenvertaisuus ja tasa-arvo – Nykytila jatkuu"
    await user.should_see("Vaikutus naisiin ja miehiin?", retries=40)


async def _badge_shows_all(user: User, count: str) -> None:
    """The page's panel's badge (the first one) shows ``count``."""
    for _ in range(60):
        if _badges(user)[:1] == [count]:
            return
        await asyncio.sleep(0.05)
    assert _badges(user)[:1] == [count]
