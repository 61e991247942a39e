"""The ``evaus`` command. Messages in Finnish by default; EVAUS_LANG=sv|en switches."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from project_db.errors import (
    N_,
    ConflictError,
    ImportFailed,
    NotFound,
    RegistryError,
    ValidationFailed,
)

from .db import open_database
from .i18n import _ as translate
from .i18n import describe_problem, format_message, normalise_language
from .services.access import Actor
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

    database = open_database()
    _say("Database is at revision {revision}.", revision=current_revision(database.engine))


def cmd_demo(args: argparse.Namespace) -> None:
    from .demo import load_demo

    database = open_database()
    with database.session(CLI_ACTOR) as session:
        reports = load_demo(session)
    for report in reports:
        for item in report.projects:
            _say("{action}: {name}", action=_(ACTION_LABELS[item.action]), name=item.name)


def _read_input(path: str) -> tuple[bytes, str | None]:
    if path == "-":
        return sys.stdin.buffer.read(), None
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
    from .services.registry_io import import_source

    data, filename = _read_input(args.path)
    database = open_database()
    with database.session(CLI_ACTOR) as session:
        report = import_source(
            session,
            data,
            filename=filename,
            format_name=args.format,
            dry_run=args.dry_run,
            actor=CLI_ACTOR,
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
    counts = report.counts
    _say("Created {created}, updated {updated}, unchanged {unchanged}.", **counts)


def cmd_export(args: argparse.Namespace) -> None:
    from .services.registry_io import EXPORTERS

    if args.format != "json" and not args.output:
        raise CommandError(_("CSV and XLSX exports need an output file: -o FILE."))
    database = open_database()
    with database.session(CLI_ACTOR) as session:
        data = EXPORTERS[args.format](session)
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
    database = open_database()
    with database.session(CLI_ACTOR) as session:
        user = create_user(
            session,
            args.name,
            role=args.role,
            password=password,
            display_name=args.display_name or "",
            language=_lang(),
            actor=CLI_ACTOR,
        )
    _say("User {name} ({role}) was created.", name=user.username, role=user.role)


def cmd_backup(args: argparse.Namespace) -> None:
    from project_db.backup import create_backup

    database = open_database()
    data = create_backup(database.engine, get_settings().attachments_dir)
    Path(args.file).write_bytes(data)
    _say("Wrote {path} ({size} bytes).", path=args.file, size=len(data))


def cmd_restore(args: argparse.Namespace) -> None:
    from project_db.backup import restore_backup

    data, _name = _read_input(args.file)
    database = open_database()
    counts = restore_backup(database.engine, data, get_settings().attachments_dir)
    _say("Restored {rows} rows.", rows=sum(counts.values()))


def cmd_formats(args: argparse.Namespace) -> None:
    from project_db.importers import available_formats

    for name, importer in sorted(available_formats().items()):
        print(f"{name:18} {_(importer.label)}")


def cmd_framework_install(args: argparse.Namespace) -> None:
    from .services.assessment_frameworks import install_framework

    data, _name = _read_input(args.file)
    database = open_database()
    with database.session(CLI_ACTOR) as session:
        info = install_framework(session, data, actor=_cli_admin())
    _say(
        "Framework {id} version {version} is installed.", id=info.framework_id, version=info.version
    )


def cmd_framework_list(args: argparse.Namespace) -> None:
    from .services.assessment_frameworks import list_frameworks

    database = open_database()
    with database.session(CLI_ACTOR) as session:
        frameworks = list_frameworks(session)
    for info in frameworks:
        name = getattr(info, f"name_{_lang()}") or info.name_fi
        print(f"{info.framework_id:16} {info.version:>4}  {name}")


def _warn(text: str) -> None:
    print(_("Warning") + ": " + text, file=sys.stderr)


def cmd_report(args: argparse.Namespace) -> None:
    from .reports.pdf import convert_to_pdf, soffice_path
    from .services import reports
    from .services.projects import find_project

    if not args.output:
        raise CommandError(_("Reports need an output file: -o FILE."))
    if args.all == bool(args.project or args.assessment):
        raise CommandError(_("Give either a project or --all."))
    lang = normalise_language(args.lang)
    database = open_database()
    output = Path(args.output)
    with database.session(CLI_ACTOR) as session:
        if args.all:
            ids = reports.select_projects(session, status=args.status or None)

            def progress(done: int, total: int, name: str) -> None:
                print(f"\r{done}/{total} {name[:60]:60}", end="", file=sys.stderr, flush=True)

            result = reports.render_batch(
                session,
                args.kind,
                ids,
                period=args.period,
                year=args.year,
                lang=lang,
                actor=CLI_ACTOR,
                progress=progress,
            )
            print(file=sys.stderr)
            session.commit()
            for line in result.failed:
                _warn(line)
            output.write_bytes(result.content)
            _say("Wrote {path} ({size} bytes).", path=args.output, size=len(result.content))
            return
        project_id = find_project(session, args.project).id if args.project else None
        for line in reports.report_warnings(
            session,
            project_id,
            args.kind,
            period=args.period,
            year=args.year,
            lang=_lang(),
            assessment=args.assessment,
        ):
            _warn(line)
        generated = reports.generate_report(
            session,
            project_id,
            args.kind,
            period=args.period,
            year=args.year,
            lang=lang,
            actor=CLI_ACTOR,
            assessment=args.assessment,
        )
        session.commit()
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
    database = open_database()
    with database.session(CLI_ACTOR) as session:
        version = reports.upload_template(
            session,
            args.kind,
            args.lang,
            data,
            filename=filename or "",
            note=args.note or "",
            actor=CLI_ACTOR,
        )
        session.commit()
    _say(
        "Template {kind} ({lang}) version {sha} is now in use.",
        kind=version.kind,
        lang=version.lang,
        sha=version.sha256[:12],
    )


def cmd_template_list(args: argparse.Namespace) -> None:
    from .reports.contexts import CONTEXT_MODELS
    from .reports.templating import shipped_languages
    from .services import reports

    database = open_database()
    with database.session(CLI_ACTOR) as session:
        for kind in CONTEXT_MODELS:
            for lang in shipped_languages(kind):
                for v in reports.template_history(session, kind, lang):
                    mark = "*" if v.active else " "
                    when = v.uploaded_at.strftime("%d.%m.%Y") if v.uploaded_at else ""
                    origin = _("shipped") if v.shipped else v.uploaded_by
                    print(f"{mark} {kind:11} {lang} {v.sha256[:12]} {when:10} {origin} {v.note}")


def cmd_dev_generate(args: argparse.Namespace) -> None:
    from sqlalchemy import func, select

    from project_db.models import Project

    from .dev.generate import generate

    database = open_database()

    def progress(done: int, total: int) -> None:
        _say("{done}/{total} projects", done=done, total=total)

    with database.session("generator") as session:
        # Numbers go on from earlier runs, so names and source keys stay unique.
        earlier = session.scalar(select(func.count()).where(Project.source_key.like("dev:%")))
        generate(
            session,
            args.projects,
            args.seed,
            first=(earlier or 0) + 1,
            batch=args.batch,
            progress=progress,
        )


def _cli_admin() -> Actor:
    """Whoever runs the command on the server can read the database anyway: an administrator."""
    return Actor(user_id=0, username=CLI_ACTOR, role="admin", person_id=None, language=_lang())


def cmd_person_export(args: argparse.Namespace) -> None:
    import json

    from .services import personal_data

    database = open_database()
    with database.session(CLI_ACTOR) as session:
        person = personal_data.find_person(session, args.person)
        report = personal_data.person_report(session, person.id, actor=_cli_admin())
    data = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    Path(args.output).write_bytes(data)
    _say("Wrote {path} ({size} bytes).", path=args.output, size=len(data))


def cmd_person_erase(args: argparse.Namespace) -> None:
    from .services import personal_data

    mode = "delete" if args.delete else "pseudonymise"
    database = open_database()
    with database.session(CLI_ACTOR) as session:
        person = personal_data.find_person(session, args.person)
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


def cmd_serve(args: argparse.Namespace) -> None:
    import gc

    # Loading the web application makes a few hundred thousand objects that live as long as the
    # server; the cyclic collector walking them over and over while they load costs a few tenths
    # of a second of the start. startup() freezes them and turns the collector back on.
    gc.disable()
    from .ui.app import serve

    serve(host=args.host, port=args.port, native=args.native)


# --- the parser -----------------------------------------------------------------------------


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

    from .reports.contexts import REPORT_KINDS

    sub = add(
        "report",
        _("Make a funder report (DOCX) of a project, or of many projects into a ZIP."),
        cmd_report,
    )
    sub.add_argument(
        "project", nargs="?", help=_("the project: id, EURA code or a unique part of its name")
    )
    sub.add_argument("--kind", choices=REPORT_KINDS, required=True)
    sub.add_argument("--period", type=int, help=_("the reporting period (ESR monitoring report)"))
    sub.add_argument("--year", type=int, help=_("the year (STEA results report)"))
    sub.add_argument(
        "--assessment",
        type=int,
        help=_("the assessment's id (EVAUS report; default: the project's latest)"),
    )
    sub.add_argument("--lang", choices=["fi", "sv"], default="fi")
    sub.add_argument("-o", "--output", help=_("the file to write (.docx, or .zip with --all)"))
    sub.add_argument("--pdf", action="store_true", help=_("also write a PDF (needs LibreOffice)"))
    sub.add_argument("--all", action="store_true", help=_("every project (or --status) in a ZIP"))
    sub.add_argument(
        "--status", action="append", help=_("with --all: only projects in this status")
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
    sub.add_argument("--kind", choices=REPORT_KINDS, required=True)
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

    sub = add("serve", _("Start the web application."), cmd_serve)
    settings = get_settings()
    sub.add_argument("--host", default=settings.host)
    sub.add_argument("--port", type=int, default=settings.port)
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
