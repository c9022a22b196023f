"""Integration settings per county (issue 22): each county's office keeps its own 企业微信, 钉钉 and
SMS settings, sees and edits only those, and every message is sent with the settings of the county
of its case (else of its recipient) — county A's account never carries county B's messages."""

import pytest
from django.urls import reverse

from notifications import integrations
from notifications.channels import PermanentFailure
from notifications.channels import vendor as vendor_channel
from notifications.channels.sms import SmsTransport
from notifications.channels.sms_providers import AliyunSmsBackend
from notifications.integrations import (
    county_settings,
    integration_settings_save,
    leader_daily_digest,
    wecom_config,
)
from notifications.models import IntegrationSettings, Notification, VendorIdentity
from notifications.people import with_vendor_rows
from tests.office.test_integrations import FILLED, URL, no_environment  # noqa: F401

pytestmark = pytest.mark.django_db


def save(place_user, county_id, **values):
    return integration_settings_save(user=place_user, county_id=county_id, values=values)


def a_and_b(county, second_county):
    a, b = county.steel.county_id, second_county.steel.county_id
    save(county.office, a, wecom_corp_id="ww-A", wecom_agent_id="1", wecom_secret="sa")
    save(second_county.office, b, wecom_corp_id="ww-B", wecom_agent_id="2", wecom_secret="sb")
    for county_id, key in ((a, "LTAI-A"), (b, "LTAI-B")):
        save(
            None,
            county_id,
            sms_provider="aliyun",
            sms_access_key_id=key,
            sms_access_key_secret="secret",
            sms_sign_name="四进四问",
            sms_template_notice="SMS_2",
        )
    return a, b


def message(user, case=None, channel=Notification.Channel.WECOM) -> Notification:
    return Notification.objects.create(
        user=user,
        case=case,
        channel=channel,
        kind=Notification.Kind.REMINDER,
        title="【督办】逾期1个工作日未对接企业",
        dedup_key=f"test:{channel}:{user.pk}:{case.pk if case else 0}",
    )


def test_each_county_has_its_own_row_made_on_first_use(county, second_county):
    a, b = county.steel.county_id, second_county.steel.county_id
    assert not IntegrationSettings.objects.exists()
    assert county_settings(b).county_id == b
    assert county_settings(None).county_id == a  # one county's installation never names it
    assert county_settings(b).pk == county_settings(b).pk
    assert IntegrationSettings.objects.count() == 2


def test_a_message_goes_through_its_own_countys_wecom_app(county, second_county, monkeypatch):
    a, b = a_and_b(county, second_county)
    used = []

    class Client:
        def __init__(self, config):
            self.config = config

        def send_app_message(self, userids, card):
            used.append((self.config.corp_id, userids, card.url))

    monkeypatch.setattr(vendor_channel, "WeComClient", Client)
    VendorIdentity.objects.create(user=county.dan, vendor="wecom", vendor_userid="dan-a")
    VendorIdentity.objects.create(user=second_county.dan, vendor="wecom", vendor_userid="dan-b")
    case_b = second_county.assigned()
    vendor_channel.WeComTransport().send(message(second_county.dan, case_b))
    vendor_channel.WeComTransport().send(message(county.dan))  # no case: the recipient's county
    assert [(corp, ids) for corp, ids, _url in used] == [("ww-B", ["dan-b"]), ("ww-A", ["dan-a"])]
    assert f"county={b}" in used[0][2]  # the card signs in through 修水县's own app

    IntegrationSettings.objects.filter(county_id=b).update(wecom_secret="")
    with pytest.raises(PermanentFailure):  # 修水县 has none: 进贤县's is never borrowed
        vendor_channel.WeComTransport().send(message(second_county.hu, case_b))
    assert wecom_config(a) is not None


def test_vendor_rows_are_written_only_where_the_messages_county_has_the_vendor(
    county, second_county
):
    a, _b = county.steel.county_id, second_county.steel.county_id
    save(county.office, a, wecom_corp_id="ww-A", wecom_agent_id="1", wecom_secret="sa")
    for user in (county.dan, second_county.dan):
        VendorIdentity.objects.create(user=user, vendor="wecom", vendor_userid=user.username)
    case_a, case_b = county.assigned(), second_county.assigned()
    rows = [
        Notification(
            user=user,
            case_id=case.pk,
            channel=Notification.Channel.IN_APP,
            kind=Notification.Kind.REMINDER,
            title="t",
            dedup_key=f"k{case.pk}:in_app:{user.pk}",
        )
        for user, case in ((county.dan, case_a), (second_county.dan, case_b))
    ]
    extra = with_vendor_rows(rows)[2:]
    assert [(row.user, row.channel) for row in extra] == [(county.dan, "wecom")]


def test_an_sms_goes_through_its_own_countys_account(county, second_county, monkeypatch, settings):
    settings.SMS_BACKEND = ""
    a_and_b(county, second_county)
    used = []
    monkeypatch.setattr(
        AliyunSmsBackend,
        "_send",
        lambda self, phone, template, variables, out_id: used.append(self.config.access_key_id),
    )
    from enterprises.models import DepartmentStaff

    DepartmentStaff.objects.filter(user__in=[county.dan, second_county.dan]).update(
        phone="13812345678"
    )
    sms = Notification.Channel.SMS
    SmsTransport().send(message(second_county.dan, second_county.assigned(), channel=sms))
    SmsTransport().send(message(county.dan, county.assigned(), channel=sms))
    assert used == ["LTAI-B", "LTAI-A"]


def test_the_leader_digest_choice_is_each_countys(county, second_county, settings):
    settings.LEADER_DAILY_DIGEST = None
    a, b = county.steel.county_id, second_county.steel.county_id
    save(second_county.office, b, leader_daily_digest=False)
    assert (leader_daily_digest(a), leader_daily_digest(b)) == (True, False)


