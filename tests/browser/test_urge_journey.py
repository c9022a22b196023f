"""Enterprise raises and urges (issue 17), at a phone's 390 px and a desktop's 1,280 px: Eva, the
contact of 荣信钢构, raises a problem in the portal; the office is told and assigns it to 县工信局;
Dan there is told. The contact deadline passes unmet — the assignment is moved back in time
through cases.deadlines, as if it had been made a week or so ago — and only then does Eva see 催办.
She urges with a reason; the button gives way to "urged today"; Dan and the office are told and
read the urge on the timeline. Dan then contacts her and replies; Eva reads what comes next at
each step, rates, and the office closes the case out.

Each step checks what the next person sees and is told: the in-app messages at /notifications/,
the case page, the portal."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from cases import deadlines
from cases.models import Case, CaseEvent
from cases.selectors import work_calendar
from enterprises.models import EnterpriseContact
from tests.browser.conftest import DESKTOP, fits, inbox, login, portal_card, screenshot
from tests.browser.conftest import PHONE_390 as PHONE


def as_if_nobody_called(case: Case) -> None:
    """Time passes without sleeping: the assignment is moved back, a day at a time, until the
    contact deadline cases.deadlines counts from it (as the workflow does) is overdue — a week
    or so, longer across a holiday — and the resolve deadline is counted again from it too."""
    calendar, now = work_calendar(), timezone.now()
    back = dt.timedelta(days=5)
    while not deadlines.is_overdue(deadlines.contact_due(now - back, calendar), now):
        back += dt.timedelta(days=1)
    assigned_at = now - back
    # The timeline moves back with it, so that it reads as the case page's dates do.
    CaseEvent.objects.filter(case=case).update(created_at=F("created_at") - back)
    Case.objects.filter(pk=case.pk).update(
        created_at=F("created_at") - back,
        assigned_at=assigned_at,
        contact_due_at=deadlines.contact_due(assigned_at, calendar),
        resolve_due_at=deadlines.default_resolve_due(
            assigned_at, case.category.default_resolve_days, calendar
        ),
    )


def test_the_enterprise_raises_a_problem_urges_it_when_late_and_rates_the_reply(
    county, open_browser, settings, tmp_path
):
    """Eva and Dan on phones, the office on a laptop: each page is checked at the size its
    reader uses it at."""
    settings.PORTAL_ATTACHMENTS_ROOT = tmp_path / "attachments"
    county.eva.first_name = "付登印"
    county.eva.save()
    EnterpriseContact.objects.filter(user=county.eva).update(phone="13900000001")

    # --- 荣信钢构 raises a problem in the portal -----------------------------------------------
    eva = open_browser(viewport=PHONE)
    login(eva, "eva")
    eva.goto("/portal/raise/")
    eva.fill("#id_title", "厂区门口道路缺失，货车无法进出")
    eva.select_option("#id_category", label="用工人才")
    eva.fill("#id_description", "雨天泥泞，重型钢构件运不出去")
    eva.locator("#raise-form button[type=submit]").click()
    eva.wait_for_url("**/portal/*")
    case = Case.objects.get(source=Case.Source.SELF_REPORT)
    card = eva.locator(f"#case-{case.pk}").inner_text()
    assert "待交办" in card and "已收到，等待县委办交由相关部门办理。" in card
    assert eva.locator(f"#case-{case.pk} .case-urge").count() == 0

    # --- the office is told, opens the case from the message and assigns it ------------------
    office = open_browser(viewport=DESKTOP)
    login(office, "office")
    told = inbox(office)
    assert f"【新问题】{case.number} 厂区门口道路缺失" in told and "请研判后交办。" in told
    screenshot(office, "urge-office-told-new")
    office.locator("#inbox .list-group-item").filter(has_text=case.number).get_by_role(
        "button", name="查看问题"
    ).click()
    office.wait_for_url(f"**/cases/{case.pk}/")
    assign = office.locator("form[data-action=assign]")
    assign.get_by_label("牵头部门").select_option(label=county.gxj.name)
    assign.get_by_label("交办意见").fill("请三个工作日内上门核实道路权属")
    assign.locator("button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    assert office.locator("#case-status").inner_text() == "已交办"
    assert fits(office)
    case.refresh_from_db()
    assert case.status == Case.Status.ASSIGNED and case.lead_department == county.gxj

    # --- 县工信局 is told; Eva reads when they will call, and cannot urge yet ------------------
    dan = open_browser(viewport=PHONE)
    login(dan, "dan")
    assert case.number in inbox(dan)
    screenshot(dan, "urge-dept-told-assigned")
    card = portal_card(eva, case)
    due = deadlines.current_deadline(case).due_at
    due_day = f"{timezone.localtime(due).month}月{timezone.localtime(due).day}日"
    assert f"已交办县工信局，3个工作日内（{due_day}前）联系您。" in card
    assert "县工信局" in eva.locator(f"#case-{case.pk} .case-lead").inner_text()
    assert eva.locator(f"#case-{case.pk} .case-urge").count() == 0
    assert "请三个工作日内上门核实道路权属" not in card  # the office's 交办意见 is internal
    eva.goto(f"/cases/{case.pk}/")
    assert eva.locator("form[data-action=urge]").count() == 0
    assert eva.locator("#next-step-urge").count() == 0
    due_on = timezone.localtime(due).strftime("%Y-%m-%d")
    later = eva.locator("#urge-after").inner_text()
    assert later == f"期限（{due_on}）过后仍未办理到位的，可以在这里催办。"
    assert "请三个工作日内上门核实道路权属" not in eva.locator("main").inner_text()
    screenshot(eva, "urge-enterprise-before-deadline")

    # --- days on, nobody has called: 催办 appears -------------------------------------------
    as_if_nobody_called(case)
    case.refresh_from_db()
    late_day = timezone.localtime(case.contact_due_at)
    card = portal_card(eva, case)
    assert f"应在{late_day.month}月{late_day.day}日前联系您，现已逾期。您可以催办。" in card
    assert eva.locator(f"#case-{case.pk} .case-urge").is_visible()
    screenshot(eva, "urge-enterprise-may-urge")

    # Eva opens the case to urge with a reason: the next step links to the form (on a phone it
    # lies below the whole timeline).
    eva.locator(f"#case-{case.pk} .case-detail-link").click()
    eva.wait_for_url(f"**/cases/{case.pk}/")
    eva.locator("#next-step-urge").click()
    eva.wait_for_url(f"**/cases/{case.pk}/#action-urge")
    urge = eva.locator("form[data-action=urge]")
    assert urge.is_visible()
    assert (
        eva.evaluate("document.querySelector('#action-urge').getBoundingClientRect().top")
        < PHONE["height"]
    )
    urge.get_by_label("催办说明").fill("一个星期了还没有人联系我们，货车一直进不来")
    screenshot(eva, "urge-enterprise-urging")
    urge.locator("button[type=submit]").click()
    eva.wait_for_load_state("networkidle")
    main = eva.locator("main").inner_text()
    assert "已催办：县工信局和县委办已收到通知。" in main
    assert eva.locator("form[data-action=urge]").count() == 0
    assert eva.locator("#next-step-urge").count() == 0
    assert eva.locator("#next-step-urged").inner_text() == "今天已催办"
    assert eva.locator("#next-step-urged").is_disabled()
    assert "今天已催办，每个工作日可催办一次" in eva.locator("#urge-again").inner_text()
    assert "您已催办" in eva.locator("#timeline").inner_text()
    assert fits(eva)
    screenshot(eva, "urge-enterprise-urged")
    card = portal_card(eva, case)
    assert "您今天已催办" in card and "起可再次催办。" in card
    assert eva.locator(f"#case-{case.pk} .case-urge").count() == 0
    urged = eva.locator(f"#case-{case.pk} .case-urged")
    assert urged.inner_text() == "今天已催办" and urged.is_disabled()
    screenshot(eva, "urge-enterprise-urged-portal")
    assert case.events.filter(kind=CaseEvent.Kind.URGED).count() == 1

    # --- the department and the office are told, and read the urge on the timeline -------------
    for page, who in ((dan, "dept"), (office, "office")):
        told = inbox(page)
        assert f"【催办】{case.number}" in told
        assert "催办意见：一个星期了还没有人联系我们" in told and "已逾期" in told
        screenshot(page, f"urge-{who}-told-urged")
        page.goto(f"/cases/{case.pk}/")
        timeline = page.locator("#timeline").inner_text()
        assert "催办" in timeline and "一个星期了还没有人联系我们" in timeline
        assert county.steel.name in timeline

    # --- 县工信局 calls Eva and replies ---------------------------------------------------------
    dan.goto(f"/cases/{case.pk}/")
    contacts = dan.locator("#enterprise-contacts").inner_text()
    assert "付登印" in contacts and "13900000001" in contacts
    accept = dan.locator("form[data-action=accept]")
    assert "超期" in accept.inner_text() or "逾期" in accept.inner_text()
    accept.get_by_label("电话").check()
    accept.get_by_label("对接人", exact=True).select_option(index=1)
    accept.locator("textarea").fill("电话联系付登印，约定明天上门查看道路")
    accept.locator("button[type=submit]").click()
    dan.wait_for_load_state("networkidle")
    assert dan.locator("#case-status").inner_text() == "办理中"
    screenshot(dan, "urge-dept-accepted")

    told = inbox(eva)
    assert case.number in told
    card = portal_card(eva, case)
    assert "办理中：县工信局正在办理" in card and "前反馈办理结果。" in card

    dan.goto(f"/cases/{case.pk}/")
    reply = dan.locator("form[data-action=reply]")
    reply.get_by_label("已解决").check()
    reply.locator("textarea").fill("已协调园区平整门口道路并铺设碎石，货车可正常进出。")
    reply.locator("button[type=submit]").click()
    dan.wait_for_load_state("networkidle")
    assert dan.locator("#case-status").inner_text() == "已反馈"

    # --- Eva is told, reads the reply and what comes next, and rates ---------------------------
    assert case.number in inbox(eva)
    card = portal_card(eva, case)
    assert "办理结果已反馈，请您评价。" in card
    screenshot(eva, "urge-enterprise-replied")
    eva.locator(f"#case-{case.pk} .case-rate-link").click()
    eva.wait_for_url(lambda url: f"/cases/{case.pk}/" in url)
    assert "货车可正常进出" in eva.locator("#case-reply").inner_text()
    rate = eva.locator("form[data-action=rate]")
    rate.get_by_label("满意", exact=True).check()
    rate.locator("textarea").fill("道路已通，谢谢")
    rate.locator("button[type=submit]").click()
    eva.wait_for_load_state("networkidle")
    card = portal_card(eva, case)
    assert "已评价，等待县委办销号。" in card and "企业评价：付登印" in card
    screenshot(eva, "urge-enterprise-rated")

    # --- the office closes it out; Eva reads that it is done ------------------------------------
    office.goto("/office/closeout/")
    assert fits(office)
    row = office.locator(f"#closeout-{case.pk}").inner_text()
    assert "道路已通，谢谢" in row
    office.check(f"#close-{case.pk}")
    office.click("#close-selected")
    office.wait_for_selector(".alert-success")
    assert "已销号 1 件问题。" in office.locator("main").inner_text()
    screenshot(office, "urge-office-closed")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    card = portal_card(eva, case)
    assert "已办结销号，此问题办理完毕。" in card
    screenshot(eva, "urge-enterprise-closed")
