"""The analysis pages' forms: a period, the ledger's filters, an import upload."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analysis import periods
from analysis.metrics import in_range
from analysis.models import EvaluationRules
from analysis.rules import RULE_FIELDS
from cases.deadlines import overdue_q
from cases.models import Case, Category
from cases.search import search_cases
from cases.selectors import in_county
from enterprises.models import Department, Enterprise
from web.forms import InputRules, SearchField, Select

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})


def _small(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")


class PeriodForm(InputRules, forms.Form):
    """A period by its dates, or by shorthand: period=2021-04 (a month), 2021Q2, 2021."""

    period = forms.CharField(required=False, widget=forms.HiddenInput)
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=DATE)

    def __init__(self, *args, default: periods.Period | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default or periods.Period()

    def clean(self):
        data = super().clean()
        shorthand = (data.get("period") or "").strip()
        if shorthand:
            parsed = periods.parse_shorthand(shorthand)
            if parsed is None:
                self.add_error("date_from", _("无法识别的期间“%(value)s”。") % {"value": shorthand})
            else:
                data["date_from"], data["date_to"] = parsed.date_from, parsed.date_to
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    @property
    def chosen(self) -> periods.Period:
        """The chosen period; the default when nothing (or nothing valid) was chosen."""
        if not self.is_bound or not self.is_valid():
            return self.default
        data = self.cleaned_data
        if not (data.get("period") or self.data.get("date_from") or self.data.get("date_to")):
            return self.default
        return periods.of_range(data.get("date_from"), data.get("date_to"))


class LedgerFilterForm(InputRules, forms.Form):
    """The case ledger's filters; the same GET parameters drive the page and its export."""

    q = SearchField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("编号、标题、描述或企业名称"), "type": "search"}
        ),
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态")), *Case.Status.choices],
        widget=Select,
    )
    category = forms.ModelChoiceField(
        label=_("类别"),
        required=False,
        queryset=Category.objects.all(),
        empty_label=_("全部类别"),
        widget=Select,
    )
    lead_department = forms.ModelChoiceField(
        label=_("牵头部门"),
        required=False,
        queryset=Department.objects.exclude(kind=Department.Kind.OFFICE),
        empty_label=_("全部部门"),
        widget=Select,
    )
    township = forms.ModelChoiceField(
        label=_("乡镇/园区"),
        required=False,
        queryset=Department.objects.filter(
            kind__in=[Department.Kind.TOWNSHIP, Department.Kind.PARK]
        ),
        empty_label=_("全部乡镇/园区"),
        widget=Select,
    )
    industry = forms.ChoiceField(
        label=_("行业"),
        required=False,
        choices=[("", _("全部行业")), *Enterprise.Industry.choices],
        widget=Select,
    )
    batch = forms.CharField(label=_("交办批次"), required=False, max_length=50)
    overdue = forms.BooleanField(label=_("仅逾期"), required=False)
    date_from = forms.DateField(label=_("录入日期自"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("至"), required=False, widget=DATE)

    # The filters shown at once; the others wait behind "更多筛选" (open when one is in use).
    MAIN = ("q", "status", "lead_department", "township", "overdue")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # The units to filter by are the reader's county's (their city's, for the city).
        for name in ("lead_department", "township"):
            field = self.fields[name]
            field.queryset = in_county(field.queryset, actor)
        _small(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def main_fields(self):
        return [self[name] for name in self.MAIN]

    def more_fields(self):
        return [field for field in self if field.name not in self.MAIN]

    @property
    def more_in_use(self) -> bool:
        """A filter behind "更多筛选" is set, or wrong: the section opens to show it."""
        return any(
            self.data.get(field.name) not in (None, "") or field.errors
            for field in self.more_fields()
        )

    def apply(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        """The cases matching the valid filters (an invalid form filters nothing it cannot read)."""
        if not self.is_valid():
            return cases.none()
        data = self.cleaned_data
        cases = search_cases(cases, data["q"])
        for name, lookup in (
            ("status", "status"),
            ("category", "category"),
            ("lead_department", "lead_department"),
            ("township", "enterprise__township"),
            ("industry", "enterprise__industry"),
            ("batch", "batch"),
        ):
            if data.get(name):
                cases = cases.filter(**{lookup: data[name]})
        if data["overdue"]:
            cases = cases.filter(overdue_q(timezone.now()))
        return cases.filter(in_range("created_at", data["date_from"], data["date_to"]))

    def params(self) -> dict[str, str]:
        """The valid filters as plain strings, to hand to a background export."""
        if not self.is_valid():
            return {}
        return {key: self.data[key] for key in self.fields if self.data.get(key) not in (None, "")}


class ImportForm(InputRules, forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )
    batch = forms.CharField(
        label=_("交办批次"),
        required=False,
        max_length=50,
        help_text=_("如“第一批”；导入的问题都记入这一批次。"),
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("第一批")}),
    )


class RegisterImportForm(InputRules, forms.Form):
    """The enterprise register's upload (analysis.register), beside the problems' on one page:
    its fields carry the prefix "register"."""

    prefix = "register"
    file = ImportForm.base_fields["file"]


BULLETIN_TEXT_MAX = 3000  # about two pages of 三号 text: a bulletin, not a report


class BulletinForm(InputRules, forms.Form):
    """The 工作简报's choices: its period (a recent month or quarter), its issue number and the
    office's own text, which opens the bulletin (it is not stored: the download carries it)."""

    period = forms.ChoiceField(label=_("期间"))
    issue = forms.IntegerField(
        label=_("期数"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("印在报头“第×期”；不填则不印。"),
    )
    text = forms.CharField(
        label=_("工作情况"),
        required=False,
        max_length=BULLETIN_TEXT_MAX,
        help_text=_("县委办自己的文字，写在简报正文开头；每段一行。"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, today=None, default: periods.Period, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        months, quarters = periods.recent_months(today), periods.recent_quarters(today)
        # A month or quarter further back (a link from an older report) is offered too.
        asked = periods.parse_shorthand(self.data.get("period") or default.shorthand)
        if asked is not None and asked not in months + quarters:
            if asked.kind == "month":
                months.append(asked)
            elif asked.kind == "quarter":
                quarters.append(asked)
        self.fields["period"].choices = [
            (_("月报"), [(p.shorthand, p.label) for p in months]),
            (_("季报"), [(p.shorthand, p.label) for p in quarters]),
        ]
        self.fields["period"].initial = default.shorthand
        self.default = default
        _small(self)

    @property
    def chosen(self) -> periods.Period:
        if not self.is_bound or not self.is_valid():
            return self.default
        return periods.parse_shorthand(self.cleaned_data["period"])


class RulesForm(InputRules, forms.ModelForm):
    """A new version of the evaluation's rules (考核规则): it starts from the version in force and
    takes effect today or later (analysis.rules.rules_save refuses an earlier day)."""

    class Meta:
        model = EvaluationRules
        fields = ["effective_from", *RULE_FIELDS, "note"]
        # ISO dates: a date input shows nothing for the locale's 2026/12/04.
        widgets = {"effective_from": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name.startswith(("weight_", "deduction_")) or name in ("unrated_days", "min_ranked"):
                field.widget.attrs["min"] = 0
        _small(self)