def test_the_second_countys_office_sees_and_edits_only_its_own(client, county, second_county):
    a, b = county.steel.county_id, second_county.steel.county_id
    save(county.office, a, wecom_corp_id="ww-jinxian", wecom_agent_id="1", wecom_secret="sa")
    client.force_login(second_county.office)
    page = client.get(URL).content.decode()
    assert "ww-jinxian" not in page and "已设置（不显示）" not in page
    assert client.post(URL, {**FILLED, "wecom_corp_id": "ww-xiushui"}).status_code == 302
    assert county_settings(b).wecom_corp_id == "ww-xiushui"
    assert county_settings(a).wecom_corp_id == "ww-jinxian"
    client.post(reverse("office:integration_clear", args=["wecom_secret"]))
    assert county_settings(b).wecom_secret == "" and county_settings(a).wecom_secret == "sa"


def test_the_failed_deliveries_are_the_countys_own(client, county, second_county):
    failed = Notification.Status.FAILED
    mine = message(second_county.dan, second_county.assigned())
    theirs = message(county.dan, county.assigned())
    theirs_no_case = message(county.hu)
    Notification.objects.update(status=failed, last_error="errcode 60020 not allow to access")
    client.force_login(second_county.office)
    page = client.get(reverse("office:failed_deliveries")).content.decode()
    assert mine.case.number in page and theirs.case.number not in page
    for other in (theirs, theirs_no_case):
        answer = client.post(reverse("office:retry_delivery", args=[other.pk]))
        assert answer.status_code == 404
        other.refresh_from_db()
        assert other.status == failed


def test_the_login_page_offers_each_countys_app(client, county, second_county):
    a, b = county.steel.county_id, second_county.steel.county_id
    save(county.office, a, wecom_corp_id="ww-A", wecom_agent_id="1", wecom_secret="sa")
    save(second_county.office, b, wecom_corp_id="ww-B", wecom_agent_id="2", wecom_secret="sb")
    page = client.get(reverse("login")).content.decode()
    assert "企业微信扫码登录（进贤县）" in page and "企业微信扫码登录（修水县）" in page
    assert f"/signin/wecom/?county={b}" in page
    answer = client.get(reverse("signin:vendor", args=["wecom"]), {"county": b})
    assert "appid=ww-B" in answer["Location"]
    assert integrations.county_settings(b).wecom_corp_id == "ww-B"


def test_the_migration_gives_the_one_saved_row_to_the_first_county(county, second_county):
    """notifications.0011: the row the office had saved (pk 1, before counties) is 进贤县's."""
    import importlib

    from django.apps import apps

    step = importlib.import_module("notifications.migrations.0011_integration_settings_county")
    b = second_county.steel.county_id
    saved = IntegrationSettings.objects.create(county_id=b, wecom_corp_id="ww-saved")
    step.to_first_county(apps, None)
    saved.refresh_from_db()
    assert (saved.county_id, saved.wecom_corp_id) == (county.steel.county_id, "ww-saved")
    assert county_settings(b).wecom_corp_id == ""  # 修水县's own, made on first use


def test_the_environment_is_the_default_of_a_county_that_saved_no_account(
    client, county, second_county, settings
):
    """WECOM_* / DINGTALK_* / SMS_* name one account; a county that saved its own is never
    overridden by it, a county that saved none uses it (README: 企业微信, 钉钉 and SMS in a city)."""
    a, b = county.steel.county_id, second_county.steel.county_id
    settings.WECOM_CORP_ID, settings.WECOM_AGENT_ID, settings.WECOM_SECRET = "ww-env", "9", "se"
    settings.SMS_PROVIDER, settings.SMS_ACCESS_KEY_ID = "aliyun", "LTAI-env"
    settings.SMS_ACCESS_KEY_SECRET, settings.SMS_SIGN_NAME = "sms-secret", "南昌市"
    save(county.office, a, wecom_corp_id="ww-A", wecom_agent_id="1", wecom_secret="sa")
    assert (wecom_config(a).corp_id, wecom_config(a).agent_id, wecom_config(a).secret) == (
        "ww-A",
        "1",
        "sa",
    )
    assert (wecom_config(b).corp_id, wecom_config(b).secret) == ("ww-env", "se")
    # Each service alone: A saved no SMS account, so it uses the environment's.
    assert integrations.sms_config(a).access_key_id == "LTAI-env"
    assert "wecom_corp_id" not in integrations.environment_fields(a)
    assert integrations.environment_fields(a)["sms_access_key_id"] == "SMS_ACCESS_KEY_ID"
    assert integrations.environment_fields(b)["wecom_secret"] == "WECOM_SECRET"
    # A county's own account never takes a value it left empty from another corp's environment.
    save(second_county.office, b, wecom_corp_id="ww-B", wecom_agent_id="2")
    assert wecom_config(b) is None
    # The login page: each county's button goes to its own corp.
    answer = client.get(reverse("signin:vendor", args=["wecom"]), {"county": a})
    assert "appid=ww-A" in answer["Location"]


def test_a_county_that_saved_the_environments_account_takes_what_it_left_empty(county, settings):
    """A secret pinned outside the database: the county saved the corp id and agent id of the
    same corp the environment names, and the secret comes from the environment."""
    settings.WECOM_CORP_ID, settings.WECOM_SECRET = "ww-same", "pinned"
    save(county.office, None, wecom_corp_id="ww-same", wecom_agent_id="7")
    config = wecom_config(None)
    assert (config.corp_id, config.agent_id, config.secret) == ("ww-same", "7", "pinned")
    save(county.office, None, wecom_secret="saved")  # what the county saved wins
    assert wecom_config(None).secret == "saved"
