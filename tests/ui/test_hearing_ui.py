"""The wizard's hearing dialog (step 2, kuuleminen) through NiceGUI's simulated user: every field
of the record saved through the autosaver, the listing in words (the way's label, the Finnish
date, children heard), and a wrong date or count marked at its field and not saved."""

from __future__ import annotations

import asyncio
from datetime import date

from nicegui import ui
from nicegui.testing import User

from evaus.services import assessments as svc
from evaus.services.access import local_admin
from evaus.ui.context import database
from project_db.assessment_schemas import HearingIn
from tests.ui.test_login_logic import sign_in

DRAFT = "asumispalvelujen palveluverkon"  # the demo draft, nobody heard yet


async def _open_step_two(user: User) -> int:
    await user.open("/assessments")
    await user.should_see("Vaikutusten arviointi", retries=40)
    rows = [row for table in user.find(kind=ui.table).elements for row in table.rows]
    ident = int(next(row["id"] for row in rows if DRAFT in row["title"]))
    await user.open(f"/assessments/{ident}?step=2")
    await user.should_see("Keitä kuultiin", retries=80)
    user.find(kind=ui.button, content="Lisää kuultu taho").click()
    await user.should_see("Kuultu ryhmä tai organisaatio", retries=40)
    return ident


def _only(user: User, kind: type, label: str) -> object:
    (element,) = user.find(kind=kind, content=label).elements
    return element


def _hearings(ident: int) -> list[HearingIn]:
    with database().session("test") as session:
        return svc.get_assessment(session, ident, actor=local_admin("test")).doc.hearings


async def _wait_for(check: object, tries: int = 100) -> None:
    for _ in range(tries):
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not saved")


async def test_a_hearing_with_every_field_is_saved_and_listed(user: User) -> None:
    await sign_in(user, "admin")
    ident = await _open_step_two(user)
    user.find("Kuultu ryhmä tai organisaatio").type("Nuorisovaltuusto")
    _only(user, ui.select, "Miten kuultiin").set_value("workshop")  # type: ignore[attr-defined]
    _only(user, ui.date_input, "Milloin kuultiin").set_value("4.3.2026")  # type: ignore[attr-defined]
    _only(user, ui.number, "Kuultujen henkilöiden määrä").set_value(14)  # type: ignore[attr-defined]
    user.find("Miten kuultiin, sanallisesti").type("Nuorisotalolla")
    _only(user, ui.checkbox, "Lapsia tai nuoria kuultiin").set_value(True)  # type: ignore[attr-defined]
    user.find("Miten lapsia tai nuoria kuultiin").type("Pienryhmissä")
    user.find("Mitä he sanoivat").type("Illat ovat tärkeimmät.")
    user.find("Mitä kuulemisen vuoksi muuttui").type("Iltavuorot lisättiin.")
    user.find(kind=ui.button, content="Tallenna").click()
    await _wait_for(lambda: _hearings(ident))
    (hearing,) = _hearings(ident)
    assert hearing.model_dump(exclude={"key"}) == {
        "group": "Nuorisovaltuusto",
        "method": "workshop",
        "method_note": "Nuorisotalolla",
        "held_on": date(2026, 3, 4),
        "participants": 14,
        "children_heard": True,
        "children_how": "Pienryhmissä",
        "summary": "Illat ovat tärkeimmät.",
        "outcome": "Iltavuorot lisättiin.",
    }
    await user.should_see("Miten kuultiin: Työpaja (Nuorisotalolla)", retries=80)
    await user.should_see("Milloin kuultiin: 4.3.2026")
    await user.should_see("Kuultujen henkilöiden määrä: 14")
    await user.should_see("Lapsia tai nuoria kuultu: Kyllä: Pienryhmissä")
    await user.should_see("Mitä kuulemisen vuoksi muuttui: Iltavuorot lisättiin.")


async def test_a_wrong_date_or_count_is_marked_at_its_field(user: User) -> None:
    await sign_in(user, "admin")
    ident = await _open_step_two(user)
    user.find("Kuultu ryhmä tai organisaatio").type("Asukkaat")
    _only(user, ui.date_input, "Milloin kuultiin").set_value("31.2.2026")  # type: ignore[attr-defined]
    count = _only(user, ui.number, "Kuultujen henkilöiden määrä")
    count.set_value(-2)  # type: ignore[attr-defined]
    user.find(kind=ui.button, content="Tallenna").click()
    await user.should_see("Kirjoita päivämäärä muodossa 1.11.2020.", retries=40)
    await user.should_see("Anna kokonaisluku, 0 tai enemmän.")
    await asyncio.sleep(1.5)  # more than the autosave's delay
    assert _hearings(ident) == []
