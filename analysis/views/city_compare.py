"""各县对比: the city's ranking of its counties by the 营商环境指数 (analysis.business_index) and the
pain points they share (analysis.city_compare)."""

from __future__ import annotations

from django.shortcuts import render

from analysis import business_index, city, snapshots
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
            "ranking": business_index.ranking(city.county_figures(actor)),
            "labels": business_index.component_labels(),
            "formula": business_index.formula(),
            "definitions": business_index.definitions(),
            "shared": snapshots.shared_pain_points_snapshot(actor, period).figures,
            "period": period,
        },
    )
