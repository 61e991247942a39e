"""Commands about people: user accounts, personal data (GDPR) and API tokens."""

from __future__ import annotations

import argparse
import getpass
import sys

from ..i18n import format_message
from .common import (
    CommandError,
    _,
    _cli_admin,
    _lang,
    _local_time,
    _print_table,
    _say,
    _session,
    _write,
)


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(_("Password: "))
        second = getpass.getpass(_("Password again: "))
        if first != second:
            raise CommandError(_("The passwords do not match."))
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_user_add(args: argparse.Namespace) -> None:
    from ..services.users import create_user

    password = _read_password()
    with _session() as session:
        user = create_user(
            session,
            args.name,
            role=args.role,
            password=password,
            display_name=args.display_name or "",
            email=args.email or None,
            language=_lang(),
            actor=_cli_admin(),
        )
    _say("User {name} ({role}) was created.", name=user.username, role=user.role)


def cmd_person_export(args: argparse.Namespace) -> None:
    import json

    from ..services import personal_data

    with _session() as session:
        person = personal_data.find_person(session, args.person, actor=_cli_admin())
        report = personal_data.person_report(session, person.id, actor=_cli_admin())
    data = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    _write(args.output, data)


def cmd_person_erase(args: argparse.Namespace) -> None:
    from ..services import personal_data

    mode = "delete" if args.delete else "pseudonymise"
    with _session() as session:
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


def cmd_token_create(args: argparse.Namespace) -> None:
    from ..services.tokens import create_token_for

    with _session() as session:
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
    from ..services.tokens import list_tokens

    with _session() as session:
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
    from ..services.tokens import revoke_token

    with _session() as session:
        revoke_token(session, args.id, actor=_cli_admin())
    _say("API token {id} was revoked.", id=args.id)
