"""The EVAUS report through the service: the project's decided version by default, or a
chosen assessment or version; assessments with many alternatives made through the services."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from evaus.db import Database
from evaus.demo import load_demo
from evaus.reports.contexts import EvausContext
from evaus.services import assessments as svc
from evaus.services import reports, users
from evaus.services.access import Actor, local_admin
from evaus.services.assessments import list_assessments
from project_db.models import Project
from tests.evaus_report_assessments import build_assessment
from tests.reports_support import docx_text

READER = local_admin("tests")  # who reads in these tests (services take the Actor)


@pytest.fixture
def demo(database: Database) -> Database:
    with database.session("demo") as session:
        load_demo(session)
        session.commit()
    return database


def ids(database: Database) -> tuple[int, int, int]:
    """(Hanska project, its assessment, the standalone draft)."""
    with database.session() as session:
        linked, standalone = (
            list_assessments(session, project_id=None, actor=READER)[i] for i in (0, 1)
        )
        if linked.project_id is None:
            linked, standalone = standalone, linked
        assert linked.project_id is not None
        return linked.project_id, linked.id, standalone.id


def test_the_projects_latest_assessment_by_default(demo: Database) -> None:
    project_id, assessment_id, _draft = ids(demo)
    with demo.session("ville") as session:
        warnings = reports.report_warnings(session, project_id, "evaus", lang="fi", actor=READER)
        assert "Kuultuja tahoja ei ole kirjattu" not in warnings
        made = reports.generate_report(session, project_id, "evaus", actor=local_admin("ville"))
        session.commit()
        assert made.assessment_id == assessment_id and made.period is None
        text = docx_text(made.content)
        assert "Toiminta osoittautui arviointia vastaavaksi" in text
        (entry,) = reports.list_archive(session, project_id, actor=READER)
        assert (
            entry.kind == "evaus" and entry.assessment_id == assessment_id and entry.period is None
        )
        assert made.archive_id is not None
        again = reports.regenerate(session, made.archive_id, actor=local_admin("ville"))
        assert again.data_sha256 == made.data_sha256
        _name, stored = reports.download_archived(session, made.archive_id, actor=READER)
        assert stored == made.content


def test_a_chosen_assessment_without_a_project(demo: Database) -> None:
    _project, _linked, draft = ids(demo)
    with demo.session("admin") as session:
        warnings = reports.report_warnings(
            session, None, "evaus", assessment=draft, lang="fi", actor=READER
        )
        assert "Suositeltavaa vaihtoehtoa ei ole valittu" in warnings
        made = reports.generate_report(
            session, None, "evaus", assessment=draft, actor=local_admin("admin")
        )
        session.commit()
        text = docx_text(made.content)
        assert "410" in text and "417" in text
        assert made.archive_id is not None
        again = reports.regenerate(session, made.archive_id, actor=local_admin("admin"))
        assert again.data_sha256 == made.data_sha256


def test_a_project_without_an_assessment(demo: Database) -> None:
    with demo.session() as session:
        soku = session.scalars(select(Project).where(Project.eura_code == "S20397")).one()
        assert reports.report_warnings(session, soku.id, "evaus", lang="fi", actor=READER) == [
            "Hankkeella ei ole vaikutusten arviointia"
        ]
        with pytest.raises(reports.ReportFailed):
            reports.generate_report(session, soku.id, "evaus", actor=local_admin("tester"))
        result = reports.render_batch(
            session, "evaus", reports.select_projects(session, actor=READER), actor=local_admin("x")
        )
        assert len(result.done) == 1 and len(result.failed) == 3


# --- which version, and what a decision-maker reads about it -------------------------------


def _admin(database: Database) -> Actor:
    with database.session("test") as session:
        user = users.create_user(
            session, "paivi", role="admin", password="paivi-salasana-1", actor=local_admin("test")
        )
        session.commit()
        return Actor.of(user)


def test_the_decided_version_by_default_after_a_new_draft(demo: Database) -> None:
    project_id, decided, _draft = ids(demo)
    admin = _admin(demo)
    with demo.session("paivi") as session:
        new = svc.new_version(session, decided, actor=admin)
        session.commit()
    with demo.session("paivi") as session:
        assert reports.project_assessment(session, project_id, actor=READER) == decided
        made = reports.generate_report(session, project_id, "evaus", actor=local_admin("paivi"))
        assert made.assessment_id == decided
        text = docx_text(made.content)
        # The decided version's ex-post comparison, and which version this is.
        assert "Toteuma vastasi arviota kaikissa 9 seuratussa vaikutuksessa." in text
        assert "Jälkiarviointia ei ole vielä tehty." not in text
        assert "1 (jälkiarvioitu)" in text
        assert "Arvioinnista on uudempi versio 2 (luonnos)." in text
        assert "LUONNOS" not in text

        # The new draft when it is asked for: by its id or by its version number.
        for chosen in (
            {"assessment": new.id},
            {"version": 2},
            {"assessment": decided, "version": 2},
        ):
            draft = reports.generate_report(
                session,
                project_id,
                "evaus",
                actor=local_admin("paivi"),
                archive=False,
                assessment=chosen.get("assessment"),
                version=chosen.get("version"),
            )
            assert draft.assessment_id == new.id, chosen
            draft_text = docx_text(draft.content)
            assert "LUONNOS – EI PÄÄTETTY" in draft_text
            assert "Jälkiarviointia ei ole vielä tehty." in draft_text
        again = reports.generate_report(
            session, project_id, "evaus", actor=local_admin("paivi"), archive=False, version=1
        )
        assert again.assessment_id == decided

        with pytest.raises(reports.ReportFailed) as failed:
            reports.generate_report(
                session, project_id, "evaus", actor=local_admin("paivi"), version=3
            )
        assert failed.value.message == reports.NO_SUCH_VERSION
        assert failed.value.params == {"version": 3, "versions": "1, 2"}

        choices = reports.assessment_choices(session, project_id, actor=READER)
        assert [(c.version_number, c.status, c.default) for c in choices] == [
            (2, "luonnos", False),
            (1, "jalkiarvioitu", True),
        ]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (("paatetty", "valmis", "luonnos"), 1),
        (("jalkiarvioitu", "paatetty", "luonnos"), 2),
        (("valmis", "valmis", "luonnos"), 2),
        (("luonnos", "luonnos"), 2),
    ],
)
def test_report_version_prefers_decided_then_finished(
    statuses: tuple[str, ...], expected: int
) -> None:
    versions = [
        svc.AssessmentSummary(
            id=number,
            key=f"k{number}",
            series_key="s",
            version_number=number,
            title="t",
            status=status,
            project_id=None,
            project_name=None,
            framework_id="default",
            framework_version=1,
            created_by="x",
            updated_at=datetime(2026, 1, number, tzinfo=UTC),
            version=1,
        )
        for number, status in enumerate(statuses, start=1)
    ]
    assert reports.report_version(versions).version_number == expected


@pytest.mark.parametrize(("alternatives", "decided"), [(3, False), (6, True), (8, True)])
def test_many_alternatives_through_the_services(
    database: Database, alternatives: int, decided: bool
) -> None:
    admin = _admin(database)
    with database.session("paivi") as session:
        aid = build_assessment(
            session, admin, alternatives, decided=decided, title=f"{alternatives} vaihtoehtoa"
        )
        session.commit()
    with database.session("paivi") as session:
        made = reports.generate_report(
            session, None, "evaus", assessment=aid, actor=local_admin("paivi"), archive=False
        )
        prepared = reports.prepare_report(session, None, "evaus", assessment=aid, actor=READER)
    context = EvausContext.model_validate(prepared.context)
    assert len(context.alternatives) == alternatives
    heatmap = context.heatmap
    assert heatmap is not None and len(heatmap.alternatives) == alternatives
    assert all(s != "–" for row in heatmap.symbols for s in row)
    text = docx_text(made.content)
    assert "{{" not in text and "{%" not in text
    counts = [a.not_assessed for a in context.alternatives]
    coverage = context.coverage
    assert coverage is not None
    if decided:
        assert counts == [0] * alternatives and coverage.all_assessed
        assert "Kaikki vaikutusalueet arvioitiin" in text and "LUONNOS" not in text
    else:
        # Two areas not decided count for every alternative; one empty cell for the second.
        assert counts == [2, 3] + [2] * (alternatives - 2)
        assert coverage.undecided == 2 and coverage.missing_impacts == 1
        assert "Kaikki vaikutusalueet arvioitiin" not in text
        assert "Arviointi on vajaa: 2 vaikutusalueen olennaisuutta ei ole ratkaistu; 1" in text
        assert "LUONNOS – EI PÄÄTETTY" in text
