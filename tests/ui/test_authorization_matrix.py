"""Who may open which page: one table, every page route × every kind of user.

The rules (README, "The web application" → Roles; ``evaus/services/access.py``):
admin everything; manager reads everything, creates projects and edits the projects in whose
team they are; viewer reads everything and edits nothing; anonymous → the login page.

"manager-this" is maija on the SoKu project (she is in its team), "manager-other" is maija on
the Oulu project (she is not). Routes without a project are the same for both manager columns.
The README's "Authorization matrix" shows this table; keep the two in step.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from fastapi.routing import APIRoute
from nicegui import ui
from nicegui.testing import User
from sqlalchemy import select
from sqlalchemy.orm import Session

from evaus.db import open_database
from evaus.i18n import format_message
from evaus.services import editing
from evaus.services.access import Actor, Forbidden, require_edit
from evaus.ui import auth_pages
from evaus.ui.app import page_routers
from project_db.assessment_models import Assessment
from project_db.engine import sqlite_url
from project_db.models import Project
from project_db.models import User as UserRow
from tests.ui.conftest import PASSWORDS

ALLOWED, REFUSED, LOGIN = "allowed", "refused", "login"
NO_ACCESS = "Sinulla ei ole oikeutta nähdä tätä sivua."
SIGN_IN, SIGN_OUT = "Kirjaudu sisään", "Kirjaudu ulos"

A, R, L = ALLOWED, REFUSED, LOGIN


class Row(NamedTuple):
    route: str  # {project}: SoKu (Oulu for manager-other); {assessment}: the Hanska assessment
    anonymous: str
    viewer: str
    manager_other: str
    manager_this: str
    admin: str
    heading: str  # the page's <h1> (English message id; {name} = the project, {title} = assessment)


# A manager's front page is their own work; the others see the registry's figures.
MANAGER_FRONT_PAGE = "My work"

# fmt: off
COMPARE = "Changes from version {old} to version {new}"
MATRIX: list[Row] = [
    #   route                                   anon/viewer/m-other/m-this/admin, heading
    Row("/",                                    L, A, A, A, A, "Project registry"),
    Row("/projects",                            L, A, A, A, A, "Projects"),
    Row("/projects/new",                        L, R, A, A, A, "New project"),
    Row("/projects/{project}",                  L, A, A, A, A, "{name}"),
    Row("/projects/{project}/edit",             L, R, R, A, A, "Editing: {name}"),
    Row("/projects/{project}/history",          L, A, A, A, A, "Change history"),
    Row("/projects/{project}/reports",          L, A, A, A, A, "Reports"),
    Row("/deadlines",                           L, A, A, A, A, "Deadlines"),
    Row("/portfolio",                           L, A, A, A, A, "Portfolio view"),
    Row("/profile/notifications",               L, A, A, A, A, "Notification settings"),
    Row("/assessments",                         L, A, A, A, A, "Impact assessments"),
    Row("/assessments/new",                     L, R, A, A, A, "New assessment"),
    Row("/assessments/{assessment}",            L, A, A, A, A, "{title}"),
    Row("/assessments/{assessment}/matrix",     L, A, A, A, A, "Impact matrix"),
    Row("/assessments/{assessment}/ex-post",    L, A, A, A, A, "Ex-post evaluation"),
    Row("/assessments/{assessment}/facilitator", L, A, A, A, A, "Facilitator view"),
    Row("/assessments/{assessment}/compare/{assessment}", L, A, A, A, A, COMPARE),
    Row("/admin",                               L, R, R, R, A, "Administration"),
    Row("/admin/users",                         L, R, R, R, A, "Users"),
    Row("/admin/tokens",                        L, R, R, R, A, "API tokens"),
    Row("/admin/codes",                         L, R, R, R, A, "Code lists"),
    Row("/admin/organisations",                 L, R, R, R, A, "Organisations"),
    Row("/admin/calendar",                      L, R, R, R, A, "Reporting calendar"),
    Row("/admin/import",                        L, R, R, R, A, "Import"),
    Row("/admin/export",                        L, R, R, R, A, "Export"),
    Row("/admin/people",                        L, R, R, R, A, "Personal data"),
    Row("/admin/indicators",                    L, R, R, R, A, "Indicator catalogue"),
    Row("/admin/reports/batch",                 L, R, R, R, A, "Reports for many projects"),
    Row("/admin/templates",                     L, R, R, R, A, "Report templates"),
]
# fmt: on

# column → (username or None, which project {project} stands for)
WHO = {
    "anonymous": (None, "SoKu"),
    "viewer": ("ville", "SoKu"),
    "manager_other": ("maija", "Oulu"),
    "manager_this": ("maija", "SoKu"),
    "admin": ("admin", "SoKu"),
}


def test_matrix_covers_every_page_route() -> None:
    """A new page (any router the application includes) without a row here fails this test."""
    sign_in = {route.path for route in auth_pages.router.routes if isinstance(route, APIRoute)}
    declared = {
        route.path.replace(":int", "")
        for router in page_routers()
        for route in router.routes
        if isinstance(route, APIRoute) and route.path not in sign_in
    }
    table = {
        row.route.replace("{project}", "{project_id}")
        .replace("{assessment}/compare/{assessment}", "{assessment_id}/compare/{other_id}")
        .replace("{assessment}", "{assessment_id}")
        for row in MATRIX
    }
    assert declared == table, (sorted(declared - table), sorted(table - declared))


class Ids(NamedTuple):
    projects: dict[str, int]
    names: dict[str, str]
    assessment: int
    assessment_title: str


def _ids(data_dir: Path) -> Ids:
    database = open_database(url=sqlite_url(data_dir))
    try:
        with database.session("test") as session:
            soku = session.scalars(select(Project).where(Project.eura_code == "S20397")).one()
            oulu = session.scalars(select(Project).where(Project.municipality == "Oulu")).one()
            hanska = session.scalars(
                select(Assessment).where(Assessment.key == "demo-eva-hanska-v1")
            ).one()
            return Ids(
                {"SoKu": soku.id, "Oulu": oulu.id},
                {"SoKu": soku.name, "Oulu": oulu.name},
                hanska.id,
                hanska.title,
            )
    finally:
        database.engine.dispose()


async def sign_in(user: User, username: str) -> None:
    await user.open("/login")
    user.find("Käyttäjätunnus").type(username)
    user.find("Salasana").type(PASSWORDS[username])
    user.find(kind=ui.button, content=SIGN_IN).click()
    await user.should_see(SIGN_OUT, retries=40)


async def _check(user: User, path: str, expected: str, heading: str) -> None:
    await user.open(path)
    if expected == LOGIN:
        await user.should_see(kind=ui.button, content=SIGN_IN)
        await user.should_not_see(SIGN_OUT)
        await user.should_not_see(NO_ACCESS)
        return
    await user.should_not_see(kind=ui.button, content=SIGN_IN)
    if expected == REFUSED:
        await user.should_see(NO_ACCESS)
        return
    await user.should_see(kind=ui.button, content=SIGN_OUT)
    await user.should_not_see(NO_ACCESS)
    await user.should_see(heading)


# One simulated user per column, walking every row: each `user` fixture re-runs the app's
# startup, and NiceGUI nests the routers' lifespans once per run (a RecursionError after ~35
# `user` tests in one process), so the matrix must not cost one `user` test per cell.
@pytest.mark.parametrize("column", list(WHO))
async def test_page_rights(user: User, data_dir: Path, column: str) -> None:
    ids = _ids(data_dir)
    username, which = WHO[column]
    if username is not None:
        await sign_in(user, username)
    wrong: list[str] = []
    for row in MATRIX:
        expected = getattr(row, column)
        path = row.route.format(project=ids.projects[which], assessment=ids.assessment)
        wanted = MANAGER_FRONT_PAGE if row.route == "/" and column.startswith("manager") else None
        heading = format_message(
            wanted or row.heading,
            "fi",
            name=ids.names[which],
            title=ids.assessment_title,
            old=1,
            new=1,
        )
        try:
            await _check(user, path, expected, heading)
        except AssertionError as error:
            first = str(error).splitlines()[0] if str(error) else ""
            wrong.append(f"{row.route} ({path}): expected {expected}: {first}")
    assert not wrong, "\n".join(wrong)


def test_manager_columns_agree_without_a_project() -> None:
    """Without {project} in the route "manager of this/another project" is the same user."""
    for row in MATRIX:
        if "{project}" not in row.route:
            assert row.manager_other == row.manager_this, row.route


# --- event handlers that change data: the viewer ---------------------------------------------


async def test_viewer_has_no_edit_button_and_edit_page_refuses(user: User, data_dir: Path) -> None:
    soku = _ids(data_dir).projects["SoKu"]
    await sign_in(user, "ville")
    await user.open(f"/projects/{soku}")
    await user.should_see(kind=ui.button, content=SIGN_OUT)
    await user.should_not_see(kind=ui.button, content="Muokkaa")
    await user.open(f"/projects/{soku}/edit")
    await user.should_see(NO_ACCESS)
    await user.should_not_see(kind=ui.button, content="Tallenna")


async def test_team_manager_has_the_edit_button(user: User, data_dir: Path) -> None:
    soku = _ids(data_dir).projects["SoKu"]
    await sign_in(user, "maija")
    await user.open(f"/projects/{soku}")
    await user.should_see(kind=ui.button, content="Muokkaa")


def _actor(session: Session, username: str) -> Actor:
    return Actor.of(session.scalars(select(UserRow).where(UserRow.username == username)).one())


@pytest.mark.parametrize(
    ("username", "project", "may_edit"),
    [
        ("ville", "SoKu", False),
        ("ville", "Oulu", False),
        ("maija", "SoKu", True),
        ("maija", "Oulu", False),
        ("admin", "SoKu", True),
        ("admin", "Oulu", True),
    ],
)
def test_editing_services_check_the_right(
    data_dir: Path, username: str, project: str, may_edit: bool
) -> None:
    """What the pages' save handlers call: the refusal comes from the server, not the buttons."""
    ids = _ids(data_dir)
    project_id = ids.projects[project]
    database = open_database(url=sqlite_url(data_dir))
    try:
        with database.session(username) as session:
            actor = _actor(session, username)
            if not may_edit:
                with pytest.raises(Forbidden):
                    require_edit(session, actor, project_id)
                with pytest.raises(Forbidden):
                    editing.load_for_edit(session, project_id, actor)
                before = session.get(Project, project_id)
                assert before is not None
                version = before.version
                with pytest.raises(Forbidden):
                    editing.save_edited(
                        session,
                        project_id,
                        {"name": "Ei saa tallentua"},
                        expected_version=version,
                        known_attachments=set(),
                        actor=actor,
                    )
                session.rollback()
                after = session.get(Project, project_id)
                assert after is not None
                assert after.name == ids.names[project]
                assert after.version == version
            else:
                require_edit(session, actor, project_id)
                loaded = editing.load_for_edit(session, project_id, actor)
                assert loaded.name == ids.names[project]
    finally:
        database.engine.dispose()
