"""Two or three sweeps at the same moment (two beats by mistake, the command run by hand during a
tick, ticks overlapping on the beat's worker): every (case, deadline, level) is still sent exactly
once. (With real worker processes: tests/integration/test_fault_drills.py.)

Transactional tests: row locks are only real between separate connections and transactions.
"""

import datetime as dt
import threading

import pytest
from django.db import connection

from cases.models import Case, CaseEvent
from notifications import reminders
from notifications.models import Notification, Reminder
from notifications.reminders import reminders_sweep
from tests.conftest import CHINA

CASES = 40
NOW = dt.datetime(2021, 6, 4, 8, 0, tzinfo=CHINA)  # the day after the contact deadline


@pytest.fixture
def queued(monkeypatch):
    queued, lock = [], threading.Lock()

    def send(pk, countdown):
        with lock:
            queued.append(pk)

    monkeypatch.setattr("notifications.outbox._send_task", send)
    return queued


@pytest.fixture
def overdue_cases(county):
    county.dan.email = "dan@example.gov.cn"
    county.dan.save()
    due = dt.datetime(2021, 6, 3, 23, 59, 59, tzinfo=CHINA)
    Case.objects.bulk_create(
        Case(
            number=f"C-{i:05d}",
            year=2021,
            sequence=50000 + i,
            title=f"并发问题 {i}",
            category=county.power_category,
            enterprise=county.steel,
            county=county.steel.county,
            source=Case.Source.IMPORT,
            status=Case.Status.ASSIGNED,
            lead_department=county.gxj,
            assigned_at=due - dt.timedelta(days=4),
            contact_due_at=due,
            resolve_due_at=due + dt.timedelta(days=30),
            next_reminder_at=due - dt.timedelta(hours=24),
        )
        for i in range(CASES)
    )
    return county


def run_concurrently(*sweeps):
    barrier = threading.Barrier(len(sweeps))
    results, errors = [None] * len(sweeps), []

    def run(index, sweep):
        try:
            barrier.wait()
            results[index] = sweep()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(sweeps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


@pytest.mark.parametrize("sweeps", [2, 3])
@pytest.mark.django_db(transaction=True)
def test_sweeps_at_once_send_every_reminder_exactly_once(overdue_cases, queued, sweeps):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "SQLite's shared in-memory test database raises 'table is locked' instead of waiting; "
            "a file database (the app's, or the integration tests') serialises the sweeps"
        )
    county = overdue_cases
    results = run_concurrently(
        *[lambda: reminders_sweep(now=NOW, batch_size=3) for _sweep in range(sweeps)]
    )

    assert sum(r.reminders for r in results) == CASES, results
    assert Reminder.objects.filter(deadline="contact", level=1).count() == CASES
    # The timeline has no uniqueness rule of its own: one event per case shows one sender per case.
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.REMINDER).count() == CASES
    for channel in (Notification.Channel.IN_APP, Notification.Channel.EMAIL):
        sent = Notification.objects.filter(user=county.dan, channel=channel, kind="reminder")
        assert sent.count() == CASES
        assert sent.values("case").distinct().count() == CASES
    emails = Notification.objects.filter(channel=Notification.Channel.EMAIL, kind="reminder")
    assert sorted(queued) == sorted(emails.values_list("pk", flat=True))
    assert reminders_sweep(now=NOW).reminders == 0


@pytest.mark.django_db(transaction=True)
def test_a_sweep_that_misread_what_was_sent_still_cannot_send_it_again(
    overdue_cases, queued, monkeypatch
):
    reminders_sweep(now=NOW, batch_size=CASES)
    first = Case.objects.order_by("pk").first()
    # Rewind one case as if a second sweep had read it before the first one committed.
    Case.objects.filter(pk=first.pk).update(next_reminder_at=NOW - dt.timedelta(hours=1))
    monkeypatch.setattr(reminders, "_sent_levels", lambda case_ids: {})

    assert reminders_sweep(now=NOW).reminders == 0
    assert first.events.filter(kind=CaseEvent.Kind.REMINDER).count() == 1
    assert Notification.objects.filter(case=first, channel="in_app").count() == 2
    first.refresh_from_db()
    assert first.next_reminder_at > NOW  # its ladder carries on from the rung found sent
