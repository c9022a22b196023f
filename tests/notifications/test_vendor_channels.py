"""企业微信 应用消息 and 钉钉 工作通知 through the outbox: a person bound there gets a card beside the
in-app message, delivered once, retried on a rate limit, failed for good (and kept for the office
to see) on a refusal; what the person turned off is not sent."""

import pytest
from django.utils import timezone

from notifications.delivery import notification_deliver
from notifications.models import Notification, VendorIdentity
from notifications.preferences import muted_choose

pytestmark = pytest.mark.django_db

N = Notification


@pytest.fixture
def published(monkeypatch):
    queued = []
    monkeypatch.setattr(
        "notifications.outbox._send_task", lambda pk, countdown: queued.append((pk, countdown))
    )
    return queued


def bind(user, vendor, userid):
    VendorIdentity.objects.create(user=user, vendor=vendor, vendor_userid=userid)


def test_an_assignment_reaches_the_bound_clerk_in_wecom_as_a_card_opening_the_case(
    county, wecom, published, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://siji.example.gov.cn"
    wecom.users["dan-wx"] = "13800000001"
    bind(county.dan, "wecom", "dan-wx")
    with django_capture_on_commit_callbacks(execute=True):
        case = county.assigned()
    (row,) = N.objects.filter(channel=N.Channel.WECOM)
    assert (row.user, row.kind, row.status, row.case_id) == (
        county.dan,
        "assigned",
        "pending",
        case.pk,
    )
    assert (row.pk, None) in published

    assert notification_deliver(notification_id=row.pk).status == "sent"
    assert notification_deliver(notification_id=row.pk).status == "skipped"  # once
    (message,) = wecom.messages
    card = message["textcard"]
    assert message["touser"] == "dan-wx"
    assert card["title"] == row.title
    assert card["url"] == (
        "https://siji.example.gov.cn/signin/wecom/"
        f"?next=%2Fcases%2F{case.pk}%2F&county={case.county_id}"
    )


def test_dingtalk_work_notice_through_the_outbox(county, dingtalk, published):
    dingtalk.users["dan-dd"] = "13800000001"
    bind(county.dan, "dingtalk", "dan-dd")
    case = county.assigned()
    (row,) = N.objects.filter(channel=N.Channel.DINGTALK)
    assert notification_deliver(notification_id=row.pk).status == "sent"
    (notice,) = dingtalk.notices
    assert notice["userid_list"] == "dan-dd"
    assert f"next=%2Fcases%2F{case.pk}%2F" in notice["msg"]["action_card"]["single_url"]


def test_no_vendor_rows_when_the_vendor_is_not_configured(county, published, settings):
    settings.WECOM_CORP_ID = settings.WECOM_SECRET = settings.WECOM_AGENT_ID = ""
    bind(county.dan, "wecom", "dan-wx")
    county.assigned()
    assert not N.objects.filter(channel=N.Channel.WECOM).exists()


def test_unbound_people_get_no_vendor_row(county, wecom, published):
    county.assigned()
    assert not N.objects.filter(channel=N.Channel.WECOM).exists()


def test_a_rate_limit_is_retried_with_backoff_then_sent(county, wecom, published):
    wecom.users["dan-wx"] = "1"
    bind(county.dan, "wecom", "dan-wx")
    county.assigned()
    row = N.objects.get(channel=N.Channel.WECOM)
    wecom.fail_next(45009)
    outcome = notification_deliver(notification_id=row.pk)
    assert outcome.status == "retry" and outcome.retry_in > 0
    row.refresh_from_db()
    assert row.status == "pending" and "45009" in row.last_error
    N.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)
    assert notification_deliver(notification_id=row.pk).status == "sent"
    assert len(wecom.messages) == 1


def test_an_expired_token_mid_delivery_is_refreshed_without_a_retry(county, wecom, published):
    wecom.users["dan-wx"] = "1"
    bind(county.dan, "wecom", "dan-wx")
    county.assigned()
    county.assigned(county.poultry)
    first, second = N.objects.filter(channel=N.Channel.WECOM).order_by("pk")
    assert notification_deliver(notification_id=first.pk).status == "sent"
    wecom.expire_tokens()
    assert notification_deliver(notification_id=second.pk).status == "sent"
    assert wecom.token_requests == 2 and len(wecom.messages) == 2


def test_a_refusal_fails_for_good_with_the_vendors_message(county, dingtalk, published):
    bind(county.dan, "dingtalk", "left-the-corp")  # not (any more) in the corp's address book
    county.assigned()
    row = N.objects.get(channel=N.Channel.DINGTALK)
    assert notification_deliver(notification_id=row.pk).status == "failed"
    row.refresh_from_db()
    assert row.status == "failed" and "33012" in row.last_error and "无效的userid" in row.last_error


def test_what_a_person_turned_off_is_not_written(county, wecom, dingtalk, published):
    bind(county.dan, "wecom", "dan-wx")
    bind(county.dan, "dingtalk", "dan-dd")
    muted_choose(user=county.dan, pairs=["wecom:assigned"])
    county.assigned()
    channels = set(N.objects.filter(user=county.dan).values_list("channel", flat=True))
    assert channels == {"in_app", "dingtalk"}


def test_an_unknown_pair_is_refused_by_name(county):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        muted_choose(user=county.dan, pairs=["wecom:assigned", "pigeon:assigned"])
    assert "pigeon:assigned" in str(refused.value)


def test_a_message_waiting_for_a_person_switched_off_since_is_not_sent(county, wecom):
    """A 企业微信 card written before the account was switched off (a retry, a slow queue) is not
    sent; it fails for good, saying why, on the office's failed-deliveries page."""
    from cases.people import account_set_active

    wecom.users["dan-wx"] = "13800000001"
    VendorIdentity.objects.create(user=county.dan, vendor="wecom", vendor_userid="dan-wx")
    rows = [
        Notification.objects.create(
            user=county.dan,
            channel=channel,
            kind=Notification.Kind.REMINDER,
            title="【督办】逾期1个工作日未对接企业",
            dedup_key=f"left:{channel}:{county.dan.pk}",
            next_attempt_at=timezone.now(),
        )
        for channel in (Notification.Channel.WECOM, Notification.Channel.IN_APP)
    ]
    account_set_active(actor=county.office, account=county.dan, active=False)
    card, inbox = (notification_deliver(notification_id=row.pk).status for row in rows)
    assert (card, wecom.accepted()) == ("failed", 0)
    assert "deactivated" in Notification.objects.get(pk=rows[0].pk).last_error
    assert inbox == "sent"  # the in-app row is the message itself: kept, never read
