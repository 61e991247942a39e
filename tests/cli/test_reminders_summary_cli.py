"""`evaus reminders run` tells in the user's language how many reminders, notices and digests it
made — or, in a dry run, would make — with the mail going to a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.cli.test_reminders_cli import _registry
from tests.db.test_mail_outbox import SENDER, SmtpServer, server

__all__ = ["server"]  # the SMTP server fixture

MONDAY = "27.7.2026"  # the ESR report is due on 30.7.2026: a reminder, and the weekly digest


def run(data_dir: Path, smtp: SmtpServer, *args: str, lang: str = "fi") -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "EVAUS_"))}
    env.update(
        EVAUS_DATA_DIR=str(data_dir),
        EVAUS_LANG=lang,
        EVAUS_SMTP_URL=f"smtp://127.0.0.1:{smtp.port}",
        EVAUS_MAIL_FROM=SENDER,
    )
    done = subprocess.run(
        [sys.executable, "-m", "evaus.cli", "reminders", "run", "--date", MONDAY, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_counts_of_reminders_notices_and_digests(tmp_path: Path, server: SmtpServer) -> None:
    data_dir = tmp_path / "data"
    _registry(data_dir)

    dry = run(data_dir, server, "--dry-run")
    assert (
        "Kokeiluajo 27.7.2026: lähetettäisiin 1 muistutusta, 1 ilmoitusta ja 1 koostetta; "
        "mitään ei muutettu."
    ) in dry
    assert server.mailbox.received == []
    swedish = run(data_dir, server, "--dry-run", lang="sv")
    assert "Provkörning 27.7.2026: 1 påminnelser, 1 aviseringar och 1 sammandrag" in swedish

    real = run(data_dir, server)
    assert (
        "Muistutukset 27.7.2026: 1 muistutusta, 1 ilmoitusta, 1 koostetta; 2 sähköpostia jonoon; "
        "lähetetty 2, yritetään uudelleen 0, epäonnistui 0."
    ) in real
    assert server.mailbox.recipients() == ["maija@kunta.example.fi"] * 2

    again = run(data_dir, server, lang="en")
    assert "Reminders on 27 Jul 2026: 0 reminders, 0 notices, 0 digests; 0 e-mails queued" in again
