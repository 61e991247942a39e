"""Registry search over HTTP, side by side with Datasette: prints ``name value unit`` lines.

    .venv/bin/python -m tests.bench.bench_http_search --projects 100000    # make bench
    .venv/bin/python -m tests.bench.bench_http_search --projects 10000     # make bench-quick

**One user** (``--rounds``, at least 200 samples of each way and term): every round asks each
way once, in an order that rotates from round to round, so no way always follows another (or
always runs first after a pause). The ways, on the same SQLite file and FTS5 index:

* ``ours``: ``GET /api/projects?q=…&page_size=50`` of a running ``evaus serve`` with its search
  cache off (``EVAUS_SEARCH_CACHE_SIZE=0``): a page of 50 ranked by relevance, the total count and
  each project's funders; the user's words are analysed on the server;
* ``ours_cached``: the same from a second server with the cache on (the repeated search is
  answered from memory until something is written);
* ``datasette``: Datasette's table view, its default with the count (``_search`` with the same
  FTS5 expression as ours: the words, their base forms, their stems as prefixes;
  ``_searchmode=raw``, the same 13 columns, a page of 50, ``_nosuggest=1`` — without that, its
  facet suggestions dominate each request). Datasette orders by id, it does not rank, and counts
  by reading every matching project row;
* ``datasette_nocount``: the same with ``_nocount=1``;
* ``datasette_sql``: Datasette running our SQL through its ``?sql=`` endpoint — the ranked page,
  the count in the FTS table and the funders, one statement;
* ``sqlite_floor``: that statement on a plain in-process ``sqlite3`` connection: no web server
  and no Python objects.

**50 users** (``--users``, ``--requests`` each): concurrent clients, each on a kept-alive
connection, searching the six terms of ``bench_web`` (broad, narrow, rare and one that matches
every project), against our server with the cache, our server without it, and Datasette (with
its count); one after the other in the same run, then again in the opposite order. The client
writes raw HTTP/1.1 (httpx would cost more CPU per request than a cached answer).

Datasette is not a dependency of EVAUS: it is installed into its own virtual environment in the
benchmarks' data folder on first use (``pip install datasette``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from project_db.search import fts5_match, query_words
from tests.bench.dataset import add_options, data_dir, ensure_database, use_options
from tests.bench.server import RunningServer, start_server
from tests.bench.timing import interleaved, percentile
from tests.e2e.conftest import _free_port

# (name, what a user types): broad ≈ a quarter of the generated projects, rare ≈ 0.5 %.
TERMS = (("broad", "kuntoutus"), ("rare", "omaishoitajille rovaniemellä"))
# The API users' terms (as bench_web's): broad, narrower, rare, and every project (palvelu).
USER_TERMS = ("palvelu", "kuntoutus", "asunnottom", "nuoret", "omaishoitajille", "hyvinvointi")
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
# Our list query as one statement: the ranked page, the count in the FTS table, the funders.
OUR_SQL = (
    "WITH ranked AS (SELECT rowid AS project_id, rank AS score FROM project_fts "
    "WHERE project_fts MATCH :q ORDER BY rank, rowid LIMIT 50) "
    f"SELECT {', '.join('p.' + c for c in COLUMNS)}, "
    "(SELECT count(*) FROM project_fts WHERE project_fts MATCH :q) AS total, "
    "(SELECT group_concat(name, '|') FROM (SELECT o.name FROM funding f "
    "JOIN organisation o ON o.id = f.organisation_id WHERE f.project_id = p.id "
    "ORDER BY f.position)) AS funders "
    "FROM ranked JOIN project p ON p.id = ranked.project_id ORDER BY ranked.score, p.id"
)
DATASETTE_VERSION = "datasette==0.65.*"
MIN_SAMPLES = 200


def datasette_executable() -> Path:
    """Datasette in its own virtual environment (made once, reused by later runs)."""
    venv = data_dir() / "evaus-bench-datasette"
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


def datasette_table_params(
    expression: str, count: bool
) -> list[tuple[str, str | int | float | bool | None]]:
    return [
        ("_search", expression),
        ("_searchmode", "raw"),
        ("_size", 50),
        ("_nosuggest", 1),
        *([] if count else [("_nocount", 1)]),
        ("_shape", "objects"),
        *(("_col", c) for c in COLUMNS if c != "id"),
    ]


class Ways:
    """The ways of answering one search, each a function returning the total it found (or -1
    where the way gives none)."""

    def __init__(
        self,
        ours: httpx.Client,
        cached: httpx.Client,
        theirs: httpx.Client,
        floor_db: sqlite3.Connection,
        database: Path,
    ) -> None:
        self.ours, self.cached, self.theirs = ours, cached, theirs
        self.floor_db, self.database = floor_db, database

    def for_words(self, words: str) -> dict[str, Callable[[], int]]:
        expression = fts5_match(query_words(words))

        def api(client: httpx.Client) -> int:
            response = client.get("/api/projects", params={"q": words, "page_size": 50})
            response.raise_for_status()
            body = response.json()
            assert len(body["items"]) == min(50, body["total"])
            return int(body["total"])

        def table(count: bool) -> int:
            params = datasette_table_params(expression, count)
            response = self.theirs.get(f"/{self.database.stem}/project.json", params=params)
            response.raise_for_status()
            body = response.json()
            if not count:
                assert len(body["rows"]) <= 50
                return -1
            assert len(body["rows"]) == min(50, body["filtered_table_rows_count"])
            return int(body["filtered_table_rows_count"])

        def same_sql() -> int:
            params = {"sql": OUR_SQL, "q": expression, "_shape": "objects"}
            response = self.theirs.get(f"/{self.database.stem}.json", params=params)
            response.raise_for_status()
            rows = response.json()["rows"]
            return int(rows[0]["total"]) if rows else 0

        def floor() -> int:
            rows = self.floor_db.execute(OUR_SQL, {"q": expression}).fetchall()
            return int(rows[0][len(COLUMNS)]) if rows else 0

        return {
            "ours": lambda: api(self.ours),
            "ours_cached": lambda: api(self.cached),
            "datasette": lambda: table(True),
            "datasette_nocount": lambda: table(False),
            "datasette_sql": same_sql,
            "sqlite_floor": floor,
        }


def one_user(ways: Ways, rounds: int) -> None:
    for name, words in TERMS:
        asks = ways.for_words(words)
        totals = {way: ask() for way, ask in asks.items()}  # the same matches
        assert len({t for t in totals.values() if t >= 0}) == 1, totals
        times = interleaved(asks, rounds)
        print(f"search_{name}_total {totals['ours']} projects")
        print(f"search_{name}_samples {rounds} requests per way")
        for way, series in times.items():
            print(f"{way}_{name}_p50 {statistics.median(series):.1f} ms")
            print(f"{way}_{name}_p95 {percentile(series, 0.95):.1f} ms")
        ours95 = percentile(times["ours"], 0.95)
        for other in ("datasette", "datasette_nocount", "datasette_sql", "sqlite_floor"):
            ratio = ours95 / percentile(times[other], 0.95)
            ratio50 = statistics.median(times["ours"]) / statistics.median(times[other])
            print(f"search_ratio_vs_{other}_{name} {ratio:.2f} x (p95; p50 {ratio50:.2f} x)")
        overhead = [o - f for o, f in zip(times["ours"], times["sqlite_floor"], strict=True)]
        print(f"search_web_stack_{name}_p50 {statistics.median(overhead):.1f} ms (ours - floor)")
        overhead = [
            d - f for d, f in zip(times["datasette_sql"], times["sqlite_floor"], strict=True)
        ]
        print(f"datasette_web_stack_{name}_p50 {statistics.median(overhead):.1f} ms (same SQL)")


async def _user(
    address: tuple[str, int], requests: list[bytes], out: list[float], bodies: list[int]
) -> None:
    """One user on one kept-alive connection: raw HTTP/1.1 over asyncio streams. The load
    client must cost far less than the servers it loads (httpx costs more CPU per request
    than a cached answer of our server: on two cores the client would set the pace)."""
    reader, writer = await asyncio.open_connection(*address)
    try:
        for request in requests:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            body = await _body(reader, head)
            out.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise RuntimeError(f"HTTP {status}: {body[:300]!r}")
            bodies.append(len(body))
    finally:
        writer.close()


async def _body(reader: asyncio.StreamReader, head: bytes) -> bytes:
    """The body after ``head``: by its Content-Length, or its chunks (Datasette streams)."""
    for line in head.lower().split(b"\r\n"):
        if line.startswith(b"content-length:"):
            return await reader.readexactly(int(line.split(b":", 1)[1]))
    chunks = []
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)
    await reader.readuntil(b"\r\n")  # the empty trailer
    return b"".join(chunks)


def _request(base_url: str, path: str, params: Any, headers: dict[str, str]) -> bytes:
    url = httpx.URL(base_url + path, params=params)
    lines = [f"GET {url.raw_path.decode()} HTTP/1.1", f"Host: {url.host}:{url.port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _load(
    base_url: str, requests: dict[str, bytes], users: int, per_user: int
) -> tuple[list[float], float]:
    url = httpx.URL(base_url)
    address = (url.host, url.port or 80)
    times: list[float] = []
    bodies: list[int] = []
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _user(
                address,
                [requests[USER_TERMS[(u + i) % len(USER_TERMS)]] for i in range(per_user)],
                times,
                bodies,
            )
            for u in range(users)
        )
    )
    return times, time.perf_counter() - started


def many_users(
    cached: RunningServer,
    uncached: RunningServer,
    datasette_url: str,
    database: Path,
    users: int,
    requests: int,
) -> None:
    def ours(server: RunningServer) -> dict[str, bytes]:
        return {
            term: _request(
                server.url, "/api/projects", {"q": term, "page_size": 50}, server.headers()
            )
            for term in USER_TERMS
        }

    theirs = {
        term: _request(
            datasette_url,
            f"/{database.stem}/project.json",
            datasette_table_params(fts5_match(query_words(term)), count=True),
            {},
        )
        for term in USER_TERMS
    }
    targets: dict[str, tuple[str, dict[str, bytes]]] = {
        "ours_cached": (cached.url, ours(cached)),
        "ours": (uncached.url, ours(uncached)),
        "datasette": (datasette_url, theirs),
    }
    results: dict[str, tuple[list[float], float]] = {way: ([], 0.0) for way in targets}
    for order in (list(targets), list(reversed(targets))):  # the same run, both orders
        for way in order:
            base_url, asks = targets[way]
            times, seconds = asyncio.run(_load(base_url, asks, users, requests))
            results[way] = (results[way][0] + times, results[way][1] + seconds)
    for way, (times, seconds) in results.items():
        print(f"{way}_{users}_users_p50 {statistics.median(times):.0f} ms")
        print(f"{way}_{users}_users_p95 {percentile(times, 0.95):.0f} ms")
        print(f"{way}_{users}_users_rps {len(times) / seconds:.1f} requests/s")
    theirs_rps = len(results["datasette"][0]) / results["datasette"][1]
    for way in ("ours_cached", "ours"):
        rps = len(results[way][0]) / results[way][1]
        print(f"{way}_{users}_users_throughput_vs_datasette {rps / theirs_rps:.2f} x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=MIN_SAMPLES, help="at least 200")
    parser.add_argument("--users", type=int, default=50, help="concurrent API users (0: none)")
    parser.add_argument("--requests", type=int, default=10, help="requests per user and way")
    add_options(parser)
    args = parser.parse_args()
    use_options(args)
    rounds = max(args.rounds, MIN_SAMPLES)
    url = ensure_database(args.projects, args.url)
    if not url.startswith("sqlite:///"):
        parser.error("the comparison with Datasette needs a SQLite file")
    database = Path(url.removeprefix("sqlite:///"))
    print(f"http_search_projects {args.projects} projects")
    print(f"load_average {' '.join(f'{v:.2f}' for v in os.getloadavg())} (1, 5, 15 min)")

    floor_db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    datasette, datasette_url = start_datasette(database)
    try:
        with (
            start_server(url, EVAUS_SEARCH_CACHE_SIZE="0") as uncached,
            start_server(url) as cached,
            httpx.Client(base_url=uncached.url, headers=uncached.headers(), timeout=60) as ours,
            httpx.Client(base_url=cached.url, headers=cached.headers(), timeout=60) as ours_c,
            httpx.Client(base_url=datasette_url, timeout=60) as theirs,
        ):
            one_user(Ways(ours, ours_c, theirs, floor_db, database), rounds)
            if args.users:
                many_users(cached, uncached, datasette_url, database, args.users, args.requests)
    finally:
        datasette.terminate()
        datasette.wait(timeout=10)
        floor_db.close()
    print(f"load_average_after {' '.join(f'{v:.2f}' for v in os.getloadavg())} (1, 5, 15 min)")


if __name__ == "__main__":
    os.environ.setdefault("EVAUS_LANG", "fi")
    main()
