"""The public catalogue as open data: every public project as JSON, CSV (and IATI XML, iati.py).

Only the projects of the public catalogue are read (``public_condition``, the rule the public
pages use), and of each only what its public card shows: no internal notes, period narratives,
budget rows, attachments, comments, nor anyone's contact details but the public contact's.

The files are written a batch of projects at a time (``BATCH``), each batch read in a short
session of its own with a query per table (plain rows, no ORM objects), so a large registry
costs the server a batch's memory, not the registry's. Their version (``registry_version``) is
a digest of what they are made of — the public projects' ids and versions, the code lists,
people and organisations, the settings they name — read with a few aggregate queries: an
unchanged registry answers ``If-None-Match`` with 304 without building anything, and each file
is built once per version and kept under the data folder (``build_once``) for the others.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from sqlalchemy import BindParameter, bindparam, func, select
from sqlalchemy.orm import Session

from project_db.code_queries import code_items
from project_db.models import (
    CodeItem,
    Funding,
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    Organisation,
    Person,
    Project,
    ProjectLink,
    ProjectOrganisation,
    ProjectPerson,
    ProjectTheme,
    ReportingPeriod,
    Result,
)
from project_db.public_catalogue import public_condition
from project_db.schemas import BASIS_LABELS

from ..db import Database
from ..i18n import _, normalise_language
from ..services.codelists import label as code_label
from ..settings import get_settings

BATCH = 200
# Part of every file's version: change it when the files' content changes (the files kept under
# the data folder are of the previous one).
FORMAT_VERSION = "1"
FUNDER_ROLE = "rahoittaja"
CURRENCY = "EUR"
LISTS = ("project_type", "portfolio", "status", "region", "organisation_role")
# CSV: multi-valued cells join their values with this (a value never holds it in practice).
JOIN = " | "

Record = dict[str, Any]
# The batch's project ids in its queries (one parameter, not one per id).
IDS: BindParameter[int] = bindparam("ids", expanding=True)


def licence() -> dict[str, str]:
    settings = get_settings()
    return {"name": settings.open_data_licence, "url": settings.open_data_licence_url}


def registry_version(session: Session, *extra: object) -> str:
    """A digest of everything the open-data files are made of, with ``extra`` (the settings
    and language a file depends on, the address its links start with)."""
    public = session.execute(
        select(
            func.count(Project.id),
            func.coalesce(func.sum(Project.id), 0),
            func.coalesce(func.sum(Project.version), 0),
            func.max(Project.updated_at),
        ).where(public_condition())
    ).one()
    parts: list[object] = [FORMAT_VERSION, *public]
    for model in (CodeItem, Person, Organisation):
        parts.extend(
            session.execute(
                select(
                    func.count(model.id),
                    func.coalesce(func.sum(model.version), 0),
                    func.max(model.updated_at),
                )
            ).one()
        )
    parts.extend(extra)
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]


class _ProjectRow(NamedTuple):
    """The columns of a project the open data shows."""

    id: int
    key: str
    name: str
    short_name: str | None
    project_type: str | None
    portfolio: str | None
    status: str | None
    start_date: date | None
    end_date: date | None
    region: str | None
    municipality: str | None
    summary: str
    website: str | None
    budget_amount: Decimal | None
    updated_at: datetime | None


def _rows(session: Session, query: Any, ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    """The rows of ``query`` for the projects ``ids`` (its ``:ids``) by project (its first
    column), in their order, without that column (plain tuples: reading a column of a result
    row by name costs more than the rest)."""
    found: dict[int, list[tuple[Any, ...]]] = {project_id: [] for project_id in ids}
    for project_id, *values in session.connection().execute(query, {"ids": ids}).all():
        found[project_id].append(tuple(values))
    return found


def _batch(
    session: Session, after: int
) -> tuple[list[_ProjectRow], dict[str, dict[int, list[Any]]]]:
    """The next ``BATCH`` public projects after the id ``after`` and their rows, a query per
    table for the whole batch (the public contacts only: no one else's details are read)."""
    columns = [getattr(Project, name) for name in _ProjectRow._fields]
    query = select(*columns).where(public_condition(), Project.id > after)
    found = session.connection().execute(query.order_by(Project.id).limit(BATCH)).all()
    projects = [_ProjectRow(*row) for row in found]
    ids = [p.id for p in projects]
    if not ids:
        return [], {}

    def child(model: Any, *columns: Any, join: Any = None) -> dict[int, list[tuple[Any, ...]]]:
        query = select(model.project_id, *columns)
        if join is not None:
            query = query.join(*join)
        query = query.where(model.project_id.in_(IDS))
        return _rows(session, query.order_by(model.project_id, model.position, model.id), ids)

    rows = {
        "themes": child(ProjectTheme, ProjectTheme.theme),
        "organisations": child(
            ProjectOrganisation,
            Organisation.name,
            ProjectOrganisation.role,
            join=(Organisation, Organisation.id == ProjectOrganisation.organisation_id),
        ),
        "funding": child(
            Funding,
            Organisation.name,
            Funding.amount,
            Funding.share_percent,
            join=(Organisation, Organisation.id == Funding.organisation_id),
        ),
        "contacts": _rows(
            session,
            select(
                ProjectPerson.project_id,
                Person.name,
                ProjectPerson.role,
                Organisation.name.label("organisation"),
                Person.email,
                Person.phone,
            )
            .join(Person, Person.id == ProjectPerson.person_id)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(ProjectPerson.project_id.in_(IDS), ProjectPerson.public_contact.is_(True))
            .order_by(ProjectPerson.project_id, ProjectPerson.position, ProjectPerson.id),
            ids,
        ),
        "goals": child(Goal, Goal.id, Goal.key, Goal.parent_id, Goal.title, Goal.description),
        "measures": child(Measure, Measure.id, Measure.goal_id),
        "results": child(Result, Result.kind, Result.goal_id, Result.measure_id, Result.text),
        "indicators": child(
            Indicator,
            Indicator.id,
            Indicator.key,
            Indicator.goal_id,
            Indicator.measure_id,
            Indicator.name,
            Indicator.unit,
            Indicator.direction,
            Indicator.baseline,
            Indicator.target,
            Indicator.target_date,
        ),
        "actuals": _rows(
            session,
            select(
                Indicator.project_id,
                IndicatorValue.indicator_id,
                ReportingPeriod.number,
                ReportingPeriod.start_date,
                ReportingPeriod.end_date,
                IndicatorValue.value,
                IndicatorValue.basis,
            )
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .join(
                ReportingPeriod,
                (ReportingPeriod.id == IndicatorValue.period_id)
                & (ReportingPeriod.project_id == Indicator.project_id),
            )
            .where(Indicator.project_id.in_(IDS))
            .order_by(Indicator.project_id, IndicatorValue.indicator_id, ReportingPeriod.number),
            ids,
        ),
        "links": child(ProjectLink, ProjectLink.url, ProjectLink.title),
    }
    return projects, rows


def _labels(session: Session, lang: str) -> dict[str, dict[str, str]]:
    """The code lists' labels in ``lang`` and the figures' bases' (read once per file)."""
    found = {
        name: {item.code: code_label(item, lang) for item in code_items(session, name)}
        for name in LISTS
    }
    found["basis"] = {basis: _(text, lang) for basis, text in BASIS_LABELS.items()}
    return found


def _record(
    p: _ProjectRow,
    rows: dict[str, dict[int, list[Any]]],
    labels: dict[str, dict[str, str]],
    card_url: str,
) -> Record:
    """What the open data tells of one public project (what its public card shows)."""

    def shown(list_name: str, code: str | None) -> str:
        return labels[list_name].get(code or "", code or "")

    goals = rows["goals"][p.id]
    goal_keys = {goal_id: key for goal_id, key, *_rest in goals}
    measure_goals = dict(rows["measures"][p.id])

    def goal_of(goal_id: int | None, measure_id: int | None) -> str | None:
        if goal_id is None and measure_id is not None:
            goal_id = measure_goals.get(measure_id)
        return goal_keys.get(goal_id) if goal_id is not None else None

    actuals: dict[int, list[Record]] = {}
    basis_labels = labels["basis"]
    for indicator_id, number, start, end, value, basis in rows["actuals"][p.id]:
        actuals.setdefault(indicator_id, []).append(
            {
                "period": number,
                "start_date": start,
                "end_date": end,
                "value": value,
                "basis": basis,
                "basis_label": basis_labels.get(basis, ""),
            }
        )
    indicators = [
        {
            "key": key,
            "goal_key": goal_of(goal_id, measure_id),
            "name": name,
            "unit": unit,
            "direction": direction,
            "baseline": baseline,
            "target": target,
            "target_date": target_date,
            "actuals": actuals.get(indicator_id, []),
        }
        for (
            indicator_id,
            key,
            goal_id,
            measure_id,
            name,
            unit,
            direction,
            baseline,
            target,
            target_date,
        ) in rows["indicators"][p.id]
    ]
    return {
        "id": p.id,
        "key": p.key,
        "url": card_url,
        "name": p.name,
        "short_name": p.short_name,
        "project_type": p.project_type,
        "project_type_label": shown("project_type", p.project_type),
        "portfolio": p.portfolio,
        "portfolio_label": shown("portfolio", p.portfolio),
        "status": p.status,
        "status_label": shown("status", p.status),
        "start_date": p.start_date,
        "end_date": p.end_date,
        "region": p.region,
        "region_label": shown("region", p.region),
        "municipality": p.municipality,
        "summary": p.summary,
        "themes": [theme for (theme,) in rows["themes"][p.id]],
        "website": p.website,
        "budget_amount": p.budget_amount,
        "currency": CURRENCY,
        "funders": [
            {"name": name, "amount": amount, "share_percent": share}
            for name, amount, share in rows["funding"][p.id]
        ],
        "implementers": [
            {"name": name, "role": role, "role_label": shown("organisation_role", role)}
            for name, role in rows["organisations"][p.id]
            if role != FUNDER_ROLE
        ],
        "goals": [
            {
                "key": key,
                "parent_key": goal_keys.get(parent_id) if parent_id else None,
                "title": title,
                "description": description,
            }
            for _id, key, parent_id, title, description in goals
        ],
        "results": [
            {"kind": kind, "goal_key": goal_of(goal_id, measure_id), "text": text}
            for kind, goal_id, measure_id, text in rows["results"][p.id]
        ],
        "indicators": indicators,
        "contacts": [
            {
                "name": name,
                "role": role,
                "organisation": organisation or "",
                "email": email or "",
                "phone": phone or "",
            }
            for name, role, organisation, email, phone in rows["contacts"][p.id]
        ],
        "links": [{"url": url, "title": title} for url, title in rows["links"][p.id]],
        "updated_at": p.updated_at,
    }


def records(database: Database, site: str, card_path: str, lang: str) -> Iterator[list[Record]]:
    """The public projects' records, a batch at a time (by id), each read in its own session."""
    lang = normalise_language(lang)
    after = 0
    labels: dict[str, dict[str, str]] | None = None
    while True:
        with database.session("public") as session:
            if labels is None:
                labels = _labels(session, lang)
            projects, rows = _batch(session, after)
            found = [_record(p, rows, labels, f"{site}{card_path}/{p.id}") for p in projects]
        if not found:
            return
        yield found
        after = found[-1]["id"]


# --- JSON ------------------------------------------------------------------------------------


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        normal = value.normalize()
        return int(normal) if normal == normal.to_integral_value() else float(normal)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_value)


