"""Spreadsheet importers: CSV (one file, or a ZIP of them) and XLSX, as ``project_db.tabular``
writes them or as people write a simple list of projects by hand."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import PurePath

from ..errors import N_, ImportFailed
from ..tabular import (
    Tables,
    is_project_name_header,
    is_zip,
    registry_from_csv,
    registry_from_xlsx,
    table_name,
    tables_to_registry,
)
from .base import Importer, ImportWarning, ParsedProject

__all__ = ["IMPORTERS", "CsvImporter", "XlsxImporter"]


def _zip_names(data: bytes) -> set[str]:
    """The member names of a ZIP archive, lower-cased; empty when it is not one."""
    if not is_zip(data):
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {name.casefold() for name in archive.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()


def _extension(filename: str | None) -> str:
    return PurePath(filename).suffix.casefold() if filename else ""


def _has_project_header(data: bytes) -> bool:
    """Whether the first line reads as a CSV header with a project-name column."""
    first = re.split(rb"\r\n?|\n", data[:4096], maxsplit=1)[0]  # CR alone ends a line too
    text = first.decode("utf-8-sig", errors="replace")
    for delimiter in (";", ",", "\t"):
        try:
            headers = next(csv.reader([text], delimiter=delimiter), [])
        except csv.Error:  # e.g. a NUL byte: not a CSV header
            continue
        if len(headers) >= 2 and any(is_project_name_header(h) for h in headers):
            return True
    return False


def _projects(
    tables: Tables, file_warnings: list[ImportWarning] | None = None
) -> list[ParsedProject]:
    """One ParsedProject per project; the warnings (about the file) go with the first."""
    doc, warnings = tables_to_registry(tables)
    if not doc.projects:
        raise ImportFailed(N_("The file has no projects."))
    parsed = [ParsedProject(project) for project in doc.projects]
    parsed[0].warnings.extend([*(file_warnings or []), *warnings])
    return parsed


class CsvImporter:
    """``evaus export --format csv`` (a ZIP of CSV files) or a single CSV list of projects."""

    name = "csv"
    label = N_("CSV table (one file or a ZIP of tables)")

    def detect(self, data: bytes, filename: str | None) -> float:
        names = _zip_names(data)
        if names:
            stems = [n.rsplit("/", 1)[-1][:-4] for n in names if n.endswith(".csv")]
            if any(table_name(stem) == "projects" for stem in stems):
                return 1.0
            return 0.3 if stems else 0.0  # parse then says that projects.csv is missing
        header = _has_project_header(data)
        if _extension(filename) == ".csv":
            return 0.95 if header else 0.6
        return 0.8 if header else 0.0

    def parse(self, data: bytes, filename: str | None) -> list[ParsedProject]:
        if not data.strip():
            raise ImportFailed(N_("The file has no projects."))
        return _projects(registry_from_csv(data, filename))


class XlsxImporter:
    """An Excel workbook: ``evaus export --format xlsx`` or a sheet listing projects."""

    name = "xlsx"
    label = N_("Excel workbook (XLSX)")

    def detect(self, data: bytes, filename: str | None) -> float:
        if "xl/workbook.xml" in _zip_names(data):
            return 1.0
        if _extension(filename) in (".xlsx", ".xlsm"):
            return 0.6  # damaged or not an XLSX: parse says so clearly
        return 0.0

    def parse(self, data: bytes, filename: str | None) -> list[ParsedProject]:
        if not data.strip():
            raise ImportFailed(N_("The file has no projects."))
        warnings: list[ImportWarning] = []
        tables = registry_from_xlsx(data, warnings)
        return _projects(tables, warnings)


IMPORTERS: list[Importer] = [CsvImporter(), XlsxImporter()]
