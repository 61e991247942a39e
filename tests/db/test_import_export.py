"""Importing real cards, the demo data, exports and backups — on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from evaus.db import Database
from evaus.demo import load_demo
from evaus.services import registry_io
from evaus.services.access import local_admin
from evaus.services.startup import open_registry
from project_db.backup import create_backup, restore_backup
from project_db.base import Base
from project_db.errors import ImportFailed, ValidationFailed
from project_db.models import AuditEntry, Project
from tests.conftest import seed_bytes

READER = local_admin("tests")  # who reads in these tests (services take the Actor)


def _row_counts(database: Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def _export(database: Database) -> dict:
    with database.session() as session:
        return json.loads(registry_io.export_json(session, actor=READER))


def _project(export: dict, name_part: str) -> dict:
    return next(p for p in export["projects"] if name_part in p["name"])


def test_demo_export_holds_the_seed_facts(database: Database) -> None:
    with database.session("demo") as session:
        load_demo(session)
    export = _export(database)
    assert len(export["projects"]) == 4

    oulu = _project(export, "Asunnottomien sosiaali- ja terveyspalveluiden")
    assert {f["funder"]["name"] for f in oulu["funding"]} == {
        "Sosiaali- ja terveysministeriö",
        "Oulun kaupunki",
    }
    assert {f["funder_code"] for f in oulu["funding"]} == {"STM", "KUNTA"}
    assert oulu["start_date"] == "2020-11-01"
    assert oulu["portfolio"] == "Hyvinvointisalkku 2014-2020"
    assert oulu["status"] == "kaynnissa"
    contacts = {p["person"]["name"]: p for p in oulu["people"]}
    assert set(contacts) == {"Arja Heikkinen", "Katja Karppinen"}
    assert "Vastuullinen johtaja" in contacts["Arja Heikkinen"]["role"]
    assert contacts["Katja Karppinen"]["role"] == "Yhteyshenkilö"
    assert contacts["Katja Karppinen"]["person"]["email"] == "katja.karppinen@ouka.fi"
    assert any(i["target"] == "200" and i["unit"].startswith("henkil") for i in oulu["indicators"])

    soku = _project(export, "SoKu")
    assert soku["eura_code"] == "S20397"
    assert soku["region"] == "pirkanmaa"
    assert (soku["start_date"], soku["end_date"]) == ("2015-09-01", "2018-11-30")
    assert soku["budget_class"] == "yli-1000000"
    assert [
        o["organisation"]["name"] for o in soku["organisations"] if o["role"] == "paatoteuttaja"
    ] == ["Valkeakosken kaupunki"]
    team = [p for p in soku["people"] if p["is_team"]]
    assert len(team) == 8
    assert all(p["person"]["email"] for p in team)
    assert team[0]["role"] == "Projektipäällikkö"
    assert team[0]["person"]["email"] == "ilkka.peltomaa@valkeakoski.fi"

    hanska = _project(export, "Sosiaalisen kuntoutuksen yhteistyöprosessi")
    assert {s["kind"] for s in hanska["sections"]} >= {"perusidea", "kohderyhma", "ehdot", "vinkit"}
    kuopio = _project(export, "Asunnottomuuden ennaltaehkäisy")
    assert any(p["person"]["name"] == "Virpi Kilpeläinen" for p in kuopio["people"])


def test_demo_is_idempotent(database: Database) -> None:
    with database.session() as session:
        load_demo(session)
    before = _row_counts(database)
    with database.session() as session:
        reports = load_demo(session)
    after = _row_counts(database)
    assert [p.action for r in reports for p in r.projects] == ["unchanged"] * 4
    assert after == before


def test_reimport_of_a_changed_card_updates_the_project(database: Database) -> None:
    card = seed_bytes("001_oulu_asunnottomat.txt")
    with database.session() as session:
        registry_io.import_source(session, card, actor=local_admin("t"))
        changed = card.replace("Käynnissä".encode(), "Päättynyt".encode())
        report = registry_io.import_source(session, changed, actor=local_admin("t"))
        assert report.projects[0].action == "updated"
        assert session.scalar(select(func.count()).select_from(Project)) == 1
        entry = session.scalars(select(AuditEntry).where(AuditEntry.field == "status")).one()
    assert (entry.old_value, entry.new_value) == ("kaynnissa", "paattynyt")


def test_json_export_import_export_is_identical(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        load_demo(session)
    first = _export(database)
    other = open_registry(url=f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with other.session() as session:
        registry_io.import_source(session, json.dumps(first).encode(), actor=local_admin("t"))
        second = json.loads(registry_io.export_json(session, actor=READER))
    assert second == first


def test_dry_run_changes_nothing(database: Database) -> None:
    before = _row_counts(database)
    with database.session() as session:
        report = registry_io.import_source(
            session, seed_bytes("004_esr_soku.txt"), dry_run=True, actor=local_admin("t")
        )
    assert report.projects[0].action == "created"
    assert _row_counts(database) == before


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", ImportFailed),
        (b"\x00\x01\x02\xff\xfe" * 200, ImportFailed),
        (b"just some words that are no card at all", ImportFailed),
        (
            b'{"format": "evaus-registry", "projects": [{"name": "A", "end_date": "2020-01-01", '
            b'"start_date": "2021-01-01"}]}',
            ValidationFailed,
        ),
        (b'{"projects": [{"name": "A"}, {"name": "B", "status": "tuntematon"}]}', ValidationFailed),
        (b'{"projects": [', ImportFailed),
        (
            json.dumps({"projects": [{"name": "A", "summary": "x" * 10_000_000}]}).encode(),
            ValidationFailed,
        ),
        (
            json.dumps(
                {
                    "projects": [
                        {
                            "name": "A",
                            "organisations": [
                                {
                                    "organisation": {"name": "B", "y_tunnus": "1234567-8"},
                                    "role": "paatoteuttaja",
                                }
                            ],
                        }
                    ]
                }
            ).encode(),
            ValidationFailed,
        ),
    ],
    ids=[
        "empty",
        "binary",
        "unknown-format",
        "end-before-start",
        "unknown-status",
        "truncated-json",
        "10MB-field",
        "bad-ytunnus",
    ],
)
def test_failed_import_leaves_the_database_unchanged(
    database: Database, data: bytes, expected: type[Exception]
) -> None:
    with database.session() as session:
        load_demo(session)
    before = _row_counts(database)
    with database.session() as session, pytest.raises(expected):
        registry_io.import_source(session, data, actor=local_admin("t"))
    assert _row_counts(database) == before


def test_csv_and_xlsx_exports_neutralise_formulas(database: Database) -> None:
    doc = {
        "projects": [{"name": '=HYPERLINK("http://evil","klikkaa")', "summary": "@SUM(A1) & <b>"}]
    }
    with database.session() as session:
        registry_io.import_source(session, json.dumps(doc).encode(), actor=local_admin("t"))
        csv_zip = registry_io.export_csv_zip(session, actor=READER)
        xlsx = registry_io.export_xlsx(session, actor=READER)
    projects_csv = zipfile.ZipFile(io.BytesIO(csv_zip)).read("projects.csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in projects_csv
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx))["projects"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" and str(c.value).startswith("'=") for c in cells)


def test_xlsx_export_imports_back(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        load_demo(session)
        xlsx = registry_io.export_xlsx(session, actor=READER)
    other = open_registry(url=f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with other.session() as session:
        report = registry_io.import_source(
            session, xlsx, filename="rekisteri.xlsx", actor=local_admin("t")
        )
    assert report.format == "xlsx"
    assert report.counts["created"] == 4


def test_backup_restore_round_trip(database: Database, tmp_path: Path) -> None:
    with database.session() as session:
        load_demo(session)
    attachments = tmp_path / "attachments"
    (attachments / "ab").mkdir(parents=True)
    (attachments / "ab" / "file.bin").write_bytes(b"liite")
    backup = create_backup(database.engine, attachments)
    export_before = _export(database)
    counts_before = _row_counts(database)

    with database.session() as session:  # change things after the backup
        registry_io.import_source(
            session, b'{"projects": [{"name": "Uusi"}]}', actor=local_admin("t")
        )
    restored_dir = tmp_path / "restored"
    restore_backup(database.engine, backup, restored_dir)
    assert _export(database) == export_before
    assert _row_counts(database) == counts_before
    assert (restored_dir / "ab" / "file.bin").read_bytes() == b"liite"
    with database.session() as session:  # ids continue after the restored ones
        registry_io.import_source(
            session, b'{"projects": [{"name": "Uusi"}]}', actor=local_admin("t")
        )


def test_hostile_card_text_is_kept_as_text(database: Database) -> None:
    card = seed_bytes("001_oulu_asunnottomat.txt").decode("utf-8")
    hostile = 'Tavoite <script>alert(1)</script> & =HYPERLINK("http://evil","x") \x07loppu'
    card = card.replace("Oulun kaupunki osallistuu", hostile + " Oulun kaupunki osallistuu", 1)
    with database.session() as session:
        report = registry_io.import_source(session, card.encode("utf-8"), actor=local_admin("t"))
        export = json.loads(registry_io.export_json(session, actor=READER))
    assert report.projects[0].action == "created"
    summary = export["projects"][0]["summary"]
    assert '<script>alert(1)</script> & =HYPERLINK("http://evil","x") loppu' in summary


def test_invalid_value_in_a_card_is_a_warning_and_kept_in_notes(database: Database) -> None:
    card = seed_bytes("004_esr_soku.txt").replace(b"01.09.2015", b"31.02.2015")
    with database.session() as session:
        report = registry_io.import_source(session, card, actor=local_admin("t"))
        project = session.scalars(select(Project)).one()
    assert project.start_date is None
    assert "31.02.2015" in project.notes
    assert any("31.02.2015" in w.render() for w in report.projects[0].warnings)
