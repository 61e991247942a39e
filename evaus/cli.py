"""The ``evaus`` command. Messages in Finnish by default; EVAUS_LANG=sv|en switches."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from project_db.errors import (
    N_,
    ConflictError,
    ImportFailed,
    NotFound,
    RegistryError,
    ValidationFailed,
)

from .i18n import _ as translate
from .i18n import describe_problem, eur, format_message, local_time, normalise_language, pvm
from .i18n import moment as format_moment
from .services.access import Actor, local_admin
from .services.startup import open_registry
from .settings import get_settings

CLI_ACTOR = "cli"

# What an import did to a project, as the command reports it.
ACTION_LABELS = {"created": N_("Created"), "updated": N_("Updated"), "unchanged": N_("Unchanged")}


class CommandError(Exception):
    """A failure with a one-line reason for the user (already translated)."""


def _lang() -> str:
    return normalise_language(get_settings().lang)


def _(message: str) -> str:
    return translate(message, _lang())


def _say(message: str, **params: object) -> None:
    print(format_message(message, _lang(), **params))


# --- commands -----------------------------------------------------------------------------


def cmd_db_upgrade(args: argparse.Namespace) -> None:
    from project_db.migrate import current_revision

    database = open_registry()
    _say("Database is at revision {revision}.", revision=current_revision(database.engine))


def cmd_demo(args: argparse.Namespace) -> None:
    from .demo import load_demo

    database = open_registry()
    with database.session(CLI_ACTOR) as session:
        reports = load_demo(session)
    for report in reports:
        for item in report.projects:
            _say("{action}: {name}", action=_(ACTION_LABELS[item.action]), name=item.name)


def _read_input(path: str) -> tuple[bytes, str | None]:
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


def cmd_import(args: argparse.Namespace) -> None:
    from .services.registry_io import describe_omitted, import_source

    # A failure is told on one line; its details go to the log, not onto the terminal.
    logging.getLogger("evaus").addHandler(logging.NullHandler())
    data, filename = _read_input(args.path)
    database = open_registry()
    with database.session(CLI_ACTOR) as session:
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
    from .services.registry_io import EXPORTERS

    if args.format != "json" and not args.output:
        raise CommandError(_("CSV and XLSX exports need an output file: -o FILE."))
    database = open_registry()
    with database.session(CLI_ACTOR) as session:
        data = EXPORTERS[args.format](session, actor=_cli_admin())
    if args.output:
        Path(args.output).write_bytes(data)
        _say("Wrote {path} ({size} bytes).", path=args.output, size=len(data))
    else:
        sys.stdout.buffer.write(data)


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(_("Password: "))
        second = getpass.getpass(_("Password again: "))
        if first != second:
            raise CommandError(_("The passwords do not match."))
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_user_add(args: argparse.Namespace) -> None:
    from .services.users import create_user

    password = _read_password()
    database = open_registry()
    with database.session(CLI_ACTOR) as session:
        user = create_user(
            session,
            args.name,
            role=args.role,
            password=password,
            display_name=args.display_name or "",
            language=_lang(),
            actor=_cli_admin(),
        )
    _say("User {name} ({role}) was created.", name=user.username, role=user.role)


def cmd_backup(args: argparse.Namespace) -> None:
    from project_db.backup import create_backup

    database = open_registry()
    data = create_backup(database.engine, get_settings().attachments_dir)
    Path(args.file).write_bytes(data)
    _say("Wrote {path} ({size} bytes).", path=args.file, size=len(data))


def cmd_restore(args: argparse.Namespace) -> None:
    from project_db.backup import restore_backup

    data, _name = _read_input(args.file)
    database = open_registry()
    counts = restore_backup(database.engine, data, get_settings().attachments_dir)
    _say("Restored {rows} rows.", rows=sum(counts.values()))


def cmd_formats(args: argparse.Namespace) -> None:
    from project_db.importers import available_formats

    for name, importer in sorted(available_formats().items()):
        print(f"{name:18} {_(importer.label)}")


def cmd_framework_install(args: argparse.Namespace) -> None:
    from .services.assessment_frameworks import install_framework

    data, _name = _read_input(args.file)
    database = open_registry()
    with database.session(CLI_ACTOR) as session:
        info = install_framework(session, data, actor=_cli_admin())
    _say(
        "Framework {id} version {version} is installed.", id=info.framework_id, version=info.version
    )


def cmd_framework_list(args: argparse.Namespace) -> None:
    from .services.assessment_frameworks import list_frameworks

    database = open_registry()
    with database.session(CLI_ACTOR) as session:
        frameworks = list_frameworks(session, actor=_cli_admin())
    for info in frameworks:
        name = getattr(info, f"name_{_lang()}") or info.name_fi
        print(f"{info.framework_id:16} {info.version:>4}  {name}")


def _warn(text: str) -> None:
    print(_("Warning") + ": " + text, file=sys.stderr)


def cmd_report(args: argparse.Namespace) -> None:
    from .reports.pdf import convert_to_pdf, soffice_path
    from .services import reports

    if not args.output:
        raise CommandError(_("Reports need an output file: -o FILE."))
    if args.all == bool(args.project or args.assessment):
        raise CommandError(_("Give either a project or --all."))
    lang = normalise_language(args.lang)
    database = open_registry()
    output = Path(args.output)
    with database.session(CLI_ACTOR) as session:
        if args.all:
            statuses = reports.status_codes(session, args.status or [], actor=_cli_admin())
            ids = reports.select_projects(session, status=statuses or None, actor=_cli_admin())

            def progress(done: int, total: int, name: str) -> None:
                print(f"\r{done}/{total} {name[:60]:60}", end="", file=sys.stderr, flush=True)

            result = reports.render_batch(
                session,
                args.kind,
                ids,
                period=args.period,
                year=args.year,
                lang=lang,
                actor=_cli_admin(),
                progress=progress,
            )
            print(file=sys.stderr)
            for line in result.failed:
                _warn(line)
            for line in result.skipped:
                print(_("Skipped") + ": " + line, file=sys.stderr)
            output.write_bytes(result.content)
            _say("Wrote {path} ({size} bytes).", path=args.output, size=len(result.content))
            return
        project_id = (
            reports.find_report_project(session, args.project, actor=_cli_admin())
            if args.project
            else None
        )
        for line in reports.report_warnings(
            session,
            project_id,
            args.kind,
            period=args.period,
            year=args.year,
            lang=_lang(),
            assessment=args.assessment,
            version=args.assessment_version,
            actor=_cli_admin(),
        ):
            _warn(line)
        generated = reports.generate_report(
            session,
            project_id,
            args.kind,
            period=args.period,
            year=args.year,
            lang=lang,
            actor=_cli_admin(),
            assessment=args.assessment,
            version=args.assessment_version,
        )
    output.write_bytes(generated.content)
    _say("Wrote {path} ({size} bytes).", path=args.output, size=len(generated.content))
    if args.pdf:
        if soffice_path() is None:
            _warn(_("LibreOffice (soffice) is not installed: the PDF cannot be made."))
            return
        pdf = convert_to_pdf(generated.content, output.stem)
        target = output.with_suffix(".pdf")
        target.write_bytes(pdf)
        _say("Wrote {path} ({size} bytes).", path=str(target), size=len(pdf))


def cmd_template_upload(args: argparse.Namespace) -> None:
    from .services import reports

    data, filename = _read_input(args.file)
    database = open_registry()
    with database.session(CLI_ACTOR) as session:
        version = reports.upload_template(
            session,
            args.kind,
            args.lang,
            data,
            filename=filename or "",
            note=args.note or "",
            actor=_cli_admin(),
        )
    _say(
        "Template {kind} ({lang}) version {sha} is now in use.",
        kind=version.kind,
        lang=version.lang,
        sha=version.sha256[:12],
    )


def cmd_template_list(args: argparse.Namespace) -> None:
    from .reports import kinds
    from .reports.templating import shipped_languages
    from .services import reports

    database = open_registry()
    with database.session(CLI_ACTOR) as session:
        for kind in (k.name for k in kinds.all_kinds()):
            for lang in shipped_languages(kind):
                for v in reports.template_history(session, kind, lang, actor=_cli_admin()):
                    mark = "*" if v.active else " "
                    when = pvm(local_time(v.uploaded_at).date(), _lang()) if v.uploaded_at else ""
                    origin = _("shipped") if v.shipped else v.uploaded_by
                    print(f"{mark} {kind:11} {lang} {v.sha256[:12]} {when:10} {origin} {v.note}")


def cmd_dev_generate(args: argparse.Namespace) -> None:
    from .services.generated import generate_projects

    database = open_registry()

    def progress(done: int, total: int) -> None:
        _say("{done}/{total} projects", done=done, total=total)

    with database.session("generator") as session:
        generate_projects(
            session,
            args.projects,
            args.seed,
            actor=_cli_admin(),
            batch=args.batch,
            progress=progress,
        )


def _cli_admin() -> Actor:
    """Whoever runs the command on the server can read the database anyway: an administrator."""
    return local_admin(CLI_ACTOR, _lang())


def cmd_person_export(args: argparse.Namespace) -> None:
    import json

    from .services import personal_data

    database = open_registry()
    with database.session(CLI_ACTOR) as session:
        person = personal_data.find_person(session, args.person, actor=_cli_admin())
        report = personal_data.person_report(session, person.id, actor=_cli_admin())
    data = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    Path(args.output).write_bytes(data)
    _say("Wrote {path} ({size} bytes).", path=args.output, size=len(data))


def cmd_person_erase(args: argparse.Namespace) -> None:
    from .services import personal_data

    mode = "delete" if args.delete else "pseudonymise"
    database = open_registry()
    with database.session(CLI_ACTOR) as session:
        person = personal_data.find_person(session, args.person, actor=_cli_admin())
        person_id = person.id
        counts = personal_data.erase_person(session, person_id, mode=mode, actor=_cli_admin())
    if args.delete:
        _say("Person {id} was deleted.", id=person_id)
    else:
        _say("Person {id} was pseudonymised.", id=person_id)
    _say(
        "Changed: {projects} projects, {entries} audit entries, {users} users.",
        projects=counts["projects"],
        entries=counts["audit_entries"],
        users=counts["users"],
    )


def _local_time(moment: datetime | None) -> str:
    """1.11.2020 klo 14.05 in Finnish time (stored in UTC); – when there is none."""
    return "–" if moment is None else format_moment(moment, _lang())


def _print_table(headers: list[str], rows: list[list[str]]) -> None:
    """Columns as wide as their widest cell (the last one left ragged)."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    for line in [headers, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(line[:-1], widths, strict=False)]
        print("  ".join([*cells, line[-1]]).rstrip())


