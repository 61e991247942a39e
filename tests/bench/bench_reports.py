"""Report rendering benchmark: prints ``name value unit`` lines (not a timed test).

    .venv/bin/python -m tests.bench.bench_reports [--rounds 15] [--no-page]

The large ESR final report: 30 goals, 60 measures, 100 indicators × 8 periods (900 table rows),
three funders, so two charts (indicator progress, funding by funder). Each round measures, side
by side:

- ``report_large`` — the headline: ``render_docx`` with every cache of drawn charts emptied
  first (charts drawn from scratch, as for a project's first report);
- ``report_floor`` — reading the template .docx with zipfile and writing every member unchanged
  into a new zip in memory: what any report costs at the least;
- ``report_large_cached_charts`` — the same report with its two charts already drawn (the
  charts are cached by their data, so making the same report again skips them);
- ``report_large_charts`` — drawing the two charts alone;
- ``report_large_charts_matplotlib`` — the same two charts drawn by matplotlib as the reports
  did before (``tests.bench.matplotlib_charts``): the old way, for comparison;
- ``report_large_build_context`` — building the context from the project document.

p50 over the rounds (wall clock), the CPU time of this process next to it, and the machine's
load average: on a shared machine the wall clock grows with the load, the CPU time less.

The Raportit page (``report_page_*``, skipped with ``--no-page``): ``evaus serve`` on the
generated registry of 200 projects, signed in with headless Chromium; the time from navigation
start until the form with its "missing information" and the archive are in the page, and
(``_complete``) until the page's last section, the project's deadlines, is in it too (the
browser's own clock). ``first`` is the first Raportit page the started server shows, ``next``
other projects' pages after it; ``bare_nicegui`` a NiceGUI hello page opened the same way (the
floor of any page).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
import zipfile
from collections.abc import Callable

from evaus.reports import charts
from evaus.reports.build import build_context
from evaus.reports.contexts import ChartSpec, EsrFinalContext
from evaus.reports.render import render_docx
from evaus.reports.templating import shipped_template
from project_db.schemas import ProjectDoc
from tests.reports_support import TODAY, labels, large_doc, soku

TARGET_MS = 150
PAGE_TARGET_MS = 1000

# Records when the Raportit page has its form with the missing information and its archive (the
# last the form part fills: ``__ready``), and when the project's deadlines (the page's last
# section) are in it too (``__complete``).
PAGE_READY_SCRIPT = """
window.__ready = null;
window.__complete = null;
new MutationObserver((_, observer) => {
  const text = document.body ? document.body.textContent : '';
  if (window.__ready === null && MARKERS.some((marker) => text.includes(marker))) {
    window.__ready = -1;
    requestAnimationFrame(() => { window.__ready = performance.now(); });
  }
  if (window.__complete === null && text.includes(LAST)) {
    window.__complete = -1;
    requestAnimationFrame(() => { window.__complete = performance.now(); });
  }
  if (window.__ready !== null && window.__complete !== null) observer.disconnect();
}).observe(document, {childList: true, subtree: true, characterData: true});
"""

# The bare page is complete when its counter label is in the page (its text is also in the
# page's script, so it is found by its element, as ``bench_web`` does).
BARE_READY_SCRIPT = """
window.__ready = null;
new MutationObserver((_, observer) => {
  if (document.querySelector('#counter')) {
    observer.disconnect();
    requestAnimationFrame(() => { window.__ready = performance.now(); });
  }
}).observe(document, {childList: true, subtree: true});
"""


def large_report_doc() -> ProjectDoc:
    """The benchmark's large project with a third funder (a funding chart needs three)."""
    data = large_doc().model_dump(mode="json")
    data["funding"].append(
        {
            "funder": {"name": "Iso kaupunki"},
            "funder_code": "KUNTA",
            "amount": "150000",
            "own_contribution": "275000.50",
        }
    )
    return ProjectDoc.model_validate(data)


