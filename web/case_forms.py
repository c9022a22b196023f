"""One small form per workflow action on the case page. Each form's cleaned data are the keyword
arguments of its workflow function (see ACTIONS); the form checks types, the workflow the rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cases import attachments as event_files
from cases import workflow
from cases.models import Case
from cases.suggestions import Suggestion, suggestion_for
from cases.workdays import end_of_day
from cases.workflow.rules import departments_for
from enterprises.models import Department
from taskforces.contacts import NEW as NEW_CONTACT
from taskforces.contacts import phone_book
from web.forms import InputRules, MultipleFileField, MultipleFileInput

TEXTAREA = forms.Textarea(attrs={"rows": 3})
INTERNAL = _("仅办理单位和县委办可见，企业看不到。")
YES_NO = [("1", _("同意")), ("0", _("不同意"))]


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class ActionForm(InputRules, forms.Form):
    def __init__(self, *args, case: Case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.RadioSelect, forms.CheckboxInput)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def workflow_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class AssignForm(ActionForm):
    lead_department = forms.ModelChoiceField(
        label=_("牵头部门"), queryset=Department.objects.none()
    )
    co_departments = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    resolve_due_on = forms.DateField(
        label=_("办结期限"),
        required=False,
        widget=DateInput,
        help_text=_("不填则按问题类别的默认办结时限（工作日）计算。"),
    )
    assigned_at = forms.DateTimeField(
        label=_("交办时间"),
        required=False,
        widget=DateTimeInput,
        help_text=_("补录纸质台账时填写实际交办时间；不填为现在。"),
    )
    batch = forms.CharField(label=_("交办批次"), required=False, max_length=50)
    note = forms.CharField(label=_("交办意见"), required=False, widget=TEXTAREA, help_text=INTERNAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].queryset = departments_for(self.case)
        self.fields["co_departments"].queryset = departments_for(self.case)
        if not self.is_bound and self.suggestion is not None:
            self.initial["lead_department"] = self.suggestion.department_id
        self.initial.setdefault("batch", self.case.batch)

    @cached_property
    def suggestion(self) -> Suggestion | None:
        """The lead the triage page and the office's assign form suggest, with the same reason."""
        return suggestion_for(self.case)

    def workflow_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        due_on = data.pop("resolve_due_on")
        data["resolve_due_at"] = end_of_day(due_on) if due_on else None
        return data


class NoteForm(ActionForm):
    note = forms.CharField(label=_("说明"), required=False, widget=TEXTAREA)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("理由"), widget=TEXTAREA)


