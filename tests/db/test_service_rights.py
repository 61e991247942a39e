"""Rights live in the services: every service that changes data takes the signed-in ``Actor``
and checks it, so a page, an API route or a command that calls it cannot forget the check.

The first test reads every service module; the matrix calls the key services directly as a
viewer, a manager outside the project's team, a manager in it and an administrator — on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import evaus.services
from evaus.db import Database
from evaus.reports.templating import shipped_template
from evaus.services import (
    attachments,
    codelists,
    comments,
    history,
    projects,
    registry_io,
    reports,
    stats,
    users,
)
from evaus.services.access import Actor, Forbidden, local_admin
from project_db.base import Base
from project_db.models import Attachment, AuditEntry, Project, ReportArchive, ReportTemplate, User

# Public service functions without an ``actor: Actor`` parameter that touch no database (the
# detector below agrees), each with the reason.
NO_DATABASE = {
    "access.local_admin": "builds an Actor, reads nothing",
    "assessments.check_codes": "checks a document in memory against its framework",
    "assessments.new_version_from": "builds a document in memory",
    "assessments.impact_edit": "builds a typed edit in memory",
    "assessments.part_edit": "builds a typed edit in memory",
    "attachments.storage_path": "a path computed from a checksum",
    "history.change_count": "formats a number",
    "indicator_catalogue.parse_catalogue_file": "parses an uploaded file in memory",
    "projects.is_write_race": "classifies an exception",
    "projects.validate_doc": "validates a document in memory",
    "registry_io.describe_omitted": "formats a list in memory",
    "registry_io.omitted_labels": "formats a list in memory",
    "reports.data_hash": "a checksum in memory",
    "reports.describe_missing": "formats a list in memory",
    "reports.kind_for": "looks up a report kind",
    "reports.missing_data": "checks a document in memory",
    "reports.project_funders": "reads a document in memory",
    "reports.render_prepared": "renders prepared data in memory, stores nothing",
    "reports.report_version": "picks from a list in memory",
    "reports.today": "the date",
    "reminders.compose": "formats an e-mail's text and HTML in memory",
}

# Rows a checked service has read already, formatted in memory.
ROWS_ALREADY_READ = {
    "codelists.label": "the label of a code item in the user's language",
    "period_locks.check_period_locks": "inside project writes that checked the actor",
    "users.verify_password": "checks the hash of a user row in memory",
}

# Reads before anybody has signed in, each with the reason.
READS_BEFORE_SIGN_IN = {
    "access.load_actor": "reads the signed-in user to build the Actor",
    "users.count_users": "whether the first-run page is shown: nobody can sign in yet",
}

# Writes that happen before there is anybody to ask, each with the reason.
WRITES_WITHOUT_ACTOR = {
    "assessment_frameworks.ensure_builtin_frameworks": "the application's own start-up seeding",
    "codelists.ensure_default_codes": "the application's own start-up seeding",
    "startup.open_registry": "opens and prepares the database at start-up, as the application",
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
            defined = function.__module__
            if not name.startswith("_") and (
                defined == module.__name__ or defined.startswith(f"{module.__name__}.")
            ):
                found.append((f"{module_info.name}.{name}", function))
    return found


def _takes_actor(function: Callable[..., Any]) -> bool:
    parameter = inspect.signature(function).parameters.get("actor")
    return parameter is not None and parameter.annotation in (Actor, "Actor")


# What the database is reached through: a session (or the Database that opens one), a query
# being built, a stored row's class, or the session methods that read and write.
_DATABASE_NAMES = {"Session", "Database", "select", "Select", "insert", "update", "delete"}
_SESSION_METHODS = {"session", "execute", "scalar", "scalars", "get", "add", "flush", "commit"}


def _is_session(receiver: str) -> bool:
    """``session``, ``db_session``, ``db``, ``self.session``: what a session is called here."""
    last = receiver.rsplit(".", 1)[-1]
    return "session" in last or last == "db"


def _database_access(function: Callable[..., Any]) -> set[str]:
    """How the function reaches the database, read from its source (signature and body): the
    names above, any mapped model class (a row passed in or queried) and calls of the session
    methods on something named a session (``session``, ``db``). A function reaches the database
    only through one of these, so an empty set means it works in memory. Names in strings and
    docstrings do not count."""
    mapped = {mapper.class_.__name__ for mapper in Base.registry.mappers}
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in _DATABASE_NAMES | mapped:
            found.add(node.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = ast.unparse(node.func.value)
            if node.func.attr in _SESSION_METHODS and _is_session(receiver):
                found.add(f".{node.func.attr}()")
    # Annotations are strings (``from __future__ import annotations``): read them as code.
    for parameter in inspect.signature(function).parameters.values():
        if isinstance(parameter.annotation, str):
            for node in ast.walk(ast.parse(parameter.annotation, mode="eval")):
                if isinstance(node, ast.Name) and node.id in _DATABASE_NAMES | mapped:
                    found.add(node.id)
    return found


def test_every_service_that_reads_or_changes_data_takes_the_actor() -> None:
    functions = _public_functions()
    assert len(functions) > 100  # the walk really found the service modules
    excused = READS_BEFORE_SIGN_IN | WRITES_WITHOUT_ACTOR | ROWS_ALREADY_READ
    reaching = {name: sorted(_database_access(f)) for name, f in functions if not _takes_actor(f)}
    unchecked = {n: how for n, how in reaching.items() if how and n not in excused}
    assert unchecked == {}, (
        "These public services reach the database without an `actor: Actor`; take the Actor "
        f"and check it (access.require_read for reading): {unchecked}"
    )
    unlisted = sorted(n for n, how in reaching.items() if not how and n not in NO_DATABASE)
    assert unlisted == [], f"Take the Actor, or list in NO_DATABASE with the reason: {unlisted}"
    not_in_memory = sorted(n for n in NO_DATABASE if reaching.get(n))
    assert not_in_memory == [], f"Listed in NO_DATABASE but reach the database: {not_in_memory}"
    allowed = NO_DATABASE | excused
    stale = sorted(set(allowed) - {name for name, _f in functions})
    assert stale == [], f"Listed but gone: {stale}"
    listed_but_checked = sorted(
        name for name, f in functions if name in allowed and _takes_actor(f)
    )
    assert listed_but_checked == [], f"Take the Actor, drop from the lists: {listed_but_checked}"


def test_the_detector_sees_database_access() -> None:
    """The detector itself: a session parameter, a query, a row, a session call."""

    def reads(session: Session, key: str) -> object:
        return session.scalar(select(Project).where(Project.key == key))

    def row_in(project: Project) -> str:
        return project.name

    def fetches(db: Any) -> object:
        return db.get(User, 1)

    def in_memory(items: list[str], lang: str) -> str:
        """Session and select named in a docstring only."""
        return ", ".join(sorted(items)) + lang

    assert {"Session", "select", "Project", ".scalar()"} <= _database_access(reads)
    assert _database_access(row_in) == {"Project"}
    assert {"User", ".get()"} <= _database_access(fetches)
    assert _database_access(in_memory) == set()


# Services (a module, or every module of a package) that still build SQL statements or run
# them on the session themselves, each with the reason. Every other service composes the data
# layer's reads and writes (project_db), checks the rights and owns the transaction.
BUILDS_SQL = {
    "access": "the rights check's team-membership lookup, asked for on every edit",
    "reports": "the report archive, template and preparation reads, not yet in the data layer",
}
# What builds a statement, and what runs one on a session.
_STATEMENT_BUILDERS = {
    "select", "update", "delete", "insert", "text", "exists", "union", "union_all", "table",
    "Select",
}  # fmt: skip
_STATEMENT_RUNNERS = {"execute", "scalar", "scalars", "query"}


def _allowed_sqlalchemy_import(module: str, name: str) -> bool:
    """A session, the errors a write raises, and ``Select`` as a type: nothing that builds."""
    if module in ("sqlalchemy.exc", "sqlalchemy.orm.exc"):
        return True
    return (module, name) in {("sqlalchemy.orm", "Session"), ("sqlalchemy", "Select")}


def _sql_built(source: str) -> list[str]:
    """How a module's source builds or runs SQL: imports of statement builders from
    SQLAlchemy, calls of them, and statements run on something named a session."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "sqlalchemy"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            module = node.module or ""
            found += [
                f"import {a.name}"
                for a in node.names
                if not _allowed_sqlalchemy_import(module, a.name)
            ]
        elif isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name) and function.id in _STATEMENT_BUILDERS:
                found.append(f"{function.id}()")
            elif (
                isinstance(function, ast.Attribute)
                and function.attr in _STATEMENT_RUNNERS
                and _is_session(ast.unparse(function.value))
            ):
                found.append(f".{function.attr}()")
    return sorted(set(found))


