"""The reminder pass of real `evaus serve` processes, with mail to a real SMTP server (aiosmtpd).

With ``EVAUS_REMINDER_FIRST_DELAY=0`` and ``EVAUS_REMINDER_INTERVAL=1`` each server runs the pass
at once and then every second, and logs a ``reminders: …`` line for each.

- Two instances on one PostgreSQL database: both run their passes, and every reminder reaches
  the mailbox once (each mail sent by one of them). When one of them is killed (``kill -9``) in
  the middle of a pass, holding the advisory lock, the other one — which skipped its passes
  meanwhile because of that lock — takes over and sends what the killed one had not.
- One instance on SQLite (no advisory lock): its pass runs and sends each reminder once.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from evaus.db import open_database
from evaus.i18n import today_in_helsinki
from evaus.services import deadlines
from evaus.services import projects as ps
from evaus.services.access import local_admin
from evaus.services.deadlines import RuleIn
from evaus.services.startup import open_registry
from evaus.services.users import create_user, person_for_user
from project_db.engine import sqlite_url
from project_db.models import Project, ProjectPerson
from tests.db.test_mail_outbox import SENDER, Mailbox, SmtpServer, free_port
from tests.e2e.conftest import _stop, child_environment

from .conftest import _create_database, _drop_database, _wait_until_up

# One worker runs this module (`make test`: --dist loadgroup). Each test takes some 10-20 s on
# an idle machine, most of it the servers' start-up; the timeout only stops a hung run.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("daily-pass"), pytest.mark.timeout(120)]

POSTGRES_URL = os.environ.get("EVAUS_TEST_POSTGRES_URL")
SETUP = local_admin("test-setup")
PROJECT = "Osaajat töihin"
WAIT = 20.0  # seconds any one step may take (on a busy machine a pass can take seconds)

# The line `evaus serve` logs for each pass (evaus/ui/daily.py).
PASS_LINE = re.compile(
    r"reminders: (?P<queued>\d+) queued, \d+ notices, (?P<sent>\d+) sent, \d+ retried, "
    r"(?P<failed>\d+) failed(?P<busy> \(another instance was running them\))?$",
    re.M,
)


@dataclass(frozen=True)
class Pass:
    queued: int
    sent: int
    failed: int
    busy: bool


@dataclass
class Instance:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def passes(self) -> list[Pass]:
        output = self.log.read_text(encoding="utf-8", errors="replace")
        return [
            Pass(int(m["queued"]), int(m["sent"]), int(m["failed"]), bool(m["busy"]))
            for m in PASS_LINE.finditer(output)
        ]

    def worked(self) -> list[Pass]:
        return [p for p in self.passes() if not p.busy]

    def skipped(self) -> list[Pass]:
        return [p for p in self.passes() if p.busy]


def postgres_admin_url() -> str:
    """EVAUS_TEST_POSTGRES_URL, or a skip saying why there is no PostgreSQL to test against."""
    if not POSTGRES_URL:
        pytest.skip(
            "multi-instance tests skipped: EVAUS_TEST_POSTGRES_URL is not set "
            "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test; .ci/run sets it when a "
            "PostgreSQL server answers)"
        )
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        where = make_url(POSTGRES_URL).render_as_string(hide_password=True)
        pytest.skip(
            f"multi-instance tests skipped: PostgreSQL at {where} does not answer "
            f"({str(exc).splitlines()[0]})"
        )
    finally:
        engine.dispose()
    return POSTGRES_URL


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port(), Mailbox())
    server.start()
    yield server
    server.stop()


# --- the data -----------------------------------------------------------------------------------


def _manager(session: Session, name: str, language: str, project_id: int) -> None:
    user = create_user(
        session,
        name,
        role="manager",
        password=f"{name}-salasana-1",
        email=f"{name}@kunta.example.fi",
        language=language,
        actor=SETUP,
    )
    project = session.get(Project, project_id)
    assert project is not None
    project.people.append(
        ProjectPerson(
            person=person_for_user(session, user),
            role="Projektipäällikkö",
            is_team=True,
            position=len(project.people),
        )
    )
    session.commit()


def _prepare(url: str) -> int:
    """A registry whose ESR project's monitoring report is due in three days, with two managers
    (Finnish and Swedish) in its team: one reminder each is due today. The project's id."""
    today = today_in_helsinki()
    period_end = today + timedelta(days=3 - 30)  # the rule below: due 30 days after the end
    database = open_registry(url=url)
    try:
        with database.session("test-setup") as session:
            esr = ps.create_project(
                session,
                {
                    "name": PROJECT,
                    "funding": [
                        {"funder": {"name": "ELY"}, "funder_code": "ESR", "amount": "1000"}
                    ],
                    "periods": [
                        {
                            "number": 1,
                            "start_date": (period_end - timedelta(days=180)).isoformat(),
                            "end_date": period_end.isoformat(),
                        }
                    ],
                },
                actor=SETUP,
            ).id
            rule = next(
                r
                for r in deadlines.list_rules(session, actor=SETUP)
                if r.funder_code == "ESR" and r.basis == "period_end"
            )
            changed = rule.model_dump(exclude={"id", "version"})
            changed.update(days_after=30, starts_on=date(2020, 1, 1))
            deadlines.update_rule(session, rule.id, RuleIn(**changed), actor=SETUP)
            _manager(session, "maija", "fi", esr)
            _manager(session, "britt", "sv", esr)
    finally:
        database.engine.dispose()
    return esr


