"""The EVAUS report through the service: the project's latest assessment, or a chosen one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from evaus.db import Database
from evaus.demo import load_demo
from evaus.services import reports
from evaus.services.assessments import list_assessments
from project_db.models import Project
from tests.reports_support import docx_text


@pytest.fixture
def demo(database: Database) -> Database:
    with database.session("demo") as session:
        load_demo(session)
        session.commit()
    return database


def ids(database: Database) -> tuple[int, int, int]:
    """(Hanska project, its assessment, the standalone draft)."""
    with database.session() as session:
        linked, standalone = (list_assessments(session, project_id=None)[i] for i in (0, 1))
        if linked.project_id is None:
            linked, standalone = standalone, linked
        assert linked.project_id is not None
        return linked.project_id, linked.id, standalone.id


def test_the_projects_latest_assessment_by_default(demo: Database) -> None:
    project_id, assessment_id, _draft = ids(demo)
    with demo.session("ville") as session:
        warnings = reports.report_warnings(session, project_id, "evaus", lang="fi")
        assert "Kuultuja tahoja ei ole kirjattu" not in warnings
        made = reports.generate_report(session, project_id, "evaus", actor="ville")
        session.commit()
        assert made.assessment_id == assessment_id and made.period is None
        text = docx_text(made.content)
        assert "Toiminta osoittautui arviointia vastaavaksi" in text
        (entry,) = reports.list_archive(session, project_id)
        assert (
            entry.kind == "evaus" and entry.assessment_id == assessment_id and entry.period is None
        )
        assert made.archive_id is not None
        again = reports.regenerate(session, made.archive_id, actor="ville")
        assert again.data_sha256 == made.data_sha256
        _name, stored = reports.download_archived(session, made.archive_id)
        assert stored == made.content


def test_a_chosen_assessment_without_a_project(demo: Database) -> None:
    _project, _linked, draft = ids(demo)
    with demo.session("admin") as session:
        warnings = reports.report_warnings(session, None, "evaus", assessment=draft, lang="fi")
        assert "Suositeltavaa vaihtoehtoa ei ole valittu" in warnings
        made = reports.generate_report(session, None, "evaus", assessment=draft, actor="admin")
        session.commit()
        text = docx_text(made.content)
        assert "410" in text and "417" in text
        assert made.archive_id is not None
        again = reports.regenerate(session, made.archive_id, actor="admin")
        assert again.data_sha256 == made.data_sha256


def test_a_project_without_an_assessment(demo: Database) -> None:
    with demo.session() as session:
        soku = session.scalars(select(Project).where(Project.eura_code == "S20397")).one()
        assert reports.report_warnings(session, soku.id, "evaus", lang="fi") == [
            "Hankkeella ei ole vaikutusten arviointia"
        ]
        with pytest.raises(reports.ReportFailed):
            reports.generate_report(session, soku.id, "evaus", actor="tester")
        result = reports.render_batch(session, "evaus", reports.select_projects(session), actor="x")
        assert len(result.done) == 1 and len(result.failed) == 3
