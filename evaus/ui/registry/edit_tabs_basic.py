"""Editor tabs: basic fields, descriptions, funding, organisations and people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from project_db.importers.money import FUNDERS

from ..context import Translator
from ..layout import heading
from .edit_editor import Editor
from .edit_fields import (
    choice,
    date_field,
    item_card,
    long_text,
    number_text,
    row_buttons,
    switch,
    text,
)


def basic_fields(
    tr: Translator, codes: dict[str, dict[str, str]], data: dict[str, Any], *, full: bool = True
) -> None:
    """The project's own fields (also the form of the new-project page, with ``full=False``)."""
    with ui.row().classes("w-full gap-4 items-start"):
        text(data, "name", tr("Name"), classes="w-full md:w-1/2").props("aria-required=true")
        text(data, "short_name", tr("Short name"), classes="w-64")
    with ui.row().classes("w-full gap-4 items-start"):
        choice(data, "status", tr("Status"), codes["status"], classes="w-56")
        choice(data, "project_type", tr("Project type"), codes["project_type"])
        choice(data, "portfolio", tr("Portfolio"), codes["portfolio"])
    with ui.row().classes("w-full gap-4 items-start"):
        date_field(data, "start_date", tr("Start date"), tr)
        date_field(data, "end_date", tr("End date"), tr)
        choice(data, "region", tr("Region"), codes["region"], classes="w-56")
        text(data, "municipality", tr("Municipality"), classes="w-56")
    with ui.row().classes("w-full gap-4 items-start"):
        number_text(data, "budget_amount", tr("Budget (€)"), classes="w-48")
        choice(data, "budget_class", tr("Budget class"), codes["budget_class"], classes="w-56")
    if not full:
        long_text(data, "summary", tr("Summary"))
        return
    with ui.row().classes("w-full gap-4 items-start"):
        text(data, "eura_code", tr("EURA code"), classes="w-40")
        text(data, "decision_number", tr("Decision number"), classes="w-48")
        text(data, "responsible_authority", tr("Responsible authority"), classes="w-72")
    with ui.row().classes("w-full gap-4 items-start"):
        text(data, "action_line", tr("Priority axis"), classes="w-full md:w-5/12")
        text(data, "specific_objective", tr("Specific objective"), classes="w-full md:w-5/12")
    text(data, "programme", tr("Programme"), classes="w-full md:w-5/12")
    text(data, "website", tr("Website"))
    themes = ui.input(tr("Themes (separated by commas)"), value=", ".join(data["themes"]))
    themes.classes("w-full").on_value_change(
        lambda e: data.update(themes=[t.strip() for t in (e.value or "").split(",") if t.strip()])
    )
    long_text(data, "notes", tr("Notes"), rows=3)


def public_switch(tr: Translator, data: dict[str, Any]) -> ui.switch:
    """The "Julkinen" switch: in the public catalogue or not; unset (half-way) the project's
    portfolio decides. Saved with the project, so its rights and audit are the project's."""
    current = data.get("public")
    shown = None if current in ("", None) else bool(current)

    def said(value: bool | None) -> str:
        if value is None:
            return tr("Its portfolio decides whether it is public.")
        if value:
            return tr("Shown in the public project catalogue.")
        return tr("Not shown in the public project catalogue.")

    with ui.row().classes("w-full items-center gap-4"):
        element = ui.switch(tr("Public"), value=shown)
        caption = ui.label(said(shown)).classes("text-body2 text-grey-8")

    def changed(event: Any) -> None:
        data["public"] = "" if event.value is None else bool(event.value)
        caption.set_text(said(event.value))

    element.on_value_change(changed)
    return element


def basic_tab(ed: Editor) -> None:
    basic_fields(ed.tr, ed.codes, ed.doc)
    public_switch(ed.tr, ed.doc)
    ed.save_bar()


def descriptions_tab(ed: Editor) -> None:
    tr, doc = ed.tr, ed.doc
    long_text(doc, "summary", tr("Summary"), rows=6)
    heading(tr("Descriptions"), 2)
    sections: list[dict[str, Any]] = doc["sections"]

    @ui.refreshable
    def rows() -> None:
        if not sections:
            ui.label(tr("No descriptions yet."))
        for i, section in enumerate(sections):
            with item_card():
                what = tr("description {n}", n=i + 1)
                with ui.row().classes("w-full items-start gap-4"):
                    choice(
                        section, "kind", tr("Kind"), ed.codes["section"], blank=None, classes="w-80"
                    )
                    text(section, "title", tr("Title"), classes="flex-grow")
                    row_buttons(tr, sections, i, what, rows.refresh)
                long_text(section, "body", tr("Text"), rows=4)

    rows()

    def add() -> None:
        kind = next(iter(ed.codes["section"]), "muu")
        sections.append({"kind": kind, "title": "", "body": ""})
        rows.refresh()

    ui.button(tr("Add a description"), icon="add", on_click=add).props("outline")
    ed.save_bar()


