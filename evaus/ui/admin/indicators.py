"""The indicator catalogue (administrators): the list with its search, adding and editing an
entry, deactivating or deleting one, and importing a file in THL Sotkanet's shape with a
preview. Every change runs through ``admin_action`` (a fresh administrator, an audited session);
the import shows its preview (a dry run of the same work) before anything is saved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from nicegui import ui
from sqlalchemy.orm import Session

from project_db.errors import N_
from project_db.schemas import DIRECTION_LABELS

from ...i18n import format_message
from ...services import indicator_catalogue as catalogue
from ...services.access import Actor, require_admin
from ..context import Translator, session
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
from .file_import import FileImport

PAGE_SIZE = 200
ACCEPTED = ".json,.csv"
MEASURE_TYPE_LABELS = {"quantitative": N_("quantitative"), "qualitative": N_("qualitative")}
PREVIEW_ACTIONS = {
    "created": N_("To be created"),
    "updated": N_("To be updated"),
    "unchanged": N_("Unchanged"),
}
DONE_ACTIONS = {"created": N_("Created"), "updated": N_("Updated"), "unchanged": N_("Unchanged")}
# The entry's fields by their labels in the preview of an import ("Changes: Name in Finnish").
FIELD_NAMES = {
    "name_fi": N_("Name in Finnish"),
    "name_sv": N_("Name in Swedish"),
    "name_en": N_("Name in English"),
    "unit": N_("Unit"),
    "direction": N_("Direction"),
    "definition": N_("Definition"),
    "source": N_("Source"),
    "source_id": N_("Identifier in the source"),
    "producer": N_("Producer"),
    "measure_type": N_("Type of measure"),
    "active": N_("In use"),
}


@dataclass(frozen=True)
class _Entry:
    key: str
    version: int
    name_fi: str
    name_sv: str
    name_en: str
    unit: str
    direction: str | None
    definition: str
    source: str
    source_id: str | None
    producer: str
    measure_type: str
    active: bool
    links: int

    def name_in(self, lang: str) -> str:
        return {"sv": self.name_sv, "en": self.name_en}.get(lang) or self.name_fi


def direction_options(tr: Translator) -> dict[str, str]:
    return {"": tr("Neither"), **{code: tr(text) for code, text in DIRECTION_LABELS.items()}}


def _source_text(entry: _Entry) -> str:
    if entry.source and entry.source_id:
        return f"{entry.source} {entry.source_id}"
    return entry.source or "–"


def catalogue_page(actor: Actor, tr: Translator) -> None:
    ui.label(
        tr(
            "Shared indicator definitions that projects and impact assessments can link their "
            "indicators to. An indicator that is linked cannot be deleted, only deactivated: it "
            "then is no longer offered or suggested, and the links stay."
        )
    ).classes("max-w-3xl")
    state: dict[str, Any] = {"search": "", "all": True}

    def read(db_session: Session, a: Actor) -> tuple[list[_Entry], int]:
        page = catalogue.list_catalogue(
            db_session,
            search=state["search"],
            active_only=not state["all"],
            limit=PAGE_SIZE,
            actor=a,
        )
        links = catalogue.usage(db_session, [e.key for e in page.entries], actor=a)
        rows = [
            _Entry(
                e.key,
                e.version,
                e.name_fi,
                e.name_sv,
                e.name_en,
                e.unit,
                e.direction,
                e.definition,
                e.source,
                e.source_id,
                e.producer,
                e.measure_type,
                e.active,
                links.get(e.key, 0),
            )
            for e in page.entries
        ]
        return rows, page.total

    with ui.row().classes("items-end gap-4"):
        search = ui.input(tr("Search the catalogue")).classes("w-96").props("clearable")
        show_all = ui.checkbox(tr("Show deactivated indicators"), value=True)

    @ui.refreshable
    def entry_table() -> None:
        rows, total = read_for_page(actor, read)
        ui.label(tr("{shown} of {total} indicators", shown=len(rows), total=total)).props(
            'role="status"'
        )
        headers = [
            tr("Name"),
            tr("Unit"),
            tr("Direction"),
            tr("Source"),
            tr("In use"),
            tr("Linked indicators"),
            tr("Actions"),
        ]
        directions = direction_options(tr)
        with data_table(tr, tr("Indicator catalogue"), headers):
            for row in rows:
                with table_row():
                    cell(row.name_in(tr.lang))
                    cell(row.unit or "–")
                    cell(directions.get(row.direction or "", "–"))
                    cell(_source_text(row))
                    cell(tr("Yes") if row.active else tr("No"))
                    cell(str(row.links))
                    with action_cell():
                        _row_actions(tr, row, entry_table.refresh)

    def searched() -> None:
        state["search"] = search.value or ""
        state["all"] = bool(show_all.value)
        entry_table.refresh()

    search.on_value_change(searched)
    show_all.on_value_change(searched)
    entry_table()
    heading(tr("Add an indicator"), 2)
    _add_form(tr, entry_table.refresh)
    heading(tr("Import indicators from a file"), 2)
    _import_part(tr, entry_table.refresh)


def _row_actions(tr: Translator, row: _Entry, refresh: Refresh) -> None:
    name = row.name_in(tr.lang)

    async def run_action(work: Callable[[Session, Actor], object], done: str) -> None:
        ok, _ = await admin_action(tr, work)
        if ok:
            ui.notify(done, type="positive")
            refresh()

    async def toggle() -> None:
        done = (
            tr("The indicator {name} was deactivated.", name=name)
            if row.active
            else tr("The indicator {name} was taken into use.", name=name)
        )
        await run_action(
            lambda s, a: catalogue.set_active(s, row.key, not row.active, actor=a), done
        )

    async def delete() -> None:
        done = tr("The indicator {name} was deleted.", name=name)
        await run_action(lambda s, a: catalogue.delete_entry(s, row.key, actor=a), done)

    row_button(tr("Edit"), name, lambda: _edit_dialog(tr, row, refresh))
    row_button(tr("Deactivate") if row.active else tr("Activate"), name, toggle)
    if row.links == 0:
        text = tr("Delete")
        question = tr("Delete the indicator {name}?", name=name)
        row_button(text, name, lambda: confirm(tr, question, text, delete))


@dataclass
class _Inputs:
    """The inputs of the add form and the edit dialog."""

    fields: dict[str, Any] = field(default_factory=dict)

    def values(self) -> dict[str, Any]:
        found = {name: element.value for name, element in self.fields.items()}
        found["direction"] = found.get("direction") or None
        return {k: ("" if v is None and k != "direction" else v) for k, v in found.items()}


def _inputs(tr: Translator, row: _Entry | None) -> _Inputs:
    inputs = _Inputs()
    f = inputs.fields
    if row is None:
        f["key"] = ui.input(tr("Key (optional)"), placeholder="sotkanet:127").classes("w-full")
    f["name_fi"] = ui.input(tr("Name in Finnish"), value=row.name_fi if row else "")
    f["name_sv"] = ui.input(tr("Name in Swedish"), value=row.name_sv if row else "")
    f["name_en"] = ui.input(tr("Name in English"), value=row.name_en if row else "")
    f["unit"] = ui.input(tr("Unit"), value=row.unit if row else "")
    f["direction"] = ui.select(
        direction_options(tr), value=(row.direction or "") if row else "", label=tr("Direction")
    )
    types = {code: tr(text) for code, text in MEASURE_TYPE_LABELS.items()}
    f["measure_type"] = ui.select(
        types, value=row.measure_type if row else "quantitative", label=tr("Type of measure")
    )
    f["source"] = ui.input(
        tr("Source"), value=row.source if row else "", placeholder="THL Sotkanet"
    )
    f["source_id"] = ui.input(
        tr("Identifier in the source"), value=(row.source_id or "") if row else ""
    )
    f["producer"] = ui.input(tr("Producer"), value=row.producer if row else "")
    f["definition"] = ui.textarea(tr("Definition"), value=row.definition if row else "")
    for element in f.values():
        element.classes("w-full")
    return inputs


def _add_form(tr: Translator, refresh: Refresh) -> None:
    def rows() -> DialogSave:
        inputs = _inputs(tr, None)

        def work(s: Session, a: Actor) -> str:
            return catalogue.create_entry(s, inputs.values(), actor=a).key

        clear = tuple(
            element
            for name, element in inputs.fields.items()
            if name not in ("direction", "measure_type")
        )
        return DialogSave(
            work,
            lambda: tr("The indicator {name} was added.", name=inputs.fields["name_fi"].value),
            refresh,
            clear=clear,
        )

    add_form(tr, tr("Add indicator"), rows)


def _edit_dialog(tr: Translator, row: _Entry, refresh: Refresh) -> None:
    def rows() -> DialogSave:
        inputs = _inputs(tr, row)

        def work(s: Session, a: Actor) -> str:
            values = inputs.values() | {"active": row.active}
            entry = catalogue.update_entry(
                s, row.key, values, expected_version=row.version, actor=a
            )
            return entry.key

        return DialogSave(work, tr("The changes were saved."), refresh)

    edit_dialog(
        tr, tr("Edit the indicator {name}", name=row.name_in(tr.lang)), rows, width="w-[40rem]"
    )


# --- import ------------------------------------------------------------------------------------


def _run_import(
    actor: Actor, data: bytes, filename: str, *, dry_run: bool
) -> catalogue.CatalogueImport:
    require_admin(actor)
    with session(actor) as db_session:
        return catalogue.import_catalogue(
            db_session, data, filename=filename, dry_run=dry_run, actor=actor
        )


def _import_part(tr: Translator, refresh: Refresh) -> None:
    ui.label(
        tr(
            "A JSON file in the shape of THL Sotkanet's indicator list (id, title in Finnish, "
            "Swedish and English, organization, primaryValueType, description) or a CSV table "
            "with the columns id and title_fi. An indicator with the same source id is updated; "
            "the direction and the state in use are kept. Nothing is saved before you confirm."
        )
    ).classes("max-w-3xl")
    FileImport(
        tr,
        accepted=ACCEPTED,
        button=tr("Choose an indicator file"),
        work=_run_import,
        show=partial(_show_import, tr),
        imported=lambda _result, _preview: refresh(),
    )


def _show_import(
    tr: Translator,
    result: catalogue.CatalogueImport,
    filename: str,
    *,
    confirm: Callable[[], Any] | None,
    cancel: Callable[[], Any] | None,
) -> None:
    dry = result.dry_run
    heading(tr("Preview of the import") if dry else tr("Import finished"), 3)
    ui.label(tr("File: {name}", name=filename))
    counts = result.counts
    summary = (
        tr("To be created {created}, to be updated {updated}, unchanged {unchanged}.", **counts)
        if dry
        else tr("Created {created}, updated {updated}, unchanged {unchanged}.", **counts)
    )
    ui.label(summary).classes("text-weight-medium").props('role="status"')
    actions = PREVIEW_ACTIONS if dry else DONE_ACTIONS
    headers = [tr("Row"), tr("Key"), tr("Name"), tr("Action"), tr("Changes")]
    with data_table(tr, tr("Indicators in the file"), headers):
        for entry in result.entries:
            with table_row():
                cell(str(entry.row))
                cell(entry.key)
                cell(entry.name)
                cell(tr(actions[entry.action]))
                changed = [tr(FIELD_NAMES.get(name, name)) for name in entry.changed]
                cell(", ".join(changed) or "–")
    if confirm is not None and cancel is not None:
        with ui.row().classes("gap-2"):
            ui.button(tr("Confirm import"), on_click=confirm)
            ui.button(tr("Cancel"), on_click=cancel).props("flat")


# --- suggestions in the preview of a project import ---------------------------------------------


def suggestion_text(tr: Translator, suggestion: catalogue.Suggestion) -> str:
    """'Pitkäaikaistyöttömät, % työvoimasta (%) – sama nimi suomeksi, sama yksikkö (%)'."""
    reasons = ", ".join(format_message(r.message, tr.lang, **r.params) for r in suggestion.reasons)
    unit = f" ({suggestion.unit})" if suggestion.unit else ""
    return f"{suggestion.name_in(tr.lang)}{unit} – {reasons}"


def suggestion_picker(
    tr: Translator, found: catalogue.SourceSuggestions, choices: dict[int, str]
) -> None:
    """For each indicator of the file that is like a catalogue indicator: the suggestions as
    radio buttons, "Do not link" chosen. ``choices`` gets the chosen key by the item's place in
    ``found.items``; nothing is linked unless the user chooses."""
    choices.clear()
    if not found.items:
        return
    with ui.column().classes("w-full gap-1").props('data-testid="catalogue-suggestions"'):
        heading(tr("Indicator catalogue suggestions"), 3)
        ui.label(
            tr(
                "These indicators of the file are like shared indicators of the catalogue. "
                "Choose one to link the indicator to it when you confirm the import; nothing is "
                "linked unless you choose."
            )
        ).classes("max-w-3xl text-body2")
        for n, item in enumerate(found.items):
            project = (
                found.project_names[item.project] if item.project < len(found.project_names) else ""
            )
            name = tr("{indicator} (project {project})", indicator=item.name, project=project)
            with ui.element("fieldset").classes("w-full border rounded q-pa-sm"):
                with ui.element("legend"):
                    ui.label(name).classes("text-weight-medium")
                options = {"": tr("Do not link")} | {
                    s.key: suggestion_text(tr, s) for s in item.suggestions
                }

                def chosen(event: Any, n: int = n) -> None:
                    if event.value:
                        choices[n] = event.value
                    else:
                        choices.pop(n, None)

                radio = ui.radio(options, value="", on_change=chosen)
                radio.props["aria-label"] = name


def link_chosen(
    actor: Actor,
    found: catalogue.SourceSuggestions,
    choices: dict[int, str],
    project_ids: list[int | None],
) -> int:
    """After the import: link each indicator whose suggestion the user chose (blocking; run it
    in a worker thread). The number of indicators linked."""
    linked = 0
    with session(actor) as db_session:
        for n, key in sorted(choices.items()):
            item = found.items[n]
            project_id = project_ids[item.project] if item.project < len(project_ids) else None
            if project_id is None:
                continue
            if catalogue.link_imported(db_session, project_id, item.name, key, actor=actor):
                linked += 1
    return linked