def _service_files() -> dict[str, Path]:
    """``projects.py``, ``reports/archive.py`` … → the file."""
    root = Path(evaus.services.__file__).resolve().parent
    return {path.relative_to(root).as_posix(): path for path in sorted(root.rglob("*.py"))}


def _service_of(file_name: str) -> str:
    """The service a file is: its module, or the package it is in."""
    return file_name.split("/", maxsplit=1)[0].removesuffix(".py")


def test_services_build_no_sql() -> None:
    """Listing, searching, loading and counting are the data layer's: a service asks
    ``project_db`` for rows and never builds a statement or runs one itself."""
    files = _service_files()
    assert "projects.py" in files and len(files) > 15  # the walk really found the services
    built = {name: _sql_built(path.read_text(encoding="utf-8")) for name, path in files.items()}
    offenders = {
        name: how for name, how in built.items() if how and _service_of(name) not in BUILDS_SQL
    }
    assert offenders == {}, f"Move these queries to project_db: {offenders}"
    building = {_service_of(name) for name, how in built.items() if how}
    needless = sorted(set(BUILDS_SQL) - building)
    assert needless == [], f"Build no SQL (or are gone): drop from BUILDS_SQL: {needless}"


# The services whose queries moved to the data layer: none of them imports a statement builder.
CONVERTED = (
    "assessment_frameworks", "attachments", "auth", "codelist_admin", "codelists", "comments",
    "editing",
    "history", "my_work", "period_review", "personal_data", "projects", "registry_io", "similar",
    "stats", "tokens", "users",
)  # fmt: skip


