"""交办函 with its 文号 and 回执 (issue 19), at a laptop's 1,024 px and a phone's 390 px: the office
opens the 交办会, issues 县工信局's letter with its contact — the number appears — and the meeting
page says it is not signed; Dan at 县工信局 is told, opens 交办函 in his workspace, reads the
letter and signs the 回执; the office then reads who signed and when. Each page fits its width and
has no serious axe-core violation."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.models import AssignmentLetter, Meeting
from tests.browser.conftest import fits, inbox, login, screenshot
from tests.browser.test_accessibility import axe_violations, with_axe

WIDTHS = {"laptop": {"width": 1024, "height": 800}, "phone": {"width": 390, "height": 844}}


def checked(page, name: str) -> None:
    """The page fits its width, has no serious accessibility violation, and is photographed."""
    assert fits(page), page.url
    assert not axe_violations(page), (page.url, axe_violations(page))
    screenshot(page, name)


@pytest.mark.parametrize("size", list(WIDTHS))
def test_the_office_issues_a_letter_and_the_department_signs_its_receipt(
    county, chromium, live_server, size
):
    viewport = WIDTHS[size]
    county.office.first_name = "王督查"
    county.office.save()
    county.dan.first_name = "丹"
    county.dan.save()
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.ASSIGNMENT,
        title="“四进四问”第一批问题交办会",
        held_on=dt.date.today(),
        created_by=county.office,
    )
    cases = [
        county.assigned(co_departments=[county.power]),
        county.assigned(enterprise=county.poultry),
        county.assigned(lead_department=county.rsj),
    ]
    meeting.cases.add(*cases)

    def browser(username):
        context = chromium.new_context(viewport=viewport, locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(15_000)
        page = with_axe(context).new_page()
        login(page, username)
        return page

    # --- the office issues 县工信局's letter ----------------------------------------------------
    office = browser("office")
    office.goto(f"/office/meetings/{meeting.pk}/")
    row = office.locator(f"#letter-{county.gxj.pk}")
    assert "未出具" in row.inner_text()
    row.click()
    office.wait_for_url(f"**/office/meetings/{meeting.pk}/letters/{county.gxj.pk}/")
    issue = office.locator("#issue-letter")
    assert issue.get_by_label("县委办联系人").input_value() == "王督查"
    assert "文号在出具时生成" in office.locator("#letter-number").inner_text()
    checked(office, f"letter-office-draft-{size}")
    issue.get_by_label("联系电话").fill("0791-85661234")
    issue.get_by_role("button", name="出具交办函").click()
    office.wait_for_load_state("networkidle")
    letter = AssignmentLetter.objects.get()
    assert office.locator("#letter-number").inner_text() == letter.number
    assert f"交办函 {letter.number} 已出具" in office.locator("main").inner_text()
    assert "王督查" in office.locator("#letter-contact").inner_text()
    assert "回执未签收" in office.locator("#receipt-state").inner_text()
    assert letter.number in office.locator("#receipt").inner_text()
    checked(office, f"letter-office-issued-{size}")

    office.goto(f"/office/meetings/{meeting.pk}/")
    row = office.locator(f"#letter-{county.gxj.pk}").inner_text()
    assert letter.number in row and "未签收" in row
    assert "未出具" in office.locator(f"#letter-{county.rsj.pk}").inner_text()
    checked(office, f"letter-office-meeting-unsigned-{size}")

    # --- 县工信局 is told, reads its letter and signs the 回执 ------------------------------------
    dan = browser("dan")
    assert f"【交办函】{letter.number}" in inbox(dan)
    dan.goto("/dept/letters/")
    listed = dan.locator(f"#letter-{letter.pk}")
    assert "待签收" in listed.inner_text()
    checked(dan, f"letter-dept-list-{size}")
    listed.click()
    dan.wait_for_url(f"**/dept/letters/{letter.pk}/")
    assert dan.locator("#letter-number").inner_text() == letter.number
    assert cases[0].number in dan.locator("#letter-cases").inner_text()
    assert cases[2].number not in dan.locator("#letter-cases").inner_text()
    checked(dan, f"letter-dept-letter-{size}")
    sign = dan.locator("#sign-receipt")
    sign.get_by_label("回执说明（可选）").fill("已安排专人对接")
    sign.get_by_role("button", name="签收回执").click()
    dan.wait_for_load_state("networkidle")
    assert f"已签收交办函 {letter.number} 的回执。" in dan.locator("main").inner_text()
    assert dan.locator("#sign-receipt").count() == 0
    assert "签收人：丹" in dan.locator("#receipt-signed").inner_text()
    assert "已安排专人对接" in dan.locator("#receipt-note").inner_text()
    checked(dan, f"letter-dept-signed-{size}")
    dan.goto("/dept/letters/")
    assert "已签收" in dan.locator(f"#letter-{letter.pk}").inner_text()

    # --- the office reads who signed, and when --------------------------------------------------
    letter.refresh_from_db()
    when = letter.signed_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime(
        "%Y-%m-%d %H:%M"
    )
    office.goto(f"/office/meetings/{meeting.pk}/")
    row = office.locator(f"#letter-{county.gxj.pk}").inner_text()
    assert f"已签收（丹，{when}）" in row
    checked(office, f"letter-office-meeting-signed-{size}")
    office.locator(f"#letter-{county.gxj.pk}").click()
    office.wait_for_load_state("networkidle")
    assert f"丹 于 {when} 签收" in office.locator("#receipt-state").inner_text()
    office.context.close()
    dan.context.close()
