"""站内信: the user's own notifications, newest first; opening one marks it read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.inbox import notification_mark_read, notifications_for
from notifications.models import Notification, NotificationPreference
from notifications.preferences import new_cases_choice, new_cases_choose
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
@require_POST
def mark_read(request, pk: int):
    try:
        notification = notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    if request.POST.get("open") and notification.case_id:
        return redirect("case_detail", pk=notification.case_id)
    return redirect(safe_next(request, reverse("notifications")))