@pytest.mark.parametrize("name", CONVERTED)
def test_converted_services_import_no_statement_builders(name: str) -> None:
    module = importlib.import_module(f"evaus.services.{name}")
    for builder in ("select", "update", "delete", "insert"):
        assert not hasattr(module, builder), f"{name} imports {builder}"
    assert _sql_built(inspect.getsource(module)) == []


def test_the_sql_detector_sees_statements() -> None:
    """The detector itself: an import of a builder, a call of one, a statement run."""
    source = textwrap.dedent(
        """
        from sqlalchemy import func, select
        from sqlalchemy.orm import Session
        from sqlalchemy.exc import DBAPIError

        def reads(session: Session) -> object:
            session.execute(query)
            return select(Project).where(Project.id == 1)
        """
    )
    assert _sql_built(source) == [".execute()", "import func", "import select", "select()"]
    assert _sql_built("from sqlalchemy.orm import Session\nsession.get(Project, 1)\n") == []


def test_pages_api_and_commands_use_only_public_services() -> None:
    """Private service helpers skip the Actor (callers inside the services checked it): no
    page, API route or command imports one, nor builds a query or commits itself."""
    root = Path(evaus.services.__file__).resolve().parents[1]
    offenders = []
    commands = sorted((root / "cli").rglob("*.py"))
    for path in [root / "api.py", *commands, *sorted((root / "ui").rglob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and "services" in (node.module or ""):
                offenders += [f"{path.name}: {a.name}" for a in node.names if a.name[0] == "_"]
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
                offenders += [f"{path.name}: {a.name}" for a in node.names if a.name != "Session"]
            if isinstance(node, ast.Attribute) and node.attr == "commit":
                offenders.append(f"{path.name}: .commit")
    assert offenders == []


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
    doc = projects.get_project_doc(session, world.project_id, actor=actor).model_dump(mode="json")
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


def _add_comment(session: Session, world: World, actor: Actor) -> None:
    target = comments.Target(comments.PROJECT, world.project_id, "goals")
    comments.add_comment(session, target, f"Kommentti {actor.username}", actor=actor)


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
    # Comments: managers (in the team or not) and administrators (and reviewers); viewers read.
    "add_comment": (_add_comment, {"manager-other", "manager-this", "admin"}),
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


# --- reading and exporting --------------------------------------------------------------------

READS: dict[str, Callable[[Session, World, Actor], object]] = {
    "get_project_doc": lambda s, w, a: projects.get_project_doc(s, w.project_id, actor=a),
    "list_projects": lambda s, w, a: projects.list_projects(s, projects.ProjectQuery(), actor=a),
    "readable_history": lambda s, w, a: history.readable_history(s, w.project_id, "fi", actor=a),
    "codelists.labels": lambda s, w, a: codelists.labels(s, "status", "fi", actor=a),
    "list_archive": lambda s, w, a: reports.list_archive(s, actor=a),
    "registry_stats": lambda s, w, a: stats.registry_stats(s, actor=a),
    "comments": lambda s, w, a: comments.list_threads(
        s, comments.Target(comments.PROJECT, w.project_id), actor=a
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("read", list(READS))
def test_every_role_reads_through_the_services(world: World, read: str, role: str) -> None:
    before = world.state()
    with world.database.session(role) as session:
        assert READS[read](session, world, world.actors[role]) is not None
    assert world.state() == before


@pytest.mark.parametrize("read", list(READS))
def test_nobody_signed_in_reads_nothing(world: World, read: str) -> None:
    """No Actor, or one of no known role (an account whose role was taken away): Forbidden."""
    stranger = Actor(user_id=99, username="vieras", role="guest", person_id=None, language="fi")
    with world.database.session() as session:
        for nobody in (None, stranger):
            with pytest.raises(Forbidden):
                READS[read](session, world, nobody)  # type: ignore[arg-type]


EXPORTS = {
    "json": registry_io.export_json,
    "csv": registry_io.export_csv_zip,
    "xlsx": registry_io.export_xlsx,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", list(EXPORTS))
def test_only_an_administrator_exports_the_registry(world: World, kind: str, role: str) -> None:
    with world.database.session(role) as session:
        if role == "admin":
            data = EXPORTS[kind](session, actor=world.actors[role])
            assert len(data) > 100
            if kind == "json":
                assert "Oma hanke" in data.decode("utf-8")
        else:
            with pytest.raises(Forbidden):
                EXPORTS[kind](session, actor=world.actors[role])
