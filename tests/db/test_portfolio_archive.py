"""Portfolio reports in the report archive, the catalogue search of the indicator picker and a
portfolio's default publicity, on SQLite and PostgreSQL.

A DOCX portfolio report made with ``archive`` is filed with who made it, when, its selection and
period (audited like every insert), listed among the archived portfolio reports and downloaded
byte for byte; a workbook is not filed, and a project's archive does not list it. The picker
offers only entries in use, finds them by a name in any language or by Sotkanet's id (that
entry first), and shows a linked entry even when it is no longer in use.
"""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select

from evaus.db import Database
from evaus.services import indicator_catalogue as ic
from evaus.services import portfolio as service
from evaus.services import publishing
from evaus.services.access import Forbidden
from evaus.services.reports import list_archive
from project_db.errors import NotFound
from project_db.migrate import alembic_config, current_revision, upgrade
from project_db.models import AuditEntry, ReportArchive
from project_db.rollups import Selection
from tests.conftest import DATA_DIR
from tests.db.conftest import new_user
from tests.db.test_rollups import ADMIN, YEAR_2026, _small_registry

TODAY = date(2026, 12, 10)
SAMPLE_JSON = (DATA_DIR / "sotkanet_indicators_sample.json").read_bytes()


def test_a_docx_portfolio_report_is_archived_with_its_selection(database: Database) -> None:
    _small_registry(database)
    selection = Selection(portfolios=("P1",), **YEAR_2026)
    with database.session("tests") as session:
        ville = new_user(session, "ville", "viewer")
        made = service.portfolio_report(
            session, selection, actor=ville, lang="fi", today=TODAY, archive=True
        )
        # A workbook, and a report made without ``archive``, are not filed.
        service.portfolio_report(
            session, selection, actor=ville, report_format="xlsx", archive=True
        )
        service.portfolio_report(session, selection, actor=ville, today=TODAY)
    with database.session("tests") as session:
        (row,) = session.scalars(select(ReportArchive)).all()
        assert (row.kind, row.project_id, row.created_by, row.lang) == (
            "portfolio",
            None,
            "ville",
            "fi",
        )
        assert row.report_date == TODAY and row.content == made.content
        assert row.filename == made.filename and row.filename.endswith(".docx")
        assert Selection.model_validate_json(row.selection or "") == selection
        audited = session.scalars(
            select(AuditEntry.actor).where(
                AuditEntry.entity == "report_archive", AuditEntry.action == "create"
            )
        ).all()
        assert set(audited) == {"ville"}

        (listed,) = service.archived_reports(session, actor=ADMIN)
        assert (listed.id, listed.created_by, listed.start, listed.end) == (
            row.id,
            "ville",
            date(2026, 1, 1),
            date(2026, 12, 31),
        )
        assert listed.title == row.project_name and "P1" in listed.title
        again = service.archived_report(session, row.id, actor=ADMIN)
        assert (again.content, again.filename) == (made.content, made.filename)
        # Not in any project's archive.
        assert all(r.kind != "portfolio" for r in list_archive(session, 1, actor=ADMIN))


def test_only_a_portfolio_report_is_downloaded_as_one(database: Database) -> None:
    with database.session("tests") as session:
        with pytest.raises(NotFound):
            service.archived_report(session, 12345, actor=ADMIN)
        assert service.archived_reports(session, actor=ADMIN) == []


def test_the_picker_finds_entries_in_use_by_name_or_sotkanet_id(database: Database) -> None:
    with database.session("tests") as session:
        ic.import_catalogue(session, SAMPLE_JSON, filename="sotkanet.json", actor=ADMIN)
        maija = new_user(session, "maija", "manager")
        found, total = ic.search_for_link(session, "pitkäaikaistyöttömät", lang="fi", actor=maija)
        assert [e.key for e in found] == ["sotkanet:90002"] and total == 1
        assert found[0].source == "THL Sotkanet" and found[0].source_id == "90002"
        # Sotkanet's id: that entry first, even when other entries also contain the digits.
        found, _total = ic.search_for_link(session, "90004", lang="sv", actor=maija)
        assert found[0].key == "sotkanet:90004"
        assert found[0].name == ic.get_entry(session, "sotkanet:90004", actor=maija).name_sv
        ic.set_active(session, "sotkanet:90002", False, actor=ADMIN)
        found, total = ic.search_for_link(session, "pitkäaikaistyöttömät", lang="fi", actor=maija)
        assert (found, total) == ([], 0)
        # A linked entry no longer in use is still shown, marked.
        shown = ic.summaries(session, ["sotkanet:90002", "nothing"], lang="fi", actor=maija)
        assert list(shown) == ["sotkanet:90002"] and not shown["sotkanet:90002"].active


def test_a_portfolios_default_publicity_is_an_administrators_audited_choice(
    database: Database,
) -> None:
    _small_registry(database)
    with database.session("tests") as session:
        maija = new_user(session, "maija", "manager")
        with pytest.raises(Forbidden):
            publishing.set_portfolio_default(session, "P1", True, actor=maija)
        with pytest.raises(NotFound):
            publishing.set_portfolio_default(session, "nothing", True, actor=ADMIN)
        assert publishing.set_portfolio_default(session, "P1", True, actor=ADMIN) is True
        assert publishing.portfolio_default(session, "P1", actor=maija) is True
        changed = session.execute(
            select(AuditEntry.actor, AuditEntry.new_value).where(
                AuditEntry.field == "public_default", AuditEntry.action == "update"
            )
        ).all()
        assert changed == [("tests", "true")]


def test_migration_0021_down_and_up_keeps_the_archive(database: Database) -> None:
    _small_registry(database)
    selection = Selection(portfolios=("P1",), **YEAR_2026)
    with database.session("tests") as session:
        service.portfolio_report(session, selection, actor=ADMIN, today=TODAY, archive=True)
    database.engine.dispose()  # no idle connection of the registry's engine stays in the way
    # A plain engine of the same database: only the migrations' own statements run.
    engine = create_engine(database.engine.url.render_as_string(hide_password=False))
    try:
        command.downgrade(alembic_config(engine), "0020")
        assert current_revision(engine) == "0020"
        columns = {c["name"] for c in inspect(engine).get_columns("report_archive")}
        assert "selection" not in columns
        with engine.connect() as conn:  # the row stays, without its selection
            assert conn.exec_driver_sql("SELECT count(*) FROM report_archive").scalar() == 1
        upgrade(engine)
    finally:
        engine.dispose()
    with database.session("tests") as session:
        (listed,) = service.archived_reports(session, actor=ADMIN)
        assert (listed.start, listed.end) == (None, None)
        service.portfolio_report(session, selection, actor=ADMIN, today=TODAY, archive=True)
        assert [r.start for r in service.archived_reports(session, actor=ADMIN)] == [
            date(2026, 1, 1),
            None,
        ]
