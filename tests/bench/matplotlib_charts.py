"""The reports' bar and line charts as matplotlib drew them before (Agg, PNG): the benchmark
runs them next to ``evaus.reports.charts`` for comparison. Not used by the product."""

from __future__ import annotations

import io
import textwrap
from typing import Any

from matplotlib import rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from evaus.reports.contexts import ChartSpec

COLOURS = ["#1f5a96", "#e07b00", "#3a8f3a", "#b03a48", "#6b4c9a", "#7f7f7f", "#17becf", "#bcbd22"]
WIDTH_IN, HEIGHT_IN = 6.3, 3.0
DPI = 130
# zlib level 3 encodes these charts in about half the time of the default 6; the pixels are the
# same and the PNG a few kB larger.
PNG_OPTIONS: dict[str, Any] = {"compress_level": 3}
# Below this the y axis of a percent chart prints no offset or ×10ⁿ text, so nothing can push
# the title up and its position need not be measured (matplotlib's costly automatic placement).
NO_OFFSET_TEXT_BELOW = 1e5

rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "evaus",
    }
)


def _thousands(value: float, _pos: int) -> str:
    return f"{value:,.0f}".replace(",", "\u00a0")


def draw_chart(spec: ChartSpec) -> bytes:
    """The chart as a PNG (6.3 × 3.0 in: the text width of an A4 page).

    Uses the object-oriented API (no pyplot state), so threads of a web server can draw at once.
    """
    return _draw(spec.model_dump_json())


def _highest(spec: ChartSpec) -> float:
    return max((abs(v) for s in spec.series for v in s.values if v is not None), default=0.0)


def _draw(spec_json: str) -> bytes:
    spec = ChartSpec.model_validate_json(spec_json)
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    outside = len(spec.series) > 2
    fig.subplots_adjust(left=0.11, right=0.66 if outside else 0.97, bottom=0.2, top=0.88)
    labels = ["\n".join(textwrap.wrap(c, 22)[:3]) for c in spec.categories]
    positions = list(range(len(labels)))
    if spec.style == "bars":
        count = max(len(spec.series), 1)
        width = (0.8 if len(labels) > 1 else 0.5) / count
        for i, series in enumerate(spec.series):
            xs = [p - width * count / 2 + width * (i + 0.5) for p in positions]
            ys = [v if v is not None else 0.0 for v in series.values]
            ax.bar(xs, ys, width=width, label=series.name, color=COLOURS[i % len(COLOURS)])
        ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    else:
        for i, series in enumerate(spec.series):
            points = [
                (p, v) for p, v in zip(positions, series.values, strict=False) if v is not None
            ]
            if not points:
                continue
            ax.plot(
                [p for p, _ in points],
                [v for _, v in points],
                marker="o",
                label=textwrap.shorten(series.name, 45),
                color=COLOURS[i % len(COLOURS)],
            )
        ax.axhline(
            100, color="#444444", linestyle="--", linewidth=0.8, label=spec.reference_label or None
        )
        # Progress below the baseline (the wrong way) stays visible under the zero line.
        lowest = min((v for s in spec.series for v in s.values if v is not None), default=0.0)
        if lowest < 0:
            ax.axhline(0, color="#444444", linewidth=0.8)
        ax.set_ylim(bottom=min(0.0, lowest * 1.1))
    ax.set_xlim(-0.5, len(labels) - 0.5)
    ax.set_xticks(positions, labels)
    ax.set_ylabel(spec.y_label)
    if spec.style == "bars" or _highest(spec) < NO_OFFSET_TEXT_BELOW:
        # Where matplotlib's automatic placement would leave it (no tick labels on top, no
        # offset text), without measuring every tick label to find that out.
        ax.set_title(spec.title, fontsize=9, loc="left", y=1.0)
    else:
        ax.set_title(spec.title, fontsize=9, loc="left")
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    legend_kwargs: dict[str, Any] = {"fontsize": 7, "frameon": False, "loc": "best"}
    if outside:
        legend_kwargs.update(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.legend(**legend_kwargs)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None}, pil_kwargs=PNG_OPTIONS)
    return buffer.getvalue()
