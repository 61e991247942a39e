"""`evaus publish`: a project into the public catalogue and out of it, a portfolio's default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from evaus.services import publishing
from evaus.services.startup import open_registry
from project_db.engine import sqlite_url
from project_db.models import AuditEntry, Project
from tests.cli.test_cli import evaus

PORTFOLIO = "Hyvinvointisalkku 2014-2020"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    assert evaus(path, "demo").returncode == 0
    return path


def _projects(data_dir: Path) -> dict[str, dict[str, object]]:
    export = evaus(data_dir, "export")
    return {p["eura_code"] or p["name"]: p for p in json.loads(export.stdout)["projects"]}


def _public_names(data_dir: Path) -> list[str]:
    database = open_registry(url=sqlite_url(data_dir))
    try:
        with database.session() as session:
            page = publishing.public_projects(session, actor=publishing.VISITOR)
            return sorted(item.name for item in page.items)
    finally:
        database.engine.dispose()


def test_publish_by_key_and_by_id_then_off(data_dir: Path) -> None:
    soku = _projects(data_dir)["S20397"]
    result = evaus(data_dir, "publish", str(soku["key"]))
    assert result.returncode == 0, result.stderr
    assert "on nyt julkisessa hankeluettelossa: /public/projects/" in result.stdout
    assert _public_names(data_dir) == [soku["name"]]

    database = open_registry(url=sqlite_url(data_dir))
    with database.session() as session:
        project_id = session.scalars(select(Project.id).where(Project.key == soku["key"])).one()
    database.engine.dispose()
    off = evaus(data_dir, "publish", str(project_id), "--off", lang="sv")
    assert off.returncode == 0, off.stderr
    assert "finns inte längre i den offentliga projektkatalogen" in off.stdout
    assert _public_names(data_dir) == []

    database = open_registry(url=sqlite_url(data_dir))
    with database.session() as session:
        changes = session.scalars(
            select(AuditEntry).where(AuditEntry.field == "public").order_by(AuditEntry.id)
        ).all()
    database.engine.dispose()
    assert [(c.actor, c.old_value, c.new_value) for c in changes] == [
        ("cli", None, "true"),
        ("cli", "true", "false"),
    ]
    # The export carries the choice, so an import elsewhere keeps it.
    assert _projects(data_dir)["S20397"]["public"] is False


def test_a_portfolio_default_publishes_its_projects_without_a_choice(data_dir: Path) -> None:
    result = evaus(data_dir, "publish", "--portfolio", PORTFOLIO)
    assert result.returncode == 0, result.stderr
    assert "ovat nyt julkisia" in result.stdout
    in_portfolio = sorted(
        str(p["name"]) for p in _projects(data_dir).values() if p["portfolio"] == PORTFOLIO
    )
    assert in_portfolio and _public_names(data_dir) == in_portfolio
    assert evaus(data_dir, "publish", "--portfolio", PORTFOLIO, "--off").returncode == 0
    assert _public_names(data_dir) == []


def test_errors_are_one_line_in_the_users_language(data_dir: Path) -> None:
    missing = evaus(data_dir, "publish", "olematon-hanke")
    assert missing.returncode == 1
    assert missing.stderr.strip() == "Virhe: Ei löydy: olematon-hanke"
    nothing = evaus(data_dir, "publish")
    assert nothing.returncode == 1 and "--portfolio" in nothing.stderr
    assert nothing.stderr.strip().startswith("Virhe: Anna hanke")
    both = evaus(data_dir, "publish", "1", "--portfolio", PORTFOLIO, lang="sv")
    assert both.returncode == 1 and "inte båda" in both.stderr
    portfolio = evaus(data_dir, "publish", "--portfolio", "Ei tällaista salkkua")
    assert portfolio.returncode == 1 and "Ei tällaista salkkua" in portfolio.stderr
    assert _public_names(data_dir) == []