def cmd_token_create(args: argparse.Namespace) -> None:
    from .services.tokens import create_token_for

    database = open_registry()
    with database.session(CLI_ACTOR) as session:
        row, token = create_token_for(session, args.username, args.name or "", actor=_cli_admin())
        token_id, username = row.id, row.user.username
    # The explanation to standard error: TOKEN=$(evaus token create anna) gets the token only.
    print(
        format_message(
            "API token {id} for {user} was created. Copy the token now: it is not shown again.",
            _lang(),
            id=token_id,
            user=username,
        ),
        file=sys.stderr,
    )
    print(token)


def cmd_token_list(args: argparse.Namespace) -> None:
    from .services.tokens import list_tokens

    database = open_registry()
    with database.session(CLI_ACTOR) as session:
        rows = [
            [
                str(t.id),
                t.user.username,
                t.name,
                _local_time(t.created_at),
                _local_time(t.last_used_at),
                _("Revoked") if t.revoked else _("Valid"),
            ]
            for t in list_tokens(session, actor=_cli_admin())
        ]
    if not rows:
        _say("No API tokens.")
        return
    headers = ["ID", _("User"), _("Name"), _("Created"), _("Last used"), _("State")]
    _print_table(headers, rows)


def cmd_token_revoke(args: argparse.Namespace) -> None:
    from .services.tokens import revoke_token

    database = open_registry()
    with database.session(CLI_ACTOR) as session:
        revoke_token(session, args.id, actor=_cli_admin())
    _say("API token {id} was revoked.", id=args.id)


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

    from .services.projects import ProjectQuery, resolve_codes

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
    from .services.codelists import labels as code_labels
    from .services.projects import list_projects

    database = open_registry()
    with database.session(CLI_ACTOR) as session:
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
        from .ui.app import native_available

        if not native_available():
            raise CommandError(_("The desktop app needs an extra: pip install 'evaus[native]'"))
    port = args.port
    if port is None and (not args.native or "port" in settings.model_fields_set):
        port = settings.port  # else None: the window finds its server on any free port
    # Loading the web application makes a few hundred thousand objects that live as long as the
    # server; the cyclic collector walking them over and over while they load costs a few tenths
    # of a second of the start. startup() freezes them and turns the collector back on.
    gc.disable()
    from .ui.app import serve

    serve(host=args.host, port=port, native=args.native)


