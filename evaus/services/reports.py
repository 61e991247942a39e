"""Funder reports: build a context from the registry, render it, archive it, batch, templates.

The web page and the CLI use the same functions. Rendering itself (``evaus.reports``) knows
nothing of sessions; batches render in worker processes that get plain data (dicts and bytes).

Archive storage: the DOCX bytes are kept in the database (``report_archive.content``), in the
same transaction as the row that describes them, so a report and its record can never part, a
PostgreSQL installation serving several app servers needs no shared disk, and ``evaus backup``
includes them. Reports are small (40–200 kB).
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import io
import multiprocessing
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from project_db.assessment_models import Assessment
from project_db.assessment_schemas import AssessmentDoc
from project_db.assessment_store import to_assessment_doc
from project_db.codes import DEFAULT_CODE_LISTS
from project_db.errors import N_, NotFound, Problem, RegistryError
from project_db.models import Project, ReportArchive, ReportTemplate
from project_db.schemas import ProjectDoc
from project_db.store import to_doc
from project_db.validators import search_fold

from ..assessment import Framework
from ..i18n import LANGUAGES, format_message, normalise_language
from ..reports import build, kinds
from ..reports.contexts import _ReportContext
from ..reports.errors import NotFunded, ReportFailed, TemplateRejected
from ..reports.kinds import ReportInput, ReportKind, ReportScope
from ..reports.kinds.base import AssessmentVersion
from ..reports.render import render_in_batch_worker, render_plain, start_batch_worker
from ..reports.templating import sha256, shipped_template, validate_template
from .access import Actor, require_admin, require_read
from .assessment_frameworks import _get_framework as get_framework
from .assessments import (
    AssessmentSummary,
    _list_assessments,
    _list_versions,
    list_assessments,
    list_versions,
)
from .codelists import _labels as code_labels
from .projects import ProjectQuery, _find_project, _get_project, list_projects

HELSINKI = ZoneInfo("Europe/Helsinki")
BATCH_WORKERS = 2

NO_PROJECTS = N_("No projects match.")
NO_ASSESSMENT = kinds.base.NEEDS_ASSESSMENT
NO_PROJECT_GIVEN = kinds.base.NEEDS_PROJECT
BATCH_FAILED = N_("{name}: {reason}")
AMBIGUOUS_PROJECT = N_("“{reference}” matches {count} projects: {projects}")
AMBIGUOUS_LISTED = 10
UNKNOWN_STATUS = N_("Unknown status “{status}”; the statuses are: {allowed}")
NO_SUCH_VERSION = N_("The assessment has no version {version}; its versions are: {versions}")
# The version an EVAUS report is made from by default: the decision-makers' version.
DECIDED_STATUSES = ("paatetty", "jalkiarvioitu")
FINISHED_STATUSES = ("valmis",)

ProgressCallback = Callable[[int, int, str], None]

__all__ = [
    "AmbiguousProject",
    "ArchivedReport",
    "BatchResult",
    "GeneratedReport",
    "NotFunded",
    "ReportFailed",
    "TemplateRejected",
    "TemplateVersion",
    "activate_template",
    "assessment_choices",
    "describe_missing",
    "download_archived",
    "find_report_project",
    "generate_report",
    "kind_for",
    "list_archive",
    "missing_data",
    "project_assessment",
    "regenerate",
    "render_batch",
    "report_version",
    "report_warnings",
    "select_projects",
    "shipped_template",
    "status_codes",
    "template_history",
    "upload_template",
    "use_shipped_template",
]


def today() -> date:
    return datetime.now(HELSINKI).date()


def kind_for(name: str) -> ReportKind:
    """The report kind called ``name`` (``ReportFailed`` when there is none)."""
    return kinds.get(name)


class AmbiguousProject(ReportFailed):
    """A project reference that matches several projects; ``matches`` are (id, name)."""

    def __init__(self, reference: str, matches: list[tuple[int, str]], count: int) -> None:
        listed = ", ".join(f"{pid} {name}" for pid, name in matches)
        super().__init__(AMBIGUOUS_PROJECT, reference=reference, count=count, projects=listed)
        self.matches = matches


def find_report_project(session: Session, reference: str, *, actor: Actor) -> int:
    """The project a report is asked for: by id, key, EURA code or a unique part of its name.

    A part of a name that several projects share raises ``AmbiguousProject`` listing the first
    ten of them, so that the user can pick one by its id.
    """
    require_read(actor)
    try:
        return _find_project(session, reference).id
    except NotFound:
        folded = search_fold(reference.strip())
        if not folded:
            raise
        condition = Project.search_text.contains(folded)
        count = session.scalar(select(func.count()).select_from(Project).where(condition)) or 0
        if count < 2:
            raise
        rows = session.execute(
            select(Project.id, Project.name)
            .where(condition)
            .order_by(Project.name, Project.id)
            .limit(AMBIGUOUS_LISTED)
        ).all()
        raise AmbiguousProject(reference, [(r.id, r.name) for r in rows], count) from None


# --- labels, missing data -----------------------------------------------------------------


def _report_labels(session: Session, lang: str) -> build.Labels:
    """Every code list as {code: label} in the report's language."""
    return {name: code_labels(session, name, lang) for name in DEFAULT_CODE_LISTS}


