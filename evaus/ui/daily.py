"""The daily reminder pass of ``evaus serve``: a background task, its work in a thread.

It runs a short while after start-up and then every 24 hours; every instance has the task, and
``single_runner`` (an advisory lock on PostgreSQL) lets only one of them do the work at a time,
while the outbox's dedup keys make a later run by another instance send nothing twice.
``EVAUS_REMINDERS=off`` switches it off (cron can run ``evaus reminders run`` instead).
"""

from __future__ import annotations

import asyncio
import logging

from ..db import Database
from ..i18n import today_in_helsinki
from ..settings import get_settings

log = logging.getLogger(__name__)

FIRST_DELAY = 60.0  # seconds after start-up
INTERVAL = 24 * 3600.0

_tasks: set[asyncio.Task[None]] = set()  # kept referenced while they run


def reminders_enabled() -> bool:
    return get_settings().reminders.strip().lower() not in {"off", "0", "false", "no"}


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


def start_daily_reminders(
    database: Database, *, first_delay: float = FIRST_DELAY, interval: float = INTERVAL
) -> asyncio.Task[None] | None:
    """Start the daily pass on the running event loop (None when switched off)."""
    if not reminders_enabled():
        log.info("reminders: switched off (EVAUS_REMINDERS=off)")
        return None
    task = asyncio.get_running_loop().create_task(_daily(database, first_delay, interval))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return task
