"""``evaus db reindex``: build the full-text index of every project again (after installing
Voikko, after restoring a backup; the upgrade to migration 0019 does it once)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from .common import _, _cli_admin, _say, _session


def add_reindex_command(db: Callable[..., Any]) -> None:
    """``reindex`` in the ``db`` group (``db`` is the group's command maker)."""
    db(
        "reindex",
        _(
            "Rebuild the full-text search index of every project (after installing Voikko "
            "or restoring a backup)."
        ),
        cmd_reindex,
    )


def cmd_reindex(_args: argparse.Namespace) -> None:
    from ..services import search_index

    with _session() as session:
        done = search_index.reindex(session, actor=_cli_admin())
    if done.voikko:
        _say(
            "Indexed {count} projects (Finnish base forms and compound parts by Voikko).",
            count=done.projects,
        )
    else:
        _say(
            "Indexed {count} projects by word stems only: Voikko is not installed "
            "(apt-get install voikko-fi libvoikko1).",
            count=done.projects,
        )
