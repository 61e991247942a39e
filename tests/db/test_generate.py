"""The registry data generator: deterministic, valid, searchable (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from evaus.db import Database
from evaus.dev.generate import FIRST, LAST, generate, generate_docs
from evaus.services import generated
from evaus.services import projects as ps
from evaus.services.access import Actor, Forbidden, local_admin
from evaus.services.similar import similar_projects
from evaus.services.users import verify_password
from project_db.accounts import user_by_username
from project_db.deadlines import managers as managers_of_projects

READER = local_admin("tests")  # who reads in these tests (services take the Actor)


def test_the_same_seed_gives_the_same_data() -> None:
    first = [d.model_dump() for d in generate_docs(5, seed=7)]
    assert first == [d.model_dump() for d in generate_docs(5, seed=7)]
    assert first != [d.model_dump() for d in generate_docs(5, seed=8)]


def test_the_same_seed_gives_the_same_data_in_every_process() -> None:
    """Each process hashes differently (PYTHONHASHSEED): the data must not depend on it."""
    script = (
        "from evaus.dev.generate import generate_docs;"
        "print([d.model_dump_json() for d in generate_docs(20, seed=3)])"
    )

    def run(hash_seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert run("1") == run("2") == run("3")


def test_fifty_generated_projects_are_stored_listed_and_found(database: Database) -> None:
    steps: list[int] = []
    with database.session() as session:
        assert generate(session, 50, seed=3, batch=20, progress=lambda d, _t: steps.append(d)) == 50
        assert steps == [20, 40, 50]
        page = ps.list_projects(session, ps.ProjectQuery(page_size=100), actor=READER)
        assert page.total == 50
        assert all(item.funders for item in page.items)
        doc = ps.get_project_doc(session, page.items[0].id, actor=READER)
        assert doc.indicators and doc.indicators[0].values and doc.periods and doc.goals
        found = ps.list_projects(session, ps.ProjectQuery(text="palvelu"), actor=READER)
        assert found.total == 50
        assert similar_projects(session, page.items[0].id, actor=READER)


def test_the_accounts_to_try_the_reporting_cycle_with(database: Database) -> None:
    """Managers of generated projects and a reviewer, addresses under the reserved .example, names
    of the generated people, the password the caller gives; a second run makes none again."""
    asked: list[int] = []

    def password() -> str:
        asked.append(1)
        return "kokeilu-salasana-1"

    with database.session() as session:
        assert generated.generate_accounts(session, password=password, actor=READER) == []
        generate(session, 14, seed=5, batch=20)
        made = generated.generate_accounts(session, password=password, actor=READER)
        assert asked == [1]  # asked once for all of them
        assert [(a.role, a.created) for a in made] == [("manager", True)] * 3 + [("reviewer", True)]
        people = {d.people[0].person.name for d in generate_docs(14, seed=5)}
        for account in made:
            assert account.email == f"{account.username}@kokeilu.example"
            assert account.username == account.username.lower() and " " not in account.username
            user = user_by_username(session, account.username)
            assert user is not None and user.role == account.role
            assert verify_password(user, "kokeilu-salasana-1")
        managers, reviewer = made[:3], made[3]
        assert {m.name for m in managers} <= people
        assert reviewer.name.split()[0] in FIRST and reviewer.name.split()[1] in LAST
        assert reviewer.name not in {m.name for m in managers}
        # Each manages some generated projects: their reminders and due items are theirs.
        assert all(m.projects >= generated.PROJECTS_EACH for m in managers)
        assert {u.username for u in managers_of_projects(session)} == {m.username for m in managers}

        again = generated.generate_accounts(session, password=password, actor=READER)
    assert asked == [1]  # nothing to make: no password asked
    assert [(a.username, a.created) for a in again] == [(a.username, False) for a in made]
    assert [a.projects for a in again] == [a.projects for a in made]


def test_only_an_administrator_makes_the_accounts(database: Database) -> None:
    viewer = Actor(0, "lukija", "viewer", None, "fi")
    with database.session() as session, pytest.raises(Forbidden):
        generated.generate_accounts(session, password=lambda: "x" * 12, actor=viewer)
