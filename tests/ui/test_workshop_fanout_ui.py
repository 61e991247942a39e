"""One save reaching several open matrix pages of an assessment on one app instance (NiceGUI's
simulated users): the pages share one read of the assessment per save, the changed cell is
updated in place (the same button, its text and name changed) and the comparison follows."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from nicegui import ui
from nicegui.testing import User

from evaus.services import assessments as svc
from evaus.services.access import local_admin
from evaus.ui.assessment import live
from evaus.ui.context import database
from evaus.workshop import current_workshop
from tests.ui.test_login_logic import sign_in
from tests.ui.test_workshop_live_ui import _cell_text, _until
from tests.ui.test_workshop_ui import ZERO, _draft_id

AREA = "wellbeing_health"  # the demo draft's wellbeing × "Nykytila jatkuu" is empty
CELL = f"{AREA}-{ZERO}"
PAGES = 3
ADMIN = local_admin("test")


def _save(draft: int, direction: str) -> None:
    with database().session("test") as db:
        svc.set_impact(
            db,
            draft,
            AREA,
            ZERO,
            {"assessed": True, "direction": direction},
            expected_version=None,
            actor=ADMIN,
        )


def _button_id(user: User) -> int:
    assert user.client is not None
    with user.client:
        return next(iter(user.find(marker=f"cell-{CELL}").elements)).id


def _summary_texts(user: User) -> str:
    assert user.client is not None
    with user.client:
        return " ".join(str(label.text) for label in user.find(kind=ui.label).elements)


async def test_one_save_is_read_once_and_updates_the_cell_in_place(
    create_user: Callable[[], User], monkeypatch: pytest.MonkeyPatch
) -> None:
    users = [create_user() for _ in range(PAGES)]
    for user in users:
        await sign_in(user, "admin")
    draft = await _draft_id(users[0])
    for user in users:
        await user.open(f"/assessments/{draft}/matrix")
    workshop = current_workshop()
    assert workshop is not None, "the app starts the workshop"
    await _until(lambda: workshop.hub.subscriber_count(draft) == PAGES, "the pages did not join")

    # The first save: every page has joined and read the assessment once of its own.
    await asyncio.to_thread(_save, draft, "++")
    for user in users:
        await _until(lambda u=user: "Selvästi myönteinen" in _cell_text(u, CELL), "not shown")
    buttons = [_button_id(user) for user in users]

    reads: list[Any] = []
    real = live.read_latest

    def counted(*args: Any) -> Any:
        reads.append(args)
        return real(*args)

    monkeypatch.setattr(live, "read_latest", counted)
    await asyncio.to_thread(_save, draft, "--")
    for user in users:
        await _until(lambda u=user: "Selvästi kielteinen" in _cell_text(u, CELL), "not shown")
        await _until(
            lambda u=user: "Kielteiset: Asiakkaiden ja asukkaiden hyvinvointi" in _summary_texts(u),
            "the comparison did not follow",
        )
    assert len(reads) == 1, "the pages of one instance share one read of a save"
    assert [_button_id(user) for user in users] == buttons, "the cell is updated in place"
    assert all("Selvästi kielteinen. Muokkaa" in _cell_text(user, CELL) for user in users)


def _label_ids(user: User, text: str) -> set[int]:
    assert user.client is not None
    with user.client:
        return {label.id for label in user.find(kind=ui.label).elements if label.text == text}


def _field_value(user: User, label: str) -> str:
    assert user.client is not None
    with user.client:
        found = [e for e in user.find(kind=ui.textarea).elements if e.props.get("label") == label]
        return str(found[0].value) if found else ""


async def test_a_text_answer_saved_elsewhere_redraws_no_list_of_the_wizard(
    create_user: Callable[[], User],
) -> None:
    user = create_user()
    await sign_in(user, "admin")
    draft = await _draft_id(user)
    await user.open(f"/assessments/{draft}?step=1")
    workshop = current_workshop()
    assert workshop is not None, "the app starts the workshop"
    await _until(lambda: workshop.hub.subscriber_count(draft) == 1, "the page did not join")
    drawn = _label_ids(user, "Nykytila jatkuu")  # the alternatives' list, the comparison
    assert drawn

    def answer() -> None:
        with database().session("test") as db:
            svc.set_answer(db, draft, "needs", "Uusi tarve", expected_version=None, actor=ADMIN)

    await asyncio.to_thread(answer)
    label = "Kehitystyön lähtökohtana olevat tarpeet *"
    await _until(lambda: _field_value(user, label) == "Uusi tarve", "the answer did not arrive")
    assert _label_ids(user, "Nykytila jatkuu") == drawn, "the lists were drawn again"
    # A matrix cell changes the comparison: it is drawn again.
    await asyncio.to_thread(_save, draft, "--")
    await _until(lambda: _label_ids(user, "Nykytila jatkuu") != drawn, "not drawn again")
