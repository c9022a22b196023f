from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from cases.files import check_attachments, help_text, max_files
from cases.models import Category
from web.forms import InputRules, MultipleFileField


class RaiseProblemForm(InputRules, forms.Form):
    title = forms.CharField(
        label=_("问题标题"),
        max_length=200,
        error_messages={"required": _("请用一句话写明遇到的问题。")},
        widget=forms.TextInput(attrs={"placeholder": _("例如：电压不稳，无法满负荷生产")}),
    )
    category = forms.ModelChoiceField(
        label=_("问题类别"),
        queryset=Category.objects.filter(active=True),
        empty_label=_("请选择"),
        error_messages={
            "required": _("请选择问题类别。"),
            "invalid_choice": _("请选择列表中的类别。"),
        },
    )
    description = forms.CharField(
        label=_("详细情况"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": _("问题的来龙去脉、影响、希望得到什么帮助")}
        ),
    )
    attachments = MultipleFileField(label=_("照片或材料"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = help_text(max_files())

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("请用一句话写明遇到的问题。"))
        return title

    def clean_attachments(self):
        # The same check the service runs, here too so every problem shows at once beside its field.
        files = self.cleaned_data.get("attachments") or []
        try:
            check_attachments(files)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["attachments"]) from None
        return files


class ContactCreateForm(InputRules, forms.Form):
    full_name = forms.CharField(
        label=_("联系人姓名"),
        max_length=150,
        error_messages={"required": _("请填写联系人姓名。")},
    )
    phone = forms.CharField(label=_("手机号码"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        error_messages={"invalid": _("请填写有效的电子邮箱地址。")},
    )
    username = forms.CharField(
        label=_("登录用户名"),
        max_length=150,
        help_text=_("字母、数字或 @ . + - _，例如手机号码。"),
        error_messages={"required": _("请填写登录用户名。")},
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )


class PortalPasswordChangeForm(PasswordChangeForm):
    """Django's form, with labels a contact person understands."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("当前密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("再次输入新密码")
