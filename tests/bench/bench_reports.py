"""Report rendering benchmark: prints ``name value unit`` lines (not a timed test).

    .venv/bin/python -m tests.bench.bench_reports

A large ESR final report: 30 goals, 60 measures, 100 indicators × 8 periods (800 value rows),
two charts. Measured side by side with the SoKu project card in the same run.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

import docx

from evaus.reports.build import build_context
from evaus.reports.charts import _draw
from evaus.reports.contexts import EsrFinalContext
from evaus.reports.render import render_docx
from evaus.reports.templating import shipped_template
from tests.reports_support import TODAY, labels, large_doc, soku

ROUNDS = 5


def best_ms(fn: Callable[[], object], rounds: int = ROUNDS) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    big = large_doc()
    template = shipped_template("esr-final", "fi")
    context = build_context("esr-final", big, labels(), "fi", TODAY)
    assert isinstance(context, EsrFinalContext)
    content = render_docx(template, context)
    pages_hint = len(docx.Document(io.BytesIO(content)).tables[0].rows)

    build_best, _ = best_ms(lambda: build_context("esr-final", big, labels(), "fi", TODAY))

    def cold() -> bytes:
        _draw.cache_clear()
        return render_docx(template, context)

    cold_best, cold_median = best_ms(cold)
    warm_best, warm_median = best_ms(lambda: render_docx(template, context))
    card_context = build_context("card", soku(), labels(), "fi", TODAY)
    card_template = shipped_template("card", "fi")
    card_best, _ = best_ms(lambda: render_docx(card_template, card_context))

    print(f"large_report_rows {len(context.indicator_values) + len(context.indicators)} rows")
    print(f"large_report_basic_rows {pages_hint} rows")
    print(f"large_report_size {len(content) // 1024} kB")
    print(f"large_report_build_context {build_best:.1f} ms")
    print(f"large_report_render_with_charts {cold_best:.1f} ms")
    print(f"large_report_render_with_charts_median {cold_median:.1f} ms")
    print(f"large_report_render_cached_charts {warm_best:.1f} ms")
    print(f"large_report_render_cached_charts_median {warm_median:.1f} ms")
    print(f"soku_card_render {card_best:.1f} ms")
    print(f"large_vs_card_ratio {cold_best / card_best:.2f} x")


if __name__ == "__main__":
    main()
