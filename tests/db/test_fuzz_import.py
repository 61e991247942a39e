"""A failing import writes nothing: random, partly valid registry files against a real database.

SQLite only (the transaction logic is the same on PostgreSQL, which test_import_export covers).
Each example is a registry file whose projects are valid, except that hypothesis may break any
of them (unknown code, bad date, broken period numbering, too long text, a bad assessment …);
the import either succeeds or raises ImportFailed/ValidationFailed with every table's row count
unchanged.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from evaus.db import Database
from evaus.services import registry_io
from evaus.services.access import local_admin
from evaus.services.startup import open_registry
from project_db.base import Base
from project_db.errors import ImportFailed, ValidationFailed
from tests.unit.test_fuzz import EXAMPLES


@pytest.fixture(scope="module")
def sqlite_db(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("fuzz") / "evaus.sqlite3"
    shutil.copyfile(sqlite_template, path)
    database = open_registry(url=f"sqlite:///{path}")
    yield database
    database.engine.dispose()


def row_counts(database: Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def valid_project(number: int) -> dict[str, Any]:
    return {
        "name": f"Sumea hanke {number}",
        "status": "kaynnissa",
        "portfolio": f"Salkku {number}",  # an open list: the import adds it to the code list
        "summary": "Tiivistelmä",
        "people": [{"person": {"name": f"Henkilö {number}", "email": f"h{number}@example.fi"}}],
        "organisations": [
            {"organisation": {"name": f"Organisaatio {number}"}, "role": "paatoteuttaja"}
        ],
        "goals": [{"key": "g1", "title": "Tavoite"}],
        "indicators": [{"key": "i1", "goal_key": "g1", "name": "Mittari", "target": "10"}],
        "periods": [{"number": 1, "start_date": "2020-01-01", "end_date": "2020-06-30"}],
    }


BREAKAGES: list[tuple[str, Any]] = [
    ("status", "ei-tila"),
    ("start_date", "31.2.2020"),
    ("end_date", "2019-01-01"),
    ("name", ""),
    ("name", "x" * 600),
    ("short_name", "y" * 101),
    ("region", "Atlantis"),
    ("budget_amount", "-5"),
    ("periods", [{"number": 2, "start_date": "2020-01-01", "end_date": "2020-06-30"}]),
    ("indicators", [{"name": "M", "goal_key": "puuttuu"}]),
    ("people", [{"person": {"name": "Nimi", "email": "ei-osoite"}}]),
    ("organisations", [{"organisation": {"name": "O"}, "role": "tuntematon"}]),
    ("themes", ["a;b"]),
    ("key", "k" * 40),
    ("unknown_field", 1),
]


@settings(
    max_examples=max(EXAMPLES // 3, 15),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=EXAMPLES <= 60,
)
@given(
    count=st.integers(min_value=1, max_value=4),
    broken=st.lists(
        st.tuples(st.integers(min_value=0, max_value=3), st.sampled_from(BREAKAGES)), max_size=3
    ),
    bad_assessment=st.booleans(),
    seed=st.integers(min_value=0, max_value=10**6),
)
def test_a_failing_import_leaves_the_row_counts_unchanged(
    sqlite_db: Database,
    count: int,
    broken: list[tuple[int, tuple[str, Any]]],
    bad_assessment: bool,
    seed: int,
) -> None:
    projects = [valid_project(seed * 10 + i) for i in range(count)]
    for index, (field, value) in broken:
        if index < count:
            projects[index][field] = value
    registry: dict[str, Any] = {"format": "evaus-registry", "projects": projects}
    if bad_assessment:
        registry["assessments"] = [{"title": "Arviointi", "status": "ei-tila"}]
    before = row_counts(sqlite_db)
    with sqlite_db.session("fuzz") as session:
        try:
            registry_io.import_source(
                session, json.dumps(registry).encode(), actor=local_admin("fuzz")
            )
        except (ImportFailed, ValidationFailed):
            failed = True
        else:
            failed = False
    after = row_counts(sqlite_db)
    if failed:
        assert after == before
    else:
        assert not broken or all(i >= count for i, _ in broken)
        assert after["project"] >= before["project"]
