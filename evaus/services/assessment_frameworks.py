"""Installed assessment frameworks: each id + version is stored verbatim in the database, so an
assessment is always read with the framework version it was made with, even after an
administrator loads a newer one."""

from __future__ import annotations

import hashlib
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from evaus.assessment.framework import (
    Framework,
    FrameworkInvalid,
    builtin_framework_names,
    framework_text,
    parse_framework_cached,
)
from project_db import frameworks
from project_db.assessment_models import AssessmentFramework
from project_db.audit import set_actor
from project_db.errors import N_, Problem, ValidationFailed

from .access import Actor, require_admin, require_read


class FrameworkInfo(BaseModel):
    framework_id: str
    version: int
    name_fi: str
    name_sv: str
    name_en: str
    installed_at: datetime
    installed_by: str


def _info(row: AssessmentFramework) -> FrameworkInfo:
    framework = parse_framework_cached(row.content)
    return FrameworkInfo(
        framework_id=row.framework_id,
        version=row.framework_version,
        name_fi=framework.name.fi,
        name_sv=framework.name.sv,
        name_en=framework.name.en,
        installed_at=row.installed_at,
        installed_by=row.installed_by,
    )


def _row(session: Session, framework_id: str, version: int) -> AssessmentFramework | None:
    return frameworks.framework_version(session, framework_id, version)


def _store(session: Session, text: str, installed_by: str) -> AssessmentFramework:
    """Validate and store a framework text; the same id + version must have the same text."""
    framework = parse_framework_cached(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    row = _row(session, framework.id, framework.version)
    if row is not None:
        if row.sha256 != digest:
            raise ValidationFailed(
                [
                    Problem(
                        field="version",
                        message=N_(
                            "Framework {id} version {version} is already installed with a "
                            "different content: give the changed file a higher version."
                        ),
                        params={"id": framework.id, "version": framework.version},
                    )
                ]
            )
        return row
    row = AssessmentFramework(
        framework_id=framework.id,
        framework_version=framework.version,
        name=framework.name.fi[:300],
        content=text,
        sha256=digest,
        installed_by=installed_by,
    )
    session.add(row)
    session.flush()
    return row


def install_framework(session: Session, data: bytes | str, *, actor: Actor) -> FrameworkInfo:
    """An administrator loads a framework file. A broken file is refused with its lines
    (``FrameworkInvalid``); installing the same file again changes nothing."""
    require_admin(actor)
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    try:
        row = _store(session, text, actor.username)
    except FrameworkInvalid:
        session.rollback()
        raise
    set_actor(session, actor.username)
    session.commit()
    return _info(row)


def list_frameworks(session: Session, *, actor: Actor) -> list[FrameworkInfo]:
    """Installed frameworks (and the shipped ones, installed on first use), newest version first."""
    require_read(actor)
    ensure_builtin_frameworks(session)
    rows = frameworks.frameworks_newest_first(session)
    return [_info(r) for r in rows]


def ensure_builtin_frameworks(session: Session) -> None:
    """Install the framework files shipped with EVAUS when their version is not there yet."""
    for name in builtin_framework_names():
        text = framework_text(name)
        framework = parse_framework_cached(text)
        if _row(session, framework.id, framework.version) is None:
            _store(session, text, "system")


def _latest_version(session: Session, framework_id: str) -> int:
    ensure_builtin_frameworks(session)
    version = frameworks.latest_version(session, framework_id)
    if version is None:
        raise _unknown(framework_id, None)
    return version


def _get_framework(session: Session, framework_id: str, version: int) -> Framework:
    """The framework an assessment was made with (shipped ones are installed on first use)."""
    row = _row(session, framework_id, version)
    if row is None:
        ensure_builtin_frameworks(session)
        row = _row(session, framework_id, version)
    if row is None:
        raise _unknown(framework_id, version)
    return parse_framework_cached(row.content)


def _unknown(framework_id: str, version: int | None) -> ValidationFailed:
    return ValidationFailed(
        [
            Problem(
                field="framework_id",
                message=N_("Framework {id} version {version} is not installed."),
                params={"id": framework_id, "version": version if version is not None else "–"},
            )
        ]
    )


__all__ = [
    "FrameworkInfo",
    "ensure_builtin_frameworks",
    "install_framework",
    "list_frameworks",
]
