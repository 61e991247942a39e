"""Web benchmark: prints ``name value unit`` lines (not a timed test).

    .venv/bin/python -m tests.bench.bench_web --projects 10000     # quick size
    .venv/bin/python -m tests.bench.bench_web --projects 100000    # full size
    .venv/bin/python -m tests.bench.bench_web --only list --only memory   # some parts only

Measured against ``evaus serve`` on the generated registry of N projects (made once, reused), and
side by side with a bare NiceGUI ``ui.run`` hello page started the same way (the floor):

1. cold start: spawning ``evaus serve`` until the first HTTP 200 of /status, median of the starts
   (with Python's bytecode cache, as installed; ``cold_start_uncached`` without it);
2. the project list (/projects) in headless Chromium, signed in: from navigation start until the
   first table row is in the page (the browser's own clock, ``performance.now()``);
3. a click on the list (next page / previous page) until the table's first row changed, timed
   inside the browser: ``performance.now()`` at the click, a MutationObserver stops the clock;
4. server memory per connected client: (VmRSS with 20 more pages on /projects − VmRSS before) / 20,
   on a freshly started server with one warm-up page open;
5. 50 concurrent API users: GET /api/projects?q=…&page_size=50 with Bearer tokens.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from evaus.i18n import format_message
from tests.bench.dataset import ensure_database
from tests.bench.server import RunningServer, start_bare_server, start_server
from tests.bench.timing import percentile
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, login

# Search terms of the API users: broad, narrower and rare words of the generated registry (the
# last one found nothing in it when this was written: a miss is a realistic query too).
TERMS = ("palvelu", "kuntoutus", "asunnottom", "nuoret", "omaishoitajille", "hyvinvointi")
NEXT_PAGE = format_message("Next page", "fi")
PREVIOUS_PAGE = format_message("Previous page", "fi")

# Records when the first row of a table is in the page (after the frame that shows it).
FIRST_ROW_SCRIPT = """
window.__firstRow = null;
new MutationObserver((_, observer) => {
  if (document.querySelector('tbody tr')) {
    observer.disconnect();
    requestAnimationFrame(() => { window.__firstRow = performance.now(); });
  }
}).observe(document, {childList: true, subtree: true});
"""

# Clicks the button labelled ``label``; resolves with the ms until ``probe()`` gives a new value.
CLICK_SCRIPT = """
([label, probeSource]) => new Promise((resolve, reject) => {
  const probe = new Function(probeSource);
  const button = [...document.querySelectorAll('button')]
    .find(b => b.textContent.trim() === label && !b.disabled);
  if (!button) { reject(new Error('no enabled button ' + label)); return; }
  const before = probe();
  let started = 0;
  const observer = new MutationObserver(() => {
    const now = probe();
    if (now !== null && now !== before) {
      observer.disconnect();
      resolve(performance.now() - started);
    }
  });
  observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  setTimeout(() => { observer.disconnect(); reject(new Error('no change after 10 s')); }, 10000);
  started = performance.now();
  button.click();
})
"""
FIRST_ROW_TEXT = "const r = document.querySelector('tbody tr'); return r ? r.textContent : null;"
COUNTER_TEXT = "const c = document.getElementById('counter'); return c ? c.textContent : null;"

PARTS = ("cold", "list", "api", "memory")
UNCACHED_STARTS = 3
LAUNCH_ARGS = CHROMIUM_ARGS


def say(name: str, value: float, unit: str, digits: int = 1) -> None:
    print(f"{name} {value:.{digits}f} {unit}", flush=True)


def phase(name: str, started: float) -> float:
    """How long a part of the benchmark took, on standard error (it is not a figure)."""
    now = time.perf_counter()
    print(f"[{name} took {now - started:.1f} s]", file=sys.stderr, flush=True)
    return now


# --- 1. cold start ----------------------------------------------------------------------------


def cold_start(database_url: str, starts: int) -> None:
    # Unmeasured first starts fill the bytecode cache and the file cache.
    start_server(database_url).stop()
    start_bare_server().stop()
    evaus: list[float] = []
    bare: list[float] = []
    evaus_cpu: list[float] = []
    bare_cpu: list[float] = []
    uncached: list[float] = []
    for i in range(starts):  # interleaved, so both see the same machine
        with start_server(database_url) as server:
            evaus.append(server.cold_start_seconds)
            evaus_cpu.append(server.cold_start_cpu_seconds)
        with start_bare_server() as server:
            bare.append(server.cold_start_seconds)
            bare_cpu.append(server.cold_start_cpu_seconds)
        if i < UNCACHED_STARTS:
            with start_server(database_url, bytecode_cache=False) as server:
                uncached.append(server.cold_start_seconds)
    say("cold_start_p50", statistics.median(evaus), "s", 2)
    say("cold_start_max", max(evaus), "s", 2)
    say("cold_start_bare_p50", statistics.median(bare), "s", 2)
    say("cold_start_vs_bare_ratio", statistics.median(evaus) / statistics.median(bare), "x", 2)
    say("cold_start_cpu_p50", statistics.median(evaus_cpu), "s", 2)
    say("cold_start_bare_cpu_p50", statistics.median(bare_cpu), "s", 2)
    # Without Python's bytecode cache (this sandbox's PYTHONDONTWRITEBYTECODE): every module of
    # evaus and project_db is compiled again at each start.
    say("cold_start_uncached_p50", statistics.median(uncached), "s", 2)


# --- 2. and 3. the list page in the browser --------------------------------------------------


def signed_in_context(browser: Browser, server: RunningServer) -> BrowserContext:
    context = browser.new_context()
    page = context.new_page()
    login(page, server, "admin")  # type: ignore[arg-type]  # it only reads .url
    page.close()
    return context


def first_rows(context: BrowserContext, server: RunningServer, runs: int) -> list[float]:
    times: list[float] = []
    for _ in range(runs):
        page = context.new_page()
        page.add_init_script(FIRST_ROW_SCRIPT)
        page.goto(f"{server.url}/projects", wait_until="commit")
        page.wait_for_function("window.__firstRow !== null", timeout=30_000)
        times.append(float(page.evaluate("window.__firstRow")))
        page.close()
    return times


def round_trips(page: Page, clicks: int, labels: tuple[str, str], probe: str) -> list[float]:
    page.evaluate(CLICK_SCRIPT, [labels[0], probe])  # warm-up (and away from page 1)
    page.evaluate(CLICK_SCRIPT, [labels[1], probe])
    return [float(page.evaluate(CLICK_SCRIPT, [labels[i % 2], probe])) for i in range(clicks)]


def list_page(browser: Browser, server: RunningServer, runs: int, clicks: int) -> None:
    context = signed_in_context(browser, server)
    first_rows(context, server, 1)  # warm-up: the server's first /projects
    times = first_rows(context, server, runs)
    say("list_first_rows_p50", statistics.median(times), "ms", 0)
    say("list_first_rows_max", max(times), "ms", 0)
    page = context.new_page()
    page.goto(f"{server.url}/projects")
    page.wait_for_selector("tbody tr")
    say("list_page_dom_elements", page.evaluate("document.querySelectorAll('*').length"), "n", 0)
    trips = round_trips(page, clicks, (NEXT_PAGE, PREVIOUS_PAGE), FIRST_ROW_TEXT)
    say("ui_round_trip_p50", statistics.median(trips), "ms")
    say("ui_round_trip_p95", percentile(trips, 0.95), "ms")
    context.close()


def bare_page(browser: Browser, bare: RunningServer, runs: int, clicks: int) -> None:
    """The floor: a NiceGUI hello page's first element, and its click round trip."""
    times: list[float] = []
    for _ in range(runs + 1):  # the first is a warm-up
        page = browser.new_page()
        page.add_init_script(FIRST_ROW_SCRIPT.replace("tbody tr", "#counter"))
        page.goto(bare.url, wait_until="commit")
        page.wait_for_function("window.__firstRow !== null", timeout=30_000)
        times.append(float(page.evaluate("window.__firstRow")))
        page.close()
    say("bare_page_first_element_p50", statistics.median(times[1:]), "ms", 0)
    page = browser.new_page()
    page.goto(bare.url)
    page.wait_for_selector("#counter")
    trips = round_trips(page, clicks, ("Click", "Click"), COUNTER_TEXT)
    say("ui_round_trip_bare_p50", statistics.median(trips), "ms")
    say("ui_round_trip_bare_p95", percentile(trips, 0.95), "ms")
    page.close()


