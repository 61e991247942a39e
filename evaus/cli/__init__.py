"""The ``evaus`` command. Messages in Finnish by default; EVAUS_LANG=sv|en switches.

The commands are grouped by use: ``registry`` (the database, imports, exports, search, the
server), ``accounts`` (users, personal data, API tokens) and ``reports`` (frameworks, funder
reports, templates); this module builds the parser and runs them.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
from collections.abc import Callable, Sequence

from project_db.errors import (
    ConflictError,
    ImportFailed,
    NotFound,
    RegistryError,
    ValidationFailed,
)

from ..i18n import describe_problem, format_message
from .common import CommandError, _, _date_argument, _lang
from .indicators import add_indicator_commands
from .portfolio import add_portfolio_report
from .publish import add_publish_command
from .search import add_reindex_command

__all__ = ["CommandError", "build_parser", "main"]

Handler = Callable[[argparse.Namespace], None]


def _lazy(module: str, name: str) -> Handler:
    """The handler ``name`` of the command module ``module``, imported when the command runs:
    building the parser (and ``evaus --help``) loads neither the database nor the services."""

    def run(args: argparse.Namespace) -> None:
        handler: Handler = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        handler(args)

    run.__name__ = run.__qualname__ = name
    return run


cmd_person_erase = _lazy("accounts", "cmd_person_erase")
cmd_person_export = _lazy("accounts", "cmd_person_export")
cmd_token_create = _lazy("accounts", "cmd_token_create")
cmd_token_list = _lazy("accounts", "cmd_token_list")
cmd_token_revoke = _lazy("accounts", "cmd_token_revoke")
cmd_user_add = _lazy("accounts", "cmd_user_add")
cmd_backup = _lazy("registry", "cmd_backup")
cmd_db_upgrade = _lazy("registry", "cmd_db_upgrade")
cmd_demo = _lazy("registry", "cmd_demo")
cmd_dev_generate = _lazy("registry", "cmd_dev_generate")
cmd_export = _lazy("registry", "cmd_export")
cmd_formats = _lazy("registry", "cmd_formats")
cmd_import = _lazy("registry", "cmd_import")
cmd_restore = _lazy("registry", "cmd_restore")
cmd_search = _lazy("registry", "cmd_search")
cmd_serve = _lazy("registry", "cmd_serve")
cmd_reminders_run = _lazy("reminders", "cmd_reminders_run")
cmd_framework_install = _lazy("reports", "cmd_framework_install")
cmd_framework_list = _lazy("reports", "cmd_framework_list")
cmd_report = _lazy("reports", "cmd_report")
cmd_template_list = _lazy("reports", "cmd_template_list")
cmd_template_upload = _lazy("reports", "cmd_template_upload")


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

    def group(name: str, help_text: str) -> Callable[..., argparse.ArgumentParser]:
        """A command of commands (``evaus db upgrade``): ``add`` for its commands."""
        parent = commands.add_parser(name, help=help_text)
        subs = parent.add_subparsers(dest=f"{name}_command", required=True, metavar=_("COMMAND"))
        return functools.partial(add, parent=subs)

    db = group("db", _("Database maintenance."))
    db("upgrade", _("Upgrade the database schema to the newest revision."), cmd_db_upgrade)
    add_reindex_command(db)

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

    user = group("user", _("User accounts."))
    sub = user(
        "add",
        _("Create a user; the password is asked twice, or read from standard input."),
        cmd_user_add,
    )
    sub.add_argument("name", help=_("the user name"))
    sub.add_argument("--role", choices=["admin", "manager", "reviewer", "viewer"], required=True)
    sub.add_argument("--display-name", help=_("the name shown in the application"))
    sub.add_argument("--email", help=_("the e-mail address reminders and notices go to"))

    sub = add("backup", _("Write a full backup (database and attachments) to a file."), cmd_backup)
    sub.add_argument("file")
    sub = add("restore", _("Replace the database content with a backup."), cmd_restore)
    sub.add_argument("file")

    add("formats", _("List the import formats."), cmd_formats)

    framework = group("framework", _("Impact assessment frameworks."))
    sub = framework(
        "install",
        _("Load a framework file; assessments made with older versions keep working."),
        cmd_framework_install,
    )
    sub.add_argument("file", help=_("the framework file (JSON)"))
    framework("list", _("List the installed frameworks."), cmd_framework_list)

    from ..reports.kinds import names as report_kinds

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

    template = group("template", _("Report templates."))
    sub = template(
        "upload", _("Check a report template and take it into use."), cmd_template_upload
    )
    sub.add_argument("file", help=_("the template (.docx)"))
    sub.add_argument("--kind", choices=report_kinds(), required=True)
    sub.add_argument("--lang", choices=["fi", "sv"], default="fi")
    sub.add_argument("--note", help=_("what changed"))
    template("list", _("List the template versions (* = in use)."), cmd_template_list)

    reminders = group("reminders", _("Reminders of due reports."))
    sub = reminders(
        "run",
        _("Queue and send the reminders due today (for cron; the server runs it daily)."),
        cmd_reminders_run,
    )
    sub.add_argument(
        "--date", type=_date_argument, help=_("the day to run for (default: today, 2020-11-01)")
    )
    sub.add_argument(
        "--dry-run", action="store_true", help=_("show what would be sent, change nothing")
    )

    dev = group("dev", _("Developer tools."))
    sub = dev(
        "generate",
        _("Add generated, realistic projects (the same seed gives the same data)."),
        cmd_dev_generate,
    )
    sub.add_argument("--projects", type=int, required=True, help=_("how many projects"))
    sub.add_argument("--seed", type=int, default=1)
    sub.add_argument("--batch", type=int, default=1000, help=_("projects per commit"))
    sub.add_argument(
        "--accounts",
        action="store_true",
        help=_(
            "also make project managers and a reviewer to try the reporting cycle with; "
            "their password is asked twice, or read from standard input"
        ),
    )

    person = group("person", _("Personal data (GDPR)."))
    sub = person(
        "export", _("Write everything stored about a person to a JSON file."), cmd_person_export
    )
    sub.add_argument("person", help=_("the person's e-mail address or id"))
    sub.add_argument("-o", "--output", required=True, help=_("the file to write (.json)"))
    sub = person(
        "erase",
        _("Pseudonymise a person (or delete them with --delete), also in the audit log."),
        cmd_person_erase,
    )
    sub.add_argument("person", help=_("the person's e-mail address or id"))
    sub.add_argument(
        "--delete", action="store_true", help=_("delete the person and their project roles")
    )

    token = group("token", _("Personal API tokens."))
    sub = token(
        "create",
        _("Create an API token for a user and print it (it is shown only once)."),
        cmd_token_create,
    )
    sub.add_argument("username", help=_("the user name"))
    sub.add_argument("--name", help=_("what the token is for, e.g. reporting"))
    token("list", _("List the API tokens (never the tokens themselves)."), cmd_token_list)
    sub = token(
        "revoke", _("Revoke an API token: programs using it stop working."), cmd_token_revoke
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
    sub.add_argument("--host")  # default EVAUS_HOST, else 127.0.0.1
    sub.add_argument("--port", type=int)  # default EVAUS_PORT, else 8080 (native: a free one)
    sub.add_argument(
        "--native", action="store_true", help=_("open in a desktop window (needs pywebview)")
    )
    add_publish_command(add)
    add_indicator_commands(group)
    add_portfolio_report(commands)
    return parser


def _error_line(exc: BaseException) -> str:
    # Imported here, not at the top: `evaus serve` starts without the report and import code.
    from ..assessment.framework import FrameworkInvalid
    from ..reports.errors import ReportFailed, TemplateRejected

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
