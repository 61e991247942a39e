"""Search benchmark at scale: prints ``name value unit`` lines (not a timed test).

    .venv/bin/python -m tests.bench.bench_search --projects 10000     # make bench-quick
    .venv/bin/python -m tests.bench.bench_search --projects 100000    # make bench

The database (a SQLite file in the benchmarks' data folder, ``--data-dir``, or ``--url``) is filled
with ``evaus dev generate`` data up to N projects once and reused by later runs
(``tests.bench.dataset``; PostgreSQL is analysed after generating). The search cache is off
(``EVAUS_SEARCH_CACHE_SIZE=0``): every round runs the queries. Measured: the list query
(``list_projects``: count + first page of 50, ranked by relevance) for a broad term, a rare term,
two words, and a broad term with a filter; p50/p95 over the rounds, and each query's total; last,
the broad term repeated with the cache on.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from evaus.db import open_database
from evaus.services import projects as ps
from evaus.services.access import local_admin
from tests.bench.dataset import add_options, ensure_database, use_options

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

QUERIES = {
    "broad": ps.ProjectQuery(text="kuntoutus"),  # about a quarter of the generated projects
    "everything": ps.ProjectQuery(text="palvelu"),  # every generated project
    "rare": ps.ProjectQuery(text="omaishoitajille rovaniemellä"),
    "prefix": ps.ProjectQuery(text="asunnottom"),
    "broad_filtered": ps.ProjectQuery(text="kuntoutus", status=["kaynnissa"], region=["uusimaa"]),
    "broad_by_start_date": ps.ProjectQuery(text="kuntoutus", sort="start_date"),
    "no_text_by_name": ps.ProjectQuery(),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30)
    add_options(parser)
    args = parser.parse_args()
    use_options(args)
    os.environ["EVAUS_SEARCH_CACHE_SIZE"] = "0"
    url = ensure_database(args.projects, args.url)
    database = open_database(url=url)
    backend = database.engine.dialect.name
    print(f"projects_{backend} {args.projects} projects")
    for name, query in QUERIES.items():
        times: list[float] = []
        total = 0
        with database.session("bench") as session:
            for _ in range(args.rounds):
                started = time.perf_counter()
                total = ps.list_projects(session, query, actor=READER).total
                times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"search_{name}_{backend}_p50 {statistics.median(times):.1f} ms")
        print(f"search_{name}_{backend}_p95 {p95:.1f} ms")
        print(f"search_{name}_{backend}_total {total} projects")
    # The same broad search repeated with the search cache on: answered from memory.
    os.environ["EVAUS_SEARCH_CACHE_SIZE"] = "256"
    times = []
    with database.session("bench") as session:
        for _ in range(args.rounds):
            started = time.perf_counter()
            ps.list_projects(session, QUERIES["broad"], actor=READER)
            times.append((time.perf_counter() - started) * 1000)
    print(f"search_broad_cached_{backend}_p50 {statistics.median(times):.2f} ms")
    database.engine.dispose()


if __name__ == "__main__":
    main()
