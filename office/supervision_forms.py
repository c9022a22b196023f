"""开具督办单: the form parses the cases picked, the 督办事项 and the reply time; the domain
(cases.supervision_notices) decides whether the notice may be issued."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.supervision_notices import REPLY_DAYS_MAX, REPLY_DAYS_MIN, reply_working_days_default
from office.forms import StyledForm

TEXT_MAX_LENGTH = 2000


class SupervisionNoticeForm(StyledForm, forms.Form):
    cases = forms.ModelMultipleChoiceField(
        label=_("督办的问题"),
        queryset=Case.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一件问题。")},
    )
    text = forms.CharField(
        label=_("督办事项"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("写明要求责任单位落实的事项，如：限期与企业对接、报送整改方案。"),
    )
    reply_working_days = forms.IntegerField(
        label=_("回复期限（工作日）"),
        min_value=REPLY_DAYS_MIN,
        max_value=REPLY_DAYS_MAX,
        help_text=_("自开具之日起计算，期限开始之日不计算在内，遇节假日顺延。"),
    )

    def __init__(self, *args, cases: QuerySet[Case], **kwargs):
        kwargs.setdefault("initial", {}).setdefault(
            "reply_working_days", reply_working_days_default()
        )
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["cases"].widget.attrs["class"] = "form-check-input"
