"""PDF conversion benchmark: prints ``name value unit`` lines (not a timed test).

    .venv/bin/python -m tests.bench.bench_pdf [--rounds 5]

One DOCX (the Finnish one-page project card of a rich project) converted to PDF with
LibreOffice. Each round measures, side by side:

- ``pdf_fresh_profile`` — soffice with a new, empty user profile (what every conversion cost
  before the profiles were kept: LibreOffice first creates the profile);
- ``pdf_warm_profile`` — ``convert_to_pdf``, which reuses a profile of this process's pool.

The first warm round also creates the pool's profile; the p50 over the rounds is the steady
state. The ratio ``pdf_fresh_over_warm`` is measured in the same run, so the machine's load
affects both sides alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from evaus.reports import pdf
from evaus.reports.build import build_context
from evaus.reports.render import render_docx
from evaus.reports.templating import shipped_template
from tests.reports_support import TODAY, labels, rich_doc


def fresh_profile_pdf(soffice: str, docx: bytes) -> bytes:
    """One conversion with an empty profile of its own, as before the pool."""
    with tempfile.TemporaryDirectory(prefix="evaus-bench-pdf-") as tmp:
        work = Path(tmp)
        source = work / "card.docx"
        source.write_bytes(docx)
        return pdf._run_soffice(soffice, work / "profile", work, source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    soffice = pdf.soffice_path()
    if soffice is None:
        sys.exit("LibreOffice (soffice) is not installed")
    context = build_context("card", rich_doc(), labels("fi"), "fi", TODAY)
    docx = render_docx(shipped_template("card", "fi"), context)

    times: dict[str, list[float]] = {"pdf_fresh_profile": [], "pdf_warm_profile": []}
    for _round in range(args.rounds):
        started = time.perf_counter()
        fresh = fresh_profile_pdf(soffice, docx)
        times["pdf_fresh_profile"].append(time.perf_counter() - started)
        started = time.perf_counter()
        warm = pdf.convert_to_pdf(docx, "card")
        times["pdf_warm_profile"].append(time.perf_counter() - started)
        assert fresh.startswith(b"%PDF") and warm.startswith(b"%PDF")

    p50 = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        print(f"{name} {p50[name] * 1000:.0f} ms (p50 of {len(values)})")
    print(f"pdf_warm_profile_first {times['pdf_warm_profile'][0] * 1000:.0f} ms")
    print(f"pdf_fresh_over_warm {p50['pdf_fresh_profile'] / p50['pdf_warm_profile']:.2f} x")
    print(f"load_average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
