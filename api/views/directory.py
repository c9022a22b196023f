"""Departments, enterprises and task forces: read-only, scoped by the selectors."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from api import serializers as s
from api.filters import DepartmentFilter, EnterpriseFilter
from api.views.base import ApiView
from cases.selectors import departments_visible_to, enterprises_visible_to, taskforces_visible_to
from taskforces.models import TaskForceMember


@extend_schema_view(
    list=extend_schema(summary="Departments (every signed-in role may list them)"),
    retrieve=extend_schema(summary="One department"),
)
class DepartmentViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """部门/单位: county departments, townships and parks, utilities, the county office."""

    serializer_class = s.DepartmentSerializer
    filterset_class = DepartmentFilter

    def get_queryset(self):
        return departments_visible_to(self.actor)


@extend_schema_view(
    list=extend_schema(summary="Enterprises the user may see"),
    retrieve=extend_schema(summary="One enterprise"),
)
class EnterpriseViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """企业: the enterprises whose cases (or task forces) the user may see."""

    serializer_class = s.EnterpriseSerializer
    filterset_class = EnterpriseFilter

    def get_queryset(self):
        return enterprises_visible_to(self.actor)


@extend_schema_view(
    list=extend_schema(summary="Task forces the user belongs to (all, for the office)"),
    retrieve=extend_schema(summary="One task force"),
)
class TaskForceViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """专班 of the 1+2+N shape, with their enterprises and members."""

    serializer_class = s.TaskForceSerializer

    def get_queryset(self):
        return taskforces_visible_to(self.actor).prefetch_related(
            "enterprises",
            Prefetch("members", queryset=TaskForceMember.objects.select_related("user")),
        )
