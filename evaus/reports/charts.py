"""Charts for the reports, as PNG bytes; the same data gives the same image.

Bars and progress lines are drawn with Pillow, the layout computed here: shapes at twice the
size and scaled down (smooth sloping lines), text measured and drawn by FreeType at the final
size. matplotlib took ~60–110 ms a chart, most of it creating tick objects and laying out text;
this takes ~5–15 ms. The heatmap of the EVAUS report is still drawn with matplotlib, imported
only when one is drawn (~0.5 s the first time in a process).
"""

from __future__ import annotations

import importlib.util
import io
import math
import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from .contexts import ChartSpec, HeatmapSpec

# Contrast of at least 3:1 on white for every colour (WCAG 1.4.11, graphical objects); the
# series of a line chart also differ by their markers, so colour alone tells nothing apart.
COLOURS = ["#1f5a96", "#c25e00", "#2e7d32", "#b03a48", "#6b4c9a", "#5f5f5f", "#00798c", "#7a6c00"]
MARKERS = ["circle", "square", "triangle", "diamond", "down", "hexagon", "left", "right"]
WIDTH_IN, HEIGHT_IN = 6.3, 3.0  # the text width of an A4 page (the report prints 160 mm)
DPI = 130
# Drawn at this multiple of the final size and scaled down (anti-aliasing of lines and text).
SUPERSAMPLE = 2
# zlib level 3 encodes these charts in about half the time of the default 6; the pixels are the
# same and the PNG a few kB larger.
PNG_OPTIONS: dict[str, Any] = {"compress_level": 3}
# Part of every cache key: a change of the drawing code bumps it, so a cache kept elsewhere
# (on disk, by a caller) cannot hand out a chart drawn the old way.
STYLE_VERSION = "2"
CACHED_CHARTS = 64  # per process; ~20–70 kB each

INK, GRID, AXIS = (0, 0, 0), (221, 221, 221), (68, 68, 68)
MINUS = "\u2212"
NBSP = "\u00a0"


def draw_chart(spec: ChartSpec) -> bytes:
    """The chart as a PNG (6.3 × 3.0 in at 130 dpi: 819 × 390 pixels, printed 160 mm wide).

    Safe to call from several threads at once (no shared drawing state). Charts are cached by
    their whole data (the spec's JSON, with the style version): any changed number, name or
    label is a different key, so a changed chart is always drawn anew.
    """
    return _draw(STYLE_VERSION + spec.model_dump_json())


def clear_caches() -> None:
    """Forget the drawn charts (the benchmark's cold rounds)."""
    _draw.cache_clear()
    _draw_heatmap.cache_clear()


def cache_info() -> Any:
    """Hits and misses of the chart cache (``functools`` cache info)."""
    return _draw.cache_info()


def describe_chart(spec: ChartSpec | HeatmapSpec) -> str:
    """A short text alternative for the chart (Word's alt text): its title and what it shows
    (the series, or the rows and columns); the numbers themselves are in the report's tables."""
    if isinstance(spec, HeatmapSpec):
        parts = [spec.title, ", ".join(spec.areas), ", ".join(spec.alternatives)]
    else:
        parts = [spec.title, ", ".join(s.name for s in spec.series), ", ".join(spec.categories)]
    return textwrap.shorten(". ".join(p for p in parts if p.strip()), 1000, placeholder=" …")


# --- numbers --------------------------------------------------------------------------------------


def format_number(value: float, decimals: int = 0) -> str:
    """Finnish and Swedish style: 2 500 000, 2,5, −10 (no-break space, decimal comma, minus)."""
    text = f"{abs(value):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return (MINUS + text) if value < 0 and float(text.replace(NBSP, "").replace(",", ".")) else text


def nice_ticks(low: float, high: float, most: int = 6) -> tuple[list[float], int]:
    """Round tick values covering [low, high] (1, 2, 2.5 or 5 × 10ⁿ apart, at most ``most``
    intervals) and the decimals their labels need."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / most
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    count = round((last - first) / step)
    ticks = [first + i * step for i in range(count + 1)]
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    if decimals == 0 and step % 1:  # 2.5, 25, …: 2.5 needs one
        decimals = 1 if step < 10 else 0
    return ticks, decimals


# --- fonts and drawing --------------------------------------------------------------------------


def _font_file(bold: bool = False) -> str:
    """DejaVu Sans: matplotlib's own copy (a dependency), else the system's."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    found = importlib.util.find_spec("matplotlib")
    for folder in list(found.submodule_search_locations or []) if found else []:
        path = Path(folder) / "mpl-data" / "fonts" / "ttf" / name
        if path.exists():
            return str(path)
    return str(Path("/usr/share/fonts/truetype/dejavu") / name)


