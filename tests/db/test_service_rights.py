"""Rights live in the services: every service that changes data takes the signed-in ``Actor``
and checks it, so a page, an API route or a command that calls it cannot forget the check.

The first test reads every service module; the matrix calls the key services directly as a
viewer, a manager outside the project's team, a manager in it and an administrator — on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import evaus.services
from evaus.db import Database
from evaus.reports.templating import shipped_template
from evaus.services import attachments, projects, registry_io, reports, users
from evaus.services.access import Actor, Forbidden, local_admin
from project_db.models import Attachment, AuditEntry, Project, ReportArchive, ReportTemplate, User

# Public service functions without an ``actor: Actor`` parameter, each with the reason.
READS_ONLY = {
    "access.load_actor": "reads the signed-in user to build the Actor",
    "access.local_admin": "builds an Actor, reads nothing",
    "assessment_frameworks.get_framework": "framework definitions: everybody reads them",
    "assessment_frameworks.latest_version": "framework definitions: everybody reads them",
    "assessment_frameworks.list_frameworks": "framework definitions: everybody reads them",
    "assessments.assessment_history": "reading: every role reads everything",
    "assessments.assessment_progress": "reading: every role reads everything",
    "assessments.check_assessment": "reading: every role reads everything",
    "assessments.check_codes": "checks a document in memory",
    "assessments.compare_versions": "reading: every role reads everything",
    "assessments.comparison": "reading: every role reads everything",
    "assessments.ex_post_comparison": "reading: every role reads everything",
    "assessments.framework_of": "reading: every role reads everything",
    "assessments.list_assessments": "reading: every role reads everything",
    "assessments.list_versions": "reading: every role reads everything",
    "assessments.new_version_from": "builds a document in memory",
    "attachments.read_attachment": "reading: every role reads everything",
    "attachments.storage_path": "a path computed from a checksum",
    "auth.needs_first_admin": "counts the users",
    "codelist_admin.code_usage": "reading: every role reads everything",
    "codelists.check_codes": "checks a document against the code lists",
    "codelists.codes": "reading: every role reads everything",
    "codelists.known_codes": "reading: every role reads everything",
    "codelists.label": "formats a code in memory",
    "codelists.labels": "reading: every role reads everything",
    "editing.attachment_ids": "reading: every role reads everything",
    "history.change_count": "formats a number",
    "history.history_page": "reading: every role reads everything",
    "history.project_history": "reading: every role reads everything",
    "history.readable_history": "reading: every role reads everything",
    "my_work.next_period": "computes a date in memory",
    "personal_data.find_person": "resolves a reference; export and erasure check the Actor",
    "projects.conflict_info": "reading: what another writer changed",
    "projects.conflict_with_stored": "reading: builds the conflict of a failed write",
    "projects.effective_sort": "computes a sort order in memory",
    "projects.find_project": "reading: every role reads everything",
    "projects.get_project": "reading: every role reads everything",
    "projects.get_project_doc": "reading: every role reads everything",
    "projects.is_write_race": "classifies an exception",
    "projects.list_projects": "reading: every role reads everything",
    "projects.resolve_codes": "reading: every role reads everything",
    "projects.text_match": "reading: every role reads everything",
    "projects.validate_doc": "validates a document in memory",
    "projects.write_race_is_conflict": "turns a failed write into a conflict; the caller writes",
    "registry_io.describe_omitted": "formats a list in memory",
    "registry_io.export_csv_zip": "reading; exports are offered to administrators by the caller",
    "registry_io.export_json": "reading; exports are offered to administrators by the caller",
    "registry_io.export_registry": "reading; exports are offered to administrators by the caller",
    "registry_io.export_xlsx": "reading; exports are offered to administrators by the caller",
    "registry_io.omitted_labels": "formats a list in memory",
    "reports.active_template": "reading: every role reads everything",
    "reports.assessment_choices": "reading: every role reads everything",
    "reports.data_hash": "a checksum in memory",
    "reports.describe_missing": "formats a list in memory",
    "reports.download_archived": "every signed-in user may download reports",
    "reports.find_report_project": "reading: every role reads everything",
    "reports.kind_for": "looks up a report kind",
    "reports.list_archive": "every signed-in user may download reports",
    "reports.missing_data": "reading: every role reads everything",
    "reports.prepare_report": "reading: builds a report context, stores nothing",
    "reports.project_assessment": "reading: every role reads everything",
    "reports.project_funders": "reads a document in memory",
    "reports.render_prepared": "renders in memory, stores nothing",
    "reports.report_labels": "reading: every role reads everything",
    "reports.report_version": "picks from a list in memory",
    "reports.report_warnings": "reading: every role reads everything",
    "reports.select_projects": "reading: every role reads everything",
    "reports.status_codes": "reading: every role reads everything",
    "reports.template_bytes": "reading: every role reads everything",
    "reports.template_history": "reading: every role reads everything",
    "reports.today": "the date",
    "similar.similar_projects": "reading: every role reads everything",
    "stats.registry_stats": "reading: every role reads everything",
    "stats.theme_names": "reading: every role reads everything",
    "users.count_users": "counts the users",
    "users.verify_password": "checks a hash in memory",
}

# Writes that happen before there is anybody to ask, each with the reason.
WRITES_WITHOUT_ACTOR = {
    "assessment_frameworks.ensure_builtin_frameworks": "the application's own start-up seeding",
    "codelists.ensure_default_codes": "the application's own start-up seeding",
    "auth.authenticate": "signing in: counts failed attempts before there is an Actor",
    "auth.create_first_admin": "first run only: refuses once any user exists",
    "users.add_user": "the account row for create_user (checks) and create_first_admin only",
    "users.person_for_user": "a step inside create_project_for, which checks and commits",
    "tokens.actor_for_token": "signing in with a token: notes its use before there is an Actor",
}


def _public_functions() -> list[tuple[str, Callable[..., Any]]]:
    found = []
    for module_info in pkgutil.iter_modules(evaus.services.__path__):
        module = importlib.import_module(f"evaus.services.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__:
                found.append((f"{module_info.name}.{name}", function))
    return found


def _takes_actor(function: Callable[..., Any]) -> bool:
    parameter = inspect.signature(function).parameters.get("actor")
    return parameter is not None and parameter.annotation in (Actor, "Actor")


def test_every_service_that_changes_data_takes_the_actor() -> None:
    functions = _public_functions()
    assert len(functions) > 100  # the walk really found the service modules
    allowed = READS_ONLY | WRITES_WITHOUT_ACTOR
    unchecked = [name for name, f in functions if not _takes_actor(f) and name not in allowed]
    assert unchecked == [], (
        "These public services take no `actor: Actor`; check the rights in them, or, if they "
        f"only read, list them in READS_ONLY with the reason: {unchecked}"
    )
    stale = sorted(set(allowed) - {name for name, _f in functions})
    assert stale == [], f"Listed but gone: {stale}"
    listed_but_checked = sorted(
        name for name, f in functions if name in allowed and _takes_actor(f)
    )
    assert listed_but_checked == [], f"Take the Actor, drop from the lists: {listed_but_checked}"


# --- the matrix -----------------------------------------------------------------------------

ROLES = ["viewer", "manager-other", "manager-this", "admin"]


class World:
    def __init__(self, database: Database, tmp_path: Path) -> None:
        self.database = database
        self.attachments_dir = tmp_path / "attachments"
        setup = local_admin("setup")
        with database.session("setup") as session:
            self.actors: dict[str, Actor] = {}
            for role, stored_role in (
                ("viewer", "viewer"),
                ("manager-other", "manager"),
                ("manager-this", "manager"),
                ("admin", "admin"),
            ):
                user = users.create_user(
                    session,
                    role,
                    role=stored_role,
                    password=f"{role}-salasana-1",
                    actor=setup,
                )
                self.actors[role] = Actor.of(user)
            # A manager who creates a project joins its team.
            project = projects.create_project_for(
                session, {"name": "Oma hanke"}, actor=self.actors["manager-this"]
            )
            self.project_id = project.id
        with database.session("setup") as session:  # the Actor with the person of the team
            user = session.scalars(select(User).where(User.username == "manager-this")).one()
            self.actors["manager-this"] = Actor.of(user)

    def state(self) -> tuple[Any, ...]:
        """Everything the services below may change, to show a refusal changed nothing."""
        with self.database.session() as session:
            project = session.get(Project, self.project_id)
            return (
                project.name if project else None,
                project.version if project else None,
                session.scalar(select(func.count()).select_from(Project)),
                session.scalar(select(func.count()).select_from(Attachment)),
                session.scalar(select(func.count()).select_from(ReportArchive)),
                session.scalar(select(func.count()).select_from(ReportTemplate)),
                session.scalar(select(func.count()).select_from(User)),
                session.scalar(select(func.count()).select_from(AuditEntry)),
            )


@pytest.fixture
def world(database: Database, tmp_path: Path) -> World:
    return World(database, tmp_path)


def _save_project_doc(session: Session, world: World, actor: Actor) -> None:
    doc = projects.get_project_doc(session, world.project_id).model_dump(mode="json")
    doc["name"] = f"Tallentanut {actor.username}"
    projects.save_project_doc(session, world.project_id, doc, expected_version=None, actor=actor)


def _update_project(session: Session, world: World, actor: Actor) -> None:
    projects.update_project(
        session, world.project_id, {"summary": "Uusi"}, expected_version=None, actor=actor
    )


def _delete_project(session: Session, world: World, actor: Actor) -> None:
    projects.delete_project(session, world.project_id, expected_version=None, actor=actor)


def _create_project(session: Session, world: World, actor: Actor) -> None:
    projects.create_project(session, {"name": f"Uusi {actor.username}"}, actor=actor)


def _import_source(session: Session, world: World, actor: Actor) -> None:
    data = json.dumps({"projects": [{"name": "Tuotu hanke"}]}).encode()
    registry_io.import_source(session, data, actor=actor)


def _upload_attachment(session: Session, world: World, actor: Actor) -> None:
    attachments.add_attachment(
        session,
        world.project_id,
        filename="muistio.txt",
        data=b"Muistio",
        attachments_dir=world.attachments_dir,
        max_bytes=10_000,
        actor=actor,
    )


def _generate_report(session: Session, world: World, actor: Actor) -> None:
    reports.generate_report(session, world.project_id, "card", actor=actor)


def _upload_template(session: Session, world: World, actor: Actor) -> None:
    content = shipped_template("card", "fi")
    reports.upload_template(session, "card", "fi", content, note="uusi", actor=actor)


def _create_user(session: Session, world: World, actor: Actor) -> None:
    users.create_user(session, "uusi", role="viewer", password="uusi-salasana-1", actor=actor)


# Which roles may: every other role gets Forbidden.
SERVICES: dict[str, tuple[Callable[[Session, World, Actor], None], set[str]]] = {
    "save_project_doc": (_save_project_doc, {"manager-this", "admin"}),
    "update_project": (_update_project, {"manager-this", "admin"}),
    "upload attachment": (_upload_attachment, {"manager-this", "admin"}),
    "delete_project": (_delete_project, {"admin"}),
    "create_project": (_create_project, {"manager-other", "manager-this", "admin"}),
    "import_source": (_import_source, {"admin"}),
    "upload_template": (_upload_template, {"admin"}),
    "create_user": (_create_user, {"admin"}),
    "generate_report": (_generate_report, set(ROLES)),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("service", list(SERVICES))
def test_services_check_the_rights_themselves(world: World, service: str, role: str) -> None:
    call, allowed = SERVICES[service]
    actor = world.actors[role]
    before = world.state()
    with world.database.session(actor.username) as session:
        if role in allowed:
            call(session, world, actor)
        else:
            with pytest.raises(Forbidden):
                call(session, world, actor)
    after = world.state()
    if role in allowed:
        # The service committed: a fresh session sees the change.
        assert after != before
    else:
        assert after == before
