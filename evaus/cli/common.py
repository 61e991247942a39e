"""What the commands share: the user's language, messages, files in and out, the session.

Light on purpose, like the parser (``evaus --help``): the database, the settings (pydantic) and
the services load in the commands that use them.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import AbstractContextManager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from project_db.errors import N_

from ..i18n import _ as translate
from ..i18n import format_message, normalise_language
from ..i18n import moment as format_moment

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ..services.access import Actor

CLI_ACTOR = "cli"

# What an import did to a project, as the command reports it.
ACTION_LABELS = {"created": N_("Created"), "updated": N_("Updated"), "unchanged": N_("Unchanged")}


class CommandError(Exception):
    """A failure with a one-line reason for the user (already translated)."""


def _lang() -> str:
    """EVAUS_LANG, read as the settings read it (any case), without loading them."""
    lang = next((v for k, v in os.environ.items() if k.lower() == "evaus_lang"), "fi")
    return normalise_language(lang)


def _(message: str) -> str:
    return translate(message, _lang())


def _say(message: str, **params: object) -> None:
    print(format_message(message, _lang(), **params))


def _warn(text: str) -> None:
    print(_("Warning") + ": " + text, file=sys.stderr)


def _cli_admin() -> Actor:
    """Whoever runs the command on the server can read the database anyway: an administrator."""
    from ..services.access import local_admin

    return local_admin(CLI_ACTOR, _lang())


def _session(actor: str = CLI_ACTOR) -> AbstractContextManager[Session]:
    """A session of the registry (opened, and migrated when needed, on the way)."""
    from ..services.startup import open_registry

    return open_registry().session(actor)


def _write(path: str | Path, data: bytes) -> None:
    """Write the file and say so."""
    Path(path).write_bytes(data)
    _say("Wrote {path} ({size} bytes).", path=str(path), size=len(data))


def _read_input(path: str) -> tuple[bytes, str | None]:
    from ..settings import get_settings

    if path == "-":  # one byte more than allowed is enough for the import to refuse it
        return sys.stdin.buffer.read(get_settings().max_import_bytes + 1), None
    file = Path(path)
    if not file.is_file():
        raise CommandError(format_message("File not found: {path}", _lang(), path=path))
    limit = get_settings().max_import_bytes
    if file.stat().st_size > limit:
        raise CommandError(
            format_message(
                "The file is too large ({size} bytes, at most {limit}).",
                _lang(),
                size=file.stat().st_size,
                limit=limit,
            )
        )
    return file.read_bytes(), file.name


def _local_time(moment: datetime | None) -> str:
    """1.11.2020 klo 14.05 in Finnish time (stored in UTC); – when there is none."""
    return "–" if moment is None else format_moment(moment, _lang())


def _print_table(headers: list[str], rows: list[list[str]]) -> None:
    """Columns as wide as their widest cell (the last one left ragged)."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    for line in [headers, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(line[:-1], widths, strict=False)]
        print("  ".join([*cells, line[-1]]).rstrip())


def _date_argument(value: str) -> date:
    from project_db.validators import parse_date

    try:
        return parse_date(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            format_message("is not a valid date: {value}", _lang(), value=value)
        ) from None
