"""``evaus indicators import FILE [--dry-run]`` and ``evaus indicators list``: the indicator
catalogue from the command line (run on the server: as an administrator)."""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Callable
from typing import Any

from project_db.errors import N_

from ..i18n import field_label, format_message
from .common import ACTION_LABELS, _, _cli_admin, _lang, _print_table, _read_input, _say, _session

MEASURE_TYPE_LABELS = {"quantitative": N_("quantitative"), "qualitative": N_("qualitative")}


def add_indicator_commands(group: Callable[..., Any]) -> None:
    """The ``indicators`` command group (``group`` is ``build_parser``'s group maker)."""
    indicators = group("indicators", _("The indicator catalogue."))
    sub = indicators(
        "import",
        _(
            "Import indicator definitions from a JSON or CSV file in the shape of THL "
            "Sotkanet's indicator metadata; entries with the same source id are updated."
        ),
        cmd_indicators_import,
    )
    sub.add_argument("path", help=_("the file to import, or - for standard input"))
    sub.add_argument(
        "--dry-run", action="store_true", help=_("show what would change, save nothing")
    )
    sub = indicators("list", _("List the indicator catalogue."), cmd_indicators_list)
    sub.add_argument("search", nargs="*", help=_("words to search for (all must match)"))
    sub.add_argument("--active", action="store_true", help=_("only the entries in use"))
    sub.add_argument("--json", action="store_true", help=_("print the entries as JSON"))


def cmd_indicators_import(args: argparse.Namespace) -> None:
    from ..services.indicator_catalogue import import_catalogue

    logging.getLogger("evaus").addHandler(logging.NullHandler())
    data, filename = _read_input(args.path)
    with _session() as session:
        report = import_catalogue(
            session, data, filename=filename, dry_run=args.dry_run, actor=_cli_admin()
        )
    if report.dry_run:
        _say("Dry run: nothing was saved.")
    for entry in report.entries:
        line = format_message(
            "{action}: {name}", _lang(), action=_(ACTION_LABELS[entry.action]), name=entry.name
        )
        if entry.changed:
            line += " (" + ", ".join(field_label(name, _lang()) for name in entry.changed) + ")"
        print(f"{line}  [{entry.key}]")
    _say("Created {created}, updated {updated}, unchanged {unchanged}.", **report.counts)


def cmd_indicators_list(args: argparse.Namespace) -> None:
    from project_db.schemas import DIRECTION_LABELS

    from ..services.indicator_catalogue import list_catalogue

    lang = _lang()
    with _session() as session:
        page = list_catalogue(
            session,
            search=" ".join(args.search or []),
            active_only=args.active,
            limit=1000,
            actor=_cli_admin(),
        )
        entries = list(page.entries)
    if args.json:
        fields = [
            "key",
            "name_fi",
            "name_sv",
            "name_en",
            "unit",
            "direction",
            "definition",
            "source",
            "source_id",
            "producer",
            "measure_type",
            "active",
        ]
        found = [{name: getattr(entry, name) for name in fields} for entry in entries]
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not entries:
        _say("No indicators in the catalogue.")
        return
    headers = [_("Key"), _("Unit"), _("Direction"), _("In use"), _("Name")]
    rows = [
        [
            entry.key,
            entry.unit or "–",
            _(DIRECTION_LABELS[entry.direction]) if entry.direction else "–",
            _("Yes") if entry.active else _("No"),
            entry.name_in(lang),
        ]
        for entry in entries
    ]
    _print_table(headers, rows)
    if page.total > len(entries):
        _say("Showing {shown} of {total}.", shown=len(entries), total=page.total)
