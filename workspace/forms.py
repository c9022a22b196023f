from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification
from web.forms import InputRules

ALL, SELECTED = "all", "selected"


class WebhookForm(InputRules, forms.Form):
    """The department's group robot: where it is, and which messages go there."""

    webhook_url = forms.URLField(
        label=_("群机器人 Webhook 地址"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("企业微信或钉钉群机器人的地址，须以 https:// 开头；留空则不推送到群。"),
        widget=forms.URLInput(
            attrs={"placeholder": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"}
        ),
    )
    scope = forms.ChoiceField(
        label=_("推送哪些消息"),
        choices=[(ALL, _("全部消息")), (SELECTED, _("仅以下类型"))],
        initial=ALL,
        widget=forms.RadioSelect,
    )
    event_kinds = forms.MultipleChoiceField(
        label=_("消息类型"),
        choices=Notification.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def for_department(cls, department, kinds: set[str], data=None) -> "WebhookForm":
        initial = {
            "webhook_url": department.webhook_url,
            "scope": SELECTED if kinds else ALL,
            "event_kinds": sorted(kinds),
        }
        return cls(data=data, initial=initial)

    def clean(self):
        data = super().clean()
        if data.get("scope") == SELECTED and not data.get("event_kinds"):
            self.add_error("event_kinds", _("请至少选择一种消息类型，或选择“全部消息”。"))
        return data

    def chosen_kinds(self) -> list[str]:
        """The kinds to save: empty for "all"."""
        if self.cleaned_data["scope"] == ALL:
            return []
        return self.cleaned_data["event_kinds"]


class ReceiptForm(InputRules, forms.Form):
    """签收回执 of a 交办函 (cases.letters.letter_sign): a remark is optional."""

    note = forms.CharField(
        label=_("回执说明（可选）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "class": "form-control form-control-sm",
                "placeholder": _("如：已安排专人对接，三个工作日内联系企业"),
            }
        ),
    )
