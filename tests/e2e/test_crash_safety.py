"""Crash safety: `evaus serve` is killed with SIGKILL in the middle of autosaving, 12 times
(each of the six kill moments twice).

One draft assessment and one admin are written through the services into a data dir of this
test's own. Each round N (1–12):

1. start `evaus serve` (a fresh process, the same SQLite file), sign in from a fresh browser
   context and open the wizard at step 1 (text questions);
2. the page must show what survived the previous crash: question A ("Toimintaympäristö")
   holds exactly round N-1's reported-saved text (the seeded text in round 1), and question B
   ("Lähtötilanne ja …") holds either its last known value or round N-1's in-flight text
   (the kill may land before, during or after that save; anything else is a torn or lost write);
3. type ``kierros N: tallennettu …`` into A and wait until the aria-live status says
   "Tallennettu klo …" — from then on that text is *reported saved*;
4. type ``kierros N: kesken …`` into B and, after a delay that cycles 0–1.2 s (before, around
   and after the 0.7 s autosave debounce, so some kills land inside the save and its commit),
   send SIGKILL to the server and wait for it to die.

Afterwards, with the server down, the SQLite file is opened through the services:

* A's stored answer is round 20's reported-saved text, B's is one of the two allowed values;
* A's audit history (old → new text, written in the same transaction as the answer) is exactly
  the chain "alkuarvo" → round 1 → round 2 → … → round 20: A only ever receives the
  reported-saved texts (it is seeded with a first text through the services so that every
  round is an audited update), so each round is checked precisely — a lost commit, a ghost
  or a repeated write breaks the chain, not only a wrong last value;
* ``PRAGMA integrity_check`` says ``ok`` and ``PRAGMA foreign_key_check`` finds nothing;
* the server starts once more on the same data and serves ``/status``.

It fails when a save the UI reported is lost (e.g. the status is shown before the commit, or
the commit is not durable against a process crash — WAL with synchronous=NORMAL is), when the
kill leaves a half-written answer or a corrupt/inconsistent database, or when the server
cannot start on the data a crash left behind.
"""

from __future__ import annotations

import re
import signal
import subprocess
import time
from itertools import pairwise
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import select, text

from evaus.services import assessments
from evaus.services.access import Actor, local_admin
from evaus.services.startup import open_registry
from evaus.services.users import create_user
from project_db.assessment_models import AssessmentAnswer
from project_db.engine import sqlite_url
from project_db.models import AuditEntry, User

from .conftest import PASSWORDS, Server, _start, _stop, login

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROUNDS = 12  # every moment of KILL_DELAYS twice; each round is a server start (~9 s)
SAVED_LABEL = "Toimintaympäristö"  # question A: operating_environment
SAVED_KEY = "operating_environment"
INFLIGHT_LABEL = "Lähtötilanne ja strategiset liittymäkohdat"  # question B: starting_point
INFLIGHT_KEY = "starting_point"
INITIAL = "alkuarvo ennen kierroksia"
KILL_DELAYS = [0.0, 0.3, 0.6, 0.75, 0.9, 1.2]  # seconds after typing B, before SIGKILL


def _prepare_minimal(data_dir: Path) -> int:
    """An admin and one draft assessment, written through the services; the assessment id."""
    database = open_registry(url=sqlite_url(data_dir))
    try:
        with database.session("test-setup") as session:
            create_user(
                session,
                "admin",
                role="admin",
                password=PASSWORDS["admin"],
                display_name="Admin",
                language="fi",
                actor=local_admin("test-setup"),
            )
            session.commit()
            admin = Actor.of(session.scalars(select(User).where(User.username == "admin")).one())
            view = assessments.create_assessment(
                session,
                {"title": "Kaatumistesti", "decision": "Kestääkö tallennus kaatumisen?"},
                actor=admin,
            )
            # A starts with a text, so that every round's save is an update the audit log
            # records with its old and new text (the created row is logged as a "create").
            assessments.set_answer(
                session, view.id, SAVED_KEY, INITIAL, expected_version=None, actor=admin
            )
            return view.id
    finally:
        database.engine.dispose()


