"""The registry as tables: CSV (a ZIP of CSV files) and XLSX (one sheet per table).

A ``RegistryDoc`` is flattened into one table per kind of record. Every table is a list of
rows, every row a ``dict`` from column name to text; the related tables carry the
``project_key`` of the project they belong to. The columns of each table, in their fixed
order, are in ``TABLE_COLUMNS`` (and the ``*_COLUMNS`` constants), made from the schemas'
fields in ``tabular_columns``:

``projects``
    one row per project; ``project_key`` is ``ProjectDoc.key`` or, when the project has no
    key, a generated reference ``#1``, ``#2`` … (its position in the document). A
    ``project_key`` of the form ``#<number>`` reads back as "no key". ``themes`` are joined
    with ``"; "`` (so a theme must not contain ``;``).
``sections``, ``organisations``, ``funding``, ``people``, ``goals``, ``measures``, ``results``,
``indicators``, ``periods``, ``participant_stats``, ``budget_lines``, ``cost_actuals``,
``links``, ``attachments``
    one row per item of the project's list of that name; the organisation of
    ``organisations``, the funder of ``funding`` and the person of ``people`` are flattened
    into columns of the row. An indicator without a key gets ``#<number>`` like a project.
``target_revisions``, ``indicator_values``
    an indicator's revisions and values, with ``indicator_key`` naming the indicator.

Values: dates ISO (``2020-11-01``), numbers plain (``1000000.50``), yes/no as
``true``/``false``, nothing as the empty cell. On reading, Finnish dates (``1.11.2020``),
Finnish numbers (``1 000 000,50``) and ``kyllä``/``ei`` are accepted too.

CSV: UTF-8 with a byte-order mark (so Excel shows ä and ö right), comma-separated, quoted
only where needed (``csv.QUOTE_MINIMAL``), one file per non-empty table in a ZIP
(``projects.csv`` always). A single CSV file is read as the projects table; its delimiter
may be ``,`` or ``;`` (what Finnish Excel writes) or a tab.

XLSX: one sheet per table, named like the table. XLSX is not lossless: a cell holds at most
32 767 characters, so a longer text is cut and ends with ``[…]``, and numbers are stored as
binary floating point (15 significant digits). The JSON format is the lossless one.

Spreadsheet formulas: a text that a spreadsheet would run as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return, after leading spaces) is written
with a ``'`` in front (``neutralise_cell``) and the quote is taken away again on reading
(``restore_cell``). Number and date columns are not touched, so ``-5`` stays ``-5``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from lxml import etree
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel, ValidationError
from python_calamine import CalamineWorkbook

from .errors import N_, ImportFailed, Problem, ValidationFailed
from .fields import Kind
from .importers.base import ImportWarning
from .schemas import ProjectDoc, RegistryDoc, problems_from_validation_error
from .tabular_columns import (
    _INDICATOR_TABLES,
    _ITEM_COLS,
    _ITEM_MODELS,
    _PROJECT_COLS,
    _SPECS,
    ATTACHMENT_COLUMNS,
    BUDGET_LINE_COLUMNS,
    COST_ACTUAL_COLUMNS,
    FUNDING_COLUMNS,
    GOAL_COLUMNS,
    INDICATOR_COLUMNS,
    INDICATOR_VALUE_COLUMNS,
    LINK_COLUMNS,
    MEASURE_COLUMNS,
    ORGANISATION_COLUMNS,
    PARTICIPANT_STAT_COLUMNS,
    PEOPLE_COLUMNS,
    PERIOD_COLUMNS,
    PROJECT_COLUMNS,
    RESULT_COLUMNS,
    SECTION_COLUMNS,
    TABLE_COLUMNS,
    TABLE_NAMES,
    TARGET_REVISION_COLUMNS,
    Column,
    _header_map,
    _norm,
    is_project_name_header,
    table_name,
)
from .validators import xml_safe

Table = list[dict[str, str]]
Tables = dict[str, Table]

XLSX_MAX_CELL = 32_767
TRUNCATION_MARK = "[…]"
MAX_UNPACKED = 200 * 1024 * 1024  # refuse ZIP files that unpack to more than this
_CSV_FIELD_LIMIT = 10 * 1024 * 1024  # the csv module's default (128 KiB) is below MAX_TEXT
_GENERATED_REF = re.compile(r"^#\d+$")
_TEXT_KINDS = frozenset({"text", "longtext"})
_LINK_COLUMNS = frozenset({"project_key", "indicator_key"})  # not fields of the item


# --- formula neutralisation ----------------------------------------------------------------

# Leading whitespace other than tab and CR, then a character that starts a formula.
_FORMULA = re.compile(r"^[^\S\t\r]*[=+\-@\t\r]")
_QUOTED_FORMULA = re.compile(r"^'+[^\S\t\r]*[=+\-@\t\r]")


def neutralise_cell(text: str) -> str:
    """The text with ``'`` in front when a spreadsheet would read it as a formula.

    A text that already looks neutralised (quotes, then a formula character) gets one more
    quote too, so that ``restore_cell(neutralise_cell(t)) == t`` for every text.
    """
    if _FORMULA.match(text) or _QUOTED_FORMULA.match(text):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """``neutralise_cell`` undone: one leading ``'`` is removed when a formula character
    (after more quotes or spaces) follows it; any other text is returned as it is."""
    return text[1:] if _QUOTED_FORMULA.match(text) else text


# --- doc → tables --------------------------------------------------------------------------


def _format(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _get(item: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        item = getattr(item, part)
    return item


def _row(item: BaseModel, cols: Sequence[Column], **fixed: str) -> dict[str, str]:
    return {c.name: fixed[c.name] if c.name in fixed else _format(_get(item, c.path)) for c in cols}


def _ref(key: str | None, number: int) -> str:
    return key if key is not None else f"#{number}"


def _project_rows(project: ProjectDoc, ref: str) -> Iterator[tuple[str, dict[str, str]]]:
    themes = "; ".join(project.themes)
    yield "projects", _row(project, _PROJECT_COLS, project_key=ref, themes=themes)
    for name in _ITEM_COLS:
        if name in _INDICATOR_TABLES:
            continue
        cols = _SPECS[name]
        for number, item in enumerate(getattr(project, name), start=1):
            fixed = {"project_key": ref}
            if name == "indicators":
                fixed["key"] = _ref(item.key, number)
            yield name, _row(item, cols, **fixed)
    for number, indicator in enumerate(project.indicators, start=1):
        fixed = {"project_key": ref, "indicator_key": _ref(indicator.key, number)}
        for name, attr in _INDICATOR_TABLES.items():
            for item in getattr(indicator, attr):
                yield name, _row(item, _SPECS[name], **fixed)


def registry_to_tables(doc: RegistryDoc) -> Tables:
    """Every table (see the module docstring), each a list of rows; empty tables included."""
    tables: Tables = {name: [] for name in TABLE_NAMES}
    for number, project in enumerate(doc.projects, start=1):
        for name, row in _project_rows(project, _ref(project.key, number)):
            tables[name].append(row)
    return tables


# --- tables → doc --------------------------------------------------------------------------

_TRUE_WORDS = {"kyllä", "k", "x", "joo", "kylla"}
_FALSE_WORDS = {"ei", "e"}


def _cell_value(value: str, kind: Kind) -> str:
    if kind == "bool":
        word = value.strip().casefold()
        if word in _TRUE_WORDS:
            return "true"
        if word in _FALSE_WORDS:
            return "false"
    return value


def _nested(row: Mapping[str, str], cols: Iterable[Column]) -> dict[str, Any]:
    """The item model's input: non-empty cells only, so that empty ones take the defaults."""
    data: dict[str, Any] = {}
    for col in cols:
        value = row.get(col.name)
        if not value or not value.strip():
            continue
        if col.kind == "bool":
            value = _cell_value(value, col.kind)
        path = col.path
        if len(path) == 1:
            data[path[0]] = value
            continue
        target = data
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
    return data


