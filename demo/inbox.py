"""The demo users' inboxes: what the outbox wrote over five years was read long ago; only the
last month's notifications are still waiting to be opened."""

from __future__ import annotations

import datetime as dt

from django.db.models import F

from notifications.models import Notification

STILL_UNREAD = dt.timedelta(days=30)


def read_old_notifications(now: dt.datetime) -> int:
    """Each in-app notification older than a month read three hours after it came, in one
    update (as notifications.inbox.notification_mark_read would, one by one: thousands of them)."""
    return Notification.objects.filter(
        channel=Notification.Channel.IN_APP,
        read_at__isnull=True,
        created_at__lt=now - STILL_UNREAD,
    ).update(read_at=F("created_at") + dt.timedelta(hours=3))
