"""The city compares its counties (issue 22, 整体优化): the ranking of the counties is the
营商环境指数's (analysis.business_index); here, the pain points they share — the same category of
problem raised in several counties, what a county alone is least likely to solve and the city
should look at (上报市级, cases.workflow.city).

The pain points count the cases the city reads (cases_visible_to) the way the county's
pain-points page counts them (analysis.painpoints: live cases created in the period).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from analysis.metrics import in_range, live
from analysis.periods import Period
from cases.roles import Actor
from cases.selectors import cases_visible_to

# A category of problem is shared once this many counties raised it in the period.
SHARED_BY = 2


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
