"""Shared material for the report tests: demo-shaped documents, labels, reading a DOCX back."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from lxml import etree

from evaus.demo import DEMO_SEEDS, seed_text
from project_db.codes import DEFAULT_CODE_LISTS
from project_db.importers import parse_source
from project_db.schemas import ProjectDoc

TODAY = date(2026, 11, 23)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
KINDS = ("card", "esr-period", "esr-final", "stea", "stm")
NBSP = "\u00a0"


def labels(lang: str = "fi") -> dict[str, dict[str, str]]:
    index = {"fi": 1, "sv": 2, "en": 3}[lang]
    return {name: {e[0]: e[index] for e in entries} for name, entries in DEFAULT_CODE_LISTS.items()}


def demo_docs() -> dict[str, ProjectDoc]:
    """The demo projects as the importers read them (no database)."""
    docs = {}
    for name in DEMO_SEEDS:
        _importer, parsed = parse_source(seed_text(name), name)
        docs[name.split("_", 1)[1].removesuffix(".txt")] = parsed[0].doc
    return docs


def soku() -> ProjectDoc:
    return demo_docs()["esr_soku"]


def rich_doc() -> ProjectDoc:
    """SoKu with what a running ESR project would have entered: periods, values, money."""
    data = soku().model_dump(mode="json")
    data["goals"] = [
        {"key": "g1", "title": "Sosiaalisen kuntoutuksen prosessi kehitetään"},
        {"key": "g1a", "parent_key": "g1", "title": "NARIKAT-kohtaamispaikat perustetaan"},
        {"key": "g2", "title": "Osallisuus ja työkyky paranevat"},
    ]
    data["measures"] = [
        {
            "key": "m1",
            "goal_key": "g1",
            "title": "Palveluohjauksen mallin kuvaus",
            "responsible": "Valkeakosken kaupunki",
            "start_date": "2015-09-01",
            "end_date": "2016-12-31",
        }
    ]
    data["periods"] = [
        {"number": 1, "start_date": "2015-09-01", "end_date": "2016-02-29", "done": "Käynnistys."},
        {
            "number": 2,
            "start_date": "2016-03-01",
            "end_date": "2016-08-31",
            "done": "NARIKAT avattiin.\n\nRyhmät alkoivat.",
            "deviations": "Yksi työntekijä vaihtui.",
        },
        {"number": 3, "start_date": "2016-09-01", "end_date": "2017-02-28"},
    ]
    data["indicators"][0]["values"] = [
        {"period": 1, "value": "80", "basis": "collected"},
        {"period": 2, "value": "190", "basis": "collected"},
    ]
    data["indicators"][1]["values"] = [
        {"period": 1, "value": "40", "basis": "estimate"},
        {"period": 2, "value": "62.5", "basis": "sample", "note": "otos 50 asiakasta"},
    ]
    data["participant_stats"] = [
        {"period": 2, "gender": "nainen", "age_class": "30-54", "count": 41},
        {"period": 2, "gender": "mies", "age_class": "30-54", "count": 37},
        {"period": 2, "gender": "mies", "age_class": "alle-25", "count": 12},
    ]
    data["funding"][0].update(
        amount="1000000",
        share_percent="75",
        own_contribution="333333.33",
        decision_number="ESR 123/2015",
        decision_date="2015-08-20",
    )
    data["budget_amount"] = "1333333.33"
    data["sections"].append(
        {"kind": "tasa_arvo", "title": "Tasa-arvo", "body": "Naiset ja miehet huomioitiin."}
    )
    return ProjectDoc.model_validate(data)


HOSTILE = (
    "<script>alert('x')</script> & AT&T \"lainaus\" ]]> {{ project.name }} {% if %} "
    "\u200f\u202eRTL-merkit\u202c 👩‍👩‍👧 emoji 🇫🇮 \x01\x02\x0b\x0c\x1f\ufffe control "
)


def hostile_doc(size: int = 1_000_000) -> ProjectDoc:
    """Every text a user can type, full of what breaks XML and templates; a 1 MB summary."""
    data = rich_doc().model_dump(mode="json")
    big = (HOSTILE + "\n") * (size // len(HOSTILE) + 1)
    # Control characters are removed at input; model_construct lets the renderer see them anyway.
    doc = ProjectDoc.model_validate(data)
    doc.name = "Hanke <b>&amp;</b> & " + HOSTILE
    doc.summary = big[:size]
    doc.sections[0].body = HOSTILE * 3
    doc.goals[0].title = HOSTILE
    doc.indicators[0].name = HOSTILE
    doc.indicators[0].unit = "<%>"
    doc.periods[1].done = HOSTILE
    doc.organisations[0].organisation.name = HOSTILE
    doc.funding[0].funder.name = HOSTILE
    doc.people[0].person.name = HOSTILE
    return doc


def large_doc(goals: int = 30, indicators: int = 100, periods: int = 8) -> ProjectDoc:
    """A big project for the benchmark: 30 goals, 100 indicators × 8 periods."""
    start = date(2021, 1, 1)
    period_rows: list[dict[str, Any]] = []
    for number in range(1, periods + 1):
        end = start + timedelta(days=181)
        period_rows.append(
            {
                "number": number,
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "done": f"Jaksolla {number} tehtiin paljon. " * 20,
            }
        )
        start = end + timedelta(days=1)
    data: dict[str, Any] = {
        "name": "Iso kehittämishanke",
        "eura_code": "S99999",
        "start_date": "2021-01-01",
        "end_date": period_rows[-1]["end_date"],
        "summary": "Tiivistelmä. " * 300,
        "organisations": [{"organisation": {"name": "Iso kaupunki"}, "role": "paatoteuttaja"}],
        "funding": [
            {"funder": {"name": "ELY-keskus"}, "funder_code": "ESR", "amount": "2500000"},
            {"funder": {"name": "STM"}, "funder_code": "STM", "amount": "400000"},
        ],
        "goals": [
            {"key": f"g{i}", "title": f"Tavoite {i}: " + "sanoja " * 15} for i in range(goals)
        ],
        "measures": [
            {"key": f"m{i}", "goal_key": f"g{i % goals}", "title": f"Toimenpide {i}"}
            for i in range(goals * 2)
        ],
        "indicators": [
            {
                "key": f"i{i}",
                "goal_key": f"g{i % goals}",
                "name": f"Mittari {i}",
                "unit": "henkilöä",
                "baseline": "10",
                "target": "100",
                "values": [
                    {"period": p, "value": str(10 + p * 10 + i % 7), "basis": "collected"}
                    for p in range(1, periods + 1)
                ],
            }
            for i in range(indicators)
        ],
        "periods": period_rows,
    }
    return ProjectDoc.model_validate(data)


# --- reading a rendered DOCX ---------------------------------------------------------------------


def docx_parts(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)
        }


def docx_text(content: bytes) -> str:
    """All text of body, tables, headers and footers, one paragraph a line."""
    lines = []
    for xml in docx_parts(content).values():
        root = etree.fromstring(xml)
        for p in root.iter(f"{W}p"):
            lines.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return "\n".join(lines)


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(\+358|\b0)[\s-]?\d{1,3}[\s-]?\d{3,4}[\s-]?\d{2,4}")


def money(text: str) -> str:
    """Expected Finnish money text with non-breaking spaces: money('1 000 000 €')."""
    return text.replace(" ", NBSP)


def decimal(value: str) -> Decimal:
    return Decimal(value)
