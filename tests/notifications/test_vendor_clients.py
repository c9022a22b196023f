"""The 企业微信 and 钉钉 clients against their stand-ins on 127.0.0.1: tokens cached and refreshed
when the service says they expired, messages in the documented shape, errors sorted into "try
again later" and "never", and the user lookups sign-in needs."""

import pytest

from notifications.integrations import dingtalk_config, wecom_config
from notifications.vendors import Card, VendorError
from notifications.vendors.dingtalk import DingTalkClient
from notifications.vendors.wecom import WeComClient

pytestmark = pytest.mark.django_db

CARD = Card("【督办】电压不稳", "请于今日联系企业", "https://siji.example/cases/7/", "查看详情")


def test_wecom_token_is_fetched_once_and_cached(wecom):
    wecom.users["dan"] = "13800000001"
    client = WeComClient(wecom_config(None))
    client.send_app_message(["dan"], CARD)
    WeComClient(wecom_config(None)).send_app_message(["dan"], CARD)
    assert wecom.token_requests == 1
    assert len(wecom.messages) == 2


def test_wecom_app_message_is_a_textcard_to_the_agent(wecom):
    wecom.users["dan"] = "13800000001"
    WeComClient(wecom_config(None)).send_app_message(["dan"], CARD)
    (message,) = wecom.messages
    assert message["touser"] == "dan"
    assert message["agentid"] == int(wecom.agent_id)
    assert message["textcard"] == {
        "title": CARD.title,
        "description": CARD.description,
        "url": CARD.url,
        "btntxt": "查看详情",
    }


def test_wecom_expired_token_is_refreshed_and_the_call_made_again(wecom):
    wecom.users["dan"] = "13800000001"
    client = WeComClient(wecom_config(None))
    client.send_app_message(["dan"], CARD)
    wecom.expire_tokens()  # the service now answers 42001 to the cached token
    client.send_app_message(["dan"], CARD)
    assert wecom.token_requests == 2
    assert len(wecom.messages) == 2


@pytest.mark.parametrize("code", [45009, 45033, -1])
def test_wecom_rate_limits_and_busy_are_temporary(wecom, code):
    wecom.users["dan"] = "1"
    wecom.fail_next(code)
    with pytest.raises(VendorError) as raised:
        WeComClient(wecom_config(None)).send_app_message(["dan"], CARD)
    assert raised.value.temporary and raised.value.code == code


def test_wecom_unknown_user_and_no_privilege_are_permanent(wecom):
    with pytest.raises(VendorError) as unknown:
        WeComClient(wecom_config(None)).send_app_message(["nobody"], CARD)
    assert not unknown.value.temporary and unknown.value.code == 81013
    wecom.users["dan"] = "1"
    wecom.fail_next(60011)
    with pytest.raises(VendorError) as refused:
        WeComClient(wecom_config(None)).send_app_message(["dan"], CARD)
    assert not refused.value.temporary and "60011" in str(refused.value)


def test_wecom_wrong_secret_is_permanent(wecom, settings):
    settings.WECOM_SECRET = "not-the-secret"
    with pytest.raises(VendorError) as raised:
        WeComClient(wecom_config(None)).access_token()
    assert raised.value.code == 40001 and not raised.value.temporary


def test_wecom_unreachable_service_is_temporary(wecom, settings):
    settings.WECOM_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port
    with pytest.raises(VendorError) as raised:
        WeComClient(wecom_config(None)).access_token()
    assert raised.value.temporary


def test_wecom_code_to_userid_and_mobile(wecom):
    wecom.users["dan"] = "13800000001"
    wecom.codes["CODE1"] = "dan"
    client = WeComClient(wecom_config(None))
    assert client.user_id_from_code("CODE1") == "dan"
    assert client.user_mobile("dan") == "13800000001"
    with pytest.raises(VendorError) as reused:
        client.user_id_from_code("CODE1")  # codes are single use
    assert reused.value.code == 40029 and not reused.value.temporary


def test_dingtalk_work_notice_is_an_action_card_with_a_cached_token(dingtalk):
    dingtalk.users["dan"] = "13800000001"
    client = DingTalkClient(dingtalk_config(None))
    client.send_work_notice(["dan"], CARD)
    DingTalkClient(dingtalk_config(None)).send_work_notice(["dan"], CARD)
    assert dingtalk.token_requests == 1
    notice = dingtalk.notices[0]
    assert notice["agent_id"] == int(dingtalk.agent_id) and notice["userid_list"] == "dan"
    card = notice["msg"]["action_card"]
    assert notice["msg"]["msgtype"] == "action_card"
    assert card["single_url"] == CARD.url and card["title"] == CARD.title
    assert CARD.description in card["markdown"]


def test_dingtalk_expired_token_is_refreshed(dingtalk):
    dingtalk.users["dan"] = "1"
    client = DingTalkClient(dingtalk_config(None))
    client.send_work_notice(["dan"], CARD)
    dingtalk.expire_tokens()
    client.send_work_notice(["dan"], CARD)
    assert dingtalk.token_requests == 2 and len(dingtalk.notices) == 2


def test_dingtalk_errors_sorted(dingtalk):
    dingtalk.users["dan"] = "1"
    client = DingTalkClient(dingtalk_config(None))
    dingtalk.fail_next(90018)
    with pytest.raises(VendorError) as limited:
        client.send_work_notice(["dan"], CARD)
    assert limited.value.temporary
    with pytest.raises(VendorError) as unknown:
        client.send_work_notice(["nobody"], CARD)
    assert unknown.value.code == 33012 and not unknown.value.temporary


def test_dingtalk_sign_in_lookups(dingtalk):
    dingtalk.users["dan"] = "13800000001"
    dingtalk.codes["MIANDENG"] = "dan"
    dingtalk.login_codes["SCAN"] = "dan"
    client = DingTalkClient(dingtalk_config(None))
    assert client.user_id_from_code("MIANDENG") == "dan"
    assert client.user_id_from_login_code("SCAN") == "dan"
    assert client.user_mobile("dan") == "13800000001"
    with pytest.raises(VendorError):
        client.user_id_from_login_code("SCAN")  # used
    with pytest.raises(VendorError) as unknown:
        client.user_mobile("ghost")
    assert unknown.value.code == 60121


def test_configs_are_none_until_complete(settings):
    for name in ("WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET", "DINGTALK_APP_KEY"):
        setattr(settings, name, "")
    assert wecom_config(None) is None and dingtalk_config(None) is None
