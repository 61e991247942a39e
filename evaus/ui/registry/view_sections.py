"""The project page's sections (helpers of project_view.py): each draws one part of a ProjectDoc.

Rules: user text is always shown as text (labels, table cells, Vue ``{{ }}``), never as HTML;
long texts keep their line breaks; an empty field of the basic data shows "–"; a list section
without any entries (no indicators, no attachments …) is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from nicegui import ui

from project_db.schemas import ProjectDoc

from ...i18n import moment, number
from ...services.history import ChangeGroup
from ..context import Translator
from ..layout import heading

DASH = "–"


@dataclass
class AttachmentRow:
    id: int
    filename: str
    size: int
    description: str


@dataclass
class ViewData:
    """Everything the project page shows, read in one database session."""

    id: int
    doc: ProjectDoc
    attachments: list[AttachmentRow]
    labels: dict[str, dict[str, str]]  # code list → {code: label}
    can_edit: bool
    history: list[ChangeGroup] = field(default_factory=list)
    history_total: int = 0

    def label(self, code_list: str, code: str | None) -> str:
        if not code:
            return DASH
        return self.labels.get(code_list, {}).get(code, code)


def text_block(text: str, classes: str = "text-body1") -> None:
    """A long text as text, its line breaks kept."""
    ui.label(text).classes(f"{classes} whitespace-pre-line break-words")


def table(
    columns: list[tuple[str, str]],
    rows: list[dict[str, Any]],
    *,
    slots: dict[str, str] | None = None,
    align_right: tuple[str, ...] = (),
) -> ui.table:
    """A read-only table with a header row; every cell text is shown as text."""
    cols = [
        {
            "name": name,
            "label": label,
            "field": name,
            "align": "right" if name in align_right else "left",
        }
        for name, label in columns
    ]
    for i, row in enumerate(rows):
        row.setdefault("_row", i)
    element = ui.table(rows=rows, columns=cols, row_key="_row")
    element.props("flat bordered wrap-cells dense").classes("w-full")
    for name, template in (slots or {}).items():
        element.add_slot(f"body-cell-{name}", template)
    return element


def link_cell(name: str, href: str) -> str:
    """A table cell template that shows row[name] as a link to the Vue expression ``href``."""
    return (
        f'<q-td :props="props"><a v-if="props.row.{name} !== \'{DASH}\'" :href="{href}" '
        f'class="nicegui-link">{{{{ props.row.{name} }}}}</a>'
        f"<span v-else>{DASH}</span></q-td>"
    )


def fmt_number(value: Decimal | None, tr: Translator) -> str:
    return number(value, tr.lang) if value is not None else DASH


def fmt_time(at: datetime, tr: Translator) -> str:
    """1.11.2020 klo 14.05 in Finnish time (stored times are UTC)."""
    return moment(at, tr.lang)


# --- basic data --------------------------------------------------------------------------


def basic_data(data: ViewData, tr: Translator) -> None:
    doc = data.doc
    heading(tr("Basic information"), 2)
    budget = tr.eur(doc.budget_amount) or DASH
    entries = [
        (tr("Short name"), doc.short_name),
        (tr("Project type"), data.label("project_type", doc.project_type)),
        (tr("Portfolio"), data.label("portfolio", doc.portfolio)),
        (tr("Status"), data.label("status", doc.status)),
        (tr("Duration"), tr.dates(doc.start_date, doc.end_date)),
        (tr("Region"), data.label("region", doc.region)),
        (tr("Municipality"), doc.municipality),
        (tr("Budget"), budget),
        (tr("Budget class"), data.label("budget_class", doc.budget_class)),
        (tr("EURA code"), doc.eura_code),
        (tr("Priority axis"), doc.action_line),
        (tr("Specific objective"), doc.specific_objective),
        (tr("Programme"), doc.programme),
        (tr("Decision number"), doc.decision_number),
        (tr("Responsible authority"), doc.responsible_authority),
        (tr("Themes"), ", ".join(doc.themes)),
    ]
    with ui.element("dl").classes("grid grid-cols-1 md:grid-cols-[14rem_1fr] gap-x-4 gap-y-1"):
        for label, value in entries:
            with ui.element("dt").classes("text-weight-medium"):
                ui.label(label)
            with ui.element("dd").classes("m-0 break-words"):
                ui.label(value or DASH)
        with ui.element("dt").classes("text-weight-medium"):
            ui.label(tr("Website"))
        with ui.element("dd").classes("m-0 break-words"):
            _web_link(doc.website)
        for link in doc.links:
            with ui.element("dt").classes("text-weight-medium"):
                ui.label(tr("Link"))
            with ui.element("dd").classes("m-0 break-words"):
                _web_link(link.url, link.title)


def _web_link(url: str | None, title: str = "") -> None:
    if not url:
        ui.label(DASH)
    elif url.lower().startswith(("http://", "https://")):
        ui.link(title or url, url, new_tab=True)
    else:  # not a web address (e.g. "www.example.fi" or a hostile "javascript:"): show as text
        ui.label(f"{title}: {url}" if title else url)


def texts(doc: ProjectDoc, tr: Translator) -> None:
    if doc.summary:
        heading(tr("Summary"), 2)
        text_block(doc.summary)
    if doc.sections:
        heading(tr("Description"), 2)
        for section in doc.sections:
            heading(section.title, 3)
            text_block(section.body or DASH)


# --- organisations, funding, people ------------------------------------------------------


def organisations(data: ViewData, tr: Translator) -> None:
    doc = data.doc
    if doc.funding:
        heading(tr("Funding"), 2)
        rows = [
            {
                "funder": f.funder.name,
                "code": data.label("funder", f.funder_code),
                "amount": tr.eur(f.amount) or DASH,
                "share": f"{number(f.share_percent, tr.lang)} %" if f.share_percent else DASH,
                "own": tr.eur(f.own_contribution) or DASH,
                "decision": " ".join(
                    x for x in (f.decision_number or "", tr.date(f.decision_date)) if x
                )
                or DASH,
                "use": tr.dates(f.period_start, f.period_end) or DASH,
            }
            for f in doc.funding
        ]
        columns = [
            ("funder", tr("Funder")),
            ("code", tr("Funder type")),
            ("amount", tr("Amount")),
            ("share", tr("Share")),
            ("own", tr("Own contribution")),
            ("decision", tr("Decision")),
            ("use", tr("Period of use")),
        ]
        table(columns, rows, align_right=("amount", "share", "own"))
    if doc.organisations:
        heading(tr("Implementers"), 2)
        rows = [
            {
                "name": o.organisation.name,
                "role": data.label("organisation_role", o.role),
                "type": data.label("organisation_type", o.organisation.org_type),
                "ytunnus": o.organisation.y_tunnus or DASH,
                "municipality": o.organisation.municipality or DASH,
            }
            for o in doc.organisations
        ]
        columns = [
            ("name", tr("Organisation")),
            ("role", tr("Role")),
            ("type", tr("Organisation type")),
            ("ytunnus", tr("Y-tunnus")),
            ("municipality", tr("Municipality")),
        ]
        table(columns, rows)


def people(doc: ProjectDoc, tr: Translator) -> None:
    if not doc.people:
        return
    heading(tr("Team and contacts"), 2)
    team, contact = tr("Team member"), tr("Contact person")
    rows = [
        {
            "name": p.person.name,
            "role": p.role or DASH,
            "kind": ", ".join(x for x, on in ((team, p.is_team), (contact, p.is_contact)) if on)
            or DASH,
            "email": p.person.email or DASH,
            "phone": p.person.phone or DASH,
            "organisation": p.person.organisation or DASH,
        }
        for p in doc.people
    ]
    columns = [
        ("name", tr("Name")),
        ("role", tr("Role")),
        ("kind", tr("In the project as")),
        ("email", tr("E-mail")),
        ("phone", tr("Phone")),
        ("organisation", tr("Organisation")),
    ]
    slots = {
        "email": link_cell("email", "'mailto:' + props.row.email"),
        "phone": link_cell("phone", "'tel:' + props.row.phone.replace(/ /g, '')"),
    }
    table(columns, rows, slots=slots)
