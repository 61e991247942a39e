"""The edges of an approved period's lock on SQLite and PostgreSQL: participant groups, actual
costs and volunteers of a locked period cannot change by the editor's save (the rest of the
project can); a save that races with the approval of the period either lands before the
approval (which then locks the saved values) or is refused; the reason of a return is a comment
in the period's thread."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from evaus.db import Database
from evaus.i18n import describe_problem
from evaus.services import comments, editing, period_review, registry_io
from evaus.services import projects as ps
from evaus.services.access import Actor, local_admin
from evaus.services.users import create_user, person_for_user
from project_db.engine import make_engine, make_sessionmaker
from project_db.errors import ValidationFailed
from project_db.models import AuditEntry, Project, ProjectPerson, User
from project_db.notifications import Notice

SETUP = local_admin("setup")
LOCKED_FI = "Jakso 2 on hyväksytty ja lukittu"
ROUNDS = 25


def _user(session: Session, name: str, role: str, display: str = "") -> Actor:
    user = create_user(session, name, role=role, password=f"{name}-salasana-1", actor=SETUP)
    if display:
        user.display_name = display
    session.commit()
    return Actor.of(user)


def _join(session: Session, actor: Actor, project_id: int) -> Actor:
    user = session.get(User, actor.user_id)
    project = session.get(Project, project_id)
    assert user is not None and project is not None
    person = person_for_user(session, user)
    project.people.append(
        ProjectPerson(person=person, role="Jäsen", is_team=True, position=len(project.people))
    )
    session.commit()
    return Actor.of(user)


def _group(period: int | None, count: int, **extra: Any) -> dict[str, Any]:
    return {"period": period, "gender": "nainen", "age_class": "alle-25", "count": count} | extra


PROJECT: dict[str, Any] = {
    "name": "Lukittu ESR-hanke",
    "funding": [{"funder": {"name": "ELY"}, "funder_code": "ESR", "amount": "1000"}],
    "periods": [
        {"number": 1, "start_date": "2026-01-01", "end_date": "2026-06-30"},
        {
            "number": 2,
            "start_date": "2026-07-01",
            "end_date": "2026-12-31",
            "volunteers": 4,
            "volunteer_hours": "20",
            "volunteers_basis": "estimate",
            "feedback_methods": "Kysely",
        },
    ],
    "cost_actuals": [
        {"period": 1, "scheme": "esr", "category": "palkkakustannukset", "amount": "1000"},
        {"period": 2, "scheme": "esr", "category": "palkkakustannukset", "amount": "2000"},
        {"period": 2, "scheme": "esr", "category": "tulot", "amount": "100"},
    ],
    "participant_stats": [
        _group(1, 3),
        _group(2, 5),
        _group(2, 2, labour_status="tyoton", education="perusaste"),
        _group(None, 7),
    ],
}


@pytest.fixture
def registry(database: Database) -> dict[str, Any]:
    with database.session("setup") as session:
        project = ps.create_project(session, PROJECT, actor=SETUP).id
        return {
            "project": project,
            "maija": _join(session, _user(session, "maija", "manager"), project),
            "riitta": _user(session, "riitta", "reviewer", "Riitta Tarkastaja"),
            "rolf": _user(session, "rolf", "reviewer"),
            "admin": _user(session, "paakayttaja", "admin"),
        }


def _approve(database: Database, registry: dict[str, Any], period: int = 2) -> None:
    with database.session() as session:
        period_review.submit(
            session, registry["project"], period, actor=registry["maija"], archive=False
        )
        period_review.approve(session, registry["project"], period, actor=registry["riitta"])


def _doc(database: Database, project: int) -> dict[str, Any]:
    with database.session() as session:
        return ps.get_project_doc(session, project, actor=SETUP).model_dump(mode="json")


def _save(database: Database, registry: dict[str, Any], change: Callable[[Any], None]) -> int:
    """The editor's save of the stored document with ``change`` made to it."""
    with database.session() as session:
        loaded = editing.load_for_edit(session, registry["project"], registry["maija"])
        doc = loaded.doc.model_dump(mode="json")
        change(doc)
        return editing.save_edited(
            session,
            registry["project"],
            doc,
            expected_version=loaded.version,
            known_attachments=set(),
            actor=registry["maija"],
        )


