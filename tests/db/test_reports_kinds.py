"""Report kinds against the registry on SQLite and PostgreSQL: the funder refusal, the batch
skip, the archive's assessment column, the STEA default year, the 0006 migration."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from alembic import command
from sqlalchemy import select, update

from evaus.db import Database
from evaus.demo import load_demo
from evaus.services import reports
from evaus.services.access import local_admin
from evaus.services.assessments import list_assessments
from evaus.services.projects import find_project
from project_db.migrate import alembic_config, current_revision, upgrade
from project_db.models import Project, ReportArchive
from tests.reports_support import docx_text

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

STEA_PROJECT = "Sosiaalisen kuntoutuksen yhteistyöprosessi monenlaista tukea tarvitseville"


@pytest.fixture
def demo(database: Database) -> Database:
    with database.session("demo") as session:
        load_demo(session)
        session.commit()
    return database


def test_a_funder_report_of_a_project_without_that_funder_is_refused(demo: Database) -> None:
    with demo.session() as session:
        soku = find_project(session, "S20397", actor=READER)
        for call in (
            lambda: reports.report_warnings(session, soku.id, "stea", actor=READER),
            lambda: reports.generate_report(session, soku.id, "stea", actor=local_admin("tester")),
        ):
            with pytest.raises(reports.NotFunded) as caught:
                call()
            assert caught.value.params == {"project": soku.name, "funder": "STEA"}
        assert reports.list_archive(session, actor=READER) == []
        # The project's ESR funding gives it the ESR reports.
        assert reports.generate_report(
            session, soku.id, "esr-final", actor=local_admin("t")
        ).archive_id


def test_a_batch_skips_the_projects_the_report_is_not_for(demo: Database) -> None:
    with demo.session("admin") as session:
        ids = reports.select_projects(session, actor=READER)
        result = reports.render_batch(session, "stea", ids, actor=local_admin("admin"), workers=0)
        session.commit()
        assert len(reports.list_archive(session, actor=READER)) == 1
    assert result.failed == [] and len(result.done) == 1
    assert len(result.skipped) == 3
    assert all("ei ole STEA-rahoitusta: STEA-raporttia ei tehdä." in s for s in result.skipped)
    with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
        (made,) = [n for n in archive.namelist() if n.endswith(".docx")]
        assert STEA_PROJECT in docx_text(archive.read(made))
        assert archive.read("ohitetut.txt").decode().count("\n") == 3


def test_the_stea_default_year_never_is_the_running_one(demo: Database) -> None:
    with demo.session() as session:
        project_id = session.scalars(select(Project.id).where(Project.name == STEA_PROJECT)).one()
        made = reports.prepare_report(
            session, project_id, "stea", report_date=date(2026, 3, 1), actor=READER
        )
        assert made.year == 2025  # the project has no dates: the last finished year
        assert made.filename.endswith("_stea_2025_fi.docx")
        asked = reports.prepare_report(
            session, project_id, "stea", year=2026, report_date=date(2026, 3, 1), actor=READER
        )
        assert asked.year == 2026


def test_the_archive_keeps_the_assessment_and_regenerates_it(demo: Database) -> None:
    with demo.session("admin") as session:
        linked = next(
            a for a in list_assessments(session, actor=READER) if a.project_id is not None
        )
        made = reports.generate_report(
            session, linked.project_id, "evaus", assessment=linked.id, actor=local_admin("admin")
        )
        session.commit()
        row = session.get(ReportArchive, made.archive_id)
        assert row is not None and row.assessment_id == linked.id and row.period is None
        # Another, newer assessment of the same project: "Luo uudelleen" keeps the archived one.
        other = next(a for a in list_assessments(session, actor=READER) if a.id != linked.id)
        session.execute(
            update(ReportArchive).where(ReportArchive.id == row.id).values(period=other.id)
        )
        again = reports.regenerate(session, row.id, actor=local_admin("admin"))
        assert again.assessment_id == linked.id
        assert again.data_sha256 == made.data_sha256


def test_migration_0006_moves_the_assessment_out_of_period(demo: Database) -> None:
    with demo.session("admin") as session:
        linked = next(
            a for a in list_assessments(session, actor=READER) if a.project_id is not None
        )
        made = reports.generate_report(
            session, None, "evaus", assessment=linked.id, actor=local_admin("a")
        )
        card = reports.generate_report(session, "S20397", "esr-period", actor=local_admin("a"))
        session.commit()
    engine = demo.engine
    command.downgrade(alembic_config(engine), "0005")
    assert current_revision(engine) == "0005"
    with engine.connect() as conn:
        rows = dict(conn.exec_driver_sql("SELECT kind, period FROM report_archive").all())
    assert rows == {"evaus": linked.id, "esr-period": None}  # as release 0005 kept them
    upgrade(engine)
    with demo.session() as session:
        evaus_row = session.get(ReportArchive, made.archive_id)
        other_row = session.get(ReportArchive, card.archive_id)
        assert evaus_row is not None and other_row is not None
        assert (evaus_row.assessment_id, evaus_row.period) == (linked.id, None)
        assert (other_row.assessment_id, other_row.period) == (None, None)
        again = reports.regenerate(session, evaus_row.id, actor=local_admin("a"))
        assert again.data_sha256 == made.data_sha256
