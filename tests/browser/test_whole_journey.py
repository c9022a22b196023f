"""One problem from the workshop floor to close-out, as five people live it (issue 17): Carl, the
paired cadre, logs it on a visit on his phone; the office is told and assigns it on a laptop to
县工信局 with 县人社局 co-handling; Dan (县工信局, phone) is told, calls the enterprise's contact
from the case page and accepts, and gives 县人社局 a breakdown item; Ren (县人社局, laptop) is told
and ticks it; Dan replies; Eva (the enterprise, phone) is told, reads what comes next and rates;
the office closes the case out first thing in its queue; Eva and Carl are told it is closed.

Each step checks what the next person sees and is told — their in-app messages at /notifications/
and the page they open from there — not the database alone."""

from __future__ import annotations

from playwright.sync_api import expect

from cases.models import Case, Visit
from cases.workdays import local_date
from enterprises.models import ContactPerson
from tests.browser.conftest import DESKTOP, fits, inbox, login, screenshot
from tests.browser.conftest import PHONE_390 as PHONE

TITLE = "焊接车间三相电压不平衡，焊机频繁跳闸"


def open_message(page, text: str) -> None:
    """Open the case a message is about, from the message itself."""
    page.goto("/notifications/")
    message = page.locator("#inbox .list-group-item", has_text=text).first
    message.get_by_role("button", name="查看问题").click()
    page.wait_for_load_state("networkidle")


