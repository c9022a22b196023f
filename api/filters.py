"""List filters. They narrow a queryset already scoped by a selector, so a filter naming another
enterprise's (or department's) id finds nothing, exactly as an id that does not exist."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from cases.deadlines import overdue_q
from cases.models import Case, Visit
from cases.search import search_cases
from enterprises.models import Department, Enterprise
from web.forms import SearchFilter


class QueryBooleanField(forms.Field):
    """`true` or `false` (what the schema's boolean is in a query string); absent or empty is no
    filter, anything else (`maybe`, `yes`) a 400 naming the parameter, not a filter ignored."""

    default_error_messages = {"invalid": serializers.BooleanField.default_error_messages["invalid"]}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(filters.BooleanFilter):
    field_class = QueryBooleanField


def query_boolean(request, name: str) -> bool | None:
    """One boolean query parameter read as BooleanFilter reads it (for a view without a filter)."""
    try:
        return QueryBooleanField(required=False).clean(request.query_params.get(name))
    except forms.ValidationError as invalid:
        raise exceptions.ValidationError({name: invalid.messages}) from None


ID_MAX = 2**63 - 1  # BIGINT's largest


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class IdFilter(filters.Filter):
    """A whole-number id; it is never looked up on its own, so it tells nothing about other ids."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        # Beyond BIGINT the database itself would fail (a 500); out of range is simply a 400.
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class CaseFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Case.Status.choices)
    category = filters.CharFilter(
        field_name="category__code", max_length=30, help_text="A category code, e.g. `power`."
    )
    lead_department = IdFilter(field_name="lead_department_id")
    enterprise = IdFilter(field_name="enterprise_id")
    batch = filters.CharFilter(max_length=50)
    overdue = BooleanFilter(
        method="filter_overdue", help_text="`true`: only overdue cases; `false`: only the others."
    )
    search = SearchFilter(
        method="filter_search",
        max_length=100,
        help_text="Words in the number, title, description or enterprise name.",
    )

    class Meta:
        model = Case
        fields = ["status", "category", "lead_department", "enterprise", "batch"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = overdue_q(timezone.now())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_search(self, queryset, name, value):
        return search_cases(queryset, value)


class DepartmentFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Department.Kind.choices)

    class Meta:
        model = Department
        fields = ["kind"]


class EnterpriseFilter(filters.FilterSet):
    is_key = BooleanFilter(help_text="`true`: only key enterprises; `false`: only the others.")
    search = SearchFilter(
        method="filter_search", max_length=100, help_text="Words in the name or credit code."
    )

    class Meta:
        model = Enterprise
        fields = ["is_key"]

    def filter_search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(credit_code__icontains=word))
        return queryset


class VisitFilter(filters.FilterSet):
    enterprise = IdFilter(field_name="enterprise_id")
    kind = filters.ChoiceFilter(choices=Visit.Kind.choices)

    class Meta:
        model = Visit
        fields = ["kind"]
