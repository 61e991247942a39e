"""The review of reporting periods on SQLite and PostgreSQL: draft → submitted → approved or
returned, who may move a period, the lock of an approved period through every route (the
editor's save, the API, a re-import), reopening with a reason, and the audit trail."""

from __future__ import annotations

import io
import json
from typing import Any

import openpyxl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from evaus.api import router
from evaus.db import Database
from evaus.i18n import describe_problem
from evaus.services import editing, period_review, registry_io, tokens
from evaus.services import projects as ps
from evaus.services.access import Actor, Forbidden
from project_db.errors import ValidationFailed
from project_db.models import AuditEntry, ReportArchive
from project_db.period_review import PeriodReviewEvent
from tests.db.conftest import SETUP, join_project, new_user

LOCKED_FI = "Jakso 2 on hyväksytty ja lukittu"


@pytest.fixture
def registry(database: Database) -> dict[str, Any]:
    with database.session("setup") as session:
        project = ps.create_project(
            session,
            {
                "name": "ESR-hanke",
                "funding": [{"funder": {"name": "ELY"}, "funder_code": "ESR", "amount": "1000"}],
                "indicators": [
                    {
                        "name": "Osallistujat",
                        "unit": "hlöä",
                        "target": "100",
                        "values": [
                            {"period": 1, "value": "10", "basis": "collected"},
                            {"period": 2, "value": "20", "basis": "collected"},
                        ],
                    }
                ],
                "periods": [
                    {"number": 1, "start_date": "2026-01-01", "end_date": "2026-06-30"},
                    {
                        "number": 2,
                        "start_date": "2026-07-01",
                        "end_date": "2026-12-31",
                        "done": "Tehtiin paljon.",
                    },
                ],
            },
            actor=SETUP,
        ).id
        other = ps.create_project(session, {"name": "Muu hanke"}, actor=SETUP).id
        return {
            "project": project,
            "maija": join_project(session, new_user(session, "maija", "manager"), project),
            "kalle": join_project(session, new_user(session, "kalle", "manager"), other),
            "riitta": new_user(session, "riitta", "reviewer"),
            "rolf": new_user(session, "rolf", "reviewer"),
            "ville": new_user(session, "ville", "viewer"),
            "admin": new_user(session, "paakayttaja", "admin"),
        }


def _state(database: Database, project: int, period: int) -> str:
    with database.session() as session:
        return period_review.state_of(session, project, period, actor=SETUP).state


def test_the_state_machine_and_who_may_move_it(
    database: Database, registry: dict[str, Any]
) -> None:
    project = registry["project"]
    assert _state(database, project, 2) == "draft"
    with database.session() as session:
        for outsider in ("kalle", "ville", "riitta"):
            with pytest.raises(Forbidden):
                period_review.submit(session, project, 2, actor=registry[outsider])
        with pytest.raises(period_review.ReviewRefused):  # nothing submitted yet
            period_review.approve(session, project, 2, actor=registry["riitta"])
        state = period_review.submit(session, project, 2, actor=registry["maija"])
        assert (state.state, state.submitted_by) == ("submitted", "maija")
        with pytest.raises(period_review.ReviewRefused):  # submitted twice
            period_review.submit(session, project, 2, actor=registry["maija"])
        for not_reviewer in ("maija", "kalle", "ville"):
            with pytest.raises(Forbidden):
                period_review.approve(session, project, 2, actor=registry[not_reviewer])
        with pytest.raises(ValidationFailed):  # a return needs a reason
            period_review.return_(session, project, 2, "  ", actor=registry["riitta"])
        returned = period_review.return_(
            session, project, 2, "Osallistujamäärä puuttuu", actor=registry["riitta"]
        )
        assert (returned.state, returned.reason) == ("returned", "Osallistujamäärä puuttuu")
        # The manager sees the reason.
        seen = period_review.state_of(session, project, 2, actor=registry["maija"])
        assert seen.reason == "Osallistujamäärä puuttuu"
        period_review.submit(session, project, 2, actor=registry["maija"])
        approved = period_review.approve(session, project, 2, actor=registry["rolf"])
        assert approved.state == "approved"
        assert [(e.from_state, e.to_state, e.actor) for e in approved.events] == [
            ("draft", "submitted", "maija"),
            ("submitted", "returned", "riitta"),
            ("returned", "submitted", "maija"),
            ("submitted", "approved", "rolf"),
        ]
        assert period_review.state_of(session, project, 1, actor=SETUP).state == "draft"
        with pytest.raises(Forbidden):
            period_review.reopen(session, project, 2, "Korjaus", actor=registry["maija"])
        with pytest.raises(ValidationFailed):
            period_review.reopen(session, project, 2, "", actor=registry["rolf"])