# --- the servers --------------------------------------------------------------------------------


def _start(work: Path, name: str, database_url: str, smtp: SmtpServer) -> Instance:
    data_dir = work / f"data-{name}"
    data_dir.mkdir()
    port = free_port()
    log = work / f"instance-{name}.log"
    env = child_environment(
        data_dir,
        EVAUS_DATABASE_URL=database_url,
        EVAUS_STORAGE_SECRET="daily-pass-test-secret",
        EVAUS_HOST="127.0.0.1",
        EVAUS_PORT=str(port),
        EVAUS_BASE_URL="https://evaus.kunta.example.fi",
        EVAUS_SMTP_URL=f"smtp://127.0.0.1:{smtp.port}",
        EVAUS_MAIL_FROM=SENDER,
        EVAUS_REMINDER_FIRST_DELAY="0",
        EVAUS_REMINDER_INTERVAL="1",
    )
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "evaus.cli", "serve"],
            env=env,
            cwd=data_dir,  # NiceGUI keeps its own files in the working directory
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Instance(name, f"http://127.0.0.1:{port}", process, log)


def _until(condition: Callable[[], bool], what: str, running: list[Instance]) -> None:
    """Wait until ``condition``, while the ``running`` instances keep running."""
    deadline = time.monotonic() + WAIT
    while not condition():
        stopped = [i.name for i in running if i.process.poll() is not None]
        if stopped or time.monotonic() > deadline:
            logs = "\n".join(
                f"--- {i.name} ---\n{i.log.read_text(errors='replace')}" for i in running
            )
            problem = f"{', '.join(stopped)} stopped" if stopped else "timed out"
            raise AssertionError(f"{problem} waiting until {what}\n{logs}")
        time.sleep(0.1)


def _mails(smtp: SmtpServer) -> Counter[tuple[str, str]]:
    """How many times each (recipient, subject) arrived."""
    return Counter(
        (recipient, str(mail["Subject"]))
        for _sender, recipients, mail in list(smtp.mailbox.received)
        for recipient in recipients
    )


def _reminders_to(smtp: SmtpServer, address: str) -> int:
    return sum(
        count
        for (recipient, subject), count in _mails(smtp).items()
        if recipient == address and PROJECT in subject
    )


def _assert_each_mail_once(
    smtp: SmtpServer, instances: list[Instance], running: list[Instance]
) -> None:
    """No (recipient, subject) and no Message-ID twice, and each mail sent by one pass of one
    instance (its line comes after the mail: a pass logs when it has delivered)."""
    mails = _mails(smtp)
    assert all(count == 1 for count in mails.values()), mails
    ids = [str(mail["Message-ID"]) for _s, _r, mail in list(smtp.mailbox.received)]
    assert len(ids) == len(set(ids)), ids

    def sent() -> int:
        return sum(p.sent for i in instances for p in i.passes())

    _until(lambda: sent() >= len(ids), "the passes that sent the mail have logged", running)
    assert sent() == len(smtp.mailbox.received) == len(ids)
    assert not any(p.failed for i in instances for p in i.passes())


# --- PostgreSQL: two instances ------------------------------------------------------------------


def _lock_holder(connection: Connection) -> str | None:
    """The application name of the instance holding the pass's advisory lock, if any."""
    name = connection.scalar(
        text(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())"
        )
    )
    return str(name) if name is not None else None