def cell_location(table: str, row: int, column: str | None = None) -> str:
    """A problem's field for a cell: ``projects[3].end_date`` (row as a spreadsheet counts it,
    the header being row 1); ``evaus.i18n.field_label`` shows it as "Hankkeet, rivi 3:
    Päättymispäivä" in the user's language."""
    place = f"{table}[{row}]"
    return f"{place}.{column}" if column else place


@dataclass
class _Row:
    """A data row of a table, its cells keyed by the known column names."""

    table: str
    number: int  # as a spreadsheet counts: the header is row 1
    cells: dict[str, str]

    def where(self, column: str | None = None) -> str:
        return cell_location(self.table, self.number, column)

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()


def _column_for(loc: tuple[str | int, ...], cols: Sequence[Column]) -> str | None:
    for col in cols:
        if loc[: len(col.path)] == col.path:
            return col.name
    for col in cols:
        if loc and col.path[: len(loc)] == loc:
            return col.name
    return None


M = TypeVar("M", bound=BaseModel)


@cache
def _item_columns(table: str) -> tuple[Column, ...]:
    """A table's columns that are fields of its item (not the links to the project)."""
    return tuple(c for c in _SPECS[table] if c.name not in _LINK_COLUMNS)


def _problems(
    exc: ValidationError, row: _Row, cols: Sequence[Column], *, model_level: bool = False
) -> list[Problem]:
    """The errors as problems naming the row and the column (only the model's own checks,
    those without a field, when ``model_level``)."""
    problems = []
    errors = exc.errors(include_url=False)
    for error, problem in zip(errors, problems_from_validation_error(exc), strict=True):
        loc = tuple(error["loc"])
        if model_level and loc:
            continue
        column = _column_for(loc, cols) if loc else None
        if not loc and {"start", "end"} <= set(problem.params):
            column = "end_date"  # the model-level "end before start" check
        elif loc and column is None:
            column = ".".join(str(part) for part in loc)
        problems.append(Problem(row.where(column), problem.message, problem.params))
    return problems


