"""The triage inbox's filters (django-filter)."""

from __future__ import annotations

import functools

import django_filters
from django import forms
from django.db import connection
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Category
from cases.search import search_cases
from cases.selectors import in_county
from enterprises.models import Department, Enterprise
from taskforces.models import TaskForce, TaskForceEnterprise
from web.forms import SearchFilter, Select


def _batches(county_id: int | None = None) -> list[tuple[str, str]]:
    """Every batch a case of the county (of every county, for None) was ever given, in order. A
    county has dozens of batches and a million cases: the batch index is walked from one batch to
    the next (one probe each, a "loose index scan") instead of reading every case for DISTINCT."""
    table = connection.ops.quote_name(Case._meta.db_table)
    where, params = ("AND county_id = %s", [county_id] * 2) if county_id is not None else ("", [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE batches(batch) AS (
                SELECT MIN(batch) FROM {table} WHERE batch > '' {where}
                UNION ALL
                SELECT (SELECT MIN(batch) FROM {table} WHERE batch > batches.batch {where})
                FROM batches WHERE batches.batch IS NOT NULL
            )
            SELECT batch FROM batches WHERE batch IS NOT NULL
            """,
            params,
        )
        return [(batch, batch) for (batch,) in cursor.fetchall()]


class TriageFilter(django_filters.FilterSet):
    q = SearchFilter(
        method="search",
        label=_("搜索"),
        widget=forms.TextInput(attrs={"placeholder": _("编号、标题、描述或企业名称")}),
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), label=_("类别"), empty_label=_("全部类别"), widget=Select
    )
    township = django_filters.ModelChoiceFilter(
        field_name="enterprise__township",
        queryset=Department.objects.filter(
            kind__in=[Department.Kind.TOWNSHIP, Department.Kind.PARK]
        ),
        label=_("乡镇/园区"),
        empty_label=_("全部乡镇/园区"),
        widget=Select,
    )
    industry = django_filters.ChoiceFilter(
        field_name="enterprise__industry",
        choices=Enterprise.Industry.choices,
        label=_("行业"),
        empty_label=_("全部行业"),
        widget=Select,
    )
    task_force = django_filters.ModelChoiceFilter(
        method="in_task_force",
        queryset=TaskForce.objects.all(),
        label=_("专班"),
        empty_label=_("全部专班"),
        widget=Select,
    )
    source = django_filters.ChoiceFilter(
        choices=Case.Source.choices, label=_("来源"), empty_label=_("全部来源"), widget=Select
    )
    batch = django_filters.ChoiceFilter(
        choices=_batches, label=_("批次"), empty_label=_("全部批次"), widget=Select
    )

    class Meta:
        model = Case
        fields = ["q", "category", "township", "industry", "task_force", "source", "batch"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actor = getattr(self.request, "actor", None)
        if actor is not None:  # the townships, task forces and batches of the office's county only
            for name in ("township", "task_force"):
                self.filters[name].queryset = in_county(self.filters[name].queryset, actor)
            self.filters["batch"].extra["choices"] = functools.partial(_batches, actor.county_id)
        for field in self.form.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def search(self, queryset, name, value):
        return search_cases(queryset, value)

    def in_task_force(self, queryset, name, value):
        covered = TaskForceEnterprise.objects.filter(task_force=value).values("enterprise_id")
        return queryset.filter(enterprise_id__in=covered)