def test_nobody_approves_their_own_submission(database: Database, registry: dict[str, Any]) -> None:
    admin = registry["admin"]
    with database.session() as session:
        period_review.submit(session, registry["project"], 1, actor=admin)
        with pytest.raises(period_review.ReviewForbidden) as refused:
            period_review.approve(session, registry["project"], 1, actor=admin)
        assert "1" in refused.value.text("fi")
        period_review.approve(session, registry["project"], 1, actor=registry["riitta"])
    assert _state(database, registry["project"], 1) == "approved"


def test_submission_archives_the_period_report(
    database: Database, registry: dict[str, Any]
) -> None:
    with database.session() as session:
        state = period_review.submit(session, registry["project"], 2, actor=registry["maija"])
        archive_id = state.events[-1].archive_id
        assert archive_id is not None
        row = session.get(ReportArchive, archive_id)
        assert row is not None
        assert (row.kind, row.period, row.project_id) == ("esr-period", 2, registry["project"])


def _approve(database: Database, registry: dict[str, Any], period: int = 2) -> None:
    with database.session() as session:
        period_review.submit(session, registry["project"], period, actor=registry["maija"])
        period_review.approve(session, registry["project"], period, actor=registry["riitta"])


def _doc(database: Database, project: int) -> dict[str, Any]:
    with database.session() as session:
        return ps.get_project_doc(session, project, actor=SETUP).model_dump(mode="json")


def test_the_editor_save_refuses_a_change_of_a_locked_period(
    database: Database, registry: dict[str, Any]
) -> None:
    project = registry["project"]
    _approve(database, registry)
    maija = registry["maija"]
    for change in ("narrative", "actual", "removed"):
        with database.session() as session:
            loaded = editing.load_for_edit(session, project, maija)
            doc = loaded.doc.model_dump(mode="json")
            if change == "narrative":
                doc["periods"][1]["done"] = "Muutettu jälkikäteen"
            elif change == "actual":
                doc["indicators"][0]["values"][1]["value"] = "25"
            else:
                doc["indicators"][0]["values"] = doc["indicators"][0]["values"][:1]
            with pytest.raises(ValidationFailed) as refused:
                editing.save_edited(
                    session,
                    project,
                    doc,
                    expected_version=loaded.version,
                    known_attachments=set(),
                    actor=maija,
                )
            assert LOCKED_FI in describe_problem(refused.value.problems[0], "fi")
    # Other changes — the unlocked period 1, the project's name — are saved.
    with database.session() as session:
        loaded = editing.load_for_edit(session, project, maija)
        doc = loaded.doc.model_dump(mode="json")
        doc["name"] = "ESR-hanke (uusi nimi)"
        doc["periods"][0]["done"] = "Kausi 1 täydennetty"
        doc["indicators"][0]["values"][0]["value"] = "12"
        editing.save_edited(
            session,
            project,
            doc,
            expected_version=loaded.version,
            known_attachments=set(),
            actor=maija,
        )
    after = _doc(database, project)
    assert after["periods"][1]["done"] == "Tehtiin paljon."
    assert after["periods"][0]["done"] == "Kausi 1 täydennetty"


def test_reopening_with_a_reason_allows_the_change_and_is_audited(
    database: Database, registry: dict[str, Any]
) -> None:
    project = registry["project"]
    _approve(database, registry)
    with database.session() as session:
        period_review.reopen(session, project, 2, "Virhe luvuissa", actor=registry["rolf"])
    doc = _doc(database, project)
    doc["indicators"][0]["values"][1]["value"] = "25"
    with database.session() as session:
        ps.save_project_doc(session, project, doc, expected_version=None, actor=registry["maija"])
    assert _doc(database, project)["indicators"][0]["values"][1]["value"] == "25"
    with database.session() as session:
        events = session.scalars(select(PeriodReviewEvent).order_by(PeriodReviewEvent.id)).all()
        assert [(e.to_state, e.actor, e.reason) for e in events][-1] == (
            "draft",
            "rolf",
            "Virhe luvuissa",
        )
        audited = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity.in_(["period_review_event", "period_review"])
            )
        ).all()
        assert {e.actor for e in audited} >= {"maija", "riitta", "rolf"}
        assert any(e.new_value == "Virhe luvuissa" for e in audited)