class ProposalForm(ActionForm):
    """上报市级: the county office's 政策建议, read by the city (the enterprise reads only that its
    problem went up)."""

    proposal = forms.CharField(
        label=_("政策建议"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("写明县级权限内无法解决的政策障碍和建议市级协调的事项；企业看不到。"),
    )


class UrgeForm(ActionForm):
    note = forms.CharField(
        label=_("催办说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("选填。催办会立即通知牵头部门和县委办；每个工作日可催办一次。"),
    )


class AcceptForm(ActionForm):
    """对接人 is picked from the enterprise's contacts, or typed in as a new one who joins them."""

    contact_method = forms.ChoiceField(
        label=_("对接方式"),
        choices=list(workflow.CONTACT_METHODS.items()),
        widget=forms.RadioSelect,
    )
    contact = forms.ChoiceField(
        label=_("对接人"),
        error_messages={
            "required": _("请选择对接人；不在列表中的，选“新联系人”并填写姓名和手机号码。")
        },
    )
    contact_person = forms.CharField(
        label=_("新联系人姓名"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"data-new-contact": "", "autocomplete": "off"}),
    )
    contact_mobile = forms.CharField(
        label=_("新联系人手机号码"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"data-new-contact": "", "type": "tel", "inputmode": "tel", "autocomplete": "off"}
        ),
        help_text=_("新联系人将加入企业联系人。"),
    )
    contact_note = forms.CharField(label=_("对接情况及约定事项"), widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.book = {c.key: c for c in phone_book(self.case.enterprise)}
        self.fields["contact"].choices = [
            ("", _("请选择")),
            *((key, c.label) for key, c in self.book.items()),
            (NEW_CONTACT, _("新联系人（填写姓名和手机号码）")),
        ]
        if not self.book:
            self.initial.setdefault("contact", NEW_CONTACT)

    def workflow_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        key = data.pop("contact")
        if key == NEW_CONTACT:
            data["new_contact"] = True
        else:
            contact = self.book[key]
            data["contact_person"], data["contact_mobile"] = contact.name, contact.phone
        return data


def _files_field() -> MultipleFileField:
    """Photos, PDFs and Office documents, checked by content in the workflow (cases.attachments)."""
    return MultipleFileField(
        label=_("附件"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": event_files.ACCEPT}),
    )


class ProgressForm(ActionForm):
    note = forms.CharField(label=_("进展情况"), widget=TEXTAREA)
    public = forms.BooleanField(label=_("企业可见"), required=False, initial=True)
    attachments = _files_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        who = _("不勾选“企业可见”时，附件也只有办理单位和县委办能看到。")
        self.fields["attachments"].help_text = f"{event_files.help_text()} {who}"


class BreakdownForm(ActionForm):
    department = forms.ModelChoiceField(label=_("责任单位"), queryset=Department.objects.none())
    measure = forms.CharField(label=_("措施"), widget=TEXTAREA)
    due_on = forms.DateField(label=_("完成时限"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_for(self.case)
        self.initial.setdefault("department", self.case.lead_department_id)


class CommitForm(ActionForm):
    text = forms.CharField(label=_("承诺内容"), widget=TEXTAREA)
    due_on = forms.DateField(label=_("承诺期限"), widget=DateInput)


class ExtensionForm(ActionForm):
    resolve_due_on = forms.DateField(label=_("申请的办结期限"), widget=DateInput)
    reason = forms.CharField(label=_("延期理由"), widget=TEXTAREA)

    def workflow_kwargs(self) -> dict:
        return {
            "resolve_due_at": end_of_day(self.cleaned_data["resolve_due_on"]),
            "reason": self.cleaned_data["reason"],
        }


class DecideForm(ActionForm):
    approve = forms.TypedChoiceField(
        label=_("审核意见"), choices=YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("说明"), required=False, widget=TEXTAREA, help_text=INTERNAL)


class AppealDecisionForm(ActionForm):
    uphold = forms.TypedChoiceField(
        label=_("裁定"),
        choices=[("1", _("申诉成立，该评价不计入统计")), ("0", _("申诉不成立"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("裁定意见"), required=False, widget=TEXTAREA)


class ReplyForm(ActionForm):
    outcome = forms.ChoiceField(
        label=_("办理结果"), choices=Case.Outcome.choices, widget=forms.RadioSelect
    )
    reply = forms.CharField(
        label=_("反馈内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("企业将看到这段文字；政策障碍请写明解释。"),
    )
    attachments = _files_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        who = _("企业可以查看和下载这些附件（如答复函）。")
        self.fields["attachments"].help_text = f"{event_files.help_text()} {who}"


class RateForm(ActionForm):
    rating = forms.ChoiceField(
        label=_("评价"), choices=Case.Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("评价意见"), required=False, widget=TEXTAREA)


class InstructForm(ActionForm):
    text = forms.CharField(label=_("批示内容"), widget=TEXTAREA)
    public = forms.BooleanField(label=_("企业可见"), required=False, initial=False)


class MergeForm(ActionForm):
    into = forms.CharField(
        label=_("合并到问题编号"),
        max_length=20,
        help_text=_("只用于同一企业的重复问题；不同企业的同类问题请“并案办理”。"),
    )

    def clean_into(self):
        number = self.cleaned_data["into"].strip()
        target = Case.objects.filter(number=number).values_list("pk", flat=True).first()
        if target is None:
            raise forms.ValidationError(_("没有编号为 %(number)s 的问题。") % {"number": number})
        return target


class JoinForm(MergeForm):
    """并案办理: the number of the same problem raised by another enterprise (or of any case of its
    group)."""

    into = forms.CharField(
        label=_("与问题编号并案"),
        max_length=20,
        help_text=_("另一家企业反映的同类问题；牵头部门签收之前可以并案。"),
    )


@dataclass(frozen=True)
class Action:
    form: type[ActionForm]
    run: Callable
    style: str = "primary"


ACTIONS: dict[str, Action] = {
    "assign": Action(AssignForm, workflow.case_assign),
    "refuse_return": Action(NoteForm, workflow.case_refuse_return, "warning"),
    "return": Action(ReasonForm, workflow.case_return, "outline-danger"),
    "accept": Action(AcceptForm, workflow.case_accept),
    "progress": Action(ProgressForm, workflow.case_add_progress, "outline-primary"),
    "breakdown": Action(BreakdownForm, workflow.case_add_breakdown_item, "outline-primary"),
    "commit": Action(CommitForm, workflow.case_add_commitment, "outline-primary"),
    "request_extension": Action(
        ExtensionForm, workflow.case_request_extension, "outline-secondary"
    ),
    "decide_extension": Action(DecideForm, workflow.case_decide_extension),
    "request_suspension": Action(ReasonForm, workflow.case_request_suspension, "outline-secondary"),
    "decide_suspension": Action(DecideForm, workflow.case_decide_suspension),
    "resume": Action(NoteForm, workflow.case_resume),
    "reply": Action(ReplyForm, workflow.case_reply, "success"),
    "rate": Action(RateForm, workflow.case_rate, "success"),
    "appeal": Action(ReasonForm, workflow.case_appeal_rating, "outline-secondary"),
    "decide_appeal": Action(AppealDecisionForm, workflow.case_decide_appeal),
    "instruct": Action(InstructForm, workflow.case_instruct, "danger"),
    "urge": Action(UrgeForm, workflow.case_urge, "outline-danger"),
    "list": Action(ReasonForm, workflow.case_list, "dark"),
    "delist": Action(ReasonForm, workflow.case_delist, "outline-secondary"),
    "close": Action(NoteForm, workflow.case_close, "success"),
    "reopen": Action(ReasonForm, workflow.case_reopen, "warning"),
    "escalate_to_city": Action(ProposalForm, workflow.case_escalate_to_city, "outline-dark"),
    "merge": Action(MergeForm, workflow.case_merge, "outline-secondary"),
    "join": Action(JoinForm, workflow.case_join, "outline-primary"),
    "leave_joint": Action(NoteForm, workflow.case_leave_joint, "outline-secondary"),
}

# The actions a role does most: shown open on the page; the rest fold away.
PRIMARY = {
    "instruct",
    "assign",
    "accept",
    "reply",
    "rate",
    "close",
    "decide_extension",
    "decide_suspension",
    "decide_appeal",
    "resume",
}
