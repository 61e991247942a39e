"""Importing a source file (a card, CSV/ZIP, XLSX or JSON) and exporting the whole registry.

An import always starts with a dry run: ``import_source(..., dry_run=True)`` does exactly the work
of the real import and rolls back, so the preview (per project: created, updated or unchanged,
its warnings, and what the registry holds that the file does not mention — kept, or removed
when "Remove missing" is ticked) is what the confirmed import will do. Nothing is written
before the user presses "Confirm import". The import runs in a worker thread with the time
limit of the settings (EVAUS_IMPORT_TIME_LIMIT): past it, it is rolled back.

Progress: the import runs as ONE transaction in ``registry_io.import_source`` so that a file
commits whole or not at all. Reporting progress per project would need one call (and one commit)
per project, which would break that guarantee — a failure in the fifth project would leave four
imported. So the page shows a spinner with a text while the work runs in ``run.io_bound`` and
then the final counts; the dry run's preview already told how many projects the file holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from nicegui import run, ui

from project_db.errors import N_, RegistryError
from project_db.importers import available_formats

from ...i18n import format_message
from ...services.access import Actor, Forbidden, require_admin
from ...settings import get_settings
from ..context import Translator, notify_forbidden, session
from ..layout import heading
from . import indicators
from .common import (
    TIMEZONE,
    cell,
    data_table,
    fresh_admin,
    problem_text,
    table_row,
)
from .file_import import FileImport

if TYPE_CHECKING:
    from ...services import indicator_catalogue, registry_io

PREVIEW_ACTIONS = {
    "created": N_("To be created"),
    "updated": N_("To be updated"),
    "unchanged": N_("Unchanged"),
}
DONE_ACTIONS = {"created": N_("Created"), "updated": N_("Updated"), "unchanged": N_("Unchanged")}


ACCEPTED_SUFFIXES = ".txt,.csv,.zip,.xlsx,.json"


@dataclass
class _Checked:
    """An import's report and, after a dry run, the catalogue's suggestions for its indicators."""

    report: registry_io.ImportReport
    suggestions: indicator_catalogue.SourceSuggestions | None = None


@dataclass
class _Links:
    """The suggestions shown in the preview and the user's choices among them."""

    suggestions: indicator_catalogue.SourceSuggestions | None = None
    chosen: dict[int, str] = field(default_factory=dict)


def _format_label(tr: Translator, name: str) -> str:
    importer = available_formats().get(name)
    return tr(importer.label) if importer else name


def _run_import(
    actor: Actor,
    data: bytes,
    filename: str,
    format_name: str | None,
    *,
    dry_run: bool,
    remove_missing: bool,
) -> registry_io.ImportReport:
    from ...services import registry_io  # openpyxl and the importers: only when used

    require_admin(actor)
    with session(actor) as db_session:
        return registry_io.import_source(
            db_session,
            data,
            filename=filename,
            format_name=format_name,
            dry_run=dry_run,
            remove_missing=remove_missing,
            actor=actor,
            time_limit=get_settings().import_time_limit,
        )


def _suggest(
    actor: Actor, data: bytes, filename: str, format_name: str | None
) -> indicator_catalogue.SourceSuggestions:
    from ...services import indicator_catalogue

    with session(actor) as db_session:
        return indicator_catalogue.suggest_for_source(
            db_session, data, filename=filename, format_name=format_name, actor=actor
        )


def import_page(actor: Actor, tr: Translator) -> None:
    ui.label(
        tr(
            "Import projects from a project card (.txt), a CSV table or a ZIP of tables, an Excel "
            "workbook (.xlsx) or an EVAUS registry file (.json). A project already in the "
            "registry (the same key or EURA code) is updated. The file is checked first and "
            "nothing is saved until you confirm."
        )
    ).classes("max-w-3xl")
    formats = {"": tr("Detect automatically")} | {
        name: _format_label(tr, name) for name in sorted(available_formats())
    }
    fmt = ui.select(formats, value="", label=tr("Format")).classes("w-96")
    remove_missing = ui.checkbox(tr("Remove missing"))
    ui.label(
        tr(
            "A project card or a table updates only what it mentions; the rest is kept. Tick "
            "this to remove from the updated projects what the file does not mention (a "
            "registry JSON file always replaces). The preview lists what would be removed."
        )
    ).classes("text-body2 max-w-3xl")
    links = _Links()

    def work(current: Actor, data: bytes, filename: str, *, dry_run: bool) -> _Checked:
        format_name = fmt.value or None
        report = _run_import(
            current,
            data,
            filename,
            format_name,
            dry_run=dry_run,
            remove_missing=bool(remove_missing.value),
        )
        found = _suggest(current, data, filename, format_name) if dry_run else None
        return _Checked(report, found)

    def show(
        checked: _Checked,
        filename: str,
        *,
        confirm: Callable[[], Any] | None,
        cancel: Callable[[], Any] | None,
    ) -> None:
        extra = None
        if checked.report.dry_run:
            # Never linked without the user's choice: the choices are made before confirming.
            links.suggestions, links.chosen = checked.suggestions, {}
            if checked.suggestions is not None:
                extra = partial(indicators.suggestion_picker, tr, checked.suggestions, links.chosen)
        _show_report(tr, checked.report, filename, confirm=confirm, cancel=cancel, extra=extra)

    async def imported(checked: _Checked, preview: ui.column) -> None:
        await _link_chosen(tr, links, checked.report, preview)

    importer = FileImport(
        tr,
        accepted=ACCEPTED_SUFFIXES,
        button=tr("Choose a file to import"),
        work=work,
        show=show,
        imported=imported,
    )
    fmt.on_value_change(importer.recheck)
    remove_missing.on_value_change(importer.recheck)


