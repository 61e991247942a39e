"""Batch report benchmark: prints ``name value unit`` lines (not a timed test).

    .venv/bin/python -m tests.bench.bench_batch --projects 200     # quick
    .venv/bin/python -m tests.bench.bench_batch --projects 1000    # the full size

One kind (``--kind``, default the ESR final report: two charts per project) for every project of
a generated registry (``tests.bench.dataset``: a SQLite file under /tmp, made once), through
``render_batch`` exactly as ``evaus report --all`` and the admin page call it: contexts built
and reports archived in this process, rendered by the worker processes. Side by side in the same
run: the same batch rendered in this one process (``workers=0``) over the first ``--single``
projects, and that without reading the projects ahead in chunks (each project read on its
own, ~20 queries, as before: ``batch_single_process_unbatched_reads_*``), alternating,
twice. Everything written is rolled back, so the database stays as it was.

Besides reports per second (wall clock), the CPU time per report (this process and its workers
together) and what two cores would do with it (``batch_cpu_bound_reports_per_second``): on a
shared machine the wall-clock rate falls with the load, the CPU time much less.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

from evaus.db import open_database
from evaus.services import reports
from evaus.services.access import local_admin
from tests.bench.dataset import ensure_database

READER = local_admin("tests")  # who reads in these tests (services take the Actor)

TARGET = 15.0  # reports per second


def cpu_seconds() -> float:
    """CPU time of this process and of its finished (joined) children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(
    url: str, kind: str, count: int, workers: int, *, read_ahead: bool = True
) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, reports made, projects failed) of one batch."""
    from evaus.services.reports import batch

    preloaded = batch._preloaded
    if not read_ahead:
        batch._preloaded = lambda _session, _kind, ids: ((i, []) for i in ids)  # type: ignore[assignment]
    database = open_database(url=url)
    try:
        with database.session("bench") as session:
            ids = reports.select_projects(session, actor=READER)[:count]
            cpu, wall = cpu_seconds(), time.perf_counter()
            result = reports.render_batch(
                session, kind, ids, actor=local_admin("bench"), workers=workers
            )
            wall = time.perf_counter() - wall
            cpu = cpu_seconds() - cpu
            session.rollback()
    finally:
        batch._preloaded = preloaded
        database.engine.dispose()
    return wall, cpu, len(result.done), len(result.failed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200, help="1000 is the full size")
    parser.add_argument("--kind", default="esr-final")
    parser.add_argument("--workers", type=int, default=reports.BATCH_WORKERS)
    parser.add_argument(
        "--single", type=int, help="projects for the single-process run (default N/10, ≥ 20)"
    )
    args = parser.parse_args()
    single = args.single or max(20, args.projects // 10)
    url = ensure_database(args.projects)
    load_before = os.getloadavg()[0]

    wall, cpu, done, failed = run(url, args.kind, args.projects, args.workers)
    # Single-process runs alternate (unbatched reads, read ahead, twice); the lower CPU of each.
    single = min(single, args.projects)
    runs = [run(url, args.kind, single, 0, read_ahead=ahead) for ahead in (False, True) * 2]
    _, unbatched_cpu, unbatched_done, _ = min(runs[0::2], key=lambda r: r[1])
    one_wall, one_cpu, one_done, _ = min(runs[1::2], key=lambda r: r[1])
    load_after = os.getloadavg()[0]

    handled = done + failed
    rate = done / wall
    one_rate = one_done / one_wall
    print(f"batch_kind_{args.kind} 1 kind")
    print(f"batch_projects {handled} projects")
    print(f"batch_failed {failed} projects")
    print(f"batch_workers {args.workers} processes")
    print(f"batch_cores {os.cpu_count()} cores")
    print(f"batch_seconds {wall:.1f} s")
    print(f"batch_reports_per_second {rate:.1f} reports/s")
    print(f"batch_single_process_projects {one_done} projects")
    print(f"batch_single_process_reports_per_second {one_rate:.1f} reports/s")
    print(f"batch_vs_single_process_ratio {rate / one_rate:.2f} x")
    print(f"batch_cpu_per_report {cpu / max(done, 1) * 1000:.0f} ms")
    print(f"batch_single_process_cpu_per_report {one_cpu / max(one_done, 1) * 1000:.0f} ms")
    unbatched = unbatched_cpu / max(unbatched_done, 1) * 1000
    print(f"batch_single_process_unbatched_reads_cpu_per_report {unbatched:.0f} ms")
    cores = min(os.cpu_count() or 1, max(args.workers, 1))
    print(f"batch_cpu_bound_reports_per_second {cores * done / max(cpu, 1e-9):.1f} reports/s")
    print(f"batch_target {TARGET:.0f} reports/s")
    print(f"batch_target_met {int(rate >= TARGET)} bool")
    print(f"load_average_1min {max(load_before, load_after):.2f} load")


if __name__ == "__main__":
    main()
