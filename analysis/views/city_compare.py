"""各县对比: the city's ranking of its counties and the pain points they share (analysis.city_compare)."""

from __future__ import annotations

from django.shortcuts import render

from analysis import city, city_compare, snapshots
from analysis.access import city_required
from web.middleware import request_actor


@city_required
def city_compare_page(request):
    actor = request_actor(request)
    period = snapshots.default_period()
    return render(
        request,
        "analysis/city_compare.html",
        {
            "ranking": city_compare.county_ranking(city.county_figures(actor)),
            "labels": city.rate_labels(),
            "shared": city_compare.shared_pain_points(actor, period),
            "period": period,
        },
    )
