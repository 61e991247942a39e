"""``evaus report portfolio``: the portfolio report of a selection of projects over a period.

    evaus report portfolio --portfolio "Hyvinvointisalkku 2014-2020" \\
        --from 2026-01-01 --to 2026-12-31 [--format docx|pdf|xlsx] [-o FILE] [--lang sv]

The selection takes codes or their names (``--portfolio``, ``--funder``, ``--region``, and
``--municipality``, ``--theme``, ``--project ID``; each may be repeated, several values of one
criterion: any of them). The arguments are added to the ``report`` command, whose ``--kind``
is then needed only for a project's report.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from .common import CommandError, _, _cli_admin, _date_argument, _lang, _session, _write

PORTFOLIO = "portfolio"  # the word after ``evaus report`` that asks for a portfolio report


def add_portfolio_report(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Teach ``evaus report`` the portfolio report (registered once, after the command)."""
    report = commands.choices["report"]
    for action in report._actions:
        if action.dest == "kind":
            action.required = False  # a portfolio report has none; a project's report still does
    group = report.add_argument_group(
        _("portfolio report (evaus report portfolio …)"),
        _("the projects that match every criterion and run at some point in the period"),
    )
    code_help = _("its code or its name; may be repeated")
    group.add_argument("--portfolio", action="append", default=[], help=code_help)
    group.add_argument("--funder", action="append", default=[], help=code_help)
    group.add_argument("--region", action="append", default=[], help=code_help)
    group.add_argument("--municipality", action="append", default=[], help=_("may be repeated"))
    group.add_argument("--theme", action="append", default=[], help=_("may be repeated"))
    group.add_argument(
        "--project",
        dest="project_ids",
        type=int,
        action="append",
        default=[],
        help=_("a project's id; may be repeated"),
    )
    group.add_argument(
        "--from", dest="start", type=_date_argument, help=_("the period's first day (2026-01-01)")
    )
    group.add_argument(
        "--to", dest="end", type=_date_argument, help=_("the period's last day (2026-12-31)")
    )
    group.add_argument("--format", dest="report_format", choices=["docx", "pdf", "xlsx"])
    handler: Callable[[argparse.Namespace], None] = report.get_default("handler")
    report.set_defaults(handler=_dispatch(handler))


def _dispatch(
    project_report: Callable[[argparse.Namespace], None],
) -> Callable[[argparse.Namespace], None]:
    def run(args: argparse.Namespace) -> None:
        if args.kind is None and args.project == PORTFOLIO:
            cmd_portfolio_report(args)
            return
        if args.kind is None:
            raise CommandError(_("Give the report kind: --kind (or evaus report portfolio …)."))
        if _portfolio_options(args):
            raise CommandError(
                _("The selection options are for the portfolio report: evaus report portfolio …")
            )
        project_report(args)

    return run


def _portfolio_options(args: argparse.Namespace) -> list[str]:
    given: list[Any] = [
        args.portfolio,
        args.funder,
        args.region,
        args.municipality,
        args.theme,
        args.project_ids,
        args.start,
        args.end,
        args.report_format,
    ]
    return [str(value) for value in given if value]


def cmd_portfolio_report(args: argparse.Namespace) -> None:
    from ..services import portfolio

    report_format = args.report_format or "docx"
    if args.output and not args.report_format:
        suffix = args.output.rsplit(".", 1)[-1].lower()
        report_format = suffix if suffix in portfolio.FORMATS else "docx"
    if args.all or args.period or args.year or args.assessment or args.status:
        raise CommandError(
            _("A portfolio report takes the selection options, not --all, --status, --period …")
        )
    form = portfolio.SelectionForm(
        portfolio=args.portfolio,
        funder=args.funder,
        region=args.region,
        municipality=args.municipality,
        theme=args.theme,
        project_ids=args.project_ids,
        start=args.start,
        end=args.end,
    )
    with _session() as session:
        try:
            selection = portfolio.resolve_selection(session, form, actor=_cli_admin())
            made = portfolio.portfolio_report(
                session,
                selection,
                actor=_cli_admin(),
                lang=args.lang,
                report_format=report_format,
                archive=True,  # a DOCX (or the one a PDF is made of) is filed, as others are
            )
        except portfolio.SelectionInvalid as invalid:
            raise CommandError(" ".join(invalid.lines(_lang()))) from None
    target = args.output or made.filename
    _write(target, made.content)
    if args.pdf and report_format == "docx":
        from ..reports.pdf import convert_to_pdf, soffice_path

        if soffice_path() is None:
            raise CommandError(_("LibreOffice (soffice) is not installed: the PDF cannot be made."))
        _write(target.rsplit(".", 1)[0] + ".pdf", convert_to_pdf(made.content, "salkkuraportti"))


__all__ = ["add_portfolio_report", "cmd_portfolio_report"]
