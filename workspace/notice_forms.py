"""书面回复 of a 督办单 (cases.supervision_notices.supervision_notice_answer)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from web.forms import InputRules

ANSWER_MAX_LENGTH = 4000


class NoticeAnswerForm(InputRules, forms.Form):
    # Not required here: an empty answer is refused by the service, in its words.
    answer = forms.CharField(
        label=_("书面回复"),
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        help_text=_("说明督办事项的落实情况：已采取的措施、进展和下一步安排。提交后不能修改。"),
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
    )