def missing_data(
    kind: str,
    doc: ProjectDoc,
    period: int | None = None,
    *,
    year: int | None = None,
    labels: build.Labels | None = None,
) -> list[Problem]:
    """What a report of this kind would show as "Ei tietoa" (warnings to list before making it).

    Raises ``ReportFailed`` when the report cannot be made at all (e.g. an unknown period).
    """
    return build.missing_data(kind, doc, period, year=year, labels=labels, today=today())


def describe_missing(problems: list[Problem], lang: str) -> list[str]:
    return [format_message(p.message, lang, **p.params) for p in problems]


def report_version(versions: list[AssessmentSummary]) -> AssessmentSummary:
    """The version of a series a report is made from by default: the newest decided one
    (päätetty or jälkiarvioitu), else the newest finished one, else the newest draft."""
    newest_first = sorted(versions, key=lambda v: v.version_number, reverse=True)
    for statuses in (DECIDED_STATUSES, FINISHED_STATUSES):
        found = next((v for v in newest_first if v.status in statuses), None)
        if found is not None:
            return found
    return newest_first[0]


def project_assessment(session: Session, project_id: int, *, actor: Actor) -> int | None:
    """The project's assessment a report is made from by default: of the most recently
    changed assessment, the version ``report_version`` chooses."""
    require_read(actor)
    found = list_assessments(session, project_id=project_id, actor=actor)
    return report_version(list_versions(session, found[0].id, actor=actor)).id if found else None


class AssessmentChoice(BaseModel):
    """One version of one assessment, as the report page offers them."""

    id: int
    title: str
    version_number: int
    status: str
    changed_on: date | None  # when the version was last changed (Helsinki time)
    default: bool  # the version a report is made from when none is chosen


def assessment_choices(
    session: Session, project_id: int, *, actor: Actor
) -> list[AssessmentChoice]:
    """Every version of the project's assessments: the most recently changed assessment
    first, each one's versions newest first; ``default`` marks each one's report version."""
    require_read(actor)
    choices = []
    for latest in list_assessments(session, project_id=project_id, actor=actor):
        versions = list_versions(session, latest.id, actor=actor)
        default = report_version(versions).id
        for v in sorted(versions, key=lambda v: v.version_number, reverse=True):
            choices.append(
                AssessmentChoice(
                    id=v.id,
                    title=v.title,
                    version_number=v.version_number,
                    status=v.status,
                    changed_on=_local_date(v.updated_at),
                    default=v.id == default,
                )
            )
    return choices


