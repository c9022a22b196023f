"""The office's integration settings page (secrets write-only, the environment's defaults shown) and its list of
deliveries the vendors refused, with their message and a way to send again."""

import pytest
from django.urls import reverse

from notifications.delivery import notification_deliver
from notifications.integrations import county_settings, dingtalk_config, wecom_config
from notifications.models import Notification, VendorIdentity

pytestmark = pytest.mark.django_db

URL = "/office/integrations/"

FILLED = {
    "wecom_corp_id": "ww0123",
    "wecom_agent_id": "1000002",
    "wecom_secret": "s3cret-wecom-VALUE",
    "dingtalk_app_key": "dingkey",
    "dingtalk_app_secret": "s3cret-ding-VALUE",
    "dingtalk_agent_id": "2000001",
    "dingtalk_corp_id": "dingcorp",
    "sms_provider": "aliyun",
    "sms_access_key_id": "LTAI",
    "sms_access_key_secret": "s3cret-sms-VALUE",
    "sms_sign_name": "进贤县",
    "sms_template_login": "SMS_1",
    "sms_template_notice": "SMS_2",
    "leader_daily_digest": "on",
}


@pytest.fixture(autouse=True)
def no_environment(settings):
    for name in (
        "WECOM_CORP_ID WECOM_AGENT_ID WECOM_SECRET DINGTALK_APP_KEY DINGTALK_APP_SECRET "
        "DINGTALK_AGENT_ID DINGTALK_CORP_ID SMS_PROVIDER SMS_ACCESS_KEY_ID SMS_ACCESS_KEY_SECRET "
        "SMS_SIGN_NAME SMS_TEMPLATE_LOGIN SMS_TEMPLATE_NOTICE"
    ).split():
        setattr(settings, name, "")


def test_the_office_saves_the_settings_and_never_sees_a_secret_again(office_client):
    answer = office_client.post(URL, FILLED)
    assert answer.status_code == 302
    assert wecom_config(None).secret == "s3cret-wecom-VALUE"
    assert dingtalk_config(None).agent_id == "2000001"
    page = office_client.get(URL).content.decode()
    for secret in ("s3cret-wecom-VALUE", "s3cret-ding-VALUE", "s3cret-sms-VALUE"):
        assert secret not in page
    assert page.count("已设置（不显示）") >= 3
    assert 'value="ww0123"' in page


def test_an_empty_secret_keeps_the_saved_one_and_clearing_forgets_it(office_client):
    office_client.post(URL, FILLED)
    office_client.post(URL, {**FILLED, "wecom_secret": "", "wecom_corp_id": "ww9999"})
    row = county_settings(None)
    assert (row.wecom_corp_id, row.wecom_secret) == ("ww9999", "s3cret-wecom-VALUE")
    office_client.post(reverse("office:integration_clear", args=["wecom_secret"]))
    assert county_settings(None).wecom_secret == "" and wecom_config(None) is None


def test_a_bad_agent_id_is_named_and_nothing_is_saved(office_client):
    answer = office_client.post(URL, {**FILLED, "wecom_agent_id": "abc"})
    assert answer.status_code == 200
    assert "AgentId 是一串数字，“abc”不是。" in answer.content.decode()
    assert county_settings(None).wecom_secret == ""


def test_the_environment_is_a_default_the_countys_own_account_wins_over(office_client, settings):
    settings.WECOM_CORP_ID, settings.WECOM_AGENT_ID = "ww-from-env", "9"
    settings.WECOM_SECRET = "env-secret"
    page = office_client.get(URL).content.decode()  # nothing saved: the environment's corp
    assert wecom_config(None).corp_id == "ww-from-env"
    assert "使用环境变量 WECOM_CORP_ID 的值" in page
    assert "env-secret" not in page
    office_client.post(URL, FILLED)  # the county's own corp: none of the environment's values
    assert wecom_config(None) == wecom_config(None).__class__(
        corp_id="ww0123",
        agent_id="1000002",
        secret="s3cret-wecom-VALUE",
        api_base=settings.WECOM_API_BASE.rstrip("/"),
    )
    page = office_client.get(URL).content.decode()
    assert "WECOM_CORP_ID" not in page and 'value="ww0123"' in page


def test_only_the_office_may_open_the_pages(client, county):
    client.force_login(county.dan)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("office:failed_deliveries")).status_code == 403


def test_a_refused_work_notice_is_listed_with_the_vendors_message_and_sent_again(
    office_client, county, dingtalk, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr("notifications.outbox._send_task", lambda pk, c: queued.append(pk))
    VendorIdentity.objects.create(user=county.dan, vendor="dingtalk", vendor_userid="dan-dd")
    county.assigned()
    row = Notification.objects.get(channel="dingtalk")
    assert notification_deliver(notification_id=row.pk).status == "failed"  # unknown to 钉钉

    page = office_client.get(reverse("office:failed_deliveries")).content.decode()
    assert f'id="failed-{row.pk}"' in page and "无效的userid" in page and "33012" in page

    dingtalk.users["dan-dd"] = "13800000001"  # the office adds dan to the app's scope
    with django_capture_on_commit_callbacks(execute=True):
        office_client.post(reverse("office:retry_delivery", args=[row.pk]))
    assert row.pk in queued
    assert notification_deliver(notification_id=row.pk).status == "sent"
    assert len(dingtalk.notices) == 1
    page = office_client.get(reverse("office:failed_deliveries")).content.decode()
    assert f'id="failed-{row.pk}"' not in page
