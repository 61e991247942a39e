"""Reminders of due items: e-mail to the project's managers and a notice under their bell.

One pass (``run_reminders``) looks at every due item that is not done on ``today`` and, for
each manager of its project (a user with the role manager linked to a person in the project's
team), picks the reminder the day calls for:

- ``before<N>``: the item is due within ``before_days`` days (default 7);
- ``due``: it is due today;
- ``overdue<D>``: it is overdue; D is 1 for the first week, 8 for the second … (one reminder a
  week, while it is at most ``OVERDUE_DAYS`` days late).

Each reminder's key ``reminder:<item key>:<user id>:<offset>`` is the outbox's dedup key and the
notice's, so a reminder is queued and noticed once, ever, however often the pass runs (a missed
day is caught up by the next pass in the same window). A user who switched the kind off gets
neither; a user without an e-mail address, or a registry without mail settings, gets the notice
only. The e-mail is in the recipient's language, dated the Finnish way (1.11.2020), and links to
the item at the public address (``EVAUS_BASE_URL``). After queueing, the pass delivers what is
due in the outbox. ``single_runner`` keeps two instances from running it at the same time.

The same pass queues each manager's digest of their due and overdue items (daily, or weekly on
Mondays, as the user chose; key ``digest:<user id>:<date or ISO week>``), when there is any.
``queue_review_notices`` tells of a review step (submit, return, approve) with the same message
builder (``compose``), in the step's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape

from sqlalchemy.orm import Session

from project_db import deadlines as deadline_data
from project_db import notifications as notice_data
from project_db import outbox
from project_db.errors import N_
from project_db.models import User

from ..db import Database
from ..i18n import format_message, normalise_language, pvm
from ..mail import deliver_pending, mail_enabled, single_runner
from ..settings import get_settings
from .access import Actor, require_admin
from .deadlines import DueItem, due_items

ACTOR = "reminders"  # the audit trail's name for the daily pass
LANGUAGES = ("fi", "sv", "en")
BEFORE_DAYS = 7
OVERDUE_DAYS = 91  # weekly reminders of an overdue item stop after 13 weeks

SUBJECT_BEFORE = N_("Reminder: {title} ({project}) is due on {date}")
SUBJECT_DUE = N_("Due today: {title} ({project})")
SUBJECT_OVERDUE = N_("Overdue: {title} ({project}) was due on {date}")
LINE_PROJECT = N_("Project: {project}")
LINE_DUE = N_("Due date: {date}")
LINE_OPEN = N_("Open in EVAUS: {link}")
LINE_WHY = N_(
    "You receive this reminder as a manager of the project. You can switch reminders off "
    "on your notification settings page: {link}"
)
PREFERENCES_PATH = "/profile/notifications"

SUBJECT_SUBMITTED = N_("Period {period} of {project} was submitted for review")
SUBJECT_RETURNED = N_("Period {period} of {project} was returned to you")
SUBJECT_APPROVED = N_("Period {period} of {project} was approved")
LINE_BY = N_("By: {name}")
LINE_REASON = N_("Reason: {reason}")
WHY_REVIEW = N_("You can switch review notices off on your notification settings page: {link}")
REVIEW_SUBJECTS = {
    "submit": SUBJECT_SUBMITTED,
    "return": SUBJECT_RETURNED,
    "approve": SUBJECT_APPROVED,
}

SUBJECT_DIGEST = N_("EVAUS: your due and overdue items ({count})")
LINE_DIGEST_DUE = N_("{date}: {title} ({project}), due")
LINE_DIGEST_OVERDUE = N_("{date}: {title} ({project}), overdue")
WHY_DIGEST = N_(
    "You can change how often you receive this digest, or switch it off, on your notification "
    "settings page: {link}"
)
DIGEST_PATH = "/"  # the front page lists the user's own due items


@dataclass(frozen=True)
class Reminder:
    """One reminder the pass queues (or, in a dry run, would queue)."""

    key: str  # reminder:<item key>:<user id>:<offset>
    item_key: str
    user_id: int
    username: str
    recipient: str | None  # None: no e-mail (the notice only)
    language: str
    kind: str  # reminder_before | reminder_due | reminder_overdue
    offset: str
    due_on: date
    subject: str
    link: str
    mail: bool = False  # a new e-mail (dry run: one that would be queued)
    notice: bool = False  # a new notice (dry run: one that would be made)


@dataclass
class ReminderReport:
    reminders: list[Reminder] = field(default_factory=list)  # new ones (dry run: would be)
    queued: int = 0  # e-mails queued
    notices: int = 0  # in-app notices created
    sent: int = 0
    retried: int = 0
    failed: int = 0
    mail_disabled: bool = False
    digests: int = 0  # digests queued (not counted in ``queued``; dry run: would be)
    busy: bool = False  # another instance was running the pass: this one did nothing
    dry_run: bool = False

    @property
    def made(self) -> tuple[int, int, int]:
        """(reminders, notices, digests) the pass made — in a dry run, would make: each
        reminder is an e-mail, a notice or both."""
        notices = sum(r.notice for r in self.reminders) if self.dry_run else self.notices
        return len(self.reminders), notices, self.digests


def _offset_for(
    item: DueItem, today: date, before_days: int = BEFORE_DAYS
) -> tuple[str, str] | None:
    """(offset, kind) of the reminder ``item`` calls for on ``today``, or None."""
    if item.state == "done":
        return None
    days = (item.due_on - today).days
    if days == 0:
        return "due", notice_data.REMINDER_DUE
    if 0 < days <= before_days:
        return f"before{before_days}", notice_data.REMINDER_BEFORE
    late = -days
    if 0 < late <= OVERDUE_DAYS:
        return f"overdue{(late - 1) // 7 * 7 + 1}", notice_data.REMINDER_OVERDUE
    return None


def _subject(kind: str, item: DueItem, lang: str) -> str:
    message = {
        notice_data.REMINDER_BEFORE: SUBJECT_BEFORE,
        notice_data.REMINDER_DUE: SUBJECT_DUE,
        notice_data.REMINDER_OVERDUE: SUBJECT_OVERDUE,
    }[kind]
    return format_message(
        message, lang, title=item.title, project=item.project_name, date=pvm(item.due_on, lang)
    )


def compose(
    subject: str,
    lines: list[str],
    lang: str,
    link: str,
    base: str,
    *,
    why: str = LINE_WHY,
) -> tuple[str, str]:
    """A notification e-mail's plain text and HTML: the subject as a heading, ``lines`` (already
    in ``lang``), the link to the item and why the recipient gets it (``why`` takes ``link``: the
    address of the notification settings)."""
    why_text = format_message(why, lang, link=base + PREFERENCES_PATH)
    text = "\n".join(
        [subject, "", *lines, "", format_message(LINE_OPEN, lang, link=link), "", why_text]
    )
    anchor = f'<a href="{escape(link)}">{escape(link)}</a>'
    body = "<br>".join(escape(line).replace("\n", "<br>") for line in lines)
    html = (
        f"<p><strong>{escape(subject)}</strong></p>"
        f"<p>{body}</p>"
        f"<p>{escape(format_message(LINE_OPEN, lang, link='{link}')).replace('{link}', anchor)}</p>"
        f"<p><small>{escape(why_text)}</small></p>"
    )
    return text, html


def _lines(item: DueItem, lang: str) -> list[str]:
    """A reminder's lines: the project and the due date."""
    return [
        format_message(LINE_PROJECT, lang, project=item.project_name),
        format_message(LINE_DUE, lang, date=pvm(item.due_on, lang)),
    ]


