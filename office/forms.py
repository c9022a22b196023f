"""The office console's forms: they parse input; the workflow and office services decide."""

from __future__ import annotations

import re

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Bulletin, Case, Meeting
from cases.search import search_cases
from cases.selectors import in_county
from enterprises.models import Department
from web.forms import InputRules, SearchField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StyledForm(InputRules):
    """The domain's input rules and Bootstrap classes on every widget, and is-invalid on the
    fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            select = isinstance(widget, forms.Select)
            widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def assignable_departments(actor) -> list[Department]:
    """The departments of the office's county a case can go to (one query; the rows of a batch
    share the list)."""
    return list(
        in_county(Department.objects.filter(active=True), actor).exclude(
            kind=Department.Kind.OFFICE
        )
    )


class AssignCommonForm(StyledForm, forms.Form):
    """What the whole batch shares."""

    batch = forms.CharField(
        label=_("交办批次"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：第一批")}),
    )
    resolve_due_on = forms.DateField(
        label=_("办结期限"),
        required=False,
        widget=DateInput(),
        help_text=_("留空则按各问题类别的默认办结时限（工作日）计算。"),
    )
    assigned_on = forms.DateField(
        label=_("交办日期"),
        required=False,
        widget=DateInput(),
        help_text=_("补录纸质台账中的历史交办时填写；留空即为现在。"),
    )
    note = forms.CharField(
        label=_("交办意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A live hint of the contact deadline the chosen day gives (htmx; the preview shows it too).
        self.fields["assigned_on"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("office:contact_deadline"),
                "hx-trigger": "change",
                "hx-target": "#contact-deadline",
                "hx-swap": "outerHTML",
            }
        )

    def clean_assigned_on(self):
        day = self.cleaned_data["assigned_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("交办日期不能晚于今天。"))
        return day

    def clean_batch(self):
        return self.cleaned_data["batch"].strip()


class AssignRowForm(StyledForm, forms.Form):
    """One case of the batch: its lead department and co-departments."""

    lead_department = forms.TypedChoiceField(
        label=_("牵头部门"),
        coerce=int,
        error_messages={"required": _("请选择牵头部门。")},
    )
    co_departments = forms.TypedMultipleChoiceField(
        label=_("协办单位"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )

    def __init__(self, *args, case: Case, departments: list[Department], **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.departments = {d.pk: d for d in departments}
        choices = [(d.pk, d.name) for d in departments]
        self.fields["lead_department"].choices = [("", _("请选择"))] + choices
        self.fields["co_departments"].choices = choices

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("lead_department")
        if lead is not None and lead in (cleaned.get("co_departments") or []):
            self.add_error("co_departments", _("牵头部门不能同时是协办单位。"))
        return cleaned

    @property
    def lead(self) -> Department:
        return self.departments[self.cleaned_data["lead_department"]]

    @property
    def co(self) -> list[Department]:
        return [self.departments[pk] for pk in self.cleaned_data["co_departments"]]


class MeetingForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "title", "held_on", "attendees", "minutes", "decisions"]
        widgets = {
            "held_on": DateInput(),
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The office holds assignment and dispatch meetings; task forces record their own reviews.
        self.fields["kind"].choices = [
            (Meeting.Kind.ASSIGNMENT, Meeting.Kind.ASSIGNMENT.label),
            (Meeting.Kind.DISPATCH, Meeting.Kind.DISPATCH.label),
        ]


_NUMBER_SEPARATORS = re.compile(r"[\s,，、;；]+")


class MeetingCasesForm(StyledForm, forms.Form):
    """Cases to put on a meeting's agenda, by number (as written on the paper ledger)."""

    numbers = forms.CharField(
        label=_("问题编号"),
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("多个编号用空格、逗号或顿号分开")}
        ),
        error_messages={"required": _("请填写要加入会议的问题编号。")},
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = cases  # the queryset numbers are looked up in (the user's scope)

    def clean_numbers(self):
        numbers = [n for n in _NUMBER_SEPARATORS.split(self.cleaned_data["numbers"]) if n]
        found = {
            c.number: c
            for c in self.cases.filter(number__in=numbers).exclude(status=Case.Status.MERGED)
        }
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(
                _("找不到这些问题编号（或问题已合并）：%(numbers)s")
                % {"numbers": "、".join(missing)}
            )
        return list(found.values())


