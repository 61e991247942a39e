"""More of the live workshop through NiceGUI's simulated users: a cell's comments reach the other
participant's open thread and count without touching what they are writing; choices (radio
buttons) follow another participant's save unless the viewer is in the control; a change of the
assessment's state reaches an open page; and the text a browser kept while its connection was
lost is saved, or offered when somebody else saved the field meanwhile."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from evaus.services import assessments as svc
from evaus.services.access import local_admin
from evaus.ui.context import database
from tests.ui.test_comments_ui import _inside, _open_dialog
from tests.ui.test_login_logic import sign_in
from tests.ui.test_workshop_live_ui import CELL, _field, _two, _until
from tests.ui.test_workshop_ui import _draft_id, _joined


def _dialog_textarea(user: User, label: str) -> Any:
    assert user.client is not None
    with user.client:
        dialog = _open_dialog(user)
        return next(
            e
            for e in user.find(kind=ui.textarea).elements
            if e.props.get("label") == label and _inside(e, dialog)
        )


def _dialog_open(user: User) -> bool:
    assert user.client is not None
    with user.client:
        try:
            return any(d.value for d in user.find(kind=ui.dialog).elements)
        except AssertionError:  # none yet
            return False


def _comment_count(user: User, where: str) -> str:
    assert user.client is not None
    with user.client:
        button = next(iter(user.find(marker=f"cell-comments-{where}").elements))
        return str(button.props.get("aria-label", ""))


async def test_a_cell_comment_reaches_the_other_participant_live(
    create_user: Callable[[], User],
) -> None:
    maija, admin, _draft = await _two(create_user, "/assessments/{}/matrix")
    assert _comment_count(maija, CELL) == "Kommentit (0)"
    # Maija opens the cell's thread and starts writing a comment.
    maija.find(marker=f"cell-comments-{CELL}").click()
    await _until(lambda: _dialog_open(maija), "the thread did not open")
    writing = _dialog_textarea(maija, "Kommentti")
    assert maija.client is not None
    with maija.client:
        writing.value = "Kesken oleva kysymys"
    # The admin adds a comment on the same cell in their own dialog.
    admin.find(marker=f"cell-comments-{CELL}").click()
    await _until(lambda: _dialog_open(admin), "the thread did not open")
    assert admin.client is not None
    with admin.client:
        _dialog_textarea(admin, "Kommentti").value = "Onko vaikutus varmasti suuri?"
        dialog = _open_dialog(admin)
        add = {
            e
            for e in admin.find(kind=ui.button, content="Lisää kommentti").elements
            if _inside(e, dialog)
        }
    UserInteraction(admin, add, None).click()
    await admin.should_see("Kommentti lisättiin.", retries=60)
    # Maija's open thread shows it without a reload; her text stays; the count follows.
    await maija.should_see("Onko vaikutus varmasti suuri?", retries=80)
    assert writing.value == "Kesken oleva kysymys"
    await _until(lambda: _comment_count(maija, CELL) == "Kommentit (1)", "the count is old")


def _radios(user: User) -> list[Any]:
    """The yes/no radio groups of the wizard in page order: the screening's result first,
    then the relevance of each impact area."""
    assert user.client is not None
    with user.client:
        found = [e for e in user.find(kind=ui.radio).elements if set(e.options) == {"yes", "no"}]
    return sorted(found, key=lambda e: e.id)


def _reason_inputs(user: User) -> list[Any]:
    assert user.client is not None
    with user.client:
        found = [
            e
            for e in user.find(kind=ui.input).elements
            if e.props.get("label") == "Perustelu (yksi rivi)"
        ]
    return sorted(found, key=lambda e: e.id)


async def test_choices_follow_another_save_but_not_under_the_viewer(
    create_user: Callable[[], User],
) -> None:
    maija, admin, draft = await _two(create_user, "/assessments/{}?step=4")
    # The admin answers the screening: Maija's radio buttons follow.
    screening_admin, screening_maija = _radios(admin)[0], _radios(maija)[0]
    wanted = "no" if screening_maija.value != "no" else "yes"
    assert admin.client is not None
    with admin.client:
        screening_admin.value = wanted
    await _until(lambda: screening_maija.value == wanted, "the screening did not follow")
    # Maija is writing the first area's reason; the admin saves that area's relevance and a
    # reason: the choice follows, the reason under Maija's cursor stays hers.
    area_admin, area_maija = _radios(admin)[1], _radios(maija)[1]
    reason_admin, reason_maija = _reason_inputs(admin)[0], _reason_inputs(maija)[0]
    UserInteraction(maija, {reason_maija}, None).trigger("focus")
    assert maija.client is not None
    mine = reason_maija.value
    choice = "no" if area_maija.value != "no" else "yes"
    with admin.client:
        area_admin.value = choice
        reason_admin.value = "Adminin perustelu"
    await _until(lambda: area_maija.value == choice, "the relevance did not follow")
    assert reason_maija.value == mine
    # Nothing of Maija's was saved over the admin's save meanwhile.
    with database().session("test") as db:
        doc = svc.get_assessment(db, draft, actor=local_admin("test")).doc
    stored = {
        True: "yes",
        False: "no",
        None: None,
    }[doc.screening.needed]
    assert stored == wanted


async def test_a_new_version_made_elsewhere_is_told_to_a_page_being_typed_in(
    create_user: Callable[[], User],
) -> None:
    maija, _admin, draft = await _two(create_user, "/assessments/{}?step=0")
    decision = _field(maija, "Päätettävä asia")
    maija.find(kind=ui.textarea, content="Päätettävä asia").trigger("focus")
    with database().session("test") as db:
        svc.new_version(db, draft, actor=local_admin("admin"))
    await maija.should_see("aloitti arvioinnista uuden version", retries=80)
    await maija.should_see("Lataa sivu uudelleen")
    assert decision.value is not None


async def _open_with_draft(user: User, draft: int, kept: Callable[[str], dict[str, Any]]) -> str:
    """Open step 0 of the draft in a browser that kept ``kept(stored decision)`` of the field
    "Päätettävä asia" from a lost connection; the decision stored now."""
    with database().session("test") as db:
        stored = svc.get_assessment(db, draft, actor=local_admin("test")).doc.decision
    user.javascript_rules[re.compile(r".*evausDrafts\.read.*", re.DOTALL)] = lambda _: {
        "decision": kept(stored)
    }
    await user.open(f"/assessments/{draft}?step=0")
    return stored


async def test_text_kept_by_the_browser_is_saved_when_nobody_else_saved_meanwhile(
    user: User,
) -> None:
    await sign_in(user, "admin")
    draft = await _draft_id(user)
    await _open_with_draft(user, draft, lambda stored: {"v": "Katkon aikana", "b": stored})
    await _joined(draft, "admin")
    await user.should_see("Yhteyskatkon aikana kirjoittamaasi tekstiä tallennetaan", retries=80)

    def saved() -> bool:
        with database().session("test") as db:
            return svc.get_assessment(db, draft, actor=local_admin("t")).doc.decision == (
                "Katkon aikana"
            )

    await _until(saved, "the kept text was not saved")


async def test_text_kept_by_the_browser_is_offered_over_a_newer_save(user: User) -> None:
    await sign_in(user, "admin")
    draft = await _draft_id(user)
    stored = await _open_with_draft(
        user, draft, lambda _stored: {"v": "Katkon aikana", "b": "Vanha teksti"}
    )
    await user.should_see("Yhteytesi ollessa poikki tähän kenttään tallennettiin", retries=80)
    assert _field(user, "Päätettävä asia").value == "Katkon aikana"
    with database().session("test") as db:
        assert svc.get_assessment(db, draft, actor=local_admin("t")).doc.decision == stored
    # "Pidä omani" saves it.
    user.find(kind=ui.button, content="Pidä omani").click()

    def saved() -> bool:
        with database().session("test") as db:
            doc = svc.get_assessment(db, draft, actor=local_admin("t")).doc
            return doc.decision == "Katkon aikana"

    await _until(saved, "keeping the kept text did not save it")
