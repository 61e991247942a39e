"""Inputs shared by every page, so that one fact is always entered the same way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from nicegui import ui

from ..i18n import today_in_helsinki
from .context import Translator


def day_text(value: date | None) -> str:
    """A date as the date input shows it: 1.11.2020 (the Finnish way, in every language)."""
    return "" if value is None else f"{value.day}.{value.month}.{value.year}"


def parse_day(text: str | None) -> date | None:
    """The date typed into a date input (1.11.2020); ``None`` when blank.

    Raises ``ValueError`` for anything that is not a real day written d.m.yyyy.
    """
    typed = (text or "").strip()
    if not typed:
        return None
    parts = typed.split(".")
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts) or len(parts[2]) != 4:
        raise ValueError(typed)
    day, month, year = (int(p) for p in parts)
    return date(year, month, day)


def today_text() -> str:
    """Today in Finland, as the date input shows it (not the server's date after midnight)."""
    return day_text(today_in_helsinki())


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def date_input(
    label: str,
    tr: Translator,
    value: str = "",
    on_change: Callable[[Any], Any] | None = None,
) -> ui.date_input:
    """A date typed as 1.11.2020 or chosen from a calendar in the user's language.

    Never the browser's own date picker, whose format follows the browser's language.
    """
    element = ui.date_input(label, value=value, on_change=on_change)
    placeholder = tr("d.m.yyyy")
    element.props(f'placeholder="{placeholder}" hide-bottom-space').classes("w-44")
    element.picker.props('mask="D.M.YYYY" first-day-of-week=1')
    calendar = tr("Choose {label} from a calendar", label=label)
    element.button.props(f'aria-label="{_attr(calendar)}"')
    return element
