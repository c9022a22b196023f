"""Group robots done right, against the stand-ins: 钉钉 with 加签 (the stand-in checks the
signature as documented) and its keyword, 企业微信 markdown, and the responsible clerks @-ed by
mobile in either; the generic text robot unchanged."""

import pytest

from enterprises.models import DepartmentStaff
from notifications.channels.robots import dingtalk_sign, signed_url
from notifications.delivery import notification_deliver
from notifications.models import Notification, VendorIdentity, WebhookSubscription

pytestmark = pytest.mark.django_db

N = Notification


@pytest.fixture(autouse=True)
def robots_here(settings, monkeypatch):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    monkeypatch.setattr("notifications.outbox._send_task", lambda pk, countdown: None)


def robot_row(county, url, **subscription):
    county.gxj.webhook_url = url
    county.gxj.save()
    WebhookSubscription.objects.create(department=county.gxj, **subscription)
    DepartmentStaff.objects.filter(user=county.dan).update(phone="13800000001")
    case = county.assigned()
    return case, N.objects.get(channel=N.Channel.WEBHOOK, department=county.gxj)


def test_dingtalk_robot_signs_adds_its_keyword_and_ats_the_clerk_by_mobile(
    county, dingtalk, settings
):
    settings.SITE_URL = "https://siji.example.gov.cn"
    dingtalk.robot_secret = "SECabc123"
    dingtalk.robot_keywords = ["督办"]
    case, row = robot_row(
        county, dingtalk.robot_url(), robot="dingtalk", sign_secret="SECabc123", keyword="督办"
    )
    assert notification_deliver(notification_id=row.pk).status == "sent"
    (message,) = dingtalk.robot_messages
    assert message["msgtype"] == "markdown"
    assert message["markdown"]["title"].startswith("【督办】")
    assert message["at"] == {"atMobiles": ["13800000001"], "isAtAll": False}
    assert "@13800000001" in message["markdown"]["text"]
    assert f"https://siji.example.gov.cn/cases/{case.pk}/" in message["markdown"]["text"]


def test_dingtalk_robot_with_a_wrong_secret_is_refused_for_good(county, dingtalk):
    dingtalk.robot_secret = "SECright"
    _case, row = robot_row(county, dingtalk.robot_url(), robot="dingtalk", sign_secret="SECwrong")
    assert notification_deliver(notification_id=row.pk).status == "failed"
    row.refresh_from_db()
    assert "310000" in row.last_error and "sign not match" in row.last_error


def test_dingtalk_robot_without_the_keyword_would_be_dropped(county, dingtalk):
    dingtalk.robot_keywords = ["四进四问"]
    _case, row = robot_row(county, dingtalk.robot_url(), robot="dingtalk")
    assert notification_deliver(notification_id=row.pk).status == "failed"
    assert dingtalk.robot_messages == []


def test_the_signature_is_the_documented_one():
    # timestamp + "\n" + secret, HMAC-SHA256 keyed by the secret, base64, then URL-encoded.
    assert dingtalk_sign(1_700_000_000_000, "SEC") == "r+2we0q01lkZqz38LA5IPNbHN81U1leRf3Au4PSQb6Q="
    url = signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=t", "SEC", now=1_700_000_000
    )
    assert url.endswith(
        "&timestamp=1700000000000&sign=r%2B2we0q01lkZqz38LA5IPNbHN81U1leRf3Au4PSQb6Q%3D"
    )


def test_wecom_robot_markdown_ats_a_bound_clerk_by_userid(county, wecom):
    VendorIdentity.objects.create(user=county.dan, vendor="wecom", vendor_userid="dan-wx")
    _case, row = robot_row(county, wecom.robot_url(), robot="wecom")
    assert notification_deliver(notification_id=row.pk).status == "sent"
    (message,) = wecom.robot_messages
    assert message["msgtype"] == "markdown"
    assert message["markdown"]["content"].startswith(f"**{row.title}**")
    assert "<@dan-wx>" in message["markdown"]["content"]


def test_wecom_robot_ats_a_clerk_known_only_by_mobile_with_the_text_message(county, wecom):
    _case, row = robot_row(county, wecom.robot_url(), robot="wecom")
    assert notification_deliver(notification_id=row.pk).status == "sent"
    (message,) = wecom.robot_messages
    assert message["msgtype"] == "text"
    assert message["text"]["mentioned_mobile_list"] == ["13800000001"]


def test_no_mentions_when_the_head_turned_them_off(county, wecom):
    _case, row = robot_row(county, wecom.robot_url(), robot="wecom", mention_clerks=False)
    notification_deliver(notification_id=row.pk)
    (message,) = wecom.robot_messages
    assert message["msgtype"] == "markdown" and "<@" not in message["markdown"]["content"]


def test_wecom_robot_rate_limit_is_retried(county, wecom):
    wecom.robot_failures.append(45009)
    _case, row = robot_row(county, wecom.robot_url(), robot="wecom")
    assert notification_deliver(notification_id=row.pk).status == "retry"


def test_the_generic_robot_still_gets_text_with_msgid(county, wecom):
    _case, row = robot_row(county, wecom.robot_url())
    notification_deliver(notification_id=row.pk)
    (message,) = wecom.robot_messages
    assert message["msgtype"] == "text" and message["msgid"] == row.dedup_key
