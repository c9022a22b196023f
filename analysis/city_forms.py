"""The city's forms for 上报市级 (cases.workflow.city): the city office's assignment to a city
department, the department's 签收 and answer. The workflow checks the rules; these the types."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.workflow.city import ANSWER_WORKING_DAYS
from counties.models import CityDepartment
from web.forms import InputRules


class _CityForm(InputRules, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-{css.split('-')[1]}-sm")


def city_department_choices(city_id: int) -> list[tuple[int, str]]:
    """The city's active departments, read once for every assignment form of a page."""
    return list(
        CityDepartment.objects.filter(city_id=city_id, active=True).values_list("pk", "name")
    )


class CityAssignForm(_CityForm):
    # The department's id (the workflow checks it is one of the escalation's city's).
    city_department = forms.TypedChoiceField(label=_("承办市直部门"), coerce=int)
    answer_working_days = forms.IntegerField(
        label=_("答复时限（工作日）"), initial=ANSWER_WORKING_DAYS, min_value=1, max_value=60
    )
    note = forms.CharField(
        label=_("交办意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city_department"].choices = [("", "---------"), *choices]


class CityContactForm(_CityForm):
    note = forms.CharField(label=_("签收说明"), widget=forms.Textarea(attrs={"rows": 2}))


class CityAnswerForm(_CityForm):
    answer = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 4}))
