"""The beat's jobs have a queue and a worker of their own, so a backlog of deliveries cannot starve
the deadline sweep: real Redis, real worker processes, the real database.

The review saw it happen with one shared queue: after a restart with 7,218 deliveries queued, 31 of
33 sweep ticks expired unread and due cases waited minutes for their escalation.
"""

import datetime as dt
import time

import pytest
from django.utils import timezone

from config.celery_app import app
from notifications.models import Notification, Reminder
from notifications.tasks import deliver, sweep_deadlines
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

N = Notification
BACKLOG = 3000


def queue_a_backlog_of_emails(user, queue: str, count: int) -> None:
    """Pending emails, each with its delivery task queued (through one producer: quicker)."""
    now = timezone.now()
    rows = N.objects.bulk_create(
        N(
            user=user,
            channel=N.Channel.EMAIL,
            kind=N.Kind.ASSIGNED,
            title=f"积压消息 {i}",
            dedup_key=f"backlog:{i}",
            status=N.Status.PENDING,
            next_attempt_at=now,
        )
        for i in range(count)
    )
    with app.producer_or_acquire() as producer:
        for row in rows:
            deliver.apply_async((row.pk,), queue=queue, producer=producer)


def test_a_due_case_is_escalated_within_seconds_behind_thousands_of_slow_deliveries(county, worker):
    county.dan.email = "dan@example.gov.cn"
    county.dan.save()
    # The delivery worker alone, its mail server hanging on every message: each of its 4 pool
    # processes takes one delivery and never finishes; thousands more wait in its queue.
    worker.start(queues=[worker.queue], IT_EMAIL_HANG_AFTER=0)
    queue_a_backlog_of_emails(county.dan, worker.queue, BACKLOG)
    wait_for(
        lambda: N.objects.filter(status=N.Status.SENDING).count() == 4, 30, "4 hung deliveries"
    )
    case = county.assigned(assigned_at=timezone.now() - dt.timedelta(days=60))
    assert case.next_reminder_at <= timezone.now()

    # The old layout: the beat's sweep ticks on the delivery queue, behind the backlog. None is
    # taken before it expires, so nothing is escalated.
    for _tick in range(2):
        sweep_deadlines.apply_async(queue=worker.queue, expires=1)
        time.sleep(1)
    assert not Reminder.objects.exists()

    # Today's layout: the beat and a worker of its own on the beat's queue.
    worker.sibling("beat").start(beat=True, queues=[worker.beat_queue])
    started = time.monotonic()
    wait_for(lambda: Reminder.objects.filter(case=case).count() == 2, 10, "the escalation")
    assert time.monotonic() - started < 5
    assert list(case.reminders.order_by("deadline").values_list("deadline", "level")) == [
        ("contact", 3),
        ("resolve", 3),
    ]
    assert N.objects.filter(status=N.Status.SENT, channel=N.Channel.EMAIL).count() == 0
    worker.kill()  # its pool hangs for good: no warm shutdown to wait for