def load_fonts() -> None:
    """Open the fonts of the bar and line charts (a batch worker, once at its start)."""
    for points in (7, 8, 9):
        _font(points)


@lru_cache(maxsize=16)
def _font(points: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_font_file(bold), round(points * DPI / 72))


def _px(points: float) -> float:
    """Points to pixels of the PNG."""
    return points * DPI / 72


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _width(font: ImageFont.FreeTypeFont, text: str) -> float:
    return float(font.getlength(text))


def _fit(font: ImageFont.FreeTypeFont, text: str, room: float) -> str:
    """``text`` cut with an ellipsis to ``room`` pixels."""
    if _width(font, text) <= room:
        return text
    while text and _width(font, text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


Colour = tuple[int, int, int]
Point = tuple[float, float]


class _Canvas:
    """Shapes drawn at ``scale`` × the PNG's size (smooth sloping lines once scaled down),
    text drawn afterwards at the PNG's own size (FreeType smooths it; half the work)."""

    def __init__(self, size: tuple[int, int], scale: int) -> None:
        self.scale = scale
        self.image = Image.new("RGB", (size[0] * scale, size[1] * scale), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.texts: list[tuple[Point, str, ImageFont.FreeTypeFont, str]] = []
        self.rotated: list[tuple[Point, str, ImageFont.FreeTypeFont]] = []

    def _width(self, points: float) -> int:
        return max(1, round(_px(points) * self.scale))

    def line(self, points: list[Point], colour: Colour, width: float = 0.8) -> None:
        s = self.scale
        self.draw.line([(x * s, y * s) for x, y in points], fill=colour, width=self._width(width))

    def dashed(self, span: Point, y: float, colour: Colour) -> None:
        dash, gap = _px(3), _px(2)
        x = span[0]
        while x < span[1]:
            self.line([(x, y), (min(x + dash, span[1]), y)], colour)
            x += dash + gap

    def box(self, corners: tuple[float, float, float, float], colour: Colour) -> None:
        s = self.scale
        x0, y0, x1, y1 = corners
        x0, y0 = x0 * s, y0 * s  # a bar too thin for a pixel still gets one
        self.draw.rectangle([x0, y0, max(x0, x1 * s - 1), max(y0, y1 * s - 1)], fill=colour)

    def marker(self, kind: str, centre: Point, colour: Colour) -> None:
        """A filled marker with a thin white edge (overlapping markers stay apart)."""
        s = self.scale
        x, y, r, edge = centre[0] * s, centre[1] * s, _px(3) * s, self._width(0.6)
        if kind == "circle":
            self.draw.ellipse([x - r, y - r, x + r, y + r], colour, "white", edge)
        elif kind == "square":
            r *= 0.9
            self.draw.rectangle([x - r, y - r, x + r, y + r], colour, "white", edge)
        else:
            sides, rotation, size = _POLYGONS[kind]
            self.draw.regular_polygon(
                (x, y, r * size), sides, rotation=rotation, fill=colour, outline="white", width=edge
            )

    def text(self, xy: Point, text: str, font: ImageFont.FreeTypeFont, anchor: str = "la") -> None:
        self.texts.append((xy, text, font, anchor))

    def upward(self, xy: Point, text: str, font: ImageFont.FreeTypeFont) -> None:
        """Text read bottom to top, its left edge at ``xy`` (x) and centred on it (y)."""
        self.rotated.append((xy, text, font))

    def png(self) -> bytes:
        image = self.image.reduce(self.scale) if self.scale > 1 else self.image
        draw = ImageDraw.Draw(image)
        for xy, text, font, anchor in self.texts:
            draw.text(xy, text, font=font, fill=INK, anchor=anchor)
        for (x, y), text, font in self.rotated:
            size = (math.ceil(_width(font, text)) + 2, math.ceil(font.size * 1.25))
            mask = Image.new("L", size, 0)
            ImageDraw.Draw(mask).text((0, 0), text, font=font, fill=255)
            mask = mask.transpose(Image.Transpose.ROTATE_90)
            left, top = round(x), round(y - mask.height / 2)
            image.paste(INK, (left, top, left + mask.width, top + mask.height), mask)
        # 64 colours hold a chart's few colours and their smoothed edges (the eye sees no
        # difference); the PNG is a third of the size and quicker to encode and to zip.
        quantized = image.quantize(64, method=Image.Quantize.FASTOCTREE)
        buffer = io.BytesIO()
        quantized.save(buffer, format="PNG", dpi=(DPI, DPI), **PNG_OPTIONS)
        return buffer.getvalue()


# regular polygons: (sides, rotation, size relative to a circle's radius)
_POLYGONS = {
    "triangle": (3, 0.0, 1.25),
    "down": (3, 180.0, 1.25),
    "diamond": (4, 0.0, 1.25),
    "hexagon": (6, 0.0, 1.1),
    "left": (3, 90.0, 1.25),
    "right": (3, 270.0, 1.25),
}


# --- bars and progress lines ------------------------------------------------------------------

Entry = tuple[str, Colour, str, str]  # (kind, colour, marker, label)
SWATCH, SWATCH_GAP, ENTRY_GAP = 16.0, 4.0, 10.0  # points


def _legend_entry(
    canvas: _Canvas, entry: Entry, x: float, y: float, font: ImageFont.FreeTypeFont
) -> None:
    kind, colour, marker, label = entry
    swatch = _px(SWATCH)
    if kind == "bar":
        canvas.box((x, y - _px(3.5), x + swatch, y + _px(3.5)), colour)
    elif kind == "line":
        canvas.line([(x, y), (x + swatch, y)], colour, 1.5)
        canvas.marker(marker, (x + swatch / 2, y), colour)
    else:
        canvas.dashed((x, x + swatch), y, colour)
    canvas.text((x + swatch + _px(SWATCH_GAP), y), label, font, "lm")


def _entry_width(entry: Entry, font: ImageFont.FreeTypeFont) -> float:
    return _px(SWATCH + SWATCH_GAP) + _width(font, entry[3])


@lru_cache(maxsize=CACHED_CHARTS)
def _draw(key: str) -> bytes:
    spec = ChartSpec.model_validate_json(key[len(STYLE_VERSION) :])
    lines = spec.style == "percent_lines"
    width, height = round(WIDTH_IN * DPI), round(HEIGHT_IN * DPI)
    # Bars are upright rectangles and need no smoothing; sloping lines and markers do.
    canvas = _Canvas((width, height), SUPERSAMPLE if lines else 1)
    text_font, title_font, legend_font = _font(8), _font(9), _font(7)
    pad = _px(5)

    canvas.text((pad, pad), _fit(title_font, spec.title, width - 2 * pad), title_font)
    top = pad + title_font.size * 1.3 + _px(5)

    # The legend: one row under the title when it fits, else a column on the right.
    entries: list[Entry] = []
    for i, series in enumerate(spec.series):
        if lines and all(v is None for v in series.values):
            continue
        label = textwrap.shorten(series.name, 45, placeholder="…") if lines else series.name
        colour = _rgb(COLOURS[i % len(COLOURS)])
        entries.append(("line" if lines else "bar", colour, MARKERS[i % len(MARKERS)], label))
    if lines and spec.reference_label:
        entries.append(("reference", AXIS, "", spec.reference_label))
    right = width - _px(8)
    entry_height = legend_font.size * 1.45
    gap = _px(ENTRY_GAP)
    row = sum(_entry_width(e, legend_font) for e in entries) + gap * (len(entries) - 1)
    if entries and len(spec.series) <= 2 and row <= width - 2 * pad:
        x = width - pad - row
        for entry in entries:
            _legend_entry(canvas, entry, x, top + entry_height / 2, legend_font)
            x += _entry_width(entry, legend_font) + gap
        top += entry_height + _px(4)
    elif entries:
        room = width * 0.34 - pad - _px(SWATCH + SWATCH_GAP)
        entries = [(k, c, m, _fit(legend_font, label, room)) for k, c, m, label in entries]
        left_edge = width - pad - max(_entry_width(e, legend_font) for e in entries)
        for n, entry in enumerate(entries):
            _legend_entry(canvas, entry, left_edge, top + entry_height * (n + 0.5), legend_font)
        right = left_edge - _px(12)

    # The value axis: round ticks over the data (and 0, and 100 % for progress).
    values = [v for s in spec.series for v in s.values if v is not None]
    if lines:
        low = min([0.0, *(v * 1.1 for v in values if v < 0)])
        high = max([100.0, *values])
    else:
        low, high = min([0.0, *values]), max([0.0, *values])
    ticks, decimals = nice_ticks(low, high)
    tick_labels = [format_number(t, decimals) for t in ticks]
    tick_length = _px(3.5)
    label_height = text_font.size * 1.25
    left = (
        pad
        + (label_height + _px(4) if spec.y_label else 0)
        + max(_width(text_font, t) for t in tick_labels)
        + tick_length
        + _px(3)
    )

    # The categories: wrapped to their slot, and only every n-th when many and still too wide.
    count = max(len(spec.categories), 1)
    slot = (right - left) / count
    chars, every = 22, 1
    while True:
        wrapped = [textwrap.wrap(c, chars)[:3] or [""] for c in spec.categories] or [[""]]
        widest = max(_width(text_font, line) for lines_ in wrapped for line in lines_)
        if widest <= slot * 0.92 or chars <= 8:
            break
        chars -= 2
    if widest > slot * 0.92 and count > 6:
        every = math.ceil(widest / (slot * 0.92))
    line_height = text_font.size * 1.2
    bottom = height - pad - line_height * max(len(w) for w in wrapped) - tick_length - _px(3)

    y0, y1 = ticks[0], ticks[-1]

    def y_of(value: float) -> float:
        return bottom - (value - y0) / (y1 - y0) * (bottom - top)

    def x_of(position: int) -> float:
        return left + slot * (position + 0.5)

    for value, text in zip(ticks, tick_labels, strict=True):
        y = y_of(value)
        if value != y0:
            canvas.line([(left, y), (right, y)], GRID, 0.6)
        canvas.line([(left - tick_length, y), (left, y)], INK)
        canvas.text((left - tick_length - _px(3), y), text, text_font, "rm")
    for position, label_lines in enumerate(wrapped):
        x = x_of(position)
        canvas.line([(x, bottom), (x, bottom + tick_length)], INK)
        if position % every:
            continue
        for n, line in enumerate(label_lines):
            y = bottom + tick_length + _px(3) + line_height * n
            canvas.text((x, y), _fit(text_font, line, slot * every * 0.98), text_font, "ma")
    if spec.y_label:
        text = _fit(text_font, spec.y_label, bottom - top)
        canvas.upward((pad, (top + bottom) / 2), text, text_font)

    if lines:
        canvas.dashed((left, right), y_of(100.0), AXIS)
        if low < 0:
            canvas.line([(left, y_of(0.0)), (right, y_of(0.0))], AXIS)
        for i, series in enumerate(spec.series):
            colour = _rgb(COLOURS[i % len(COLOURS)])
            # A period without a value breaks the line: a line across it would show a figure
            # the data does not have.
            runs: list[list[Point]] = [[]]
            for p, v in enumerate(series.values):
                if v is None:
                    runs.append([])
                else:
                    runs[-1].append((x_of(p), y_of(v)))
            for run in runs:
                if len(run) > 1:
                    canvas.line(run, colour, 1.5)
                for point in run:
                    canvas.marker(MARKERS[i % len(MARKERS)], point, colour)
    else:
        group = (0.8 if count > 1 else 0.5) * slot
        bar = group / max(len(spec.series), 1)
        for i, series in enumerate(spec.series):
            colour = _rgb(COLOURS[i % len(COLOURS)])
            for position, amount in enumerate(series.values):
                if amount is None or amount == 0:
                    continue
                x = x_of(position) - group / 2 + bar * i
                upper, lower = sorted((y_of(amount), y_of(0.0)))
                canvas.box((x, upper, x + bar, lower), colour)
        if low < 0:
            canvas.line([(left, y_of(0.0)), (right, y_of(0.0))], INK)

    canvas.line([(left, top), (left, bottom)], INK)
    canvas.line([(left, bottom), (right, bottom)], INK)
    return canvas.png()


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


@lru_cache(maxsize=1)
def _matplotlib() -> None:
    """Import matplotlib (~0.5 s the first time) and set its defaults for the reports."""
    from matplotlib import rcParams

    rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "evaus",
        }
    )


@lru_cache(maxsize=16)
def _draw_heatmap(spec_json: str) -> bytes:
    _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
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