# --- 4. memory per client ---------------------------------------------------------------------


def settled_rss(server: RunningServer, seconds: float) -> float:
    """VmRSS after ``seconds``, then until two readings half a second apart agree within 0.2 MB."""
    time.sleep(seconds)
    previous = server.rss_mb()
    for _ in range(10):
        time.sleep(0.5)
        current = server.rss_mb()
        if abs(current - previous) < 0.2:
            return current
        previous = current
    return previous


def open_pages(context: BrowserContext, url: str, selector: str, count: int) -> list[Page]:
    """``count`` pages on ``url``, one after the other, each until ``selector`` is there."""
    pages = []
    for _ in range(count):
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector(selector, timeout=60_000)
        pages.append(page)
    return pages


def memory_per_client(
    server: RunningServer, context: BrowserContext, url: str, selector: str, clients: int
) -> float:
    # A first page does the one-off work (imports, caches) and stays open: a closed page's freed
    # memory would be reused by the next ones and hide part of their cost.
    pages = open_pages(context, url, selector, 1)
    before = settled_rss(server, 1.0)
    pages += open_pages(context, url, selector, clients)
    with_pages = settled_rss(server, 2.0)
    for page in pages:
        page.close()
    return (with_pages - before) / clients


def memory(browser: Browser, database_url: str, clients: int) -> None:
    with start_server(database_url) as server:
        context = signed_in_context(browser, server)
        url = f"{server.url}/projects"
        per_client = memory_per_client(server, context, url, "tbody tr", clients)
        context.close()
    with start_bare_server() as bare:
        context = browser.new_context()
        bare_per_client = memory_per_client(bare, context, bare.url, "#counter", clients)
        context.close()
    say("memory_per_client", per_client, "MB", 2)
    say("memory_per_client_bare", bare_per_client, "MB", 2)