async def _link_chosen(
    tr: Translator, links: _Links, report: registry_io.ImportReport, preview: ui.column
) -> None:
    """After a confirmed import: link the indicators whose catalogue suggestion was chosen."""
    found, choices = links.suggestions, dict(links.chosen)
    links.suggestions, links.chosen = None, {}
    current = fresh_admin(tr)
    if found is None or not choices or current is None:
        return
    project_ids = [item.project_id for item in report.projects]
    try:
        linked = await run.io_bound(indicators.link_chosen, current, found, choices, project_ids)
    except RegistryError as exc:
        ui.notify(problem_text(tr, exc), type="negative", multi_line=True)
        return
    if not preview.is_deleted:
        with preview:
            ui.label(
                tr("{count} indicators were linked to the indicator catalogue.", count=linked)
            ).props('role="status"')


def _show_report(
    tr: Translator,
    report: registry_io.ImportReport,
    filename: str,
    *,
    confirm: Callable[[], Any] | None,
    cancel: Callable[[], Any] | None,
    extra: Callable[[], None] | None = None,
) -> None:
    dry = report.dry_run
    heading(tr("Preview of the import") if dry else tr("Import finished"), 2)
    ui.label(tr("File: {name}", name=filename))
    ui.label(tr("Detected format: {format}", format=_format_label(tr, report.format)))
    counts = report.counts
    summary = (
        tr(
            "To be created {created}, to be updated {updated}, unchanged {unchanged}.",
            **counts,
        )
        if dry
        else tr("Created {created}, updated {updated}, unchanged {unchanged}.", **counts)
    )
    ui.label(summary).classes("text-weight-medium").props('role="status"')
    actions = PREVIEW_ACTIONS if dry else DONE_ACTIONS
    headers = [tr("Project"), tr("Action"), tr("Warnings")]
    with data_table(tr, tr("Projects in the file"), headers):
        for item in report.projects:
            with table_row():
                with ui.element("td"):
                    if not dry and item.project_id is not None:
                        ui.link(item.name, f"/projects/{item.project_id}")
                    else:
                        ui.label(item.name)
                cell(tr(actions[item.action]))
                with ui.element("td"):
                    if not item.warnings:
                        ui.label("–")
                    with ui.element("ul").classes("list-disc pl-4"):
                        for warning in item.warnings:
                            with ui.element("li"):
                                ui.label(format_message(warning.message, tr.lang, **warning.params))
    _show_omissions(tr, report)
    if extra is not None:
        extra()
    if confirm is not None and cancel is not None:
        with ui.row().classes("gap-2"):
            ui.button(tr("Confirm import"), on_click=confirm)
            ui.button(tr("Cancel"), on_click=cancel).props("flat")


def _show_omissions(tr: Translator, report: registry_io.ImportReport) -> None:
    """Per updated project: what the file does not mention, and whether it is kept or removed."""
    from ...services.registry_io import omitted_labels

    dry = report.dry_run
    for item in report.projects:
        if item.removed:
            message = "To be removed from {name}:" if dry else "Removed from {name}:"
            items, css = item.removed, "text-negative"
        elif item.kept:
            message = "Kept in {name} – the file does not mention them:"
            items, css = item.kept, ""
        else:
            continue
        with ui.column().classes("gap-0").props('data-testid="omissions"'):
            ui.label(tr(message, name=item.name)).classes(f"text-weight-medium {css}")
            with ui.element("ul").classes("list-disc pl-6"):
                for entry in omitted_labels(items, tr.lang):
                    with ui.element("li"):
                        ui.label(entry)


# --- export ----------------------------------------------------------------------------------

EXPORT_BUTTONS = [
    ("json", N_("Download JSON")),
    ("csv", N_("Download CSV (ZIP)")),
    ("xlsx", N_("Download Excel (XLSX)")),
]


def _export(actor: Actor, kind: str) -> bytes:
    from ...services import registry_io  # openpyxl and the importers: only when used

    with session(actor) as db_session:  # the service refuses anybody but an administrator
        return registry_io.EXPORTERS[kind](db_session, actor=actor)


def export_page(actor: Actor, tr: Translator) -> None:
    ui.label(
        tr(
            "Download every project of the registry. JSON can be imported back as it is; the "
            "CSV tables (in one ZIP) and the Excel workbook are for reading and reporting."
        )
    ).classes("max-w-3xl")
    status = ui.label().props('role="status"')

    async def download(kind: str) -> None:
        current = fresh_admin(tr)
        if current is None:
            return
        status.set_text(tr("Preparing the file…"))
        try:
            data = await run.io_bound(_export, current, kind)
        except Forbidden:
            notify_forbidden(tr)
            return
        finally:
            status.set_text("")
        if data is None:
            return
        from ...services import registry_io

        today = datetime.now(TIMEZONE).date().isoformat()
        filename = f"evaus-rekisteri-{today}{registry_io.EXPORT_SUFFIX[kind]}"
        ui.download.content(data, filename)
        status.set_text(tr("Downloaded {name}.", name=filename))

    with ui.row().classes("gap-2"):
        for kind, text in EXPORT_BUTTONS:
            ui.button(tr(text), on_click=lambda kind=kind: download(kind))
