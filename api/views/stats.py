"""Department statistics over the cases the user may see (cases.stats computes them)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.schema import errors
from api.views.base import ApiView
from cases.selectors import cases_visible_to, county_scope
from cases.stats import department_stats
from enterprises.models import Department


class DepartmentStatsView(ApiView, APIView):
    """Counted over the cases the user may see, for an optional range of dates (both included)."""

    @extend_schema(
        summary="Per department: assigned, on time, overdue, returns, ratings, satisfaction",
        parameters=[s.StatsRangeSerializer],
        responses={200: s.DepartmentStatsReportSerializer, **errors(400)},
    )
    def get(self, request):
        period = s.StatsRangeSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        dates = {key: period.validated_data.get(key) for key in ("date_from", "date_to")}
        rows = department_stats(
            cases=cases_visible_to(self.actor),
            departments=Department.objects.filter(county_scope(self.actor)),
            **dates,
        )
        return Response(s.DepartmentStatsReportSerializer({**dates, "results": rows}).data)