def floor(template: bytes) -> bytes:
    """Read the template zip and write every member, unchanged, into a new zip in memory."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
    return out.getvalue()


class Timer:
    """Wall-clock and CPU milliseconds of each call, per name."""

    def __init__(self) -> None:
        self.wall: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}

    def __call__(self, name: str, fn: Callable[[], object], before: Callable[[], None]) -> None:
        before()
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall
        self.wall.setdefault(name, []).append(wall * 1000)
        self.cpu.setdefault(name, []).append(cpu * 1000)

    def p50(self, name: str) -> float:
        return statistics.median(self.wall[name])

    def cpu_p50(self, name: str) -> float:
        return statistics.median(self.cpu[name])


def rendering(rounds: int) -> None:
    from tests.bench import matplotlib_charts

    big = large_report_doc()
    template = shipped_template("esr-final", "fi")
    context = build_context("esr-final", big, labels(), "fi", TODAY)
    assert isinstance(context, EsrFinalContext)
    specs = [s for s in (context.indicator_chart, context.funding_chart) if s is not None]
    assert len(specs) == 2
    card_template = shipped_template("card", "fi")
    card_context = build_context("card", soku(), labels(), "fi", TODAY)

    # One untimed run of each: imports, fonts, the compiled template (kept per template text).
    content = render_docx(template, context)
    render_docx(card_template, card_context)
    floor(template)
    for spec in specs:
        matplotlib_charts.draw_chart(spec)

    def nothing() -> None:
        return None

    def draw_charts() -> None:
        for spec in specs:
            assert isinstance(spec, ChartSpec)
            charts.draw_chart(spec)

    def draw_old_charts() -> None:
        for spec in specs:
            matplotlib_charts.draw_chart(spec)

    timer = Timer()
    load_before = os.getloadavg()[0]
    for _ in range(rounds):
        timer("floor", lambda: floor(template), nothing)
        timer("large", lambda: render_docx(template, context), charts.clear_caches)
        timer("cached", lambda: render_docx(template, context), nothing)
        timer("charts", draw_charts, charts.clear_caches)
        timer("old charts", draw_old_charts, nothing)
        timer("build", lambda: build_context("esr-final", big, labels(), "fi", TODAY), nothing)
        timer("card", lambda: render_docx(card_template, card_context), nothing)
    load_after = os.getloadavg()[0]

    large, floor_ms = timer.p50("large"), timer.p50("floor")
    print(f"report_large_rows {len(context.indicator_values) + len(context.indicators)} rows")
    print(f"report_large_size {len(content) // 1024} kB")
    print(f"report_large_p50 {large:.1f} ms")
    print(f"report_floor_p50 {floor_ms:.2f} ms")
    print(f"report_vs_floor_ratio {large / floor_ms:.1f} x")
    print(f"report_large_cpu_p50 {timer.cpu_p50('large'):.1f} ms")
    print(f"report_floor_cpu_p50 {timer.cpu_p50('floor'):.2f} ms")
    print(f"report_large_cached_charts_p50 {timer.p50('cached'):.1f} ms")
    print(f"report_large_cached_charts_cpu_p50 {timer.cpu_p50('cached'):.1f} ms")
    print(f"report_large_charts_p50 {timer.p50('charts'):.1f} ms")
    print(f"report_large_charts_cpu_p50 {timer.cpu_p50('charts'):.1f} ms")
    print(f"report_large_charts_matplotlib_p50 {timer.p50('old charts'):.1f} ms")
    print(f"report_large_charts_matplotlib_cpu_p50 {timer.cpu_p50('old charts'):.1f} ms")
    print(f"report_large_build_context_p50 {timer.p50('build'):.1f} ms")
    print(f"report_card_p50 {timer.p50('card'):.1f} ms")
    print(f"report_large_target {TARGET_MS} ms")
    print(f"report_large_target_met {int(large <= TARGET_MS)} bool")
    print(f"report_rounds {rounds} rounds")
    print(f"load_average_1min {max(load_before, load_after):.2f} load", flush=True)


def page(opens: int) -> None:
    """The Raportit page in Chromium on a freshly started server: the first open, then others."""
    from playwright.sync_api import sync_playwright

    from evaus.db import open_database
    from evaus.i18n import format_message
    from evaus.services import reports
    from evaus.services.access import local_admin
    from tests.bench.dataset import ensure_database
    from tests.bench.server import start_bare_server, start_server
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, login

    url = ensure_database(200, quiet=True)
    database = open_database(url=url)
    try:
        with database.session("bench") as session:
            ids = reports.select_projects(session, actor=local_admin("bench"))[: opens + 1]
    finally:
        database.engine.dispose()
    markers = [
        format_message("No reports have been made of this project yet.", "fi"),
        format_message("Archived reports", "fi"),
    ]
    last = format_message("Deadlines added by hand", "fi")
    script = PAGE_READY_SCRIPT.replace("MARKERS", repr(markers)).replace("LAST", repr(last))
    load_before = os.getloadavg()[0]
    times: list[float] = []
    complete: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with start_server(url) as server:
            context = browser.new_context()
            signed_in = context.new_page()
            login(signed_in, server, "admin")  # type: ignore[arg-type]  # it only reads .url
            signed_in.close()
            for project_id in ids:
                tab = context.new_page()
                tab.add_init_script(script)
                tab.goto(f"{server.url}/projects/{project_id}/reports", wait_until="commit")
                tab.wait_for_function("window.__ready > 0 && window.__complete > 0", timeout=60_000)
                times.append(float(tab.evaluate("window.__ready")))
                complete.append(float(tab.evaluate("window.__complete")))
                tab.close()
            context.close()
        # The floor: a bare NiceGUI page (a label and a button) on a server started the same
        # way, its first and second open, in the same browser.
        bare_times: list[float] = []
        with start_bare_server() as bare:
            for _ in range(2):
                tab = browser.new_page()
                tab.add_init_script(BARE_READY_SCRIPT)
                tab.goto(bare.url, wait_until="commit")
                tab.wait_for_function("window.__ready > 0", timeout=60_000)
                bare_times.append(float(tab.evaluate("window.__ready")))
                tab.close()
        browser.close()
    load_after = os.getloadavg()[0]
    print(f"report_page_bare_nicegui_first_ms {bare_times[0]:.0f} ms")
    print(f"report_page_bare_nicegui_second_ms {bare_times[1]:.0f} ms")
    print(f"report_page_first_ms {times[0]:.0f} ms")
    print(f"report_page_first_complete_ms {complete[0]:.0f} ms")
    print(f"report_page_next_p50 {statistics.median(times[1:]):.0f} ms")
    print(f"report_page_next_complete_p50 {statistics.median(complete[1:]):.0f} ms")
    print(f"report_page_target {PAGE_TARGET_MS} ms")
    print(f"report_page_target_met {int(times[0] <= PAGE_TARGET_MS)} bool")
    print(f"load_average_1min {max(load_before, load_after):.2f} load", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--opens", type=int, default=5, help="Raportit pages after the first")
    parser.add_argument("--no-page", action="store_true", help="skip the Raportit page")
    args = parser.parse_args()
    rendering(args.rounds)
    if not args.no_page:
        page(args.opens)


if __name__ == "__main__":
    main()
