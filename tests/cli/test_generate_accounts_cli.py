"""`evaus dev generate --accounts` as a person or a script runs it (a real subprocess, its own
data dir): the managers and the reviewer to try the reporting cycle with are listed by user
name, never with the password, which is read from standard input like `evaus user add` reads it;
a second run makes none again and asks nothing."""

from __future__ import annotations

import re
from pathlib import Path

from evaus.services.startup import open_registry
from evaus.services.users import verify_password
from project_db.accounts import user_by_username
from project_db.engine import sqlite_url
from tests.cli.test_cli import evaus

PASSWORD = "kokeilu-salasana-7"
ACCOUNT = re.compile(
    r"^(\S+)\s+(manager|reviewer)\s+(\S+@kokeilu\.example)\s+(.+?)\s+(\S+)\s+(\S+)$"
)


def _accounts(stdout: str) -> list[tuple[str, ...]]:
    return [m.groups() for line in stdout.splitlines() if (m := ACCOUNT.match(line))]


def test_generate_makes_the_accounts_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    made = evaus(
        data_dir, "dev", "generate", "--projects", "12", "--accounts", stdin=PASSWORD + "\n"
    )
    assert made.returncode == 0, made.stderr
    assert "12/12" in made.stdout
    assert "Tunnukset raportointikierroksen kokeiluun (salasanoja ei näytetä):" in made.stdout
    assert PASSWORD not in made.stdout + made.stderr
    accounts = _accounts(made.stdout)
    assert [(a[1], a[5]) for a in accounts] == [("manager", "Luotu")] * 3 + [("reviewer", "Luotu")]
    assert all(a[2] == f"{a[0]}@kokeilu.example" for a in accounts)
    assert all(int(a[4]) >= 4 for a in accounts[:3]) and accounts[3][4] == "–"

    database = open_registry(url=sqlite_url(data_dir))
    with database.session() as session:
        for username, role, *_rest in accounts:
            user = user_by_username(session, username)
            assert user is not None and user.role == role and user.display_name
            assert verify_password(user, PASSWORD)
    database.engine.dispose()

    # Again, without a password to read: nothing is made, and the same accounts are listed.
    again = evaus(data_dir, "dev", "generate", "--projects", "0", "--accounts", stdin="")
    assert again.returncode == 0, again.stderr
    assert [(a[0], a[5]) for a in _accounts(again.stdout)] == [
        (a[0], "Ennallaan") for a in accounts
    ]


def test_a_short_password_is_refused_on_one_line(tmp_path: Path) -> None:
    refused = evaus(
        tmp_path / "data", "dev", "generate", "--projects", "3", "--accounts", stdin="lyhyt\n"
    )
    assert refused.returncode == 1
    assert refused.stderr.strip().count("\n") == 0 and "Traceback" not in refused.stderr
    assert "Salasana" in refused.stderr and "10" in refused.stderr
