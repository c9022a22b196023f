from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from cases.models import Meeting
from cases.people import accounts_visible_to
from cases.selectors import in_county
from enterprises.models import Department, Enterprise
from taskforces.models import TaskForce, TaskForceMember
from web.forms import InputRules


class BootstrapMixin(InputRules):
    """The domain's input rules and Bootstrap's classes on every widget."""

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"


class TaskForceForm(BootstrapMixin, forms.ModelForm):
    enterprise_list = forms.ModelMultipleChoiceField(
        label=_("包干企业"),
        queryset=Enterprise.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    class Meta:
        model = TaskForce
        fields = ["name", "kind", "active"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise_list"].queryset = in_county(
            Enterprise.objects.all(), actor
        ).order_by("name")
        if self.instance.pk:
            self.initial["enterprise_list"] = list(
                self.instance.enterprises.values_list("pk", flat=True)
            )
        self._style()


class MemberForm(BootstrapMixin, forms.Form):
    user = forms.ModelChoiceField(
        label=_("成员"), queryset=User.objects.filter(is_active=True).order_by("username")
    )
    role = forms.ChoiceField(label=_("角色"), choices=TaskForceMember.Role.choices)
    department = forms.ModelChoiceField(
        label=_("所在单位"), queryset=Department.objects.all(), required=False
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # The county's people and units only (cases.people.accounts_visible_to).
        self.fields["user"].queryset = (
            accounts_visible_to(actor).filter(is_active=True).order_by("username")
        )
        self.fields["department"].queryset = in_county(Department.objects.all(), actor)
        self._style()


# 1+2+N: a leader, two heads and the paired cadres. The bound also caps how many forms a posted
# TOTAL_FORMS can make Django build (2,000 by default, seconds of work for one request).
MAX_MEMBERS = 60

MemberFormSet = forms.formset_factory(
    MemberForm,
    extra=3,
    can_delete=True,
    max_num=MAX_MEMBERS,
    absolute_max=MAX_MEMBERS,
    validate_max=True,
)


class ReviewMeetingForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "held_on", "attendees", "cases", "decisions", "minutes"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 5}),
            "cases": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["cases"].label_from_instance = lambda c: (
            f"{c.number} {c.enterprise.name} {c.title}"
        )
        self._style()


class AccountForm(BootstrapMixin, forms.Form):
    KIND_CHOICES = [
        ("department", _("部门/单位工作人员（含县委办）")),
        ("enterprise", _("企业联系人")),
        ("person", _("县领导或结对干部（角色来自专班）")),
    ]
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=150)
    kind = forms.ChoiceField(label=_("账号类型"), choices=KIND_CHOICES)
    department = forms.ModelChoiceField(
        label=_("所在部门"), queryset=Department.objects.all(), required=False
    )
    is_head = forms.BooleanField(label=_("部门主要负责人"), required=False)
    enterprise = forms.ModelChoiceField(
        label=_("企业"), queryset=Enterprise.objects.order_by("name"), required=False
    )
    phone = forms.CharField(label=_("电话"), max_length=30, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = in_county(Department.objects.all(), actor)
        self.fields["enterprise"].queryset = in_county(Enterprise.objects.all(), actor).order_by(
            "name"
        )
        self._style()