# --- the parser -----------------------------------------------------------------------------


def _date_argument(value: str) -> date:
    from project_db.validators import parse_date

    try:
        return parse_date(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            format_message("is not a valid date: {value}", _lang(), value=value)
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evaus",
        description=_("EVAUS: impact assessment, project registry and funder reports."),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar=_("COMMAND"))

    def add(
        name: str,
        help_text: str,
        handler: Callable[[argparse.Namespace], None],
        parent: argparse._SubParsersAction[argparse.ArgumentParser] = commands,
    ) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    db = commands.add_parser("db", help=_("Database maintenance."))
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar=_("COMMAND"))
    add(
        "upgrade",
        _("Upgrade the database schema to the newest revision."),
        cmd_db_upgrade,
        db_commands,
    )

    add("demo", _("Load the demo projects (safe to run again)."), cmd_demo)

    sub = add(
        "import", _("Import projects from a file (format detected automatically)."), cmd_import
    )
    sub.add_argument("path", help=_("the file to import, or - for standard input"))
    sub.add_argument("--format", choices=None, help=_("the format, when it should not be detected"))
    sub.add_argument(
        "--dry-run", action="store_true", help=_("show what would change, save nothing")
    )
    sub.add_argument(
        "--remove-missing",
        action="store_true",
        help=_("remove from updated projects what the file does not mention"),
    )

    sub = add("export", _("Export the registry."), cmd_export)
    sub.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
    sub.add_argument(
        "-o", "--output", help=_("the file to write (JSON goes to standard output without it)")
    )

    user = commands.add_parser("user", help=_("User accounts."))
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar=_("COMMAND"))
    sub = add(
        "add",
        _("Create a user; the password is asked twice, or read from standard input."),
        cmd_user_add,
        user_commands,
    )
    sub.add_argument("name", help=_("the user name"))
    sub.add_argument("--role", choices=["admin", "manager", "viewer"], required=True)
    sub.add_argument("--display-name", help=_("the name shown in the application"))

    sub = add("backup", _("Write a full backup (database and attachments) to a file."), cmd_backup)
    sub.add_argument("file")
    sub = add("restore", _("Replace the database content with a backup."), cmd_restore)
    sub.add_argument("file")

    add("formats", _("List the import formats."), cmd_formats)

    framework = commands.add_parser("framework", help=_("Impact assessment frameworks."))
    framework_commands = framework.add_subparsers(
        dest="framework_command", required=True, metavar=_("COMMAND")
    )
    sub = add(
        "install",
        _("Load a framework file; assessments made with older versions keep working."),
        cmd_framework_install,
        framework_commands,
    )
    sub.add_argument("file", help=_("the framework file (JSON)"))
    add("list", _("List the installed frameworks."), cmd_framework_list, framework_commands)

    from .reports.kinds import names as report_kinds

    sub = add(
        "report",
        _("Make a funder report (DOCX) of a project, or of many projects into a ZIP."),
        cmd_report,
    )
    sub.add_argument(
        "project", nargs="?", help=_("the project: id, EURA code or a unique part of its name")
    )
    sub.add_argument("--kind", choices=report_kinds(), required=True)
    sub.add_argument("--period", type=int, help=_("the reporting period (ESR monitoring report)"))
    sub.add_argument("--year", type=int, help=_("the year (STEA results report)"))
    sub.add_argument(
        "--assessment",
        type=int,
        help=_("the assessment's id (EVAUS report; default: the project's decided version)"),
    )
    sub.add_argument(
        "--version",
        type=int,
        dest="assessment_version",
        metavar="N",
        help=_("the version of the assessment (EVAUS report; default: the decided version)"),
    )
    sub.add_argument("--lang", choices=["fi", "sv"], default="fi")
    sub.add_argument("-o", "--output", help=_("the file to write (.docx, or .zip with --all)"))
    sub.add_argument("--pdf", action="store_true", help=_("also write a PDF (needs LibreOffice)"))
    sub.add_argument("--all", action="store_true", help=_("every project (or --status) in a ZIP"))
    sub.add_argument(
        "--status",
        action="append",
        help=_("with --all: only projects in this status (its code or its name)"),
    )

    template = commands.add_parser("template", help=_("Report templates."))
    template_commands = template.add_subparsers(
        dest="template_command", required=True, metavar=_("COMMAND")
    )
    sub = add(
        "upload",
        _("Check a report template and take it into use."),
        cmd_template_upload,
        template_commands,
    )
    sub.add_argument("file", help=_("the template (.docx)"))
    sub.add_argument("--kind", choices=report_kinds(), required=True)
    sub.add_argument("--lang", choices=["fi", "sv"], default="fi")
    sub.add_argument("--note", help=_("what changed"))
    add("list", _("List the template versions (* = in use)."), cmd_template_list, template_commands)

    dev = commands.add_parser("dev", help=_("Developer tools."))
    dev_commands = dev.add_subparsers(dest="dev_command", required=True, metavar=_("COMMAND"))
    sub = add(
        "generate",
        _("Add generated, realistic projects (the same seed gives the same data)."),
        cmd_dev_generate,
        dev_commands,
    )
    sub.add_argument("--projects", type=int, required=True, help=_("how many projects"))
    sub.add_argument("--seed", type=int, default=1)
    sub.add_argument("--batch", type=int, default=1000, help=_("projects per commit"))

    person = commands.add_parser("person", help=_("Personal data (GDPR)."))
    person_commands = person.add_subparsers(
        dest="person_command", required=True, metavar=_("COMMAND")
    )
    sub = add(
        "export",
        _("Write everything stored about a person to a JSON file."),
        cmd_person_export,
        person_commands,
    )
    sub.add_argument("person", help=_("the person's e-mail address or id"))
    sub.add_argument("-o", "--output", required=True, help=_("the file to write (.json)"))
    sub = add(
        "erase",
        _("Pseudonymise a person (or delete them with --delete), also in the audit log."),
        cmd_person_erase,
        person_commands,
    )
    sub.add_argument("person", help=_("the person's e-mail address or id"))
    sub.add_argument(
        "--delete", action="store_true", help=_("delete the person and their project roles")
    )

    token = commands.add_parser("token", help=_("Personal API tokens."))
    token_commands = token.add_subparsers(dest="token_command", required=True, metavar=_("COMMAND"))
    sub = add(
        "create",
        _("Create an API token for a user and print it (it is shown only once)."),
        cmd_token_create,
        token_commands,
    )
    sub.add_argument("username", help=_("the user name"))
    sub.add_argument("--name", help=_("what the token is for, e.g. reporting"))
    add(
        "list",
        _("List the API tokens (never the tokens themselves)."),
        cmd_token_list,
        token_commands,
    )
    sub = add(
        "revoke",
        _("Revoke an API token: programs using it stop working."),
        cmd_token_revoke,
        token_commands,
    )
    sub.add_argument("id", type=int, help=_("the token's ID (evaus token list)"))

    sub = add(
        "search",
        _("Search and filter the projects like the project list; prints a table or JSON."),
        cmd_search,
    )
    sub.add_argument("query", nargs="*", help=_("words to search for (all must match)"))
    code_help = _("only projects with this value (its code or its name); may be repeated")
    sub.add_argument("--status", action="append", help=code_help)
    sub.add_argument("--funder", action="append", help=code_help)
    sub.add_argument("--portfolio", action="append", help=code_help)
    sub.add_argument("--type", dest="project_type", action="append", help=code_help)
    sub.add_argument("--region", action="append", help=code_help)
    sub.add_argument("--theme", action="append", help=_("only projects with this theme"))
    sub.add_argument(
        "--active-from", type=_date_argument, help=_("running on or after this date (1.1.2020)")
    )
    sub.add_argument(
        "--active-to", type=_date_argument, help=_("running on or before this date (31.12.2020)")
    )
    sub.add_argument(
        "--sort",
        choices=[
            "relevance",
            "name",
            "start_date",
            "end_date",
            "updated_at",
            "budget_amount",
            "status",
        ],
    )
    sub.add_argument("--desc", dest="descending", action="store_true", help=_("reverse order"))
    sub.add_argument("--page", type=int, default=1)
    sub.add_argument("--page-size", type=int, default=50, help=_("rows per page (at most 500)"))
    sub.add_argument("--json", action="store_true", help=_("print the page as JSON"))

    sub = add("serve", _("Start the web application."), cmd_serve)
    settings = get_settings()
    sub.add_argument("--host", default=settings.host)
    sub.add_argument("--port", type=int)  # default EVAUS_PORT, else 8080 (native: a free one)
    sub.add_argument(
        "--native", action="store_true", help=_("open in a desktop window (needs pywebview)")
    )
    return parser


