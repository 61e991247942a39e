"""`evaus report portfolio` files a DOCX in the report archive, with the selection and the
period (a workbook is not filed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from evaus.services import portfolio
from evaus.services.access import local_admin
from evaus.services.startup import open_registry
from project_db.engine import sqlite_url
from tests.cli.test_cli import evaus

PORTFOLIO = "Hyvinvointisalkku 2014-2020"


def test_the_command_archives_the_docx(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert evaus(data, "demo").returncode == 0
    docx = tmp_path / "salkku.docx"
    selection = ("--portfolio", PORTFOLIO, "--from", "2020-01-01", "--to", "31.12.2020")
    result = evaus(data, "report", "portfolio", *selection, "-o", str(docx))
    assert result.returncode == 0, result.stderr
    xlsx = tmp_path / "luvut.xlsx"
    assert evaus(data, "report", "portfolio", *selection, "-o", str(xlsx)).returncode == 0
    database = open_registry(url=sqlite_url(data))
    try:
        with database.session("tests") as session:
            actor = local_admin("tests")
            (row,) = portfolio.archived_reports(session, actor=actor)
            assert (row.title, row.start, row.end) == (
                PORTFOLIO,
                date(2020, 1, 1),
                date(2020, 12, 31),
            )
            assert row.created_by
            made = portfolio.archived_report(session, row.id, actor=actor)
            assert made.content == docx.read_bytes()
    finally:
        database.engine.dispose()
