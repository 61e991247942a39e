"""Search relevance over the demo and generated projects: prints ``name value unit`` lines.

    .venv/bin/python -m tests.bench.bench_relevance              # a fresh SQLite file under /tmp
    .venv/bin/python -m tests.bench.bench_relevance --url postgresql+psycopg://…/empty_db -v
    .venv/bin/python -m tests.bench.bench_relevance --no-voikko   # as without Voikko

The queries and the projects each must find are in ``tests/data/search_relevance.json``
(inflected, compound and misspelt queries; people, roles, organisations, codes, indicators and
period narratives). Measured, as the project list shows them (relevance order, one page):

* ``recall@page``: per query, the share of its expected projects on the first page; the mean
  over the queries;
* ``MRR``: per query, 1 / the rank of the first expected project on the page (0 when none);
  the mean over the queries.

A misspelt query is judged by the page the user gets: its own, or when it finds nothing, the page
of its first suggestion ("did you mean"). ``tests/db/test_search_voikko.py`` asserts the recall.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaus.db import Database
from evaus.demo import load_demo
from evaus.dev.generate import generate
from evaus.services import projects as ps
from evaus.services.access import local_admin
from evaus.services.startup import open_registry
from project_db import search
from project_db.models import Project

READER = local_admin("tests")  # who reads in these tests (services take the Actor)
RELEVANCE_FILE = Path(__file__).parent.parent / "data" / "search_relevance.json"


def load_set(path: Path = RELEVANCE_FILE) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def build_corpus(database: Database, data: dict[str, Any]) -> None:
    """The demo projects and the generated ones the set names (into an empty registry)."""
    with database.session("bench") as session:
        load_demo(session)
        session.commit()
        generate(session, data["generated"]["projects"], seed=data["generated"]["seed"], first=1)
        session.commit()


@dataclass(frozen=True)
class QueryResult:
    query: str
    kind: str
    expected: list[str]
    found: list[str]  # the page the user got, in order
    suggestion: str | None  # followed because the query itself found nothing

    @property
    def recall(self) -> float:
        return len(set(self.expected) & set(self.found)) / len(self.expected)

    @property
    def reciprocal_rank(self) -> float:
        expected = set(self.expected)
        return next((1 / rank for rank, p in enumerate(self.found, 1) if p in expected), 0.0)


@dataclass(frozen=True)
class Evaluation:
    results: list[QueryResult]

    @property
    def recall_at_page(self) -> float:
        return sum(r.recall for r in self.results) / len(self.results)

    @property
    def mrr(self) -> float:
        return sum(r.reciprocal_rank for r in self.results) / len(self.results)

    def by_kind(self) -> dict[str, float]:
        kinds: dict[str, list[float]] = {}
        for r in self.results:
            kinds.setdefault(r.kind, []).append(r.recall)
        return {k: sum(v) / len(v) for k, v in sorted(kinds.items())}


def _names(session: Session, data: dict[str, Any]) -> dict[int, str]:
    """Project id → the set's name for it (dev:N, or demo:alias)."""
    alias = {source: f"demo:{name}" for name, source in data["demo"].items()}
    rows = session.execute(select(Project.id, Project.source_key))
    return {pid: alias.get(source or "", source or str(pid)) for pid, source in rows}


def _page(session: Session, text: str, page_size: int) -> Any:
    return ps.list_projects(session, ps.ProjectQuery(text=text, page_size=page_size), actor=READER)


def evaluate(database: Database, data: dict[str, Any]) -> Evaluation:
    results = []
    with database.session("bench") as session:
        names = _names(session, data)
        for item in data["queries"]:
            page = _page(session, item["query"], data["page_size"])
            followed = None
            suggestions = getattr(page, "suggestions", [])
            if page.total == 0 and suggestions:
                followed = suggestions[0]
                page = _page(session, followed, data["page_size"])
            results.append(
                QueryResult(
                    query=item["query"],
                    kind=item["kind"],
                    expected=item["expect"],
                    found=[names[p.id] for p in page.items],
                    suggestion=followed,
                )
            )
    return Evaluation(results)


def report(evaluation: Evaluation, backend: str, *, verbose: bool = False) -> None:
    if verbose:
        for r in evaluation.results:
            if r.recall < 1 or r.reciprocal_rank < 1:
                missed = sorted(set(r.expected) - set(r.found))
                via = f" (via {r.suggestion!r})" if r.suggestion else ""
                print(
                    f"# {r.query!r}{via}: recall {r.recall:.2f}, rr {r.reciprocal_rank:.2f}, "
                    f"missed {missed[:8]}{' …' if len(missed) > 8 else ''}"
                )
        for kind, recall in evaluation.by_kind().items():
            print(f"relevance_recall_{kind}_{backend} {recall:.3f} ratio")
    queries = len(evaluation.results)
    print(f"relevance_queries_{backend} {queries} queries")
    print(f"relevance_recall_at_page_{backend} {evaluation.recall_at_page:.3f} ratio")
    print(f"relevance_mrr_{backend} {evaluation.mrr:.3f} ratio")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", help="an empty database (default: a new SQLite file under /tmp)")
    parser.add_argument("-v", "--verbose", action="store_true", help="the misses, by query")
    parser.add_argument(
        "--no-voikko", action="store_true", help="index and search as without Voikko (stems)"
    )
    args = parser.parse_args()
    if args.no_voikko:
        search.use_voikko(False)
    data = load_set()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'relevance.sqlite3'}"
        database = open_registry(url=url)
        try:
            started = time.perf_counter()
            build_corpus(database, data)
            print(f"relevance_corpus_seconds {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            evaluation = evaluate(database, data)
            seconds = time.perf_counter() - started
            report(evaluation, database.engine.dialect.name, verbose=args.verbose)
            print(f"relevance_ms_per_query {1000 * seconds / len(evaluation.results):.1f} ms")
        finally:
            database.engine.dispose()


if __name__ == "__main__":
    main()
