"""The enterprise's journey on a phone: Eva, the contact of 荣信钢构, opens a replied case, rates it
dissatisfied and sees it reopened; then raises a new problem with a photo (after a first try with
nothing filled in) and finds it listed as waiting for the office."""

from __future__ import annotations

import pytest
from PIL import Image

from cases.models import Case
from tests.browser.conftest import DESKTOP, PHONE, login, screenshot


@pytest.fixture
def attachments_root(settings, tmp_path):
    settings.PORTAL_ATTACHMENTS_ROOT = tmp_path / "attachments"
    return settings.PORTAL_ATTACHMENTS_ROOT


def fits_the_phone(page) -> bool:
    """Nothing sticks out sideways: the page scrolls only up and down at 360 px."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_contact_rates_a_reply_dissatisfied_and_raises_a_new_problem_on_a_phone(
    county, open_browser, attachments_root, tmp_path
):
    replied = county.replied()  # 县工信局 fed the result back: 已增设一台变压器
    photo = tmp_path / "gate.png"
    Image.new("RGB", (64, 48), (40, 90, 180)).save(photo)

    page = open_browser(viewport=PHONE)
    login(page, "eva")

    # 我的诉求, through the navigation menu of a phone
    page.click("button.navbar-toggler")
    page.get_by_role("link", name="我的诉求").click()
    page.wait_for_url("**/portal/")
    card = page.locator(f"#case-{replied.pk}")
    assert "办理结果已反馈，请您评价。" in card.inner_text()
    assert "县工信局" in card.inner_text() and "按期完成" in card.inner_text()
    assert "等待您的评价" in page.locator("#rating-reminder").inner_text()
    assert fits_the_phone(page)
    screenshot(page, "enterprise-cases-phone")

    # Open the replied case and rate it 不满意
    card.get_by_role("link", name="查看结果并评价").click()
    page.wait_for_url(lambda url: f"/cases/{replied.pk}/#action-rate" in url)
    assert "已增设一台变压器" in page.locator("#case-reply").inner_text()
    rate = page.locator("form[data-action=rate]")
    rate.get_by_label("不满意", exact=True).check()
    rate.locator("textarea").fill("电压还是不稳，焊机仍然跳闸")
    screenshot(page, "enterprise-rate-phone")
    rate.locator("button[type=submit]").click()
    page.wait_for_url(f"**/cases/{replied.pk}/")
    assert page.locator("#case-status").inner_text() == "办理中"
    assert "企业不满意，问题重新办理。" in page.locator("#timeline").inner_text()
    screenshot(page, "enterprise-reopened-phone")
    replied.refresh_from_db()
    assert replied.status == Case.Status.IN_PROGRESS and replied.reopen_count == 1

    # Back in 我的诉求, the card says so
    page.goto("/portal/")
    reopened = page.locator(f"#case-{replied.pk}").inner_text()
    assert "您评价“不满意”，问题已重新办理" in reopened and "办理中" in reopened

    # 反映问题: first with nothing filled in, then properly, with a photo
    page.click("#raise-link")
    page.wait_for_url("**/portal/raise/")
    page.locator("#raise-form button[type=submit]").click()
    assert "请用一句话写明遇到的问题。" in page.locator("#error-title").inner_text()
    assert "请选择问题类别。" in page.locator("#error-category").inner_text()
    assert fits_the_phone(page)
    screenshot(page, "enterprise-raise-errors-phone")
    assert not Case.objects.filter(source=Case.Source.SELF_REPORT).exists()

    page.fill("#id_title", "厂区门口道路缺失，货车无法进出")
    page.select_option("#id_category", label="用工人才")
    page.fill("#id_description", "雨天泥泞，重型钢构件运不出去")
    page.set_input_files("#id_attachments", str(photo))
    page.locator("#raise-form button[type=submit]").click()
    page.wait_for_url("**/portal/*")
    new = Case.objects.get(source=Case.Source.SELF_REPORT)
    assert new.status == Case.Status.SUBMITTED and new.attachments.count() == 1
    assert f"问题已提交，编号 {new.number}" in page.locator("main").inner_text()
    listed = page.locator(f"#case-{new.pk}").inner_text()
    assert "待交办" in listed and "厂区门口道路缺失" in listed and "附件" in listed
    assert fits_the_phone(page)
    screenshot(page, "enterprise-raised-phone")

    desktop = open_browser(viewport=DESKTOP)
    login(desktop, "eva")
    desktop.goto("/portal/")
    assert desktop.locator(".portal-case").count() == 2
    screenshot(desktop, "enterprise-cases-desktop")


def test_the_office_opens_a_login_for_a_contact_who_then_changes_the_password(county, open_browser):
    office = open_browser(viewport=PHONE)
    login(office, "office")
    office.goto("/portal/accounts/")
    office.fill("#q", "荣信")
    office.get_by_role("button", name="查找").click()
    office.get_by_role("link", name=county.steel.name).click()
    office.fill("#id_full_name", "付登印")
    office.fill("#id_phone", "13900000001")
    office.fill("#id_username", "fudengyin")
    assert fits_the_phone(office)
    screenshot(office, "office-enterprise-contacts-phone")
    office.locator("#contact-form button[type=submit]").click()
    password = office.locator("#one-time-password").inner_text().strip()
    assert len(password) >= 12 and "只显示这一次" in office.locator("main").inner_text()
    assert fits_the_phone(office)
    screenshot(office, "office-contact-password-phone")

    contact = open_browser(viewport=PHONE)
    login(contact, "fudengyin", password)
    contact.goto("/portal/password/")
    contact.fill("#id_old_password", password)
    contact.fill("#id_new_password1", "Rongxin-ganggou-2021")
    contact.fill("#id_new_password2", "Rongxin-ganggou-2021")
    contact.locator("#password-form button[type=submit]").click()
    assert "密码已修改" in contact.locator("#password-changed").inner_text()
    screenshot(contact, "enterprise-password-changed-phone")
