"""The public catalogue as open data: every public project as JSON, CSV (and IATI XML, iati.py).

Only the projects of the public catalogue are read (``public_condition``, the rule the public
pages use), and of each only what its public card shows: no internal notes, period narratives,
budget rows, attachments, comments, nor anyone's contact details but the public contact's.

The files are written a batch of projects at a time (``BATCH``), each batch read in a short
session of its own, so a large registry costs the server a batch's memory, not the registry's.
Their version (``registry_version``) is a digest of what they are made of — the public
projects' ids and versions, the code lists, people and organisations, the settings they name —
read with a few aggregate queries: an unchanged registry answers ``If-None-Match`` with 304
without building anything.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from project_db.code_queries import code_items
from project_db.models import CodeItem, Indicator, Organisation, Person, Project
from project_db.public_catalogue import public_condition
from project_db.schemas import BASIS_LABELS

from ..db import Database
from ..i18n import _, normalise_language
from ..services.codelists import label as code_label
from ..settings import get_settings

BATCH = 200
FORMAT_VERSION = "1"
FUNDER_ROLE = "rahoittaja"
CURRENCY = "EUR"
LISTS = ("project_type", "portfolio", "status", "region", "organisation_role")
# CSV: multi-valued cells join their values with this (a value never holds it in practice).
JOIN = " | "

Record = dict[str, Any]


def licence() -> dict[str, str]:
    settings = get_settings()
    return {"name": settings.open_data_licence, "url": settings.open_data_licence_url}


def registry_version(session: Session, *extra: object) -> str:
    """A digest of everything the open-data files are made of, with ``extra`` (the settings
    and language a file depends on)."""
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


def _batch(session: Session, after: int) -> list[Project]:
    query = (
        select(Project)
        .where(public_condition(), Project.id > after)
        .order_by(Project.id)
        .limit(BATCH)
        .options(
            selectinload(Project.themes),
            selectinload(Project.organisations),
            selectinload(Project.funding),
            selectinload(Project.people),
            selectinload(Project.goals),
            selectinload(Project.measures),
            selectinload(Project.results),
            selectinload(Project.indicators).selectinload(Indicator.values),
            selectinload(Project.periods),
            selectinload(Project.links),
        )
    )
    return list(session.scalars(query))


def _labels(session: Session, lang: str) -> dict[str, dict[str, str]]:
    return {
        name: {item.code: code_label(item, lang) for item in code_items(session, name)}
        for name in LISTS
    }


def _record(
    project: Project, labels: dict[str, dict[str, str]], card_url: str, lang: str
) -> Record:
    """What the open data tells of one public project (what its public card shows)."""

    def shown(list_name: str, code: str | None) -> str:
        return labels[list_name].get(code or "", code or "")

    goal_keys = {g.id: g.key for g in project.goals}
    measure_goals = {m.id: m.goal_id for m in project.measures}
    periods = {p.id: p for p in project.periods}

    def goal_of(goal_id: int | None, measure_id: int | None) -> str | None:
        if goal_id is None and measure_id is not None:
            goal_id = measure_goals.get(measure_id)
        return goal_keys.get(goal_id) if goal_id is not None else None

    indicators = []
    for x in project.indicators:
        actuals = []
        for v in sorted(x.values, key=lambda v: periods[v.period_id].number):
            period = periods[v.period_id]
            actuals.append(
                {
                    "period": period.number,
                    "start_date": period.start_date,
                    "end_date": period.end_date,
                    "value": v.value,
                    "basis": v.basis,
                    "basis_label": _(BASIS_LABELS[v.basis], lang)
                    if v.basis in BASIS_LABELS
                    else "",
                }
            )
        indicators.append(
            {
                "key": x.key,
                "goal_key": goal_of(x.goal_id, x.measure_id),
                "name": x.name,
                "unit": x.unit,
                "direction": x.direction,
                "baseline": x.baseline,
                "target": x.target,
                "target_date": x.target_date,
                "actuals": actuals,
            }
        )
    return {
        "id": project.id,
        "key": project.key,
        "url": card_url,
        "name": project.name,
        "short_name": project.short_name,
        "project_type": project.project_type,
        "project_type_label": shown("project_type", project.project_type),
        "portfolio": project.portfolio,
        "portfolio_label": shown("portfolio", project.portfolio),
        "status": project.status,
        "status_label": shown("status", project.status),
        "start_date": project.start_date,
        "end_date": project.end_date,
        "region": project.region,
        "region_label": shown("region", project.region),
        "municipality": project.municipality,
        "summary": project.summary,
        "themes": [t.theme for t in project.themes],
        "website": project.website,
        "budget_amount": project.budget_amount,
        "currency": CURRENCY,
        "funders": [
            {"name": f.organisation.name, "amount": f.amount, "share_percent": f.share_percent}
            for f in project.funding
        ],
        "implementers": [
            {
                "name": o.organisation.name,
                "role": o.role,
                "role_label": shown("organisation_role", o.role),
            }
            for o in project.organisations
            if o.role != FUNDER_ROLE
        ],
        "goals": [
            {
                "key": g.key,
                "parent_key": goal_keys.get(g.parent_id) if g.parent_id else None,
                "title": g.title,
                "description": g.description,
            }
            for g in project.goals
        ],
        "results": [
            {"kind": r.kind, "goal_key": goal_of(r.goal_id, r.measure_id), "text": r.text}
            for r in project.results
        ],
        "indicators": indicators,
        "contacts": [
            {
                "name": row.person.name,
                "role": row.role,
                "organisation": row.person.organisation.name if row.person.organisation else "",
                "email": row.person.email or "",
                "phone": row.person.phone or "",
            }
            for row in project.people
            if row.public_contact
        ],
        "links": [{"url": x.url, "title": x.title} for x in project.links],
        "updated_at": project.updated_at,
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
            batch = _batch(session, after)
            found = [_record(p, labels, f"{site}{card_path}/{p.id}", lang) for p in batch]
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


__all__ = [
    "BATCH",
    "CSV_COLUMNS",
    "csv_chunks",
    "json_chunks",
    "licence",
    "records",
    "registry_version",
]
