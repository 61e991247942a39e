"""The editor's services: rights, versions and conflicts, attachments kept across saves."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from evaus.db import Database
from evaus.services import editing
from evaus.services import projects as ps
from evaus.services.access import Actor, Forbidden, local_admin
from evaus.services.users import create_user, person_for_user
from project_db.errors import ConflictError
from project_db.models import ProjectPerson, User

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

PDF = b"%PDF-1.4\n" + b"x" * 50


def _actor(database: Database, name: str, role: str) -> Actor:
    with database.session() as session:
        create_user(
            session,
            name,
            role=role,
            password=f"{name}-salasana-1",
            display_name=name,
            actor=local_admin("t"),
        )
        session.commit()
        return Actor.of(session.scalars(select(User).where(User.username == name)).one())


@pytest.fixture
def project_id(database: Database) -> int:
    with database.session() as session:
        return ps.create_project(
            session, {"name": "Muokattava hanke", "municipality": "Tampere"}, actor=local_admin("t")
        ).id


def test_only_editors_may_load_and_save(database: Database, project_id: int) -> None:
    viewer = _actor(database, "ville", "viewer")
    outsider = _actor(database, "olli", "manager")
    member = _actor(database, "maija", "manager")
    with database.session() as session:
        user = session.get(User, member.user_id)
        assert user is not None
        person = person_for_user(session, user)
        project = ps.get_project(session, project_id, actor=READER)
        project.people.append(ProjectPerson(person=person, role="Tiimi", is_team=True, position=0))
        session.commit()
    member = _actor_reloaded(database, member)
    with database.session() as session:
        for actor in (viewer, outsider):
            with pytest.raises(Forbidden):
                editing.load_for_edit(session, project_id, actor)
            with pytest.raises(Forbidden):
                editing.save_edited(
                    session,
                    project_id,
                    {"name": "Ei saa"},
                    expected_version=1,
                    known_attachments=set(),
                    actor=actor,
                )
        loaded = editing.load_for_edit(session, project_id, member)
        data = loaded.doc.model_dump(mode="json") | {"municipality": "Nokia"}
        version = editing.save_edited(
            session,
            project_id,
            data,
            expected_version=loaded.version,
            known_attachments=set(),
            actor=member,
        )
        assert version > loaded.version
        assert ps.get_project_doc(session, project_id, actor=READER).municipality == "Nokia"


def _actor_reloaded(database: Database, actor: Actor) -> Actor:
    with database.session() as session:
        user = session.get(User, actor.user_id)
        assert user is not None
        return Actor.of(user)


def test_stale_version_is_a_conflict_naming_the_change(database: Database, project_id: int) -> None:
    admin = _actor(database, "admin", "admin")
    with database.session() as session:
        loaded = editing.load_for_edit(session, project_id, admin)
        first = loaded.doc.model_dump(mode="json") | {"municipality": "Nokia"}
        editing.save_edited(
            session,
            project_id,
            first,
            expected_version=loaded.version,
            known_attachments=set(),
            actor=admin,
        )
    with database.session() as session:
        second = loaded.doc.model_dump(mode="json") | {"municipality": "Ylöjärvi"}
        with pytest.raises(ConflictError) as caught:
            editing.save_edited(
                session,
                project_id,
                second,
                expected_version=loaded.version,
                known_attachments=set(),
                actor=admin,
            )
        assert ("municipality", "Tampere", "Nokia") in caught.value.info.changes
        assert caught.value.info.changed_by == "admin"
        assert ps.get_project_doc(session, project_id, actor=READER).municipality == "Nokia"


def test_saving_keeps_attachments_added_by_others(
    database: Database, project_id: int, tmp_path: Path
) -> None:
    admin = _actor(database, "admin", "admin")
    with database.session() as session:
        loaded = editing.load_for_edit(session, project_id, admin)
        mine = editing.add_attachment(
            session,
            project_id,
            filename="oma.pdf",
            data=PDF,
            attachments_dir=tmp_path,
            max_bytes=1000,
            actor=admin,
        )
        # Somebody else adds a file; the editor that loaded earlier does not know it.
        editing.add_attachment(
            session,
            project_id,
            filename="toisen.pdf",
            data=PDF + b"2",
            attachments_dir=tmp_path,
            max_bytes=1000,
            actor=admin,
        )
        mine.pop("id")
        data = loaded.doc.model_dump(mode="json") | {"attachments": [mine], "notes": "x"}
        editing.save_edited(
            session,
            project_id,
            data,
            expected_version=loaded.version,
            known_attachments={mine["key"]},
            actor=admin,
        )
        names = [
            a.filename for a in ps.get_project_doc(session, project_id, actor=READER).attachments
        ]
    assert names == ["oma.pdf", "toisen.pdf"]


def test_removing_a_known_attachment_removes_it(
    database: Database, project_id: int, tmp_path: Path
) -> None:
    admin = _actor(database, "admin", "admin")
    with database.session() as session:
        entry = editing.add_attachment(
            session,
            project_id,
            filename="pois.pdf",
            data=PDF,
            attachments_dir=tmp_path,
            max_bytes=1000,
            actor=admin,
        )
        loaded = editing.load_for_edit(session, project_id, admin)
        assert editing.attachment_ids(session, project_id, actor=READER) == {
            entry["key"]: entry["id"]
        }
        data = loaded.doc.model_dump(mode="json") | {"attachments": []}
        editing.save_edited(
            session,
            project_id,
            data,
            expected_version=loaded.version,
            known_attachments={entry["key"]},
            actor=admin,
        )
        assert ps.get_project_doc(session, project_id, actor=READER).attachments == []


def test_viewer_may_not_add_attachments(
    database: Database, project_id: int, tmp_path: Path
) -> None:
    viewer = _actor(database, "ville", "viewer")
    with database.session() as session, pytest.raises(Forbidden):
        editing.add_attachment(
            session,
            project_id,
            filename="a.pdf",
            data=PDF,
            attachments_dir=tmp_path,
            max_bytes=1000,
            actor=viewer,
        )
