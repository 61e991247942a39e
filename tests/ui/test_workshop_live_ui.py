"""Live editing on the wizard and the matrix, two signed-in users on one app instance (NiceGUI's
simulated users): each sees the other in the presence bar, a save by one appears in the other's
view without a reload, a cell's soft lock is shown and taken over, and a field being typed in is
never overwritten: the other's value is offered beside it instead."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from nicegui import ui
from nicegui.testing import User

from evaus.services import assessments as svc
from evaus.services.access import local_admin
from evaus.services.users import create_user as create_account
from evaus.ui.context import database
from evaus.workshop import cell_key, current_workshop, field_key
from tests.ui.test_login_logic import sign_in
from tests.ui.test_workshop_ui import REFORM, _draft_id

CELL = f"access-{REFORM}"  # the demo draft's access × reform: "+ suuri"


SANNA = "sanna-salasana-1"


async def _sign_in_sanna(user: User) -> None:
    """A second administrator (both may edit the demo draft)."""
    with database().session("test-setup") as db:
        create_account(db, "sanna", role="admin", password=SANNA, actor=local_admin("test-setup"))
        db.commit()
    await sign_in(user, "sanna", SANNA)


async def _two(create_user: Callable[[], User], path: str) -> tuple[User, User, int]:
    """Two editors of the demo draft at ``path``: "maija" is the administrator Sanna."""
    maija, admin = create_user(), create_user()
    await _sign_in_sanna(maija)
    await sign_in(admin, "admin")
    draft = await _draft_id(maija)
    await maija.open(path.format(draft))
    await admin.open(path.format(draft))
    await _both_joined(draft)
    return maija, admin, draft


async def _both_joined(draft: int) -> None:
    workshop = current_workshop()
    assert workshop is not None, "the app starts the workshop"
    for _ in range(200):
        who = {p.person.who for p in await workshop.presence.people(draft)}
        if {"sanna", "admin"} <= who:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("both users did not join the workshop")


def _cell_text(user: User, where: str) -> str:
    assert user.client is not None
    with user.client:
        button = next(iter(user.find(marker=f"cell-{where}").elements))
        parts = [str(e.content) for e in button.descendants() if isinstance(e, ui.html)]
        return " ".join(parts) + " " + str(button.props.get("aria-label", ""))


async def _until(check: Callable[[], Any], what: str) -> None:
    for _ in range(100):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(what)


def _field(user: User, label: str) -> Any:
    assert user.client is not None
    with user.client:
        return next(
            e for e in user.find(kind=ui.textarea).elements if e.props.get("label") == label
        )


async def test_matrix_cell_save_and_soft_lock_reach_the_other_live(
    create_user: Callable[[], User],
) -> None:
    maija, admin, draft = await _two(create_user, "/assessments/{}/matrix")
    # Presence: each sees the other at the matrix (step 5).
    await maija.should_see("Vaihe 5: Vaikutusten arviointi", retries=60)
    await admin.should_see("Vaihe 5: Vaikutusten arviointi", retries=60)
    # The admin opens a cell: it is theirs, Maija's matrix shows who edits it.
    admin.find(marker=f"cell-{CELL}").click()
    await _until(lambda: "Muokkaa: " in _cell_text(maija, CELL), "the lock is not shown")
    workshop = current_workshop()
    assert workshop is not None
    locks = await workshop.locks.held(draft)
    assert [lock.key for lock in locks] == [cell_key("access", REFORM)]
    # Maija opens it too: the dialog says who edits it and offers to take it over.
    maija.find(marker=f"cell-{CELL}").click()
    await maija.should_see("Ota muokattavaksi", retries=60)
    maija.find(kind=ui.button, content="Ota muokattavaksi").click()
    await admin.should_see("otti tämän solun muokattavakseen", retries=60)
    await _until(lambda: "Muokkaa: " in _cell_text(admin, CELL), "the take-over is not shown")
    # Maija saves the cell: the admin's matrix shows it without a reload.
    assert maija.client is not None
    with maija.client:
        direction = min(maija.find(kind=ui.radio).elements, key=lambda e: e.id)
        direction.value = "--"
    maija.find(kind=ui.button, content="Tallenna").click()
    await _until(
        lambda: "Selvästi kielteinen" in _cell_text(admin, CELL), "the save did not arrive"
    )
    # Saved and closed: the lock is released.
    for _ in range(100):
        if not await workshop.locks.held(draft):
            break
        await asyncio.sleep(0.05)
    assert not await workshop.locks.held(draft)
    # The admin's text stayed in their dialog; saving it now is refused by the version check.
    admin.find(kind=ui.button, content="Tallenna").click()
    await admin.should_see("Joku muu on muuttanut arviointia", retries=60)


async def test_wizard_field_is_updated_live_but_never_overwritten_while_typing(
    create_user: Callable[[], User],
) -> None:
    maija, admin, draft = await _two(create_user, "/assessments/{}?step=0")
    label = "Päätettävä asia"
    # Maija types in the field: its lock shows on the admin's field, her save reaches them.
    mine = _field(maija, label)
    maija.find(kind=ui.textarea, content=label).trigger("focus")
    assert maija.client is not None
    with maija.client:
        mine.value = "Maijan teksti"
    await admin.should_see("Muokkaa: ", retries=60)
    theirs = _field(admin, label)
    await _until(lambda: theirs.value == "Maijan teksti", "Maija's save did not arrive")
    # The admin saves the same field while Maija still types in it: hers is kept, theirs
    # offered beside it.
    assert admin.client is not None
    with admin.client:
        theirs.value = "Adminin teksti"
    await maija.should_see("muutti tätä kenttää: Adminin teksti", retries=80)
    assert mine.value == "Maijan teksti"
    # "Pidä omani": saved over theirs with the new version (no conflict).
    maija.find(kind=ui.button, content="Pidä omani").click()
    await _until(lambda: theirs.value == "Maijan teksti", "keeping mine did not save")
    await maija.should_not_see("Joku muu on muuttanut arviointia")
    await maija.should_not_see("muutti tätä kenttää")
    # The focus leaves: the lock is released.
    maija.find(kind=ui.textarea, content=label).trigger("blur")
    workshop = current_workshop()
    assert workshop is not None
    for _ in range(100):
        if field_key("decision") not in [lock.key for lock in await workshop.locks.held(draft)]:
            break
        await asyncio.sleep(0.05)
    assert field_key("decision") not in [lock.key for lock in await workshop.locks.held(draft)]


async def test_a_matrix_opened_later_shows_the_cell_someone_edits(
    create_user: Callable[[], User],
) -> None:
    """The locks held when a page joins are shown at once, not only those taken later."""
    maija, admin = create_user(), create_user()
    await _sign_in_sanna(maija)
    await sign_in(admin, "admin")
    draft = await _draft_id(admin)
    await admin.open(f"/assessments/{draft}/matrix")
    workshop = current_workshop()
    assert workshop is not None
    for _ in range(200):  # the page joins the workshop once it is connected
        if {p.person.who for p in await workshop.presence.people(draft)} == {"admin"}:
            break
        await asyncio.sleep(0.05)
    admin.find(marker=f"cell-{CELL}").click()
    for _ in range(100):
        if await workshop.locks.held(draft):
            break
        await asyncio.sleep(0.05)
    assert await workshop.locks.held(draft), "the cell was not taken"
    await maija.open(f"/assessments/{draft}/matrix")
    await _until(lambda: "Muokkaa: " in _cell_text(maija, CELL), "the held lock is not shown")
    assert "Muokkaa: " not in _cell_text(admin, CELL)  # one's own lock is not marked


def _someone_saves(draft: int, direction: str, justification: str) -> None:
    with database().session("test") as db:
        svc.set_impact(
            db,
            draft,
            "access",
            REFORM,
            {"assessed": True, "direction": direction, "justification": justification},
            expected_version=None,
            actor=local_admin("tests"),
        )


async def test_a_cell_saved_meanwhile_is_offered_in_the_open_editor(
    create_user: Callable[[], User],
) -> None:
    """The cell open in one's editor is saved by somebody else: their value is shown with a
    choice; "Pidä omani" saves one's own over it, "Käytä heidän arvoaan" fills the editor."""
    _maija, admin, draft = await _two(create_user, "/assessments/{}/matrix")
    admin.find(marker=f"cell-{CELL}").click()
    await admin.should_see("Tyhjennä solu", retries=60)
    _someone_saves(draft, "--", "Toisen perustelu")
    await admin.should_see("tallensi tämän solun: −− Selvästi kielteinen", retries=60)
    await admin.should_see("Toisen perustelu", retries=5)
    admin.find(kind=ui.button, content="Pidä omani").click()
    await admin.should_not_see("tallensi tämän solun", retries=40)
    assert admin.client is not None
    with admin.client:
        direction = min(admin.find(kind=ui.radio).elements, key=lambda e: e.id)
        direction.value = "++"
    admin.find(kind=ui.button, content="Tallenna").click()
    await _until(lambda: "Selvästi myönteinen" in _cell_text(admin, CELL), "own value not saved")
    await admin.should_not_see("Joku muu on muuttanut arviointia")
    # Again, and this time their value is taken into the editor.
    admin.find(marker=f"cell-{CELL}").click()
    await admin.should_see("Tyhjennä solu", retries=60)
    _someone_saves(draft, "-", "Kolmas perustelu")
    await admin.should_see("tallensi tämän solun", retries=60)
    admin.find(kind=ui.button, content="Käytä heidän arvoaan").click()
    await admin.should_not_see("tallensi tämän solun", retries=40)
    with admin.client:
        direction = min(admin.find(kind=ui.radio).elements, key=lambda e: e.id)
        justification = _field(admin, "Perustelu")
        assert (direction.value, justification.value) == ("-", "Kolmas perustelu")
