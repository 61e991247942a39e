"""`evaus reminders run` as cron runs it (a real subprocess, its own data dir): a dry run for a
chosen day lists the reminder and changes nothing; a bad --date is refused with exit code 2."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from evaus.services import deadlines
from evaus.services import projects as ps
from evaus.services.access import local_admin
from evaus.services.deadlines import RuleIn
from evaus.services.startup import open_registry
from evaus.services.users import create_user, person_for_user
from project_db.engine import sqlite_url
from project_db.models import Project, ProjectPerson
from project_db.notifications import Notice
from project_db.outbox import MailMessage
from tests.cli.test_cli import evaus

SETUP = local_admin("setup")


def _registry(data_dir: Path) -> None:
    """An ESR project (period 1 ends 30.6.2026, the report 30 days after) and its manager."""
    database = open_registry(url=sqlite_url(data_dir))
    with database.session("setup") as session:
        esr = ps.create_project(
            session,
            {
                "name": "Osaajat töihin",
                "funding": [{"funder": {"name": "ELY"}, "funder_code": "ESR"}],
                "periods": [{"number": 1, "start_date": "2026-01-01", "end_date": "2026-06-30"}],
            },
            actor=SETUP,
        ).id
        rule = next(r for r in deadlines.list_rules(session, actor=SETUP) if r.funder_code == "ESR")
        changed = rule.model_dump(exclude={"id", "version"})
        changed.update(days_after=30, starts_on=date(2020, 1, 1))
        deadlines.update_rule(session, rule.id, RuleIn(**changed), actor=SETUP)
        user = create_user(
            session,
            "maija",
            role="manager",
            password="maija-salasana-1",
            email="maija@kunta.example.fi",
            actor=SETUP,
        )
        project = session.get(Project, esr)
        assert project is not None
        project.people.append(
            ProjectPerson(person=person_for_user(session, user), role="PP", is_team=True)
        )
        session.commit()
    database.engine.dispose()


def _rows(data_dir: Path) -> int:
    database = open_registry(url=sqlite_url(data_dir))
    with database.session() as session:
        count = sum(
            int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (MailMessage, Notice)
        )
    database.engine.dispose()
    return count


def test_a_dry_run_lists_the_reminder_and_changes_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _registry(data_dir)
    dry = evaus(data_dir, "reminders", "run", "--date", "2026-07-25", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "30.7.2026  maija  " in dry.stdout  # no mail settings: the notice only
    assert "Muistutus: ESR-seurantaraportti (Osaajat töihin) erääntyy 30.7.2026" in dry.stdout
    assert "Kokeiluajo 25.7.2026: lähetettäisiin 1 muistutusta" in dry.stdout
    assert "EVAUS_SMTP_URL" in dry.stdout  # no mail settings: said, not hidden
    assert _rows(data_dir) == 0
    real = evaus(data_dir, "reminders", "run", "--date", "25.7.2026")
    assert real.returncode == 0, real.stderr
    assert "1 ilmoitusta" in real.stdout
    assert _rows(data_dir) == 1  # the notice (no mail settings: no e-mail queued)


def test_a_bad_date_is_refused(tmp_path: Path) -> None:
    bad = evaus(tmp_path / "data", "reminders", "run", "--date", "2026-13-01", "--dry-run")
    assert bad.returncode == 2
    assert "--date" in bad.stderr and "2026-13-01" in bad.stderr
    assert "Traceback" not in bad.stderr
