"""The public projects as IATI activities (IATI Standard 2.03, ``iati-activities``).

Built from the open-data records (open_data.py), so it tells nothing the public card does not.
Nothing is made up: an element is written only when the registry has its data. IATI requires
of every activity a description, a participating organisation, a status and a date; a public
project without a summary, without a funder or implementer, whose status has no IATI
counterpart or without dates is left out of the file (a comment at its end counts them).

- iati-identifier: the reporting organisation's identifier (EVAUS_IATI_REPORTING_ORG_REF) and
  the project's key
- activity-status: see ``STATUS``; codes an administrator added have none and are left out
- activity-date: the start is actual (2) once the project is under way or over and the day has
  come, else planned (1); the end is actual (4) for a closed project whose end has passed, else
  planned (3)
- participating-org: the funders (role 1), the lead and co-implementers (role 4)
- budget: the project's budget over its whole period, only when that period is at most a year
  (IATI's rule for a budget period); the registry has no dated transactions to publish
- result: one per goal that has indicators (type 2, outcome); each indicator's baseline (the
  year the project started), its target over the project (start to target date or end) and
  its actual value in each reporting period
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .open_data import Record

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Our status codes → the IATI ActivityStatus codelist (1 pipeline, 2 implementation,
# 4 closed, 5 cancelled).
STATUS = {
    "suunnitteilla": "1",
    "valmistelussa": "1",
    "haettu": "1",
    "myonnetty": "1",
    "kaynnissa": "2",
    "paattynyt": "4",
    "hylatty": "5",
    "keskeytetty": "5",
}
IMPLEMENTER_ROLES = frozenset({"paatoteuttaja", "osatoteuttaja"})
UNDER_WAY = frozenset({"2", "3", "4"})
BUDGET_DAYS = 366
# XML 1.0 allows no other control characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _narrative(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    ET.SubElement(element, "narrative").text = _clean(text)
    return element


def _dates(r: Record, status: str, today: date) -> list[tuple[str, date]]:
    found = []
    start, end = r["start_date"], r["end_date"]
    if start:
        found.append(("2" if status in UNDER_WAY and start <= today else "1", start))
    if end:
        found.append(("4" if status == "4" and end <= today else "3", end))
    return found


def _result(goal: Record, indicators: list[Record], r: Record) -> ET.Element:
    result = ET.Element("result", {"type": "2"})
    _narrative(result, "title", goal["title"])
    if goal["description"].strip():
        _narrative(result, "description", goal["description"])
    for x in indicators:
        measure = "2" if x["unit"].strip() == "%" else "1"
        attrs = {"measure": measure}
        if x["direction"] in ("more", "less"):
            attrs["ascending"] = "true" if x["direction"] == "more" else "false"
        indicator = ET.SubElement(result, "indicator", attrs)
        _narrative(indicator, "title", x["name"])
        if x["unit"].strip() and measure == "1":
            _narrative(indicator, "description", x["unit"])
        if x["baseline"] is not None and r["start_date"]:
            ET.SubElement(
                indicator,
                "baseline",
                {"year": str(r["start_date"].year), "value": _number(x["baseline"])},
            )
        target_end = x["target_date"] or r["end_date"]
        if x["target"] is not None and r["start_date"] and target_end:
            period = ET.SubElement(indicator, "period")
            ET.SubElement(period, "period-start", {"iso-date": r["start_date"].isoformat()})
            ET.SubElement(period, "period-end", {"iso-date": target_end.isoformat()})
            ET.SubElement(period, "target", {"value": _number(x["target"])})
        for actual in x["actuals"]:
            period = ET.SubElement(indicator, "period")
            ET.SubElement(period, "period-start", {"iso-date": actual["start_date"].isoformat()})
            ET.SubElement(period, "period-end", {"iso-date": actual["end_date"].isoformat()})
            ET.SubElement(period, "actual", {"value": _number(actual["value"])})
    return result


def activity(r: Record, org: dict[str, str], lang: str, today: date) -> ET.Element | None:
    """The project as an ``iati-activity``; None when it lacks what IATI requires."""
    status = STATUS.get(r["status"] or "")
    participants = [("1", f["name"]) for f in r["funders"]] + [
        ("4", o["name"]) for o in r["implementers"] if o["role"] in IMPLEMENTER_ROLES
    ]
    dates = _dates(r, status or "", today)
    if not (status and participants and dates and r["summary"].strip()):
        return None
    attrs: dict[str, Any] = {XML_LANG: lang, "default-currency": r["currency"]}
    if r["updated_at"]:
        attrs["last-updated-datetime"] = r["updated_at"].isoformat(timespec="seconds")
    element = ET.Element("iati-activity", attrs)
    ET.SubElement(element, "iati-identifier").text = f"{org['ref']}-{r['key']}"
    _narrative(element, "reporting-org", org["name"], ref=org["ref"], type=org["type"])
    _narrative(element, "title", r["name"])
    _narrative(element, "description", r["summary"], type="1")
    for role, name in participants:
        _narrative(element, "participating-org", name, role=role)
    ET.SubElement(element, "activity-status", {"code": status})
    for kind, day in dates:
        ET.SubElement(element, "activity-date", {"type": kind, "iso-date": day.isoformat()})
    for contact in r["contacts"]:
        info = ET.SubElement(element, "contact-info")
        _narrative(info, "person-name", contact["name"])
        if contact["role"].strip():
            _narrative(info, "job-title", contact["role"])
        if contact["phone"]:
            ET.SubElement(info, "telephone").text = _clean(contact["phone"])
        if contact["email"]:
            ET.SubElement(info, "email").text = _clean(contact["email"])
    start, end, amount = r["start_date"], r["end_date"], r["budget_amount"]
    if amount is not None and start and end and start <= end <= start + timedelta(BUDGET_DAYS):
        budget = ET.SubElement(element, "budget")
        ET.SubElement(budget, "period-start", {"iso-date": start.isoformat()})
        ET.SubElement(budget, "period-end", {"iso-date": end.isoformat()})
        value = ET.SubElement(budget, "value", {"value-date": start.isoformat()})
        value.text = _number(amount)
    if r["website"]:
        link = ET.SubElement(element, "document-link", {"format": "text/html", "url": r["website"]})
        _narrative(link, "title", r["name"])
        ET.SubElement(link, "category", {"code": "A12"})  # activity web page
    by_goal: dict[str, list[Record]] = {}
    for x in r["indicators"]:
        if x["goal_key"]:
            by_goal.setdefault(x["goal_key"], []).append(x)
    for goal in r["goals"]:
        if goal["key"] in by_goal:
            element.append(_result(goal, by_goal[goal["key"]], r))
    return element


def xml_chunks(
    batches: Iterator[list[Record]], org: dict[str, str], lang: str, today: date
) -> Iterator[bytes]:
    """The ``iati-activities`` document, written a batch of projects at a time."""
    yield (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="{VERSION}">\n'
    ).encode()
    left_out = 0
    for batch in batches:
        parts = []
        for record in batch:
            element = activity(record, org, lang, today)
            if element is None:
                left_out += 1
                continue
            ET.indent(element, "  ", level=1)
            parts.append("  " + ET.tostring(element, encoding="unicode") + "\n")
        yield "".join(parts).encode("utf-8")
    if left_out:
        note = f"  <!-- {left_out} public projects lack data IATI requires and are left out -->\n"
        yield note.encode()
    yield b"</iati-activities>\n"


__all__ = ["STATUS", "VERSION", "activity", "xml_chunks"]
