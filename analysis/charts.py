"""Chart specifications: what static/analysis/charts.js draws with ECharts, and — from the very
same numbers — the table shown beside each chart (for screen readers, printing and checking).

A series of cases in one state (closed, overdue, new) names it ("state"): charts.js colours it
with that state's colour from static/site/site.css, the colour of its badges everywhere."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from analysis.metrics import GroupRow, Timing, WeekRow
from analysis.painpoints import Matrix
from web.dates import short_date

CHART_ROWS = 15  # a bar chart shows the largest groups; its table shows them all


@dataclass
class Chart:
    id: str
    title: str
    kind: str  # bar, hbar, line, heatmap
    categories: list = field(default_factory=list)
    series: list[dict] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def spec_id(self) -> str:
        return f"spec-{self.id}"

    @property
    def height(self) -> int:
        """Pixels: a horizontal bar chart grows with its bars, so the labels stay readable."""
        if self.kind == "hbar":
            return max(200, 30 * len(self.categories) + 70)
        if self.kind == "heatmap":
            return max(240, 34 * len(self.extra.get("yCategories", [])) + 120)
        return 280

    @property
    def spec(self) -> dict:
        return {
            "kind": self.kind,
            "categories": self.categories,
            "series": self.series,
            **self.extra,
        }


def groups(chart_id: str, title: str, label: str, rows: list[GroupRow]) -> Chart:
    shown = rows[:CHART_ROWS]
    return Chart(
        id=chart_id,
        title=title,
        kind="hbar",
        categories=[r.label for r in shown],
        series=[
            {"name": _("未办结"), "data": [r.open for r in shown], "stack": "all"},
            {
                "name": _("已销号"),
                "data": [r.closed for r in shown],
                "stack": "all",
                "state": "closed",
            },
            {"name": _("逾期"), "data": [r.overdue for r in shown], "state": "overdue"},
        ],
        headers=[label, _("问题数"), _("未办结"), _("逾期"), _("已销号")],
        rows=[[r.label, r.total, r.open, r.overdue, r.closed] for r in rows],
    )


def trend(rows: list[WeekRow]) -> Chart:
    return Chart(
        id="trend",
        title=_("每周新增与销号"),
        kind="line",
        categories=[short_date(r.week) for r in rows],
        series=[
            {"name": _("新增"), "data": [r.new for r in rows], "state": "submitted"},
            {"name": _("销号"), "data": [r.closed for r in rows], "state": "closed"},
        ],
        headers=[_("周（周一）"), _("新增"), _("销号")],
        rows=[[r.week.isoformat(), r.new, r.closed] for r in rows],
    )


TIMING_DAYS_DRAWN = 40  # longer times share the last bar ("40+")


def timing(chart_id: str, title: str, t: Timing) -> Chart:
    """A bar per working day from 0, with no gaps, so the bars' spacing shows the time; the table
    lists every number of days exactly."""
    days = sorted(t.histogram)
    last = min(max(days, default=0), TIMING_DAYS_DRAWN)
    bars = [t.histogram.get(d, 0) for d in range(last)]
    bars.append(sum(n for d, n in t.histogram.items() if d >= last))
    labels = [str(d) for d in range(last)]
    labels.append(f"{last}+" if max(days, default=0) > last else str(last))
    return Chart(
        id=chart_id,
        title=title,
        kind="bar",
        categories=labels,
        series=[{"name": _("问题数"), "data": bars}],
        headers=[_("用时（工作日）"), _("问题数")],
        rows=[[d, t.histogram[d]] for d in days],
        extra={"xName": _("工作日")},
    )


def heatmap(grid: Matrix) -> Chart:
    data = [
        [x, y, grid.cells.get((category, industry), 0)]
        for y, category in enumerate(grid.categories)
        for x, industry in enumerate(grid.industries)
    ]
    return Chart(
        id="matrix",
        title=_("类别 × 行业"),
        kind="heatmap",
        categories=grid.industries,
        series=[{"name": _("问题数"), "data": data}],
        headers=[_("类别"), *grid.industries, _("合计")],
        rows=[[category, *cells, total] for category, cells, total in grid.rows],
        extra={"yCategories": grid.categories, "max": max((d[2] for d in data), default=0)},
    )
