"""The reports' bar and line charts: readable PNGs at the printed size, Finnish numbers,
colours with enough contrast, a cache that never hands out a chart of other data, and alt
text in the report."""

from __future__ import annotations

import io
import re
import zipfile
from itertools import pairwise

import pytest
from PIL import Image, ImageChops

from evaus.reports import charts
from evaus.reports.build import build_context
from evaus.reports.charts import draw_chart, format_number, nice_ticks
from evaus.reports.contexts import ChartSeries, ChartSpec
from evaus.reports.render import CHART_WIDTH_MM, render_docx
from evaus.reports.templating import shipped_template
from project_db.schemas import ProjectDoc
from tests.reports_support import TODAY, labels, large_doc

NBSP = "\u00a0"


def _progress(values: list[float | None], name: str = "1. Asiakkaat") -> ChartSpec:
    return ChartSpec(
        style="percent_lines",
        title="Mittarit: edistyminen lähtötasolta tavoitteeseen jaksoittain",
        categories=[f"Jakso {n}" for n in range(1, len(values) + 1)],
        series=[ChartSeries(name=name, values=values)],
        y_label="prosenttia matkasta tavoitteeseen",
        reference_label="Tavoite (100 %)",
    )


def _funding(amounts: list[float | None]) -> ChartSpec:
    return ChartSpec(
        style="bars",
        title="Rahoitus rahoittajittain (€)",
        categories=["ELY-keskus", "STM", "Iso kaupunki"][: len(amounts)],
        series=[
            ChartSeries(name="Myönnetty", values=amounts),
            ChartSeries(name="Omarahoitus", values=[None] * (len(amounts) - 1) + [275000.5]),
        ],
        y_label="€",
    )


def _image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png))


def test_a_chart_is_a_png_of_the_printed_size_at_130_dpi() -> None:
    image = _image(draw_chart(_funding([2_500_000, 400_000, 150_000])))
    assert image.format == "PNG"
    assert image.size == (819, 390)  # 6.3 × 3.0 in
    dpi = image.info["dpi"]
    assert round(dpi[0]) == 130
    # Printed 160 mm wide: at least 130 pixels an inch on paper, more than a screen at 100 %.
    assert image.size[0] / (CHART_WIDTH_MM / 25.4) >= 130


def test_the_same_data_gives_the_same_png() -> None:
    spec = _progress([12.5, 40.0, 95.0])
    first = draw_chart(spec)
    charts.clear_caches()
    assert draw_chart(spec) == first


def test_a_changed_number_is_drawn_again_never_taken_from_the_cache() -> None:
    charts.clear_caches()
    before = _funding([2_500_000, 400_000, 150_000])
    after = _funding([2_500_000, 400_000, 1_500_000])  # one amount changed
    old = draw_chart(before)
    new = draw_chart(after)
    info = charts.cache_info()
    assert (info.hits, info.misses) == (0, 2)
    assert new != old
    difference = ImageChops.difference(_image(old).convert("RGB"), _image(new).convert("RGB"))
    assert difference.getbbox() is not None  # the pixels differ, not only the bytes
    # The same data again comes from the cache, and is the chart of that data.
    assert draw_chart(before) == old
    assert draw_chart(after) == new
    assert charts.cache_info().hits == 2
    # A changed series name or title is a different chart too.
    renamed = after.model_copy(update={"title": "Rahoitus (€)"})
    assert draw_chart(renamed) != new


def test_the_cache_is_bounded() -> None:
    charts.clear_caches()
    for n in range(charts.CACHED_CHARTS + 5):
        draw_chart(_progress([float(n), 50.0]))
    assert charts.cache_info().currsize == charts.CACHED_CHARTS


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (2_500_000, 0, f"2{NBSP}500{NBSP}000"),
        (0, 0, "0"),
        (-10, 0, "\u221210"),
        (2.5, 1, "2,5"),
        (-0.0, 0, "0"),
        (1234.5, 1, f"1{NBSP}234,5"),
    ],
)
def test_numbers_are_written_the_finnish_way(value: float, decimals: int, text: str) -> None:
    assert format_number(value, decimals) == text