def _in_period(rows: list[dict[str, Any]], period: int | None) -> list[dict[str, Any]]:
    return [row for row in rows if row["period"] == period]


LOCKED_CHANGES: dict[str, Callable[[Any], None]] = {
    "participant count": lambda d: _in_period(d["participant_stats"], 2)[0].update(count=6),
    "participant group's status": lambda d: _in_period(d["participant_stats"], 2)[1].update(
        labour_status="tyollinen"
    ),
    "participant group added": lambda d: d["participant_stats"].append(
        _group(2, 1, labour_status="opiskelija")
    ),
    "participant group removed": lambda d: d["participant_stats"].remove(
        _in_period(d["participant_stats"], 2)[1]
    ),
    "cost amount": lambda d: _in_period(d["cost_actuals"], 2)[0].update(amount="2000.01"),
    "cost category": lambda d: _in_period(d["cost_actuals"], 2)[1].update(category="ostopalvelut"),
    "cost note": lambda d: _in_period(d["cost_actuals"], 2)[0].update(note="Korjattu"),
    "cost added": lambda d: d["cost_actuals"].append(
        {"period": 2, "scheme": "esr", "category": "ostopalvelut", "amount": "5"}
    ),
    "cost removed": lambda d: d["cost_actuals"].remove(_in_period(d["cost_actuals"], 2)[0]),
    "volunteers": lambda d: d["periods"][1].update(volunteers=5),
    "volunteer hours": lambda d: d["periods"][1].update(volunteer_hours="21"),
    "feedback methods": lambda d: d["periods"][1].update(feedback_methods="Haastattelut"),
}


@pytest.mark.parametrize("change", list(LOCKED_CHANGES))
def test_a_locked_periods_participants_costs_and_volunteers_are_refused(
    database: Database, registry: dict[str, Any], change: str
) -> None:
    _approve(database, registry)
    before = _doc(database, registry["project"])
    with pytest.raises(ValidationFailed) as refused:
        _save(database, registry, LOCKED_CHANGES[change])
    (problem,) = refused.value.problems
    assert LOCKED_FI in describe_problem(problem, "fi")
    assert _doc(database, registry["project"]) == before


def test_around_a_locked_period_the_rest_is_saved(
    database: Database, registry: dict[str, Any]
) -> None:
    """The whole project's groups, the other period's costs and groups, a new period after the
    locked one and the order of the rows are not the locked period's values."""
    _approve(database, registry)

    def change(doc: dict[str, Any]) -> None:
        _in_period(doc["participant_stats"], None)[0]["count"] = 8
        _in_period(doc["participant_stats"], 1)[0]["count"] = 4
        doc["participant_stats"].append(_group(1, 1, labour_status="tyoton"))
        _in_period(doc["cost_actuals"], 1)[0]["amount"] = "1500"
        doc["cost_actuals"].reverse()  # the locked period's rows in another order
        doc["participant_stats"].reverse()
        doc["periods"][0]["volunteers"] = 2
        doc["periods"].append({"number": 3, "start_date": "2027-01-01", "end_date": "2027-06-30"})
        doc["cost_actuals"].append(
            {"period": 3, "scheme": "esr", "category": "ostopalvelut", "amount": "7"}
        )

    _save(database, registry, change)
    after = _doc(database, registry["project"])
    assert _in_period(after["participant_stats"], None)[0]["count"] == 8
    assert sorted(s["count"] for s in _in_period(after["participant_stats"], 1)) == [1, 4]
    assert sorted(s["count"] for s in _in_period(after["participant_stats"], 2)) == [2, 5]
    assert sorted(Decimal(c["amount"]) for c in _in_period(after["cost_actuals"], 2)) == [100, 2000]
    assert [Decimal(c["amount"]) for c in _in_period(after["cost_actuals"], 3)] == [7]
    assert after["periods"][1]["volunteers"] == 4


def test_reopened_the_period_takes_the_change(database: Database, registry: dict[str, Any]) -> None:
    _approve(database, registry)
    with database.session() as session:
        period_review.reopen(
            session, registry["project"], 2, "Luvut väärin", actor=registry["rolf"]
        )
    _save(database, registry, LOCKED_CHANGES["cost amount"])
    after = _doc(database, registry["project"])
    assert Decimal("2000.01") in {
        Decimal(c["amount"]) for c in _in_period(after["cost_actuals"], 2)
    }


# --- a save racing with the approval -------------------------------------------------------


