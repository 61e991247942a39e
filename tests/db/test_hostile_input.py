"""Hostile input through every way text gets in: services, JSON import, CSV and XLSX, reports.

The corpus (tests/data/hostile_strings.json, 350+ strings) holds XML/HTML metacharacters, script
payloads, control characters, lone surrogates, zero-width and bidi marks, emoji, SQL fragments,
spreadsheet formulas, path traversal, Finnish text and long strings; the 1 MB text is made here.

What is guaranteed for every string, on SQLite and PostgreSQL: no unexpected exception; the text is
stored and read back intact, or refused with ValidationFailed naming the field. "Intact" means
after the normalisation the registry does by design (``project_db.validators``):

* control characters other than tab and newline are REMOVED (they break XML in DOCX/XLSX and
  PostgreSQL refuses NUL) — the rest of the string is kept, see
  ``test_control_characters_are_removed_and_the_rest_is_kept``;
* a lone surrogate (not encodable as UTF-8 anywhere) becomes U+FFFD;
* text is NFC-normalised and CR/CRLF become LF;
* one-line fields (names, titles, units …) fold runs of whitespace into one space and strip;
  long texts are stripped at both ends; a blank optional field is empty.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from sqlalchemy import select

from evaus.db import Database
from evaus.services import registry_io, reports
from evaus.services.access import Actor, local_admin
from evaus.services.projects import create_project_for, get_project_doc, update_project
from project_db.errors import ValidationFailed
from project_db.models import Project
from project_db.schemas import ProjectDoc
from project_db.validators import clean_block, clean_line
from tests.reports_support import KINDS

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

CORPUS_FILE = Path(__file__).resolve().parent.parent / "data" / "hostile_strings.json"
CORPUS: list[str] = json.loads(CORPUS_FILE.read_text(encoding="ascii"))["strings"]
BATCH = 12
ADMIN = Actor(user_id=0, username="hostile-admin", role="admin", person_id=None, language="fi")
FUNDER_CODES = ("ESR", "STEA", "STM")
MEGABYTE = ("Pitkä <teksti> & \u202eRTL 👩‍👩‍👧 =1+1 " * 40_000)[:1_000_000]


def line(value: str) -> str:
    return clean_line(value)


def text(value: str) -> str:
    return clean_block(value)


def batches() -> list[list[str]]:
    return [CORPUS[i : i + BATCH] for i in range(0, len(CORPUS), BATCH)]


# --- one project document per batch ------------------------------------------------------------

# (field, normaliser, limit, required): the project's own text fields.
SCALARS: list[tuple[str, Callable[[str], str], int, bool]] = [
    ("name", line, 500, True),
    ("short_name", line, 100, False),
    ("summary", text, 200_000, False),
    ("municipality", line, 120, False),
    ("eura_code", line, 40, False),
    ("action_line", line, 300, False),
    ("specific_objective", line, 500, False),
    ("decision_number", line, 120, False),
    ("responsible_authority", line, 300, False),
    ("website", line, 500, False),
    ("notes", text, 200_000, False),
]


def fits(value: str, normalise: Callable[[str], str], limit: int, required: bool = True) -> bool:
    cleaned = normalise(value)
    return len(cleaned) <= limit and (bool(cleaned) or not required)


def pick(value: str, normalise: Callable[[str], str], limit: int, filler: str) -> str:
    """The hostile value where the field takes it, else a filler (refusals are tested apart)."""
    return value if fits(value, normalise, limit) else filler


def scalar_values(strings: list[str], offset: int) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for j, (field, normalise, limit, required) in enumerate(SCALARS):
        value = strings[(j + offset) % len(strings)]
        if required:
            values[field] = pick(value, normalise, limit, f"Täyte {j}")
        else:
            values[field] = value if fits(value, normalise, limit, False) else None
    return values


def hostile_doc(strings: list[str]) -> dict[str, Any]:
    """Every string in every writable text field of the project's related records."""
    start = date(2020, 1, 1)
    doc: dict[str, Any] = {**scalar_values(strings, 0), "status": "kaynnissa"}
    n = len(strings)

    def name(i: int, limit: int) -> str:
        return pick(strings[i], line, limit, f"Täyte {i}")

    def opt(i: int, normalise: Callable[[str], str], limit: int) -> str:
        return strings[i] if fits(strings[i], normalise, limit, False) else ""

    doc["themes"] = [opt(i, line, 200) if ";" not in strings[i] else f"teema {i}" for i in range(n)]
    doc["links"] = [
        {"url": pick(s, line, 2000, "https://example.org"), "title": opt(i, line, 300)}
        for i, s in enumerate(strings)
    ]
    doc["sections"] = [
        {"kind": "toimintaymparisto", "title": name(i, 300), "body": s}
        for i, s in enumerate(strings)
    ]
    doc["goals"] = [
        {"key": f"g{i}", "title": pick(s, text, 10_000, f"Tavoite {i}"), "description": s}
        for i, s in enumerate(strings)
    ]
    doc["measures"] = [
        {
            "key": f"m{i}",
            "goal_key": f"g{i}",
            "title": pick(s, text, 10_000, f"Toimenpide {i}"),
            "description": s,
            "responsible": opt(i, line, 300) or None,
        }
        for i, s in enumerate(strings)
    ]
    doc["results"] = [
        {"key": f"r{i}", "goal_key": f"g{i}", "text": pick(s, text, 200_000, f"Tulos {i}")}
        for i, s in enumerate(strings)
    ]
    doc["periods"] = [
        {
            "number": i + 1,
            "start_date": (start + timedelta(days=30 * i)).isoformat(),
            "end_date": (start + timedelta(days=30 * i + 29)).isoformat(),
            "done": s,
            "changes": s,
            "deviations": s,
            "next_steps": s,
        }
        for i, s in enumerate(strings)
    ]
    doc["indicators"] = [
        {
            "key": f"i{i}",
            "goal_key": f"g{i}",
            "name": pick(s, text, 2000, f"Mittari {i}"),
            "unit": opt(i, line, 80),
            "target": "10",
            "source": s,
            "revisions": [
                {
                    "new_target": "12",
                    "reason": pick(s, text, 10_000, "Syy"),
                    "revised_on": "2021-01-01",
                }
            ],
            "values": [{"period": i + 1, "value": "5", "basis": "collected", "note": s}],
        }
        for i, s in enumerate(strings)
    ]
    doc["people"] = [
        {"person": {"name": name(i, 200)}, "role": opt(i, line, 300), "is_contact": i == 0}
        for i in range(n)
    ]
    doc["organisations"] = [
        {
            "organisation": {"name": name(i, 300), "municipality": opt(i, line, 120) or None},
            "role": "osatoteuttaja" if i else "paatoteuttaja",
        }
        for i in range(n)
    ]
    doc["funding"] = [
        {
            "funder": {"name": name(i, 300)},
            # Every funder report is made of these projects, so the first funders name each fund.
            "funder_code": FUNDER_CODES[i] if i < len(FUNDER_CODES) else None,
            "amount": "1000",
            "decision_number": opt(i, line, 120) or None,
        }
        for i in range(n)
    ]
    return doc


