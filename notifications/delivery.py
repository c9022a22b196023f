"""Delivering outbox rows, once each.

A delivery claims its row with a compare-and-set (pending → sending, committed before anything is
sent), so a task the broker hands out twice — a redelivery after a lost ack, the periodic re-send
racing the original message — finds the row taken and does nothing. After sending, the row is
marked sent at once; a transport error puts it back to pending with a backoff, or fails it for
good.

A worker killed mid-send leaves its row in `sending`; once the claim is older than the lease (longer
than a task may live) the periodic re-send hands it out again. The one window where a message can
leave twice is a kill between the transport accepting it and the row being marked sent — a few
milliseconds — and the stable message id (email Message-ID, webhook msgid) lets the receiver fold
that copy. The in-app inbox has no such window: its row is the message.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.channels import DeliveryError, PermanentFailure, transport_for
from notifications.models import Notification
from notifications.outbox import publish

logger = logging.getLogger(__name__)

Status = Notification.Status

# A retry message may arrive a little before next_attempt_at (countdown rounding, clock skew).
EARLY = dt.timedelta(seconds=2)


@dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "retry", "failed", or "skipped" (not pending, not ours)
    retry_in: float | None = None


def backoff(attempts: int) -> float:
    """Seconds before the next attempt: base, 2×, 4× … capped at an hour."""
    return float(min(settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 3600))


def notification_deliver(*, notification_id: int) -> Outcome:
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=Status.PENDING, next_attempt_at__lte=now + EARLY
    ).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return Outcome("skipped")
    notification = Notification.objects.select_related("user", "department", "case").get(
        pk=notification_id
    )
    ours = Notification.objects.filter(pk=notification_id, status=Status.SENDING, claimed_at=now)
    try:
        if _switched_off(notification):
            raise PermanentFailure("the recipient's account is deactivated")
        transport_for(notification.channel).send(notification)
    except Exception as error:
        permanent = isinstance(error, DeliveryError) and error.permanent
        if not isinstance(error, DeliveryError):
            logger.exception("Notification %s: unexpected error while sending", notification_id)
        return _failed(notification, ours, error, permanent=permanent)
    ours.update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    return Outcome("sent")


def _switched_off(notification: Notification) -> bool:
    """A row written for a person whose account was switched off since (a leader who left, a
    clerk moved away: counties.membership) is not sent outside; the in-app row stays, unread."""
    user = notification.user
    return (
        user is not None
        and not user.is_active
        and notification.channel != Notification.Channel.IN_APP
    )


def _failed(notification: Notification, ours, error: Exception, *, permanent: bool) -> Outcome:
    message = f"{type(error).__name__}: {error}"[:2000]
    if permanent or notification.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        ours.update(status=Status.FAILED, last_error=message)
        logger.warning("Notification %s failed for good: %s", notification.pk, message)
        return Outcome("failed")
    delay = backoff(notification.attempts)
    ours.update(
        status=Status.PENDING,
        next_attempt_at=timezone.now() + dt.timedelta(seconds=delay),
        last_error=message,
    )
    publish([notification.pk], countdown=delay)
    return Outcome("retry", retry_in=delay)


def notifications_resend(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """The periodic safety net: queue again what is still pending well after it was due.

    Covers a broker that was down when the row was written, a message lost with a broker's memory,
    a retry message dropped, and a worker killed mid-send (its claim expires after the lease).
    Queuing a row twice is harmless: the claim lets only one delivery through.
    """
    now = now or timezone.now()
    lease = dt.timedelta(seconds=settings.NOTIFICATIONS_SENDING_LEASE_SECONDS)
    abandoned = Notification.objects.filter(status=Status.SENDING, claimed_at__lt=now - lease)
    ids = list(abandoned.values_list("pk", flat=True)[:limit])
    if ids:
        abandoned.filter(pk__in=ids).update(status=Status.PENDING, next_attempt_at=now)
        logger.warning("Re-sending %d notification(s) whose delivery was interrupted", len(ids))
    overdue = now - dt.timedelta(seconds=settings.NOTIFICATIONS_RESEND_AFTER_SECONDS)
    ids += (
        Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=overdue)
        .exclude(pk__in=ids)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: max(limit - len(ids), 0)]
    )
    return publish(ids) if ids else 0


def notification_retry(*, notification_id: int) -> bool:
    """The office sends a failed delivery again (after fixing what the vendor refused: a bound
    account, a secret): the row goes back to pending with a fresh count of attempts. Only a failed
    row; returns whether one was put back."""
    now = timezone.now()
    put_back = Notification.objects.filter(pk=notification_id, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, next_attempt_at=now, claimed_at=None
    )
    if put_back:
        transaction.on_commit(lambda: publish([notification_id]))
    return bool(put_back)