def report_warnings(
    session: Session,
    project_id: int | None,
    kind: str,
    *,
    period: int | None = None,
    year: int | None = None,
    lang: str = "fi",
    assessment: int | None = None,
    version: int | None = None,
    actor: Actor,
) -> list[str]:
    """What a report would show as "Ei tietoa", in ``lang``, for any kind (the EVAUS report
    looks at the project's assessment, or ``assessment``, and its version ``version``).

    Raises ``ReportFailed`` when the report cannot be made at all (an unknown period, or a
    funder report for a project without that funder: ``NotFunded``).
    """
    require_read(actor)
    found = kinds.get(kind)
    lang = normalise_language(lang)
    source, _project_id, _name = _read_input(
        session,
        found,
        project_id,
        assessment=assessment,
        version=version,
        period=period,
        year=year,
        lang=lang,
        when=today(),
        required=False,
    )
    return describe_missing(found.missing(source), lang)


def project_funders(doc: ProjectDoc) -> set[str]:
    """The funder codes of the project's funding rows."""
    return {f.funder_code for f in doc.funding if f.funder_code}


def _read_input(
    session: Session,
    kind: ReportKind,
    project_id: int | None,
    *,
    assessment: int | None,
    period: int | None,
    year: int | None,
    lang: str,
    when: date,
    labels: build.Labels | None = None,
    required: bool = True,
    version: int | None = None,
) -> tuple[ReportInput, int | None, str]:
    """The registry data the kind is made of, the report's project id and the name it is
    archived under. A funder report of a project without that funder raises ``NotFunded``."""
    if kind.scope == "assessment":
        assessment_id = _assessment_for(
            session, project_id, assessment, version=version, required=required
        )
        if assessment_id is None:
            return ReportInput(lang=lang, today=when), project_id, ""
        doc, framework, row = _assessment(session, assessment_id)
        versions = tuple(
            AssessmentVersion(
                number=v.version_number,
                status=v.status,
                changed_on=_local_date(v.updated_at),
            )
            for v in _list_versions(session, assessment_id)
        )
        project = _get_project(session, row.project_id) if row.project_id is not None else None
        source = ReportInput(
            lang=lang,
            today=when,
            assessment=doc,
            assessment_id=assessment_id,
            framework=framework,
            project_name=project.name if project else None,
            project_short_name=project.short_name if project else None,
            assessment_versions=versions,
        )
        return source, project.id if project else None, project.name if project else doc.title
    if project_id is None:
        raise ReportFailed(NO_PROJECT_GIVEN)
    project_doc = to_doc(_get_project(session, project_id))
    refusal = kind.refusal(project_doc.name, project_funders(project_doc))
    if refusal is not None:
        raise refusal
    source = ReportInput(
        lang=lang,
        today=when,
        project=project_doc,
        labels=labels if labels is not None else _report_labels(session, lang),
        period=period,
        year=year,
    )
    return source, project_id, project_doc.name