def _enqueue_mail(
    session: Session,
    user: User,
    *,
    key: str,
    subject: str,
    lines: list[str],
    lang: str,
    link: str,
    base: str,
    why: str = LINE_WHY,
) -> bool:
    """Compose a notification e-mail to ``user`` (``compose``) and queue it under ``key``, the
    outbox's dedup key; False when that key was queued before or the user has no address.
    Reminders, digests and review notices all go out through here."""
    if not user.email:
        return False
    text, html = compose(subject, lines, lang, link, base, why=why)
    draft = outbox.MailDraft(
        dedup_key=key,
        recipient=user.email,
        subject=subject,
        body_text=text,
        body_html=html,
        language=lang,
        user_id=user.id,
        link=link,
    )
    return outbox.enqueue(session, draft)[1]


def run_reminders(
    database: Database,
    today: date,
    *,
    actor: Actor,
    dry_run: bool = False,
    before_days: int = BEFORE_DAYS,
    now: datetime | None = None,
) -> ReminderReport:
    """Queue the reminders ``today`` calls for, create their notices and deliver the outbox.

    The pass is the server's work: ``actor`` is an administrator (``local_admin("reminders")``
    for the daily pass and the command). ``dry_run``: only tell what would be queued; nothing
    is written or sent."""
    require_admin(actor)
    report = ReminderReport(dry_run=dry_run, mail_disabled=not mail_enabled())
    with single_runner(database, "reminders") as got:
        if not got:
            report.busy = True
            return report
        _queue(database, today, report, actor, dry_run=dry_run, before_days=before_days)
    if not dry_run:
        delivery = deliver_pending(database, now)
        report.sent, report.retried, report.failed = (
            delivery.sent,
            delivery.retried,
            delivery.failed,
        )
    return report


