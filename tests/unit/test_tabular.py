"""Tables, CSV and XLSX: round trips, formula neutralisation, hand-written sheets, errors."""

from __future__ import annotations

import copy
import csv
import io
import zipfile
from datetime import date
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import Cell

from evaus.i18n import describe_problem, field_label, format_message
from project_db.errors import ImportFailed, ValidationFailed
from project_db.importers.tabular import IMPORTERS, CsvImporter, XlsxImporter
from project_db.schemas import RegistryDoc
from project_db.tabular import (
    PROJECT_COLUMNS,
    TABLE_COLUMNS,
    TRUNCATION_MARK,
    XLSX_MAX_CELL,
    formula_cells,
    neutralise_cell,
    registry_from_csv,
    registry_from_xlsx,
    registry_to_csv_zip,
    registry_to_tables,
    registry_to_xlsx,
    restore_cell,
    tables_to_registry,
)

EVIL_LINK = '=HYPERLINK("http://evil","x")'
LONG_TEXT = ("Pitkä tiivistelmä äöå <b> & " * 1500)[:40_000].strip()
SHA = "ab" * 32


def _org(name: str, y_tunnus: str | None = None) -> dict[str, Any]:
    return {"name": name, "org_type": "kunta", "y_tunnus": y_tunnus, "municipality": "Oulu"}


def _project(key: str | None, name: str, summary: str) -> dict[str, Any]:
    return {
        "key": key,
        "source_key": "EURA-1",
        "name": name,
        "short_name": "HÄÖ",
        "project_type": "kehittamis",
        "portfolio": "sote",
        "status": "käynnissä",
        "start_date": "2020-11-01",
        "end_date": "2022-12-31",
        "summary": summary,
        "region": "pohjois-pohjanmaa",
        "municipality": "Oulu",
        "budget_amount": "1000000.50",
        "budget_class": "L",
        "eura_code": "S12345",
        "action_line": "@SUM(A1)",
        "specific_objective": "-2+3",
        "decision_number": "123/2020",
        "responsible_authority": "Pohjois-Pohjanmaan ELY-keskus",
        "website": "https://example.fi/hanke?a=1&b=2",
        "notes": 'Rivi 1\nRivi 2 <tärkeä> & "lainattu", pilkulla; puolipisteellä',
        "themes": ["Hyvinvointi", "Työllisyys ja osallisuus"],
        "sections": [{"kind": "background", "title": "Tausta", "body": EVIL_LINK}],
        "organisations": [{"organisation": _org("Oulun kaupunki", "0187690-1"), "role": "lead"}],
        "funding": [
            {
                "funder": _org("Pohjois-Pohjanmaan liitto"),
                "funder_code": "EAKR",
                "amount": "750000.25",
                "share_percent": "75",
                "own_contribution": "250000.25",
                "decision_number": "P-1/2020",
                "decision_date": "2020-10-15",
            }
        ],
        "people": [
            {
                "person": {
                    "name": "Åsa Ääkkönen",
                    "email": "asa@example.fi",
                    "phone": "+358 40 1234567",
                    "organisation": "Oulun kaupunki",
                },
                "role": "projektipäällikkö",
                "is_contact": True,
                "is_team": False,
            }
        ],
        "goals": [
            {"key": "g1", "title": "Päätavoite", "description": "Kuvaus"},
            {"key": "g2", "parent_key": "g1", "title": "Osatavoite"},
        ],
        "measures": [
            {
                "key": "m1",
                "goal_key": "g2",
                "title": "Toimenpide",
                "responsible": "Åsa",
                "start_date": "2021-01-01",
                "end_date": "2021-06-30",
            }
        ],
        "results": [
            {"key": "r1", "kind": "output", "goal_key": "g1", "measure_key": "m1", "text": "Tuotos"}
        ],
        "indicators": [
            {
                "key": "i1",
                "goal_key": "g1",
                "name": "Osallistujat",
                "unit": "hlö",
                "baseline": "0",
                "baseline_basis": "collected",
                "target": "100.5",
                "target_date": "2022-12-31",
                "source": "Rekisteri",
                "revisions": [
                    {
                        "old_target": "100",
                        "new_target": "100.5",
                        "reason": "Muutos",
                        "revised_on": "2021-03-01",
                    }
                ],
                "values": [
                    {"period": 1, "value": "-5", "basis": "estimate", "note": "arvio"},
                    {"period": 2, "value": "12.25", "basis": "collected"},
                ],
            },
            {
                "name": "Ilman avainta",
                "values": [{"period": 1, "value": "3", "basis": "sample"}],
            },
        ],
        "periods": [
            {"number": 1, "start_date": "2020-11-01", "end_date": "2021-06-30", "done": "Tehty"},
            {
                "number": 2,
                "start_date": "2021-07-01",
                "end_date": "2021-12-31",
                "deviations": "+ poikkeama",
            },
        ],
        "participant_stats": [
            {"period": 1, "gender": "nainen", "age_class": "18-29", "count": 12},
            {"gender": "mies", "age_class": "30-64", "count": 0},
        ],
        "attachments": [
            {
                "key": "a1",
                "filename": "liite ä.pdf",
                "content_type": "application/pdf",
                "size": 1234,
                "sha256": SHA,
                "description": "Liite",
            }
        ],
        "links": [{"url": "https://example.fi/?q=ä&x=1", "title": "Sivu"}],
    }


