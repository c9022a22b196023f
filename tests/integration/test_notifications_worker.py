"""The outbox and the sweep with a real Celery worker process, real Redis and the real database.

Everyone in the county of tests/conftest.py has an email address here, and 县工信局 has a group
robot (a stand-in HTTP server on 127.0.0.1), so each message can be counted where it lands.
"""

import datetime as dt
import os
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case
from notifications.models import Notification, Reminder
from tests.integration.conftest import ROOT, database_url, wait_for
from tests.test_notifications_webhook import Robot

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

N = Notification
EMAIL, IN_APP = N.Channel.EMAIL, N.Channel.IN_APP


@pytest.fixture
def county(county):
    for user in (county.dan, county.hu, county.li, county.office, county.office_head, county.eva):
        user.email = f"{user.username}@example.gov.cn"
        user.save()
    return county


@pytest.fixture
def robot():
    robot = Robot()
    yield robot
    robot.server.shutdown()
    robot.server.server_close()


def statuses(channel=EMAIL) -> dict[str, int]:
    counts = {}
    for status in N.objects.filter(channel=channel).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def all_sent(channel=EMAIL, expected: int | None = None) -> bool:
    rows = N.objects.filter(channel=channel)
    total = rows.count()
    return (expected is None or total == expected) and total == rows.filter(status="sent").count()


def assert_each_email_once(worker, expected: int):
    ids = worker.message_ids()
    emails = N.objects.filter(channel=EMAIL).values_list("pk", flat=True)
    assert sorted(ids) == sorted(f"<notification.{pk}@jinxian.gov.cn>" for pk in emails)
    assert len(ids) == expected
    assert set(ids.values()) == {1}, {k: v for k, v in ids.items() if v > 1}


def test_a_historical_assignment_is_told_and_reminded_within_seconds_and_never_again(
    county, worker, robot
):
    county.gxj.webhook_url = robot.url
    county.gxj.save()
    worker.start(beat=True, WEBHOOK_ALLOWED_NETWORKS="127.0.0.1/32")  # the stand-in robot's

    case = county.assigned(assigned_at=timezone.now() - dt.timedelta(days=60))

    # The notice to Dan and Hu (and to Eva, the enterprise: who will contact her, by when; and to
    # Carl, the cadre paired with the enterprise), then
    # both deadlines at their current level (flagged) — once each, to the department, its head,
    # the office and the office head (the task force's leader Li reads them in the morning's
    # digest: notifications.integrations.leader_daily_digest).
    expected = 4 + 2 * 4
    wait_for(lambda: all_sent(EMAIL, expected), 30, "the notice and the reminders to be emailed")
    assert list(case.reminders.order_by("deadline").values_list("deadline", "level")) == [
        ("contact", 3),
        ("resolve", 3),
    ]
    wait_for(lambda: len(robot.received) == 3, 10, "the robot to get 3 posts")
    assert len({payload["msgid"] for _headers, payload in robot.received}) == 3

    call_command("sweep_deadlines")
    time.sleep(2.5)  # two more beat ticks of the sweep and of the re-send
    assert Reminder.objects.count() == 2
    assert_each_email_once(worker, expected)
    assert N.objects.filter(user=county.dan, channel=IN_APP).count() == 3
    assert len(robot.received) == 3
    case.refresh_from_db()
    assert case.escalation_level == Case.Escalation.FLAGGED


def test_a_worker_killed_mid_delivery_then_restarted_sends_every_email_exactly_once(county, worker):
    # 40 notices queued in Redis (Dan, Hu, the enterprise's Eva and the paired cadre Carl for
    # each case), no worker yet.
    cases = [county.assigned() for _ in range(10)]
    assert statuses() == {"pending": 40}

    # The worker sends 6 emails, then its 4 pool processes hang inside the email backend.
    worker.start(IT_EMAIL_HANG_AFTER=6)
    wait_for(lambda: statuses().get("sending") == 4, 30, "4 deliveries in flight")
    worker.kill()
    in_flight = statuses()
    assert in_flight["sending"] == 4 and in_flight.get("pending", 0) > 0, in_flight

    worker.start(
        beat=True
    )  # the re-send takes the pending rows, and the sending ones after the lease
    wait_for(lambda: all_sent(EMAIL, 40), 40, "every notice to be emailed")
    assert_each_email_once(worker, 40)
    # in the inbox too, and the office head's 新问题 notice for each case (in-app only)
    assert N.objects.filter(channel=IN_APP).count() == 50
    assert N.objects.filter(channel=IN_APP).values("user", "case").distinct().count() == 50
    assert len(cases) == 10


ASSIGN_WHILE_BROKER_IS_DOWN = """
import datetime as dt, django
django.setup()
from django.contrib.auth.models import User
from django.utils import timezone
from cases import workflow
from enterprises.models import Department
workflow.case_assign(
    actor=User.objects.get(username="office"),
    case={case_id},
    lead_department=Department.objects.get(name="县工信局"),
    assigned_at=timezone.now() - dt.timedelta(days=60),
)
print("assigned")
"""


def test_a_broker_outage_delays_the_notice_and_the_reminders_but_loses_neither(
    county, private_redis, worker
):
    worker.broker_url = private_redis.url
    worker.start(beat=True)
    case = county.submitted()
    private_redis.stop()

    # A web process assigns the case while the broker is down: the assignment commits.
    web = subprocess.run(
        [sys.executable, "-c", ASSIGN_WHILE_BROKER_IS_DOWN.format(case_id=case.pk)],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": private_redis.url,
            "VAR_DIR": str(worker.tmp / "web-var"),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert web.returncode == 0 and "assigned" in web.stdout, web.stderr
    case.refresh_from_db()
    assert case.status == Case.Status.ASSIGNED
    assert N.objects.filter(user=county.dan, channel=IN_APP).count() == 1  # the inbox has it
    time.sleep(2)
    assert statuses() == {"pending": 4}
    assert Reminder.objects.count() == 0  # no sweep can run without the broker

    private_redis.start()  # empty: whatever was queued before is gone
    expected = 4 + 2 * 4  # the notice, then both reminders (Li reads them in the daily digest)
    wait_for(
        lambda: not worker.supervise() and all_sent(EMAIL, expected),
        60,
        "the notice and the reminders after the outage",
    )
    assert list(case.reminders.order_by("deadline").values_list("deadline", "level")) == [
        ("contact", 3),
        ("resolve", 3),
    ]
    assert_each_email_once(worker, expected)
