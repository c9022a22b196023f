"""Charts drawn on the server, as PNG pictures for the Word documents (analysis.word_reports).

The pages draw their charts in the browser (static/analysis/charts.js); a Word file needs them as
pictures. matplotlib draws the same analysis.charts.Chart specifications — the same categories,
series and state colours — with each bar's number written at its end, so a printed chart reads
without a legend lookup.

Chinese labels need a font with Chinese glyphs. The first one found on the machine is used
(WenQuanYi Micro Hei of Debian's fonts-wqy-microhei, Noto Sans CJK, Source Han Sans, …, or any
other installed font that has the glyphs). When there is none, `cjk_font()` answers None and
the documents print each chart's numbers as a table instead, with a note saying why: a chart
with empty boxes for labels would say nothing.
"""

from __future__ import annotations

import functools
import io
import logging

from analysis.charts import Chart

log = logging.getLogger(__name__)

# Tried first, in this order; then any other installed font that has the glyphs below.
PREFERRED_FONTS = (
    "wqy-microhei",
    "wqy-zenhei",
    "notosanscjk",
    "notoserifcjk",
    "sourcehansans",
    "droidsansfallback",
    "msyh",
    "simhei",
    "simsun",
)
SAMPLE = "问题办结部门乡镇"  # what a font must be able to draw to label these charts

# The state colours of static/site/site.css (--state-*), as on the pages' charts and badges.
STATE_COLOURS = {
    "submitted": "#b45309",
    "assigned": "#1d4ed8",
    "in_progress": "#0f766e",
    "replied": "#7c3aed",
    "closed": "#15803d",
    "merged": "#6b7280",
    "overdue": "#b91c1c",
}
COLOURS = ["#1e5a9e", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#6c757d"]

WIDTH_INCHES = 6.3  # the text width of an A4 page with the 公文 margins (156 mm)
DPI = 150


def _covers(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(ch)) for ch in SAMPLE)


def _rank(path: str) -> int:
    name = path.lower().replace("-", "").replace("_", "")
    for position, hint in enumerate(PREFERRED_FONTS):
        if hint.replace("-", "") in name:
            return position
    return len(PREFERRED_FONTS)


@functools.cache
def cjk_font() -> str | None:
    """The file of a font able to draw Chinese, or None; looked for once per process."""
    from matplotlib import font_manager

    for path in sorted(font_manager.findSystemFonts(), key=lambda p: (_rank(p), p)):
        if _covers(path):
            return path
    log.warning("No font with Chinese glyphs is installed: charts are printed as tables.")
    return None


def can_draw() -> bool:
    return cjk_font() is not None


@functools.cache
def _family(path: str) -> str:
    """The font's family name, the font registered with matplotlib (once per process)."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def png(chart: Chart) -> bytes:
    """The chart as a PNG picture (a horizontal bar chart: the only kind the documents draw).
    Its title is left to the document's caption. The Chinese font is given to the texts that
    need it, not set in matplotlib's global settings, so two requests drawing at once in one
    process cannot disturb each other.

    Raises LookupError when no font can draw its Chinese labels (see cjk_font)."""
    path = cjk_font()
    if path is None:
        raise LookupError("no CJK font")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = _hbar(chart, [_family(path), "DejaVu Sans"])
    FigureCanvasAgg(figure)  # draw with Agg whatever backend matplotlib was set to
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _hbar(chart: Chart, family: list[str]):
    """Grouped horizontal bars, the first category at the top, each bar labelled with its number,
    the legend in a row above."""
    from matplotlib.figure import Figure

    n_categories, n_series = len(chart.categories), max(1, len(chart.series))
    height = 0.75 + n_categories * (0.14 + 0.1 * n_series)
    figure = Figure(figsize=(WIDTH_INCHES, height), layout="constrained")
    axes = figure.subplots()
    bar = 0.8 / n_series
    positions = range(n_categories)
    for i, series in enumerate(chart.series):
        colour = STATE_COLOURS.get(series.get("state"), COLOURS[i % len(COLOURS)])
        offsets = [p - 0.4 + bar * (i + 0.5) for p in positions]
        bars = axes.barh(offsets, series["data"], height=bar, color=colour, label=series["name"])
        axes.bar_label(bars, padding=2, fontsize=7)
    axes.set_yticks(
        list(positions), [str(c) for c in chart.categories], fontfamily=family, fontsize=9
    )
    axes.tick_params(axis="x", labelsize=8)
    axes.set_ylim(n_categories - 0.5, -0.5)  # the first (largest) at the top
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.margins(x=0.08)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=n_series,
        prop={"family": family, "size": 8},
        frameon=False,
    )
    return figure