@pytest.fixture
def doc() -> RegistryDoc:
    second = _project(None, "Toinen hanke – Åland & <Ö>", "Lyhyt")
    second["themes"] = []
    return RegistryDoc.model_validate(
        {"projects": [_project("p-1", "Ensimmäinen hanke", LONG_TEXT), second]}
    )


def _without_long_text(dump: dict[str, Any]) -> dict[str, Any]:
    dump = copy.deepcopy(dump)
    dump["projects"][0]["summary"] = ""
    return dump


# --- neutralisation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "  =x", "'=x", "''@x", "'plain", "ok", ""],
)
def test_neutralise_round_trip(text: str) -> None:
    assert restore_cell(neutralise_cell(text)) == text


def test_neutralise_prefixes_formulas_only() -> None:
    assert neutralise_cell(EVIL_LINK) == "'" + EVIL_LINK
    assert neutralise_cell("  -x") == "'  -x"
    assert neutralise_cell("Hanke = hyvä") == "Hanke = hyvä"
    assert restore_cell("'hello") == "'hello"
    assert restore_cell("'=x") == "=x"


# --- tables ---------------------------------------------------------------------------------


def test_tables_have_fixed_columns(doc: RegistryDoc) -> None:
    tables = registry_to_tables(doc)
    assert set(tables) == set(TABLE_COLUMNS)
    for name, rows in tables.items():
        for row in rows:
            assert tuple(row) == TABLE_COLUMNS[name]
    assert tables["projects"][0]["project_key"] == "p-1"
    assert tables["projects"][1]["project_key"] == "#2"
    assert tables["projects"][0]["themes"] == "Hyvinvointi; Työllisyys ja osallisuus"
    assert tables["projects"][0]["budget_amount"] == "1000000.50"
    assert tables["projects"][0]["start_date"] == "2020-11-01"
    assert {r["indicator_key"] for r in tables["indicator_values"]} == {"i1", "#2"}


def test_tables_round_trip(doc: RegistryDoc) -> None:
    back, warnings = tables_to_registry(registry_to_tables(doc))
    assert back.model_dump() == doc.model_dump()
    assert warnings == []


# --- CSV ------------------------------------------------------------------------------------


def test_csv_zip_round_trip(doc: RegistryDoc) -> None:
    data = registry_to_csv_zip(doc)
    back, warnings = tables_to_registry(registry_from_csv(data, "registry.zip"))
    assert back.model_dump() == doc.model_dump()
    assert warnings == []


def test_csv_zip_content_is_neutralised_utf8_with_bom(doc: RegistryDoc) -> None:
    with zipfile.ZipFile(io.BytesIO(registry_to_csv_zip(doc))) as archive:
        names = set(archive.namelist())
        projects = archive.read("projects.csv")
        sections = archive.read("sections.csv").decode("utf-8-sig")
        values = archive.read("indicator_values.csv").decode("utf-8-sig")
    assert "projects.csv" in names and "links.csv" in names
    assert projects.startswith(b"\xef\xbb\xbf")
    text = projects.decode("utf-8-sig")
    assert "Ensimmäinen hanke" in text
    assert "'@SUM(A1)" in text and "'-2+3" in text
    assert "'=HYPERLINK" in sections
    value_rows = list(csv.DictReader(io.StringIO(values)))
    assert value_rows[0]["value"] == "-5"  # a number is not neutralised


