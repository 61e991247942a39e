"""`evaus report … --kind evaus`: the project's decided version, --assessment ID or --version N."""

from __future__ import annotations

from pathlib import Path

from evaus.db import open_database
from evaus.services import users
from evaus.services.access import Actor, local_admin
from evaus.services.assessments import list_assessments, new_version
from project_db.engine import sqlite_url
from tests.cli.test_cli import evaus
from tests.cli.test_reports_cli import data_dir, demo_dir  # noqa: F401  (the fixtures)
from tests.reports_support import docx_text

READER = local_admin("tests")  # who reads in these tests (services take the Actor)


def test_evaus_report_of_a_project_and_of_a_chosen_assessment(
    data_dir: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    target = tmp_path / "evaus.docx"
    result = evaus(
        data_dir,
        "report",
        "Sosiaalisen kuntoutuksen yhteistyö",
        "--kind",
        "evaus",
        "-o",
        str(target),
    )
    assert result.returncode == 0, result.stderr
    assert "Toiminta osoittautui arviointia vastaavaksi" in docx_text(target.read_bytes())

    draft = tmp_path / "luonnos.docx"
    result = evaus(data_dir, "report", "--kind", "evaus", "--assessment", "2", "-o", str(draft))
    assert result.returncode == 0, result.stderr
    assert "Varoitus: Kuultuja tahoja ei ole kirjattu" in result.stderr
    assert "417" in docx_text(draft.read_bytes())

    none = evaus(data_dir, "report", "SoKu", "--kind", "evaus", "-o", str(tmp_path / "x.docx"))
    assert none.returncode == 1
    assert none.stderr.strip().endswith(
        "Hankkeella ei ole vaikutusten arviointia: EVAUS-raporttia ei voi tehdä."
    )


def test_evaus_report_of_a_chosen_version(
    data_dir: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    database = open_database(url=sqlite_url(data_dir))
    with database.session("test") as session:
        user = users.create_user(
            session, "paivi", role="admin", password="paivi-salasana-1", actor=local_admin("test")
        )
        (hanska,) = [a for a in list_assessments(session, actor=READER) if a.project_id is not None]
        new_version(session, hanska.id, actor=Actor.of(user))
        session.commit()
    database.engine.dispose()

    def report(*args: str) -> str:
        target = tmp_path / "evaus.docx"
        result = evaus(data_dir, "report", "Hanska", "--kind", "evaus", "-o", str(target), *args)
        assert result.returncode == 0, result.stderr
        return docx_text(target.read_bytes())

    decided = report()  # by default the decided version, not the new draft
    assert "Toteuma vastasi arviota kaikissa 9 seuratussa vaikutuksessa." in decided
    assert "Arvioinnista on uudempi versio 2 (luonnos)." in decided
    draft = report("--version", "2")
    assert "LUONNOS – EI PÄÄTETTY" in draft and "Jälkiarviointia ei ole vielä tehty." in draft
    assert "Toteuma vastasi arviota" in report("--version", "1")
    sv = report("--version", "2", "--lang", "sv")
    assert "UTKAST – INTE BESLUTAT" in sv and "Nykytila jatkuu" not in sv

    none = evaus(data_dir, "report", "Hanska", "--kind", "evaus", "--version", "5", "-o", "x")
    assert none.returncode == 1
    assert "Arvioinnilla ei ole versiota 5; sen versiot ovat: 1, 2" in none.stderr
