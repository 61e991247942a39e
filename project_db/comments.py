"""Comments: threaded discussion on a project section, a reporting period or an assessment part.

A comment is on a target: its kind (``project``, ``period`` or ``assessment``), the project or the
assessment it belongs to and a part key (a project section such as ``goals`` or ``budget``, a
period number, an assessment phase such as ``screening`` or an impact cell
``cell:<area code>:<alternative key>``, ``cell_key``). A reply
points to the comment it answers (one level: replies to a reply join the same thread). The
author's display name is kept as it was when the comment was written, so a removed account
does not empty the thread.

Every insert and update goes through the ORM, so the audit hook records it like other writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, backref, mapped_column, relationship

from .assessment_models import Assessment
from .base import Base, UtcDateTime, Versioned
from .models import Project
from .schemas import CommentDoc

PROJECT = "project"
PERIOD = "period"
ASSESSMENT = "assessment"
TARGET_KINDS = (PROJECT, PERIOD, ASSESSMENT)

BODY_MAX = 4000
PART_KEY_MAX = 120
CELL_PREFIX = "cell:"  # the part key of one impact cell of an assessment's matrix


class Comment(Versioned, Base):
    """One comment or reply on one target."""

    __tablename__ = "comment"
    __table_args__ = (
        CheckConstraint(
            "target_kind IN ('project', 'period', 'assessment')", name="target_kind_known"
        ),
        CheckConstraint(
            "(project_id IS NOT NULL) OR (assessment_id IS NOT NULL)", name="has_target"
        ),
        Index("ix_comment_target", "target_kind", "project_id", "assessment_id", "part_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(20))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    part_key: Mapped[str] = mapped_column(String(PART_KEY_MAX), default="")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    edited_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(120))

    # A project or an assessment is deleted with its comments through the session (replies
    # before the comment they answer), so the audit log records each one; the database's
    # ON DELETE CASCADE alone would remove them unseen.
    project: Mapped[Project | None] = relationship(
        backref=backref("comments", cascade="all, delete-orphan")
    )
    assessment: Mapped[Assessment | None] = relationship(
        backref=backref("comments", cascade="all, delete-orphan")
    )
    parent: Mapped[Comment | None] = relationship(
        remote_side=[id], backref=backref("replies", cascade="all, delete-orphan")
    )


def cell_key(area: str, alternative: str) -> str:
    """The part key of one impact cell: its impact area's code and its alternative's key."""
    return f"{CELL_PREFIX}{area}:{alternative}"


def split_cell_key(part_key: str) -> tuple[str, str] | None:
    """(area code, alternative key) of an impact cell's part key (empty strings when it is
    malformed); None for any other part key."""
    if not part_key.startswith(CELL_PREFIX):
        return None
    area, _, alternative = part_key.removeprefix(CELL_PREFIX).partition(":")
    return (area, alternative) if area and alternative else ("", "")


def _target_filter(kind: str, owner_id: int) -> list:  # type: ignore[type-arg]
    owner = Comment.assessment_id if kind == ASSESSMENT else Comment.project_id
    return [Comment.target_kind == kind, owner == owner_id]


def comments_on(session: Session, kind: str, owner_id: int, part_key: str | None) -> list[Comment]:
    """The comments (threads and replies) on a target, oldest first; every part when
    ``part_key`` is None."""
    query = select(Comment).where(*_target_filter(kind, owner_id))
    if part_key is not None:
        query = query.where(Comment.part_key == part_key)
    return list(session.scalars(query.order_by(Comment.created_at, Comment.id)))


def counts(session: Session, kind: str, owner_id: int) -> dict[str, tuple[int, int]]:
    """Per part key: (all comments, open threads) for the badges."""
    rows = session.execute(
        select(
            Comment.part_key,
            func.count(Comment.id),
            func.count(Comment.id).filter(
                Comment.parent_id.is_(None), Comment.resolved_at.is_(None)
            ),
        )
        .where(*_target_filter(kind, owner_id))
        .group_by(Comment.part_key)
    )
    return {key: (int(total), int(open_)) for key, total, open_ in rows}


def project_comments(session: Session, project_id: int) -> Sequence[Comment]:
    """Every comment on a project and its periods (for the JSON export), oldest first."""
    return session.scalars(
        select(Comment)
        .where(Comment.project_id == project_id)
        .order_by(Comment.created_at, Comment.id)
    ).all()


def export_docs(session: Session, projects: Sequence[Project]) -> list[CommentDoc]:
    """The comments on ``projects`` (sections and periods) for the interchange file, by
    project in the order given, each project's oldest first."""
    docs = []
    for project in projects:
        for row in project_comments(session, project.id):
            docs.append(
                CommentDoc(
                    project=project.key,
                    id=row.id,
                    parent_id=row.parent_id,
                    target_kind=row.target_kind,
                    part_key=row.part_key,
                    author=row.author_name,
                    body=row.body,
                    created_at=row.created_at,
                    edited_at=row.edited_at,
                    resolved_at=row.resolved_at,
                    resolved_by=row.resolved_by,
                )
            )
    return docs


def get(session: Session, comment_id: int) -> Comment | None:
    return session.get(Comment, comment_id)


def add(session: Session, comment: Comment) -> Comment:
    session.add(comment)
    session.flush()
    return comment


__all__ = [
    "ASSESSMENT",
    "BODY_MAX",
    "CELL_PREFIX",
    "PART_KEY_MAX",
    "PERIOD",
    "PROJECT",
    "TARGET_KINDS",
    "Comment",
    "add",
    "cell_key",
    "comments_on",
    "counts",
    "export_docs",
    "get",
    "project_comments",
    "split_cell_key",
]
