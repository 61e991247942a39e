"""Registry search over HTTP, side by side with Datasette: prints ``name value unit`` lines.

    .venv/bin/python -m tests.bench.bench_http_search --projects 100000    # make bench
    .venv/bin/python -m tests.bench.bench_http_search --projects 10000     # make bench-quick

Three ways of answering the same search in one run, requests interleaved round by round:

* ours: ``GET /api/projects?q=…`` of a running ``evaus serve`` (a page of 50, ranked by
  relevance, with the total count; the user's words are stemmed on the server);
* Datasette serving the same SQLite file with the same FTS5 index (``_search`` with the same
  stemmed prefix expression, ``_searchmode=raw``, the same 13 columns, a page of 50 with its
  count) and ``_nosuggest=1`` — without it, Datasette's facet suggestions dominate each request.
  Datasette orders by id; it does not rank;
* the in-process SQLite floor: the ranked FTS5 query and the count on a plain ``sqlite3``
  connection, no web server and no Python objects.

Datasette is not a dependency of EVAUS: it is installed into its own virtual environment under
the system temp folder on first use (``pip install datasette``).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from project_db.search import fts5_query, query_stems
from tests.bench.dataset import ensure_database
from tests.bench.server import start_server
from tests.e2e.conftest import _free_port

# (name, what a user types): broad ≈ a quarter of the generated projects, rare ≈ 0.5 %.
TERMS = (("broad", "kuntoutus"), ("rare", "omaishoitajille rovaniemellä"))
COLUMNS = [
    "id",
    "key",
    "name",
    "short_name",
    "status",
    "project_type",
    "portfolio",
    "region",
    "start_date",
    "end_date",
    "budget_amount",
    "eura_code",
    "version",
]
DATASETTE_VERSION = "datasette==0.65.*"
WARM_UP = 5  # rounds not measured


def datasette_executable() -> Path:
    """Datasette in its own virtual environment (made once, reused by later runs)."""
    venv = Path(tempfile.gettempdir()) / "evaus-bench-datasette"
    executable = venv / "bin" / "datasette"
    if not executable.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", DATASETTE_VERSION], check=True)
    return executable


def start_datasette(database: Path) -> tuple[subprocess.Popen[bytes], str]:
    metadata = database.with_suffix(".datasette.json")
    tables = {"project": {"fts_table": "project_fts", "fts_pk": "id"}}
    metadata.write_text(json.dumps({"databases": {database.stem: {"tables": tables}}}))
    port = _free_port()
    process = subprocess.Popen(
        [
            str(datasette_executable()),
            "serve",
            str(database),
            "--port",
            str(port),
            "--metadata",
            str(metadata),
            "--setting",
            "sql_time_limit_ms",
            "10000",
            "--setting",
            "default_page_size",
            "50",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/-/versions.json", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("Datasette did not start")


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    url = ensure_database(args.projects)
    database = Path(url.removeprefix("sqlite:///"))
    print(f"http_search_projects {args.projects} projects")

    floor_db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    datasette, datasette_url = start_datasette(database)
    try:
        with (
            start_server(url) as server,
            httpx.Client(base_url=server.url, headers=server.headers(), timeout=60) as ours,
            httpx.Client(base_url=datasette_url, timeout=60) as theirs,
        ):
            for name, words in TERMS:
                expression = fts5_query(query_stems(words))

                def ask_ours(words: str = words) -> int:
                    response = ours.get("/api/projects", params={"q": words, "page_size": 50})
                    response.raise_for_status()
                    body = response.json()
                    assert len(body["items"]) == min(50, body["total"])
                    return int(body["total"])

                def ask_datasette(expression: str = expression) -> int:
                    params: list[tuple[str, str | int]] = [
                        ("_search", expression),
                        ("_searchmode", "raw"),
                        ("_size", 50),
                        ("_nosuggest", 1),
                        ("_shape", "objects"),
                        *(("_col", c) for c in COLUMNS if c != "id"),
                    ]
                    response = theirs.get(f"/{database.stem}/project.json", params=params)
                    response.raise_for_status()
                    return int(response.json()["filtered_table_rows_count"])

                def ask_floor(expression: str = expression) -> int:
                    total = floor_db.execute(
                        "SELECT count(*) FROM project_fts WHERE project_fts MATCH ?",
                        (expression,),
                    ).fetchone()[0]
                    floor_db.execute(
                        f"SELECT {', '.join('p.' + c for c in COLUMNS)} FROM "
                        "(SELECT rowid, rank FROM project_fts WHERE project_fts MATCH ? "
                        "ORDER BY rank, rowid LIMIT 50) AS f JOIN project p ON p.id = f.rowid "
                        "ORDER BY f.rank, p.id",
                        (expression,),
                    ).fetchall()
                    return int(total)

                ways: dict[str, Callable[[], int]] = {
                    "ours": ask_ours,
                    "datasette": ask_datasette,
                    "sqlite_floor": ask_floor,
                }
                totals = {way: ask() for way, ask in ways.items()}  # the same matches
                assert len(set(totals.values())) == 1, totals
                for _ in range(WARM_UP):  # caches, connection pools and lazy imports warm
                    for ask in ways.values():
                        ask()
                times: dict[str, list[float]] = {way: [] for way in ways}
                for _ in range(args.rounds):
                    for way, ask in ways.items():
                        started = time.perf_counter()
                        ask()
                        times[way].append((time.perf_counter() - started) * 1000)
                print(f"search_{name}_total {totals['ours']} projects")
                for way, label in (
                    ("ours", "search_http"),
                    ("datasette", "datasette_nosuggest"),
                    ("sqlite_floor", "sqlite_ranked_floor"),
                ):
                    print(f"{label}_{name}_p50 {statistics.median(times[way]):.1f} ms")
                    print(f"{label}_{name}_p95 {percentile(times[way], 0.95):.1f} ms")
                ratio_p95 = percentile(times["ours"], 0.95) / percentile(times["datasette"], 0.95)
                ratio_p50 = statistics.median(times["ours"]) / statistics.median(times["datasette"])
                print(f"search_ratio_vs_datasette_{name} {ratio_p95:.2f} x (p95)")
                print(f"search_ratio_vs_datasette_{name}_p50 {ratio_p50:.2f} x")
                if name == "broad":
                    print(f"search_ratio_vs_datasette {ratio_p95:.2f} x")
    finally:
        datasette.terminate()
        datasette.wait(timeout=10)
        floor_db.close()


if __name__ == "__main__":
    os.environ.setdefault("EVAUS_LANG", "fi")
    main()
