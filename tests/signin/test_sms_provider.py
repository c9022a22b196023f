"""The 阿里云 短信 backend: the documented signature, and SendSms against a stand-in that checks it."""

import json

import pytest

from notifications.channels import PermanentFailure, TemporaryFailure
from notifications.channels.sms import SmsTransport
from notifications.channels.sms_providers import AliyunSmsBackend, aliyun_signature
from notifications.integrations import sms_config
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_signature_matches_the_providers_documented_example():
    # The worked example of Alibaba Cloud's "signature mechanism" page (RPC, version 1.0).
    params = {
        "TimeStamp": "2016-02-23T12:46:24Z",
        "Format": "XML",
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "Version": "2014-05-26",
        "SignatureVersion": "1.0",
    }
    assert aliyun_signature(params, "testsecret") == "CT9X0VtwR86fNWSnsc6v8YGOjuE="


def test_signature_encodes_spaces_stars_and_chinese_as_documented():
    # %20 not +, %2A for *, ~ kept, UTF-8 percent-encoded: a different encoding signs differently.
    params = {"A": "a b*c~", "SignName": "进贤县"}
    plus_encoded = aliyun_signature({"A": "a+b*c~", "SignName": "进贤县"}, "s")
    assert aliyun_signature(params, "s") != plus_encoded
    assert aliyun_signature(params, "s") == aliyun_signature(dict(reversed(params.items())), "s")


def test_a_code_is_sent_through_the_login_template(aliyun_sms):
    AliyunSmsBackend().send_code(phone="13812345678", code="042917")
    [sent] = aliyun_sms.sent
    assert sent["PhoneNumbers"] == "13812345678"
    assert sent["TemplateCode"] == "SMS_100000001"
    assert sent["SignName"] == "进贤县四进四问"
    assert json.loads(sent["TemplateParam"]) == {"code": "042917"}


def test_a_notice_goes_through_the_outbox_transport_with_the_notice_template(aliyun_sms, county):
    from enterprises.models import DepartmentStaff

    DepartmentStaff.objects.filter(user=county.dan).update(phone="139 0000 1111")
    notification = Notification(
        channel=Notification.Channel.SMS,
        user=county.dan,
        title="【督办】电压不稳，无法满负荷生产 已超期",
        dedup_key="case:1:reminder:2:sms:dan",
    )
    SmsTransport().send(notification)
    [sent] = aliyun_sms.sent
    assert sent["PhoneNumbers"] == "13900001111"
    assert sent["TemplateCode"] == "SMS_100000002"
    assert json.loads(sent["TemplateParam"])["title"].startswith("【督办】电压不稳")
    assert sent["OutId"] == "case:1:reminder:2:sms:dan"


def test_a_wrong_secret_is_refused_by_the_signature_check(aliyun_sms, settings):
    settings.SMS_ACCESS_KEY_SECRET = "not-the-secret"
    with pytest.raises(PermanentFailure, match="SignatureDoesNotMatch"):
        AliyunSmsBackend().send_code(phone="13812345678", code="123456")
    assert aliyun_sms.sent == []


def test_flow_control_is_temporary_and_a_refused_template_permanent(aliyun_sms, settings):
    aliyun_sms.fail_next("isv.BUSINESS_LIMIT_CONTROL")
    with pytest.raises(TemporaryFailure, match="BUSINESS_LIMIT_CONTROL"):
        AliyunSmsBackend().send_code(phone="13812345678", code="123456")
    settings.SMS_TEMPLATE_LOGIN = "SMS_UNKNOWN"
    with pytest.raises(PermanentFailure, match="isv.SMS_TEMPLATE_ILLEGAL"):
        AliyunSmsBackend().send_code(phone="13812345678", code="123456")
    assert aliyun_sms.sent == []


def test_every_request_has_a_fresh_nonce(aliyun_sms):
    backend = AliyunSmsBackend()
    backend.send_code(phone="13812345678", code="111111")
    backend.send_code(phone="13812345678", code="222222")
    assert len({p["SignatureNonce"] for p in aliyun_sms.sent}) == 2


def test_unreachable_provider_is_temporary(settings, aliyun_sms):
    settings.SMS_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(TemporaryFailure, match="unreachable"):
        AliyunSmsBackend().send_code(phone="13812345678", code="123456")


def test_without_an_account_nothing_is_sent(settings):
    settings.SMS_PROVIDER = ""
    assert sms_config(None) is None or sms_config(None).provider != "aliyun"
    with pytest.raises(PermanentFailure, match="not configured"):
        AliyunSmsBackend().send_code(phone="13812345678", code="123456")


def test_the_offices_saved_provider_chooses_the_backend_unless_one_is_named(settings, county):
    from notifications.channels.sms import ConsoleSmsBackend, sms_backend
    from notifications.integrations import integration_settings_save

    settings.SMS_BACKEND = ""
    assert isinstance(sms_backend(None), ConsoleSmsBackend)  # nothing configured: the console
    integration_settings_save(
        user=county.office,
        county_id=None,
        values={
            "sms_provider": "aliyun",
            "sms_access_key_id": "LTAI-office",
            "sms_access_key_secret": "saved-secret",
            "sms_sign_name": "进贤县四进四问",
            "sms_template_login": "SMS_1",
        },
    )
    backend = sms_backend(None)
    assert isinstance(backend, AliyunSmsBackend)
    assert backend.config.access_key_id == "LTAI-office"
    settings.SMS_BACKEND = "notifications.channels.sms.ConsoleSmsBackend"
    assert isinstance(sms_backend(None), ConsoleSmsBackend)  # named in the environment: that one
