"""``evaus reminders run``: the reminder pass for cron (``evaus serve`` also runs it daily)."""

from __future__ import annotations

import argparse

from ..i18n import pvm, today_in_helsinki
from ..services.startup import open_registry
from .common import _, _cli_admin, _lang, _say


def cmd_reminders_run(args: argparse.Namespace) -> None:
    from ..services.reminders import run_reminders

    today = args.date or today_in_helsinki()
    report = run_reminders(open_registry(), today, actor=_cli_admin(), dry_run=args.dry_run)
    if report.busy:
        _say("Another instance is running the reminders; nothing was done.")
        return
    if report.mail_disabled:
        print(_("E-mail is not configured (EVAUS_SMTP_URL unset): nothing is sent."))
    for reminder in report.reminders:
        print(
            f"{pvm(reminder.due_on, _lang())}  {reminder.username}"
            f"  {reminder.recipient or '–'}  {reminder.offset}  {reminder.subject}"
        )
    reminders, notices, digests = report.made
    if report.dry_run:
        _say(
            "Dry run on {date}: {count} reminders, {notices} notices and {digests} digests "
            "would be sent; nothing was changed.",
            date=pvm(today, _lang()),
            count=reminders,
            notices=notices,
            digests=digests,
        )
        return
    _say(
        "Reminders on {date}: {reminders} reminders, {notices} notices, {digests} digests; "
        "{queued} e-mails queued; sent {sent}, to be retried {retried}, failed {failed}.",
        date=pvm(today, _lang()),
        reminders=reminders,
        notices=notices,
        digests=digests,
        queued=report.queued + report.digests,
        sent=report.sent,
        retried=report.retried,
        failed=report.failed,
    )