def _known_rows(name: str, rows: Table, warnings: list[ImportWarning]) -> Iterator[_Row]:
    """The table's non-blank rows with their headers mapped to column names."""
    mapping = _header_map(name)
    headers = dict.fromkeys(h for row in rows for h in row)
    known: dict[str, str] = {}
    for header in headers:
        column = mapping.get(_norm(header))
        if column is None or column in known.values():
            warnings.append(
                ImportWarning(
                    N_("Column {column} in table {table} is not known and was ignored."),
                    {"column": header, "table": name},
                )
            )
        else:
            known[header] = column
    for number, row in enumerate(rows, start=2):
        if any(str(value).strip() for value in row.values()):
            cells = {known[h]: v for h, v in row.items() if h in known}
            yield _Row(name, number, cells)


def _validated(
    model: type[M], data: dict[str, Any], row: _Row, cols: Sequence[Column]
) -> tuple[M | None, list[Problem]]:
    """The row as the model, or every problem of the row. pydantic skips a model's own checks
    (end before start) when a field is wrong, so those are looked for again without the wrong
    fields. The row is validated once: at 10 000 projects a workbook has 200 000 rows."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = _problems(exc, row, cols)
        wrong = {error["loc"][0] for error in exc.errors() if error["loc"]}
        rest = {k: v for k, v in data.items() if k not in wrong}
        try:
            model.model_validate(rest)
        except ValidationError as again:
            problems += _problems(again, row, cols, model_level=True)
        return None, problems


@dataclass
class _Project:
    row: _Row
    key: str | None
    fields: dict[str, Any]
    lists: dict[str, list[BaseModel]] = field(default_factory=dict)
    # An indicator's reference (its key or "#n") → its revisions and values.
    indicator_items: dict[str, dict[str, list[BaseModel]]] = field(default_factory=dict)
    indicator_refs: list[str | None] = field(default_factory=list)
    valid: bool = True


class _Builder:
    """Collects the projects and their items from the tables, with every problem found."""

    def __init__(self) -> None:
        self.projects: dict[str, _Project] = {}
        self.order: list[_Project] = []
        self.problems: list[Problem] = []

    def _fail(self, project: _Project | None, problems: list[Problem]) -> None:
        self.problems.extend(problems)
        if project is not None:
            project.valid = False

    def add_project(self, row: _Row) -> None:
        ref = row.get("project_key")
        data = _nested(row.cells, _PROJECT_COLS[1:])
        if "themes" in data:
            data["themes"] = [t.strip() for t in data["themes"].split(";") if t.strip()]
        key = None if not ref or _GENERATED_REF.match(ref) else ref
        project = _Project(row, key, data)
        self.order.append(project)
        _valid, problems = _validated(ProjectDoc, data, row, _PROJECT_COLS)
        if problems:
            self._fail(project, problems)
        if ref in self.projects:
            message = N_("project {key} appears more than once")
            self._fail(project, [Problem(row.where("project_key"), message, {"key": ref})])
        elif ref:
            self.projects[ref] = project

    def _project_of(self, row: _Row) -> _Project | None:
        ref = row.get("project_key")
        if not ref:
            self._fail(None, [Problem(row.where("project_key"), N_("is required"))])
            return None
        project = self.projects.get(ref)
        if project is None:
            message = N_("refers to project {key} that does not exist")
            self._fail(None, [Problem(row.where("project_key"), message, {"key": ref})])
        return project

    def _item(self, row: _Row, project: _Project | None) -> BaseModel | None:
        cols = _SPECS[row.table]
        data = _nested(row.cells, _item_columns(row.table))
        if row.table == "indicators" and _GENERATED_REF.match(data.get("key", "")):
            del data["key"]
        model = _ITEM_MODELS[row.table]
        item, problems = _validated(model, data, row, cols)
        if problems:
            self._fail(project, problems)
        return item

    def add_item(self, row: _Row) -> None:
        project = self._project_of(row)
        item = self._item(row, project)
        if project is None or item is None:
            return
        project.lists.setdefault(row.table, []).append(item)
        if row.table == "indicators":
            self._add_indicator_ref(project, row)

    def _add_indicator_ref(self, project: _Project, row: _Row) -> None:
        ref = row.get("key") or None
        project.indicator_refs.append(ref)
        if ref is None:
            return
        if ref in project.indicator_items:
            message = N_("indicator {key} appears more than once")
            self._fail(project, [Problem(row.where("key"), message, {"key": ref})])
        project.indicator_items[ref] = {attr: [] for attr in _INDICATOR_TABLES.values()}

    def add_indicator_item(self, row: _Row, indicator_keys: Mapping[str, set[str]]) -> None:
        """A revision or value: ``indicator_keys`` has every indicator row's reference, so
        that a row whose indicator is itself wrong is not reported as referring to nothing."""
        project = self._project_of(row)
        item = self._item(row, project)
        if project is None:
            return
        ref = row.get("indicator_key")
        if not ref:
            self._fail(project, [Problem(row.where("indicator_key"), N_("is required"))])
        elif ref not in indicator_keys.get(row.get("project_key"), set()):
            message = N_("refers to indicator {key} that does not exist in project {project}")
            params = {"key": ref, "project": row.get("project_key")}
            self._fail(project, [Problem(row.where("indicator_key"), message, params)])
        elif item is not None and ref in project.indicator_items:
            project.indicator_items[ref][_INDICATOR_TABLES[row.table]].append(item)

    def document(self) -> RegistryDoc:
        docs = [doc for project in self.order if (doc := self._doc(project)) is not None]
        if self.problems:
            raise ValidationFailed(self.problems)
        return RegistryDoc(projects=docs)

    def _doc(self, project: _Project) -> ProjectDoc | None:
        """The whole project, checked as one (goal, measure and period references)."""
        if not project.valid:
            return None
        data: dict[str, Any] = {**project.fields, **project.lists}
        data["indicators"] = [
            indicator.model_copy(update=project.indicator_items[ref]) if ref else indicator
            for indicator, ref in zip(
                project.lists.get("indicators", []), project.indicator_refs, strict=True
            )
        ]
        if project.key is not None:
            data["key"] = project.key
        try:
            return ProjectDoc.model_validate(data)
        except ValidationError as exc:
            self._fail(project, _problems(exc, project.row, _PROJECT_COLS))
            return None


def _indicator_keys(rows: Iterable[_Row]) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for row in rows:
        if row.get("key"):
            keys.setdefault(row.get("project_key"), set()).add(row.get("key"))
    return keys


def _known_tables(
    tables: Mapping[str, Table], warnings: list[ImportWarning]
) -> dict[str, list[_Row]]:
    rows: dict[str, list[_Row]] = {}
    for raw_name, table in tables.items():
        name = table_name(raw_name)
        if name not in TABLE_COLUMNS or name in rows:
            message = N_("Table {table} is not known and was ignored.")
            warnings.append(ImportWarning(message, {"table": raw_name}))
        else:
            rows[name] = list(_known_rows(name, table, warnings))
    return rows


def tables_to_registry(
    tables: Mapping[str, Table],
) -> tuple[RegistryDoc, list[ImportWarning]]:
    """The registry in the tables; ``ValidationFailed`` with every problem found.

    Table names and column headers are compared case-insensitively; the projects table also
    takes Finnish headers. Unknown tables and columns are ignored with a warning; blank rows
    are skipped. Only the projects table is needed. A problem's field names the table, the
    row as a spreadsheet numbers it (the header is row 1) and the column:
    ``"projects[3].end_date"`` (see ``cell_location``).
    """
    warnings: list[ImportWarning] = []
    rows = _known_tables(tables, warnings)
    builder = _Builder()
    for row in rows.get("projects", []):
        builder.add_project(row)
    for name in _ITEM_COLS:
        if name not in _INDICATOR_TABLES:
            for row in rows.get(name, []):
                builder.add_item(row)
    indicator_keys = _indicator_keys(rows.get("indicators", []))
    for name in _INDICATOR_TABLES:
        for row in rows.get(name, []):
            builder.add_indicator_item(row, indicator_keys)
    return builder.document(), warnings


# --- CSV -----------------------------------------------------------------------------------

_ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # a fixed time, so the same registry gives the same bytes


def _kinds(name: str) -> dict[str, Kind]:
    return {c.name: c.kind for c in _SPECS[name]}


def _csv_bytes(name: str, rows: Table) -> bytes:
    kinds = _kinds(name)
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(TABLE_COLUMNS[name])
    for row in rows:
        writer.writerow(
            neutralise_cell(row[c]) if kinds[c] in _TEXT_KINDS else row[c]
            for c in TABLE_COLUMNS[name]
        )
    return out.getvalue().encode("utf-8-sig")


def registry_to_csv_zip(doc: RegistryDoc) -> bytes:
    """A ZIP with ``<table>.csv`` for every non-empty table (``projects.csv`` always)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in registry_to_tables(doc).items():
            if rows or name == "projects":
                info = zipfile.ZipInfo(f"{name}.csv", _ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, _csv_bytes(name, rows))
    return out.getvalue()


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); else Windows-1252, what older Finnish Excel writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=lambda d: (header.count(d), d == ","))


