"""Personal data (GDPR): the report of everything about a person, pseudonymisation, deletion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from evaus.db import Database
from evaus.demo import load_demo
from evaus.services import personal_data, registry_io
from evaus.services.access import Actor, Forbidden, local_admin
from evaus.services.projects import create_project_for, get_project_doc, update_project
from evaus.services.users import create_user, update_user
from project_db.models import AuditEntry, Person
from tests.db.test_migrations import evaus

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

ADMIN = Actor(user_id=0, username="gdpr-admin", role="admin", person_id=None, language="fi")
VIEWER = Actor(user_id=0, username="lukija", role="viewer", person_id=None, language="fi")
EMAIL = "tiina.tietosuoja@example.fi"
NAME = "Tiina Tietosuoja"


@pytest.fixture
def tiina(database: Database) -> tuple[Database, int, int]:
    """A person in two projects (one a demo project), linked to a user, changed once."""
    with database.session("setup") as session:
        load_demo(session)
        member = {"person": {"name": NAME, "email": EMAIL, "phone": "040 123 4567"}, "role": "PM"}
        project = create_project_for(
            session, {"name": "Tietosuojahanke", "people": [member]}, actor=ADMIN
        )
        other = create_project_for(
            session, {"name": "Toinen hanke", "people": [{**member, "role": "Jäsen"}]}, actor=ADMIN
        )
        update_project(
            session,
            other.id,
            {"notes": f"Yhteys: {EMAIL}"},
            expected_version=None,
            actor=local_admin("x"),
        )
        person = session.scalars(select(Person).where(Person.email == EMAIL)).one()
        user = create_user(
            session, "tiina", role="viewer", password="tiina-salasana-1", actor=local_admin("s")
        )
        update_user(session, user.id, actor=ADMIN, email=EMAIL, person_id=person.id)
        return database, person.id, project.id


def _export(database: Database) -> str:
    with database.session() as session:
        return registry_io.export_json(session, actor=READER).decode()


def _audit_values(database: Database) -> list[str]:
    with database.session() as session:
        return [
            value
            for entry in session.scalars(select(AuditEntry))
            for value in (entry.old_value, entry.new_value)
            if value
        ]


def test_the_report_holds_everything_about_the_person(tiina: tuple[Database, int, int]) -> None:
    database, person_id, _project = tiina
    with database.session() as session:
        assert personal_data.find_person(session, EMAIL.upper(), actor=READER).id == person_id
        assert personal_data.find_person(session, str(person_id), actor=READER).id == person_id
        report = personal_data.person_report(session, person_id, actor=ADMIN)
    json.dumps(report)  # JSON-ready
    assert report["person"]["name"] == NAME and report["person"]["email"] == EMAIL
    assert report["person"]["phone"] == "+358 40 1234567"
    assert {(r["project_name"], r["role"]) for r in report["project_roles"]} == {
        ("Tietosuojahanke", "PM"),
        ("Toinen hanke", "Jäsen"),
    }
    assert [u["username"] for u in report["users"]] == ["tiina"]
    entities = {e["entity"] for e in report["audit_entries"]}
    assert {"person", "project_person", "project", "app_user"} <= entities
    assert any(EMAIL in (e["new_value"] or "") for e in report["audit_entries"])


def test_only_admins(tiina: tuple[Database, int, int]) -> None:
    database, person_id, _project = tiina
    with database.session() as session:
        with pytest.raises(Forbidden):
            personal_data.person_report(session, person_id, actor=VIEWER)
        with pytest.raises(Forbidden):
            personal_data.erase_person(session, person_id, actor=VIEWER)
        with pytest.raises(Forbidden):
            personal_data.search_people(session, "Tiina", actor=VIEWER)


def test_pseudonymise(tiina: tuple[Database, int, int]) -> None:
    database, person_id, project_id = tiina
    assert EMAIL in _export(database)
    with database.session("gdpr-admin") as session:
        assert [p.id for p in personal_data.search_people(session, "tietosuoja", actor=ADMIN)] == [
            person_id
        ]
        counts = personal_data.erase_person(session, person_id, actor=ADMIN)
    assert counts["audit_entries"] > 0 and counts["users"] == 1
    export = _export(database)
    assert EMAIL not in export and NAME not in export and "1234567" not in export
    assert f"Poistettu henkilö {person_id}" in export
    values = _audit_values(database)
    assert not [v for v in values if EMAIL in v or NAME in v or "1234567" in v]
    with database.session() as session:
        doc = get_project_doc(session, project_id, actor=READER)
        assert [(p.person.name, p.person.email, p.role) for p in doc.people] == [
            (f"Poistettu henkilö {person_id}", None, "PM")
        ]
        (record,) = session.scalars(select(AuditEntry).where(AuditEntry.field == "gdpr"))
        assert record.actor == "gdpr-admin" and record.entity_id == person_id
        assert record.new_value == "pseudonymised" and record.at is not None
        report = personal_data.person_report(session, person_id, actor=ADMIN)
        assert report["users"][0]["email"] is None


def test_delete(tiina: tuple[Database, int, int]) -> None:
    database, person_id, project_id = tiina
    with database.session("gdpr-admin") as session:
        counts = personal_data.erase_person(session, person_id, mode="delete", actor=ADMIN)
    assert counts["project_roles"] == 2
    export = _export(database)
    assert EMAIL not in export and NAME not in export
    assert not [v for v in _audit_values(database) if EMAIL in v or NAME in v]
    with database.session() as session:
        assert session.get(Person, person_id) is None
        assert get_project_doc(session, project_id, actor=READER).people == []
        (record,) = session.scalars(select(AuditEntry).where(AuditEntry.field == "gdpr"))
        assert record.action == "delete" and record.new_value == "deleted"
        with pytest.raises(personal_data.NotFound):
            personal_data.find_person(session, EMAIL, actor=READER)


def test_cli_export_and_erase(tiina: tuple[Database, int, int], tmp_path: Path) -> None:
    database, person_id, _project = tiina
    url = database.engine.url.render_as_string(hide_password=False)
    target = tmp_path / "tiina.json"
    made = evaus(tmp_path, url, "person", "export", EMAIL, "-o", str(target))
    assert made.returncode == 0, made.stderr
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["person"]["id"] == person_id and len(report["project_roles"]) == 2
    erased = evaus(tmp_path, url, "person", "erase", EMAIL, "--delete")
    assert erased.returncode == 0, erased.stderr
    assert f"Person {person_id} was deleted." in erased.stdout
    assert EMAIL not in _export(database)
    missing = evaus(tmp_path, url, "person", "erase", EMAIL)
    assert missing.returncode == 1 and missing.stderr.startswith("Error: Not found")