def json_chunks(batches: Iterator[list[Record]], header: Record) -> Iterator[bytes]:
    """``{…header, "projects": [ … ]}``, written a batch at a time (``header`` is not empty)."""
    yield (_json(header)[:-1] + ', "projects": [').encode("utf-8")
    first = True
    for batch in batches:
        parts = []
        for record in batch:
            parts.append(("\n" if first else ",\n") + _json(record))
            first = False
        yield "".join(parts).encode("utf-8")
    yield b"\n]}\n"


# --- CSV -------------------------------------------------------------------------------------
#
# For the Finnish Excel: UTF-8 with a byte-order mark (without it Excel reads the file as
# Windows-1252 and breaks ä and ö), semicolons between the fields (the list separator of the
# Finnish regional settings, where the comma is the decimal separator) and decimal commas in the
# figures, so that a double-click opens the file in columns with numbers that are numbers.
# Dates are ISO 8601 (Excel reads them in every locale). A text that Excel would take for a
# formula (=, +, -, @ first) gets an apostrophe in front.

CSV_COLUMNS = (
    ("id", "id"),
    ("key", "key"),
    ("url", "url"),
    ("name", "name"),
    ("short_name", "short_name"),
    ("project_type", "project_type_label"),
    ("portfolio", "portfolio_label"),
    ("status", "status_label"),
    ("start_date", "start_date"),
    ("end_date", "end_date"),
    ("region", "region_label"),
    ("municipality", "municipality"),
    ("budget_amount", "budget_amount"),
    ("currency", "currency"),
    ("funders", None),
    ("funding_amounts", None),
    ("implementers", None),
    ("themes", None),
    ("summary", "summary"),
    ("goals", None),
    ("results", None),
    ("indicators", None),
    ("contacts", None),
    ("website", "website"),
    ("updated_at", "updated_at"),
    ("licence", None),
    ("licence_url", None),
)