def _clean(value: Any, normalise: Callable[[str], str]) -> Any:
    return normalise(value) if isinstance(value, str) else value


def check_read_back(sent: dict[str, Any], got: ProjectDoc) -> None:
    """What was sent, normalised as documented, is what the registry gives back."""
    for field, normalise, _limit, required in SCALARS:
        expected = _clean(sent[field], normalise) if sent[field] is not None else None
        if not required and field not in ("summary", "notes"):
            expected = expected or None
        if field in ("summary", "notes"):
            expected = expected or ""
        assert getattr(got, field) == expected, field
    # Blank themes are dropped and duplicates kept once.
    assert got.themes == list(dict.fromkeys(line(t) for t in sent["themes"] if line(t)))
    assert [(x.url, x.title) for x in got.links] == [
        (line(x["url"]), line(x["title"])) for x in sent["links"]
    ]
    assert [(x.title, x.body) for x in got.sections] == [
        (line(x["title"]), text(x["body"])) for x in sent["sections"]
    ]
    assert [(x.title, x.description) for x in got.goals] == [
        (text(x["title"]), text(x["description"])) for x in sent["goals"]
    ]
    assert [(x.title, x.description, x.responsible) for x in got.measures] == [
        (text(x["title"]), text(x["description"]), line(x["responsible"] or "") or None)
        for x in sent["measures"]
    ]
    assert [x.text for x in got.results] == [text(x["text"]) for x in sent["results"]]
    assert [(p.done, p.changes, p.deviations, p.next_steps) for p in got.periods] == [
        (text(p["done"]),) * 4 for p in sent["periods"]
    ]
    assert [
        (x.name, x.unit, x.source, x.revisions[0].reason, x.values[0].note) for x in got.indicators
    ] == [
        (
            text(x["name"]),
            line(x["unit"]),
            text(x["source"]),
            text(x["revisions"][0]["reason"]),
            text(x["values"][0]["note"]),
        )
        for x in sent["indicators"]
    ]
    assert [(p.person.name, p.role) for p in got.people] == [
        (line(p["person"]["name"]), line(p["role"])) for p in sent["people"]
    ]
    assert {o.organisation.name for o in got.organisations} == {
        line(o["organisation"]["name"]) for o in sent["organisations"]
    }
    assert [(f.funder.name, f.decision_number) for f in got.funding] == [
        (line(f["funder"]["name"]), line(f["decision_number"] or "") or None)
        for f in sent["funding"]
    ]


