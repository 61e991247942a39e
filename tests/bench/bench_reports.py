"""Report rendering benchmark: prints ``name value unit`` lines (not a timed test).

    .venv/bin/python -m tests.bench.bench_reports [--rounds 15]

The large ESR final report: 30 goals, 60 measures, 100 indicators × 8 periods (900 table rows),
two charts. Each round measures, side by side:

- ``report_large`` — the headline: ``render_docx`` with every cache of drawn charts emptied
  first (charts drawn from scratch, as for a project's first report);
- ``report_floor`` — reading the template .docx with zipfile and writing every member unchanged
  into a new zip in memory: what any report costs at the least;
- ``report_large_cached_charts`` — the same report with its two charts already drawn (the
  charts are cached by their data, so making the same report again skips them);
- ``report_large_charts`` — drawing the two charts alone;
- ``report_large_build_context`` — building the context from the project document.

p50 over the rounds (wall clock), the CPU time of this process next to it, and the machine's
load average: on a shared machine the wall clock grows with the load, the CPU time less.
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
from tests.reports_support import TODAY, labels, large_doc, soku

TARGET_MS = 150


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    big = large_doc()
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

    def nothing() -> None:
        return None

    def draw_charts() -> None:
        for spec in specs:
            assert isinstance(spec, ChartSpec)
            charts.draw_chart(spec)

    timer = Timer()
    load_before = os.getloadavg()[0]
    for _ in range(args.rounds):
        timer("floor", lambda: floor(template), nothing)
        timer("large", lambda: render_docx(template, context), charts.clear_caches)
        timer("cached", lambda: render_docx(template, context), nothing)
        timer("charts", draw_charts, charts.clear_caches)
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
    print(f"report_large_build_context_p50 {timer.p50('build'):.1f} ms")
    print(f"report_card_p50 {timer.p50('card'):.1f} ms")
    print(f"report_large_target {TARGET_MS} ms")
    print(f"report_large_target_met {int(large <= TARGET_MS)} bool")
    print(f"report_rounds {args.rounds} rounds")
    print(f"load_average_1min {max(load_before, load_after):.2f} load")


if __name__ == "__main__":
    main()