def test_empty_registry_writes_projects_csv_only() -> None:
    with zipfile.ZipFile(io.BytesIO(registry_to_csv_zip(RegistryDoc()))) as archive:
        assert archive.namelist() == ["projects.csv"]
        header = archive.read("projects.csv").decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == list(PROJECT_COLUMNS)


def test_csv_importer_parses_zip(doc: RegistryDoc) -> None:
    data = registry_to_csv_zip(doc)
    importer = CsvImporter()
    assert importer.detect(data, "export.zip") == 1.0
    assert XlsxImporter().detect(data, "export.zip") == 0.0
    parsed = importer.parse(data, "export.zip")
    assert [p.doc.model_dump() for p in parsed] == [p.model_dump() for p in doc.projects]


HAND_WRITTEN = (
    "Hankkeen nimi;Tila;Aloituspäivä;Päättymispäivä;Budjetti;Maakunta;EURA-tunnus;Muistiinpano\n"
    "Hyvä hanke;käynnissä;1.11.2020;31.12.2022;1 000 000,50;Lappi;S1;jotain\n"
    "Toinen;päättynyt;01.09.2015;;;;;\n"
    ";;;;;;;\n"
)


def test_hand_written_finnish_csv_imports() -> None:
    data = HAND_WRITTEN.encode("utf-8")
    importer = CsvImporter()
    assert importer.detect(data, "hankkeet.csv") >= 0.9
    assert importer.detect(data, None) >= 0.8
    parsed = importer.parse(data, "hankkeet.csv")
    assert len(parsed) == 2
    first = parsed[0].doc
    assert first.name == "Hyvä hanke"
    assert first.status == "käynnissä"
    assert first.start_date is not None and first.start_date.isoformat() == "2020-11-01"
    assert str(first.budget_amount) == "1000000.50"
    assert first.region == "Lappi" and first.eura_code == "S1"
    assert first.key is None
    assert parsed[1].doc.start_date is not None
    assert parsed[1].doc.start_date.isoformat() == "2015-09-01"
    # the unknown column is reported, with the first project
    assert [w.params["column"] for w in parsed[0].warnings] == ["Muistiinpano"]
    assert parsed[1].warnings == []


def test_hand_written_windows_1252_csv_imports() -> None:
    data = "nimi,kunta\nÄänekosken hanke,Äänekoski\n".encode("cp1252")
    parsed = CsvImporter().parse(data, "lista.csv")
    assert parsed[0].doc.name == "Äänekosken hanke"


def test_csv_errors_name_row_and_column() -> None:
    data = (
        "nimi;aloituspäivä;päättymispäivä;budjetti\n"
        "Hyvä;1.1.2020;31.12.2020;100\n"
        "Huono päivä;31.2.2020;;\n"
        "Väärä järjestys;1.6.2021;1.1.2021;abc\n"
    ).encode()
    with pytest.raises(ValidationFailed) as caught:
        CsvImporter().parse(data, "lista.csv")
    fields = {p.field for p in caught.value.problems}
    assert fields == {
        "projects[3].start_date",
        "projects[4].end_date",
        "projects[4].budget_amount",
    }


def test_related_rows_are_checked(doc: RegistryDoc) -> None:
    tables = registry_to_tables(doc)
    tables["sections"].append({"project_key": "nope", "kind": "x", "title": "T", "body": ""})
    tables["indicator_values"][0]["indicator_key"] = "missing"
    tables["periods"][0]["start_date"] = "2021-13-01"
    tables["people"][0]["email"] = "ei-osoite"
    tables["projects"][0]["extra"] = "x"
    with pytest.raises(ValidationFailed) as caught:
        tables_to_registry(tables)
    fields = {p.field for p in caught.value.problems}
    assert fields == {
        "sections[4].project_key",
        "indicator_values[2].indicator_key",
        "periods[2].start_date",
        "people[2].email",
    }


def test_project_level_problems_name_the_project_row(doc: RegistryDoc) -> None:
    tables = registry_to_tables(doc)
    tables["indicator_values"][0]["period"] = "9"
    with pytest.raises(ValidationFailed) as caught:
        tables_to_registry(tables)
    assert [p.field for p in caught.value.problems] == ["projects[2]"]
    assert caught.value.problems[0].params == {"number": "9"}


