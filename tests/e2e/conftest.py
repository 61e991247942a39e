"""Real servers for the browser tests: `evaus serve` in a subprocess with its own data dir.

``app_server`` is shared by the tests of a session: the demo projects, three users
(admin, a manager in the SoKu project's team, a viewer) and an API token for each.
``fresh_server`` is an empty install for the first-run test.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import select

from evaus.demo import load_demo
from evaus.services import tokens
from evaus.services.access import Actor, local_admin
from evaus.services.startup import open_registry
from evaus.services.users import create_user, person_for_user
from project_db.engine import sqlite_url
from project_db.models import Project, ProjectPerson, User

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PASSWORDS = {
    "admin": "admin-salasana-1",
    "maija": "maija-salasana-1",
    "ville": "ville-salasana-1",
    "sanna": "sanna-lösenord-1",
}
ROLES = {"admin": "admin", "maija": "manager", "ville": "viewer", "sanna": "viewer"}
LANGUAGES = {"sanna": "sv"}  # a Swedish-speaking reader; the others use the default (fi)


@dataclass
class Server:
    url: str
    data_dir: Path
    tokens: dict[str, str] = field(default_factory=dict)
    project_ids: dict[str, int] = field(default_factory=dict)

    def api(self, username: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[username]}"} if username else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=20)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    # NiceGUI believes it runs inside its own test fixture when it sees PYTEST_* variables.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "EVAUS_"))}
    env.update(EVAUS_DATA_DIR=str(data_dir), **extra)
    return env


def serve(
    data_dir: Path, port: int, environment: dict[str, str] | None = None, *, seconds: float = 60
) -> subprocess.Popen[bytes]:
    """`evaus serve` on ``port`` for ``data_dir``, returned once it answers. Its output goes to
    ``data_dir/server.log``, appended: a restarted server's log follows the first one's."""
    log = (data_dir / "server.log").open("a")
    process = subprocess.Popen(
        [sys.executable, "-m", "evaus.cli", "serve", "--port", str(port)],
        env=environment or child_environment(data_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((data_dir / "server.log").read_text())
        try:
            if httpx.get(f"http://127.0.0.1:{port}/status", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)  # not up yet
    process.kill()
    raise RuntimeError("the server did not start: " + (data_dir / "server.log").read_text())


def _start(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    return serve(data_dir, port), f"http://127.0.0.1:{port}"


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def _prepare(data_dir: Path) -> Server:
    """Demo data, users and tokens written through the services before the server starts."""
    database = open_registry(url=sqlite_url(data_dir))
    server = Server(url="", data_dir=data_dir)
    with database.session("test-setup") as session:
        load_demo(session)
        for name, role in ROLES.items():
            create_user(
                session,
                name,
                role=role,
                password=PASSWORDS[name],
                display_name=name.capitalize(),
                language=LANGUAGES.get(name, "fi"),
                actor=local_admin("test-setup"),
            )
        admin = Actor.of(session.scalars(select(User).where(User.username == "admin")).one())
        for name in ROLES:
            user = session.scalars(select(User).where(User.username == name)).one()
            server.tokens[name] = tokens.create_token(session, user.id, "e2e", actor=admin)
        soku = session.scalars(select(Project).where(Project.eura_code == "S20397")).one()
        maija = session.scalars(select(User).where(User.username == "maija")).one()
        person = person_for_user(session, maija)
        soku.people.append(
            ProjectPerson(
                person=person, role="Projektisuunnittelija", is_team=True, position=len(soku.people)
            )
        )
        session.commit()
        for project in session.scalars(select(Project)):
            server.project_ids[project.short_name or project.name] = project.id
    database.engine.dispose()
    return server


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("app-data")
    server = _prepare(data_dir)
    process, server.url = _start(data_dir)
    yield server
    _stop(process)


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[Server]:
    process, url = _start(tmp_path)
    yield Server(url=url, data_dir=tmp_path)
    _stop(process)


def delete_project(server: Server, project_id: int) -> None:
    """Remove a project a test created: the other tests of the session count the demo data."""
    from evaus.services import projects

    database = open_registry(url=sqlite_url(server.data_dir))
    try:
        with database.session("e2e-cleanup") as session:
            projects.delete_project(
                session, project_id, expected_version=None, actor=local_admin("e2e-cleanup")
            )
    finally:
        database.engine.dispose()


def delete_assessment(server: Server, assessment_id: int) -> None:
    """Remove an assessment a test created (the other tests of the session list the demo's)."""
    from evaus.services import assessments

    database = open_registry(url=sqlite_url(server.data_dir))
    try:
        with database.session("e2e-cleanup") as session:
            assessments.delete_assessment(
                session, assessment_id, expected_version=None, actor=local_admin("e2e-cleanup")
            )
    finally:
        database.engine.dispose()


def empty_indicator_catalogue(server: Server) -> None:
    """Remove the catalogue entries a test imported (the demo data has none)."""
    from evaus.services import indicator_catalogue

    admin = local_admin("e2e-cleanup")
    database = open_registry(url=sqlite_url(server.data_dir))
    try:
        with database.session("e2e-cleanup") as session:
            for entry in indicator_catalogue.list_catalogue(session, actor=admin).entries:
                indicator_catalogue.delete_entry(session, entry.key, actor=admin)
    finally:
        database.engine.dispose()


@contextlib.contextmanager
def signed_in(
    browser: Browser, server: Server, *usernames: str, timeout: float = 30_000
) -> Iterator[list[Page]]:
    """A page for each user in a browser context of its own (a workshop's participants), signed
    in and on the list of assessments; ``timeout`` (ms) is each page's default wait. The
    contexts close afterwards."""
    contexts = [browser.new_context() for _ in usernames]
    try:
        pages = [context.new_page() for context in contexts]
        for page, username in zip(pages, usernames, strict=True):
            page.set_default_timeout(timeout)
            login(page, server, username, "/assessments")
        yield pages
    finally:
        for context in contexts:
            context.close()


def login(page: Page, server: Server, username: str, path: str = "/") -> None:
    page.goto(f"{server.url}/login?next={path}")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(PASSWORDS[username])
    page.get_by_role("button", name="Kirjaudu sisään").click()
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs it with apt-get")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


# An expectation waits up to 15 s for its condition (Playwright's default is 5 s): the browser
# run shares the machine with the other pytest run (see the Makefile), and a page that takes
# longer to build under that load is still right. A passing expectation returns at once.
expect.set_options(timeout=15_000)


SETTLED = """() => document.getAnimations().every(
    (a) => a.playState !== "running" || a.effect?.getComputedTiming().iterations === Infinity
)"""


def settle(page: Page) -> None:
    """Wait until no transition or finite animation runs (a spinner may keep spinning): what a
    screenshot or axe then measures is the page as it stays, not a frame of a fade."""
    page.wait_for_function(SETTLED, polling="raf", timeout=10_000)


def choose(page: Page, field: Locator, option: str, *, redrawn: bool = False) -> None:
    """Pick ``option`` in the select ``field`` and wait until the choice has landed: the menu
    gone (a fading menu's options would take the next click) and the focus back on the select,
    which it takes after its menu has gone — on a busy machine well after. Text typed into the
    next input before that moment goes to the select instead, and the input stays empty.
    ``redrawn``: the choice redraws the form (the select is replaced and gets no focus back);
    the caller waits for what the redraw shows instead."""
    field.click()
    page.get_by_role("listbox").get_by_role("option", name=option, exact=True).click()
    expect(page.get_by_role("listbox")).to_have_count(0)
    if not redrawn:
        expect(field).to_be_focused()


def assert_accessible(page: Page) -> None:
    """axe-core: no serious or critical WCAG 2.1 A/AA violations on the page as shown."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # A select's menu fades out after a choice; scanning mid-fade measures a half-transparent
    # menu. Wait until no menu is left (a menu a test keeps open on purpose is scanned as is).
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function("() => !document.querySelector('.q-menu')", timeout=5000)

    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, results.generate_report()
