"""The daily reminder pass of ``evaus serve``: a background task, its work in a thread.

It runs ``EVAUS_REMINDER_FIRST_DELAY`` seconds after start-up (default 60) and then every
``EVAUS_REMINDER_INTERVAL`` seconds (default 24 hours); every instance has the task, and
``single_runner`` (an advisory lock on PostgreSQL) lets only one of them do the work at a time,
while the outbox's dedup keys make a later run by another instance send nothing twice.
``EVAUS_REMINDERS=off`` switches it off (cron can run ``evaus reminders run`` instead).

Between the passes, the queued e-mails (notices of a submitted, returned or approved period,
@mentions) are sent every ``EVAUS_MAIL_INTERVAL`` seconds (default 60) by every instance with
mail set up: the outbox lends each message to one sender at a time, so no message goes twice.

Each pass logs one line (``reminders: …``, with "another instance was running them" when it
found the lock taken) to the server's output.
"""

from __future__ import annotations

import asyncio
import logging

from ..db import Database
from ..i18n import today_in_helsinki
from ..settings import get_settings

log = logging.getLogger(__name__)

_tasks: set[asyncio.Task[None]] = set()  # kept referenced while they run


def reminders_enabled() -> bool:
    return get_settings().reminders.strip().lower() not in {"off", "0", "false", "no"}


def _show_log() -> None:
    """The pass's lines in the server's output: uvicorn configures only its own loggers, and
    without a handler Python shows nothing below a warning. Left alone where logging is set up."""
    if logging.getLogger().handlers or log.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
    log.addHandler(handler)
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)


def _run_once(database: Database) -> None:
    from ..services.access import local_admin
    from ..services.reminders import ACTOR, run_reminders

    report = run_reminders(database, today_in_helsinki(), actor=local_admin(ACTOR))
    log.info(
        "reminders: %d queued, %d notices, %d sent, %d retried, %d failed%s",
        report.queued,
        report.notices,
        report.sent,
        report.retried,
        report.failed,
        " (another instance was running them)" if report.busy else "",
    )


async def _daily(database: Database, first_delay: float, interval: float) -> None:
    await asyncio.sleep(first_delay)
    while True:
        try:
            await asyncio.to_thread(_run_once, database)
        except Exception:  # a failed pass must not stop the next day's
            log.exception("the reminder pass failed")
        await asyncio.sleep(interval)


def _deliver_once(database: Database) -> None:
    from ..mail.delivery import deliver_pending

    report = deliver_pending(database)
    if report.sent or report.retried or report.failed:
        log.info("mail: %d sent, %d retried, %d failed", report.sent, report.retried, report.failed)


async def _deliver(database: Database, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await asyncio.to_thread(_deliver_once, database)
        except Exception:  # a failed delivery must not stop the next one
            log.exception("the mail delivery failed")


def _keep(task: asyncio.Task[None]) -> asyncio.Task[None]:
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return task


def start_mail_delivery(
    database: Database, *, interval: float | None = None
) -> asyncio.Task[None] | None:
    """Send the queued e-mails every ``EVAUS_MAIL_INTERVAL`` seconds (None without mail)."""
    from ..mail.settings import mail_enabled

    if not mail_enabled():
        return None
    interval = get_settings().mail_interval if interval is None else interval
    return _keep(asyncio.get_running_loop().create_task(_deliver(database, interval)))


def start_daily_reminders(
    database: Database, *, first_delay: float | None = None, interval: float | None = None
) -> asyncio.Task[None] | None:
    """Start the daily pass on the running event loop (None when switched off). The delays
    default to ``EVAUS_REMINDER_FIRST_DELAY`` and ``EVAUS_REMINDER_INTERVAL``."""
    _show_log()
    if not reminders_enabled():
        log.info("reminders: switched off (EVAUS_REMINDERS=off)")
        return None
    settings = get_settings()
    first_delay = settings.reminder_first_delay if first_delay is None else first_delay
    interval = settings.reminder_interval if interval is None else interval
    log.info("reminders: the first pass in %g s, then every %g s", first_delay, interval)
    return _keep(asyncio.get_running_loop().create_task(_daily(database, first_delay, interval)))