def _error_line(exc: BaseException) -> str:
    # Imported here, not at the top: `evaus serve` starts without the report and import code.
    from .assessment.framework import FrameworkInvalid
    from .reports.errors import ReportFailed, TemplateRejected

    lang = _lang()
    if isinstance(exc, CommandError):
        return str(exc)
    if isinstance(exc, ValidationFailed):
        details = "; ".join(describe_problem(p, lang) for p in exc.problems[:20])
        more = len(exc.problems) - 20
        suffix = format_message(" (and {count} more)", lang, count=more) if more > 0 else ""
        return format_message("The data was not saved: {details}", lang, details=details) + suffix
    if isinstance(exc, ImportFailed | ReportFailed):
        return format_message(exc.message, lang, **exc.params)
    if isinstance(exc, TemplateRejected):
        details = "; ".join(
            format_message(p.where, lang, **p.where_params)
            + ": "
            + format_message(p.message, lang, **p.params)
            for p in exc.problems[:20]
        )
        return format_message("The template was not accepted: {details}", lang, details=details)
    if isinstance(exc, FrameworkInvalid):
        details = "; ".join(describe_problem(p.as_problem(), lang) for p in exc.problems[:20])
        return format_message("The framework file was refused: {details}", lang, details=details)
    if isinstance(exc, NotFound):
        return format_message("Not found: {what}", lang, what=exc.ident)
    if isinstance(exc, ConflictError):
        return _("Someone else changed the data meanwhile; nothing was saved.")
    return str(exc)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.handler(args)
    except (RegistryError, CommandError) as exc:
        print(_("Error") + ": " + _error_line(exc).replace("\n", " "), file=sys.stderr)
        return 1
    except OSError as exc:
        print(_("Error") + ": " + str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