@pytest.fixture
def filled(database: Database) -> Iterator[tuple[Database, list[int]]]:
    """Every batch through the services: create, then update the project's own fields."""
    ids = []
    with database.session(ADMIN.username) as session:
        for strings in batches():
            sent = hostile_doc(strings)
            project = create_project_for(session, sent, actor=ADMIN)
            check_read_back(sent, get_project_doc(session, project.id, actor=READER))
            changes = scalar_values(strings, 1)
            update_project(
                session,
                project.id,
                changes,
                expected_version=project.version,
                actor=local_admin("x"),
            )
            check_read_back(sent | changes, get_project_doc(session, project.id, actor=READER))
            ids.append(project.id)
    yield database, ids


def test_services_store_and_read_back_every_string(filled: tuple[Database, list[int]]) -> None:
    database, ids = filled
    assert len(ids) == len(batches())
    with database.session() as session:
        assert len(session.scalars(select(Project)).all()) == len(ids)


def test_json_import_stores_every_string(database: Database) -> None:
    for strings in batches():
        sent = hostile_doc(strings)
        payload = json.dumps({"projects": [sent]}, ensure_ascii=True).encode("ascii")
        with database.session("importer") as session:
            report = registry_io.import_source(session, payload, actor=local_admin("importer"))
            (item,) = report.projects
            assert item.action == "created" and item.project_id is not None
            check_read_back(sent, get_project_doc(session, item.project_id, actor=READER))


def test_control_characters_are_removed_and_the_rest_is_kept(database: Database) -> None:
    controls = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\x7f"
    with database.session("tester") as session:
        project = create_project_for(
            session,
            {"name": f"Alku{controls}loppu äöå", "summary": "Rivi\x00 1\nRivi\x1b 2\ttab"},
            actor=ADMIN,
        )
        doc = get_project_doc(session, project.id, actor=READER)
    assert doc.name == "Alkuloppu äöå"
    assert doc.summary == "Rivi 1\nRivi 2\ttab"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "\x00\x01"}, "name"),
        ({"name": "n" * 501}, "name"),
        ({"name": "ok", "short_name": "ä" * 101}, "short_name"),
        ({"name": "ok", "eura_code": "=1+1" * 11}, "eura_code"),
        ({"name": "ok", "summary": MEGABYTE}, "summary"),
        ({"name": "ok", "people": [{"person": {"name": "p" * 201}}]}, "people.0.person.name"),
        (
            {"name": "ok", "organisations": [{"organisation": {"name": "o" * 301}, "role": "x"}]},
            "organisations.0.organisation.name",
        ),
        ({"name": "ok", "indicators": [{"name": "m", "unit": "u" * 81}]}, "indicators.0.unit"),
        ({"name": "ok", "sections": [{"kind": "k", "title": "t" * 301}]}, "sections.0.title"),
        ({"name": "ok", "goals": [{"key": "k" * 37, "title": "t"}]}, "goals.0.key"),
        ({"name": "ok", "themes": ["t" * 201]}, "themes.0"),
        ({"name": "ok", "themes": ["a", "b; c"]}, "themes.1"),
    ],
)
def test_refusals_name_the_field(database: Database, data: dict[str, Any], field: str) -> None:
    with database.session("tester") as session, pytest.raises(ValidationFailed) as caught:
        create_project_for(session, data, actor=ADMIN)
    assert field in {p.field for p in caught.value.problems}
    assert field in str(caught.value)


