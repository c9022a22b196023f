"""The sign-in choices in a browser: an enterprise contact signs in with a code by SMS on a phone
(the code read from the stand-in 阿里云 短信), the desktop page offers 扫码登录 for the configured
vendors; both pages pass axe (WCAG 2.1 AA) and fit a 390 px phone."""

import pytest

from enterprises.models import EnterpriseContact
from tests.browser.conftest import DESKTOP, PHONE_390, fits, screenshot
from tests.browser.test_accessibility import axe_violations, with_axe
from tests.signin import conftest as signin_fixtures
from tests.standins import fixtures as standin_fixtures

# The stand-ins' fixtures, as tests/signin has them.
aliyun_sms = signin_fixtures.aliyun_sms
wecom, dingtalk = standin_fixtures.wecom, standin_fixtures.dingtalk

TABLET = {"width": 1024, "height": 800}


@pytest.fixture
def axe_page(chromium, live_server):
    contexts = []

    def _open(viewport):
        context = chromium.new_context(viewport=viewport, locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return with_axe(context).new_page()

    yield _open
    for context in contexts:
        context.close()


def test_a_contact_signs_in_with_an_sms_code_on_a_phone(county, aliyun_sms, axe_page):
    EnterpriseContact.objects.filter(user=county.eva).update(phone="13812345678")
    page = axe_page(PHONE_390)
    page.goto("/accounts/login/")
    page.click("#signin-sms")
    assert fits(page) and axe_violations(page) == []
    screenshot(page, "signin-sms-phone")
    page.fill("#sms-phone", "13812345678")
    page.click("#sms-send")
    assert "验证码已发送" in page.locator("#sms-sent").inner_text()
    assert fits(page) and axe_violations(page) == []
    screenshot(page, "signin-sms-sent-phone")
    [code] = aliyun_sms.codes_sent_to("13812345678")
    page.fill("#sms-code", "000000" if code != "000000" else "111111")
    page.click("#sms-login")
    assert "验证码不正确或已失效" in page.locator("#sms-code-error").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "signin-sms-wrong-phone")
    page.fill("#sms-code", code)
    page.press("#sms-code", "Enter")  # Enter signs in (it does not ask for another code)
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url and "/signin/" not in page.url
    assert page.url.endswith("/portal/")  # where an enterprise contact lands


@pytest.mark.parametrize("viewport", [PHONE_390, TABLET, DESKTOP], ids=["390", "1024", "1280"])
def test_the_login_page_offers_scan_login_when_configured(
    county, wecom, dingtalk, axe_page, viewport
):
    page = axe_page(viewport)
    page.goto("/accounts/login/")
    # One button per county that offers the vendor, named by the county when there are several
    # (the environment's app serves every county: the person picks theirs, whose staff it matches).
    for vendor, label in (("wecom", "企业微信扫码登录"), ("dingtalk", "钉钉扫码登录")):
        buttons = page.locator(f"[id^='signin-{vendor}']")
        texts = [text.strip() for text in buttons.all_inner_texts()]
        assert texts and all(text.startswith(label) for text in texts), texts
    assert fits(page) and axe_violations(page) == []
    screenshot(page, f"signin-login-{viewport['width']}")
    page.click("#signin-sms")
    assert fits(page) and axe_violations(page) == []
    screenshot(page, f"signin-sms-{viewport['width']}")
