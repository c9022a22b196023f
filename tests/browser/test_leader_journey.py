"""Issue 11: the county leader reviews the task force's problems and instructs on an overdue one;
the department then sees the instruction on the case and in its inbox."""

import datetime as dt

from cases.models import CaseEvent
from tests.browser.conftest import DESKTOP, PHONE, login, screenshot
from tests.conftest import CHINA


def test_the_leader_reviews_and_instructs_and_the_department_signs_for_it(county, open_browser):
    new = county.submitted(title="缺电焊工，有订单不敢接")
    overdue = county.assigned(assigned_at=dt.datetime(2026, 11, 2, 9, 0, tzinfo=CHINA))

    page = open_browser(viewport=DESKTOP)
    login(page, "li")
    page.get_by_role("link", name="逐个研究").first.click()
    page.wait_for_load_state("networkidle")
    assert new.title in page.locator("body").inner_text()
    screenshot(page, "leader-review-list")
    page.locator(f"#review-note-{new.pk}").fill("请人社局对接职业学校")
    page.locator(f"#review-check-{new.pk}").check()
    page.locator("#review-mark").click()  # 标记已研究: the ticked ones, in one go
    page.wait_for_load_state("networkidle")
    assert "已将 1 件问题标记为已研究" in page.locator("main").inner_text()
    assert page.locator(f"#review-{new.pk}").count() == 0

    page.goto(f"/cases/{overdue.pk}/")
    assert "已逾期" in page.locator("#contact-clock").inner_text()
    form = page.locator("form[data-action=instruct]")
    form.locator("textarea").fill("工信局要在本周内上门对接，解决变压器问题")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "工信局要在本周内上门对接" in page.locator("#instructions").inner_text()
    screenshot(page, "leader-instruction")

    dept = open_browser(viewport=PHONE)
    login(dept, "dan")
    dept.goto("/notifications/")
    assert "领导批示" in dept.locator("#inbox").inner_text()
    screenshot(dept, "dept-inbox-instruction-phone")
    dept.goto(f"/cases/{overdue.pk}/")
    assert "待牵头部门签收" in dept.locator("#instructions").inner_text()
    dept.locator("#instructions form button").click()
    dept.wait_for_load_state("networkidle")
    assert "牵头部门已签收" in dept.locator("#instructions").inner_text()
    screenshot(dept, "dept-instruction-signed-phone")
    assert overdue.events.filter(kind=CaseEvent.Kind.INSTRUCTION_ACK).count() == 1
