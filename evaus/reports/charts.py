"""Charts for the reports: matplotlib (Agg, no display) to PNG bytes, deterministic output."""

from __future__ import annotations

import io
import textwrap
from functools import lru_cache
from typing import Any

from matplotlib import rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .contexts import ChartSpec, HeatmapSpec

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
    The same data gives the same image; repeated charts come from a small cache.
    """
    return _draw(spec.model_dump_json())


def clear_caches() -> None:
    """Forget the drawn charts (the benchmark's cold rounds)."""
    _draw.cache_clear()
    _draw_heatmap.cache_clear()


def _highest(spec: ChartSpec) -> float:
    return max((abs(v) for s in spec.series for v in s.values if v is not None), default=0.0)


@lru_cache(maxsize=64)
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


# --- the EVAUS heatmap: impact areas × alternatives ----------------------------------------------

# (fill, text colour, hatch): dark and light shades so that greyscale keeps the order; the
# symbol in every cell carries the meaning, so nothing is told by colour alone.
DIRECTION_STYLE: dict[str | None, tuple[str, str, str]] = {
    "++": ("#1b5e20", "#ffffff", ""),
    "+": ("#a5d6a7", "#000000", ""),
    "0": ("#ffffff", "#000000", ""),
    "-": ("#f4b6b6", "#000000", ""),
    "--": ("#8e1b1b", "#ffffff", ""),
    "+-": ("#fff3b0", "#000000", "//"),
    "?": ("#e0e0e0", "#000000", ".."),
    None: ("#ffffff", "#333333", "xx"),
}


def draw_heatmap(spec: HeatmapSpec) -> bytes:
    """The matrix as coloured cells with their symbols; same data, same PNG."""
    return _draw_heatmap(spec.model_dump_json())


# Up to this many alternatives their names head the columns; with more the columns are
# numbered and the names listed under the chart (long names side by side would overlap).
NAMED_COLUMNS_UP_TO = 2


def _legend_lines(spec: HeatmapSpec, numbered: bool) -> list[str]:
    per_line = 3
    lines = [
        "     ".join(spec.legend[i : i + per_line]) for i in range(0, len(spec.legend), per_line)
    ]
    if numbered:
        lines.append(spec.legend_title + ":")
        for number, name in enumerate(spec.alternatives, start=1):
            wrapped = textwrap.wrap(name, 95) or [""]
            lines.append(f"{number}  {wrapped[0]}")
            lines += [f"    {rest}" for rest in wrapped[1:2]]
    return lines


@lru_cache(maxsize=16)
def _draw_heatmap(spec_json: str) -> bytes:
    from matplotlib.patches import Rectangle

    spec = HeatmapSpec.model_validate_json(spec_json)
    rows, cols = len(spec.areas), len(spec.alternatives)
    numbered = cols > NAMED_COLUMNS_UP_TO
    lines = _legend_lines(spec, numbered)
    top_in = 0.45 if numbered else 0.8
    # 7-point text: about 0.12 in a line.
    row_in, legend_in = 0.34, 0.25 + 0.125 * len(lines)
    height = top_in + row_in * rows + legend_in
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.36, legend_in / height, 0.62, row_in * rows / height))
    # Narrow columns (many alternatives) get a smaller "not assessed" text.
    cell_in = 0.62 * WIDTH_IN / max(cols, 1)
    missing_size = 7 if cell_in > 0.8 else 6
    for r in range(rows):
        for c in range(cols):
            code = spec.codes[r][c]
            fill, ink, hatch = DIRECTION_STYLE.get(code, DIRECTION_STYLE["?"])
            ax.add_patch(
                Rectangle(
                    (c, r),
                    1,
                    1,
                    facecolor=fill,
                    edgecolor="#444444",
                    hatch=hatch or None,
                    linewidth=0.8,
                )
            )
            missing = code is None
            text = spec.symbols[r][c]
            if missing and cell_in > 0.55:
                text = f"{spec.not_assessed_symbol} {spec.not_assessed_text}"
            ax.text(
                c + 0.5,
                r + 0.5,
                text,
                ha="center",
                va="center",
                fontsize=missing_size if missing else 11,
                fontweight="normal" if missing else "bold",
                fontstyle="italic" if missing else "normal",
                color=ink,
                bbox={"facecolor": fill, "edgecolor": "none", "pad": 1.5} if hatch else None,
            )
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)
    ax.set_xticks([c + 0.5 for c in range(cols)])
    if numbered:
        ax.set_xticklabels([str(n) for n in range(1, cols + 1)], fontsize=9, fontweight="bold")
    else:
        ax.set_xticklabels(["\n".join(textwrap.wrap(a, 26)[:3]) for a in spec.alternatives])
    ax.xaxis.tick_top()
    ax.set_yticks([r + 0.5 for r in range(rows)])
    ax.set_yticklabels(["\n".join(textwrap.wrap(a, 38)[:2]) for a in spec.areas], fontsize=7)
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    fig.suptitle(spec.title, fontsize=9, x=0.02, ha="left")
    fig.text(0.02, 0.04 / height, "\n".join(lines), fontsize=7, va="bottom", ha="left")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None}, pil_kwargs=PNG_OPTIONS)
    return buffer.getvalue()