def test_a_problem_from_the_visit_to_close_out_each_person_told_in_turn(county, open_browser):
    ContactPerson.objects.create(
        enterprise=county.steel, name="付登印", position="设备科长", mobile="13907910088"
    )

    # 1. Carl logs the visit and its problem on his phone.
    cadre = open_browser(viewport=PHONE)
    login(cadre, "carl")
    cadre.goto("/field/visits/new/")
    cadre.select_option("#id_enterprise", label=county.steel.name)
    cadre.click("label[for=id_kind_1]")  # 走访问实情
    cadre.fill("#id_notes", "车间座谈：焊机跳闸影响交货。")
    cadre.fill("#id_problems-0-title", TITLE)
    cadre.fill("#id_problems-0-description", "高峰时段B相电压低，焊机一天跳闸十余次")
    cadre.select_option("#id_problems-0-category", label="用电用能")
    assert fits(cadre)
    cadre.click("#save-visit")
    cadre.wait_for_url("**/field/visits/*/")
    case = Visit.objects.get().cases.get()
    assert case.status == Case.Status.SUBMITTED

    # 2. The office is told at once, and assigns from the message on a laptop.
    office = open_browser(viewport=DESKTOP)
    login(office, "office")
    assert f"【新问题】{case.number} {TITLE}" in inbox(office)
    open_message(office, case.number)
    assert office.locator("#case-title").inner_text() == TITLE
    assign = office.locator("form[data-action=assign]")
    assign.get_by_label("牵头部门").select_option(label="县工信局")
    assign.get_by_label("协办单位").select_option(label="县人社局")
    assign.locator("button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    expect(office.locator("#case-status")).to_have_text("已交办")
    screenshot(office, "journey-office-assigned-desktop")

    # 3. Dan is told; from the message he finds whom to call, calls, and accepts.
    dept = open_browser(viewport=PHONE)
    login(dept, "dan")
    assert f"【新交办】{case.number}" in inbox(dept)
    open_message(dept, case.number)
    contacts = dept.locator("#enterprise-contacts")
    expect(contacts.get_by_role("link", name="拨打付登印 13907910088")).to_have_attribute(
        "href", "tel:13907910088"
    )
    assert "荣信钢构专班" in contacts.inner_text()  # the leader's task force, to escalate to
    assert fits(dept)
    screenshot(dept, "journey-dept-contacts-phone")
    accept = dept.locator("form[data-action=accept]")
    accept.get_by_label("电话").check()
    accept.get_by_label("对接人", exact=True).select_option(label="付登印 · 设备科长 · 13907910088")
    accept.locator("textarea").fill("电话联系付科长，约定明天上午到车间测电压")
    accept.locator("button[type=submit]").click()
    dept.wait_for_load_state("networkidle")
    expect(dept.locator("#case-status")).to_have_text("办理中")
    assert "对接人：付登印" in dept.locator("#timeline").inner_text()

    # The enterprise and the cadre hear that the department has made contact.
    enterprise = open_browser(viewport=PHONE)
    login(enterprise, "eva")
    assert f"县工信局 已就问题 {case.number} 与贵企业对接" in inbox(enterprise)
    assert f"江西进贤荣信钢构公司 的问题 {case.number} 已交办" in inbox(cadre)

    # 4. 县人社局 co-handles: told on assignment, and of the item Dan gives it; Ren ticks it.
    dept.locator("#action-breakdown .card-header").click()
    breakdown = dept.locator("form[data-action=breakdown]")
    breakdown.get_by_label("责任单位").select_option(label="县人社局")
    breakdown.locator("textarea").fill("协调两名持证电工驻厂一周")
    case.refresh_from_db()
    breakdown.locator("input[type=date]").fill(local_date(case.resolve_due_at).isoformat())
    breakdown.locator("button[type=submit]").click()
    dept.wait_for_load_state("networkidle")
    assert "协调两名持证电工" in dept.locator("#breakdown").inner_text()

    co = open_browser(viewport=DESKTOP)
    login(co, "ren")
    messages = inbox(co)
    assert f"【协办】{case.number}" in messages
    assert f"【责任清单】{case.number} 有一项任务交 县人社局 完成" in messages
    co.goto("/dept/")
    item = co.locator("[id^=item-]", has_text="协调两名持证电工")
    item.get_by_role("button", name="标记完成").click()
    expect(co.locator("[id^=item-] .item-done")).to_have_count(1)
    screenshot(co, "journey-co-department-desktop")

    # 5. Dan replies; Eva is told, reads the reply and what comes next, and rates.
    dept.goto(f"/cases/{case.pk}/")
    reply = dept.locator("form[data-action=reply]")
    reply.get_by_label("已解决").check()
    reply.locator("textarea").fill("已调整变压器分接头并新增无功补偿，电压恢复平衡。")
    reply.locator("button[type=submit]").click()
    dept.wait_for_load_state("networkidle")
    expect(dept.locator("#case-status")).to_have_text("已反馈")

    assert f"【办理结果】您反映的问题 {case.number} 已有答复" in inbox(enterprise)
    assert f"{case.number} 已反馈办理结果" in inbox(cadre)  # to go back and ask how it went
    open_message(enterprise, f"{case.number} 已有答复")
    assert "电压恢复平衡" in enterprise.locator("#case-reply").inner_text()
    rate = enterprise.locator("form[data-action=rate]")
    rate.get_by_label("满意", exact=True).check()
    rate.locator("textarea").fill("焊机不再跳闸，谢谢！")
    assert fits(enterprise)
    screenshot(enterprise, "journey-enterprise-rate-phone")
    rate.locator("button[type=submit]").click()
    enterprise.wait_for_load_state("networkidle")
    enterprise.goto("/portal/")
    assert "已评价，等待县委办销号" in enterprise.locator(f"#case-{case.pk}").inner_text()
    assert "对问题" in inbox(cadre) and "的评价：满意" in inbox(cadre)

    # 6. The office finds the newly rated case first in its close-out queue and closes it.
    office.goto("/office/closeout/")
    first = office.locator("div.card[id^=closeout-]").first
    expect(first).to_have_attribute("id", f"closeout-{case.pk}")
    assert "焊机不再跳闸" in first.inner_text()
    office.check(f"#close-{case.pk}")
    office.click("#close-selected")
    office.wait_for_selector(".alert-success")
    screenshot(office, "journey-office-closed-desktop")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED

    # The enterprise and the cadre are told it is closed; the enterprise's portal says it is done.
    assert f"【已办结】您反映的问题 {case.number} 已销号" in inbox(enterprise)
    assert f"江西进贤荣信钢构公司 的问题 {case.number} 已销号" in inbox(cadre)
    enterprise.goto("/portal/?show=done")
    assert case.number in enterprise.locator(f"#case-{case.pk}").inner_text()
    assert fits(enterprise)
    screenshot(enterprise, "journey-enterprise-done-phone")