def _organisation(ed: Editor, org: dict[str, Any], name_label: str) -> None:
    tr = ed.tr
    text(org, "name", name_label, classes="w-80")
    choice(org, "org_type", tr("Organisation type"), ed.codes["organisation_type"], classes="w-56")


# --- a funder is chosen once: the code names the organisation, which joins the project -------

ORG_FIELDS = ("name", "org_type", "y_tunnus", "municipality")
FUNDER_ROLE = "rahoittaja"
LEAD_ROLE = "paatoteuttaja"
OWN_FUNDING = "OMA"


def _same_name(a: Any, b: Any) -> bool:
    return str(a or "").strip().casefold() == str(b or "").strip().casefold()


def _project_organisation(doc: dict[str, Any], name: str) -> dict[str, Any] | None:
    rows = doc.get("organisations") or []
    return next(
        (r["organisation"] for r in rows if _same_name(r["organisation"]["name"], name)), None
    )


def ensure_funder_organisation(doc: dict[str, Any], funder: dict[str, Any]) -> bool:
    """Add the funder to the project's organisations as a funder unless it is there already."""
    name = str(funder.get("name") or "").strip()
    if not name or _project_organisation(doc, name) is not None:
        return False
    organisation = {key: funder.get(key) or "" for key in ORG_FIELDS}
    doc["organisations"].append({"organisation": organisation, "role": FUNDER_ROLE})
    return True


def choose_funder_organisation(doc: dict[str, Any], row: dict[str, Any], name: str) -> bool:
    """The funding row's organisation by name: a project organisation's details come with it."""
    funder = row["funder"]
    known = _project_organisation(doc, name)
    if known is not None:
        funder.update({key: known.get(key) or "" for key in ORG_FIELDS})
    else:
        funder["name"] = name.strip()
    return ensure_funder_organisation(doc, funder)


def choose_funder_code(doc: dict[str, Any], row: dict[str, Any], code: str) -> bool:
    """A funder code with a known organisation (STM, STEA, ESR …) names it and its type; own
    funding is the lead implementer's. True when the organisation was added to the project."""
    row["funder_code"] = code
    funder = row["funder"]
    if code in FUNDERS:
        name, org_type = FUNDERS[code]
        funder.update(name=name, org_type=org_type or "", y_tunnus="", municipality="")
        return ensure_funder_organisation(doc, funder)
    if code == OWN_FUNDING:
        rows = doc.get("organisations") or []
        lead = next((r["organisation"] for r in rows if r.get("role") == LEAD_ROLE), None)
        if lead is not None:
            funder.update({key: lead.get(key) or "" for key in ORG_FIELDS})
    return False


def _funder_inputs(ed: Editor, row: dict[str, Any], refresh: Callable[[], Any]) -> None:
    tr, doc, funder = ed.tr, ed.doc, row["funder"]

    def added(was_added: bool) -> None:
        if was_added:
            ui.notify(tr("{name} was added to the organisations as a funder.", name=funder["name"]))
            for refresh_tab in ed.refreshers:
                refresh_tab()
        refresh()

    code = choice(row, "funder_code", tr("Funder"), ed.codes["funder"], classes="w-72")
    code.on_value_change(lambda e: added(choose_funder_code(doc, row, str(e.value or ""))))
    if row.get("funder_code") in FUNDERS:
        # The code names the organisation: nothing more to type.
        ui.input(tr("Funder organisation"), value=funder["name"]).props("readonly").classes("w-80")
        return
    names = [r["organisation"]["name"] for r in doc["organisations"] if r["organisation"]["name"]]
    current = funder.get("name") or ""
    options = list(dict.fromkeys([*names, *([current] if current else [])]))
    organisation = ui.select(
        options,
        value=current or None,
        label=tr("Funder organisation"),
        with_input=True,
        new_value_mode="add-unique",
    ).classes("w-80")
    organisation.form_binding = (funder, "name")  # type: ignore[attr-defined]
    organisation.on_value_change(
        lambda e: added(choose_funder_organisation(doc, row, str(e.value or "")))
    )
    if current and not funder.get("org_type"):
        # Asked only while unknown, and kept the same in the project's organisation list.
        kinds = ed.codes["organisation_type"]
        kind = choice(funder, "org_type", tr("Organisation type"), kinds, classes="w-56")
        kind.on_value_change(lambda e: _same_type(doc, funder, str(e.value or "")))


