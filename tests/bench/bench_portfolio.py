"""Portfolio roll-up benchmark at scale: prints ``name value unit`` lines (not a timed test).

    .venv/bin/python -m tests.bench.bench_portfolio --projects 10000     # make bench-quick
    .venv/bin/python -m tests.bench.bench_portfolio --projects 100000    # make bench

The database (``tests.bench.dataset``: generated projects, made once and reused; or ``--url``)
has no portfolios and no catalogue links of its own, so the selections are the ones a
generated registry can make: a funder (ESR, about a quarter of the projects), a region, a
funder over three years, and the whole registry. Measured for each, as the portfolio page
does it: the first figures (projects by status and money by cost category — the target is
≤ 1 s — alone and with the projects' own budgets, ``portfolio_figures``), the participants
and the indicator table read after them, and the first page of the list behind a figure.
Medians over the rounds, and the first (cold) round apart.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from evaus.services import portfolio
from evaus.services.access import local_admin
from evaus.services.startup import open_registry
from project_db import rollups
from project_db.rollups import FigureRef, Selection
from tests.bench.dataset import ensure_database

READER = local_admin("bench")
SELECTIONS = {
    "esr_uusimaa": Selection(funders=("ESR",), regions=("uusimaa",)),
    "municipality": Selection(municipalities=("Tampere",)),
    "esr": Selection(funders=("ESR",)),
    "region": Selection(regions=("uusimaa",)),
    "esr_2016_2018": Selection(funders=("ESR",), start=date(2016, 1, 1), end=date(2018, 12, 31)),
    "everything": Selection(),
}


def _timed(work: Callable[[], Any], rounds: int) -> tuple[float, float, float, Any]:
    """(cold ms, median ms of the warm rounds, their median CPU ms, the last result). The CPU
    time of this process is what the in-process SQLite work costs without the machine's other
    load; on PostgreSQL the server's work is not in it."""
    times, cpu = [], []
    result = None
    for _ in range(rounds + 1):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return times[0], statistics.median(times[1:]), statistics.median(cpu[1:]), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--url", help="database URL (default: the shared generated SQLite file)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    url = ensure_database(args.projects, args.url)
    database = open_registry(url=url)
    backend = database.engine.dialect.name
    print(f"portfolio_projects_{backend} {args.projects} projects")
    with database.session("bench") as session:
        for name, selection in SELECTIONS.items():

            def first(selection: Selection = selection) -> Any:
                return (
                    rollups.status_counts(session, selection),
                    rollups.money(session, selection),
                )

            cold, warm, cpu, (statuses, _money) = _timed(first, args.rounds)
            prefix = f"portfolio_{name}_{backend}"
            print(f"{prefix}_projects {sum(s.count for s in statuses)} projects")
            print(f"{prefix}_status_money_cold {cold:.0f} ms")
            print(f"{prefix}_status_money_p50 {warm:.0f} ms")
            print(f"{prefix}_status_money_cpu_p50 {cpu:.0f} ms")
            cold, warm, cpu, _figures = _timed(
                lambda selection=selection: portfolio.portfolio_figures(
                    session, selection, actor=READER, with_participants=False
                ),
                args.rounds,
            )
            print(f"{prefix}_first_figures_p50 {warm:.0f} ms")
            print(f"{prefix}_first_figures_cpu_p50 {cpu:.0f} ms")
            cold, warm, cpu, _later = _timed(
                lambda selection=selection: (
                    portfolio.portfolio_participants(session, selection, actor=READER),
                    portfolio.portfolio_indicators(session, selection, actor=READER),
                ),
                max(1, args.rounds // 2),
            )
            print(f"{prefix}_participants_indicators_p50 {warm:.0f} ms")
            print(f"{prefix}_participants_indicators_cpu_p50 {cpu:.0f} ms")
            cold, warm, cpu, listed = _timed(
                lambda selection=selection: portfolio.figure_projects(
                    session,
                    selection,
                    FigureRef(kind="status", code="kaynnissa"),
                    actor=READER,
                    limit=50,
                ),
                args.rounds,
            )
            print(f"{prefix}_list_first_page_p50 {warm:.0f} ms")
            print(f"{prefix}_list_total {listed.total} projects")
    database.engine.dispose()


if __name__ == "__main__":
    main()