def test_a_long_text_is_kept_whole(database: Database) -> None:
    long = MEGABYTE[:199_000]
    with database.session("tester") as session:
        project = create_project_for(session, {"name": "Pitkä", "summary": long}, actor=ADMIN)
        assert get_project_doc(session, project.id, actor=READER).summary == text(long)


# --- spreadsheets: formulas neutralised, the round trip keeps every text -------------------------

_FORMULA_START = re.compile(r"^[^\S\t\r]*[=+\-@\t\r]")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _is_live_formula(cell: str) -> bool:
    return bool(_FORMULA_START.match(cell)) and not _NUMBER.match(cell)


def test_csv_and_xlsx_neutralise_formulas_and_round_trip(
    filled: tuple[Database, list[int]],
) -> None:
    database, ids = filled
    with database.session() as session:
        csv_zip = registry_io.export_csv_zip(session, actor=READER)
        xlsx = registry_io.export_xlsx(session, actor=READER)
    with zipfile.ZipFile(io.BytesIO(csv_zip)) as archive:
        cells = [
            cell
            for name in archive.namelist()
            for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
            for cell in row
        ]
    assert any(cell.startswith("'=HYPERLINK(") for cell in cells)
    assert not [cell for cell in cells if _is_live_formula(cell)]
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    seen = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    seen += 1
                    assert not _is_live_formula(c.value), (sheet.title, c.coordinate)
    assert seen > 1000
    for data, name in ((csv_zip, "registry.zip"), (xlsx, "registry.xlsx")):
        with database.session("importer") as session:
            report = registry_io.import_source(
                session, data, filename=name, actor=local_admin("importer")
            )
        assert {item.action for item in report.projects} == {"unchanged"}, name
        assert len(report.projects) == len(ids)


# --- reports ------------------------------------------------------------------------------------


def test_every_report_kind_renders_hostile_text(filled: tuple[Database, list[int]]) -> None:
    database, ids = filled
    with database.session("reporter") as session:
        for project_id in ids[:3]:
            for kind in KINDS:
                made = reports.generate_report(
                    session, project_id, kind, actor=local_admin("reporter")
                )
                document = docx.Document(io.BytesIO(made.content))
                assert document.paragraphs
        session.commit()


@pytest.mark.slow
def test_libreoffice_opens_a_hostile_report(filled: tuple[Database, list[int]]) -> None:
    from evaus.reports.pdf import convert_to_pdf, soffice_path

    if soffice_path() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    database, ids = filled
    with database.session("reporter") as session:
        made = reports.generate_report(session, ids[0], "esr-final", actor=local_admin("reporter"))
    assert convert_to_pdf(made.content).startswith(b"%PDF")


def test_leading_tab_of_a_text_is_kept_through_services_json_and_csv(database: Database) -> None:
    """ "\t=cmd" stays as written: trimming it once turned the text into a formula-like "=cmd"."""
    summary = "\t=cmd|' /C calc'!A0\n\nToinen kappale."
    with database.session(ADMIN.username) as session:
        project = create_project_for(
            session, {"name": "Sarkain alussa", "summary": summary}, actor=ADMIN
        )
        assert get_project_doc(session, project.id, actor=READER).summary == summary
        exported = registry_io.export_json(session, actor=READER)
        csv_zip = registry_io.export_csv_zip(session, actor=READER)
    assert clean_block("\n \n\t=x  \n\n") == "\t=x"
    with zipfile.ZipFile(io.BytesIO(csv_zip)) as archive:
        projects_csv = archive.read(next(n for n in archive.namelist() if "project" in n))
    # The spreadsheet never sees a live formula, and the CSV import gives the text back.
    assert b"'\t=cmd" in projects_csv or b"\t=cmd" in projects_csv
    for data, name in ((exported, "registry.json"), (csv_zip, "registry.zip")):
        with database.session("importer") as session:
            report = registry_io.import_source(
                session, data, filename=name, actor=local_admin("importer")
            )
            assert {item.action for item in report.projects} == {"unchanged"}, name
            assert get_project_doc(session, project.id, actor=READER).summary == summary, name
