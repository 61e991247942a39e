"""Assessment autosave benchmark: prints ``name value unit`` lines (not a timed test).

    .venv/bin/python -m tests.bench.bench_autosave [--saves 50]

A temporary SQLite registry with the demo loaded; the demo's evaluated assessment is copied
into a new draft (a demo-sized document: 2 alternatives, 18 impacts, answers, risks, hearings
and follow-ups). Each save is one field saved the way the wizard saves it, alternately an
answer and a matrix cell, plus what the page reads back afterwards to redraw progress, checks
and the comparison: the autosave round trip. ``save`` below is the one place that knows how
the services are called.

- ``autosave_round_trip_p50`` / ``_p95`` — wall clock of one round trip over ``--saves`` saves;
- ``autosave_round_trip_cpu_p50`` — the CPU time of this process for one round trip (the
  wall clock grows with the machine's load, the CPU time much less);
- ``autosave_statements_per_save`` — SQL statements one round trip sends (median; counted
  with a ``before_cursor_execute`` event).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from evaus.db import Database
from evaus.demo import load_demo
from evaus.services import assessments as svc
from evaus.services.access import Actor, local_admin
from evaus.services.startup import open_registry
from project_db.assessment_models import Assessment

ADMIN = local_admin("bench")


def save(
    database: Database, actor: Actor, assessment_id: int, version: int, n: int
) -> tuple[int, Any]:
    """One autosave round trip as the UI does it: the save, then the state the page redraws
    from. Returns the new lock version and that state."""
    change: svc.Edit
    if n % 2:
        fields = {"direction": "+" if n % 4 == 1 else "-", "justification": f"Perustelu {n}"}
        change = svc.impact_edit("economy", ALTERNATIVE[0], fields)
    else:
        change = svc.SetAnswer("needs", f"Vastaus numero {n}")
    with database.session("bench") as db:
        result = svc.edit(db, assessment_id, change, expected_version=version, actor=actor)
        state = (result.progress, result.issues, result.comparison, result.doc)
    return result.version, state


ALTERNATIVE: list[str] = []


def draft(database: Database) -> int:
    """A new draft copied from the demo's evaluated assessment."""
    with database.session("bench") as db:
        load_demo(db)
        source = db.scalar(select(Assessment).where(Assessment.status == "jalkiarvioitu"))
        assert source is not None
        view = svc.new_version(db, source.id, actor=ADMIN)
        ALTERNATIVE[:] = [a.key for a in view.doc.alternatives if not a.is_zero]
        return view.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = open_registry(url=f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        assessment_id = draft(database)
        statements = [0]

        def count(*_: Any) -> None:
            statements[0] += 1

        event.listen(database.engine, "before_cursor_execute", count)
        with database.session("bench") as db:
            version = db.get_one(Assessment, assessment_id).version
        times: list[float] = []
        cpu: list[float] = []
        counts: list[int] = []
        for n in range(args.saves + 2):
            statements[0] = 0
            start, start_cpu = time.perf_counter(), time.process_time()
            version, state = save(database, ADMIN, assessment_id, version, n)
            elapsed = (time.perf_counter() - start) * 1000
            elapsed_cpu = (time.process_time() - start_cpu) * 1000
            assert state[3].answers or n % 2
            if n >= 2:  # the first two warm the caches
                times.append(elapsed)
                cpu.append(elapsed_cpu)
                counts.append(statements[0])
        database.engine.dispose()
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"autosave_round_trip_p50 {statistics.median(times):.1f} ms")
    print(f"autosave_round_trip_p95 {p95:.1f} ms")
    print(f"autosave_round_trip_cpu_p50 {statistics.median(cpu):.1f} ms")
    print(f"autosave_statements_per_save {statistics.median(counts):.0f} statements")
    print(f"autosave_saves {len(times)} saves")


if __name__ == "__main__":
    main()