def _queue(
    database: Database,
    today: date,
    report: ReminderReport,
    actor: Actor,
    *,
    dry_run: bool,
    before_days: int,
) -> None:
    base = get_settings().public_url
    with database.session(actor.username) as session:
        managers = list(deadline_data.managers(session))
        teams = {
            user.id: deadline_data.team_project_ids(session, user.person_id)
            for user in managers
            if user.person_id is not None
        }
        # The notice is kept in every language (the bell shows the one the user reads in).
        items = {
            lang: due_items(session, actor=actor, today=today, lang=lang) for lang in LANGUAGES
        }
        preferences = notice_data.preferences_for(session, [user.id for user in managers])
        by_key = {lang: {i.key: i for i in rows} for lang, rows in items.items()}
        for user in managers:
            projects = teams.get(user.id, set())
            lang = normalise_language(user.language)
            prefs = preferences.get(user.id)
            for item in items[lang]:
                if item.project_id not in projects:
                    continue
                chosen = _offset_for(item, today, before_days)
                if chosen is None:
                    continue
                offset, kind = chosen
                if prefs is not None and not prefs.wants(kind):
                    continue
                key = f"reminder:{item.key}:{user.id}:{offset}"
                send_mail = bool(user.email) and not report.mail_disabled
                mail_new = send_mail and outbox.find(session, key) is None
                notice_new = not notice_data.notice_exists(session, key)
                if not mail_new and not notice_new:
                    continue
                link = base + item.url
                subject = _subject(kind, item, lang)
                report.reminders.append(
                    Reminder(
                        key,
                        item.key,
                        user.id,
                        user.username,
                        user.email if send_mail else None,
                        lang,
                        kind,
                        offset,
                        item.due_on,
                        subject,
                        link,
                        mail=mail_new,
                        notice=notice_new,
                    )
                )
                if dry_run:
                    continue
                if mail_new and _enqueue_mail(
                    session,
                    user,
                    key=key,
                    subject=subject,
                    lines=_lines(item, lang),
                    lang=lang,
                    link=link,
                    base=base,
                ):
                    report.queued += 1
                if notice_new:
                    texts = {
                        code: _subject(kind, by_key[code].get(item.key, item), code)
                        for code in LANGUAGES
                    }
                    created = notice_data.add_notice(
                        session,
                        dedup_key=key,
                        user_id=user.id,
                        kind=kind,
                        texts=texts,
                        link=item.url,
                    )
                    if created is not None:
                        report.notices += 1
        if not report.mail_disabled:
            _queue_digests(
                session,
                today,
                report,
                managers=managers,
                teams=teams,
                items=items,
                preferences=preferences,
                base=base,
            )
        if dry_run:
            session.rollback()
        else:
            session.commit()


def _digest_key(user_id: int, frequency: str, today: date) -> str | None:
    """The dedup key of the user's digest ``today`` (daily: every day, weekly: on Mondays)."""
    if frequency == "daily":
        return f"digest:{user_id}:{today.isoformat()}"
    if frequency == "weekly" and today.weekday() == 0:
        year, week, _day = today.isocalendar()
        return f"digest:{user_id}:{year}-W{week:02d}"
    return None


