"""Staff sign in with 企业微信 or 钉钉: to the vendor with a single-use state, back with a code the
vendor (a stand-in on 127.0.0.1) turns into a userid, matched by the bound id or by mobile."""

from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from enterprises.models import DepartmentStaff
from notifications.models import VendorIdentity

pytestmark = pytest.mark.django_db

WXWORK_UA = "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile wxwork/4.1.20 MicroMessenger/7.0.1"
DINGTALK_UA = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 AliApp(DingTalk/7.0.40)"


def start(client, vendor, next_url="/cases/", **headers):
    response = client.get(reverse("signin:vendor", args=[vendor]), {"next": next_url}, **headers)
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    return url, {k: v[0] for k, v in parse_qs(url.query).items()}


def come_back(client, query, code, *, code_name="code"):
    callback = urlsplit(query["redirect_uri"])
    return client.get(callback.path, {code_name: code, "state": query["state"]})


@pytest.fixture
def dan_mobile(county):
    DepartmentStaff.objects.filter(user=county.dan).update(phone="139 0000 1111")
    return "13900001111"


def test_wecom_scan_login_binds_by_mobile_then_by_userid(client, county, wecom, dan_mobile):
    wecom.users["zhangdan"] = dan_mobile
    url, query = start(client, "wecom", next_url="/cases/")
    assert url.netloc == "login.work.weixin.qq.com" and url.path == "/wwlogin/sso/login"
    assert query["login_type"] == "CorpApp"
    assert (query["appid"], query["agentid"]) == (wecom.corp_id, wecom.agent_id)
    assert query["redirect_uri"].endswith("/signin/wecom/callback/")
    wecom.codes["scan-code-1"] = "zhangdan"
    response = come_back(client, query, "scan-code-1")
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.session["_auth_user_id"] == str(county.dan.pk)
    assert VendorIdentity.objects.get(vendor="wecom").user == county.dan
    # Next time the bound id decides, even with the mobile gone from the address book.
    client.logout()
    wecom.users["zhangdan"] = ""
    _url, query = start(client, "wecom")
    wecom.codes["scan-code-2"] = "zhangdan"
    assert come_back(client, query, "scan-code-2").status_code == 302
    assert client.session["_auth_user_id"] == str(county.dan.pk)


def test_inside_wecom_the_login_is_silent_oauth(client, county, wecom):
    VendorIdentity.objects.create(user=county.hu, vendor="wecom", vendor_userid="huhead")
    wecom.users["huhead"] = ""
    url, query = start(client, "wecom", next_url="/cases/7/", HTTP_USER_AGENT=WXWORK_UA)
    assert url.netloc == "open.weixin.qq.com" and url.path == "/connect/oauth2/authorize"
    assert query["scope"] == "snsapi_base" and url.fragment == "wechat_redirect"
    wecom.codes["silent"] = "huhead"
    response = come_back(client, query, "silent")
    assert response["Location"] == "/cases/7/"
    assert client.session["_auth_user_id"] == str(county.hu.pk)


def test_dingtalk_scan_login_through_oauth2(client, county, dingtalk, dan_mobile):
    dingtalk.users["ding-dan"] = dan_mobile
    url, query = start(client, "dingtalk", next_url="/notifications/")
    assert url.netloc == "login.dingtalk.com" and url.path == "/oauth2/auth"
    assert query["client_id"] == dingtalk.app_key and query["response_type"] == "code"
    dingtalk.login_codes["auth-1"] = "ding-dan"
    response = come_back(client, query, "auth-1", code_name="authCode")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert client.session["_auth_user_id"] == str(county.dan.pk)
    assert VendorIdentity.objects.get(vendor="dingtalk").vendor_userid == "ding-dan"


def test_dingtalk_in_app_survives_an_expired_token(client, county, dingtalk):
    VendorIdentity.objects.create(user=county.ren, vendor="dingtalk", vendor_userid="ding-ren")
    dingtalk.users["ding-ren"] = ""
    _url, query = start(client, "dingtalk", HTTP_USER_AGENT=DINGTALK_UA)
    from notifications.integrations import dingtalk_config
    from notifications.vendors.dingtalk import DingTalkClient

    DingTalkClient(dingtalk_config(None)).access_token()  # a token cached …
    dingtalk.expire_tokens()  # … that the vendor no longer accepts
    dingtalk.login_codes["auth-2"] = "ding-ren"
    assert come_back(client, query, "auth-2", code_name="authCode").status_code == 302
    assert client.session["_auth_user_id"] == str(county.ren.pk)


def test_a_deactivated_account_cannot_sign_in(client, county, wecom):
    VendorIdentity.objects.create(user=county.dan, vendor="wecom", vendor_userid="zhangdan")
    county.dan.is_active = False
    county.dan.save()
    _url, query = start(client, "wecom")
    wecom.codes["c"] = "zhangdan"
    response = come_back(client, query, "c")
    assert response.status_code == 403
    assert "您的账号已停用" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_deactivated_account_is_not_bound_by_mobile(client, county, wecom, dan_mobile):
    county.dan.is_active = False
    county.dan.save()
    wecom.users["zhangdan"] = dan_mobile
    _url, query = start(client, "wecom")
    wecom.codes["c"] = "zhangdan"
    assert "您的账号已停用" in come_back(client, query, "c").content.decode()
    assert not VendorIdentity.objects.exists()


