"""Re-importing a source: a partial card never removes what it does not mention, unless asked;
a changed e-mail updates the person; a parser failure is a message, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from evaus.db import Database
from evaus.services import registry_io
from evaus.services.access import local_admin
from project_db.errors import ImportFailed
from project_db.models import AuditEntry, NarrativeSection, Person, Project, ProjectPerson
from tests.conftest import DATA_DIR

# A EURA 2014 public project page; its first 30 % ends inside the project's basic data, before
# the applicant, the contact person, the summary, the goals and the website.
EURA_PAGE = (DATA_DIR / "eura_nupo.txt").read_bytes()
EURA_START = EURA_PAGE[: int(len(EURA_PAGE) * 0.3)]


def _project(session: object) -> Project:
    return session.scalars(select(Project)).one()  # type: ignore[attr-defined,no-any-return]


def _held(project: Project) -> dict[str, object]:
    return {
        "summary": project.summary,
        "website": project.website,
        "applicant": [(o.organisation.name, o.role) for o in project.organisations],
        "contact": [(p.person.name, p.person.email) for p in project.people],
        "goals": [g.title for g in project.goals],
        "sections": [s.title for s in project.sections],
        "funding": [f.organisation.name for f in project.funding],
    }


def test_the_start_of_a_page_keeps_what_it_does_not_mention(database: Database) -> None:
    with database.session() as session:
        registry_io.import_source(session, EURA_PAGE, actor=local_admin("t"))
        before = _held(_project(session))
        assert before["summary"] and before["website"] and before["contact"]
        mark = session.scalar(select(func.max(AuditEntry.id)))
        report = registry_io.import_source(session, EURA_START, actor=local_admin("t"))
        session.expire_all()
        after = _held(_project(session))
        # The cut-off "Vastuuviranomainen: Pohjois-Savon" names a funder: added, nothing lost.
        assert after.pop("funding") == [*before.pop("funding"), "Pohjois-Savo"]  # type: ignore[misc]
        assert after == before
        item = report.projects[0]
        assert item.removed == []
        kept = registry_io.describe_omitted(item.kept, "fi")
        for text in (
            "tiivistelmä",
            "verkkosivusto",
            "organisaatio: Kuopion kaupunki (paatoteuttaja)",
            "henkilö: Maija Mallikas",
        ):
            assert text in kept
        # Nothing was deleted, and no field was emptied.
        emptied = session.scalars(
            select(AuditEntry).where(
                AuditEntry.id > mark,
                (AuditEntry.action == "delete") | (AuditEntry.new_value.is_(None)),
            )
        ).all()
        assert emptied == []


def test_remove_missing_removes_and_audits(database: Database) -> None:
    with database.session() as session:
        registry_io.import_source(session, EURA_PAGE, actor=local_admin("t"))
        project = _project(session)
        contact_link = project.people[0].id
        section_ids = [s.id for s in project.sections]
        preview = registry_io.import_source(
            session, EURA_START, actor=local_admin("t"), remove_missing=True, dry_run=True
        )
        assert preview.projects[0].kept == []
        assert "henkilö: Maija Mallikas" in registry_io.describe_omitted(
            preview.projects[0].removed, "fi"
        )
        session.expire_all()
        assert _project(session).summary  # the preview wrote nothing
        mark = session.scalar(select(func.max(AuditEntry.id)))
        registry_io.import_source(
            session, EURA_START, actor=local_admin("remover"), remove_missing=True
        )
        session.expire_all()
        project = _project(session)
        assert (project.summary, project.website, project.people) == ("", None, [])
        assert session.scalar(select(func.count()).select_from(NarrativeSection)) == 0
        entries = session.scalars(select(AuditEntry).where(AuditEntry.id > mark)).all()
        assert {e.actor for e in entries} == {"remover"}
        audited = {(e.action, e.entity, e.entity_id, e.field): e for e in entries}
        assert audited["update", "project", project.id, "website"].old_value == (
            "https://www.kuopio.fi/nupo"
        )
        assert audited["delete", "project_person", contact_link, "role"].old_value == (
            "Projektipäällikkö"
        )
        for section_id in section_ids:
            assert ("delete", "narrative_section", section_id, "body") in audited


def test_a_changed_email_updates_the_person(database: Database) -> None:
    with database.session() as session:
        registry_io.import_source(session, EURA_PAGE, actor=local_admin("t"))
        person_id = session.scalars(select(Person.id)).one()
        moved = EURA_PAGE.replace(b"maija.mallikas(at)kuopio.fi", b"maija.mallikas(at)nupo.fi")
        report = registry_io.import_source(session, moved, actor=local_admin("t"))
        assert report.projects[0].action == "updated"
        people = session.execute(select(Person.id, Person.name, Person.email)).all()
        assert [tuple(p) for p in people] == [
            (person_id, "Maija Mallikas", "maija.mallikas@nupo.fi")
        ]
        assert session.scalar(select(func.count()).select_from(ProjectPerson)) == 1
        change = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "person",
                AuditEntry.entity_id == person_id,
                AuditEntry.action == "update",
            )
        ).one()
        assert (change.field, change.old_value, change.new_value) == (
            "email",
            "maija.mallikas@kuopio.fi",
            "maija.mallikas@nupo.fi",
        )


def test_a_registry_json_file_replaces(database: Database) -> None:
    with database.session() as session:
        registry_io.import_source(session, EURA_PAGE, actor=local_admin("t"))
        key = _project(session).key
        data = f'{{"projects": [{{"key": "{key}", "name": "Nuorten polut"}}]}}'.encode()
        report = registry_io.import_source(session, data, actor=local_admin("t"))
        assert report.replaces and report.projects[0].kept == []
        assert "tiivistelmä" in registry_io.describe_omitted(report.projects[0].removed, "fi")
        session.expire_all()
        assert _project(session).summary == ""


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from project_db.importers.eura2014 import Eura2014Importer

    def must_not_parse(*_args: object) -> None:
        raise AssertionError("parsed a file over the limit")

    monkeypatch.setattr(Eura2014Importer, "parse", must_not_parse)
    with database.session() as session, pytest.raises(ImportFailed) as caught:
        registry_io.import_source(session, EURA_PAGE, actor=local_admin("t"), max_bytes=1024)
    assert caught.value.message.startswith("The file is too large")


def test_an_import_past_its_time_limit_writes_nothing(database: Database) -> None:
    with database.session() as session:
        audited = session.scalar(select(func.count()).select_from(AuditEntry))
        with pytest.raises(ImportFailed) as caught:
            registry_io.import_source(session, EURA_PAGE, actor=local_admin("t"), time_limit=0)
        assert "seconds" in caught.value.message
        assert session.scalar(select(func.count()).select_from(Project)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audited


def test_a_parser_failure_is_a_message(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from project_db.importers.eura2014 import Eura2014Importer

    def broken(*_args: object) -> None:
        raise ValueError("invalid literal for int() with base 10: '31.2'")

    monkeypatch.setattr(Eura2014Importer, "parse", broken)
    with database.session() as session, pytest.raises(ImportFailed) as caught:
        registry_io.import_source(session, EURA_PAGE, actor=local_admin("t"))
    assert caught.value.params == {
        "detail": "invalid literal for int() with base 10: '31.2'",
        "format": "eura2014",
    }


# The command in a real process; the importer is broken there by the code below.
_BROKEN_CLI = """
import sys
from project_db.importers.eura2014 import Eura2014Importer
def broken(self, data, filename):
    raise ValueError("invalid literal for int() with base 10: '31.2'")
Eura2014Importer.parse = broken
from evaus.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_parser_failure_on_the_command_line_is_one_line(tmp_path: Path, dry_run: bool) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "EVAUS_"))}
    env["EVAUS_DATA_DIR"] = str(tmp_path / "data")
    args = ["import", str(DATA_DIR / "eura_nupo.txt"), *(["--dry-run"] if dry_run else [])]
    done = subprocess.run(
        [sys.executable, "-c", _BROKEN_CLI, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.splitlines() == [
        "Virhe: Tiedostoa ei voitu lukea: invalid literal for int() with base 10: '31.2' "
        "(muoto eura2014)."
    ]