@pytest.fixture
def racing_db(database: Database) -> Iterator[Database]:
    """The test database with connections enough for the writers and the observer."""
    engine = make_engine(database.engine.url.render_as_string(hide_password=False), pool_size=6)
    yield Database(engine, make_sessionmaker(engine))
    engine.dispose()


_SNAPSHOT = text(
    "SELECT p.version, r.state FROM project p JOIN period_review r ON r.project_id = p.id "
    "WHERE p.id = :project AND r.period = 2"
)


def _race_round(
    db: Database, registry: dict[str, Any], round_number: int
) -> tuple[Any, Any, list[tuple[int, str]], int]:
    """Period 2 submitted; the manager saves a new actual cost of it while the reviewer
    approves it, released together. An observer reads (version, state) all the while, each
    read one snapshot. Gives the save's and the approval's outcomes, the snapshots and the
    project's version the manager loaded."""
    project = registry["project"]
    with db.session() as session:
        if period_review.state_of(session, project, 2, actor=SETUP).state == "approved":
            period_review.reopen(session, project, 2, "Uusi kierros", actor=registry["rolf"])
        period_review.submit(session, project, 2, actor=registry["maija"], archive=False)
        loaded = editing.load_for_edit(session, project, registry["maija"])
    doc = loaded.doc.model_dump(mode="json")
    _in_period(doc["cost_actuals"], 2)[0]["amount"] = str(3000 + round_number)

    def save() -> int:
        with db.session() as session:
            return editing.save_edited(
                session,
                project,
                doc,
                expected_version=loaded.version,
                known_attachments=set(),
                actor=registry["maija"],
            )

    def approve() -> str:
        # Later and later in the save (which reads, checks and writes much more): the rounds
        # see the approval both before the save's check and while the save writes.
        time.sleep((round_number % 6) * 0.01)
        with db.session() as session:
            return period_review.approve(session, project, 2, actor=registry["riitta"]).state

    barrier = threading.Barrier(2)
    done = threading.Event()
    outcomes: dict[str, Any] = {}
    snapshots: list[tuple[int, str]] = []

    def run(name: str, work: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            outcomes[name] = work()
        except Exception as exc:  # the test inspects both outcomes
            outcomes[name] = exc

    def observe() -> None:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            while not done.is_set():
                row = connection.execute(_SNAPSHOT, {"project": project}).one()
                snapshots.append((int(row[0]), str(row[1])))

    observer = threading.Thread(target=observe)
    observer.start()
    threads = [
        threading.Thread(target=run, args=("save", save)),
        threading.Thread(target=run, args=("approve", approve)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    done.set()
    observer.join(timeout=60)
    assert not any(t.is_alive() for t in [*threads, observer]), "a writer hung"
    return outcomes["save"], outcomes["approve"], snapshots, loaded.version


def _ids(db: Database, project: int, actor: str, after: int) -> list[int]:
    with db.session() as session:
        return list(
            session.scalars(
                select(AuditEntry.id).where(
                    AuditEntry.id > after,
                    AuditEntry.actor == actor,
                    AuditEntry.project_id == project,
                )
            )
        )


def test_a_save_racing_with_the_approval_never_changes_the_approved_values(
    racing_db: Database, registry: dict[str, Any]
) -> None:
    """Either the save comes first and the approval locks the saved values, or the approval
    comes first and the save is refused: never an approved period whose values change after
    it was approved (which the observer would have seen, or the order of the audit shows)."""
    project = registry["project"]
    outcomes = {"saved first": 0, "refused": 0}
    for round_number in range(ROUNDS):
        with racing_db.session() as session:
            mark = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
        saved, approved, snapshots, loaded_version = _race_round(racing_db, registry, round_number)
        assert approved == "approved", f"round {round_number}: the approval failed: {approved!r}"
        after = _doc(racing_db, project)
        amounts = {Decimal(c["amount"]) for c in _in_period(after["cost_actuals"], 2)}
        with racing_db.session() as session:
            stored = session.get(Project, project)
            assert stored is not None
            version = stored.version
        if isinstance(saved, Exception):
            assert isinstance(saved, ValidationFailed), f"round {round_number}: {saved!r}"
            assert LOCKED_FI in describe_problem(saved.problems[0], "fi")
            assert version == loaded_version
            assert 3000 + round_number not in amounts
            outcomes["refused"] += 1
            continue
        outcomes["saved first"] += 1
        assert version == saved and 3000 + round_number in amounts
        seen_approved = sorted({v for v, state in snapshots if state == "approved"})
        assert seen_approved in ([], [version]), (
            f"round {round_number}: the period was approved at version {seen_approved[0]} "
            f"and its values were changed after that (version {version})"
        )
        # The approval's writes come after every write of the save (it waited for the save).
        saves = _ids(racing_db, project, "maija", mark or 0)
        approvals = _ids(racing_db, project, "riitta", mark or 0)
        assert saves and approvals
        assert max(saves) < min(approvals), (
            f"round {round_number}: the save's writes were committed after the approval"
        )
    assert outcomes["saved first"] + outcomes["refused"] == ROUNDS


# --- a return's reason is a comment on the period ---------------------------------------------


def test_the_reason_of_a_return_is_a_comment_in_the_periods_thread(
    database: Database, registry: dict[str, Any]
) -> None:
    project = registry["project"]
    reason = "Osallistujamäärä puuttuu jaksolta 2, @maija täydennä."
    with database.session() as session:
        period_review.submit(session, project, 2, actor=registry["maija"], archive=False)
        period_review.return_(session, project, 2, reason, actor=registry["riitta"])
    with database.session() as session:
        threads = comments.list_threads(
            session, comments.Target(comments.PERIOD, project, "2"), actor=registry["maija"]
        )
        assert [(t.comment.body, t.comment.author) for t in threads] == [
            (reason, "Riitta Tarkastaja")
        ]
        assert threads[0].comment.author_id == registry["riitta"].user_id
        # Only period 2's thread: nothing on the project's sections or on period 1.
        everywhere = comments.list_threads(
            session, comments.Target(comments.PERIOD, project), actor=SETUP
        )
        assert len(everywhere) == 1
        assert not comments.list_threads(
            session, comments.Target(comments.PROJECT, project), actor=SETUP
        )
        audited = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "comment", AuditEntry.field == "body")
        ).all()
        assert [(e.actor, e.new_value, e.project_id) for e in audited] == [
            ("riitta", reason, project)
        ]
        exported = json.loads(registry_io.export_json(session, actor=registry["admin"]))
    ours = next(p for p in exported["projects"] if p["name"] == PROJECT["name"])
    assert [
        (c["target_kind"], c["part_key"], c["author"], c["body"])
        for c in exported["comments"]
        if c["project"] == ours["key"]
    ] == [("period", "2", "Riitta Tarkastaja", reason)]
    with database.session() as session:
        assert period_review.state_of(session, project, 2, actor=SETUP).reason == reason
        # The mention in the reason tells the manager, like a mention in any comment.
        kinds = session.scalars(
            select(Notice.kind).where(Notice.user_id == registry["maija"].user_id)
        ).all()
    assert comments.MENTION_KIND in kinds


def test_a_second_return_is_a_second_comment_and_approval_adds_none(
    database: Database, registry: dict[str, Any]
) -> None:
    project = registry["project"]
    with database.session() as session:
        for reason in ("Ensimmäinen palautus", "Toinen palautus"):
            period_review.submit(session, project, 2, actor=registry["maija"], archive=False)
            period_review.return_(session, project, 2, f"  {reason}  ", actor=registry["riitta"])
        period_review.submit(session, project, 2, actor=registry["maija"], archive=False)
        period_review.approve(session, project, 2, actor=registry["rolf"])
        period_review.reopen(session, project, 2, "Avattu korjausta varten", actor=registry["rolf"])
        threads = comments.list_threads(
            session, comments.Target(comments.PERIOD, project, "2"), actor=SETUP
        )
    assert [t.comment.body for t in threads] == ["Ensimmäinen palautus", "Toinen palautus"]


def test_a_refused_return_leaves_no_comment(database: Database, registry: dict[str, Any]) -> None:
    project = registry["project"]
    with database.session() as session:
        with pytest.raises(period_review.ReviewRefused):  # a draft is not returned
            period_review.return_(session, project, 2, "Palautus", actor=registry["riitta"])
        with pytest.raises(ValidationFailed):  # no reason
            period_review.return_(session, project, 2, " ", actor=registry["riitta"])
        assert not comments.list_threads(
            session, comments.Target(comments.PERIOD, project), actor=SETUP
        )
