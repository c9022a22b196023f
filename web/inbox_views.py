"""站内信: the user's own notifications, newest first; opening one marks it read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from notifications.inbox import notification_mark_read, notifications_for
from notifications.models import Notification
from web.query import safe_next


@login_required
def inbox(request):
    unread = request.GET.get("unread") == "1"
    page = Paginator(notifications_for(request.user, unread_only=unread), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "web/inbox.html", {"page": page, "unread": unread})


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
