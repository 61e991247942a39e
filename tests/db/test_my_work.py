"""A manager's front page on SQLite and PostgreSQL: own projects (team membership decides),
own and linked assessments, the next report's missing data, and others' recent changes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from evaus.db import Database
from evaus.services import assessments
from evaus.services import projects as ps
from evaus.services.access import Actor, Forbidden, can_edit_project, local_admin
from evaus.services.my_work import RECENT_CHANGES_SHOWN, my_work
from evaus.services.users import create_user, person_for_user
from project_db.models import Project, ProjectPerson
from project_db.periods import current_or_latest_period as next_period
from project_db.schemas import PeriodIn

TODAY = date(2026, 8, 15)  # in period 2 of the ESR project


def _user(session: Session, name: str, role: str) -> Actor:
    user = create_user(
        session,
        name,
        role=role,
        password=f"{name}-salasana-1",
        display_name=name.capitalize(),
        actor=local_admin("setup"),
    )
    session.commit()
    return Actor.of(user)


def _join(session: Session, actor: Actor, project_id: int, *, team: bool = True) -> Actor:
    """The user joins the project (a team member, or a contact only); the Actor gets the person."""
    from project_db.models import User

    user = session.get(User, actor.user_id)
    assert user is not None
    person = person_for_user(session, user)
    project = session.get(Project, project_id)
    assert project is not None
    project.people.append(
        ProjectPerson(person=person, role="Jäsen", is_team=team, position=len(project.people))
    )
    session.commit()
    return Actor.of(user)


def _esr_project(session: Session) -> int:
    data: dict[str, Any] = {
        "name": "Oma ESR-hanke",
        "short_name": "Oma",
        "summary": "Tiivistelmä",
        "funding": [{"funder": {"name": "ELY"}, "funder_code": "ESR", "amount": "1000"}],
        "periods": [
            {"number": 1, "start_date": "2026-01-01", "end_date": "2026-06-30", "done": "Tehty"},
            {"number": 2, "start_date": "2026-07-01", "end_date": "2026-12-31"},
        ],
        "indicators": [
            {
                "name": "Osallistujat",
                "target": "10",
                "values": [{"period": 1, "value": "4", "basis": "collected"}],
            }
        ],
    }
    return ps.create_project(session, data, actor=local_admin("setup")).id


@pytest.fixture
def registry(database: Database) -> dict[str, Any]:
    with database.session("setup") as session:
        maija = _user(session, "maija", "manager")
        kalle = _user(session, "kalle", "manager")
        ville = _user(session, "ville", "viewer")
        admin = _user(session, "admin", "admin")
        own = _esr_project(session)
        other = ps.create_project(session, {"name": "Vieras hanke"}, actor=local_admin("setup")).id
        contact_only = ps.create_project(
            session, {"name": "Yhteyshenkilönä"}, actor=local_admin("setup")
        ).id
        maija = _join(session, maija, own)
        maija = _join(session, maija, contact_only, team=False)
        kalle = _join(session, kalle, own)
        kalle = _join(session, kalle, other)
        mine = assessments.create_assessment(session, {"title": "Maijan arviointi"}, actor=maija)
        linked = assessments.create_assessment(
            session, {"title": "Kallen arviointi Omasta"}, project_id=own, actor=kalle
        )
        foreign = assessments.create_assessment(
            session, {"title": "Vieras arviointi"}, project_id=other, actor=kalle
        )
        session.commit()
    return {
        "maija": maija,
        "kalle": kalle,
        "ville": ville,
        "admin": admin,
        "own": own,
        "other": other,
        "contact_only": contact_only,
        "mine": mine.id,
        "linked": linked.id,
        "foreign": foreign.id,
    }


def _rename(database: Database, who: Actor, project_id: int, name: str) -> None:
    with database.session(who.username) as session:
        ps.update_project(session, project_id, {"name": name}, expected_version=None, actor=who)


def test_own_projects_are_the_team_projects(database: Database, registry: dict[str, Any]) -> None:
    maija = registry["maija"]
    with database.session() as session:
        work = my_work(session, maija, lang="en", today=TODAY)
        editable = [p.id for p in session.query(Project) if can_edit_project(session, maija, p.id)]
    assert [p.id for p in work.projects] == [registry["own"]] == editable
    assert work.projects[0].short_name == "Oma"


def test_own_and_linked_assessments(database: Database, registry: dict[str, Any]) -> None:
    with database.session() as session:
        work = my_work(session, registry["maija"], lang="en", today=TODAY)
    found = {a.id: a for a in work.assessments}
    assert set(found) == {registry["mine"], registry["linked"]}
    assert found[registry["mine"]].mine is True
    assert found[registry["linked"]].mine is False
    assert found[registry["linked"]].project_name == "Oma ESR-hanke"


def test_the_next_report_is_the_running_period(
    database: Database, registry: dict[str, Any]
) -> None:
    with database.session() as session:
        work = my_work(session, registry["maija"], lang="en", today=TODAY)
    [gap] = work.report_gaps
    assert (gap.project_id, gap.kind, gap.period, gap.failure) == (
        registry["own"],
        "esr-period",
        2,
        None,
    )
    assert gap.kind_label == "ESR monitoring report"
    assert "Period 2: the indicator values are missing" in gap.missing
    assert "Period 2: what was done is not described" in gap.missing
    assert not any(text.startswith("Period 1") for text in gap.missing)
    # In the user's language.
    with database.session() as session:
        finnish = my_work(session, registry["maija"], lang="fi", today=TODAY).report_gaps[0]
    assert "Jakson 2 toteumat puuttuvat" in finnish.missing


def test_next_period_rules() -> None:
    def period(number: int, start: str, end: str) -> PeriodIn:
        return PeriodIn(
            number=number, start_date=date.fromisoformat(start), end_date=date.fromisoformat(end)
        )

    first = period(1, "2026-01-01", "2026-06-30")
    second = period(2, "2026-07-01", "2026-12-31")
    assert next_period([first, second], date(2026, 3, 1)) == first  # running
    assert next_period([first, second], date(2027, 2, 1)) == second  # the last one ended
    assert next_period([second, first], date(2025, 12, 1)) == first  # none started yet
    assert next_period([], date(2026, 3, 1)) is None


def test_recent_changes_by_others_only(database: Database, registry: dict[str, Any]) -> None:
    maija, kalle = registry["maija"], registry["kalle"]
    # Kalle's setup work (joining, an assessment) is one sitting; the admin's edit ends it.
    _rename(database, registry["admin"], registry["own"], "Oma ESR-hanke (ylläpito)")
    _rename(database, kalle, registry["own"], "Oma ESR-hanke (uusi nimi)")
    _rename(database, maija, registry["own"], "Oma ESR-hanke (Maijan nimi)")
    _rename(database, kalle, registry["other"], "Vieras hanke (uusi nimi)")
    with database.session() as session:
        work = my_work(session, maija, lang="en", today=TODAY)
    changes = work.recent_changes
    assert changes, "the change by Kalle is listed"
    newest = changes[0]
    assert (newest.actor, newest.actor_name, newest.project_id) == (
        "kalle",
        "Kalle",
        registry["own"],
    )
    assert newest.fields == 1  # the name only
    assert (changes[1].actor, changes[1].fields) == ("admin", 1)
    assert all(c.actor != "maija" for c in changes)
    assert all(c.project_id == registry["own"] for c in changes)
    assert [c.at for c in changes] == sorted((c.at for c in changes), reverse=True)


def test_recent_changes_are_bounded(database: Database, registry: dict[str, Any]) -> None:
    kalle, admin = registry["kalle"], registry["admin"]
    for number in range(RECENT_CHANGES_SHOWN + 3):
        who = kalle if number % 2 else admin  # alternating people: a change each
        _rename(database, who, registry["own"], f"Nimi {number}")
    with database.session() as session:
        changes = my_work(session, registry["maija"], lang="en", today=TODAY).recent_changes
    assert len(changes) == RECENT_CHANGES_SHOWN
    assert changes[0].actor == ("kalle" if (RECENT_CHANGES_SHOWN + 2) % 2 else "admin")


@pytest.mark.parametrize("who", ["ville", "admin"])
def test_only_managers_have_own_work(
    database: Database, registry: dict[str, Any], who: str
) -> None:
    with database.session() as session, pytest.raises(Forbidden):
        my_work(session, registry[who], lang="en", today=TODAY)


def test_a_manager_in_no_team(database: Database) -> None:
    with database.session("setup") as session:
        alone = _user(session, "yksin", "manager")
        work = my_work(session, alone, lang="en", today=TODAY)
    assert work.projects == [] and work.assessments == []
    assert work.report_gaps == [] and work.recent_changes == []