def _figure(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return _figure(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _indicator_cell(x: Record) -> str:
    parts = [f"{x['name']}" + (f" ({x['unit']})" if x["unit"] else "") + ":"]
    if x["baseline"] is not None:
        parts.append(f"baseline {_figure(x['baseline'])}")
    if x["target"] is not None:
        when = f" by {x['target_date'].isoformat()}" if x["target_date"] else ""
        parts.append(f"target {_figure(x['target'])}{when}")
    parts += [f"period {a['period']} {_figure(a['value'])}" for a in x["actuals"]]
    return parts[0] + " " + "; ".join(parts[1:]) if len(parts) > 1 else parts[0]


def _csv_row(r: Record, rights: dict[str, str]) -> list[str]:
    multi: dict[str, list[str]] = {
        "funders": [f["name"] for f in r["funders"]],
        "funding_amounts": [_figure(f["amount"]) for f in r["funders"]],
        "implementers": [f"{o['name']} ({o['role_label']})" for o in r["implementers"]],
        "themes": r["themes"],
        "goals": [g["title"] for g in r["goals"]],
        "results": [x["text"] for x in r["results"]],
        "indicators": [_indicator_cell(x) for x in r["indicators"]],
        "contacts": [
            ", ".join(v for v in (c["name"], c["role"], c["email"], c["phone"]) if v)
            for c in r["contacts"]
        ],
    }
    row = []
    for column, field in CSV_COLUMNS:
        if column in multi:
            row.append(_text(JOIN.join(" ".join(v.split()) for v in multi[column])))
        elif column == "licence":
            row.append(rights["name"])
        elif column == "licence_url":
            row.append(rights["url"])
        else:
            row.append(_text(r[field] if field else ""))
    return row


def csv_chunks(batches: Iterator[list[Record]], rights: dict[str, str]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column for column, _field in CSV_COLUMNS])
    yield "\ufeff".encode() + buffer.getvalue().encode("utf-8")
    for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(_csv_row(r, rights) for r in batch)
        yield buffer.getvalue().encode("utf-8")


# --- the files, built once per version -------------------------------------------------------
#
# Each file (format and language) is built once per version and kept under the data folder
# (``cache_folder``; one folder per database): written a batch at a time to a temporary file
# beside it and renamed into place, so no one ever reads half a file. Requests for a version
# whose file is being built wait for that one build, its future: they do not get the previous
# file meanwhile, as a file of an older version may hold a project that has since been
# withdrawn from the catalogue, and a request that reads the new version must never be
# answered with it. The waiting costs no thread (the routes await the future); the builds run
# on threads of their own, at most ``BUILDERS`` at once, so a crowd asking for the files after
# a change costs one build per file. The futures are per process: each process of several
# builds its own copy of a new version once, and the renames make that harmless.
#
# A file of an older version is removed once the file of the version now current has been
# complete for ``STALE_AFTER`` seconds: a request that read the older version a moment before
# the change has opened its file by then (an open file stays readable when its name goes).
# Temporary files are written to all the time a build lasts; one untouched for
# ``ABANDONED_AFTER`` seconds was left by a stopped process and is removed too.

CACHE_FOLDER = "open-data"
BUILDERS = 2
STALE_AFTER = 60.0
ABANDONED_AFTER = 3600.0

_builders = threading.BoundedSemaphore(BUILDERS)
_building: dict[Path, Future[Path]] = {}
_building_lock = threading.RLock()
# How many times this process has built each file (the benchmark and the tests read it).
built: Counter[str] = Counter()


def cache_folder(database: Database) -> Path:
    """Where the files of ``database`` are kept (a folder per database under the data folder)."""
    url = database.engine.url.render_as_string(hide_password=True)
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return get_settings().data_dir / CACHE_FOLDER / digest


def cached_path(folder: Path, filename: str, lang: str, version: str) -> Path:
    """The file of ``filename`` (projects.json …) in ``lang`` at ``version``."""
    stem, _dot, suffix = filename.rpartition(".")
    return folder / f"{stem}-{lang}-{version}.{suffix}"


def _siblings(path: Path) -> tuple[str, str]:
    """The start and end of the names of the other versions' files of ``path``'s file."""
    stem, _dot, suffix = path.name.rpartition(".")
    return stem.rpartition("-")[0] + "-", "." + suffix


def remove_stale(path: Path, now: float | None = None) -> None:
    """Remove the other versions' files of the current file ``path`` once it has been complete
    for ``STALE_AFTER`` seconds, and the temporary files builds left behind."""
    now = time.time() if now is None else now
    start, end = _siblings(path)
    try:
        current_since = path.stat().st_mtime
        names = os.listdir(path.parent)
    except FileNotFoundError:
        return
    older = now - current_since >= STALE_AFTER
    for name in names:
        other = path.parent / name
        try:
            if name.startswith(start) and name.endswith(end) and name != path.name:
                stale = older
            elif name.startswith("." + start) and name.endswith(".tmp"):
                stale = now - other.stat().st_mtime >= ABANDONED_AFTER
            else:
                stale = False
            if stale:
                other.unlink()
        except FileNotFoundError:  # another request removed it first
            pass


def build_once(path: Path, write: Callable[[BinaryIO], None]) -> Future[Path]:
    """The file ``path``: there already, or built by ``write`` (which writes it whole) in one
    build that every request for it meanwhile shares (see above)."""
    with _building_lock:
        future = _building.get(path)
        if future is not None:
            return future
        if path.exists():
            remove_stale(path)
            done: Future[Path] = Future()
            done.set_result(path)
            return done
        future = Future()
        _building[path] = future
    threading.Thread(
        target=_build, args=(future, path, write), name="open-data-build", daemon=True
    ).start()
    return future


def _build(future: Future[Path], path: Path, write: Callable[[BinaryIO], None]) -> None:
    try:
        with _builders:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
            try:
                with temporary.open("wb") as out:
                    write(out)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, path)
            finally:
                temporary.unlink(missing_ok=True)
        with _building_lock:
            built[path.name] += 1
    except BaseException as exc:
        with _building_lock:
            del _building[path]
        future.set_exception(exc)
    else:
        with _building_lock:
            del _building[path]
        future.set_result(path)


__all__ = [
    "BATCH",
    "CSV_COLUMNS",
    "build_once",
    "cache_folder",
    "cached_path",
    "csv_chunks",
    "json_chunks",
    "licence",
    "records",
    "registry_version",
    "remove_stale",
]
