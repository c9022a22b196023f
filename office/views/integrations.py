"""The office's integration pages: the 企业微信 / 钉钉 / SMS settings (secrets write-only), and the
deliveries a vendor refused for good, with its message, to fix and send again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from notifications.delivery import notification_retry
from notifications.integrations import (
    dingtalk_config,
    integration_settings_save,
    saved_settings,
    secret_cleared,
    sms_config,
    wecom_config,
)
from notifications.models import Notification
from office.access import office_required
from office.integration_forms import IntegrationForm
from office.pages import paginate
from web.forms import attach_errors


@office_required
@require_http_methods(["GET", "POST"])
def integrations(request):
    saved = saved_settings()
    form = IntegrationForm(request.POST or None, saved=saved)
    if request.method == "POST" and form.is_valid():
        try:
            integration_settings_save(user=request.user, values=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("集成设置已保存。"))
            return redirect("office:integrations")
    status = {
        "wecom": wecom_config() is not None,
        "dingtalk": dingtalk_config() is not None,
        "sms": sms_config() is not None,
    }
    return render(
        request,
        "office/integrations.html",
        {"form": form, "status": status, "saved": saved},
    )


@office_required
@require_POST
def clear_secret(request, field: str):
    try:
        secret_cleared(user=request.user, field=field)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("密钥已清除。"))
    return redirect("office:integrations")


FAILED_CHANNELS = [
    (value, label) for value, label in Notification.Channel.choices if value != "in_app"
]


@office_required
def failed_deliveries(request):
    """Every delivery that failed for good, newest first, with the vendor's own message;
    ?channel=wecom narrows to one channel."""
    channel = request.GET.get("channel", "")
    failed = Notification.objects.filter(status=Notification.Status.FAILED).select_related(
        "user", "department", "case"
    )
    if channel in Notification.Channel.values:
        failed = failed.filter(channel=channel)
    page = paginate(request, failed.order_by("-created_at", "-id"))
    return render(
        request,
        "office/failed_deliveries.html",
        {"page": page, "channel": channel, "channels": FAILED_CHANNELS},
    )


@office_required
@require_POST
def retry_delivery(request, pk: int):
    if notification_retry(notification_id=pk):
        messages.success(request, _("已重新发送。"))
    else:
        messages.warning(request, _("这条消息不是发送失败状态，无需重发。"))
    return redirect("office:failed_deliveries")