def test_a_reimport_cannot_change_a_locked_period(
    database: Database, registry: dict[str, Any]
) -> None:
    project = registry["project"]
    _approve(database, registry)
    with database.session() as session:
        exported = json.loads(registry_io.export_json(session, actor=registry["admin"]))
    target = next(p for p in exported["projects"] if p["name"] == "ESR-hanke")
    target["periods"][1]["deviations"] = "Lisätty tuonnissa"
    with database.session() as session, pytest.raises(ValidationFailed) as refused:
        registry_io.import_source(
            session, json.dumps(exported).encode(), format_name="json", actor=registry["admin"]
        )
    assert LOCKED_FI in describe_problem(refused.value.problems[0], "fi")
    assert _doc(database, project)["periods"][1]["deviations"] == ""
    # The same file with the locked period as stored imports (nothing locked changes).
    target["periods"][1]["deviations"] = ""
    target["periods"][0]["deviations"] = "Kausi 1 tuonnista"
    with database.session() as session:
        registry_io.import_source(
            session, json.dumps(exported).encode(), format_name="json", actor=registry["admin"]
        )
    assert _doc(database, project)["periods"][0]["deviations"] == "Kausi 1 tuonnista"


def _client(database: Database) -> TestClient:
    app = FastAPI()
    app.include_router(router)
    app.state.database = database
    return TestClient(app)


def _token(database: Database, actor: Actor) -> dict[str, str]:
    with database.session("setup") as session:
        token = tokens.create_token(session, actor.user_id, "t", actor=SETUP)
        session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_the_api_moves_periods_and_refuses_a_locked_change(
    database: Database, registry: dict[str, Any]
) -> None:
    client = _client(database)
    project = registry["project"]
    maija, riitta = _token(database, registry["maija"]), _token(database, registry["riitta"])
    base = f"/api/projects/{project}/periods/2"
    assert client.post(f"{base}/approve", headers=riitta).status_code == 409
    assert client.post(f"{base}/submit", headers=riitta).status_code == 403
    answer = client.post(f"{base}/submit", headers=maija)
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "submitted"
    assert client.post(f"{base}/return", headers=riitta, json={}).status_code == 422
    answer = client.post(f"{base}/return", headers=riitta, json={"reason": "Puuttuu"})
    assert (answer.status_code, answer.json()["reason"]) == (200, "Puuttuu")
    assert client.post(f"{base}/submit", headers=maija).status_code == 200
    assert client.post(f"{base}/approve", headers=maija).status_code == 403
    assert client.post(f"{base}/approve", headers=riitta).json()["state"] == "approved"
    states = client.get(f"/api/projects/{project}/periods", headers=maija).json()
    assert [s["state"] for s in states] == ["draft", "approved"]

    read = client.get(f"/api/projects/{project}", headers=maija)
    doc = read.json()
    doc["periods"][1]["next_steps"] = "Muutettu API:lla"
    for outsider in ("ville", "kalle", "riitta"):
        refused = {**_token(database, registry[outsider]), "If-Match": read.headers["ETag"]}
        answer = client.put(f"/api/projects/{project}", headers=refused, json=doc)
        assert answer.status_code == 403, answer.text
    headers = {**maija, "If-Match": read.headers["ETag"]}
    assert client.put(f"/api/projects/{project}", headers=maija, json=doc).status_code == 428
    answer = client.put(f"/api/projects/{project}", headers=headers, json=doc)
    assert answer.status_code == 422, answer.text
    assert LOCKED_FI in answer.json()["detail"][0]["message"]
    assert _doc(database, project)["periods"][1]["next_steps"] == ""
    doc["periods"][1]["next_steps"] = ""
    doc["summary"] = "Muu muutos käy"
    answer = client.put(f"/api/projects/{project}", headers=headers, json=doc)
    assert answer.status_code == 200, answer.text

    answer = client.post(f"{base}/reopen", headers=riitta, json={"reason": "Korjataan"})
    assert answer.json()["state"] == "draft"
    read = client.get(f"/api/projects/{project}", headers=maija)
    doc = read.json()
    doc["periods"][1]["next_steps"] = "Muutettu API:lla"
    headers = {**maija, "If-Match": read.headers["ETag"]}
    assert client.put(f"/api/projects/{project}", headers=headers, json=doc).status_code == 200


def test_an_xlsx_reimport_cannot_change_a_locked_actual(
    database: Database, registry: dict[str, Any]
) -> None:
    _approve(database, registry)
    with database.session() as session:
        data = registry_io.export_xlsx(session, actor=registry["admin"])
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["indicator_values"]
    header = [c.value for c in sheet[1]]
    changed = 0
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("period")].value == 2:
            row[header.index("value")].value = 99
            changed += 1
    assert changed == 1
    out = io.BytesIO()
    book.save(out)
    with database.session() as session, pytest.raises(ValidationFailed) as refused:
        registry_io.import_source(
            session, out.getvalue(), filename="rekisteri.xlsx", actor=registry["admin"]
        )
    assert LOCKED_FI in describe_problem(refused.value.problems[0], "fi")
    values = _doc(database, registry["project"])["indicators"][0]["values"]
    assert [v["value"] for v in values] == ["10", "20"]
