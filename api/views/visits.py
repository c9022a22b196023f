"""Visits (走访): a cadre logs a visit and the problems found; each problem becomes a case."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from api import serializers as s
from api.filters import VisitFilter
from api.schema import CLIENT_ID_TAKEN, errors
from api.views.base import ApiView
from cases import intake
from cases.models import Case, Visit
from cases.selectors import visits_visible_to


@extend_schema_view(
    list=extend_schema(summary="Visits the user may see"),
    retrieve=extend_schema(summary="One visit"),
)
class VisitViewSet(
    ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """走访: a visit of one of the four kinds, and the cases its problems became."""

    serializer_class = s.VisitSerializer
    filterset_class = VisitFilter

    def get_queryset(self):
        return _with_case_ids(visits_visible_to(self.actor))

    @extend_schema(
        summary="Log a visit and its problems (a cadre of the enterprise's task force, or the office)",
        request=s.VisitCreateSerializer,
        responses={
            201: s.VisitSerializer,
            200: OpenApiResponse(
                s.VisitSerializer,
                description="Sent before with the same client_id by this user: the first visit "
                "and its cases; nothing was created",
            ),
            409: CLIENT_ID_TAKEN,
            **errors(400, 403),
        },
    )
    def create(self, request, *args, **kwargs):
        serializer = s.VisitCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        problems = [intake.Problem(**problem) for problem in data.pop("problems")]
        logged = intake.visit_create(actor=self.actor, problems=problems, **data)
        fresh = _with_case_ids(Visit.objects.filter(pk=logged.visit.pk)).get()
        return Response(
            s.VisitSerializer(fresh).data,
            status=status.HTTP_201_CREATED if logged.created else status.HTTP_200_OK,
        )


def _with_case_ids(visits):
    return visits.prefetch_related(
        Prefetch("cases", queryset=Case.objects.only("pk", "visit_id").order_by("pk"))
    )
