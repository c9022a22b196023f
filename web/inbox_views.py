"""站内信: the user's own notifications, newest first; opening one marks it read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from notifications.inbox import notification_mark_read, notifications_for
from notifications.models import Notification, NotificationPreference
from notifications.people import OPTIONAL_CHANNELS, muted_pair
from notifications.preferences import muted_choose, muted_pairs, new_cases_choice, new_cases_choose
from notifications.vendor_accounts import bound_vendors
from web.middleware import request_actor
from web.query import safe_next


@login_required
def inbox(request):
    unread = request.GET.get("unread") == "1"
    page = Paginator(notifications_for(request.user, unread_only=unread), 30).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "unread": unread}
    if request_actor(request).is_office:
        context["new_cases"] = new_cases_choice(request.user)
        context["new_cases_choices"] = NotificationPreference.NewCases.choices
    return render(request, "web/inbox.html", context)


@login_required
@require_POST
def notification_settings(request):
    """新问题提醒: the office's people choose each new problem at once, or in the daily digest."""
    if not request_actor(request).is_office:
        raise PermissionDenied
    try:
        new_cases_choose(user=request.user, choice=request.POST.get("new_cases", ""))
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("通知设置已保存。"))
    return redirect("notifications")


@login_required
@require_http_methods(["GET", "POST"])
def channel_settings(request):
    """通知方式: which kinds of message reach the user on which channel (the inbox always)."""
    channels = [(value, Notification.Channel(value).label) for value in OPTIONAL_CHANNELS]
    if request.method == "POST":
        wanted = set(request.POST.getlist("wanted"))
        every = {muted_pair(c, k) for c, _label in channels for k in Notification.Kind.values}
        unknown = wanted - every
        try:
            if unknown:
                muted_choose(user=request.user, pairs=sorted(unknown))  # refused by name
            muted_choose(user=request.user, pairs=sorted(every - wanted))
        except ValidationError as error:
            messages.warning(request, " ".join(error.messages))
        else:
            messages.success(request, _("通知方式已保存。"))
            return redirect("notification_channels")
    muted = muted_pairs(request.user)
    rows = [
        (
            label,
            [(muted_pair(c, kind), name, muted_pair(c, kind) not in muted) for c, name in channels],
        )
        for kind, label in Notification.Kind.choices
    ]
    return render(
        request,
        "web/notification_channels.html",
        {"channels": channels, "rows": rows, "bound": bound_vendors(request.user)},
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    try:
        notification = notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    if request.POST.get("open") and notification.case_id:
        return redirect("case_detail", pk=notification.case_id)
    return redirect(safe_next(request, reverse("notifications")))