def test_empty_csv_fails() -> None:
    with pytest.raises(ImportFailed):
        CsvImporter().parse(b"", "tyhja.csv")
    with pytest.raises(ImportFailed) as caught:
        CsvImporter().parse(b"nimi;tila\n", "tyhja.csv")
    assert caught.value.message == "The file has no projects."


def test_zip_without_projects_csv_fails() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("other.csv", "a,b\n1,2\n")
    with pytest.raises(ImportFailed):
        CsvImporter().parse(out.getvalue(), "x.zip")


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_round_trip(doc: RegistryDoc) -> None:
    data = registry_to_xlsx(doc)
    back, warnings = tables_to_registry(registry_from_xlsx(data))
    assert warnings == []
    assert _without_long_text(back.model_dump()) == _without_long_text(doc.model_dump())
    summary = back.projects[0].summary
    assert len(summary) == XLSX_MAX_CELL
    assert summary.endswith(TRUNCATION_MARK)
    assert LONG_TEXT.startswith(summary[: -len(TRUNCATION_MARK)])


def test_xlsx_cells_are_typed_and_neutralised(doc: RegistryDoc) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(registry_to_xlsx(doc)))
    assert workbook.sheetnames == list(TABLE_COLUMNS)
    projects = workbook["projects"]
    assert projects.freeze_panes == "A2"
    assert projects["A1"].font.b
    header = [c.value for c in projects[1]]
    row = {str(h): projects.cell(row=2, column=i) for i, h in enumerate(header, start=1)}
    assert row["action_line"].value == "'@SUM(A1)"
    assert row["action_line"].data_type == "s"
    start = row["start_date"]
    assert isinstance(start, Cell) and start.is_date
    assert start.number_format == "d.m.yyyy"
    assert row["budget_amount"].data_type == "n"
    assert row["budget_amount"].number_format == '#,##0.00 "€"'
    body = workbook["sections"]["D2"]
    assert body.value == "'" + EVIL_LINK
    assert body.data_type == "s"
    value = workbook["indicator_values"]["D2"]
    assert value.value == -5 and value.data_type == "n"
    with zipfile.ZipFile(io.BytesIO(registry_to_xlsx(doc))) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/"))
    assert b"'=HYPERLINK" in xml
    assert b"<f>" not in xml


def test_xlsx_importer(doc: RegistryDoc) -> None:
    data = registry_to_xlsx(doc)
    importer = XlsxImporter()
    assert importer.detect(data, None) == 1.0
    assert CsvImporter().detect(data, None) == 0.0
    assert len(importer.parse(data, "x.xlsx")) == 2


def test_hand_written_xlsx_first_sheet_is_projects() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Taul1"
    sheet.append(["Nimi", "Aloituspäivä", "Budjetti"])
    sheet.append(["Hanke Ö", date(2020, 11, 1), 1500.5])
    out = io.BytesIO()
    workbook.save(out)
    parsed = XlsxImporter().parse(out.getvalue(), "hankkeet.xlsx")
    assert parsed[0].doc.name == "Hanke Ö"
    assert str(parsed[0].doc.start_date) == "2020-11-01"
    assert str(parsed[0].doc.budget_amount) == "1500.5"


@pytest.mark.parametrize("data", [b"PK\x03\x04 broken", b"not a zip at all", b"\x00" * 100])
def test_corrupt_xlsx_fails(data: bytes) -> None:
    importer = XlsxImporter()
    assert importer.detect(data, "x.xlsx") > 0
    with pytest.raises(ImportFailed):
        importer.parse(data, "x.xlsx")


def test_zip_that_is_not_a_workbook_fails() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not really>")
    with pytest.raises(ImportFailed):
        XlsxImporter().parse(out.getvalue(), "x.xlsx")


def test_importer_names() -> None:
    assert [i.name for i in IMPORTERS] == ["csv", "xlsx"]


def test_trailing_delimiters_and_kylla_are_accepted(doc: RegistryDoc) -> None:
    data = b"nimi;kunta;;\nHanke;Oulu;;\n"
    parsed = CsvImporter().parse(data, None)
    assert parsed[0].doc.municipality == "Oulu"
    assert parsed[0].warnings == []
    tables = registry_to_tables(doc)
    tables["people"][0]["is_team"] = "Kyllä"
    tables["people"][0]["is_contact"] = "ei"
    back, _ = tables_to_registry(tables)
    assert back.projects[0].people[0].is_team is True
    assert back.projects[0].people[0].is_contact is False


