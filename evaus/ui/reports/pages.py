"""Funder reports in the web app.

- ``/projects/{id}/reports`` "Raportit": choose the kind (only the funder reports of the
  project's funders are offered; the page says why the others are not), period, year, language
  (and for the EVAUS report the assessment and its version: every version with its status and
  date, the decided one chosen at first), see what is missing BEFORE making it, make and
  archive it,
  download DOCX (and PDF when LibreOffice is installed); the project's archive with "Lataa"
  (the stored bytes) and "Luo uudelleen". Every signed-in user may make and download reports
  (viewers are the decision-makers who read them); each handler re-checks the sign-in.
- ``/admin/reports/batch`` and ``/admin/templates``: administrators only (admin.py).

Importing this module registers the report pages on ``router``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from nicegui import APIRouter, run, ui

from project_db.errors import N_, NotFound, RegistryError

from ...reports import kinds
from ...reports.kinds import ReportScope
from ...reports.pdf import convert_to_pdf
from ...services.access import Actor
from ...services.assessments import STATUS_LABELS
from ...services.projects import get_project_doc
from ..admin.common import alert_label, cell, data_table, date_time, row_button, table_row
from ..context import Translator, handler_actor, session
from ..cycle.components import next_due_line, project_deadlines
from ..cycle.review import period_reviews
from ..layout import heading
from ..page import Opened, missing_page, page
from . import admin as reports_admin
from .common import (
    download_name,
    error_text,
    kind_label,
    kind_options,
    language_label,
    language_options,
    pdf_available,
    refused_kinds,
    scope_text,
)

if TYPE_CHECKING:
    from ...services import reports

# The report service (docxtpl, python-docx, matplotlib: half a second of imports) is imported
# where a report is made, not when the server starts.

router = APIRouter()


@dataclass
class ProjectInfo:
    id: int
    name: str
    file_base: str  # short name, EURA code or name: the start of download names
    periods: list[tuple[int, date, date]]
    years: list[int]
    assessments: list[reports.AssessmentChoice]  # every version of each assessment
    funders: set[str]


@dataclass
class Choice:
    kind: str = "card"
    period: int | None = None
    year: int | None = None
    lang: str = "fi"
    assessment: int | None = None
    made: reports.GeneratedReport | None = field(default=None)


def _load(actor: Actor, project_id: int) -> ProjectInfo | None:
    from ...services import reports

    with session(actor) as db:
        try:
            doc = get_project_doc(db, project_id, actor=actor)
        except NotFound:
            return None
        periods = sorted((p.number, p.start_date, p.end_date) for p in doc.periods)
        years: list[int] = []
        if doc.start_date and doc.end_date:
            years = list(range(doc.start_date.year, doc.end_date.year + 1))
        return ProjectInfo(
            id=project_id,
            name=doc.name,
            file_base=doc.short_name or doc.eura_code or doc.name,
            periods=periods,
            years=years,
            assessments=reports.assessment_choices(db, project_id, actor=actor),
            funders={f.funder_code for f in doc.funding if f.funder_code},
        )


def _warnings(actor: Actor, project_id: int, choice: Choice, lang: str) -> list[str]:
    from ...services import reports

    with session(actor) as db:
        return reports.report_warnings(
            db,
            project_id,
            choice.kind,
            period=choice.period,
            year=choice.year,
            lang=lang,
            assessment=choice.assessment,
            actor=actor,
        )


def _generate(actor: Actor, project_id: int, choice: Choice) -> reports.GeneratedReport:
    from ...services import reports

    with session(actor) as db:
        made = reports.generate_report(
            db,
            project_id,
            choice.kind,
            period=choice.period,
            year=choice.year,
            lang=choice.lang,
            actor=actor,
            assessment=choice.assessment,
        )
        return made


def _archive(actor: Actor, project_id: int) -> list[reports.ArchivedReport]:
    from ...services import reports

    with session(actor) as db:
        return reports.list_archive(db, project_id, actor=actor)


def _download(actor: Actor, archive_id: int) -> tuple[str, bytes]:
    from ...services import reports

    with session(actor) as db:
        return reports.download_archived(db, archive_id, actor=actor)


def _regenerate(actor: Actor, archive_id: int) -> reports.GeneratedReport:
    from ...services import reports

    with session(actor) as db:
        return reports.regenerate(db, archive_id, actor=actor)


@page(
    router,
    "/projects/{project_id:int}/reports",
    title=N_("Reports"),
    load=_load,
    not_found=missing_page(
        N_("Project not found"),
        N_("Back to the project list"),
        "/projects",
        text=N_("There is no project with this address. It may have been removed."),
    ),
)
async def reports_page(opened: Opened[ProjectInfo], project_id: int) -> None:
    tr, info, actor = opened.tr, opened.data, opened.actor
    ui.label(info.name).classes("text-subtitle1 text-weight-medium")
    ui.link(tr("Back to the project"), f"/projects/{project_id}")
    # The page is sent at once with the report form; the project's next report, its periods'
    # reviews and its deadlines (queries of their own: ~0.5 s the first time a server process
    # makes them) are filled in, in their places, after the form's "missing information" and
    # the archive.
    due = ui.element("div")
    reviews = ui.column().classes("w-full")
    form = ReportsPage(tr, info)
    form.build()
    deadlines = ui.column().classes("w-full")

    async def sections() -> None:
        with due:
            await next_due_line(tr, actor, project_id)
        with reviews:
            await period_reviews(tr, actor, project_id)
        with deadlines:
            await project_deadlines(tr, actor, project_id)

    form.then = sections


class ReportsPage:
    def __init__(self, tr: Translator, info: ProjectInfo) -> None:
        self.tr = tr
        self.info = info
        default = next((a.id for a in info.assessments if a.default), None)
        self.choice = Choice(assessment=default)
        self.then: Callable[[], Awaitable[None]] | None = None  # after the first refresh

    def build(self) -> None:
        tr, info = self.tr, self.info
        heading(tr("Make a report"), 2)
        with ui.row().classes("items-end gap-4 flex-wrap"):
            ui.select(
                kind_options(tr, info.funders),
                value="card",
                label=tr("Report"),
                on_change=self._kind_changed,
            ).classes("w-80")
            whole = tr("The whole term (no reporting periods)")
            periods: dict[Any, str] = {0: tr("Latest period") if info.periods else whole}
            for number, start, end in info.periods:
                periods[number] = tr("Period {number}", number=number) + f": {tr.dates(start, end)}"
            self.period = ui.select(periods, value=0, label=tr("Reporting period"))
            self.period.classes("w-72").on_value_change(self._changed)
            years: dict[Any, str] = {0: tr("Last year with data")}
            years |= {y: str(y) for y in info.years}
            self.year = ui.select(years, value=0, label=tr("Year")).classes("w-56")
            self.year.on_value_change(self._changed)
            assessments: dict[Any, str] = {a.id: self._version_label(a) for a in info.assessments}
            self.assessment = ui.select(
                assessments or {0: tr("The project has no impact assessment")},
                value=self.choice.assessment or 0,
                label=tr("Assessment and version"),
            ).classes("w-96")
            self.assessment.on_value_change(self._changed)
            self.lang = ui.select(
                language_options(tr, "card"), value="fi", label=tr("Language")
            ).classes("w-40")
            self.lang.on_value_change(self._changed)
        self._show_fields()
        not_offered = refused_kinds(tr, info.name, info.funders)
        if not_offered:
            with ui.column().classes("gap-0 text-caption"):
                for line in not_offered:
                    ui.label(line)
        heading(tr("Missing information"), 3)
        self.missing = ui.column().classes("gap-1")
        self.errors = alert_label()
        with ui.row().classes("items-center gap-3"):
            self.make_button = ui.button(tr("Make the report"), on_click=self._make)
            self.spinner = ui.spinner(size="md")
            self.spinner.set_visibility(False)
            self.status = ui.label().props('role="status"')
        self.result = ui.row().classes("items-center gap-3")
        heading(tr("Archive"), 2)
        self.archive = ui.column().classes("w-full")
        ui.timer(0, self._refresh_all, once=True)

    def _version_label(self, choice: reports.AssessmentChoice) -> str:
        """The option text, e.g. "Title – versio 2, luonnos, 7.12.2026" (default marked)."""
        tr = self.tr
        label = tr(
            "{title} – version {number}, {status}, {date}",
            title=choice.title[:60],
            number=choice.version_number,
            status=tr(STATUS_LABELS.get(choice.status, choice.status)),
            date=tr.date(choice.changed_on),
        )
        return label + (" " + tr("(used by default)") if choice.default else "")

    async def _refresh_all(self) -> None:
        await self._refresh_missing()
        await self._refresh_archive()
        if self.then is not None:
            await self.then()

    def _show_fields(self) -> None:
        scope = kinds.get(self.choice.kind).scope
        self.period.set_visibility(scope == "period")
        self.year.set_visibility(scope == "year")
        self.assessment.set_visibility(scope == "assessment")

    async def _kind_changed(self, event: Any) -> None:
        self.choice.kind = event.value
        options = language_options(self.tr, event.value)
        self.lang.set_options(
            options, value=self.lang.value if self.lang.value in options else "fi"
        )
        self._show_fields()
        await self._changed()

    async def _changed(self) -> None:
        choice = self.choice
        choice.period = int(self.period.value) if self.period.value else None
        choice.year = int(self.year.value) if self.year.value else None
        choice.assessment = int(self.assessment.value) if self.assessment.value else None
        choice.lang = self.lang.value or "fi"
        self.result.clear()
        await self._refresh_missing()

    async def _refresh_missing(self) -> None:
        tr = self.tr
        actor = handler_actor(tr)
        if actor is None:
            return
        self.errors.set_text("")
        self.make_button.enable()
        try:
            lines = await run.io_bound(_warnings, actor, self.info.id, self.choice, tr.lang)
        except RegistryError as exc:
            self.missing.clear()
            self.errors.set_text(error_text(tr, exc))
            self.make_button.disable()
            return
        self.missing.clear()
        with self.missing:
            if not lines:
                ui.label(tr("Nothing is missing."))
                return
            ui.label(tr("These show as “No information” in the report:"))
            with ui.element("ul").classes("list-disc pl-6"):
                for line in lines:
                    with ui.element("li"):
                        ui.label(line)

    async def _make(self) -> None:
        from ...services import reports

        tr = self.tr
        actor = handler_actor(tr)
        if actor is None:
            return
        self.errors.set_text("")
        self.make_button.disable()
        self.spinner.set_visibility(True)
        self.status.set_text(tr("Making the report…"))
        try:
            made = await run.io_bound(_generate, actor, self.info.id, self.choice)
        except RegistryError as exc:
            self.errors.set_text(error_text(tr, exc))
            self.status.set_text("")
            return
        finally:
            self.make_button.enable()
            self.spinner.set_visibility(False)
        if made is None:  # the app is shutting down
            return
        self.status.set_text(tr("The report was made and archived."))
        self._offer(made, reports.today())
        await self._refresh_archive()

    def _offer(self, made: reports.GeneratedReport, when: date) -> None:
        """Download buttons for a report just made (DOCX, and PDF with LibreOffice)."""
        tr = self.tr
        name = download_name(self.info.file_base, made.kind, made.lang, when, made.scope())
        self.result.clear()
        with self.result:
            ui.button(
                tr("Download DOCX"),
                icon="download",
                on_click=lambda: ui.download.content(made.content, name),
            )
            if pdf_available():

                async def pdf() -> None:
                    self.status.set_text(tr("Making the PDF…"))
                    try:
                        data = await run.io_bound(convert_to_pdf, made.content, "raportti")
                    except RegistryError as exc:
                        self.errors.set_text(error_text(tr, exc))
                        return
                    finally:
                        self.status.set_text("")
                    if data is not None:
                        ui.download.content(data, name.removesuffix(".docx") + ".pdf")

                ui.button(tr("Download PDF"), icon="picture_as_pdf", on_click=pdf)
            ui.label(name)

    async def _refresh_archive(self) -> None:
        tr = self.tr
        actor = handler_actor(tr)
        if actor is None:
            return
        rows = await run.io_bound(_archive, actor, self.info.id)
        self.archive.clear()
        with self.archive:
            if not rows:
                ui.label(tr("No reports have been made of this project yet."))
                return
            headers = [
                tr("Made"),
                tr("By"),
                tr("Report"),
                tr("Scope"),
                tr("Language"),
                tr("Template version"),
                tr("Actions"),
            ]
            with data_table(tr, tr("Archived reports"), headers):
                for row in rows:
                    with table_row():
                        cell(date_time(tr, row.created_at))
                        cell(row.created_by)
                        cell(kind_label(tr, row.kind))
                        cell(scope_text(tr, _scope(row)))
                        cell(language_label(tr, row.lang))
                        cell(row.template_sha256[:12])
                        with ui.element("td"), ui.row().classes("gap-1 no-wrap"):
                            what = f"{kind_label(tr, row.kind)} {date_time(tr, row.created_at)}"
                            row_button(tr("Download"), what, lambda r=row: self._get(r))
                            row_button(tr("Make again"), what, lambda r=row: self._again(r))

    async def _get(self, row: reports.ArchivedReport) -> None:
        actor = handler_actor(self.tr)
        if actor is None:
            return
        try:
            stored = await run.io_bound(_download, actor, row.id)
        except RegistryError as exc:
            self.errors.set_text(error_text(self.tr, exc))
            return
        if stored is None:
            return
        _filename, content = stored
        name = download_name(self.info.file_base, row.kind, row.lang, row.report_date, _scope(row))
        ui.download.content(content, name)

    async def _again(self, row: reports.ArchivedReport) -> None:
        tr = self.tr
        actor = handler_actor(tr)
        if actor is None:
            return
        self.status.set_text(tr("Making the report…"))
        try:
            made = await run.io_bound(_regenerate, actor, row.id)
        except RegistryError as exc:
            self.errors.set_text(error_text(tr, exc))
            self.status.set_text("")
            return
        if made is None:
            return
        same = made.data_sha256 == row.data_sha256
        self.status.set_text(
            tr("The report was made again from unchanged data.")
            if same
            else tr("The report was made again: the data has changed since.")
        )
        self._offer(made, row.report_date)
        await self._refresh_archive()


def _scope(row: reports.ArchivedReport) -> ReportScope:
    return ReportScope(period=row.period, year=row.year, assessment_id=row.assessment_id)


# --- administration -------------------------------------------------------------------------


@page(router, "/admin/reports/batch", title=N_("Reports for many projects"), roles=("admin",))
def batch_page(opened: Opened[None]) -> None:
    reports_admin.batch_page(opened.actor, opened.tr)


@page(router, "/admin/templates", title=N_("Report templates"), roles=("admin",))
def templates_page(opened: Opened[None]) -> None:
    reports_admin.templates_page(opened.actor, opened.tr)