def _queue_digests(
    session: Session,
    today: date,
    report: ReminderReport,
    *,
    managers: list[User],
    teams: dict[int, set[int]],
    items: dict[str, list[DueItem]],
    preferences: dict[int, notice_data.NotificationPreference],
    base: str,
) -> None:
    """Each manager's digest of their due and overdue items, when the day calls for one."""
    for user in managers:
        prefs = preferences.get(user.id)
        frequency = prefs.digest_frequency if prefs else notice_data.DEFAULT_DIGEST_FREQUENCY
        key = _digest_key(user.id, frequency, today)
        if key is None or not user.email or outbox.find(session, key) is not None:
            continue
        lang = normalise_language(user.language)
        projects = teams.get(user.id, set())
        listed = [
            i for i in items[lang] if i.project_id in projects and i.state in ("due", "overdue")
        ]
        if not listed:
            continue
        subject = format_message(SUBJECT_DIGEST, lang, count=len(listed))
        lines = [
            format_message(
                LINE_DIGEST_OVERDUE if i.state == "overdue" else LINE_DIGEST_DUE,
                lang,
                date=pvm(i.due_on, lang),
                title=i.title,
                project=i.project_name,
            )
            + "\n"
            + base
            + i.url
            for i in listed
        ]
        if report.dry_run or _enqueue_mail(
            session,
            user,
            key=key,
            subject=subject,
            lines=lines,
            lang=lang,
            link=base + DIGEST_PATH,
            base=base,
            why=WHY_DIGEST,
        ):
            report.digests += 1


def _project_managers(session: Session, project_id: int) -> list[User]:
    """The project's managers: the users its reminders go to (active managers in its team)."""
    return [
        user
        for user in deadline_data.managers(session)
        if user.person_id is not None
        and project_id in deadline_data.team_project_ids(session, user.person_id)
    ]


def _review_recipients(session: Session, project_id: int, action: str) -> list[User]:
    """Who hears of a review step: the reviewers (else the administrators) of a submission,
    the project's managers of a return or an approval."""
    if action == "submit":
        return list(notice_data.active_users(session, "reviewer")) or list(
            notice_data.active_users(session, "admin")
        )
    return _project_managers(session, project_id)


def queue_review_notices(
    session: Session,
    *,
    project_id: int,
    project_name: str,
    period: int,
    action: str,
    event_id: int,
    reason: str = "",
    actor: Actor,
) -> int:
    """The notices and e-mails of a review step (submit, return, approve) ``actor`` took,
    queued in the caller's transaction; returns how many users were told. The one who acted is
    not told, and neither is a user who switched review notices off."""
    subject_id = REVIEW_SUBJECTS.get(action)
    if subject_id is None:
        return 0
    by = actor.username
    acting = session.get(User, actor.user_id) if actor.user_id else None
    by_name = (acting.display_name if acting is not None else "") or by
    base = get_settings().public_url
    path = f"/projects/{project_id}/reports"
    users = [u for u in _review_recipients(session, project_id, action) if u.username != by]
    preferences = notice_data.preferences_for(session, [u.id for u in users])
    send_mail = mail_enabled()
    told = 0

    def texts(lang: str) -> tuple[str, list[str]]:
        subject = format_message(subject_id, lang, period=period, project=project_name)
        lines = [
            format_message(LINE_PROJECT, lang, project=project_name),
            format_message(LINE_BY, lang, name=by_name),
        ]
        if reason:
            lines.append(format_message(LINE_REASON, lang, reason=reason))
        return subject, lines

    for user in users:
        prefs = preferences.get(user.id)
        if prefs is not None and not prefs.wants(notice_data.REVIEW):
            continue
        key = f"review:{project_id}:{period}:{event_id}:{user.id}"
        notice_texts = {}
        for code in LANGUAGES:
            subject, lines = texts(code)
            notice_texts[code] = subject + (f". {lines[-1]}" if reason else "")
        notice_data.add_notice(
            session,
            dedup_key=key,
            user_id=user.id,
            kind=notice_data.REVIEW,
            texts=notice_texts,
            link=path,
        )
        if send_mail:
            lang = normalise_language(user.language)
            subject, lines = texts(lang)
            _enqueue_mail(
                session,
                user,
                key=key,
                subject=subject,
                lines=lines,
                lang=lang,
                link=base + path,
                base=base,
                why=WHY_REVIEW,
            )
        told += 1
    return told


__all__ = [
    "BEFORE_DAYS",
    "Reminder",
    "ReminderReport",
    "compose",
    "queue_review_notices",
    "run_reminders",
]
