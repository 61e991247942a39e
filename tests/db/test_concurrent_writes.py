"""Fifty truly simultaneous writes of one project version: exactly one wins, every other writer
gets the conflict (never a database error), and nothing of the losers is left anywhere.

The writers are threads with a session (and a database connection) each, released together by a
``threading.Barrier``: the editor's save (the services the editor page calls) and the import of
one source with different content. SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from evaus.db import Database
from evaus.services import editing, projects, registry_io
from evaus.services.access import Actor, local_admin
from project_db.engine import make_engine, make_sessionmaker
from project_db.errors import ConflictError
from project_db.models import AuditEntry, Goal, Project

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

WRITERS = 50


@pytest.fixture
def writers_db(database: Database) -> Iterator[Database]:
    """The test database with a connection for every writer, so none waits for the pool."""
    engine = make_engine(
        database.engine.url.render_as_string(hide_password=False), pool_size=WRITERS
    )
    yield Database(engine, make_sessionmaker(engine))
    engine.dispose()


def fire_together(count: int, write: Callable[[int], Any]) -> list[Any]:
    """``write(i)`` in ``count`` threads released at the same moment: each one's result or the
    exception it raised."""
    barrier = threading.Barrier(count)
    outcomes: list[Any] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            outcomes[index] = write(index)
        except Exception as exc:  # the test inspects every outcome
            outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return outcomes


def _editor(index: int) -> Actor:
    return Actor(user_id=0, username=f"editor-{index}", role="admin", person_id=None, language="fi")


def _audit_since(db: Database, mark: int) -> list[AuditEntry]:
    with db.session() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.id > mark)))


def _audit_mark(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.max(AuditEntry.id))) or 0


def _only_one_winner(outcomes: list[Any]) -> int:
    """The index of the single writer that succeeded; every other one got ``ConflictError``."""
    unexpected = [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ConflictError)
    ]
    assert not unexpected, f"{len(unexpected)} writers failed otherwise: {unexpected[:3]!r}"
    winners = [i for i, o in enumerate(outcomes) if not isinstance(o, Exception)]
    assert len(winners) == 1, f"{len(winners)} writers won"
    return winners[0]


@pytest.mark.parametrize("change", ["own field", "related record"])
def test_simultaneous_editor_saves(writers_db: Database, change: str) -> None:
    with writers_db.session("setup") as session:
        project_id = projects.create_project(
            session,
            {"name": "Kilpailtu hanke", "municipality": "Alku", "goals": [{"title": "Alku"}]},
            actor=local_admin("setup"),
        ).id
        loaded = editing.load_for_edit(session, project_id, _editor(0))
    base = loaded.doc.model_dump(mode="json")
    known = {a["key"] for a in base["attachments"]}
    mark = _audit_mark(writers_db)

    def wanted(index: int) -> str:
        return f"Muutos {index}"

    def save(index: int) -> int:
        data = json.loads(json.dumps(base))
        if change == "own field":
            data["municipality"] = wanted(index)
        else:  # only the goal changes: the project's version must move all the same
            data["goals"][0]["title"] = wanted(index)
        with writers_db.session(f"editor-{index}") as session:
            return editing.save_edited(
                session,
                project_id,
                data,
                expected_version=loaded.version,
                known_attachments=known,
                actor=_editor(index),
            )

    outcomes = fire_together(WRITERS, save)
    winner = _only_one_winner(outcomes)
    new_version = outcomes[winner]
    assert new_version > loaded.version
    for outcome in outcomes:
        if isinstance(outcome, ConflictError):
            # The dialog the editor shows: who saved, and the version it is now.
            assert outcome.info.changed_by == f"editor-{winner}"
            assert outcome.info.current_version == new_version
            assert outcome.info.expected_version == loaded.version

    with writers_db.session() as session:
        project = session.get(Project, project_id)
        assert project is not None
        assert project.version == new_version
        goal_titles = list(session.scalars(select(Goal.title).where(Goal.project_id == project_id)))
        if change == "own field":
            assert (project.municipality, goal_titles) == (wanted(winner), ["Alku"])
        else:
            assert (project.municipality, goal_titles) == ("Alku", [wanted(winner)])
    entries = _audit_since(writers_db, mark)
    assert {e.actor for e in entries} == {f"editor-{winner}"}
    changed = [(e.field, e.old_value, e.new_value) for e in entries]
    field = "municipality" if change == "own field" else "title"
    assert changed == [(field, "Alku", wanted(winner))]


def test_editor_save_after_a_simultaneous_round_uses_the_new_version(writers_db: Database) -> None:
    """A loser who loads again saves fine: the conflict leaves nothing locked or half-written."""
    with writers_db.session("setup") as session:
        project_id = projects.create_project(
            session, {"name": "Toinen kierros"}, actor=local_admin("t")
        ).id
    for round_number in range(3):
        with writers_db.session() as session:
            loaded = editing.load_for_edit(session, project_id, _editor(0))
        base = loaded.doc.model_dump(mode="json")

        def save(
            index: int,
            base: dict[str, Any] = base,
            version: int = loaded.version,
            rnd: int = round_number,
        ) -> int:
            with writers_db.session() as session:
                return editing.save_edited(
                    session,
                    project_id,
                    {**base, "summary": f"Kierros {rnd}, kirjoittaja {index}"},
                    expected_version=version,
                    known_attachments=set(),
                    actor=_editor(index),
                )

        outcomes = fire_together(10, save)
        winner = _only_one_winner(outcomes)
        assert outcomes[winner] > loaded.version
        with writers_db.session() as session:
            project = projects.get_project(session, project_id, actor=READER)
            assert project.summary == f"Kierros {round_number}, kirjoittaja {winner}"


def _source(municipality: str) -> bytes:
    doc = {"name": "Tuotu hanke", "source_key": "testi:kilpailu", "municipality": municipality}
    return json.dumps({"projects": [doc]}).encode("utf-8")


@pytest.mark.parametrize("existing", [True, False], ids=["update", "create"])
def test_simultaneous_imports_of_one_source(writers_db: Database, existing: bool) -> None:
    """An import is not based on a version the user saw: an importer that starts after another
    one committed updates the newer version. Those that read the same version race: one wins
    it, the others get the conflict. Every winner's write lands on top of the previous one."""
    if existing:
        with writers_db.session("setup") as session:
            registry_io.import_source(session, _source("Alku"), actor=local_admin("setup"))
    mark = _audit_mark(writers_db)

    def run_import(index: int) -> str:
        with writers_db.session(f"importer-{index}") as session:
            report = registry_io.import_source(
                session, _source(f"Kunta {index}"), actor=local_admin(f"importer-{index}")
            )
        return report.projects[0].action

    outcomes = fire_together(WRITERS, run_import)
    unexpected = [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ConflictError)
    ]
    assert not unexpected, f"{len(unexpected)} importers failed otherwise: {unexpected[:3]!r}"
    winners = {i for i, o in enumerate(outcomes) if not isinstance(o, Exception)}
    assert winners, "no importer won"
    # 50 importers released together: most of them read the same version, so most lose.
    assert len(winners) < WRITERS // 2, f"{len(winners)} of {WRITERS} importers won"
    created = [i for i in winners if outcomes[i] == "created"]
    assert len(created) == (0 if existing else 1)
    assert all(outcomes[i] in ("created", "updated") for i in winners)

    entries = _audit_since(writers_db, mark)
    assert {e.actor for e in entries} == {f"importer-{i}" for i in winners}
    changes = [
        (e.old_value, e.new_value)
        for e in sorted(entries, key=lambda e: e.id)
        if e.entity == "project" and e.field == "municipality"
    ]
    # One entry per updating winner, each on top of the one before: no write was lost.
    updaters = winners - set(created)
    assert sorted(str(new) for _old, new in changes) == sorted(f"Kunta {i}" for i in updaters)
    previous: str | None = "Alku" if existing else f"Kunta {created[0]}"
    for old, new in changes:
        assert old == previous
        previous = new
    with writers_db.session() as session:
        stored = list(
            session.scalars(select(Project).where(Project.source_key == "testi:kilpailu"))
        )
        assert [p.municipality for p in stored] == [previous]
