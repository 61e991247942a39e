"""Made reports and the archive: a report made, filed with the template it was made with,
listed, downloaded exactly as made, and made again from the registry's current data."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from project_db.audit import set_actor
from project_db.errors import NotFound
from project_db.models import ReportArchive

from ...reports import kinds
from ..access import Actor, require_read
from .prepare import (
    GeneratedReport,
    PreparedReport,
    find_report_project,
    prepare_report,
    render_prepared,
)
from .templates import _keep_template, template_bytes

# What a prepared report hands on as it is: to its archive row, and to the report made.
_SHARED_FIELDS = {
    *("kind", "lang", "period", "year", "assessment_id"),
    *("filename", "data_sha256", "template_sha256"),
}
_ARCHIVED_FIELDS = _SHARED_FIELDS | {"project_id", "report_date"}
_GENERATED_FIELDS = _SHARED_FIELDS | {"warnings"}


def _archive_report(
    session: Session, prepared: PreparedReport, content: bytes, *, actor: str
) -> ReportArchive:
    _keep_template(session, prepared.kind, prepared.lang, prepared.template, actor)
    row = ReportArchive(
        **prepared.model_dump(include=_ARCHIVED_FIELDS),
        created_by=actor,
        project_name=prepared.project_name[:500],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
    )
    session.add(row)
    session.flush()
    return row


def _generated(prepared: PreparedReport, content: bytes, archive_id: int | None) -> GeneratedReport:
    return GeneratedReport(
        **prepared.model_dump(include=_GENERATED_FIELDS), content=content, archive_id=archive_id
    )


def _made(
    session: Session, prepared: PreparedReport, *, actor: Actor, archive: bool
) -> GeneratedReport:
    """Render the prepared report and (``archive``) file it; commits."""
    content = render_prepared(prepared)
    # Every signed-in user may make reports: the Actor names who made the archived copy.
    row = _archive_report(session, prepared, content, actor=actor.username) if archive else None
    generated = _generated(prepared, content, row.id if row else None)
    session.commit()
    return generated


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
    return _made(session, prepared, actor=actor, archive=archive)


def archive_selection_report(
    session: Session,
    *,
    kind: str,
    lang: str,
    title: str,
    selection: str,
    report_date: date,
    template: bytes,
    data_sha256: str,
    filename: str,
    content: bytes,
    actor: Actor,
) -> int:
    """File a report made of a selection of projects (the portfolio report): no project, the
    selection's title as its name and the selection and period (``selection``, JSON) kept.
    The caller commits; the row is audited like every insert."""
    require_read(actor)
    set_actor(session, actor.username)
    digest = _keep_template(session, kind, lang, template, actor.username)
    row = ReportArchive(
        kind=kind,
        lang=lang,
        project_id=None,
        project_name=title[:500],
        selection=selection,
        report_date=report_date,
        template_sha256=digest,
        data_sha256=data_sha256,
        created_by=actor.username,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        filename=filename[:255],
        content=content,
    )
    session.add(row)
    session.flush()
    return row.id


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
    selection: str | None = None  # a portfolio report's selection and period (JSON)


def _archived(row: ReportArchive) -> ArchivedReport:
    return ArchivedReport.model_validate(row, from_attributes=True)


def list_archive(
    session: Session,
    project_id: int | None = None,
    *,
    actor: Actor,
    kind: str | None = None,
    limit: int | None = None,
) -> list[ArchivedReport]:
    """The archived reports, newest first: a project's (``project_id``), of one ``kind``
    (``portfolio``: those made of a selection), or all; at most ``limit``."""
    require_read(actor)
    query = (
        select(ReportArchive)
        .options(defer(ReportArchive.content))  # the list shows no bytes
        .order_by(ReportArchive.created_at.desc(), ReportArchive.id.desc())
    )
    if project_id is not None:
        query = query.where(ReportArchive.project_id == project_id)
    if kind is not None:
        query = query.where(ReportArchive.kind == kind)
    if limit is not None:
        query = query.limit(limit)
    return [_archived(r) for r in session.scalars(query)]


def download_archived(
    session: Session, archive_id: int, *, actor: Actor, kind: str | None = None
) -> tuple[str, bytes]:
    """The stored bytes, exactly as generated (``kind``: only a report of that kind)."""
    require_read(actor)
    row = session.get(ReportArchive, archive_id)
    if row is None or (kind is not None and row.kind != kind):
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
    return _made(session, prepared, actor=actor, archive=archive)
