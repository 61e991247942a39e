"""Full backups: every table's rows plus the attachment files, in one ZIP.

The format does not depend on the backend, so a SQLite database can be restored into
PostgreSQL and back. Restore replaces the whole content in one transaction.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, text
from sqlalchemy import types as sqltypes
from sqlalchemy.types import TypeDecorator

from .base import Base
from .errors import N_, ImportFailed
from .migrate import current_revision

FORMAT = "evaus-backup"
FORMAT_VERSION = 1


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):  # archived reports and template versions
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decode(column_type: sqltypes.TypeEngine[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, TypeDecorator):  # e.g. UtcDateTime: decode as what it stores
        column_type = column_type.impl_instance
    if isinstance(column_type, sqltypes.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, sqltypes.Date):
        return date.fromisoformat(value)
    if isinstance(column_type, sqltypes.Numeric):
        return Decimal(value)
    if isinstance(column_type, sqltypes.LargeBinary):
        return base64.b64decode(value)
    return value


def _attachment_files(attachments_dir: Path) -> list[Path]:
    if not attachments_dir.is_dir():
        return []
    return sorted(p for p in attachments_dir.rglob("*") if p.is_file())


def create_backup(engine: Engine, attachments_dir: Path) -> bytes:
    """The whole database and the attachment files as a ZIP."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            pk = list(table.primary_key.columns)
            rows = connection.execute(select(table).order_by(*pk)).mappings()
            tables[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
        revision = current_revision(engine)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "revision": revision}
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        archive.writestr("tables.json", json.dumps(tables, ensure_ascii=False, sort_keys=True))
        for path in _attachment_files(attachments_dir):
            archive.write(path, f"attachments/{path.relative_to(attachments_dir).as_posix()}")
    return buffer.getvalue()


def _read_backup(
    data: bytes,
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]], zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        manifest = json.loads(archive.read("manifest.json"))
        tables = json.loads(archive.read("tables.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError):
        raise ImportFailed(N_("The file is not an EVAUS backup.")) from None
    if manifest.get("format") != FORMAT:
        raise ImportFailed(N_("The file is not an EVAUS backup."))
    return manifest, tables, archive


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL: identity sequences continue after the restored ids."""
    if connection.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c:
            continue
        highest = connection.scalar(select(func.max(table.c.id))) or 0
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v, :called)"),
            {"t": table.name, "v": max(highest, 1), "called": highest > 0},
        )


def restore_backup(engine: Engine, data: bytes, attachments_dir: Path) -> dict[str, int]:
    """Replace the database content with the backup's; returns row counts per table."""
    manifest, tables, archive = _read_backup(data)
    if manifest.get("revision") != current_revision(engine):
        raise ImportFailed(
            N_(
                "The backup is from database revision {backup}, this database is at revision "
                "{current}: restore it with the EVAUS version that made the backup."
            ),
            backup=manifest.get("revision"),
            current=current_revision(engine),
        )
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
        for table in Base.metadata.sorted_tables:
            rows = [
                {name: _decode(table.c[name].type, value) for name, value in row.items()}
                for row in tables.get(table.name, [])
            ]
            if rows:
                connection.execute(insert(table), rows)
            counts[table.name] = len(rows)
        _reset_sequences(connection)
    attachments_dir.mkdir(parents=True, exist_ok=True)
    root = attachments_dir.resolve()
    for name in archive.namelist():
        if not name.startswith("attachments/") or name.endswith("/"):
            continue
        target = (attachments_dir / name.removeprefix("attachments/")).resolve()
        if not target.is_relative_to(root):  # a crafted archive must not write elsewhere
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(archive.read(name))
    return counts