def _question(page: Page, label: str) -> Locator:
    return page.get_by_role("textbox", name=re.compile("^" + re.escape(label)))


def _wait_saved(page: Page) -> None:
    status = page.locator('[role="status"]').filter(has_text=re.compile("Tallenne"))
    expect(status).to_have_text(re.compile(r"Tallennettu klo \d"), timeout=15_000)


def _kill(process: subprocess.Popen[bytes], url: str) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    with pytest.raises(httpx.HTTPError):  # nothing (no child process) keeps serving
        httpx.get(f"{url}/status", timeout=2)


def test_sigkill_during_autosave_loses_no_reported_save(browser: Browser, tmp_path: Path) -> None:
    assessment_id = _prepare_minimal(tmp_path)
    reported_saved: list[str] = []
    inflight_known = ""  # B's value as last seen on a page (after a restart)
    inflight_last = ""  # what was typed into B just before the last kill
    survived = 0  # kills after B's save was committed (the others hit before or inside it)
    for number in range(1, ROUNDS + 1):
        process, url = _start(tmp_path)
        try:
            context = browser.new_context()
            page = context.new_page()
            server = Server(url=url, data_dir=tmp_path)
            path = f"/assessments/{assessment_id}?step=1"
            login(page, server, "admin", path)
            page.goto(f"{url}{path}")
            saved_box = _question(page, SAVED_LABEL)
            inflight_box = _question(page, INFLIGHT_LABEL)
            expect(saved_box).to_be_editable()
            expect(saved_box).to_have_value(reported_saved[-1] if reported_saved else INITIAL)
            shown = inflight_box.input_value()
            assert shown in {inflight_known, inflight_last}, (number, shown)
            survived += bool(inflight_last) and shown == inflight_last
            inflight_known = shown

            saved_text = f"kierros {number}: tallennettu {time.time_ns()}"
            saved_box.fill(saved_text)
            _wait_saved(page)
            reported_saved.append(saved_text)

            inflight_last = f"kierros {number}: kesken {time.time_ns()}"
            inflight_box.fill(inflight_last)
            # The pause is what is tested: SIGKILL at varied moments of the autosave.
            time.sleep(KILL_DELAYS[number % len(KILL_DELAYS)])
            _kill(process, url)
            context.close()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)

    database = open_registry(url=sqlite_url(tmp_path))
    try:
        with database.session("test-check") as session:
            admin = Actor.of(session.scalars(select(User).where(User.username == "admin")).one())
            answers = assessments.get_assessment(session, assessment_id, actor=admin).doc.answers
            assert answers.get(SAVED_KEY) == reported_saved[-1]
            assert answers.get(INFLIGHT_KEY, "") in {inflight_known, inflight_last}
            answer_id = session.scalars(
                select(AssessmentAnswer.id).where(
                    AssessmentAnswer.assessment_id == assessment_id,
                    AssessmentAnswer.question_key == SAVED_KEY,
                )
            ).one()
            history = session.execute(
                select(AuditEntry.old_value, AuditEntry.new_value)
                .where(
                    AuditEntry.entity == "assessment_answer",
                    AuditEntry.entity_id == answer_id,
                    AuditEntry.field == "text",
                    AuditEntry.action == "update",
                )
                .order_by(AuditEntry.id)
            ).all()
            assert len(reported_saved) == ROUNDS
            chain = [INITIAL, *reported_saved]
            assert [tuple(row) for row in history] == list(pairwise(chain))
            connection = session.connection()
            assert connection.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
    finally:
        database.engine.dispose()

    print(f"B's in-flight text survived {survived} of {ROUNDS - 1} kills")
    process, url = _start(tmp_path)
    try:
        response = httpx.get(f"{url}/status", timeout=10)
        assert response.status_code == 200
    finally:
        _stop(process)
