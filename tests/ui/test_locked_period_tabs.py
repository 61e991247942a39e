"""An approved (locked) period on the project editor's tabs (NiceGUI's simulated user): its
participant counts, actual costs, participant groups and volunteers are shown read-only under
the locked note, without buttons to add or remove its rows, while the open period stays
editable and the editor saves it."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from nicegui import ui
from nicegui.element import Element
from nicegui.elements.mixins.disableable_element import DisableableElement
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from sqlalchemy import select

from evaus.db import open_database
from evaus.services import period_review
from evaus.services import projects as ps
from evaus.services.access import Actor, local_admin
from evaus.services.users import create_user
from project_db.engine import sqlite_url
from project_db.models import Project
from project_db.models import User as Account
from tests.ui.test_login_logic import sign_in

ADMIN = local_admin("tests")


def _group(period: int | None, count: int, **extra: Any) -> dict[str, Any]:
    return {"period": period, "gender": "nainen", "age_class": "alle-25", "count": count} | extra


def _database() -> Any:
    return open_database(url=sqlite_url(Path(os.environ["EVAUS_DATA_DIR"])))


def _setup() -> int:
    """SoKu with two periods, each with costs, participants and volunteers; period 2 approved."""
    database = _database()
    with database.session("tests") as session:
        soku = session.scalars(select(Project.id).where(Project.eura_code == "S20397")).one()
        doc = ps.get_project_doc(session, soku, actor=ADMIN).model_dump(mode="json")
        doc["periods"] = [
            {
                "number": 1,
                "start_date": "2020-01-01",
                "end_date": "2020-06-30",
                "volunteers": 3,
            },
            {
                "number": 2,
                "start_date": "2020-07-01",
                "end_date": "2020-12-31",
                "volunteers": 4,
                "feedback_methods": "Kysely",
            },
        ]
        doc["indicators"] = [{**i, "values": []} for i in doc["indicators"]]
        doc["cost_actuals"] = [
            {"period": 1, "scheme": "esr", "category": "palkkakustannukset", "amount": "1000"},
            {"period": 2, "scheme": "esr", "category": "palkkakustannukset", "amount": "2000"},
        ]
        doc["participant_stats"] = [
            _group(None, 7),
            _group(1, 3),
            _group(2, 5),
            _group(1, 6, labour_status="tyoton", education="perusaste"),
            _group(2, 2, labour_status="tyoton", education="perusaste"),
        ]
        ps.save_project_doc(session, soku, doc, expected_version=None, actor=ADMIN)
        reviewer = create_user(
            session, "riitta", role="reviewer", password="riitta-salasana-1", actor=ADMIN
        )
        session.commit()
        maija = session.scalars(select(Account).where(Account.username == "maija")).one()
        period_review.submit(session, soku, 2, actor=Actor.of(maija), archive=False)
        period_review.approve(session, soku, 2, actor=Actor.of(reviewer))
    database.engine.dispose()
    return soku


def _doc(soku: int) -> dict[str, Any]:
    database = _database()
    with database.session("tests") as session:
        doc = ps.get_project_doc(session, soku, actor=ADMIN).model_dump(mode="json")
    database.engine.dispose()
    return doc


def _all(user: User) -> list[Element]:
    assert user.client is not None
    return list(user.client.elements.values())


def _inputs(user: User, label: str) -> dict[str, bool]:
    """The inputs named ``label`` (their label or aria-label): value → enabled."""
    found = {}
    for element in _all(user):
        if not isinstance(element, DisableableElement) or not hasattr(element, "value"):
            continue
        if label in (element.props.get("label"), element.props.get("aria-label")):
            found[str(element.value)] = element.enabled
    return found


def _buttons(user: User) -> list[str]:
    names = []
    for element in _all(user):
        if isinstance(element, ui.button):
            names.append(str(element.props.get("aria-label") or element.text))
    return names


def _notes(user: User) -> list[str]:
    return sorted(
        str(e.props["data-testid"])
        for e in _all(user)
        if str(e.props.get("data-testid", "")).startswith("locked-period")
    )


async def test_a_locked_period_is_read_only_on_every_tab(user: User) -> None:
    soku = _setup()
    await sign_in(user, "maija")
    await user.open(f"/projects/{soku}/edit")
    await user.should_see("Talous ja osallistujat", retries=40)

    # The note on each tab and section that shows period 2's values; none for period 1.
    assert _notes(user) == [
        "locked-period-2",
        "locked-period-2-costs",
        "locked-period-2-groups",
        "locked-period-2-participants",
        "locked-period-2-volunteers",
    ]
    notes = [e for e in _all(user) if e.props.get("data-testid") == "locked-period-2-costs"]
    assert isinstance(notes[0], ui.label)
    assert notes[0].text.startswith("Jakso 2 on hyväksytty ja lukittu")

    # Participants tab: the grid's cell (whole project 7, period 1 3, period 2 5).
    assert _inputs(user, "Nainen, Alle 25 v.") == {"7": True, "3": True, "5": False}
    # Finance tab: the actual costs, the groups' counts, the volunteers.
    assert _inputs(user, "Toteutunut summa (€)") == {"1000": True, "2000": False}
    assert _inputs(user, "Lukumäärä") == {"6": True, "2": False}
    assert _inputs(user, "Vapaaehtoiset") == {"3": True, "4": False}
    assert _inputs(user, "Miten palautetta kerättiin") == {"": True, "Kysely": False}

    buttons = _buttons(user)
    assert "Lisää toteutunut kustannus, jakso 1" in buttons
    assert "Lisää toteutunut kustannus, jakso 2" not in buttons
    assert "Poista: toteutunut kustannus 1" in buttons
    assert "Poista: toteutunut kustannus 2" not in buttons
    groups = [b for b in buttons if b.startswith("Lisää osallistujaryhmä: ")]
    assert [g.split(":")[1].strip() for g in groups] == ["Koko hanke", "Jakso 1"]
    # Period 1's group is the 4th participant row; period 2's (the 5th) has no buttons.
    assert "Poista: osallistujaryhmä 4" in buttons
    assert "Poista: osallistujaryhmä 5" not in buttons

    # The open period's values are saved; the locked period's stay as approved.
    (cost,) = [
        e
        for e in _all(user)
        if isinstance(e, ui.input)
        and e.props.get("label") == "Toteutunut summa (€)"
        and e.value == "1000"
    ]
    with user:
        cost.set_value("1500")
    save = [e for e in _all(user) if isinstance(e, ui.button) and e.text == "Tallenna"]
    UserInteraction(user, {save[0]}, None).click()
    await user.should_see("Tallennettu klo", retries=60)
    saved = _doc(soku)
    amounts = {c["period"]: Decimal(c["amount"]) for c in saved["cost_actuals"]}
    assert amounts == {1: Decimal("1500"), 2: Decimal("2000")}
    assert [(s["period"], s["count"]) for s in saved["participant_stats"] if s["period"] == 2] in (
        [(2, 5), (2, 2)],
        [(2, 2), (2, 5)],
    )
