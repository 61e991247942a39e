"""``evaus publish``: put a project in the public catalogue, take it out, or set a portfolio's
default for its projects that have no choice of their own."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from .common import CommandError, _, _cli_admin, _say, _session

AddCommand = Callable[[str, str, Callable[[argparse.Namespace], None]], argparse.ArgumentParser]


def cmd_publish(args: argparse.Namespace) -> None:
    from ..services import projects as project_service
    from ..services import publishing

    actor = _cli_admin()
    public = not args.off
    with _session() as session:
        if args.portfolio:
            if args.project:
                raise CommandError(_("Give either a project or --portfolio, not both."))
            publishing.set_portfolio_default(session, args.portfolio, public, actor=actor)
            if public:
                _say(
                    "The projects of portfolio {portfolio} are now public unless they say "
                    "otherwise.",
                    portfolio=args.portfolio,
                )
            else:
                _say(
                    "The projects of portfolio {portfolio} are now not public unless they say "
                    "otherwise.",
                    portfolio=args.portfolio,
                )
            return
        if not args.project:
            raise CommandError(_("Give the project (its id or key) or --portfolio."))
        project = project_service.find_project(session, args.project, actor=actor)
        publishing.set_public(session, project.id, public, actor=actor)
        if public:
            _say(
                "{name} is now in the public catalogue: /public/projects/{id}",
                name=project.name,
                id=project.id,
            )
        else:
            _say("{name} is no longer in the public catalogue.", name=project.name)


def add_publish_command(add: AddCommand) -> None:
    sub = add(
        "publish",
        _("Put a project in the public catalogue, or take it out with --off."),
        cmd_publish,
    )
    sub.add_argument("project", nargs="?", help=_("the project: id or key"))
    sub.add_argument("--off", action="store_true", help=_("take it out of the public catalogue"))
    sub.add_argument(
        "--portfolio",
        metavar="CODE",
        help=_("set the default of a portfolio's projects that have no choice of their own"),
    )