def _waiting(connection: Connection) -> set[str]:
    """The application names of the connections waiting for a table lock."""
    rows = connection.scalars(
        text(
            "SELECT application_name FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
    )
    return set(rows)


def test_two_instances_on_postgresql_send_each_reminder_once_and_one_takes_over(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    admin_url = postgres_admin_url()
    name, database_url = _create_database(admin_url)
    instances: list[Instance] = []
    watcher = create_engine(database_url, isolation_level="AUTOCOMMIT")
    locker = create_engine(database_url)
    try:
        esr = _prepare(database_url)
        for label in ("A", "B"):  # started together; each names itself to the server
            url = make_url(database_url).update_query_dict({"application_name": f"evaus-{label}"})
            own_url = url.render_as_string(hide_password=False)
            instances.append(_start(tmp_path, label, own_url, smtp))
        for instance in instances:
            _wait_until_up(instance.url, instance.process, instance.log)

        # Both run their passes; each reminder arrives once.
        _until(
            lambda: (
                _reminders_to(smtp, "maija@kunta.example.fi") >= 1
                and _reminders_to(smtp, "britt@kunta.example.fi") >= 1
                and all(len(i.passes()) >= 3 for i in instances)
            ),
            "both reminders arrived and both instances ran three passes",
            instances,
        )
        assert _reminders_to(smtp, "maija@kunta.example.fi") == 1
        assert _reminders_to(smtp, "britt@kunta.example.fi") == 1
        assert sum(p.queued for i in instances for p in i.passes()) == 2
        _assert_each_mail_once(smtp, instances, instances)

        # One instance is stopped in the middle of a pass: a transaction of the test's holds
        # the in-app notices, so the pass that has the advisory lock waits inside it (the
        # delivery after a pass, outside the lock, does not read them: it goes on).
        with watcher.connect() as watch, locker.connect() as lock:
            lock.execute(text("LOCK TABLE notice IN ACCESS EXCLUSIVE MODE"))
            database = open_database(url=database_url)
            try:
                with database.session("test-setup") as session:
                    _manager(session, "kalle", "fi", esr)  # a new reminder is due
            finally:
                database.engine.dispose()

            holder: list[str] = []

            def stuck_in_a_pass() -> bool:
                found = _lock_holder(watch)
                holder[:] = [found] if found and found in _waiting(watch) else []
                return bool(holder)

            _until(stuck_in_a_pass, "an instance holds the lock inside its pass", instances)
            (held_by,) = (i for i in instances if f"evaus-{i.name}" == holder[0])
            (other,) = (i for i in instances if i is not held_by)
            skipped = len(other.skipped())
            _until(
                lambda: len(other.skipped()) > skipped,
                f"instance {other.name} skips a pass: {held_by.name} holds the lock",
                instances,
            )
            assert _reminders_to(smtp, "kalle@kunta.example.fi") == 0

            held_by.process.send_signal(signal.SIGKILL)
            held_by.process.wait(timeout=10)
            # The server lets the lock go with the dead instance's connection; the other one
            # takes it in its next pass (which waits for the notices in its turn).
            _until(
                lambda: _lock_holder(watch) == f"evaus-{other.name}",
                f"instance {other.name} holds the lock",
                [other],
            )
            worked = len(other.worked())  # its pass waits: its line is still to come
            lock.rollback()

        _until(
            lambda: (
                _reminders_to(smtp, "kalle@kunta.example.fi") >= 1
                and len(other.worked()) >= worked + 3
            ),
            f"instance {other.name} sent kalle's reminder and ran more passes",
            [other],
        )
        assert _reminders_to(smtp, "kalle@kunta.example.fi") == 1
        assert _reminders_to(smtp, "maija@kunta.example.fi") == 1
        assert _reminders_to(smtp, "britt@kunta.example.fi") == 1
        assert other.worked()[worked].queued == 1  # the pass that took over
        assert sum(p.queued for p in other.worked()[worked:]) == 1
        _assert_each_mail_once(smtp, instances, [other])
    finally:
        for instance in instances:
            if instance.process.poll() is None:
                _stop(instance.process)
        watcher.dispose()
        locker.dispose()
        _drop_database(admin_url, name)


# --- SQLite: one instance -----------------------------------------------------------------------


def test_one_instance_on_sqlite_runs_the_pass(tmp_path: Path, smtp: SmtpServer) -> None:
    registry = tmp_path / "registry"
    registry.mkdir()
    url = sqlite_url(registry)
    _prepare(url)
    instance = _start(tmp_path, "sqlite", url, smtp)
    try:
        _wait_until_up(instance.url, instance.process, instance.log)
        _until(
            lambda: (
                _reminders_to(smtp, "maija@kunta.example.fi") >= 1
                and _reminders_to(smtp, "britt@kunta.example.fi") >= 1
                and len(instance.passes()) >= 3
            ),
            "both reminders arrived and the instance ran three passes",
            [instance],
        )
        passes = instance.passes()
        assert not any(p.busy for p in passes)  # no lock on SQLite: every pass runs
        assert passes[0].queued == 2
        assert sum(p.queued for p in passes) == 2
        assert _reminders_to(smtp, "maija@kunta.example.fi") == 1
        assert _reminders_to(smtp, "britt@kunta.example.fi") == 1
        _assert_each_mail_once(smtp, [instance], [instance])
    finally:
        _stop(instance.process)