class LetterIssueForm(StyledForm, forms.Form):
    """出具交办函: whom the department calls at the office (cases.letters.letter_issue)."""

    contact_name = forms.CharField(
        label=_("县委办联系人"),
        max_length=50,
        error_messages={"required": _("请填写县委办联系人。")},
    )
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)


class NoteForm(StyledForm, forms.Form):
    note = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(StyledForm, forms.Form):
    reason = forms.CharField(
        label=_("重新办理的理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写重新办理的理由。")},
    )


class CloseoutFilterForm(StyledForm, forms.Form):
    """销号 queue's search and filters (GET): words in the number, title, description or
    enterprise name (cases.search), lead department and the enterprise's rating of the current
    reply (or none yet)."""

    UNRATED = "unrated"

    q = SearchField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("编号、标题、描述或企业名称"), "type": "search"}
        ),
    )
    department = forms.ModelChoiceField(
        label=_("牵头部门"),
        required=False,
        queryset=Department.objects.none(),  # the office's county's (__init__)
        empty_label=_("全部部门"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = in_county(Department.objects.all(), actor).exclude(
            kind=Department.Kind.OFFICE
        )

    rating = forms.ChoiceField(
        label=_("评价"),
        required=False,
        choices=[("", _("全部评价")), (UNRATED, _("未评价")), *Case.Rating.choices],
    )

    def apply(self, cases):
        """The cases matching the filters; none while a filter cannot be read (the form says why)."""
        if not self.is_valid():
            return cases.none()
        data = self.cleaned_data
        cases = search_cases(cases, data["q"])
        if data["department"]:
            cases = cases.filter(lead_department=data["department"])
        if data["rating"] == self.UNRATED:
            cases = cases.filter(rating="")
        elif data["rating"]:
            cases = cases.filter(rating=data["rating"])
        return cases


class BulletinForm(StyledForm, forms.Form):
    """奖惩通报: its kind, the department, its text, and the cases it concerns by number
    (cases.bulletins.bulletin_issue numbers it and checks the rest)."""

    kind = forms.ChoiceField(
        label=_("奖惩类别"),
        choices=[("", "—")] + list(Bulletin.Kind.choices),
        error_messages={"required": _("请选择奖惩类别。")},
    )
    department = forms.ModelChoiceField(
        label=_("被通报单位"),
        queryset=Department.objects.none(),
        empty_label="—",
        error_messages={"required": _("请选择被通报的部门/单位。")},
    )
    title = forms.CharField(
        label=_("标题"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": _("如：关于表扬县工信局高效解决企业用电问题的通报")}
        ),
        error_messages={"required": _("请填写标题。")},
    )
    text = forms.CharField(
        label=_("通报内容"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写通报内容。")},
    )
    numbers = forms.CharField(
        label=_("涉及问题编号（可不填）"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("多个编号用空格、逗号或顿号分开")}),
    )

    def __init__(self, *args, cases, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = cases  # the queryset numbers are looked up in (the user's scope)
        self.fields["department"].queryset = (
            in_county(Department.objects.all(), actor)
            .exclude(kind=Department.Kind.OFFICE)
            .order_by("kind", "name")
        )

    def clean_numbers(self) -> list[Case]:
        numbers = [n for n in _NUMBER_SEPARATORS.split(self.cleaned_data["numbers"]) if n]
        found = {c.number: c for c in self.cases.filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(
                _("找不到这些问题编号：%(numbers)s") % {"numbers": "、".join(missing)}
            )
        return list(found.values())
