from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification, WebhookSubscription
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

    robot = forms.ChoiceField(
        label=_("机器人类型"),
        choices=WebhookSubscription.Robot.choices,
        initial=WebhookSubscription.Robot.TEXT,
        required=False,
        help_text=_("企业微信机器人发 Markdown 消息；钉钉机器人按安全设置加签并带上关键词。"),
    )
    sign_secret = forms.CharField(
        label=_("钉钉加签密钥"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    keyword = forms.CharField(
        label=_("钉钉自定义关键词"),
        required=False,
        max_length=50,
        help_text=_("机器人安全设置里的关键词；消息中没有时自动加在标题前。"),
    )
    mention_clerks = forms.BooleanField(
        label=_("推送问题时 @ 本单位经办人（按手机号）"), required=False
    )

    @classmethod
    def for_department(
        cls, department, kinds: set[str], data=None, subscription=None
    ) -> "WebhookForm":
        initial = {
            "webhook_url": department.webhook_url,
            "scope": SELECTED if kinds else ALL,
            "event_kinds": sorted(kinds),
            "robot": subscription.robot if subscription else WebhookSubscription.Robot.TEXT,
            "keyword": subscription.keyword if subscription else "",
            "mention_clerks": subscription.mention_clerks if subscription else True,
        }
        form = cls(data=data, initial=initial)
        form.secret_is_set = bool(subscription and subscription.sign_secret)
        form.fields["sign_secret"].help_text = (
            _("已设置（不显示）。留空保留原值。")
            if form.secret_is_set
            else _("钉钉机器人“加签”安全设置的密钥（SEC 开头）。")
        )
        return form

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
