"""The cadre's forms. They parse what was typed; the rules are the services' (cases.intake,
cases.workflow, fieldwork.services), whose errors come back next to the fields that caused them."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.checkin import CheckIn
from cases.intake import Problem
from cases.models import Case, Category, Visit
from enterprises.models import Enterprise
from fieldwork.photos import check_photo, max_photo_bytes, max_photo_count
from fieldwork.selectors import my_enterprises
from web.forms import InputRules, attach_errors

MAX_PROBLEMS = 30


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Any number of photos; each one checked by its content. The value is a list of CheckedPhoto."""

    widget = MultiplePhotoInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": "image/*", "multiple": True})

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(uploads) > max_photo_count():  # counted before any photo is opened
            raise ValidationError(
                _("每次走访最多上传 %(count)d 张照片。") % {"count": max_photo_count()}
            )
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(check_photo(super().clean(upload, initial)))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return checked


class BootstrapForm(InputRules, forms.Form):
    """The domain's input rules and Bootstrap's classes on every widget, and the invalid style
    on fields with an error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                css = "btn-check"  # drawn as large toggle buttons: easy to hit with a thumb
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._mark_invalid()

    def _mark_invalid(self):
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs["class"]:
                self.fields[name].widget.attrs["class"] += " is-invalid"


class VisitForm(BootstrapForm):
    enterprise = forms.ModelChoiceField(
        label=_("走访企业"),
        queryset=None,
        empty_label=_("请选择企业"),
        error_messages={
            "required": _("请选择走访的企业。"),
            "invalid_choice": _("该企业不在您的专班包干范围内，不能为它登记走访。"),
        },
    )
    visited_on = forms.DateField(
        label=_("走访日期"),
        widget=DateInput,
        error_messages={"required": _("请填写走访日期。"), "invalid": _("请填写有效的日期。")},
    )
    kind = forms.ChoiceField(
        label=_("走访类型"),
        choices=Visit.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择走访类型。")},
    )
    notes = forms.CharField(
        label=_("走访记录"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("见了谁、谈了什么；没有发现问题也请记一笔。"),
    )
    photos = PhotosField(label=_("照片"))
    # Sent by the offline uploader (fieldwork/static): the phone's id for the visit, and the
    # 签到位置 when the cadre consented to it. Hidden: nobody types them.
    client_id = forms.UUIDField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("走访编号无效，请重新打开走访页面填写。")},
    )
    latitude = forms.FloatField(
        label=_("纬度"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("签到位置的纬度不是有效的数字。")},
    )
    longitude = forms.FloatField(
        label=_("经度"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("签到位置的经度不是有效的数字。")},
    )
    accuracy_m = forms.FloatField(
        label=_("定位精度（米）"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("定位精度不是有效的数字。")},
    )
    located_at = forms.DateTimeField(
        label=_("定位时间"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("定位时间无效，应为 ISO 8601 格式。")},
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = my_enterprises(actor).order_by("name")
        today = timezone.localdate()
        self.fields["visited_on"].widget.attrs["max"] = today.isoformat()
        limit = max_photo_bytes()
        self.fields["photos"].help_text = _("可选多张，仅限图片，每张不超过 %(limit)s。") % {
            "limit": filesizeformat(limit)
        }
        # The browser drops a photo over the cap before the upload (static/site/site.js);
        # the server checks again.
        self.fields["photos"].widget.attrs["data-max-bytes"] = limit
        self.fields["photos"].widget.attrs["data-too-big-note"] = "photos-too-big"
        if not self.is_bound:
            self.initial.setdefault("visited_on", today)

    def client_id_sent(self) -> uuid.UUID | None:
        """The phone's id for the visit, if it sent a sound one — read before the whole form is
        validated: a resend is answered even when the rest would no longer pass."""
        field = self.fields["client_id"]
        try:
            return field.clean(field.widget.value_from_datadict(self.data, self.files, "client_id"))
        except ValidationError:
            return None

    def enterprise_moved(self) -> bool:
        """The enterprise sent is a real one the cadre's task forces no longer cover: it moved to
        another task force since the phone kept it (a conflict, not a typing error)."""
        if not self.has_error("enterprise", code="invalid_choice"):
            return False
        sent = self.data.get("enterprise", "")
        return (
            sent.isascii()
            and sent.isdigit()
            and int(sent) < 2**63
            and Enterprise.objects.filter(pk=int(sent)).exists()
        )

    def visit_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "enterprise": data["enterprise"],
            "visited_on": data["visited_on"],
            "kind": data["kind"],
            "notes": data["notes"],
            "photos": data["photos"],
            "client_id": data.get("client_id"),
            "checkin": self._checkin(),
        }

    def _checkin(self) -> CheckIn | None:
        """The 签到位置 if the phone sent one (only with the cadre's consent); its rules are the
        domain's (cases.checkin), whose errors come back on these fields."""
        data = self.cleaned_data
        if data.get("latitude") is None and data.get("longitude") is None:
            return None
        return CheckIn(
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            accuracy_m=data.get("accuracy_m"),
            located_at=data.get("located_at"),
        )


class VisitPhotoForm(forms.Form):
    """One photo sent on its own after its visit was saved (the offline uploader), with the id the
    phone gave it."""

    photo = forms.FileField(
        label=_("照片"),
        error_messages={
            "required": _("请选择要上传的照片。"),
            "empty": _("照片文件是空的，请重新拍摄或选择。"),
        },
    )
    client_id = forms.UUIDField(
        error_messages={
            "required": _("缺少照片编号，请重新打开走访页面上传。"),
            "invalid": _("照片编号无效，请重新打开走访页面上传。"),
        },
    )

    def clean_photo(self):
        return check_photo(self.cleaned_data["photo"])


class ProblemForm(BootstrapForm):
    """One problem found on the visit. A row left blank is no problem at all."""

    title = forms.CharField(label=_("问题标题"), max_length=200, required=False)
    description = forms.CharField(
        label=_("问题描述"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    category = forms.ModelChoiceField(
        label=_("问题类别"),
        queryset=Category.objects.filter(active=True),
        required=False,
        empty_label=_("请选择类别"),
    )

    def clean(self):
        # Saying at once everything a filled row lacks spares a second round trip on a slow
        # connection; cases.intake checks the same again.
        data = super().clean()
        if not data.get("title") and "title" not in self.errors:
            self.add_error("title", _("请填写问题标题。"))
        if not data.get("category") and "category" not in self.errors:
            self.add_error("category", _("请选择问题类别。"))
        return data

    def problem(self) -> Problem:
        data = self.cleaned_data
        return Problem(
            title=data.get("title", ""),
            description=data.get("description", ""),
            category=data.get("category"),
        )


ProblemFormSet = forms.formset_factory(
    ProblemForm, extra=1, max_num=MAX_PROBLEMS, absolute_max=MAX_PROBLEMS, validate_max=True
)


def problem_formset(data=None) -> forms.BaseFormSet:
    return ProblemFormSet(data, prefix="problems")


def problems_typed(formset) -> tuple[list[int], list[Problem]]:
    """The rows that hold something, and their problems (blank rows are skipped)."""
    rows = [i for i, form in enumerate(formset.forms) if form.has_changed()]
    return rows, [formset.forms[i].problem() for i in rows]


_PROBLEM_KEY = re.compile(r"^problems\[(\d+)\]\.(\w+)$")


def show_errors(error: ValidationError, form: forms.Form, formset=None, rows=()) -> None:
    """Put a service's ValidationError next to the fields it names (problems[i].title → the
    i-th problem sent, on its row of the formset; the rest on the visit's form)."""
    on_rows: dict[str, tuple[forms.BaseForm, str]] = {}
    for key in getattr(error, "error_dict", {}):
        match = _PROBLEM_KEY.match(key)
        if match and formset is not None and int(match[1]) < len(rows):
            on_rows[key] = (formset.forms[rows[int(match[1])]], match[2])
    attach_errors(form, error, on_rows)


class RatingForm(BootstrapForm):
    rating = forms.ChoiceField(
        label=_("企业评价"),
        choices=Case.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择企业的评价等级。")},
    )
    comment = forms.CharField(
        label=_("企业意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("照录企业的原话；不满意时问题将退回重新办理。"),
    )
