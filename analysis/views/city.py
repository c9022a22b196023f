"""The city office's landing page: its counties side by side (analysis.city)."""

from __future__ import annotations

from django.shortcuts import render

from analysis import business_index, city, snapshots
from analysis.access import city_required
from web.middleware import request_actor


@city_required
def city_page(request):
    actor = request_actor(request)
    rows = city.county_figures(actor)
    indexes = {i.figures.county.pk: i for i in business_index.ranking(rows)}
    return render(
        request,
        "analysis/city.html",
        {
            "rows": rows,
            "indexed": [(row, indexes[row.county.pk]) for row in rows],
            "labels": city.rate_labels(),
            "period": snapshots.default_period(),
            "computed_at": min((r.computed_at for r in rows), default=None),
            "min_assigned": business_index.MIN_ASSIGNED,
        },
    )
