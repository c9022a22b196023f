"""The outbox: the workflow's own messages, written with the change and delivered once after commit.

Dan (县工信局 clerk) and Hu (its head) have email addresses here; Eva is 荣信钢构's contact.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from cases import workflow
from notifications import delivery
from notifications.channels import PermanentFailure, TemporaryFailure
from notifications.delivery import notification_deliver, notifications_resend
from notifications.inbox import notification_mark_read, notifications_for
from notifications.models import Notification

pytestmark = pytest.mark.django_db

N = Notification
IN_APP, EMAIL, WEBHOOK = N.Channel.IN_APP, N.Channel.EMAIL, N.Channel.WEBHOOK


@pytest.fixture
def published(monkeypatch):
    """The delivery tasks asked of the broker: (notification id, countdown)."""
    queued = []
    monkeypatch.setattr(
        "notifications.outbox._send_task", lambda pk, countdown: queued.append((pk, countdown))
    )
    return queued


@pytest.fixture
def county(county):
    for user in (county.dan, county.hu, county.eva):
        user.email = f"{user.username}@example.gov.cn"
        user.save()
    return county


def rows(**filters) -> list[tuple]:
    return list(
        N.objects.filter(**filters)
        .order_by("user__username", "channel")
        .values_list("user__username", "channel", "status")
    )


def test_an_assignment_reaches_the_lead_departments_inbox_at_once_and_its_email_after_commit(
    county, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = county.assigned()

    assert rows(kind=N.Kind.ASSIGNED) == [
        ("carl", IN_APP, "sent"),  # the paired cadre (no email address) is told too (issue 17)
        ("dan", EMAIL, "pending"),
        ("dan", IN_APP, "sent"),
        ("eva", EMAIL, "pending"),  # the enterprise is told who will contact it, and by when
        ("eva", IN_APP, "sent"),
        ("hu", EMAIL, "pending"),
        ("hu", IN_APP, "sent"),
    ]
    emails = N.objects.filter(kind=N.Kind.ASSIGNED, channel=EMAIL)
    assert sorted(pk for pk, _ in published) == sorted(emails.values_list("pk", flat=True))
    notice = N.objects.get(user=county.dan, channel=IN_APP)
    assert notice.case == case
    assert notice.title == f"【新交办】{case.number} {case.title}"
    assert "3个工作日" in notice.body


def test_a_department_robot_gets_the_assignment_too(county, published):
    county.gxj.webhook_url = "http://127.0.0.1:9/robot"
    county.gxj.save()
    county.assigned()
    assert (
        N.objects.filter(kind=N.Kind.ASSIGNED, channel=WEBHOOK, department=county.gxj).count() == 1
    )


def test_a_robot_gets_only_the_kinds_its_department_head_chose(county, published):
    from cases.roles import actor_for
    from workspace.services import department_webhook_save

    department_webhook_save(
        actor=actor_for(county.hu),
        department=county.gxj,
        webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=gxj",
        event_kinds=[N.Kind.REPLIED, N.Kind.REMINDER],
    )
    county.gxj.refresh_from_db()
    county.assigned()
    assert not N.objects.filter(channel=WEBHOOK).exists()
    # People still are: 工信局's two, the enterprise's contact and its paired cadre (issue 17).
    assert N.objects.filter(kind=N.Kind.ASSIGNED, channel=IN_APP).count() == 4


def test_nothing_is_written_or_queued_when_the_causing_transaction_rolls_back(
    county, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                county.assigned()
                raise RuntimeError("the request failed after the assignment")
    assert not N.objects.exists()
    assert published == []


def test_a_reply_reaches_the_enterprise(county, published):
    case = county.replied()
    assert rows(kind=N.Kind.REPLIED, user=county.eva) == [
        ("eva", EMAIL, "pending"),
        ("eva", IN_APP, "sent"),
    ]
    assert (
        "已增设一台变压器"
        in N.objects.get(kind=N.Kind.REPLIED, user=county.eva, channel=IN_APP).body
    )
    assert case.number in N.objects.get(kind=N.Kind.REPLIED, user=county.eva, channel=IN_APP).title


def test_a_rating_that_reopens_the_case_reaches_the_lead_department(county, published):
    case = county.replied()
    workflow.case_rate(
        actor=county.eva, case=case, rating="very_dissatisfied", comment="电压仍不稳"
    )
    assert {u for u, *_ in rows(kind=N.Kind.REOPENED)} == {"dan", "hu"}
    assert "不满意" in N.objects.filter(kind=N.Kind.REOPENED).first().body


def test_a_satisfied_rating_tells_only_the_paired_cadre(county, published):
    case = county.replied()
    before = N.objects.count()
    workflow.case_rate(actor=county.eva, case=case, rating="satisfied")
    # Nobody has to act; the cadre who pairs with the enterprise should know (issue 17).
    assert N.objects.count() == before + 1
    assert rows(kind=N.Kind.RATED) == [("carl", IN_APP, "sent")]


def _extension(county, *, approve: bool):
    case = county.in_progress()
    workflow.case_request_extension(
        actor=county.dan,
        case=case,
        resolve_due_at=case.resolve_due_at + dt.timedelta(days=14),
        reason="设备到货延迟",
    )
    return workflow.case_decide_extension(actor=county.office, case=case, approve=approve)


def test_an_approved_extension_reaches_the_department_and_the_enterprise(county, published):
    _extension(county, approve=True)
    told = {u for u, *_ in rows(kind=N.Kind.EXTENSION_DECIDED)}
    assert told == {"dan", "hu", "eva"}
    assert (
        "办结期限延至"
        in N.objects.get(kind=N.Kind.EXTENSION_DECIDED, user=county.eva, channel=IN_APP).title
    )


def test_a_refused_extension_reaches_the_department_only(county, published):
    _extension(county, approve=False)
    assert {u for u, *_ in rows(kind=N.Kind.EXTENSION_DECIDED)} == {"dan", "hu"}


# --- delivery -----------------------------------------------------------------------------------


def _email(county) -> Notification:
    county.assigned()
    return N.objects.get(kind=N.Kind.ASSIGNED, channel=EMAIL, user=county.dan)


def test_an_email_is_sent_once_even_if_its_task_runs_twice(county, published, mailoutbox):
    email = _email(county)
    assert notification_deliver(notification_id=email.pk).status == "sent"
    assert notification_deliver(notification_id=email.pk).status == "skipped"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["dan@example.gov.cn"]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (N.Status.SENT, 1)
    assert email.sent_at is not None


def test_a_row_another_worker_is_sending_is_left_alone(county, published, mailoutbox):
    email = _email(county)
    N.objects.filter(pk=email.pk).update(status=N.Status.SENDING, claimed_at=timezone.now())
    assert notification_deliver(notification_id=email.pk).status == "skipped"
    assert mailoutbox == []


def test_an_unknown_id_is_skipped(db):
    assert notification_deliver(notification_id=999999).status == "skipped"


class Failing:
    def __init__(self, error):
        self.error = error

    def send(self, notification):
        raise self.error


@override_settings(NOTIFICATIONS_MAX_ATTEMPTS=3, NOTIFICATIONS_RETRY_BASE_SECONDS=30)
def test_a_temporary_failure_is_retried_with_growing_backoff_then_given_up(
    county, published, monkeypatch
):
    email = _email(county)
    monkeypatch.setattr(delivery, "transport_for", lambda channel: Failing(TemporaryFailure("421")))

    outcomes = []
    for _attempt in range(3):
        outcomes.append(notification_deliver(notification_id=email.pk))
        N.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())  # time passes
    assert [(o.status, o.retry_in) for o in outcomes] == [
        ("retry", 30.0),
        ("retry", 60.0),
        ("failed", None),
    ]
    assert published == [(email.pk, 30.0), (email.pk, 60.0)]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (N.Status.FAILED, 3)
    assert "421" in email.last_error


def test_a_retry_is_not_taken_before_its_time(county, published, monkeypatch):
    email = _email(county)
    monkeypatch.setattr(delivery, "transport_for", lambda channel: Failing(TemporaryFailure("x")))
    notification_deliver(notification_id=email.pk)
    assert notification_deliver(notification_id=email.pk).status == "skipped"


def test_a_permanent_failure_is_not_retried(county, published, monkeypatch):
    email = _email(county)
    monkeypatch.setattr(delivery, "transport_for", lambda channel: Failing(PermanentFailure("550")))
    assert notification_deliver(notification_id=email.pk).status == "failed"
    assert published == []


def test_an_unexpected_error_is_retried_rather_than_lost(county, published, monkeypatch):
    email = _email(county)
    monkeypatch.setattr(delivery, "transport_for", lambda channel: Failing(KeyError("bug")))
    assert notification_deliver(notification_id=email.pk).status == "retry"
    email.refresh_from_db()
    assert email.status == N.Status.PENDING


@override_settings(NOTIFICATIONS_RESEND_AFTER_SECONDS=60, NOTIFICATIONS_SENDING_LEASE_SECONDS=300)
def test_the_resend_job_queues_what_is_left_pending_and_what_a_dead_worker_held(county, published):
    county.assigned()
    county.assigned()
    now = timezone.now()
    stuck, fresh, abandoned, busy = N.objects.filter(
        channel=EMAIL, user__department_staff__isnull=False
    ).order_by("pk")
    N.objects.filter(pk=stuck.pk).update(next_attempt_at=now - dt.timedelta(minutes=2))
    N.objects.filter(pk=fresh.pk).update(next_attempt_at=now)
    N.objects.filter(pk=abandoned.pk).update(
        status=N.Status.SENDING, claimed_at=now - dt.timedelta(minutes=10)
    )
    N.objects.filter(pk=busy.pk).update(
        status=N.Status.SENDING, claimed_at=now - dt.timedelta(minutes=1)
    )

    assert notifications_resend(now=now) == 2
    assert sorted(pk for pk, _ in published) == sorted([stuck.pk, abandoned.pk])
    abandoned.refresh_from_db()
    busy.refresh_from_db()
    assert abandoned.status == N.Status.PENDING
    assert busy.status == N.Status.SENDING


# --- inbox --------------------------------------------------------------------------------------


def test_the_inbox_holds_the_users_own_in_app_messages_newest_first(county, published):
    first, second = county.assigned(), county.assigned()
    assert [n.case for n in notifications_for(county.dan)] == [second, first]
    assert notifications_for(county.ren).count() == 0
    assert notifications_for(county.dan, unread_only=True).count() == 2


def test_marking_read_keeps_the_first_reading_time_and_hides_other_peoples_messages(
    county, published
):
    county.assigned()
    notice = notifications_for(county.dan).get()
    when = timezone.now() - dt.timedelta(hours=1)
    assert (
        notification_mark_read(user=county.dan, notification_id=notice.pk, now=when).read_at == when
    )
    again = notification_mark_read(user=county.dan, notification_id=notice.pk)
    assert again.read_at == when
    assert notifications_for(county.dan, unread_only=True).count() == 0
    with pytest.raises(N.DoesNotExist):
        notification_mark_read(user=county.hu, notification_id=notice.pk)
    email = N.objects.get(user=county.dan, channel=EMAIL)
    with pytest.raises(N.DoesNotExist):
        notification_mark_read(user=county.dan, notification_id=email.pk)
