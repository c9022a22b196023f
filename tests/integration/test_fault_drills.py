"""Fault drills for the reminders, with real worker processes, real Redis and the real database:
a worker group SIGKILLed in the middle of a sweep, pool processes killed again and again, two beats
at once, and a long broker outage. After each, every due case has each of its reminders exactly
once — none lost, none repeated — and every email about them has left.

(Two and three sweeps in one moment, in-process: tests/test_sweep_concurrency.py. A worker killed
mid-delivery and a short outage at assignment: test_notifications_worker.py.)
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Case, CaseEvent
from notifications.models import Notification, Reminder
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

N = Notification
EMAIL = N.Channel.EMAIL
DEADLINES = ("contact", "resolve")


def give_emails(*users) -> None:
    for user in users:
        user.email = f"{user.username}@example.gov.cn"
        user.save()


def overdue_cases(county, count: int, department, *, first: int = 0, hours_ago: int = 1):
    """Cases loaded around the workflow with both deadlines long past: each is due for its top
    rung on both deadlines (2 reminders) at the next sweep."""
    now = timezone.now()
    Case.objects.bulk_create(
        Case(
            number=f"D-{first + i:05d}",
            year=2000,
            sequence=first + i + 1,
            title=f"演练问题 {first + i}",
            category=county.power_category,
            enterprise=county.steel,
            county=county.steel.county,
            source=Case.Source.IMPORT,
            status=Case.Status.ASSIGNED,
            lead_department=department,
            assigned_at=now - dt.timedelta(days=30),
            contact_due_at=now - dt.timedelta(days=20),
            resolve_due_at=now - dt.timedelta(days=10),
            next_reminder_at=now - dt.timedelta(hours=hours_ago),
        )
        for i in range(count)
    )
    return list(Case.objects.filter(number__startswith="D-", sequence__gt=first).order_by("pk"))


def reminded(cases) -> int:
    return Reminder.objects.filter(case__in=cases).count()


def emails_all_sent(cases) -> bool:
    emails = N.objects.filter(case__in=cases, channel=EMAIL)
    return emails.exists() and not emails.exclude(status=N.Status.SENT).exists()


def assert_each_reminder_once(worker, cases, *, copies_allowed: bool = False) -> None:
    """Each case: one reminder and one timeline event per deadline; each email sent, and in the
    mailbox under its own Message-ID."""
    wait_for(lambda: reminded(cases) == 2 * len(cases), 30, "every reminder")
    wait_for(lambda: emails_all_sent(cases), 40, "every email to be sent")
    pairs = list(Reminder.objects.filter(case__in=cases).values_list("case_id", "deadline"))
    assert sorted(pairs) == sorted((case.pk, d) for case in cases for d in DEADLINES)
    events = CaseEvent.objects.filter(case__in=cases, kind=CaseEvent.Kind.REMINDER)
    assert sorted(events.values_list("case_id", flat=True)) == sorted(
        case.pk for case in cases for _d in DEADLINES
    )
    rows = N.objects.filter(case__in=cases, channel=EMAIL).values_list("pk", flat=True)
    arrived = worker.message_ids()
    assert set(arrived) >= {f"<notification.{pk}@jinxian.gov.cn>" for pk in rows}  # none lost
    repeated = {key: n for key, n in arrived.items() if n > 1}
    if copies_allowed:
        # A process killed between the mail server's accepting a message and the row being marked
        # sent (a few milliseconds) may send it again — under the same Message-ID, so the mail
        # client folds the copy (notifications.delivery).
        assert len(repeated) <= 3, repeated
    else:
        assert repeated == {}


def waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_a_worker_group_killed_in_the_middle_of_a_sweep_loses_and_repeats_no_reminder(
    county, worker
):
    if connection.vendor != "postgresql":
        pytest.skip("holding a sweep in the middle of its work takes PostgreSQL's row locks")
    give_emails(county.dan, county.hu, county.ren, county.office, county.office_head)
    # 县人社局's cases fall due first, 县工信局's after; Dan is only in the latter's audience.
    rsj = overdue_cases(county, 20, county.rsj, hours_ago=2)
    gxj = overdue_cases(county, 20, county.gxj, first=20)

    with transaction.atomic():
        # Hold Dan's row: the sweep's insert of his reminders waits on it, in its open batch.
        User.objects.select_for_update().get(pk=county.dan.pk)
        worker.start(beat=True, REMINDER_SWEEP_BATCH_SIZE=5)
        wait_for(
            lambda: reminded(rsj) == 2 * len(rsj) and waiting_on_a_lock(),
            30,
            "县人社局's batches committed and a sweep stopped inside 县工信局's",
        )
        assert reminded(gxj) == 0
        worker.kill()  # the whole group: the main process, its pool, the embedded beat

    worker.start(beat=True)
    # The reminders are once each; an email a delivery had handed to the mail server when the
    # group was killed may go again under its Message-ID (the window the other drills allow too).
    assert_each_reminder_once(worker, rsj + gxj, copies_allowed=True)


def test_pool_processes_killed_again_and_again_lose_and_repeat_no_reminder(county, worker):
    give_emails(county.dan)
    cases = overdue_cases(county, 60, county.gxj)
    # The beat in a process of its own (on a queue nobody uses), so that only sweeps and
    # deliveries die: the worker below takes both queues, in small sweep batches. (Queued
    # deliveries are not queued again for 10 s, lest the re-send flood the slowed-down pool.)
    worker.sibling("beat").start(beat=True, queues=[f"{worker.queue}-idle"])
    worker.start(REMINDER_SWEEP_BATCH_SIZE=2, NOTIFICATIONS_RESEND_AFTER_SECONDS=10)

    # Whenever a sweep is half-way (its batches committing), kill every pool process at once —
    # the sweep and the deliveries under way with it — and let the worker replace them.
    rounds, seen, deadline = 0, 0, time.monotonic() + 30
    while rounds < 4 and time.monotonic() < deadline:
        now_reminded = reminded(cases)
        if seen < now_reminded < 2 * len(cases):
            for pid in worker.pool():
                os.kill(pid, signal.SIGKILL)
            rounds += 1
            time.sleep(1)  # new processes, a new tick
            now_reminded = reminded(cases)
        seen = now_reminded
        time.sleep(0.05)
    assert rounds >= 2, f"only {rounds} sweep(s) caught half-way"
    assert worker.proc.poll() is None  # the main process replaced every pool process it lost
    assert_each_reminder_once(worker, cases, copies_allowed=True)


def test_two_beats_at_once_send_each_reminder_once(county, worker):
    give_emails(county.dan, county.hu)
    cases = overdue_cases(county, 60, county.gxj)
    # Each with its beat, sweeping in small batches: their sweeps overlap, case for case.
    options = {"REMINDER_SWEEP_BATCH_SIZE": 2, "NOTIFICATIONS_RESEND_AFTER_SECONDS": 10}
    worker.start(beat=True, **options)
    worker.sibling("second").start(beat=True, **options)
    assert_each_reminder_once(worker, cases)


OUTAGE_SECONDS = 12  # 12 sweep ticks and 4 sending leases of the workers here


def test_a_long_broker_outage_in_the_middle_of_sending_loses_and_repeats_no_reminder(
    county, private_redis, worker
):
    give_emails(county.dan, county.hu, county.office, county.office_head)
    worker.broker_url = private_redis.url
    worker.start(beat=True)
    before = overdue_cases(county, 20, county.gxj)
    wait_for(lambda: reminded(before) > 0, 30, "the sweep to start")
    private_redis.stop()  # while the sweep and the deliveries are under way
    during = overdue_cases(county, 20, county.rsj, first=20)  # due while the broker is gone
    time.sleep(OUTAGE_SECONDS)
    assert reminded(during) == 0  # no tick could reach a worker

    private_redis.start()  # empty: whatever was queued is gone
    wait_for(
        lambda: not worker.supervise() and emails_all_sent(before + during)
        and reminded(before + during) == 2 * len(before + during),
        60,
        "the reminders and emails after the outage",
    )  # fmt: skip
    assert_each_reminder_once(worker, before + during)
