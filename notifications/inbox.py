"""The in-app inbox: a user's own notifications, and marking one read. Pages and the API call these."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from notifications.models import Notification


def notifications_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's inbox, newest first. Only their own in-app rows: someone else's answers 404."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    inbox = Notification.objects.filter(user=user, channel=Notification.Channel.IN_APP)
    if unread_only:
        inbox = inbox.filter(read_at__isnull=True)
    return inbox.select_related("case").order_by("-created_at", "-id")


def notification_mark_read(
    *, user, notification_id: int, now: dt.datetime | None = None
) -> Notification:
    """Mark one of the user's notifications read (again is fine: the first reading time stays).

    Raises Notification.DoesNotExist for an id that is not in the user's inbox.
    """
    notification = notifications_for(user).get(pk=notification_id)
    if notification.read_at is None:
        now = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification
