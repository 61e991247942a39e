"""Code lists (labels in Finnish, Swedish and English, order, active state) and organisations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nicegui import ui
from sqlalchemy.orm import Session

from project_db.errors import N_

from ...services import codelist_admin, codelists, publishing
from ...services.access import Actor
from ..context import Translator
from ..layout import heading
from .common import (
    DialogSave,
    Refresh,
    action_cell,
    add_form,
    admin_action,
    cell,
    confirm,
    data_table,
    edit_dialog,
    read_for_page,
    row_button,
    table_row,
)

CODE_LIST_LABELS = {
    "status": N_("Project statuses"),
    "project_type": N_("Project types"),
    "portfolio": N_("Portfolios"),
    "region": N_("Regions"),
    "funder": N_("Funders"),
    "organisation_type": N_("Organisation types"),
    "organisation_role": N_("Organisation roles"),
    "budget_class": N_("Budget classes"),
    "section": N_("Description section kinds"),
    "gender": N_("Genders"),
    "age_class": N_("Age classes"),
    "labour_status": N_("Labour-market statuses"),
    "education": N_("Education levels"),
    "cost_category_esr": N_("Cost categories (ESF)"),
    "cost_category_stm": N_("Cost categories (STM)"),
    "cost_category_stea": N_("Cost categories (STEA)"),
}


@dataclass(frozen=True)
class _Code:
    id: int
    code: str
    fi: str
    sv: str
    en: str
    active: bool
    public_default: bool = False  # a portfolio's: its projects are public unless they say not


PORTFOLIOS = "portfolio"


def _list_label(tr: Translator, list_name: str) -> str:
    text = CODE_LIST_LABELS.get(list_name)
    return tr(text) if text else list_name


def codes_page(actor: Actor, tr: Translator, list_name: str) -> None:
    if list_name not in codelist_admin.CODE_LIST_NAMES:
        list_name = codelist_admin.CODE_LIST_NAMES[0]
    state = {"list": list_name}
    options = {name: _list_label(tr, name) for name in codelist_admin.CODE_LIST_NAMES}

    def read(db_session: Session, a: Actor) -> list[_Code]:
        return [
            _Code(c.id, c.code, c.label_fi, c.label_sv, c.label_en, c.active, c.public_default)
            for c in codelist_admin.list_codes(db_session, state["list"], actor=a)
        ]

    @ui.refreshable
    def code_table() -> None:
        rows = read_for_page(actor, read)
        headers = [
            tr("Code"),
            tr("In Finnish"),
            tr("In Swedish"),
            tr("In English"),
            tr("In use"),
            tr("Actions"),
        ]
        portfolios = state["list"] == PORTFOLIOS
        if portfolios:
            headers.insert(5, tr("Public by default"))
            ui.label(
                tr(
                    "Public by default: the portfolio's projects are in the public catalogue "
                    "unless a project chooses otherwise."
                )
            ).classes("max-w-3xl")
        with data_table(tr, _list_label(tr, state["list"]), headers):
            for index, row in enumerate(rows):
                _code_row(tr, row, index, len(rows), code_table.refresh, portfolios)

    def choose(event: Any) -> None:
        state["list"] = event.value
        code_table.refresh()

    ui.label(
        tr(
            "Projects refer to the code; renaming a label changes it everywhere. A code in use "
            "cannot be deleted, only deactivated: it then disappears from new choices."
        )
    ).classes("max-w-3xl")
    ui.select(options, value=state["list"], label=tr("Code list"), on_change=choose).classes("w-80")
    code_table()
    heading(tr("Add a code to the chosen list"), 2)
    _add_form(tr, state, code_table.refresh)


def _add_form(tr: Translator, state: dict[str, str], refresh: Refresh) -> None:
    def rows() -> DialogSave:
        code = ui.input(tr("Code"))
        fi = ui.input(tr("Label in Finnish"))
        sv = ui.input(tr("Label in Swedish"))
        en = ui.input(tr("Label in English"))
        return DialogSave(
            lambda s, a: (
                codelist_admin.add_code(
                    s,
                    state["list"],
                    code.value or "",
                    label_fi=fi.value or "",
                    label_sv=sv.value or "",
                    label_en=en.value or "",
                    actor=a,
                ).id
            ),
            lambda: tr("The code {code} was added.", code=code.value),
            refresh,
            clear=(code, fi, sv, en),
        )

    add_form(tr, tr("Add code"), rows)


def _code_row(  # noqa: PLR0917 - the row, its place and whether it is a portfolio
    tr: Translator, row: _Code, index: int, count: int, refresh: Refresh, portfolio: bool = False
) -> None:
    async def run(work: Callable[[Session, Actor], object], done: str = "") -> None:
        ok, _ = await admin_action(tr, work)
        if ok:
            if done:
                ui.notify(done, type="positive")
            refresh()

    async def move(offset: int) -> None:
        await run(lambda s, a: codelist_admin.move_code(s, row.id, offset, actor=a))

    async def toggle() -> None:
        await run(lambda s, a: codelist_admin.set_code_active(s, row.id, not row.active, actor=a))

    async def delete() -> None:
        done = tr("The code {code} was deleted.", code=row.code)
        await run(lambda s, a: codelist_admin.delete_code(s, row.id, actor=a), done)

    async def publicity() -> None:
        public = not row.public_default
        done = (
            tr("The projects of {code} are now public by default.", code=row.code)
            if public
            else tr("The projects of {code} are no longer public by default.", code=row.code)
        )
        await run(lambda s, a: publishing.set_portfolio_default(s, row.code, public, actor=a), done)

    with table_row():
        cell(row.code)
        cell(row.fi)
        cell(row.sv)
        cell(row.en)
        cell(tr("Yes") if row.active else tr("No"))
        if portfolio:
            cell(tr("Yes") if row.public_default else tr("No"))
        with action_cell():
            row_button(tr("Edit"), row.code, lambda: _edit_dialog(tr, row, refresh))
            if portfolio:
                text = (
                    tr("Make not public by default")
                    if row.public_default
                    else tr("Make public by default")
                )
                row_button(text, row.code, publicity)
            if index > 0:
                row_button(tr("Up"), row.code, lambda: move(-1))
            if index < count - 1:
                row_button(tr("Down"), row.code, lambda: move(1))
            row_button(tr("Deactivate") if row.active else tr("Activate"), row.code, toggle)
            text = tr("Delete")
            question = tr("Delete the code {code}?", code=row.code)
            row_button(text, row.code, lambda: confirm(tr, question, text, delete))


def _edit_dialog(tr: Translator, row: _Code, refresh: Refresh) -> None:
    def rows() -> DialogSave:
        fi = ui.input(tr("Label in Finnish"), value=row.fi).classes("w-full")
        sv = ui.input(tr("Label in Swedish"), value=row.sv).classes("w-full")
        en = ui.input(tr("Label in English"), value=row.en).classes("w-full")
        return DialogSave(
            lambda s, a: (
                codelist_admin.update_code(
                    s,
                    row.id,
                    label_fi=fi.value or "",
                    label_sv=sv.value or "",
                    label_en=en.value or "",
                    actor=a,
                ).id
            ),
            tr("The changes were saved."),
            refresh,
        )

    edit_dialog(tr, tr("Labels of the code {code}", code=row.code), rows)


# --- organisations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Org:
    id: int
    name: str
    org_type: str
    y_tunnus: str


def organisations_page(actor: Actor, tr: Translator) -> None:
    def read(db_session: Session, a: Actor) -> tuple[list[_Org], dict[str, str]]:
        orgs = [
            _Org(o.id, o.name, o.org_type or "", o.y_tunnus or "")
            for o in codelist_admin.list_organisations(db_session, actor=a)
        ]
        return orgs, codelists.labels(db_session, "organisation_type", tr.lang, actor=actor)

    search = ui.input(tr("Search by name or Y-tunnus")).classes("w-80").props("clearable")

    @ui.refreshable
    def org_table() -> None:
        orgs, types = read_for_page(actor, read)
        needle = (search.value or "").strip().casefold()
        shown = [o for o in orgs if needle in o.name.casefold() or needle in o.y_tunnus]
        headers = [tr("Name"), tr("Type"), tr("Y-tunnus"), tr("Actions")]
        ui.label(tr("{shown} of {total} organisations", shown=len(shown), total=len(orgs)))
        with data_table(tr, tr("Organisations"), headers):
            for org in shown:
                with table_row():
                    cell(org.name)
                    cell(types.get(org.org_type, org.org_type) or "–")
                    cell(org.y_tunnus or "–")
                    with action_cell():
                        row_button(
                            tr("Edit"),
                            org.name,
                            lambda org=org: _org_dialog(tr, org, types, org_table.refresh),
                        )

    search.on_value_change(org_table.refresh)
    org_table()


def _org_dialog(tr: Translator, org: _Org, types: dict[str, str], refresh: Refresh) -> None:
    def rows() -> DialogSave:
        name = ui.input(tr("Name"), value=org.name).classes("w-full")
        org_type = ui.select(
            {"": "–", **types},
            value=org.org_type if org.org_type in types else "",
            label=tr("Type"),
        ).classes("w-full")
        y_tunnus = ui.input(tr("Y-tunnus"), value=org.y_tunnus, placeholder="1234567-8")
        y_tunnus.classes("w-full")
        return DialogSave(
            lambda s, a: (
                codelist_admin.update_organisation(
                    s,
                    org.id,
                    name=name.value or "",
                    org_type=org_type.value or "",
                    y_tunnus=y_tunnus.value or "",
                    actor=a,
                ).id
            ),
            tr("The changes were saved."),
            refresh,
        )

    edit_dialog(tr, tr("Edit organisation"), rows, width="w-[32rem]")
