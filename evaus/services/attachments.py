"""Attachments: files kept under the data directory by their SHA-256; type and size checked."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path, PurePath

from sqlalchemy.orm import Session

from project_db.audit import set_actor
from project_db.errors import N_, NotFound, Problem, ValidationFailed
from project_db.models import Attachment
from project_db.validators import clean_line

from .access import Actor, require_edit, require_read
from .projects import _get_project

# What a project's attachments may be: documents, spreadsheets, presentations and images.
# The first bytes must match the type, so a renamed program is not accepted as a PDF.
ALLOWED_TYPES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (b"PK\x03\x04",),
    "application/vnd.oasis.opendocument.text": (b"PK\x03\x04",),
    "application/vnd.oasis.opendocument.spreadsheet": (b"PK\x03\x04",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "text/plain": (),
    "text/csv": (),
}
EXTENSIONS = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
}


def _content_type(filename: str, data: bytes) -> str | None:
    suffix = PurePath(filename).suffix.lower()
    content_type = EXTENSIONS.get(suffix) or mimetypes.guess_type(filename)[0]
    if content_type not in ALLOWED_TYPES:
        return None
    signatures = ALLOWED_TYPES[content_type]
    if signatures and not data.startswith(signatures):
        return None
    if not signatures and b"\x00" in data[:4096]:  # text files hold no NUL bytes
        return None
    return content_type


def storage_path(attachments_dir: Path, sha256: str) -> Path:
    """Where a file lives: derived from its checksum only, never from a user's file name."""
    return attachments_dir / sha256[:2] / sha256


def add_attachment(
    session: Session,
    project_id: int,
    *,
    filename: str,
    data: bytes,
    description: str = "",
    attachments_dir: Path,
    max_bytes: int,
    actor: Actor,
) -> Attachment:
    """Store an uploaded file with a project (those who may edit the project)."""
    require_edit(session, actor, project_id)
    name = clean_line(PurePath(filename.replace("\\", "/")).name)[:255]
    problems = []
    if not name:
        problems.append(Problem("filename", N_("is required")))
    if len(data) > max_bytes:
        problems.append(
            Problem(
                "filename",
                N_("is too large ({size} bytes, at most {limit})"),
                {"size": len(data), "limit": max_bytes},
            )
        )
    if not data:
        problems.append(Problem("filename", N_("is an empty file")))
    content_type = _content_type(name, data) if name else None
    if name and data and content_type is None:
        problems.append(
            Problem("filename", N_("is not an allowed file type: {name}"), {"name": name})
        )
    if problems:
        raise ValidationFailed(problems)
    assert content_type is not None
    project = _get_project(session, project_id)
    digest = hashlib.sha256(data).hexdigest()
    path = storage_path(attachments_dir, digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a crash never leaves half a file under the final name
    set_actor(session, actor.username)
    attachment = Attachment(
        filename=name,
        content_type=content_type,
        size=len(data),
        sha256=digest,
        description=description,
        position=len(project.attachments),
    )
    project.attachments.append(attachment)
    session.commit()
    return attachment


def read_attachment(
    session: Session, attachment_id: int, *, attachments_dir: Path, actor: Actor
) -> tuple[Attachment, bytes]:
    require_read(actor)
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound("attachment", attachment_id)
    path = storage_path(attachments_dir, attachment.sha256)
    if not path.is_file():
        raise NotFound("attachment file", attachment.sha256)
    return attachment, path.read_bytes()
