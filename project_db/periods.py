"""Which reporting period a date falls in, for the reports and the front page."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .schemas import PeriodIn


def current_or_latest_period(periods: Iterable[PeriodIn], today: date) -> PeriodIn | None:
    """The period the next report is about: the one running today (the latest started), else
    the latest that has ended (its report is the one still to write), else the first one to
    come; None without periods."""
    periods = list(periods)
    started = [p for p in periods if p.start_date <= today]
    if started:
        return max(started, key=lambda p: p.start_date)
    return min(periods, key=lambda p: p.start_date, default=None)


__all__ = ["current_or_latest_period"]
