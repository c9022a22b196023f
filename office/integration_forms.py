"""The office's settings for 企业微信, 钉钉 and SMS: a form that parses; the saving rules (a secret
never shown back, an empty secret keeps the old one, the environment's values a
county without its own account uses) are notifications.integrations'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.integrations import SECRET_FIELDS, environment_fields
from notifications.models import IntegrationSettings
from office.forms import StyledForm

FIELDS = [
    "wecom_corp_id",
    "wecom_agent_id",
    "wecom_secret",
    "dingtalk_app_key",
    "dingtalk_app_secret",
    "dingtalk_agent_id",
    "dingtalk_corp_id",
    "sms_provider",
    "sms_access_key_id",
    "sms_access_key_secret",
    "sms_sign_name",
    "sms_template_login",
    "sms_template_notice",
]

SECTIONS = [
    (_("企业微信"), FIELDS[0:3]),
    (_("钉钉"), FIELDS[3:7]),
    (_("短信"), FIELDS[7:13]),
]


class IntegrationForm(StyledForm, forms.Form):
    sms_provider = forms.ChoiceField(
        label=_("短信服务商"),
        required=False,
        choices=[
            ("", _("未使用（控制台输出）")),
            ("aliyun", _("阿里云短信")),
            ("tencent", _("腾讯云短信")),
        ],
    )
    leader_daily_digest = forms.BooleanField(
        label=IntegrationSettings._meta.get_field("leader_daily_digest").verbose_name,
        help_text=IntegrationSettings._meta.get_field("leader_daily_digest").help_text,
        required=False,
    )

    def __init__(self, *args, saved: IntegrationSettings, **kwargs):
        super().__init__(*args, **kwargs)
        from_environment = environment_fields(saved.county_id)
        for name in FIELDS:
            model_field = IntegrationSettings._meta.get_field(name)
            if name not in self.fields:
                self.fields[name] = forms.CharField(
                    label=model_field.verbose_name,
                    required=False,
                    max_length=model_field.max_length,
                )
            field = self.fields[name]
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if name == "sms_provider"
                else "form-control form-control-sm"
            )
            if name in SECRET_FIELDS:
                field.widget = forms.PasswordInput(
                    render_value=False,
                    attrs={"class": "form-control form-control-sm", "autocomplete": "new-password"},
                )
                field.is_set = bool(getattr(saved, name))
                field.help_text = (
                    _("已设置（不显示）。留空保留原值。") if field.is_set else _("未设置。")
                )
            else:
                self.initial.setdefault(name, getattr(saved, name))
            if name in from_environment:
                field.help_text = _(
                    "本县（区）未填写，使用环境变量 %(name)s 的值；填写本县（区）自己的账号后以此处为准。"
                ) % {"name": from_environment[name]}
        self.fields["leader_daily_digest"].widget.attrs["class"] = "form-check-input"
        self.initial.setdefault("leader_daily_digest", saved.leader_daily_digest)

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]
