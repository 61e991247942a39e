"""Administration services: code lists, organisations, users and tokens — SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from evaus.db import Database
from evaus.demo import load_demo
from evaus.i18n import describe_problem
from evaus.services import codelist_admin as cla
from evaus.services import tokens, users
from evaus.services.access import Actor, Forbidden, local_admin
from project_db.errors import ValidationFailed
from project_db.models import AuditEntry, CodeItem, Organisation, User

READER = local_admin("tests")  # who reads in these tests (services take the Actor)


def _actor(database: Database, username: str, role: str) -> Actor:
    with database.session("test") as session:
        user = users.create_user(
            session,
            username,
            role=role,
            password=f"{username}-salasana-1",
            actor=local_admin("test"),
        )
        return Actor.of(user)


@pytest.fixture
def admin(database: Database) -> Actor:
    return _actor(database, "paivi", "admin")


@pytest.fixture
def manager(database: Database) -> Actor:
    return _actor(database, "maija", "manager")


def _messages(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [describe_problem(p, "fi") for p in exc.value.problems]


def test_add_rename_deactivate_and_reorder_codes(database: Database, admin: Actor) -> None:
    with database.session(admin.username) as session:
        item = cla.add_code(session, "portfolio", "Digisalkku", label_fi="Digisalkku", actor=admin)
        assert item.sort_order == 1
        cla.update_code(session, item.id, label_sv="Digiportfölj", label_en="Digital", actor=admin)
        cla.set_code_active(session, item.id, False, actor=admin)
        listed = cla.list_codes(session, "portfolio", actor=admin)
        assert [(c.code, c.label_sv, c.active) for c in listed][-1] == (
            "Digisalkku",
            "Digiportfölj",
            False,
        )
        cla.move_code(session, item.id, -1, actor=admin)
        assert [c.code for c in cla.list_codes(session, "portfolio", actor=admin)] == [
            "Digisalkku",
            "Hyvinvointisalkku 2014-2020",
        ]
        status = cla.list_codes(session, "status", actor=admin)
        ids = [c.id for c in reversed(status)]
        cla.reorder_codes(session, "status", ids[:2], actor=admin)
        codes_now = [c.code for c in cla.list_codes(session, "status", actor=admin)]
        assert codes_now[:2] == ["keskeytetty", "hylatty"]
        assert codes_now[2] == "suunnitteilla"
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "code_item", AuditEntry.actor == "paivi")
        ).all()
        assert {a.field for a in audit} >= {"label_sv", "active", "sort_order"}


def test_code_problems_are_reported_in_finnish(database: Database, admin: Actor) -> None:
    with database.session(admin.username) as session:
        with pytest.raises(ValidationFailed) as exc:
            cla.add_code(session, "status", "kaynnissa", label_fi="Käynnissä", actor=admin)
        assert "kaynnissa" in _messages(exc)[0]
        with pytest.raises(ValidationFailed) as exc:
            cla.add_code(session, "status", "  ", label_fi="", actor=admin)
        assert len(exc.value.problems) == 2
        with pytest.raises(ValidationFailed):
            cla.add_code(session, "no-such-list", "x", label_fi="X", actor=admin)
        item = cla.list_codes(session, "status", actor=admin)[0]
        with pytest.raises(ValidationFailed):
            cla.update_code(session, item.id, label_fi="", actor=admin)


def test_codes_in_use_are_not_deleted(database: Database, admin: Actor) -> None:
    with database.session("demo") as session:
        load_demo(session)
    with database.session(admin.username) as session:
        running = next(
            c for c in cla.list_codes(session, "status", actor=admin) if c.code == "kaynnissa"
        )
        assert cla.code_usage(session, "status", "kaynnissa", actor=READER) >= 1
        with pytest.raises(ValidationFailed) as exc:
            cla.delete_code(session, running.id, actor=admin)
        assert "kaynnissa" in _messages(exc)[0]
        assert session.get(CodeItem, running.id) is not None
        unused = cla.add_code(session, "region", "testi", label_fi="Testimaakunta", actor=admin)
        cla.delete_code(session, unused.id, actor=admin)
        assert session.get(CodeItem, unused.id) is None


def test_organisations_are_edited_with_a_checked_ytunnus(database: Database, admin: Actor) -> None:
    with database.session("demo") as session:
        load_demo(session)
    with database.session(admin.username) as session:
        organisations = cla.list_organisations(session, actor=admin)
        assert organisations
        first, second = organisations[0], organisations[1]
        with pytest.raises(ValidationFailed) as exc:
            cla.update_organisation(session, first.id, y_tunnus="1234567-2", actor=admin)
        assert _messages(exc)[0].startswith("Y-tunnus:")
        with pytest.raises(ValidationFailed):
            cla.update_organisation(session, first.id, name=" ", org_type="nope", actor=admin)
        cla.update_organisation(
            session, first.id, name="Uusi nimi", org_type="kunta", y_tunnus="765432-2", actor=admin
        )
        changed = session.get(Organisation, first.id)
        assert changed is not None
        assert (changed.name, changed.org_type, changed.y_tunnus) == (
            "Uusi nimi",
            "kunta",
            "0765432-2",
        )
        with pytest.raises(ValidationFailed) as exc:
            cla.update_organisation(session, second.id, y_tunnus="0765432-2", actor=admin)
        assert "0765432-2" in _messages(exc)[0]
        cla.update_organisation(session, first.id, y_tunnus="", org_type="", actor=admin)
        assert (changed.y_tunnus, changed.org_type) == (None, None)


def test_non_admins_are_refused(database: Database, admin: Actor, manager: Actor) -> None:
    with database.session(manager.username) as session:
        item = cla.list_codes(session, "status", actor=admin)[0]
        calls = [
            lambda: cla.list_codes(session, "status", actor=manager),
            lambda: cla.add_code(session, "status", "x", label_fi="X", actor=manager),
            lambda: cla.update_code(session, item.id, label_fi="X", actor=manager),
            lambda: cla.set_code_active(session, item.id, False, actor=manager),
            lambda: cla.move_code(session, item.id, 1, actor=manager),
            lambda: cla.delete_code(session, item.id, actor=manager),
            lambda: cla.list_organisations(session, actor=manager),
            lambda: cla.update_organisation(session, 1, name="X", actor=manager),
            lambda: users.list_users(session, actor=manager),
            lambda: tokens.create_token(session, manager.user_id, "x", actor=manager),
        ]
        for call in calls:
            with pytest.raises(Forbidden):
                call()
        assert item.active


def test_user_administration_as_the_pages_use_it(database: Database, admin: Actor) -> None:
    with database.session(admin.username) as session:
        user = users.create_user(
            session, "uusi", role="viewer", password="uusi-salasana-1", actor=admin
        )
        users.update_user(session, user.id, role="manager", active=False, actor=admin)
        with pytest.raises(ValidationFailed) as exc:
            users.update_user(session, admin.user_id, role="viewer", actor=admin)
        assert "pääkäyttäjän oikeuksia" in _messages(exc)[0]
        token = tokens.create_token(session, user.id, "raportit", actor=admin)
        assert tokens.actor_for_token(session, token) is None  # the user is inactive
        users.update_user(session, user.id, active=True, actor=admin)
        assert tokens.actor_for_token(session, token) is not None
        row = tokens.list_tokens(session, actor=admin)[0]
        tokens.revoke_token(session, row.id, actor=admin)
        assert tokens.actor_for_token(session, token) is None
        stored = session.scalars(select(User).where(User.username == "uusi")).one()
        assert stored.role == "manager"


def test_token_use_is_recorded_at_most_once_a_minute(database: Database, admin: Actor) -> None:
    with database.session(admin.username) as session:
        token = tokens.create_token(session, admin.user_id, "haku", actor=admin)
        assert tokens.actor_for_token(session, token) is not None
        row = tokens.list_tokens(session, actor=admin)[0]
        first = row.last_used_at
        assert first is not None
        assert tokens.actor_for_token(session, token) is not None
        session.refresh(row)
        assert row.last_used_at == first  # a second request right after writes nothing
        row.last_used_at = first - timedelta(minutes=5)
        session.commit()
        assert tokens.actor_for_token(session, token) is not None
        session.refresh(row)
        assert row.last_used_at is not None and row.last_used_at > first - timedelta(minutes=5)
