"""The outbox: notifications are rows written with the change that causes them, sent after commit.

`outbox_rows` turns one message and its audience into rows (an in-app row per person, born sent;
email, SMS, 企业微信/钉钉 and group-robot rows pending); `outbox_write` inserts them in the caller's transaction
and asks Celery to deliver the pending ones once that transaction commits. If the broker is down at
that moment nothing is lost: the rows stay pending and the periodic re-send picks them up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from enterprises.models import Department
from notifications import people
from notifications.audience import Person
from notifications.models import Notification
from notifications.webhooks import webhook_event_kinds_for

logger = logging.getLogger(__name__)

DELIVER_TASK = "notifications.deliver"  # notifications.tasks.deliver

Channel = Notification.Channel


@dataclass(frozen=True)
class Message:
    kind: str
    title: str
    body: str
    # The message's identity; with the channel and recipient it makes each row's dedup key.
    key: str
    case_id: int | None = None
    level: int | None = None


def outbox_rows(
    message: Message,
    people: Iterable[Person],
    *,
    webhooks: Iterable[Department] = (),
    sms: bool = False,
) -> list[Notification]:
    now = timezone.now()

    def row(channel: str, recipient: str, **fields) -> Notification:
        born_sent = channel == Channel.IN_APP
        return Notification(
            channel=channel,
            kind=message.kind,
            case_id=message.case_id,
            level=message.level,
            title=message.title[:200],
            body=message.body,
            dedup_key=f"{message.key}:{channel}:{recipient}",
            status=Notification.Status.SENT if born_sent else Notification.Status.PENDING,
            sent_at=now if born_sent else None,
            next_attempt_at=None if born_sent else now,
            created_at=now,
            **fields,
        )

    rows = []
    for person in people:
        rows.append(row(Channel.IN_APP, f"u{person.user_id}", user_id=person.user_id))
        if person.email:
            rows.append(row(Channel.EMAIL, f"u{person.user_id}", user_id=person.user_id))
        if sms and person.phone:
            rows.append(row(Channel.SMS, f"u{person.user_id}", user_id=person.user_id))
    for department in webhooks:
        if department.webhook_url:
            rows.append(row(Channel.WEBHOOK, f"d{department.pk}", department_id=department.pk))
    return rows


def outbox_write(rows: list[Notification]) -> list[Notification]:
    """Insert the rows in the current transaction; deliver the pending ones after it commits.

    Each person told in-app is also told in 企业微信 / 钉钉 when that service is configured and
    the person's account there is bound (notifications.people); what a person turned off
    (channel and kind) and what a robot's department does not want are left out."""
    rows = people.wanted(people.with_vendor_rows(_robots_that_want_them(rows)))
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows, batch_size=500)
    pending = [n.pk for n in created if n.status == Notification.Status.PENDING]
    if pending:
        transaction.on_commit(lambda: publish(pending))
    return created


def _robots_that_want_them(rows: list[Notification]) -> list[Notification]:
    """Drop the group-robot rows of kinds a department's head chose not to receive there (one
    query, for all the departments of the rows; no choice recorded means every kind)."""
    robot_departments = {r.department_id for r in rows if r.channel == Channel.WEBHOOK}
    if not robot_departments:
        return rows
    wanted = webhook_event_kinds_for(robot_departments)
    return [
        r
        for r in rows
        if r.channel != Channel.WEBHOOK
        or not wanted[r.department_id]
        or r.kind in wanted[r.department_id]
    ]


def publish(notification_ids: list[int], *, countdown: float | None = None) -> int:
    """Queue one delivery task per id; stop at the first broker error. Returns how many queued."""
    queued = 0
    for notification_id in notification_ids:
        try:
            _send_task(notification_id, countdown)
        except Exception:
            logger.warning(
                "Broker unreachable: %d notification(s) stay pending for the periodic re-send",
                len(notification_ids) - queued,
                exc_info=True,
            )
            break
        queued += 1
    return queued


def _send_task(notification_id: int, countdown: float | None) -> None:
    # By name: the task (notifications.tasks) calls the delivery, which publishes here again for
    # a retry; naming it keeps the outbox below both. notifications.apps registers the task in
    # every process, so an eager configuration still runs it in place.
    current_app.tasks[DELIVER_TASK].apply_async(
        (notification_id,),
        countdown=countdown,
        queue=settings.NOTIFICATIONS_QUEUE,
        retry=True,
        retry_policy=settings.PUBLISH_RETRY_POLICY,
    )
