"""Open-data benchmark: prints ``name value unit`` lines (not a timed test).

    .venv/bin/python -m tests.bench.bench_open_data --projects 10000
    .venv/bin/python -m tests.bench.bench_open_data --projects 100000

Half of the generated projects are public (every other id). The generated registry
(``tests.bench.dataset``) is shared with the other benchmarks, so this one publishes a copy of
it (``evaus-bench-open-data-N.sqlite3`` beside it, made once); a database given with ``--url``
is published in place. Each file (JSON, CSV, IATI) is asked for through the real routes
(``TestClient``) with an empty data folder: the first request builds the file (wall and CPU
time of the process, per public project), the next ones are answered from the kept file, and
a request with the file's ETag gets 304. Medians over the rounds.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from evaus import public
from evaus.public import guard, open_data
from evaus.services.startup import open_registry
from evaus.settings import get_settings
from project_db.models import Project
from project_db.public_catalogue import public_condition
from tests.bench.dataset import add_options, data_dir, default_url, ensure_database, use_options

FILES = {
    "json": "/public/api/projects.json",
    "csv": "/public/api/projects.csv",
    "iati": "/public/api/iati.xml",
}


def _published_copy(projects: int, url: str | None) -> str:
    """A database of ``projects`` generated projects, every other one public."""
    if url is None:
        source = make_url(default_url(projects)).database
        assert source is not None
        copy = data_dir() / f"evaus-bench-open-data-{projects}.sqlite3"
        if not copy.exists():
            if not Path(source).exists():
                ensure_database(projects)
            partial = copy.with_suffix(".partial")
            with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
                src.backup(dst)
            partial.rename(copy)
        url = f"sqlite:///{copy}"
    ensure_database(projects, url)
    database = open_registry(url=url)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE project SET public = (id % 2 = 0)"))
    database.engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    add_options(parser)
    args = parser.parse_args()
    use_options(args)
    url = _published_copy(args.projects, args.url)
    database = open_registry(url=url)
    backend = database.engine.dialect.name
    with database.session("bench") as session:
        count = session.scalar(select(func.count(Project.id)).where(public_condition())) or 0
    print(f"open_data_projects_{backend} {args.projects} projects")
    print(f"open_data_public_projects_{backend} {count} projects")
    with tempfile.TemporaryDirectory(prefix="evaus-open-data-") as folder:
        os.environ["EVAUS_DATA_DIR"] = folder
        os.environ["EVAUS_IATI_REPORTING_ORG_REF"] = "FI-PRO-1234567-8"
        os.environ["EVAUS_IATI_REPORTING_ORG_NAME"] = "Benchmark"
        os.environ["EVAUS_PUBLIC_RATE_LIMIT"] = "1000000"
        get_settings.cache_clear()
        guard.reset_page_limit()
        app = FastAPI()
        app.state.database = database
        app.include_router(public.router)
        with TestClient(app) as client:
            for name, path in FILES.items():
                prefix = f"open_data_{name}_{backend}"
                started, started_cpu = time.perf_counter(), time.process_time()
                first = client.get(path)
                wall = time.perf_counter() - started
                cpu = time.process_time() - started_cpu
                assert first.status_code == 200, first.text[:200]
                built = sum(open_data.built.values())
                cached, not_modified = [], []
                for _ in range(args.rounds):
                    started = time.perf_counter()
                    again = client.get(path)
                    cached.append((time.perf_counter() - started) * 1000)
                    assert again.content == first.content
                    started = time.perf_counter()
                    same = client.get(path, headers={"If-None-Match": first.headers["etag"]})
                    not_modified.append((time.perf_counter() - started) * 1000)
                    assert same.status_code == 304
                assert sum(open_data.built.values()) == built  # answered from the kept file
                print(f"{prefix}_size {len(first.content) / 1e6:.1f} MB")
                print(f"{prefix}_first_build {wall:.2f} s")
                print(f"{prefix}_first_build_cpu {cpu:.2f} s")
                print(f"{prefix}_per_project {wall / max(count, 1) * 1000:.3f} ms")
                print(f"{prefix}_per_project_cpu {cpu / max(count, 1) * 1000:.3f} ms")
                print(f"{prefix}_cached_p50 {statistics.median(cached):.1f} ms")
                print(f"{prefix}_not_modified_p50 {statistics.median(not_modified):.1f} ms")
            kept = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
            print(f"open_data_kept_{backend} {kept / 1e6:.1f} MB")
        get_settings.cache_clear()
    database.engine.dispose()


if __name__ == "__main__":
    main()
