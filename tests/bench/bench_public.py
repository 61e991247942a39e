"""The public catalogue's pages over HTTP: prints ``name value unit`` lines.

    .venv/bin/python -m tests.bench.bench_public --projects 100000    # make bench
    .venv/bin/python -m tests.bench.bench_public --projects 10000     # make bench-quick

Half of the generated projects are public (every other id, in bulk SQL on a copy of the
generated registry: ``bench_open_data``'s copy, made once and shared). One ``evaus serve`` with
its search cache off (``EVAUS_SEARCH_CACHE_SIZE=0``: every request searches, as a visitor's
first does) and the public pages' rate limit raised out of the way.

**Latency** (``--rounds``, at least 200 samples of each): the public list searched for a broad
term (about a quarter of the projects) and a rare one (about 0.5 %), the plain first page, and
a public project's card (a different one each round), the broad search revalidated by a cache
(If-None-Match with the page's ETag: 304), alternating request by request with the
signed-in JSON API's ``/api/projects?q=…`` for the same term (its default page of 50, with its
count and funders), in an order that rotates from round to round. p50 and p95 of each.

**Memory per visitor**: the server's resident memory (VmRSS) before and after ``--visitors``
distinct visitors (each its own address through X-Forwarded-For, which uvicorn trusts from
127.0.0.1, and its own connection, without cookies) each read the list, a search and a card.
The pages keep nothing per visitor but the rate limit's few timestamps per address, so the
difference should be about nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
from collections.abc import Callable

import httpx

from tests.bench.bench_http_search import MIN_SAMPLES, TERMS
from tests.bench.bench_open_data import _published_copy
from tests.bench.dataset import add_options, use_options
from tests.bench.server import RunningServer, start_server
from tests.bench.timing import interleaved, percentile

CARD_LINK = re.compile(r'href="/public/projects/(\d+)\?')


def _get(client: httpx.Client, path: str, params: dict[str, str] | None = None) -> httpx.Response:
    response = client.get(path, params=params)
    if response.status_code != 200:
        raise RuntimeError(f"{path} {params}: HTTP {response.status_code} {response.text[:300]}")
    return response


def _card_ids(client: httpx.Client, pages: int) -> list[int]:
    """Public projects' ids from the first pages of the list (what a visitor would click)."""
    ids: list[int] = []
    for page in range(1, pages + 1):
        ids += [
            int(i)
            for i in CARD_LINK.findall(_get(client, "/public/projects", {"page": str(page)}).text)
        ]
    return list(dict.fromkeys(ids))


def latency(server: RunningServer, rounds: int) -> None:
    with (
        httpx.Client(base_url=server.url, timeout=60) as visitor,
        httpx.Client(base_url=server.url, headers=server.headers(), timeout=60) as api,
    ):
        cards = _card_ids(visitor, 10)
        assert cards, "no public project on the list"
        turn = {"card": 0}

        def public(term: str | None) -> Callable[[], object]:
            return lambda: _get(visitor, "/public/projects", {"q": term} if term else None)

        def card() -> None:
            turn["card"] += 1
            _get(visitor, f"/public/projects/{cards[turn['card'] % len(cards)]}")

        def json_api(term: str) -> Callable[[], object]:
            return lambda: _get(api, "/api/projects", {"q": term})

        asks: dict[str, Callable[[], object]] = {}
        for name, term in TERMS:
            asks[f"public_{name}"] = public(term)
            asks[f"api_{name}"] = json_api(term)
        asks["public_plain"] = public(None)
        asks["public_card"] = card
        broad = {"q": TERMS[0][1]}
        etag = _get(visitor, "/public/projects", broad).headers["etag"]

        def revalidated() -> None:
            response = visitor.get(
                "/public/projects", params=broad, headers={"If-None-Match": etag}
            )
            assert response.status_code == 304, response.status_code

        asks["public_broad_not_modified"] = revalidated
        times = interleaved(asks, rounds)
        print(f"public_samples {rounds} requests per way")
        for way, series in times.items():
            print(f"{way}_p50 {statistics.median(series):.1f} ms")
            print(f"{way}_p95 {percentile(series, 0.95):.1f} ms")
        for name, _term in TERMS:
            ratio = percentile(times[f"public_{name}"], 0.95) / percentile(
                times[f"api_{name}"], 0.95
            )
            print(f"public_vs_api_{name}_p95 {ratio:.2f} x")


def visitors(server: RunningServer, count: int) -> None:
    """RSS before and after ``count`` distinct visitors (after a warm-up of other visitors)."""
    cards = []
    with httpx.Client(base_url=server.url, timeout=60) as client:
        cards = _card_ids(client, 1)

    def visit(n: int) -> None:
        address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        with httpx.Client(
            base_url=server.url, timeout=60, headers={"X-Forwarded-For": address}
        ) as client:
            _get(client, "/public/projects")
            _get(client, "/public/projects", {"q": TERMS[n % len(TERMS)][1]})
            _get(client, f"/public/projects/{cards[n % len(cards)]}")

    for n in range(count):  # the same kinds of request first: lazy imports, pools, arenas
        visit(1_000_000 + n)
    before = server.rss_mb()
    for n in range(count):
        visit(n)
    after = server.rss_mb()
    print(f"public_visitors {count} visitors")
    print(f"public_rss_before {before:.1f} MB")
    print(f"public_rss_after {after:.1f} MB")
    print(f"public_rss_per_visitor {(after - before) * 1024 / count:.2f} KB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=MIN_SAMPLES, help="at least 200")
    parser.add_argument("--visitors", type=int, default=200)
    add_options(parser)
    args = parser.parse_args()
    use_options(args)
    url = _published_copy(args.projects, args.url)
    print(f"public_projects {args.projects} projects ({args.projects // 2} public)")
    print(f"load_average {' '.join(f'{v:.2f}' for v in os.getloadavg())} (1, 5, 15 min)")
    with start_server(
        url, EVAUS_SEARCH_CACHE_SIZE="0", EVAUS_PUBLIC_RATE_LIMIT="1000000"
    ) as server:
        latency(server, max(args.rounds, MIN_SAMPLES))
        visitors(server, args.visitors)
    print(f"load_average_after {' '.join(f'{v:.2f}' for v in os.getloadavg())} (1, 5, 15 min)")


if __name__ == "__main__":
    os.environ.setdefault("EVAUS_LANG", "fi")
    main()
