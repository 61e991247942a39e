"""Comments on a project section, a reporting period or an assessment part: threads with
replies, editing one's own comment, resolving and reopening a thread, counts for the badges.

Who: every signed-in role reads the comments of what it reads; administrators, managers and
reviewers write them (a viewer reads only). Only the author edits a comment (an administrator
does not rewrite other people's words); the edit keeps when it was made. Whoever may write
resolves and reopens a thread. Every write goes through the ORM and is audited.

One impact cell of an assessment's matrix (impact area × alternative) has threads of its own:
the part key ``cell:<area code>:<alternative key>`` (``cell_key``), which must name an area of the
assessment's framework and one of its alternatives.

``@username`` in a comment tells that active user: an in-app notice under the bell and, when the
registry sends mail and the user has an address, an e-mail in the user's language queued in the
outbox with the dedup key ``mention:<comment id>:<user id>`` (an edit that keeps the mention
does not tell again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from evaus.workshop.hooks import assessment_touched
from project_db import accounts, outbox
from project_db import comments as data
from project_db import notifications as notice_data
from project_db.assessment_models import Assessment
from project_db.audit import set_actor
from project_db.base import utcnow
from project_db.errors import N_, NotFound, Problem, ValidationFailed
from project_db.models import Project, User
from project_db.validators import clean_block, clean_line

from ..i18n import format_message, normalise_language
from ..mail import mail_enabled
from ..settings import get_settings
from .access import Actor, Forbidden, require_read
from .assessment_frameworks import _get_framework as get_framework
from .reminders import compose

PROJECT, PERIOD, ASSESSMENT = data.PROJECT, data.PERIOD, data.ASSESSMENT
CELL_PREFIX, cell_key, split_cell_key = data.CELL_PREFIX, data.cell_key, data.split_cell_key
BODY_MAX = data.BODY_MAX
WRITERS = ("admin", "manager", "reviewer")
MENTION_KIND = "mention"
LANGUAGES = ("fi", "sv", "en")

EMPTY_BODY = N_("Write a comment.")
UNKNOWN_CELL = N_(
    "The impact cell of the comment is not in the matrix: no such impact area or alternative."
)
TOO_LONG = N_("A comment is at most {max} characters long.")
SUBJECT_MENTION = N_("{name} mentioned you in a comment: {target}")
LINE_COMMENT = N_("Comment: {body}")
WHY_MENTION = N_("You receive this because you were mentioned. Notification settings: {link}")

_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_][A-Za-z0-9_.\-]*)")


@dataclass(frozen=True)
class Target:
    """What a comment is on: the kind, the project or assessment id and the part key."""

    kind: str
    owner_id: int
    part_key: str = ""


@dataclass(frozen=True)
class CommentView:
    id: int
    parent_id: int | None
    part_key: str
    author: str
    author_id: int | None
    body: str
    created_at: datetime
    edited_at: datetime | None
    resolved_at: datetime | None
    resolved_by: str | None
    version: int


@dataclass(frozen=True)
class Thread:
    comment: CommentView
    replies: list[CommentView]


def can_comment(actor: Actor) -> bool:
    """Whether the actor writes comments (administrators, managers, reviewers)."""
    return isinstance(actor, Actor) and actor.role in WRITERS


def _require_write(actor: Actor) -> None:
    require_read(actor)
    if not can_comment(actor):
        raise Forbidden("may not comment")


def _view(row: data.Comment) -> CommentView:
    return CommentView(
        id=row.id,
        parent_id=row.parent_id,
        part_key=row.part_key,
        author=row.author_name,
        author_id=row.author_id,
        body=row.body,
        created_at=row.created_at,
        edited_at=row.edited_at,
        resolved_at=row.resolved_at,
        resolved_by=row.resolved_by,
        version=row.version,
    )


def _check_cell(session: Session, assessment: Assessment, part_key: str) -> None:
    cell = split_cell_key(part_key)
    if cell is None:
        return
    area, alternative = cell
    framework = get_framework(session, assessment.framework_id, assessment.framework_version)
    alternatives = {a.key for a in assessment.alternatives}
    if framework.area(area) is None or alternative not in alternatives:
        raise ValidationFailed([Problem("", UNKNOWN_CELL)])


def _check_target(session: Session, target: Target, *, part: bool = True) -> str:
    """The target exists (with ``part``, also its impact cell); gives its name (for the
    notice)."""
    if target.kind not in data.TARGET_KINDS:
        raise ValidationFailed([Problem("target", "unknown target")])
    if len(target.part_key) > data.PART_KEY_MAX:
        raise ValidationFailed([Problem("part_key", "too long")])
    if target.kind == ASSESSMENT:
        assessment = session.get(Assessment, target.owner_id)
        if assessment is None:
            raise NotFound("assessment", target.owner_id)
        if part:
            _check_cell(session, assessment, target.part_key)
        return assessment.title
    project = session.get(Project, target.owner_id)
    if project is None:
        raise NotFound("project", target.owner_id)
    return project.name


def _link(target: Target) -> str:
    if target.kind == ASSESSMENT:
        if split_cell_key(target.part_key) is not None:
            return f"/assessments/{target.owner_id}/matrix"
        return f"/assessments/{target.owner_id}"
    if target.kind == PERIOD and target.part_key.isdigit():
        return f"/projects/{target.owner_id}#period-{target.part_key}"
    return f"/projects/{target.owner_id}#comments"


def _clean_body(body: str) -> str:
    text = clean_block(body or "").strip()
    if not text:
        raise ValidationFailed([Problem("body", EMPTY_BODY)])
    if len(text) > BODY_MAX:
        raise ValidationFailed([Problem("body", TOO_LONG, {"max": BODY_MAX})])
    return text


def list_threads(session: Session, target: Target, *, actor: Actor) -> list[Thread]:
    """The threads on a target (every part when its part key is empty), oldest first, each with
    its replies."""
    require_read(actor)
    _check_target(session, target, part=False)
    rows = data.comments_on(session, target.kind, target.owner_id, target.part_key or None)
    threads: dict[int, Thread] = {}
    replies: list[data.Comment] = []
    for row in rows:
        if row.parent_id is None:
            threads[row.id] = Thread(_view(row), [])
        else:
            replies.append(row)
    for row in replies:
        thread = threads.get(row.parent_id or 0)
        if thread is not None:
            thread.replies.append(_view(row))
    return list(threads.values())


def counts(session: Session, kind: str, owner_id: int, *, actor: Actor) -> dict[str, int]:
    """Per part key: how many comments there are (for the count badges)."""
    require_read(actor)
    return {key: total for key, (total, _open) in data.counts(session, kind, owner_id).items()}


def add_comment(
    session: Session,
    target: Target,
    body: str,
    *,
    actor: Actor,
    reply_to: int | None = None,
) -> CommentView:
    """A new thread on ``target``, or a reply (``reply_to``) in the thread of that comment."""
    _require_write(actor)
    text = _clean_body(body)
    name = _check_target(session, target)
    parent_id = None
    part_key = clean_line(target.part_key)
    if reply_to is not None:
        parent = data.get(session, reply_to)
        if parent is None:
            raise NotFound("comment", reply_to)
        parent_id = parent.parent_id or parent.id  # one level: a reply joins the thread
        part_key = parent.part_key
        owner = parent.assessment_id or parent.project_id or 0
        target = Target(parent.target_kind, owner, part_key)
        name = _check_target(session, target, part=False)
    set_actor(session, actor.username)
    user = session.get(User, actor.user_id) if actor.user_id else None
    row = data.add(
        session,
        data.Comment(
            target_kind=target.kind,
            project_id=None if target.kind == ASSESSMENT else target.owner_id,
            assessment_id=target.owner_id if target.kind == ASSESSMENT else None,
            part_key=part_key,
            parent_id=parent_id,
            author_id=user.id if user else None,
            author_name=(user.display_name or user.username) if user else actor.username,
            body=text,
        ),
    )
    _notify_mentions(session, row, name, _link(target), actor)
    session.commit()
    _published(row, actor)
    return _view(row)


def _published(row: data.Comment, actor: Actor) -> None:
    """A committed change of an assessment's comment reaches the assessment's live workshop
    (the open matrix and cell dialogs update their threads and counts)."""
    if row.target_kind == ASSESSMENT and row.assessment_id is not None:
        assessment_touched(row.assessment_id, actor.username, "comment", row.part_key)


def can_edit(actor: Actor, comment: CommentView) -> bool:
    """Whether the actor may edit the comment: only its author (while they may write)."""
    author = comment.author_id
    return can_comment(actor) and author is not None and author == actor.user_id


def edit_comment(session: Session, comment_id: int, body: str, *, actor: Actor) -> CommentView:
    """The author changes their own comment's text (nobody else, an administrator neither);
    the comment keeps when it was edited. The same text again changes nothing."""
    _require_write(actor)
    text = _clean_body(body)
    row = data.get(session, comment_id)
    if row is None:
        raise NotFound("comment", comment_id)
    if row.author_id is None or row.author_id != actor.user_id:
        raise Forbidden("only the author edits a comment")
    if text == row.body:
        return _view(row)
    set_actor(session, actor.username)
    row.body = text
    row.edited_at = utcnow()
    session.flush()
    target = Target(row.target_kind, row.assessment_id or row.project_id or 0, row.part_key)
    name = _check_target(session, target, part=False)
    _notify_mentions(session, row, name, _link(target), actor)
    session.commit()
    _published(row, actor)
    return _view(row)


def set_resolved(session: Session, comment_id: int, resolved: bool, *, actor: Actor) -> CommentView:
    """Resolve (or reopen) the thread the comment starts."""
    _require_write(actor)
    row = data.get(session, comment_id)
    if row is None:
        raise NotFound("comment", comment_id)
    set_actor(session, actor.username)
    row.resolved_at = utcnow() if resolved else None
    row.resolved_by = actor.username if resolved else None
    session.commit()
    _published(row, actor)
    return _view(row)


def _mentioned(session: Session, body: str, author: str) -> list[User]:
    found: dict[int, User] = {}
    for match in _MENTION.finditer(body):
        name = match.group(1).rstrip(".-")
        user = accounts.user_by_username(session, name)
        if user is not None and user.active and user.username != author:
            found[user.id] = user
    return list(found.values())


def _notify_mentions(
    session: Session, row: data.Comment, target_name: str, path: str, actor: Actor
) -> None:
    """Tell each user mentioned in the comment once: a notice and, with mail, an e-mail."""
    users = _mentioned(session, row.body, actor.username)
    if not users:
        return
    base = get_settings().public_url
    send_mail = mail_enabled()
    excerpt = row.body if len(row.body) <= 300 else row.body[:299] + "…"
    for user in users:
        key = f"mention:{row.id}:{user.id}"
        texts = {
            code: format_message(SUBJECT_MENTION, code, name=row.author_name, target=target_name)
            for code in LANGUAGES
        }
        notice_data.add_notice(
            session, dedup_key=key, user_id=user.id, kind=MENTION_KIND, texts=texts, link=path
        )
        if send_mail and user.email:
            lang = normalise_language(user.language)
            lines = [format_message(LINE_COMMENT, lang, body=excerpt)]
            text, html = compose(texts[lang], lines, lang, base + path, base, why=WHY_MENTION)
            outbox.enqueue(
                session,
                outbox.MailDraft(
                    dedup_key=key,
                    recipient=user.email,
                    subject=texts[lang],
                    body_text=text,
                    body_html=html,
                    language=lang,
                    user_id=user.id,
                    link=base + path,
                ),
            )


__all__ = [
    "ASSESSMENT",
    "CELL_PREFIX",
    "PERIOD",
    "PROJECT",
    "CommentView",
    "Target",
    "Thread",
    "add_comment",
    "can_comment",
    "can_edit",
    "cell_key",
    "counts",
    "edit_comment",
    "list_threads",
    "set_resolved",
    "split_cell_key",
]
