"""Administrators' report pages: many projects into one ZIP, and the report templates.

Batch: the service renders in worker processes (``render_batch``) inside ``run.io_bound``, so the
app stays responsive; its progress callback runs in that worker thread and only puts
``(done, total, name)`` into a thread-safe queue, which a ``ui.timer`` on the page drains into
the progress bar. Templates: an upload is checked against the report's context model and a
refusal lists every unknown variable and syntax error with where it is.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nicegui import events, run, ui
from sqlalchemy.orm import Session

from project_db.errors import RegistryError

from ...i18n import format_message
from ...reports import kinds
from ...services import codelists
from ...services.access import Actor, Forbidden, require_admin
from ..admin.common import (
    admin_action,
    alert_label,
    cell,
    data_table,
    date_time,
    fresh_admin,
    read_for_page,
    row_button,
    table_row,
)
from ..context import Translator, notify_forbidden, session
from ..layout import heading
from .common import (
    error_text,
    kind_label,
    kind_options,
    language_label,
    language_options,
)

if TYPE_CHECKING:
    from ...services import reports

# The report service (docxtpl, python-docx, matplotlib) is imported where it is used: the
# server starts without it.

Progress = tuple[int, int, str]
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024


# --- many projects at once ---------------------------------------------------------------------


def _batch(
    actor: Actor,
    kind: str,
    options: dict[str, Any],
    progress: Callable[[int, int, str], None],
) -> reports.BatchResult:
    from ...services import reports

    require_admin(actor)
    with session(actor) as db:
        ids = reports.select_projects(db, status=options["status"] or None, actor=actor)
        result = reports.render_batch(
            db,
            kind,
            ids,
            period=options["period"],
            year=options["year"],
            lang=options["lang"],
            actor=actor,
            progress=progress,
        )
        return result


def _number(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


def batch_page(actor: Actor, tr: Translator) -> None:
    ui.label(
        tr(
            "Make one kind of report for many projects at once: every project, or those in the "
            "chosen statuses. The reports are archived and come as one ZIP file; a project whose "
            "report cannot be made is listed in the ZIP's puuttuvat.txt."
        )
    ).classes("max-w-3xl")
    statuses = read_for_page(actor, lambda db, a: codelists.labels(db, "status", tr.lang, actor=a))
    with ui.row().classes("items-end gap-4 flex-wrap"):
        kind = ui.select(kind_options(tr), value="card", label=tr("Report")).classes("w-80")
        period = ui.number(label=tr("Reporting period (ESR)"), min=1, precision=0)
        period.classes("w-56")
        year = ui.number(label=tr("Year (STEA)"), min=1990, max=2100, precision=0)
        year.classes("w-40")
        lang = ui.select(language_options(tr, "card"), value="fi", label=tr("Language"))
        lang.classes("w-40")
        status = ui.select(
            statuses, multiple=True, value=[], label=tr("Status (none chosen: every project)")
        ).classes("w-96")

    def kind_changed() -> None:
        options = language_options(tr, kind.value)
        lang.set_options(options, value=lang.value if lang.value in options else "fi")

    kind.on_value_change(kind_changed)
    errors = alert_label()
    with ui.row():
        start = ui.button(tr("Make the reports"))
    bar_name = tr("Progress of the reports")
    bar = ui.linear_progress(value=0, show_value=False).props(f'aria-label="{bar_name}"')
    bar.set_visibility(False)
    progress_text = ui.label().props('role="status"')
    result_area = ui.column().classes("gap-2")
    updates: queue.Queue[Progress] = queue.Queue()

    def poll() -> None:
        latest: Progress | None = None
        while True:
            try:
                latest = updates.get_nowait()
            except queue.Empty:
                break
        if latest is not None:
            done, total, name = latest
            bar.set_value(done / total if total else 1)
            progress_text.set_text(tr("{done}/{total}: {name}", done=done, total=total, name=name))

    timer = ui.timer(0.25, poll, active=False)

    async def run_batch() -> None:
        errors.set_text("")
        current = fresh_admin(tr)
        if current is None:
            return
        options = {
            "period": _number(period.value),
            "year": _number(year.value),
            "lang": lang.value or "fi",
            "status": list(status.value or []),
        }
        result_area.clear()
        start.disable()
        bar.set_value(0)
        bar.set_visibility(True)
        progress_text.set_text(tr("Preparing the reports…"))
        timer.activate()
        try:
            result = await run.io_bound(
                _batch, current, kind.value, options, lambda d, t, n: updates.put((d, t, n))
            )
        except Forbidden:
            notify_forbidden(tr)
            return
        except RegistryError as exc:
            errors.set_text(error_text(tr, exc))
            progress_text.set_text("")
            return
        finally:
            poll()
            timer.deactivate()
            start.enable()
        if result is None:  # the app is shutting down
            return
        progress_text.set_text(
            tr(
                "Ready: {done} reports made, {failed} could not be made.",
                done=len(result.done),
                failed=len(result.failed),
            )
        )
        _show_batch(tr, result_area, result, kind.value)

    start.on_click(run_batch)


def _show_batch(tr: Translator, area: ui.column, result: reports.BatchResult, kind: str) -> None:
    from ...services import reports

    filename = f"raportit-{kind}-{reports.today().isoformat()}.zip"
    with area:
        ui.button(
            tr("Download the ZIP"),
            icon="download",
            on_click=lambda: ui.download.content(result.content, filename),
        )
        for title, lines in (
            (tr("Reports that could not be made"), result.failed),
            (tr("Projects skipped: the report is not for them"), result.skipped),
        ):
            if not lines:
                continue
            heading(title, 3)
            with ui.element("ul").classes("list-disc pl-6"):
                for line in lines:
                    with ui.element("li"):
                        ui.label(line)


# --- templates ------------------------------------------------------------------------------------


def templates_page(actor: Actor, tr: Translator) -> None:
    ui.label(
        tr(
            "The reports are made from Word templates. Download a template, edit its text and "
            "layout in Word or LibreOffice, keep the {{ … }} and {% … %} tags, and upload it. "
            "An upload is checked first: unknown variables and syntax errors are listed with "
            "where they are. Older versions stay listed and can be taken back into use."
        )
    ).classes("max-w-3xl")
    listing: list[ui.column] = []

    def refresh() -> None:
        listing[0].clear()
        with listing[0]:
            _template_lists(actor, tr, refresh)

    _upload_form(tr, refresh)
    listing.append(ui.column().classes("w-full gap-2"))
    refresh()


def _upload_form(tr: Translator, refresh: Callable[[], None]) -> None:
    heading(tr("Upload a new version"), 2)
    with ui.row().classes("items-end gap-4 flex-wrap"):
        kind = ui.select(kind_options(tr), value="card", label=tr("Report")).classes("w-80")
        lang = ui.select(language_options(tr, "card"), value="fi", label=tr("Language"))
        lang.classes("w-40")
        note = ui.input(label=tr("Note (what changed)")).classes("w-96")
        activate = ui.checkbox(tr("Take into use at once"), value=True)

    def kind_changed() -> None:
        options = language_options(tr, kind.value)
        lang.set_options(options, value=lang.value if lang.value in options else "fi")

    kind.on_value_change(kind_changed)
    errors = alert_label()
    problems = ui.column().classes("gap-1")
    done = ui.label().props('role="status"')

    async def received(event: events.UploadEventArguments) -> None:
        from ...services import reports

        data = await event.file.read()
        filename = event.file.name
        uploader.reset()
        errors.set_text("")
        done.set_text("")
        problems.clear()
        current = fresh_admin(tr)
        if current is None:
            return

        def work() -> reports.TemplateVersion:
            require_admin(current)
            with session(current) as db:
                version = reports.upload_template(
                    db,
                    kind.value,
                    lang.value,
                    data,
                    filename=filename,
                    note=note.value or "",
                    actor=current,
                    activate=bool(activate.value),
                )
                return version

        try:
            version = await run.io_bound(work)
        except Forbidden:
            notify_forbidden(tr)
            return
        except reports.TemplateRejected as exc:
            errors.set_text(tr("The template was not accepted:"))
            with problems, ui.element("ul").classes("list-disc pl-6"):
                for p in exc.problems:
                    where = format_message(p.where, tr.lang, **p.where_params)
                    what = format_message(p.message, tr.lang, **p.params)
                    with ui.element("li"):
                        ui.label(f"{where}: {what}")
            return
        except RegistryError as exc:
            errors.set_text(error_text(tr, exc))
            return
        if version is None:
            return
        done.set_text(
            tr(
                "The template {name} was accepted as version {sha}.",
                name=filename,
                sha=version.sha256[:12],
            )
        )
        refresh()

    def rejected() -> None:
        errors.set_text(tr("The file is too large (at most {size} MB).", size=10))

    uploader = ui.upload(
        auto_upload=True,
        max_file_size=MAX_TEMPLATE_BYTES,
        on_upload=received,
        on_rejected=rejected,
    ).props('accept=".docx"')
    uploader.style("display: none")  # Quasar's own picker button has no name: a named one opens it
    with ui.row():
        picker = ui.button(tr("Choose a template (.docx)"), icon="upload_file")
    picker.on(
        "click", js_handler=f"(event) => getElement({uploader.id}).$refs.qRef.pickFiles(event)"
    )


def _histories(db: Session, actor: Actor) -> list[tuple[str, str, list[reports.TemplateVersion]]]:
    from ...reports.templating import shipped_languages
    from ...services import reports

    return [
        (kind, lang, reports.template_history(db, kind, lang, actor=actor))
        for kind in (k.name for k in kinds.all_kinds())
        for lang in shipped_languages(kind)
    ]


def _template_lists(actor: Actor, tr: Translator, refresh: Callable[[], None]) -> None:
    heading(tr("Templates in use and their versions"), 2)
    for kind, lang, versions in read_for_page(actor, _histories):
        heading(f"{kind_label(tr, kind)} – {language_label(tr, lang)}", 3)
        headers = [
            tr("In use"),
            tr("Version"),
            tr("File"),
            tr("Note"),
            tr("Uploaded"),
            tr("By"),
            tr("Actions"),
        ]
        with data_table(tr, f"{kind_label(tr, kind)} – {language_label(tr, lang)}", headers):
            for v in versions:
                with table_row():
                    cell(tr("In use") if v.active else "–")
                    cell(v.sha256[:12])
                    cell(v.filename)
                    cell(v.note or "–")
                    cell(date_time(tr, v.uploaded_at) if v.uploaded_at else tr("shipped"))
                    cell(v.uploaded_by if not v.shipped else tr("shipped"))
                    with ui.element("td"), ui.row().classes("gap-1 no-wrap"):
                        name = f"{kind_label(tr, kind)} {v.sha256[:12]}"
                        row_button(tr("Download"), name, lambda v=v: _download_template(tr, v))
                        if not v.active:
                            row_button(
                                tr("Take into use"), name, lambda v=v: _activate(tr, v, refresh)
                            )


async def _download_template(tr: Translator, version: reports.TemplateVersion) -> None:
    def work(db: Session, actor: Actor) -> bytes:
        from ...services import reports

        return reports.template_bytes(db, version.kind, version.lang, version.sha256, actor=actor)

    ok, data = await admin_action(tr, work)
    if ok and data is not None:
        ui.download.content(data, f"{version.kind}_{version.lang}_{version.sha256[:8]}.docx")


async def _activate(
    tr: Translator, version: reports.TemplateVersion, refresh: Callable[[], None]
) -> None:
    def work(db: Session, actor: Actor) -> None:
        from ...services import reports

        if version.id is None:
            reports.use_shipped_template(db, version.kind, version.lang, actor=actor)
        else:
            reports.activate_template(db, version.id, actor=actor)

    ok, _result = await admin_action(tr, work)
    if ok:
        ui.notify(tr("The version {sha} is now in use.", sha=version.sha256[:12]))
        refresh()
