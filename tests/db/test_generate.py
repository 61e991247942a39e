"""The registry data generator: deterministic, valid, searchable (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys

from evaus.db import Database
from evaus.dev.generate import generate, generate_docs
from evaus.services import projects as ps
from evaus.services.access import local_admin
from evaus.services.similar import similar_projects

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