def _local_date(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite keeps no zone: the times are UTC
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(HELSINKI).date()


def _assessment_for(
    session: Session,
    project_id: int | None,
    assessment: int | None,
    *,
    version: int | None = None,
    required: bool = True,
) -> int | None:
    """The assessment (version) a report is made from: ``assessment`` itself, or version
    ``version`` of its series (of the project's assessment when no ``assessment`` is given),
    or the project's default version (``report_version``)."""
    if assessment is not None and version is None:
        return assessment
    found = assessment
    if found is None and project_id is not None:
        latest = _list_assessments(session, project_id=project_id)
        found = latest[0].id if latest else None
    if found is None:
        if required or version is not None:
            raise ReportFailed(NO_ASSESSMENT if project_id is not None else NO_PROJECT_GIVEN)
        return None
    versions = _list_versions(session, found)
    if version is None:
        return report_version(versions).id
    chosen = next((v for v in versions if v.version_number == version), None)
    if chosen is None:
        numbers = ", ".join(str(v.version_number) for v in versions)
        raise ReportFailed(NO_SUCH_VERSION, version=version, versions=numbers)
    return chosen.id


def _assessment(
    session: Session, assessment_id: int
) -> tuple[AssessmentDoc, Framework, Assessment]:
    row = session.get(Assessment, assessment_id)
    if row is None:
        raise NotFound("assessment", assessment_id)
    framework = get_framework(session, row.framework_id, row.framework_version)
    return to_assessment_doc(session, row), framework, row


# --- templates -------------------------------------------------------------------------------


class TemplateVersion(BaseModel):
    id: int | None  # None: the shipped file, never uploaded
    kind: str
    lang: str
    sha256: str
    filename: str
    note: str
    shipped: bool
    active: bool
    uploaded_by: str
    uploaded_at: datetime | None


def _shipped_or_none(kind: str, lang: str) -> bytes | None:
    try:
        return shipped_template(kind, lang)
    except ReportFailed:
        return None


def _active_template(session: Session, kind: str, lang: str) -> bytes:
    """The template used now: the newest active uploaded version, else the shipped file."""
    row = session.scalar(
        select(ReportTemplate)
        .where(
            ReportTemplate.kind == kind,
            ReportTemplate.lang == lang,
            ReportTemplate.active.is_(True),
        )
        .order_by(ReportTemplate.uploaded_at.desc(), ReportTemplate.id.desc())
        .limit(1)
    )
    return row.content if row else shipped_template(kind, lang)


def _keep_template(session: Session, kind: str, lang: str, content: bytes, actor: str) -> str:
    """Make sure the template a report was made with stays available; returns its SHA-256."""
    digest = sha256(content)
    exists = session.scalar(
        select(ReportTemplate.id).where(
            ReportTemplate.kind == kind,
            ReportTemplate.lang == lang,
            ReportTemplate.sha256 == digest,
        )
    )
    if exists is None:
        session.add(
            ReportTemplate(
                kind=kind,
                lang=lang,
                sha256=digest,
                content=content,
                filename=f"{kind}_{lang}.docx",
                shipped=True,
                active=False,
                uploaded_by=actor,
            )
        )
    return digest


def upload_template(
    session: Session,
    kind: str,
    lang: str,
    content: bytes,
    *,
    filename: str = "",
    note: str = "",
    actor: Actor,
    activate: bool = True,
) -> TemplateVersion:
    """Accept a new template version after checking it against its context model (admins).

    Raises ``TemplateRejected`` listing unknown variables and syntax errors with where they are.
    """
    require_admin(actor)
    kinds.get(kind)
    lang = normalise_language(lang)
    validate_template(content, kind, lang)
    digest = sha256(content)
    row = session.scalar(
        select(ReportTemplate).where(
            ReportTemplate.kind == kind,
            ReportTemplate.lang == lang,
            ReportTemplate.sha256 == digest,
        )
    )
    if row is None:
        row = ReportTemplate(
            kind=kind,
            lang=lang,
            sha256=digest,
            content=content,
            filename=filename[:255],
            note=note,
            shipped=False,
            active=False,
            uploaded_by=actor.username,
        )
        session.add(row)
        session.flush()
    if activate:
        _activate(session, row)
    version = _version(row)
    session.commit()
    return version


def activate_template(session: Session, template_id: int, *, actor: Actor) -> None:
    """Take an uploaded template version into use (admins)."""
    require_admin(actor)
    row = session.get(ReportTemplate, template_id)
    if row is None:
        raise NotFound("report_template", template_id)
    _activate(session, row)
    session.commit()


def _activate(session: Session, row: ReportTemplate) -> None:
    session.execute(
        update(ReportTemplate)
        .where(ReportTemplate.kind == row.kind, ReportTemplate.lang == row.lang)
        .values(active=False)
    )
    row.active = True
    session.flush()


def use_shipped_template(session: Session, kind: str, lang: str, *, actor: Actor) -> None:
    """Go back to the template shipped with the application (admins)."""
    require_admin(actor)
    session.execute(
        update(ReportTemplate)
        .where(ReportTemplate.kind == kind, ReportTemplate.lang == lang)
        .values(active=False)
    )
    session.commit()


def _version(row: ReportTemplate) -> TemplateVersion:
    return TemplateVersion(
        id=row.id,
        kind=row.kind,
        lang=row.lang,
        sha256=row.sha256,
        filename=row.filename,
        note=row.note,
        shipped=row.shipped,
        active=row.active,
        uploaded_by=row.uploaded_by,
        uploaded_at=row.uploaded_at,
    )


def template_history(
    session: Session, kind: str, lang: str, *, actor: Actor
) -> list[TemplateVersion]:
    """Every stored version, newest first, and the shipped file when it is not stored yet."""
    require_read(actor)
    rows = session.scalars(
        select(ReportTemplate)
        .where(ReportTemplate.kind == kind, ReportTemplate.lang == lang)
        .order_by(ReportTemplate.uploaded_at.desc(), ReportTemplate.id.desc())
    ).all()
    versions = [_version(r) for r in rows]
    shipped = _shipped_or_none(kind, lang)
    if shipped is not None and not any(v.active for v in versions):
        # No uploaded version is active: the shipped file is in use (it may be stored already,
        # kept because a report was made with it).
        for version in versions:
            version.active = version.sha256 == sha256(shipped)
    if shipped is not None and sha256(shipped) not in {v.sha256 for v in versions}:
        versions.append(
            TemplateVersion(
                id=None,
                kind=kind,
                lang=lang,
                sha256=sha256(shipped),
                filename=f"{kind}_{lang}.docx",
                note="",
                shipped=True,
                active=not any(v.active for v in versions),
                uploaded_by="",
                uploaded_at=None,
            )
        )
    return versions


def template_bytes(session: Session, kind: str, lang: str, digest: str, *, actor: Actor) -> bytes:
    require_read(actor)
    row = session.scalar(
        select(ReportTemplate.content).where(
            ReportTemplate.kind == kind,
            ReportTemplate.lang == lang,
            ReportTemplate.sha256 == digest,
        )
    )
    if row is not None:
        return row
    shipped = _shipped_or_none(kind, lang)
    if shipped is not None and sha256(shipped) == digest:
        return shipped
    raise NotFound("report_template", digest)


# --- one report ------------------------------------------------------------------------------


class PreparedReport(BaseModel):
    """Everything needed to render a report, as plain data a worker process can take."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    project_id: int | None  # None: an EVAUS report of an assessment without a project
    project_name: str
    kind: str
    lang: str
    period: int | None
    year: int | None
    assessment_id: int | None
    report_date: date
    context: dict[str, Any]
    data_sha256: str
    template: bytes
    template_sha256: str
    filename: str
    warnings: list[str]


class GeneratedReport(BaseModel):
    filename: str
    content: bytes
    kind: str
    lang: str
    period: int | None
    year: int | None
    warnings: list[str]
    data_sha256: str
    template_sha256: str
    archive_id: int | None = None
    assessment_id: int | None = None

    def scope(self) -> ReportScope:
        return ReportScope(period=self.period, year=self.year, assessment_id=self.assessment_id)


def data_hash(context: _ReportContext) -> str:
    return hashlib.sha256(context.model_dump_json().encode("utf-8")).hexdigest()


def prepare_report(
    session: Session,
    project_id: int | None,
    kind: str,
    *,
    period: int | None = None,
    year: int | None = None,
    lang: str = "fi",
    report_date: date | None = None,
    template: bytes | None = None,
    assessment: int | None = None,
    labels: build.Labels | None = None,
    version: int | None = None,
    actor: Actor,
) -> PreparedReport:
    """Everything a report needs before rendering. ``template`` and ``labels`` (the code lists
    in ``lang``) may be passed in by a batch that reads them once."""
    require_read(actor)
    found = kinds.get(kind)
    lang = normalise_language(lang)
    when = report_date or today()
    source, report_project, name = _read_input(
        session,
        found,
        project_id,
        assessment=assessment,
        version=version,
        period=period,
        year=year,
        lang=lang,
        when=when,
        labels=labels,
    )
    warnings = describe_missing(found.missing(source), lang)
    context = found.build(source)
    scope = found.chosen_scope(context, source)
    content = template if template is not None else _active_template(session, kind, lang)
    return PreparedReport(
        project_id=report_project,
        project_name=name,
        kind=kind,
        lang=lang,
        period=scope.period,
        year=scope.year,
        assessment_id=scope.assessment_id,
        report_date=when,
        context=context.model_dump(mode="json"),
        data_sha256=data_hash(context),
        template=content,
        template_sha256=sha256(content),
        filename=found.file_name(found.file_base(source), lang, scope),
        warnings=warnings,
    )


def render_prepared(prepared: PreparedReport) -> bytes:
    return render_plain(prepared.kind, prepared.context, prepared.template)


def _archive_report(
    session: Session, prepared: PreparedReport, content: bytes, *, actor: str
) -> ReportArchive:
    _keep_template(session, prepared.kind, prepared.lang, prepared.template, actor)
    row = ReportArchive(
        created_by=actor,
        project_id=prepared.project_id,
        project_name=prepared.project_name[:500],
        kind=prepared.kind,
        period=prepared.period,
        year=prepared.year,
        assessment_id=prepared.assessment_id,
        lang=prepared.lang,
        report_date=prepared.report_date,
        template_sha256=prepared.template_sha256,
        data_sha256=prepared.data_sha256,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        filename=prepared.filename,
        content=content,
    )
    session.add(row)
    session.flush()
    return row


def _generated(prepared: PreparedReport, content: bytes, archive_id: int | None) -> GeneratedReport:
    return GeneratedReport(
        filename=prepared.filename,
        content=content,
        kind=prepared.kind,
        lang=prepared.lang,
        period=prepared.period,
        year=prepared.year,
        warnings=prepared.warnings,
        data_sha256=prepared.data_sha256,
        template_sha256=prepared.template_sha256,
        archive_id=archive_id,
        assessment_id=prepared.assessment_id,
    )


def generate_report(
    session: Session,
    project: int | str | None,
    kind: str,
    *,
    period: int | None = None,
    year: int | None = None,
    lang: str = "fi",
    actor: Actor,
    archive: bool = True,
    assessment: int | None = None,
    version: int | None = None,
) -> GeneratedReport:
    """Make a report (``project``: an id, or for the CLI a reference find_project understands;
    for the EVAUS report ``assessment`` may name the assessment and ``version`` a version of
    its series; by default the project's decided version, see ``report_version``)."""
    project_id = (
        project
        if isinstance(project, int) or project is None
        else find_report_project(session, project, actor=actor)
    )
    prepared = prepare_report(
        session,
        project_id,
        kind,
        period=period,
        year=year,
        lang=lang,
        assessment=assessment,
        version=version,
        actor=actor,
    )
    content = render_prepared(prepared)
    # Every signed-in user may make reports: the Actor names who made the archived copy.
    row = _archive_report(session, prepared, content, actor=actor.username) if archive else None
    generated = _generated(prepared, content, row.id if row else None)
    session.commit()
    return generated


# --- the archive ------------------------------------------------------------------------------


class ArchivedReport(BaseModel):
    id: int
    created_at: datetime
    created_by: str
    project_id: int | None
    project_name: str
    kind: str
    period: int | None
    year: int | None
    assessment_id: int | None
    lang: str
    report_date: date
    template_sha256: str
    data_sha256: str
    sha256: str
    size: int
    filename: str


def _archived(row: ReportArchive) -> ArchivedReport:
    return ArchivedReport.model_validate(row, from_attributes=True)


def list_archive(
    session: Session, project_id: int | None = None, *, actor: Actor
) -> list[ArchivedReport]:
    require_read(actor)
    query = select(ReportArchive).order_by(ReportArchive.created_at.desc(), ReportArchive.id.desc())
    if project_id is not None:
        query = query.where(ReportArchive.project_id == project_id)
    return [_archived(r) for r in session.scalars(query)]


def download_archived(session: Session, archive_id: int, *, actor: Actor) -> tuple[str, bytes]:
    """The stored bytes, exactly as generated."""
    require_read(actor)
    row = session.get(ReportArchive, archive_id)
    if row is None:
        raise NotFound("report_archive", archive_id)
    return row.filename, row.content


def regenerate(
    session: Session, archive_id: int, *, actor: Actor, archive: bool = True
) -> GeneratedReport:
    """Make an archived report again from the registry's current data, with the same template,
    period, language and report date. The same ``data_sha256`` means the data has not changed.
    """
    row = session.get(ReportArchive, archive_id)
    if row is None:
        raise NotFound("report_archive", archive_id)
    if kinds.get(row.kind).scope == "assessment":
        if row.assessment_id is None:  # the assessment has been deleted since
            raise NotFound("assessment", row.project_name)
    elif row.project_id is None:
        raise NotFound("project", row.project_name)
    template = template_bytes(session, row.kind, row.lang, row.template_sha256, actor=actor)
    prepared = prepare_report(
        session,
        row.project_id,
        row.kind,
        period=row.period,
        year=row.year,
        lang=row.lang,
        report_date=row.report_date,
        template=template,
        assessment=row.assessment_id,
        actor=actor,
    )
    content = render_prepared(prepared)
    new = _archive_report(session, prepared, content, actor=actor.username) if archive else None
    generated = _generated(prepared, content, new.id if new else None)
    session.commit()
    return generated


# --- many reports at once ------------------------------------------------------------------------


class BatchResult(BaseModel):
    content: bytes  # the ZIP
    done: list[str]  # file names in the ZIP
    failed: list[str]  # "project: reason", translated
    archive_ids: list[int]
    skipped: list[str] = []  # "project: reason": the report is not for such projects


def status_codes(session: Session, given: list[str], *, actor: Actor) -> list[str]:
    """The status codes meant: each given as its code or its name in Finnish, Swedish or
    English (``kaynnissa``, ``käynnissä``, ``pågående``, ``ongoing``), in any case."""
    require_read(actor)
    names: dict[str, str] = {}
    for lang in LANGUAGES:
        for code, name in code_labels(session, "status", lang).items():
            names.setdefault(name.casefold(), code)
            names[code.casefold()] = code
    codes: list[str] = []
    for value in given:
        found = names.get(unicodedata.normalize("NFC", value.strip()).casefold())
        if found is None:
            allowed = ", ".join(code_labels(session, "status", "fi"))
            raise ReportFailed(UNKNOWN_STATUS, status=value, allowed=allowed)
        codes.append(found)
    return codes


def select_projects(
    session: Session, *, status: list[str] | None = None, actor: Actor
) -> list[int]:
    require_read(actor)
    ids: list[int] = []
    page = 1
    while True:
        result = list_projects(
            session,
            ProjectQuery(status=status or [], page=page, page_size=500, sort="name"),
            actor=actor,
        )
        ids += [p.id for p in result.items]
        if len(ids) >= result.total or not result.items:
            return ids
        page += 1


def render_batch(
    session: Session,
    kind: str,
    project_ids: list[int],
    *,
    period: int | None = None,
    year: int | None = None,
    lang: str = "fi",
    actor: Actor,
    progress: ProgressCallback | None = None,
    workers: int = BATCH_WORKERS,
    archive: bool = True,
) -> BatchResult:
    """Render one kind for many projects into a ZIP, in worker processes.

    ``progress(done, total, name)`` is called after each project (from the calling thread).
    Projects whose report cannot be made (e.g. no such period) are listed in ``failed``; those
    the report is not for (a funder report of a project without that funder) in ``skipped``.
    ``workers=0`` renders in the calling process (no pool).

    A pipeline: this process reads each project and builds its context while the workers
    render the ones before it, and files the finished reports (ZIP, archive) in project
    order as they come. The template is read once and handed to each worker once.
    Batches are for administrators, like the page that starts them.
    """
    require_admin(actor)
    kinds.get(kind)
    lang = normalise_language(lang)
    if not project_ids:
        raise ReportFailed(NO_PROJECTS)
    template = _active_template(session, kind, lang)
    labels = _report_labels(session, lang)
    batch = _Batch(
        session,
        total=len(project_ids),
        lang=lang,
        actor=actor.username,
        archive=archive,
        progress=progress,
    )
    with _renderers(workers, template) as submit:
        for project_id in project_ids:
            try:
                prepared = prepare_report(
                    session,
                    project_id,
                    kind,
                    period=period,
                    year=year,
                    lang=lang,
                    template=template,
                    labels=labels,
                    actor=actor,
                )
            except NotFunded as exc:
                batch.skip(project_id, exc)
                continue
            except RegistryError as exc:
                batch.fail(project_id, exc)
                continue
            batch.add(prepared, submit(prepared.kind, prepared.context))
            batch.file_finished(limit=BATCH_IN_FLIGHT * max(workers, 1))
        batch.file_finished(limit=0)
    result = batch.result()
    session.commit()
    return result


BATCH_IN_FLIGHT = 4  # reports per worker waiting or rendering at once (bounds the memory used)


@contextlib.contextmanager
def _renderers(
    workers: int, template: bytes
) -> Iterator[Callable[[str, dict[str, Any]], Future[bytes]]]:
    """``submit(kind, context)`` → a future of the DOCX bytes: a pool of ``workers`` processes
    started once for the whole batch, or this process when ``workers`` is 0."""
    if workers <= 0:

        def here(kind: str, context: dict[str, Any]) -> Future[bytes]:
            future: Future[bytes] = Future()
            future.set_result(render_plain(kind, context, template))
            return future

        yield here
        return
    context = multiprocessing.get_context("spawn")  # safe next to a web server's threads
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=start_batch_worker,
        initargs=(template,),
    ) as pool:

        def submit(kind: str, context: dict[str, Any]) -> Future[bytes]:
            return pool.submit(render_in_batch_worker, kind, context)

        try:
            yield submit
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


class _Batch:
    """The ZIP, the archive rows and the progress of one batch, filed in project order."""

    def __init__(
        self,
        session: Session,
        *,
        total: int,
        lang: str,
        actor: str,
        archive: bool,
        progress: ProgressCallback | None,
    ) -> None:
        self.session, self.total, self.lang, self.actor = session, total, lang, actor
        self.archive, self.progress = archive, progress
        self.count = 0
        self.failed: list[str] = []
        self.skipped: list[str] = []
        self.names: list[str] = []
        self.archive_ids: list[int] = []
        self.waiting: collections.deque[tuple[PreparedReport, Future[bytes]]] = collections.deque()
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED)

    def _step(self, name: str) -> None:
        self.count += 1
        if self.progress:
            self.progress(self.count, self.total, name)

    def fail(self, project_id: int, exc: RegistryError, *, into: list[str] | None = None) -> None:
        name = _get_project(self.session, project_id).name
        (self.failed if into is None else into).append(
            format_message(BATCH_FAILED, self.lang, name=name, reason=_reason(exc, self.lang))
        )
        self._step(name)

    def skip(self, project_id: int, exc: NotFunded) -> None:
        self.fail(project_id, exc, into=self.skipped)

    def add(self, prepared: PreparedReport, future: Future[bytes]) -> None:
        self.waiting.append((prepared, future))

    def file_finished(self, *, limit: int) -> None:
        """File the finished reports at the head of the queue; wait for the oldest while more
        than ``limit`` are still waiting."""
        while self.waiting:
            prepared, future = self.waiting[0]
            if not future.done() and len(self.waiting) <= limit:
                return
            content = future.result()
            self.waiting.popleft()
            name = prepared.filename
            stem, n = name.removesuffix(".docx"), 2
            while name in self.names:
                name, n = f"{stem}-{n}.docx", n + 1
            self.names.append(name)
            # A DOCX is a zip already: stored as it is, not compressed a second time.
            self.zip.writestr(name, content, compress_type=zipfile.ZIP_STORED)
            if self.archive:
                row = _archive_report(self.session, prepared, content, actor=self.actor)
                self.archive_ids.append(row.id)
            self._step(prepared.project_name)

    def result(self) -> BatchResult:
        if self.failed:
            self.zip.writestr("puuttuvat.txt", "\n".join(self.failed) + "\n")
        if self.skipped:
            self.zip.writestr("ohitetut.txt", "\n".join(self.skipped) + "\n")
        self.zip.close()
        return BatchResult(
            content=self.buffer.getvalue(),
            done=self.names,
            failed=self.failed,
            archive_ids=self.archive_ids,
            skipped=self.skipped,
        )


def _reason(exc: RegistryError, lang: str) -> str:
    if isinstance(exc, ReportFailed):
        return format_message(exc.message, lang, **exc.params)
    if isinstance(exc, NotFound):
        return format_message("Not found: {what}", lang, what=exc.ident)
    return str(exc)
