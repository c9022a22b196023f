"""The 企业微信/钉钉 settings walked in Chromium (issue 21): the office saves its 企业微信 app on a
1,024 px laptop and a 390 px phone and never sees the secret again; it reads a work notice 钉钉
refused, with 钉钉's own words; Dan chooses his channels; Hu sets his department's 钉钉 robot.
Each page fits its width and axe-core finds nothing serious on it."""

from __future__ import annotations

import pytest

from notifications.delivery import notification_deliver
from notifications.models import Notification, VendorIdentity
from tests.browser.conftest import PHONE_390, fits, login, screenshot
from tests.browser.test_accessibility import axe_violations, with_axe
from tests.standins.fixtures import dingtalk  # noqa: F401 — fixture

LAPTOP = {"width": 1024, "height": 800}

# 钉钉's stand-in, configured: it refuses the notice to an unknown userid.
pytestmark = pytest.mark.usefixtures("dingtalk")


@pytest.fixture(autouse=True)
def nothing_from_the_environment(settings):
    for name in ("WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET"):
        setattr(settings, name, "")


def checked(page, name: str) -> None:
    assert fits(page), page.url
    assert axe_violations(page) == [], (page.url, axe_violations(page))
    screenshot(page, name)


@pytest.mark.parametrize("viewport,size", [(LAPTOP, "1024"), (PHONE_390, "390")])
def test_the_office_sets_up_wecom_and_reads_a_refusal(
    county, open_browser, monkeypatch, viewport, size
):
    monkeypatch.setattr("notifications.outbox._send_task", lambda pk, c: None)
    VendorIdentity.objects.create(user=county.dan, vendor="dingtalk", vendor_userid="dan-left")
    county.assigned()
    refused = Notification.objects.get(channel="dingtalk")
    notification_deliver(notification_id=refused.pk)  # 钉钉: 33012 无效的userid

    page = open_browser(viewport=viewport)
    with_axe(page.context)
    login(page, "office")
    page.goto("/office/integrations/")
    page.fill("#id_wecom_corp_id", "ww0123456789")
    page.fill("#id_wecom_agent_id", "1000002")
    page.fill("#id_wecom_secret", "the-wecom-secret-value")
    page.click("#save-integrations")
    page.wait_for_load_state("networkidle")
    assert page.locator("#wecom-status").inner_text() == "已启用"
    assert page.locator("#wecom_secret-set").is_visible()
    assert "the-wecom-secret-value" not in page.content()
    checked(page, f"integrations-{size}")

    page.click("#to-failed-deliveries")
    page.wait_for_load_state("networkidle")
    row = page.locator(f"#failed-{refused.pk}")
    assert "无效的userid" in row.inner_text() and "钉钉" in row.inner_text()
    checked(page, f"failed-deliveries-{size}")


@pytest.mark.parametrize("viewport,size", [(LAPTOP, "1024"), (PHONE_390, "390")])
def test_dan_chooses_channels_and_hu_sets_a_dingtalk_robot(county, open_browser, viewport, size):
    VendorIdentity.objects.create(user=county.dan, vendor="dingtalk", vendor_userid="dan-dd")
    page = open_browser(viewport=viewport)
    with_axe(page.context)
    login(page, "dan")
    page.goto("/notifications/")
    page.click("#to-channels")
    page.wait_for_load_state("networkidle")
    page.uncheck("#wanted-dingtalkdigest")
    page.click("#save-channels")
    page.wait_for_load_state("networkidle")
    assert not page.is_checked("#wanted-dingtalkdigest") and page.is_checked(
        "#wanted-dingtalkassigned"
    )
    checked(page, f"channels-{size}")

    page = open_browser(viewport=viewport)
    with_axe(page.context)
    login(page, "hu")
    page.goto("/dept/webhook/")
    page.fill("#id_webhook_url", "https://oapi.dingtalk.com/robot/send?access_token=gxj")
    page.select_option("#id_robot", "dingtalk")
    page.fill("#id_sign_secret", "SECgxj-robot-secret")
    page.fill("#id_keyword", "督办")
    page.locator("form#webhook-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#sign-secret-set").is_visible()
    assert "SECgxj-robot-secret" not in page.content()
    checked(page, f"robot-{size}")
