"""The triage inbox's filters (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Category
from enterprises.models import Department, Enterprise
from taskforces.models import TaskForce, TaskForceEnterprise


def _batches():
    batches = (
        Case.objects.exclude(batch="").order_by("batch").values_list("batch", flat=True).distinct()
    )
    return [(b, b) for b in batches]


class TriageFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("搜索"),
        widget=forms.TextInput(attrs={"placeholder": _("编号、标题、描述或企业名称")}),
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), label=_("类别"), empty_label=_("全部类别")
    )
    township = django_filters.ModelChoiceFilter(
        field_name="enterprise__township",
        queryset=Department.objects.filter(
            kind__in=[Department.Kind.TOWNSHIP, Department.Kind.PARK]
        ),
        label=_("乡镇/园区"),
        empty_label=_("全部乡镇/园区"),
    )
    industry = django_filters.ChoiceFilter(
        field_name="enterprise__industry",
        choices=Enterprise.Industry.choices,
        label=_("行业"),
        empty_label=_("全部行业"),
    )
    task_force = django_filters.ModelChoiceFilter(
        method="in_task_force",
        queryset=TaskForce.objects.all(),
        label=_("专班"),
        empty_label=_("全部专班"),
    )
    source = django_filters.ChoiceFilter(
        choices=Case.Source.choices, label=_("来源"), empty_label=_("全部来源")
    )
    batch = django_filters.ChoiceFilter(
        choices=_batches, label=_("批次"), empty_label=_("全部批次")
    )

    class Meta:
        model = Case
        fields = ["q", "category", "township", "industry", "task_force", "source", "batch"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(enterprise__name__icontains=value)
        )

    def in_task_force(self, queryset, name, value):
        covered = TaskForceEnterprise.objects.filter(task_force=value).values("enterprise_id")
        return queryset.filter(enterprise_id__in=covered)