def test_an_unmatched_member_gets_a_clear_page(client, county, wecom):
    wecom.users["stranger"] = "13600002222"
    _url, query = start(client, "wecom")
    wecom.codes["c"] = "stranger"
    response = come_back(client, query, "c")
    assert response.status_code == 403
    body = response.content.decode()
    assert "没有对应的本平台账号" in body and "stranger" in body
    assert "_auth_user_id" not in client.session


def test_two_accounts_with_one_mobile_match_neither(client, county, wecom, dan_mobile):
    DepartmentStaff.objects.filter(user=county.ren).update(phone=dan_mobile)
    wecom.users["zhangdan"] = dan_mobile
    _url, query = start(client, "wecom")
    wecom.codes["c"] = "zhangdan"
    assert come_back(client, query, "c").status_code == 403
    assert not VendorIdentity.objects.exists()


def test_an_account_bound_to_another_member_is_refused(client, county, wecom, dan_mobile):
    VendorIdentity.objects.create(user=county.dan, vendor="wecom", vendor_userid="old-dan")
    wecom.users["imposter"] = dan_mobile
    _url, query = start(client, "wecom")
    wecom.codes["c"] = "imposter"
    response = come_back(client, query, "c")
    assert "已绑定另一个企业微信账号" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_state_is_single_use_and_must_match(client, county, wecom):
    VendorIdentity.objects.create(user=county.dan, vendor="wecom", vendor_userid="zhangdan")
    wecom.users["zhangdan"] = ""
    _url, query = start(client, "wecom")
    wecom.codes["c1"] = "zhangdan"
    forged = dict(query, state="attacker-state")
    assert come_back(client, forged, "c1").status_code == 400  # and the real state is now gone
    wecom.codes["c2"] = "zhangdan"
    response = come_back(client, query, "c2")
    assert response.status_code == 400
    assert "登录请求已失效" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_callback_without_a_started_login_is_refused(client, county, wecom):
    wecom.codes["c"] = "zhangdan"
    response = client.get(
        reverse("signin:vendor_callback", args=["wecom"]), {"code": "c", "state": "x"}
    )
    assert response.status_code == 400


def test_a_code_the_vendor_rejects_is_a_clear_page(client, county, wecom):
    _url, query = start(client, "wecom")
    response = come_back(client, query, "never-issued")
    assert response.status_code == 403
    assert "企业微信未能确认您的身份" in response.content.decode()


def test_a_locked_out_account_stays_locked_out(client, county, wecom, settings):
    VendorIdentity.objects.create(user=county.dan, vendor="wecom", vendor_userid="zhangdan")
    wecom.users["zhangdan"] = ""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "dan", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="dan").exists()
    _url, query = start(client, "wecom")
    wecom.codes["c"] = "zhangdan"
    response = come_back(client, query, "c")
    assert "账号已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_not_configured_offers_nothing(client, county, settings):
    settings.WECOM_CORP_ID = settings.WECOM_SECRET = ""
    settings.DINGTALK_APP_KEY = ""
    response = client.get(reverse("signin:vendor", args=["wecom"]))
    assert response.status_code == 404
    page = client.get(reverse("login")).content.decode()
    assert "扫码登录" not in page and 'id="signin-sms"' in page
    assert client.get("/signin/weibo/").status_code == 404


def test_the_login_page_offers_the_configured_vendors(client, wecom, dingtalk):
    page = client.get(reverse("login"), {"next": "/cases/3/"}).content.decode()
    assert "企业微信扫码登录" in page and "钉钉扫码登录" in page
    from counties.models import home_county_id

    assert f"/signin/wecom/?county={home_county_id()}&amp;next=/cases/3/" in page


def test_an_offsite_next_is_ignored(client, county, wecom):
    VendorIdentity.objects.create(user=county.dan, vendor="wecom", vendor_userid="zhangdan")
    wecom.users["zhangdan"] = ""
    _url, query = start(client, "wecom", next_url="https://evil.example/x")
    wecom.codes["c"] = "zhangdan"
    assert come_back(client, query, "c")["Location"] == reverse("home")


def test_a_cards_link_opens_the_case_signed_in_inside_wecom(client, county, wecom, settings):
    """The link of a 企业微信 card (notifications.channels.vendor) signs the clerk in silently and
    lands on the case."""
    from notifications.channels.vendor import card_for
    from notifications.models import Notification

    case = county.assigned()
    VendorIdentity.objects.create(user=county.dan, vendor="wecom", vendor_userid="zhangdan")
    wecom.users["zhangdan"] = ""
    settings.SITE_URL = "http://testserver"
    card = card_for(Notification(case_id=case.pk, title=case.title, body=""), "wecom")
    link = urlsplit(card.url)
    response = client.get(link.path + "?" + link.query, HTTP_USER_AGENT=WXWORK_UA)
    query = {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}
    assert query["scope"] == "snsapi_base"
    wecom.codes["from-card"] = "zhangdan"
    response = come_back(client, query, "from-card")
    assert response["Location"] == f"/cases/{case.pk}/"
    assert client.get(response["Location"]).status_code == 200
