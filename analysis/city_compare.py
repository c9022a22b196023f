"""The city compares its counties (issue 22, 整体优化): a ranking of the counties by their 三率,
and the pain points they share — the same category of problem raised in several counties, what a
county alone is least likely to solve and the city should look at (上报市级, cases.workflow.city).

The figures are the ones the city's landing page shows (analysis.city, each county's own
evaluation); the pain points count the cases the city reads (cases_visible_to) the way the
county's pain-points page counts them (analysis.painpoints: live cases created in the period).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from analysis.city import CountyFigures
from analysis.metrics import in_range, live
from analysis.periods import Period
from cases.roles import Actor
from cases.selectors import cases_visible_to

# A category of problem is shared once this many counties raised it in the period.
SHARED_BY = 2


@dataclass(frozen=True)
class RankedCounty:
    rank: int | None  # None: no rate to rank by yet
    figures: CountyFigures
    score: float | None  # the mean of the three rates the county has


def county_ranking(rows: list[CountyFigures]) -> list[RankedCounty]:
    """The counties by the mean of their 三率 (响应率, 办结率, 满意率; a rate with nothing to count
    yet left out), best first; equal scores share a rank; a county with no rate yet comes last."""
    scored = []
    for row in rows:
        rates = [r for r in row.rates if r is not None]
        scored.append((sum(rates) / len(rates) if rates else None, row))
    scored.sort(key=lambda pair: (pair[0] is None, -(pair[0] or 0), pair[1].county.pk))
    ranked, previous, rank = [], None, 0
    for position, (score, row) in enumerate(scored, start=1):
        if score is None:
            ranked.append(RankedCounty(None, row, None))
            continue
        if score != previous:
            rank, previous = position, score
        ranked.append(RankedCounty(rank, row, score))
    return ranked


@dataclass(frozen=True)
class SharedPainPoint:
    category: str
    counties: list[tuple[str, int]]  # (county, cases), most first

    @property
    def total(self) -> int:
        return sum(n for _name, n in self.counties)


def shared_pain_points(actor: Actor, period: Period) -> list[SharedPainPoint]:
    """The categories of problem raised in SHARED_BY or more of the city's counties in the period,
    the widest spread first; one grouped query."""
    rows = (
        live(cases_visible_to(actor))
        .filter(in_range("created_at", period.date_from, period.date_to))
        .order_by()
        .values_list("category__name", "county__name")
        .annotate(n=Count("pk"))
    )
    by_category: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for category, county, n in rows:
        by_category[category].append((county, n))
    shared = [
        SharedPainPoint(category, sorted(counties, key=lambda c: (-c[1], c[0])))
        for category, counties in by_category.items()
        if len(counties) >= SHARED_BY
    ]
    shared.sort(key=lambda p: (-len(p.counties), -p.total, p.category))
    return shared
