"""`evaus search`: the project list's search and filters on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaus.db import open_database
from evaus.services import projects
from evaus.services.access import local_admin
from project_db.engine import sqlite_url
from tests.cli.test_cli import evaus

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

SOKU = "Etelä-Pirkanmaan sosiaalisen kuntoutuksen hanke – SoKu"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("search") / "data"
    assert evaus(data_dir, "demo").returncode == 0
    return data_dir


@pytest.mark.parametrize("status", ["paattynyt", "Päättynyt", "PÄÄTTYNYT", "Avslutad", "ended"])
def test_a_status_by_its_code_or_name(demo_dir: Path, status: str) -> None:
    found = evaus(demo_dir, "search", "kuntoutus", "--status", status)
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert lines[0] == "Hankkeita löytyi: 1, sivu 1/1."
    assert lines[1].split() == ["ID", "Tila", "Aloituspäivä", "Päättymispäivä", "Budjetti", "Nimi"]
    (row,) = lines[2:]
    assert "Päättynyt" in row and "1.9.2015" in row and "30.11.2018" in row
    assert row.endswith(SOKU)


def test_the_same_projects_as_the_list_service(demo_dir: Path) -> None:
    found = evaus(
        demo_dir, "search", "sosiaali", "--status", "Käynnissä", "--status", "ended", "--json"
    )
    assert found.returncode == 0, found.stderr
    page = json.loads(found.stdout)
    database = open_database(url=sqlite_url(demo_dir))
    try:
        with database.session() as session:
            expected = projects.list_projects(
                session,
                projects.ProjectQuery(text="sosiaali", status=["kaynnissa", "paattynyt"]),
                actor=READER,
            )
    finally:
        database.engine.dispose()
    assert page == json.loads(expected.model_dump_json())
    assert page["total"] == 2


def test_paging_sorting_and_no_matches(demo_dir: Path) -> None:
    first = json.loads(
        evaus(demo_dir, "search", "--sort", "name", "--page-size", "3", "--json").stdout
    )
    second = json.loads(
        evaus(
            demo_dir, "search", "--sort", "name", "--page-size", "3", "--page", "2", "--json"
        ).stdout
    )
    assert first["total"] == second["total"] == 4
    assert len(first["items"]) == 3 and len(second["items"]) == 1
    nothing = evaus(demo_dir, "search", "olematonsana", lang="en")
    assert nothing.returncode == 0
    assert nothing.stdout.strip() == "Projects found: 0, page 1 of 1."


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--status", "keskeneräinen"], ["--status", "keskeneräinen", "paattynyt"]),
        (["--page", "0"], ["--page", "1"]),
        (["--page-size", "501"], ["--page-size", "500"]),
        (["--region", "Atlantis"], ["--region", "Atlantis"]),
    ],
)
def test_bad_filters_are_named(demo_dir: Path, args: list[str], words: list[str]) -> None:
    refused = evaus(demo_dir, "search", *args)
    assert refused.returncode == 1
    assert refused.stderr.startswith("Virhe: ")
    assert "Traceback" not in refused.stderr
    for word in words:
        assert word in refused.stderr


def test_a_bad_date_is_refused_by_the_parser(demo_dir: Path) -> None:
    refused = evaus(demo_dir, "search", "--active-from", "31.2.2020")
    assert refused.returncode == 2
    assert "31.2.2020" in refused.stderr and "Traceback" not in refused.stderr
    ok = evaus(
        demo_dir, "search", "--active-from", "1.1.2019", "--active-to", "2019-12-31", "--json"
    )
    assert ok.returncode == 0
    assert SOKU not in {p["name"] for p in json.loads(ok.stdout)["items"]}
