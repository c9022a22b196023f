"""督办单 (issue 19), walked in Chromium: the office, on a 1,024 px laptop, filters the 督办 board to
县工信局, ticks its two overdue cases and issues a notice; Dan of 县工信局 is told, finds it in his
workspace and answers it in writing; the office reads the answer in its list. The notice page and
its A4 print are opened on a 390 px phone too. axe-core checks each page as it is shown, and every
page must fit its width."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import SupervisionNotice
from cases.supervision_notices import notice_number
from tests.browser.conftest import PHONE_390, fits, inbox, login, screenshot
from tests.browser.test_accessibility import axe_violations, with_axe

LAPTOP = {"width": 1024, "height": 800}
TEXT = "两个问题均已超过对接期限。请主要负责人亲自过问，五个工作日内上门对接并报送整改方案。"
ANSWER = "已于当日上门对接两家企业，整改方案已报县委办，每周报送一次进展。"


def page_for(open_browser, viewport):
    """A fresh page with axe-core in every document it opens."""
    page = open_browser(viewport=viewport)
    with_axe(page.context)
    return page


def checked(page, name: str) -> None:
    """The page fits its width, axe finds nothing serious, and a screenshot is kept."""
    assert fits(page), page.url
    assert axe_violations(page) == [], (page.url, axe_violations(page))
    screenshot(page, name)


def test_the_office_issues_a_notice_and_the_department_answers_it(county, open_browser):
    long_ago = timezone.now() - dt.timedelta(days=30)
    first = county.assigned(assigned_at=long_ago)
    second = county.in_progress(assigned_at=long_ago)

    # --- the office picks 县工信局's overdue cases on the board and issues the notice ---------
    office = page_for(open_browser, LAPTOP)
    login(office, "office")
    office.goto(f"/office/board/?department={county.gxj.pk}")
    office.locator(f"#pick-{first.pk}").check()
    office.locator(f"#pick-{second.pk}").check()
    checked(office, "supervision-office-board-picked")
    office.locator("#supervise-selected").click()
    office.wait_for_url("**/office/supervision/new/**")
    choices = office.locator("#notice-case-choices")
    assert choices.locator(f"input[value='{first.pk}']").is_checked()
    assert choices.locator(f"input[value='{second.pk}']").is_checked()
    office.locator("#id_text").fill(TEXT)
    assert office.locator("#id_reply_working_days").input_value() == "5"
    checked(office, "supervision-office-form")
    office.locator("#issue-notice").click()
    office.wait_for_url("**/office/supervision/*/")

    notice = SupervisionNotice.objects.get()
    number = notice_number(notice)
    assert number in office.locator("#notice-title").inner_text()
    assert "已通知县工信局" in office.locator("main").inner_text()
    cases = office.locator("#notice-case-list").inner_text()
    assert first.number in cases and second.number in cases and "已逾期" in cases
    checked(office, "supervision-office-notice")

    office.locator("#notice-print").click()
    office.wait_for_url("**/print/")
    paper = office.locator("#notice-paper").inner_text()
    assert number in paper and "县工信局：" in paper and TEXT in paper
    checked(office, "supervision-office-print")

    # --- Dan is told, opens the notice from his workspace and answers it ---------------------
    dan = page_for(open_browser, LAPTOP)
    login(dan, "dan")
    assert f"【督办单】{number}" in inbox(dan)
    dan.goto("/dept/")
    section = dan.locator("#notices")
    assert number in section.inner_text()
    checked(dan, "supervision-dept-inbox")
    section.locator(".notice-row").first.click()
    dan.wait_for_url(f"**/dept/notices/{notice.pk}/")
    dan.locator("#submit-answer").click()  # nothing written: refused, naming the field
    dan.wait_for_load_state("networkidle")
    assert "请填写书面回复" in dan.locator("#notice-answer-form").inner_text()
    dan.locator("#id_answer").fill(ANSWER)
    checked(dan, "supervision-dept-answering")
    dan.locator("#submit-answer").click()
    dan.wait_for_load_state("networkidle")
    assert "书面回复已提交" in dan.locator("main").inner_text()
    assert ANSWER in dan.locator("#notice-answer-card").inner_text()
    assert dan.locator("#notice-answer-form").count() == 0
    checked(dan, "supervision-dept-answered")

    # --- the office reads the answer in its list and on the notice -----------------------------
    office.goto("/office/supervision/")
    row = office.locator(f"#notice-{notice.pk}")
    assert number in row.inner_text() and "已回复" in row.inner_text()
    checked(office, "supervision-office-list")

    # --- the notice and its print on a 390 px phone ---------------------------------------------
    phone = page_for(open_browser, PHONE_390)
    login(phone, "dan")
    phone.goto(f"/dept/notices/{notice.pk}/")
    assert ANSWER in phone.locator("#notice-answer-card").inner_text()
    checked(phone, "supervision-dept-notice-phone")
    phone.goto(f"/dept/notices/{notice.pk}/print/")
    assert number in phone.locator("#notice-paper").inner_text()
    checked(phone, "supervision-dept-print-phone")
    office_phone = page_for(open_browser, PHONE_390)
    login(office_phone, "office")
    office_phone.goto(f"/office/supervision/{notice.pk}/")
    checked(office_phone, "supervision-office-notice-phone")
