"""The city's view of its counties (issue 22): each county's 三率 — 响应率, 办结率, 满意率 — side
by side, as each county's own evaluation counts them (analysis.evaluation over its snapshot), so a
county reads the same figure on its page as the city reads of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from analysis import evaluation, snapshots
from cases.roles import Actor
from counties.models import County

# The three rates the city compares, by the evaluation's name of each.
THREE_RATES = ("contact", "reply", "satisfaction")


@dataclass(frozen=True)
class CountyFigures:
    county: County
    totals: evaluation.Totals
    computed_at: dt.datetime

    @property
    def rates(self) -> list[float | None]:
        return [getattr(self.totals, f"{rate}_rate") for rate in THREE_RATES]


def counties_of(actor: Actor) -> list[County]:
    """The counties the city's office reads; none for anyone else."""
    if not actor.reads_city:
        return []
    return list(County.objects.filter(city_id=actor.city_id).order_by("pk"))


def county_figures(actor: Actor, now: dt.datetime | None = None) -> list[CountyFigures]:
    """This year's figures of each county of the actor's city, from each county's snapshot."""
    period = snapshots.default_period(now)
    counties = counties_of(actor)
    held = snapshots.evaluation_snapshots([snapshots.county(c.pk) for c in counties], period)
    return [
        CountyFigures(county, evaluation.totals(snapshot.figures), snapshot.computed_at)
        for county, snapshot in zip(counties, held, strict=True)
    ]


def rate_labels() -> list[str]:
    labels = evaluation.rate_labels()
    return [labels[rate] for rate in THREE_RATES]