def test_unknown_table_is_a_warning(doc: RegistryDoc) -> None:
    tables = registry_to_tables(doc)
    tables["Muistiinpanot"] = [{"a": "b"}]
    _, warnings = tables_to_registry(tables)
    assert [w.params for w in warnings] == [{"table": "Muistiinpanot"}]


def test_blank_indicator_key_is_required(doc: RegistryDoc) -> None:
    tables = registry_to_tables(doc)
    tables["target_revisions"][0]["indicator_key"] = ""
    with pytest.raises(ValidationFailed) as caught:
        tables_to_registry(tables)
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("target_revisions[2].indicator_key", "is required")
    ]


def test_problems_name_sheet_row_and_column_in_the_users_language() -> None:
    data = "nimi;kunta;budjetti\nHyvä;Oulu;abc\n".encode()
    with pytest.raises(ValidationFailed) as caught:
        CsvImporter().parse(data, "lista.csv")
    [problem] = caught.value.problems
    assert problem.field == "projects[2].budget_amount"
    assert describe_problem(problem, "fi").startswith("Hankkeet, rivi 2: Budjetti: ")
    assert describe_problem(problem, "sv").startswith("Projekt, rad 2: Budget")
    assert describe_problem(problem, "en").startswith("Projects, row 2: Budget: ")


def test_every_table_and_column_has_a_label_in_every_language() -> None:
    for table, columns in TABLE_COLUMNS.items():
        for column in columns:
            for lang in ("fi", "sv"):
                label = field_label(f"{table}[2].{column}", lang)
                place, name = label.split(": ", 1)
                assert table not in place and "row" not in place, (table, lang, label)
                assert name != column, f"no {lang} label for column {column} of {table}"
    # a field path of a JSON import uses the same labels
    assert field_label("projects.0.measures.0.responsible", "fi") == (
        "Vastuuhenkilö (hanke 1, toimenpide 1)"
    )


def xlsx_with_formulas(cached: str | None) -> bytes:
    """A hand-made list whose budget cell is a formula, saved with or without its value (as
    a spreadsheet program, or a generator such as openpyxl that calculates nothing, writes)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Hankkeet"
    sheet.append(["Hankkeen nimi", "Budjetti"])
    sheet.append(["Hanke", "=1000*2"])
    out = io.BytesIO()
    book.save(out)
    if cached is None:
        return out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<f>1000*2</f><v></v>", b"<f>1000*2</f>")
                content = content.replace(
                    b"<f>1000*2</f>", f"<f>1000*2</f><v>{cached}</v>".encode()
                )
            target.writestr(info, content)
    return result.getvalue()


def test_a_formula_without_a_calculated_value_is_refused_naming_the_cell() -> None:
    with pytest.raises(ValidationFailed) as caught:
        XlsxImporter().parse(xlsx_with_formulas(None), "lista.xlsx")
    [problem] = caught.value.problems
    assert problem.field == "Hankkeet[2].Budjetti"
    assert problem.params == {"formula": "=1000*2"}
    assert describe_problem(problem, "fi") == (
        "Hankkeet, rivi 2: Budjetti: solussa on kaava =1000*2 ilman laskettua arvoa: avaa "
        "tiedosto taulukko-ohjelmassa, anna sen laskea arvot ja tallenna, tai kirjoita arvo soluun"
    )


def test_a_formula_with_a_calculated_value_is_read_as_the_value_with_a_warning() -> None:
    [parsed] = XlsxImporter().parse(xlsx_with_formulas("2000"), "lista.xlsx")
    assert parsed.doc.budget_amount == 2000
    [warning] = parsed.warnings
    assert warning.params == {
        "sheet": "Hankkeet",
        "row": 2,
        "column": "Budjetti",
        "value": "2000",
        "formula": "=1000*2",
    }
    assert format_message(warning.message, "fi", **warning.params) == (
        "Taulukko Hankkeet, rivi 2, sarake Budjetti: käytettiin arvoa 2000, jonka kaava "
        "=1000*2 oli laskenut."
    )


def test_an_export_has_no_formulas_and_reads_without_warnings(doc: RegistryDoc) -> None:
    data = registry_to_xlsx(doc)
    assert formula_cells(data) == []
    assert all(not p.warnings for p in XlsxImporter().parse(data, "vienti.xlsx"))