def test_ticks_are_round_and_cover_the_data() -> None:
    ticks, decimals = nice_ticks(0, 2_500_000)
    assert ticks[0] == 0 and ticks[-1] >= 2_500_000 and decimals == 0
    assert len(ticks) <= 7
    assert all(t % 500_000 == 0 for t in ticks)
    ticks, decimals = nice_ticks(-33, 100)
    assert ticks[0] <= -33 and ticks[-1] >= 100 and 0 in ticks
    ticks, decimals = nice_ticks(0, 1.2)
    assert decimals >= 1 and [format_number(t, decimals) for t in ticks][1] in ("0,2", "0,25")


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_every_series_colour_has_3_to_1_contrast_on_white() -> None:
    for colour in charts.COLOURS:
        assert 1.05 / (_luminance(colour) + 0.05) >= 3.0, colour
    # Line series differ by their markers too, not by colour alone.
    assert len(set(charts.MARKERS)) == len(charts.COLOURS)


def test_a_period_without_a_value_breaks_the_line() -> None:
    """A line across a missing period would show a figure the data does not have."""
    image = _image(draw_chart(_progress([10, None, 90]))).convert("RGB")
    series = charts._rgb(charts.COLOURS[0])
    width, height = image.size
    pixels = image.load()
    assert pixels is not None

    def near(x: int, y: int) -> bool:
        colour = pixels[x, y]
        assert isinstance(colour, tuple)
        return all(abs(a - b) < 40 for a, b in zip(colour, series, strict=True))

    # Below the legend (the top fifth): only the markers and the line have the series colour.
    columns = sorted({x for x in range(width) for y in range(height // 5, height) if near(x, y)})
    widest_gap = max(b - a for a, b in pairwise(columns))
    assert widest_gap > width // 4, "the first and last periods are joined across the gap"


@pytest.mark.parametrize(
    "spec",
    [
        _progress([None, None]),  # nothing to draw: axes and the target line only
        _progress([-40.0, 10.0, 130.0]),  # the wrong way, and past the target
        _progress([float(n * 5) for n in range(20)]),  # 20 periods: every other label
        _progress([10.0, 20.0], name="Mittari " + "pitkä nimi " * 20),
        _funding([0.0, 0.0, 0.0]),
        _funding([100.0]),
        ChartSpec(
            style="bars",
            title="Rahoitus " * 30,
            categories=["Sosiaali- ja terveysministeriön " * 4, "B", "C", "D", "E", "F", "G"],
            series=[ChartSeries(name=f"Sarja {n}", values=[1e6] * 7) for n in range(3)],
        ),
    ],
)
def test_unusual_data_still_draws(spec: ChartSpec) -> None:
    image = _image(draw_chart(spec))
    assert image.size == (819, 390)
    darkest, _lightest = image.convert("L").getextrema()
    assert isinstance(darkest, int) and darkest < 80  # there is dark ink: text and axes


def test_the_report_has_both_charts_with_alt_text() -> None:
    data = large_doc(goals=4, indicators=10, periods=4).model_dump(mode="json")
    data["funding"].append(
        {"funder": {"name": "Iso kaupunki"}, "funder_code": "KUNTA", "amount": "150000"}
    )
    doc = ProjectDoc.model_validate(data)
    context = build_context("esr-final", doc, labels(), "fi", TODAY)
    content = render_docx(shipped_template("esr-final", "fi"), context)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        xml = archive.read("word/document.xml").decode()
    assert len(media) == 2
    descriptions = re.findall(r'<wp:docPr descr="([^"]*)"', xml)
    assert len(descriptions) == 2
    assert descriptions[0].startswith("Mittarit: edistyminen lähtötasolta tavoitteeseen")
    assert "1. Mittari 0" in descriptions[0] and "Jakso 4" in descriptions[0]
    assert descriptions[1].startswith("Rahoitus rahoittajittain (€). Myönnetty")
    assert "Iso kaupunki" in descriptions[1]
