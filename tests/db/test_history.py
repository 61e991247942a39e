"""The change history as people read it: labels, formatted values, saves grouped, filters."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from evaus.db import Database
from evaus.demo import load_demo
from evaus.i18n import today_in_helsinki
from evaus.services import assessments as svc
from evaus.services import editing
from evaus.services.access import Actor, local_admin
from evaus.services.history import HistoryFilter, ReadableHistory, change_count, readable_history
from evaus.services.users import create_user
from project_db.assessment_models import Assessment
from project_db.base import Base
from project_db.models import CodeItem, User

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _texts(found: ReadableHistory) -> list[str]:
    texts: list[str] = []
    for group in found.groups:
        texts += [group.when, group.actor]
        for line in group.lines:
            texts.append(line.summary)
            for change in line.changes:
                texts += [change.label, change.old, change.new]
    return texts


def _edit(database: Database) -> tuple[int, Actor]:
    with database.session("setup") as session:
        load_demo(session)
        create_user(
            session, "maija", role="admin", password="maija-salasana-1", actor=local_admin("setup")
        )
        maija = Actor.of(session.scalars(select(User).where(User.username == "maija")).one())
        hanska = session.scalars(select(Assessment).where(Assessment.version_number == 1)).first()
        assert hanska is not None and hanska.project_id is not None
        project_id = hanska.project_id
        loaded = editing.load_for_edit(session, project_id, maija)
        data = loaded.doc.model_dump(mode="json")
        data["funding"][0]["amount"] = "1200000"
        data["people"].append(
            {"person": {"name": "Maija Meikäläinen"}, "role": "Kehittäjä", "is_contact": True}
        )
        data["goals"].append({"title": "Asunnottomuus vähenee"})
        editing.save_edited(
            session,
            project_id,
            data,
            expected_version=loaded.version,
            known_attachments=set(),
            actor=maija,
        )
        second = svc.new_version(session, hanska.id, actor=maija)
        alternative = next(a for a in second.doc.alternatives if not a.is_zero)
        alternative = alternative.model_copy(
            update={"staff_fte": Decimal("15.5"), "cost_per_year": Decimal(1200000)}
        )
        svc.upsert_alternative(
            session, second.id, alternative, expected_version=second.version, actor=maija
        )
    return project_id, maija


def test_history_reads_without_internal_names(database: Database) -> None:
    project_id, _maija = _edit(database)
    with database.session() as session:
        found = readable_history(session, project_id, "fi", page_size=50, actor=READER)
        codes = set(session.scalars(select(CodeItem.code)))
    texts = _texts(found)
    columns = {c.name for t in Base.metadata.tables.values() for c in t.columns}
    tables = set(Base.metadata.tables)
    for text in texts:
        assert text not in columns | tables, text
        assert text not in codes, text
        assert not UUID.search(text), text
        assert not ISO_DATE.search(text), text
        assert "#" not in text, text

    newest = found.groups[0]
    assert newest.actor == "maija"
    summaries = [line.summary for line in newest.lines]
    summaries_changed = "Vaihtoehto muutettu: Yhteinen palvelukeskus (Hanska-malli)"
    assert summaries_changed in summaries
    alternative = next(line for line in newest.lines if line.summary == summaries_changed)
    changed = {(c.label, c.new) for c in alternative.changes}
    assert ("Henkilöstö (henkilötyövuotta)", "15,5") in changed
    assert ("Kustannukset vuodessa", "1\xa0200\xa0000 €") in changed

    edit = next(g for g in found.groups if any("Tavoite" in line.summary for line in g.lines))
    lines = {line.summary: line for line in edit.lines}
    assert "Tavoite lisätty: Asunnottomuus vähenee" in lines
    assert "Henkilö lisätty: Maija Meikäläinen" in lines
    person = lines["Henkilö lisätty: Maija Meikäläinen"]
    assert ("Yhteyshenkilö", "kyllä") in {(c.label, c.new) for c in person.changes}
    funding = next(line for line in edit.lines if line.summary.startswith("Rahoitus muutettu"))
    assert [(c.label, c.new) for c in funding.changes] == [("Summa", "1\xa0200\xa0000 €")]
    # The demo import is one save of its own, named by the project, not field by field.
    assert found.groups[-1].actor == "demo"


def test_history_filters_and_plurals(database: Database) -> None:
    project_id, _maija = _edit(database)
    with database.session() as session:
        everything = readable_history(session, project_id, "fi", actor=READER)
        assert everything.total >= 2
        assert set(everything.actors) >= {"demo", "maija"}
        mine = readable_history(
            session, project_id, "fi", HistoryFilter(actor="maija"), actor=READER
        )
        assert {g.actor for g in mine.groups} == {"maija"}
        assert mine.total < everything.total
        amounts = readable_history(
            session, project_id, "fi", HistoryFilter(field="funding.amount"), actor=READER
        )
        labels = {c.label for g in amounts.groups for line in g.lines for c in line.changes}
        assert labels == {"Summa"}
        assert "Rahoitus: summa" in {c.label for c in everything.fields}
        today = today_in_helsinki()
        assert (
            readable_history(
                session, project_id, "fi", HistoryFilter(since=today, until=today), actor=READER
            ).total
            == everything.total
        )
        assert (
            readable_history(
                session,
                project_id,
                "fi",
                HistoryFilter(until=today - timedelta(days=1)),
                actor=READER,
            ).groups
            == []
        )
        swedish = readable_history(
            session, project_id, "sv", HistoryFilter(actor="maija"), actor=READER
        )
        assert any(
            line.summary == "Mål tillagd: Asunnottomuus vähenee"
            for g in swedish.groups
            for line in g.lines
        )
    assert change_count(1, "fi") == "1 muutos"
    assert change_count(2, "fi") == "2 muutosta"
    assert change_count(1, "sv") == "1 ändring"
    assert change_count(5, "en") == "5 changes"
