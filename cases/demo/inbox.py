"""The demo users' inboxes: what the outbox wrote over five years was read long ago; only the
last month's notifications are still waiting to be opened."""

from __future__ import annotations

import datetime as dt

from notifications.inbox import notification_mark_read
from notifications.models import Notification

STILL_UNREAD = dt.timedelta(days=30)


def read_old_notifications(now: dt.datetime) -> int:
    old = (
        Notification.objects.filter(
            channel=Notification.Channel.IN_APP,
            read_at__isnull=True,
            created_at__lt=now - STILL_UNREAD,
        )
        .select_related("user")
        .order_by("pk")
    )
    count = 0
    for notification in old:
        notification_mark_read(
            user=notification.user,
            notification_id=notification.pk,
            now=notification.created_at + dt.timedelta(hours=3),
        )
        count += 1
    return count