def _cell_name(header: str, index: int, seen: set[str]) -> str:
    """A distinct name for each column: blank or repeated headers get their position."""
    name = header.strip() or f"(column {index})"
    if name in seen:
        name = f"{name} (column {index})"
    seen.add(name)
    return name


def _drop_blank(table: Table, headers: Sequence[str], unnamed: set[str]) -> Table:
    """Trailing blank rows and unnamed blank columns (``a;b;`` lines) removed."""
    while table and not any(v.strip() for v in table[-1].values()):
        table.pop()
    empty = {h for h in unnamed if not any(row[h].strip() for row in table)}
    if not empty:
        return table
    return [{h: row[h] for h in headers if h not in empty} for row in table]


def _table_from_rows(records: Iterable[Sequence[str]]) -> Table:
    """Rows as dicts by header (the first row), with ``restore_cell`` applied to each cell."""
    iterator = iter(records)
    seen: set[str] = set()
    headers = [_cell_name(h, i, seen) for i, h in enumerate(next(iterator, []), start=1)]
    unnamed = {h for h in headers if h.startswith("(column ")}
    table: Table = []
    for record in iterator:
        while len(headers) < len(record):
            headers.append(_cell_name("", len(headers) + 1, seen))
            unnamed.add(headers[-1])
        # Only a text starting with ' can be a neutralised formula (most cells are not).
        cells = [restore_cell(value) if value[:1] == "'" else value for value in record]
        cells += [""] * (len(headers) - len(cells))
        table.append(dict(zip(headers, cells, strict=True)))
    for row in table:  # rows before a longer one get its extra columns too
        for header in headers[len(row) :]:
            row[header] = ""
    return _drop_blank(table, headers, unnamed)


def read_csv_table(data: bytes) -> Table:
    """One CSV file as a table; the delimiter (``,``, ``;`` or tab) is found from the header."""
    text = _decode(data)
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    try:
        return _table_from_rows(
            list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
        )
    except csv.Error as exc:
        raise ImportFailed(N_("The CSV file could not be read: {detail}"), detail=str(exc)) from exc


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFailed(N_("The file is damaged: it is not a valid ZIP archive.")) from exc
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
        raise ImportFailed(N_("The ZIP archive is too large to read."))
    return archive


def _csv_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    members: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        base = info.filename.rsplit("/", 1)[-1]
        hidden = info.filename.startswith("__MACOSX/") or base.startswith(".")
        if not info.is_dir() and not hidden and base.casefold().endswith(".csv"):
            members.setdefault(base[: -len(".csv")], info)
    return members


def read_csv_zip(data: bytes) -> Tables:
    """The tables of a ZIP of CSV files, each named by its file name without ``.csv``."""
    with _open_zip(data) as archive:
        members = _csv_members(archive)
        if "projects" not in {table_name(name) for name in members}:
            raise ImportFailed(N_("The ZIP archive has no projects.csv file."))
        try:
            return {name: read_csv_table(archive.read(info)) for name, info in members.items()}
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ImportFailed(N_("The file is damaged: it is not a valid ZIP archive.")) from exc


