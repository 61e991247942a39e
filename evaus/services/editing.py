"""The project editor's services: load a project for editing, save it, add attachments.

Every function checks the editing right itself, so a page handler that calls it with a freshly
loaded actor cannot write to a project the user may no longer edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from project_db.period_review import approved_periods
from project_db.schemas import ProjectDoc
from project_db.store import to_doc

from . import attachments as attachment_service
from . import projects
from .access import Actor, require_edit


@dataclass
class Editable:
    """A project as the editor loads it: the document and the version it was read at."""

    project_id: int
    name: str
    version: int
    doc: ProjectDoc
    # The approved periods: locked, shown read-only (the save refuses to change them).
    locked: frozenset[int] = field(default_factory=frozenset)


def load_for_edit(session: Session, project_id: int, actor: Actor) -> Editable:
    require_edit(session, actor, project_id)
    project = projects._get_project(session, project_id)
    locked = frozenset(approved_periods(session, project_id))
    return Editable(project_id, project.name, project.version, to_doc(project), locked)


def save_edited(
    session: Session,
    project_id: int,
    data: dict[str, Any],
    *,
    expected_version: int,
    known_attachments: set[str],
    actor: Actor,
) -> int:
    """Save the editor's whole document; returns the project's new version.

    A stale ``expected_version`` raises ``ConflictError``. Adding an attachment does not change
    the project's version, so attachments somebody else added after the editor loaded the
    project (keys not in ``known_attachments``) are kept instead of being removed.
    """
    require_edit(session, actor, project_id)
    project = projects._get_project(session, project_id)
    wanted = list(data.get("attachments") or [])
    wanted_keys = {a.get("key") for a in wanted if isinstance(a, dict)}
    for attachment in project.attachments:
        if attachment.key not in known_attachments and attachment.key not in wanted_keys:
            wanted.append(_attachment_doc(attachment))
    data = {**data, "attachments": wanted}
    saved = projects.save_project_doc(
        session, project_id, data, expected_version=expected_version, actor=actor
    )
    session.refresh(saved)
    return saved.version


def add_attachment(
    session: Session,
    project_id: int,
    *,
    filename: str,
    data: bytes,
    attachments_dir: Path,
    max_bytes: int,
    actor: Actor,
) -> dict[str, Any]:
    """Store an uploaded file with the project; returns its entry for the editor's document."""
    require_edit(session, actor, project_id)
    attachment = attachment_service.add_attachment(
        session,
        project_id,
        filename=filename,
        data=data,
        attachments_dir=attachments_dir,
        max_bytes=max_bytes,
        actor=actor,
    )
    return {"id": attachment.id, **_attachment_doc(attachment)}


def attachment_ids(session: Session, project_id: int, *, actor: Actor) -> dict[str, int]:
    """Download ids (``/files/{id}``) of a project's attachments by key."""
    return {a.key: a.id for a in projects.get_project(session, project_id, actor=actor).attachments}


def _attachment_doc(attachment: Any) -> dict[str, Any]:
    return {
        "key": attachment.key,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "description": attachment.description,
    }
