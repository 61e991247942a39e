"""Spreadsheet import benchmark: prints ``name value unit`` lines (not a timed test).

    .venv/bin/python -m tests.bench.bench_import --rows 10000     # make bench / bench-quick
    .venv/bin/python -m tests.bench.bench_import --rows 1000

An XLSX workbook in the registry's export layout with ``--rows`` projects on its ``projects``
sheet (and their goals, measures, indicators, values … on the other sheets) is imported into
an empty SQLite database with full validation (``registry_io.import_source``: reading the
workbook, pydantic checks, code lists, then writing). Side by side in the same run: reading the
workbook alone (calamine), the floor any XLSX import pays; the import's CPU time too (the clock
moves with other work on a shared machine).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from evaus.dev.generate import generate_docs
from evaus.services.access import local_admin
from evaus.services.registry_io import import_source
from evaus.services.startup import open_registry
from project_db.schemas import RegistryDoc
from project_db.tabular import registry_from_xlsx, registry_to_xlsx


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workbook = registry_to_xlsx(RegistryDoc(projects=list(generate_docs(args.rows, seed=42))))
    sheet_rows = sum(len(rows) for rows in registry_from_xlsx(workbook).values())
    print(f"xlsx_import_projects {args.rows} rows")
    print(f"xlsx_import_all_sheets {sheet_rows} rows")
    print(f"xlsx_import_file_size {len(workbook) / 1e6:.1f} MB")

    imports: list[float] = []
    cpu: list[float] = []  # this process's CPU time: steadier than the clock on a busy machine
    reads: list[float] = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        registry_from_xlsx(workbook)
        reads.append(time.perf_counter() - started)
        with tempfile.TemporaryDirectory() as folder:
            database = open_registry(url=f"sqlite:///{Path(folder) / 'import.sqlite3'}")
            with database.session("bench") as session:
                started, cpu_started = time.perf_counter(), time.process_time()
                report = import_source(
                    session, workbook, filename="registry.xlsx", actor=local_admin("bench")
                )
                imports.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
            database.engine.dispose()
            assert report.counts["created"] == args.rows, report.counts
    imported, read = statistics.median(imports), statistics.median(reads)
    print(f"xlsx_import_{args.rows} {imported:.1f} s")
    print(f"xlsx_import_cpu_{args.rows} {statistics.median(cpu):.1f} s")
    print(f"xlsx_import_rate {args.rows / imported:.0f} projects/s")
    print(f"xlsx_read_only_{args.rows} {read:.1f} s")
    print(f"xlsx_import_vs_read_ratio {imported / read:.1f} x")


if __name__ == "__main__":
    main()