def is_zip(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


def registry_from_csv(data: bytes, filename: str | None = None) -> Tables:
    """The tables of a ZIP of CSV files, or of one CSV file read as the projects table."""
    del filename  # the content decides: a ZIP or a single CSV file
    if is_zip(data):
        return read_csv_zip(data)
    return {"projects": read_csv_table(data)}


# --- XLSX ----------------------------------------------------------------------------------

_MONEY_FORMAT = '#,##0.00 "€"'
_DATE_FORMAT = "d.m.yyyy"
_LONG_WIDTH = 60
_MAX_WIDTH = 40


def _xlsx_text(text: str) -> str:
    text = neutralise_cell(xml_safe(text))
    if len(text) > XLSX_MAX_CELL:
        text = text[: XLSX_MAX_CELL - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return text


def _xlsx_value(text: str, kind: Kind) -> Any:
    if not text:
        return None
    if kind == "date":
        return date.fromisoformat(text)
    if kind in ("money", "number"):
        return Decimal(text)
    if kind == "int":
        return int(text)
    if kind == "bool":
        return text == "true"
    return _xlsx_text(text)


def _width(name: str, kind: Kind, rows: Table) -> float:
    if kind == "longtext":
        return _LONG_WIDTH
    if kind == "date":
        return 12
    longest = max((len(row[name]) for row in rows[:200]), default=0)
    return min(_MAX_WIDTH, max(len(name), longest, 6) + 2)


def _write_sheet(sheet: Worksheet, name: str, rows: Table) -> None:
    cols = _SPECS[name]
    sheet.append([c.name for c in cols])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(rows, start=2):
        for index, col in enumerate(cols, start=1):
            value = _xlsx_value(row[col.name], col.kind)
            if value is None:
                continue
            cell = sheet.cell(row=number, column=index, value=value)
            if col.kind in _TEXT_KINDS:
                cell.data_type = "s"  # never a formula, whatever the text
            if col.kind == "longtext":
                cell.alignment = wrap
            elif col.kind == "date":
                cell.number_format = _DATE_FORMAT
            elif col.kind == "money":
                cell.number_format = _MONEY_FORMAT
    for index, col in enumerate(cols, start=1):
        width = _width(col.name, col.kind, rows)
        sheet.column_dimensions[get_column_letter(index)].width = width


def registry_to_xlsx(doc: RegistryDoc) -> bytes:
    """A workbook with one sheet per table (all of them, so the columns are visible).

    Not lossless: texts longer than 32 767 characters are cut and end with ``[…]``.
    """
    workbook = Workbook()
    first = workbook.active
    if first is not None:
        workbook.remove(first)
    for name, rows in registry_to_tables(doc).items():
        _write_sheet(workbook.create_sheet(name), name, rows)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_of(value: object) -> str:
    """A cell's value as the text the tables hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


# A worksheet's formula element (``<f>``, perhaps with a namespace prefix): a quick test on
# the raw XML, so that a workbook without formulas (every export) is not parsed twice.
_FORMULA_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_CELL_REFERENCE = re.compile(r"([A-Z]{1,3})(\d{1,7})")
_MAX_FORMULA_WARNINGS = 20
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True)
class FormulaCell:
    """A cell that holds a formula: where it is, the formula, and the value the spreadsheet
    program calculated and saved with it (None when the file has no calculated value)."""

    sheet: str
    row: int
    column: int  # 1 for A
    formula: str
    value: str | None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name → its XML part in the archive."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    workbook = etree.fromstring(archive.read("xl/workbook.xml"), parser)
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), parser)
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    paths = {}
    for sheet in workbook.iter("{*}sheet"):
        if sheet.get(_RELATIONSHIP_ID) in targets:
            target = targets[sheet.get(_RELATIONSHIP_ID)]
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            paths[sheet.get("name", "")] = path
    return paths


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _formulas_in_sheet(sheet: str, xml: bytes) -> Iterator[FormulaCell]:
    cells = etree.iterparse(io.BytesIO(xml), tag="{*}c", resolve_entities=False, no_network=True)
    for _event, element in cells:
        children = {_local(child.tag): child for child in element}
        reference = _CELL_REFERENCE.fullmatch(element.get("r", ""))
        if "f" in children and reference:
            value = children.get("v")
            if value is None:  # an inline string is a value too
                inline = children.get("is")
                value = inline.find(".//{*}t") if inline is not None else None
            yield FormulaCell(
                sheet=sheet,
                row=int(reference.group(2)),
                column=_column_number(reference.group(1)),
                formula=children["f"].text or "",
                value=value.text if value is not None else None,
            )
        element.clear()  # the sheet is read a cell at a time, not kept whole


def formula_cells(data: bytes) -> list[FormulaCell]:
    """Every cell of the workbook that holds a formula, sheet by sheet."""
    cells: list[FormulaCell] = []
    with _open_zip(data) as archive:
        names = set(archive.namelist())
        for sheet, path in _sheet_paths(archive).items():
            if path in names:
                xml = archive.read(path)
                if _FORMULA_ELEMENT.search(xml):
                    cells += _formulas_in_sheet(sheet, xml)
    return cells


def _formula_problems(
    cells: list[FormulaCell], tables: Tables, warnings: list[ImportWarning]
) -> list[Problem]:
    """A formula without a calculated value is a problem (its value is not in the file); a
    formula with one is read as that value, with a warning so that nobody is surprised."""
    problems = []
    for cell in cells:
        header = _header_of(tables.get(cell.sheet), cell.column)
        where = cell_location(cell.sheet, cell.row, header)
        params = {"formula": "=" + cell.formula if cell.formula else "="}
        if cell.value is None:
            message = N_(
                "holds the formula {formula} without a calculated value: open the file in a "
                "spreadsheet program, let it calculate and save it, or type the value in"
            )
            problems.append(Problem(where, message, params))
        elif len(warnings) < _MAX_FORMULA_WARNINGS:
            message = N_(
                "Sheet {sheet}, row {row}, column {column}: the value {value} calculated by "
                "the formula {formula} was used."
            )
            place = {"sheet": cell.sheet, "row": cell.row, "column": header or cell.column}
            warnings.append(ImportWarning(message, {**place, "value": cell.value, **params}))
    return problems


def _header_of(table: Table | None, column: int) -> str | None:
    if not table:
        return None
    headers = list(table[0])
    return headers[column - 1] if 0 < column <= len(headers) else None


def _sheet_tables(workbook: CalamineWorkbook) -> Tables:
    tables: Tables = {}
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        records = [
            [v if type(v) is str else _text_of(v) for v in row]  # most cells are texts
            for row in sheet.to_python(skip_empty_area=False)
        ]
        if any(any(cell.strip() for cell in record) for record in records):
            tables.setdefault(name, _table_from_rows(records))
    return tables


def registry_from_xlsx(data: bytes, warnings: list[ImportWarning] | None = None) -> Tables:
    """The tables of a workbook, one per sheet; when no sheet is called ``projects``
    (or ``hankkeet``), the first sheet is the projects table.

    A formula cell is read as the value the spreadsheet program saved with it, with a
    warning (added to ``warnings``); a formula without a saved value is a problem
    (``ValidationFailed`` naming the sheet, row and column), never an empty cell.

    Read with calamine (about ten times faster than openpyxl's reader on a 10 000-project
    workbook); openpyxl writes the exports."""
    _open_zip(data).close()
    try:
        tables = _sheet_tables(CalamineWorkbook.from_filelike(io.BytesIO(data)))
        formulas = formula_cells(data)
    except ImportFailed:
        raise
    except Exception as exc:  # a damaged file raises many kinds of error
        raise ImportFailed(N_("The file is damaged: it is not a readable XLSX workbook.")) from exc
    found: list[ImportWarning] = []
    if problems := _formula_problems(formulas, tables, found):
        raise ValidationFailed(problems)
    if warnings is not None:
        warnings += found
        if len(formulas) > len(found) > 0:
            message = N_("{count} more cells hold formulas; their calculated values were used.")
            warnings.append(ImportWarning(message, {"count": len(formulas) - len(found)}))
    if tables and "projects" not in {table_name(name) for name in tables}:
        first = next(iter(tables))
        tables = {"projects": tables.pop(first), **tables}
    return tables


# The column constants live in ``tabular_columns``; callers find them here too.
__all__ = [
    "ATTACHMENT_COLUMNS",
    "BUDGET_LINE_COLUMNS",
    "COST_ACTUAL_COLUMNS",
    "FUNDING_COLUMNS",
    "GOAL_COLUMNS",
    "INDICATOR_COLUMNS",
    "INDICATOR_VALUE_COLUMNS",
    "LINK_COLUMNS",
    "MEASURE_COLUMNS",
    "ORGANISATION_COLUMNS",
    "PARTICIPANT_STAT_COLUMNS",
    "PEOPLE_COLUMNS",
    "PERIOD_COLUMNS",
    "PROJECT_COLUMNS",
    "RESULT_COLUMNS",
    "SECTION_COLUMNS",
    "TABLE_COLUMNS",
    "TABLE_NAMES",
    "TARGET_REVISION_COLUMNS",
    "Column",
    "FormulaCell",
    "Kind",
    "Table",
    "Tables",
    "cell_location",
    "formula_cells",
    "is_project_name_header",
    "is_zip",
    "neutralise_cell",
    "read_csv_table",
    "read_csv_zip",
    "registry_from_csv",
    "registry_from_xlsx",
    "registry_to_csv_zip",
    "registry_to_tables",
    "registry_to_xlsx",
    "restore_cell",
    "table_name",
    "tables_to_registry",
]
