"""The office's integration pages: its county's 企业微信 / 钉钉 / SMS settings (secrets write-only),
and the deliveries of its county a vendor refused for good, with its message, to fix and send
again. Another county's settings and deliveries are not reachable from here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from notifications.delivery import notification_retry
from notifications.integrations import (
    county_settings,
    dingtalk_config,
    integration_settings_save,
    secret_cleared,
    sms_config,
    wecom_config,
)
from notifications.models import Notification
from office.access import office_required
from office.integration_forms import IntegrationForm
from office.pages import paginate
from web.forms import attach_errors
from web.middleware import request_actor


def _county(request) -> int:
    return county_settings(request_actor(request).county_id).county_id


def _of_county(county_id: int) -> Q:
    """The messages sent with the county's settings (integrations.county_of_notification): about
    its cases, to its group robots, or (with neither) to its people."""
    person = (
        Q(user__department_staff__department__county_id=county_id)
        | Q(user__county_leader__county_id=county_id)
        | Q(user__enterprise_contact__enterprise__county_id=county_id)
        | Q(user__task_force_memberships__task_force__county_id=county_id)
    )
    return (
        Q(case__county_id=county_id)
        | Q(case__isnull=True, department__county_id=county_id)
        | (Q(case__isnull=True, department__isnull=True) & person)
    )


@office_required
@require_http_methods(["GET", "POST"])
def integrations(request):
    saved = county_settings(request_actor(request).county_id)
    county_id = saved.county_id
    form = IntegrationForm(request.POST or None, saved=saved)
    if request.method == "POST" and form.is_valid():
        try:
            integration_settings_save(
                user=request.user, county_id=county_id, values=form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("集成设置已保存。"))
            return redirect("office:integrations")
    status = {
        "wecom": wecom_config(county_id) is not None,
        "dingtalk": dingtalk_config(county_id) is not None,
        "sms": sms_config(county_id) is not None,
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
        secret_cleared(user=request.user, county_id=_county(request), field=field)
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
    failed = (
        Notification.objects.filter(_of_county(_county(request)), status=Notification.Status.FAILED)
        .distinct()
        .select_related("user", "department", "case")
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
    if not Notification.objects.filter(_of_county(_county(request)), pk=pk).exists():
        raise Http404
    if notification_retry(notification_id=pk):
        messages.success(request, _("已重新发送。"))
    else:
        messages.warning(request, _("这条消息不是发送失败状态，无需重发。"))
    return redirect("office:failed_deliveries")
