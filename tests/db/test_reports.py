"""Reports from the registry on SQLite and PostgreSQL: archive, regenerate, templates, batch."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from evaus.db import Database
from evaus.demo import load_demo
from evaus.reports.errors import NotFunded
from evaus.services import reports
from evaus.services.access import local_admin
from evaus.services.projects import find_project, update_project
from project_db.backup import create_backup, restore_backup
from project_db.models import Project, ReportArchive
from tests.reports_support import KINDS, docx_text
from tests.unit.test_reports_templates import edit_docx

READER = local_admin("tests")  # who reads in these tests (services take the Actor)


@pytest.fixture
def demo(database: Database) -> Database:
    with database.session("demo") as session:
        load_demo(session)
        session.commit()
    return database


def project_ids(database: Database) -> dict[str, int]:
    with database.session() as session:
        return {p.name: p.id for p in session.scalars(select(Project))}


# The demo projects' funders: a funder report is made only of the projects that funder funds.
DEMO_FUNDED = {"card": 4, "esr-period": 2, "esr-final": 2, "stea": 1, "stm": 2}


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_for_every_demo_project(demo: Database, kind: str) -> None:
    with demo.session("tester") as session:
        refused = 0
        for name, project_id in project_ids(demo).items():
            try:
                made = reports.generate_report(
                    session, project_id, kind, actor=local_admin("tester")
                )
            except NotFunded as exc:
                assert exc.params["project"] == name
                refused += 1
                continue
            text = docx_text(made.content)
            assert name in text
            if kind != "card":  # the card leaves out the optional fields that are empty
                assert "Ei tietoa" in text
            assert made.archive_id is not None
        session.commit()
        assert len(reports.list_archive(session, actor=READER)) == DEMO_FUNDED[kind]
        assert refused == 4 - DEMO_FUNDED[kind]


def test_soku_by_funder_code_with_warnings(demo: Database) -> None:
    with demo.session("tester") as session:
        made = reports.generate_report(session, "S20397", "esr-period", actor=local_admin("tester"))
        session.commit()
    text = docx_text(made.content)
    assert "S20397" in text and "1.9.2015–30.11.2018" in text
    assert "Koko toteutusaika" in text  # SoKu has no periods: the whole term, said so
    assert made.filename == "S20397_esr-period_fi.docx"
    assert (
        "Hankkeelle ei ole kirjattu raportointijaksoja: raportti kattaa koko toteutusajan"
        in made.warnings
    )
    assert "Kuvaus puuttuu: Kestävä kehitys" in made.warnings


def test_unknown_period_is_refused_with_a_clear_message(demo: Database) -> None:
    with demo.session() as session, pytest.raises(reports.ReportFailed) as caught:
        reports.generate_report(
            session, "S20397", "esr-period", period=3, actor=local_admin("tester")
        )
    assert caught.value.params == {"number": 3}


def test_archive_round_trip_and_regenerate(demo: Database) -> None:
    with demo.session("maija") as session:
        made = reports.generate_report(session, "SoKu", "card", actor=local_admin("maija"))
        session.commit()
    assert made.archive_id is not None
    with demo.session("ville") as session:
        (entry,) = reports.list_archive(session, actor=READER)
        assert entry.created_by == "maija" and entry.kind == "card" and entry.lang == "fi"
        assert entry.data_sha256 == made.data_sha256
        assert entry.template_sha256 == made.template_sha256
        filename, content = reports.download_archived(session, made.archive_id, actor=READER)
        assert content == made.content  # byte-identical
        assert filename == made.filename
        again = reports.regenerate(session, made.archive_id, actor=local_admin("ville"))
        assert again.data_sha256 == made.data_sha256  # same data, same hash
        assert again.template_sha256 == made.template_sha256
        session.commit()

        project = find_project(session, "S20397", actor=READER)
        update_project(
            session,
            project.id,
            {"summary": "Uusi tiivistelmä."},
            expected_version=project.version,
            actor=local_admin("ville"),
        )
        session.commit()
        changed = reports.regenerate(session, made.archive_id, actor=local_admin("ville"))
        assert changed.data_sha256 != made.data_sha256
        assert "Uusi tiivistelmä." in docx_text(changed.content)


def test_archive_survives_backup_and_restore(demo: Database, tmp_path: object) -> None:
    from pathlib import Path

    attachments = Path(str(tmp_path)) / "attachments"
    with demo.session() as session:
        made = reports.generate_report(session, "S20397", "esr-final", actor=local_admin("tester"))
        session.commit()
    data = create_backup(demo.engine, attachments)
    restore_backup(demo.engine, data, attachments)
    with demo.session() as session:
        row = session.scalars(select(ReportArchive)).one()
        assert row.content == made.content


def test_template_upload_checks_and_versions(demo: Database) -> None:
    shipped = reports.shipped_template("card", "fi")
    typo = edit_docx(shipped, "project.summary", "project.sumary")
    with demo.session("admin") as session:
        with pytest.raises(reports.TemplateRejected) as caught:
            reports.upload_template(session, "card", "fi", typo, actor=local_admin("admin"))
        assert [p.params["name"] for p in caught.value.problems] == ["project.sumary"]

        edited = edit_docx(shipped, ">Perustiedot<", ">Hankkeen perustiedot<")
        version = reports.upload_template(
            session,
            "card",
            "fi",
            edited,
            filename="kortti.docx",
            note="otsikko",
            actor=local_admin("admin"),
        )
        session.commit()
        assert version.active and not version.shipped
        made = reports.generate_report(session, "S20397", "card", actor=local_admin("admin"))
        assert "Hankkeen perustiedot" in docx_text(made.content)
        assert made.template_sha256 == version.sha256
        history = reports.template_history(session, "card", "fi", actor=READER)
        assert [v.active for v in history] == [True, False]
        assert history[-1].shipped

        reports.use_shipped_template(session, "card", "fi", actor=local_admin("admin"))
        session.commit()
        back = reports.generate_report(session, "S20397", "card", actor=local_admin("admin"))
        assert "Hankkeen perustiedot" not in docx_text(back.content)
        # The report made with the uploaded version can still be made again with it.
        assert made.archive_id is not None
        again = reports.regenerate(session, made.archive_id, actor=local_admin("admin"))
        assert "Hankkeen perustiedot" in docx_text(again.content)


def test_batch_zip_of_the_demo_projects(demo: Database) -> None:
    seen: list[tuple[int, int]] = []
    with demo.session("admin") as session:
        ids = reports.select_projects(session, actor=READER)
        result = reports.render_batch(
            session,
            "card",
            ids,
            actor=local_admin("admin"),
            progress=lambda done, total, _name: seen.append((done, total)),
        )
        session.commit()
        assert len(reports.list_archive(session, actor=READER)) == 4
    assert seen[-1] == (4, 4) and len(seen) == 4
    with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
        names = archive.namelist()
        assert len(names) == 4 and all(n.endswith("_card_fi.docx") for n in names)
        texts = [docx_text(archive.read(n)) for n in names]
    assert any("S20397" in t for t in texts)
    assert result.failed == []


def test_batch_lists_the_projects_whose_report_cannot_be_made(demo: Database) -> None:
    with demo.session("admin") as session:
        ids = reports.select_projects(session, status=["paattynyt", "kaynnissa"], actor=READER)
        result = reports.render_batch(
            session, "esr-period", ids, period=1, actor=local_admin("admin")
        )
    assert result.done == [] and len(result.failed) == 1
    assert all("raportointijaksoa 1" in line for line in result.failed)
    # The running project has no ESR funding: skipped, with the reason.
    assert result.skipped == [
        "Asunnottomien sosiaali- ja terveyspalveluiden kehittämishanke: Hankkeella Asunnottomien"
        " sosiaali- ja terveyspalveluiden kehittämishanke ei ole ESR-rahoitusta:"
        " ESR-raporttia ei tehdä."
    ]
    with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
        assert archive.namelist() == ["puuttuvat.txt", "ohitetut.txt"]
