"""Report templates: the versions uploaded by administrators, the one in use, the shipped file."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from project_db.errors import NotFound
from project_db.models import ReportTemplate

from ...i18n import normalise_language
from ...reports import kinds
from ...reports.errors import ReportFailed
from ...reports.templating import sha256, shipped_template, validate_template
from ..access import Actor, require_admin, require_read


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


def _same_template(kind: str, lang: str, digest: str) -> tuple[ColumnElement[bool], ...]:
    return (
        ReportTemplate.kind == kind,
        ReportTemplate.lang == lang,
        ReportTemplate.sha256 == digest,
    )


def _new_template(
    session: Session,
    kind: str,
    lang: str,
    content: bytes,
    *,
    filename: str,
    note: str = "",
    shipped: bool,
    uploaded_by: str,
) -> ReportTemplate:
    """A new stored version of the template (not active)."""
    row = ReportTemplate(
        kind=kind,
        lang=lang,
        sha256=sha256(content),
        content=content,
        filename=filename,
        note=note,
        shipped=shipped,
        active=False,
        uploaded_by=uploaded_by,
    )
    session.add(row)
    return row


def _keep_template(session: Session, kind: str, lang: str, content: bytes, actor: str) -> str:
    """Make sure the template a report was made with stays available; returns its SHA-256."""
    digest = sha256(content)
    exists = session.scalar(select(ReportTemplate.id).where(*_same_template(kind, lang, digest)))
    if exists is None:
        filename = f"{kind}_{lang}.docx"
        _new_template(
            session, kind, lang, content, filename=filename, shipped=True, uploaded_by=actor
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
    row = session.scalar(select(ReportTemplate).where(*_same_template(kind, lang, digest)))
    if row is None:
        row = _new_template(
            session,
            kind,
            lang,
            content,
            filename=filename[:255],
            note=note,
            shipped=False,
            uploaded_by=actor.username,
        )
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
    row = session.scalar(select(ReportTemplate.content).where(*_same_template(kind, lang, digest)))
    if row is not None:
        return row
    shipped = _shipped_or_none(kind, lang)
    if shipped is not None and sha256(shipped) == digest:
        return shipped
    raise NotFound("report_template", digest)