# --- 5. API users -----------------------------------------------------------------------------


async def _api_user(server: RunningServer, requests: int, offset: int, out: list[float]) -> None:
    async with httpx.AsyncClient(base_url=server.url, headers=server.headers(), timeout=60) as api:
        for i in range(requests):
            term = TERMS[(offset + i) % len(TERMS)]
            started = time.perf_counter()
            response = await api.get("/api/projects", params={"q": term, "page_size": 50})
            out.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()


async def _api_load(server: RunningServer, users: int, requests: int) -> tuple[list[float], float]:
    await _api_user(server, len(TERMS), 0, [])  # warm-up
    times: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(_api_user(server, requests, u, times) for u in range(users)))
    return times, time.perf_counter() - started


def api_users(server: RunningServer, users: int, requests: int) -> None:
    # Playwright's sync API keeps an event loop in this thread: the load runs in its own.
    with ThreadPoolExecutor(1) as pool:
        alone, _seconds = pool.submit(asyncio.run, _api_load(server, 1, 3 * len(TERMS))).result()
        times, seconds = pool.submit(asyncio.run, _api_load(server, users, requests)).result()
    say("api_1_user_p50", statistics.median(alone), "ms")  # one request at a time: the floor
    say(f"api_{users}_users_p50", statistics.median(times), "ms")
    say(f"api_{users}_users_p95", percentile(times, 0.95), "ms")
    say(f"api_{users}_users_rps", len(times) / seconds, "requests/s")


# --- all --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--starts", type=int, default=5, help="cold starts (each also bare)")
    parser.add_argument("--loads", type=int, default=7, help="list page loads")
    parser.add_argument("--clicks", type=int, default=40, help="round trips on the list")
    parser.add_argument("--clients", type=int, default=20, help="open pages for the memory")
    parser.add_argument("--users", type=int, default=50, help="concurrent API users")
    parser.add_argument("--requests", type=int, default=10, help="API requests per user")
    parser.add_argument(
        "--only", action="append", choices=PARTS, help="run only these parts (repeatable)"
    )
    args = parser.parse_args()
    parts = set(args.only or PARTS)
    began = time.perf_counter()
    database_url = ensure_database(args.projects)
    print(f"projects {args.projects} projects", flush=True)
    step = time.perf_counter()
    if "cold" in parts:
        cold_start(database_url, args.starts)
        step = phase("cold start", step)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        with start_server(database_url) as server:
            if "list" in parts:
                list_page(browser, server, args.loads, args.clicks)
                step = phase("list page", step)
                with start_bare_server() as bare:
                    bare_page(browser, bare, args.loads, args.clicks)
                step = phase("bare page", step)
            if "api" in parts:
                api_users(server, args.users, args.requests)
                step = phase("api users", step)
        if "memory" in parts:
            memory(browser, database_url, args.clients)
            step = phase("memory", step)
        browser.close()
    say("bench_web_total", time.perf_counter() - began, "s")


if __name__ == "__main__":
    main()
