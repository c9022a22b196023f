"""The JSON API (DESIGN §9) under /api/: version 1, its OpenAPI schema and browsable docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api.schema import ContractView
from api.views.account import MeView, TokenView
from api.views.calendar import CalendarDueView, CalendarYearView
from api.views.cases import CaseViewSet
from api.views.directory import DepartmentViewSet, EnterpriseViewSet, TaskForceViewSet
from api.views.notifications import NotificationViewSet
from api.views.stats import DepartmentStatsView
from api.views.visits import VisitViewSet

app_name = "api"

router = SimpleRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("taskforces", TaskForceViewSet, basename="taskforce")
router.register("visits", VisitViewSet, basename="visit")
router.register("cases", CaseViewSet, basename="case")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("v1/auth/token/", TokenView.as_view(), name="token"),
    path("v1/me/", MeView.as_view(), name="me"),
    path("v1/stats/departments/", DepartmentStatsView.as_view(), name="stats-departments"),
    path("v1/calendar/", CalendarYearView.as_view(), name="calendar-year"),
    path("v1/calendar/due/", CalendarDueView.as_view(), name="calendar-due"),
    path("v1/", include(router.urls)),
    path("schema/", ContractView.as_view(), name="schema"),  # the contract: docs/openapi.yaml
    # The split view serves Swagger UI's start-up script as a file (?script), not inline: the pages'
    # Content-Security-Policy allows scripts from our own URLs only.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