def _same_type(doc: dict[str, Any], funder: dict[str, Any], org_type: str) -> None:
    known = _project_organisation(doc, str(funder.get("name") or ""))
    if known is not None:
        known["org_type"] = org_type


def funding_tab(ed: Editor) -> None:
    tr, funding = ed.tr, ed.doc["funding"]

    @ui.refreshable
    def rows() -> None:
        if not funding:
            ui.label(tr("No funding yet."))
        for i, row in enumerate(funding):
            with item_card():
                with ui.row().classes("w-full items-start gap-4"):
                    _funder_inputs(ed, row, rows.refresh)
                    ui.space()
                    row_buttons(tr, funding, i, tr("funding {n}", n=i + 1), rows.refresh)
                with ui.row().classes("w-full items-start gap-4"):
                    number_text(row, "amount", tr("Amount (€)"))
                    number_text(row, "share_percent", tr("Share (%)"), classes="w-32")
                    number_text(row, "own_contribution", tr("Own contribution (€)"))
                    text(row, "decision_number", tr("Decision number"), classes="w-48")
                    date_field(row, "decision_date", tr("Decision date"), tr)
                with ui.row().classes("w-full items-start gap-4"):
                    # Wide enough for the whole label: the two differ only in their last word.
                    for key, label in (
                        ("period_start", tr("Start of the funding's period of use")),
                        ("period_end", tr("End of the funding's period of use")),
                    ):
                        date_field(row, key, label, tr).classes("w-96")

    rows()

    def add() -> None:
        funding.append(
            {
                "funder": {"name": "", "org_type": "", "y_tunnus": "", "municipality": ""},
                "funder_code": "",
                "amount": "",
                "share_percent": "",
                "own_contribution": "",
                "decision_number": "",
                "decision_date": "",
                "period_start": "",
                "period_end": "",
            }
        )
        rows.refresh()

    ui.button(tr("Add funding"), icon="add", on_click=add).props("outline")
    ed.save_bar()


def organisations_tab(ed: Editor) -> None:
    tr, organisations = ed.tr, ed.doc["organisations"]

    @ui.refreshable
    def rows() -> None:
        if not organisations:
            ui.label(tr("No organisations yet."))
        for i, row in enumerate(organisations):
            org = row["organisation"]
            with item_card(), ui.row().classes("w-full items-start gap-4"):
                _organisation(ed, org, tr("Organisation"))
                choice(row, "role", tr("Role"), ed.codes["organisation_role"], blank=None)
                text(org, "y_tunnus", tr("Y-tunnus"), classes="w-36")
                text(org, "municipality", tr("Municipality"), classes="w-48")
                ui.space()
                row_buttons(tr, organisations, i, tr("organisation {n}", n=i + 1), rows.refresh)

    rows()
    ed.refreshers.append(rows.refresh)  # a funder chosen on the funding tab joins the list

    def add() -> None:
        role = next(iter(ed.codes["organisation_role"]), "yhteistyokumppani")
        organisations.append(
            {
                "organisation": {"name": "", "org_type": "", "y_tunnus": "", "municipality": ""},
                "role": role,
            }
        )
        rows.refresh()

    ui.button(tr("Add an organisation"), icon="add", on_click=add).props("outline")
    ed.save_bar()


def people_tab(ed: Editor) -> None:
    tr, people = ed.tr, ed.doc["people"]

    @ui.refreshable
    def rows() -> None:
        if not people:
            ui.label(tr("No people yet."))
        for i, row in enumerate(people):
            person = row["person"]
            with item_card():
                with ui.row().classes("w-full items-start gap-4"):
                    text(person, "name", tr("Name"), classes="w-64")
                    text(person, "email", tr("E-mail"), classes="w-64").props(
                        'type="email" autocomplete="off"'
                    )
                    text(person, "phone", tr("Phone"), classes="w-44").props('type="tel"')
                    ui.space()
                    row_buttons(tr, people, i, tr("person {n}", n=i + 1), rows.refresh)
                with ui.row().classes("w-full items-center gap-4"):
                    text(person, "organisation", tr("Organisation"), classes="w-64")
                    text(row, "role", tr("Role in the project"), classes="w-96")
                    switch(row, "is_team", tr("Team member"))
                    switch(row, "is_contact", tr("Contact person"))
                    switch(row, "public_contact", tr("Public contact"))

    rows()

    def add() -> None:
        people.append(
            {
                "person": {"name": "", "email": "", "phone": "", "organisation": ""},
                "role": "",
                "is_contact": False,
                "is_team": True,
                "public_contact": False,
            }
        )
        rows.refresh()

    ui.button(tr("Add a person"), icon="add", on_click=add).props("outline")
    ed.save_bar()
