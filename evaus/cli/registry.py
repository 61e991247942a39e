"""The registry's commands: the database, imports and exports, backups, search, the server."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from sqlalchemy.orm import Session

from project_db.errors import ValidationFailed

from ..i18n import eur, format_message, pvm
from ..services.startup import open_registry
from ..settings import get_settings
from .common import (
    ACTION_LABELS,
    CommandError,
    _,
    _cli_admin,
    _lang,
    _print_table,
    _read_input,
    _say,
    _session,
    _write,
)


def cmd_db_upgrade(args: argparse.Namespace) -> None:
    from project_db.migrate import current_revision

    database = open_registry()
    _say("Database is at revision {revision}.", revision=current_revision(database.engine))


def cmd_demo(args: argparse.Namespace) -> None:
    from ..demo import load_demo

    with _session() as session:
        reports = load_demo(session)
    for report in reports:
        for item in report.projects:
            _say("{action}: {name}", action=_(ACTION_LABELS[item.action]), name=item.name)


def cmd_import(args: argparse.Namespace) -> None:
    from ..services.registry_io import describe_omitted, import_source

    # A failure is told on one line; its details go to the log, not onto the terminal.
    logging.getLogger("evaus").addHandler(logging.NullHandler())
    data, filename = _read_input(args.path)
    with _session() as session:
        report = import_source(
            session,
            data,
            filename=filename,
            format_name=args.format,
            dry_run=args.dry_run,
            remove_missing=args.remove_missing,
            actor=_cli_admin(),
        )
    if report.dry_run:
        _say("Dry run: nothing was saved.")
    _say("Format: {format}", format=report.format)
    for item in report.projects:
        _say("{action}: {name}", action=_(ACTION_LABELS[item.action]), name=item.name)
        for warning in item.warnings:
            print(
                "  "
                + _("Warning")
                + ": "
                + format_message(warning.message, _lang(), **warning.params)
            )
        if item.kept:
            kept = describe_omitted(item.kept, _lang())
            message = "Kept: {items} – the source did not mention them."
            print("  " + format_message(message, _lang(), items=kept))
        if item.removed:
            removed = describe_omitted(item.removed, _lang())
            message = "Would be removed: {items}" if report.dry_run else "Removed: {items}"
            print("  " + format_message(message, _lang(), items=removed))
    counts = report.counts
    _say("Created {created}, updated {updated}, unchanged {unchanged}.", **counts)


def cmd_export(args: argparse.Namespace) -> None:
    from ..services.registry_io import EXPORTERS

    if args.format != "json" and not args.output:
        raise CommandError(_("CSV and XLSX exports need an output file: -o FILE."))
    with _session() as session:
        data = EXPORTERS[args.format](session, actor=_cli_admin())
    if args.output:
        _write(args.output, data)
    else:
        sys.stdout.buffer.write(data)


def cmd_backup(args: argparse.Namespace) -> None:
    from project_db.backup import create_backup

    data = create_backup(open_registry().engine, get_settings().attachments_dir)
    _write(args.file, data)


def cmd_restore(args: argparse.Namespace) -> None:
    from project_db.backup import restore_backup

    data, _name = _read_input(args.file)
    counts = restore_backup(open_registry().engine, data, get_settings().attachments_dir)
    _say("Restored {rows} rows.", rows=sum(counts.values()))


def cmd_formats(args: argparse.Namespace) -> None:
    from project_db.importers import available_formats

    for name, importer in sorted(available_formats().items()):
        print(f"{name:18} {_(importer.label)}")


def cmd_dev_generate(args: argparse.Namespace) -> None:
    from ..services.generated import generate_projects

    def progress(done: int, total: int) -> None:
        _say("{done}/{total} projects", done=done, total=total)

    with _session("generator") as session:
        generate_projects(
            session,
            args.projects,
            args.seed,
            actor=_cli_admin(),
            batch=args.batch,
            progress=progress,
        )
        if args.accounts:
            _generate_accounts(session)


def _generate_accounts(session: Session) -> None:
    """The accounts to try the reporting cycle with; the password as ``user add`` takes it."""
    from ..services.generated import generate_accounts
    from .accounts import _read_password

    made = generate_accounts(session, password=_read_password, actor=_cli_admin(), language=_lang())
    if not made:
        _say("No generated projects: no accounts were made.")
        return
    _say("Accounts to try the reporting cycle with (passwords are not shown):")
    rows = [
        [
            a.username,
            a.role,
            a.email or "–",
            a.name,
            str(a.projects) if a.role == "manager" else "–",
            _("Created") if a.created else _("Unchanged"),
        ]
        for a in made
    ]
    headers = [_("User"), _("Role"), _("E-mail"), _("Name"), _("Projects"), _("State")]
    _print_table(headers, rows)


# The list's filters that name codes of a code list (given as a code or a name).
SEARCH_CODE_FILTERS = {
    "status": "status",
    "funder": "funder",
    "portfolio": "portfolio",
    "project_type": "project_type",
    "region": "region",
}


def _search_query(session: Any, args: argparse.Namespace) -> Any:
    from pydantic import ValidationError

    from project_db.schemas import problems_from_validation_error

    from ..services.projects import ProjectQuery, resolve_codes

    values: dict[str, Any] = {
        "text": " ".join(args.query),
        "theme": args.theme or [],
        "active_from": args.active_from,
        "active_to": args.active_to,
        "sort": args.sort,
        "descending": args.descending,
        "page": args.page,
        "page_size": args.page_size,
    }
    try:
        for name, list_name in SEARCH_CODE_FILTERS.items():
            values[name] = resolve_codes(
                session, list_name, getattr(args, name) or [], actor=_cli_admin()
            )
        return ProjectQuery.model_validate(values)
    except ValidationFailed as exc:
        problems = exc.problems
    except ValidationError as exc:
        problems = problems_from_validation_error(exc)
    # Each problem names the option it is about (--status, --page …).
    option = {"project_type": "type", "text": "query", "descending": "desc"}
    raise CommandError(
        "; ".join(
            "--"
            + option.get(p.field, p.field).replace("_", "-")
            + ": "
            + format_message(p.message, _lang(), **p.params)
            for p in problems
        )
    )


def cmd_search(args: argparse.Namespace) -> None:
    from ..services.codelists import labels as code_labels
    from ..services.projects import list_projects

    with _session() as session:
        result = list_projects(session, _search_query(session, args), actor=_cli_admin())
        statuses = code_labels(session, "status", _lang(), actor=_cli_admin())
    if args.json:
        print(result.model_dump_json(indent=2))
        return
    last = max(1, -(-result.total // result.page_size))
    _say(
        "Projects found: {total}, page {page} of {last}.",
        total=result.total,
        page=result.page,
        last=last,
    )
    if not result.items:
        return
    headers = ["ID", _("Status"), _("Start date"), _("End date"), _("Budget"), _("Name")]
    rows = [
        [
            str(p.id),
            statuses.get(p.status, p.status) if p.status else "–",
            pvm(p.start_date, _lang()) or "–",
            pvm(p.end_date, _lang()) or "–",
            eur(p.budget_amount, _lang()) or "–",
            p.name,
        ]
        for p in result.items
    ]
    _print_table(headers, rows)


def cmd_serve(args: argparse.Namespace) -> None:
    import gc

    settings = get_settings()
    if args.native:
        from ..ui.app import native_available

        if not native_available():
            raise CommandError(_("The desktop app needs an extra: pip install 'evaus[native]'"))
    port = args.port
    if port is None and (not args.native or "port" in settings.model_fields_set):
        port = settings.port  # else None: the window finds its server on any free port
    # Loading the web application makes a few hundred thousand objects that live as long as the
    # server; the cyclic collector walking them over and over while they load costs a few tenths
    # of a second of the start. startup() freezes them and turns the collector back on.
    gc.disable()
    from ..ui.app import serve

    serve(host=args.host or settings.host, port=port, native=args.native)
