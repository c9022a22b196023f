"""The department journey on a phone: Dan (县工信局) takes a case due today from his inbox through
acceptance, a breakdown item and a public progress note to an "explained" reply, and the case
leaves the urgent part of his inbox."""

from django.utils import timezone

from cases.models import Case, CaseEvent
from cases.workdays import end_of_day, local_date
from tests.browser.conftest import PHONE, login, screenshot


def submit(page, form) -> None:
    """Send the form and wait for the page it leads to (the form posts, the case page comes back):
    waiting only for the network to be idle may read the old page before the post has begun."""
    with page.expect_navigation(wait_until="networkidle"):
        form.locator("button[type=submit]").click()


def test_a_clerk_takes_a_case_from_the_inbox_to_an_explained_reply(county, open_browser):
    case = county.assigned(enterprise=county.poultry, lead_department=county.gxj)
    Case.objects.filter(pk=case.pk).update(contact_due_at=end_of_day(local_date(timezone.now())))
    case.refresh_from_db()

    page = open_browser(viewport=PHONE)
    login(page, "dan")
    page.locator(".navbar-toggler").click()  # the phone's folded navbar
    page.get_by_role("link", name="部门待办").click()
    page.wait_for_load_state("networkidle")
    urgent = page.locator("#urgent")
    assert case.number in urgent.inner_text()
    assert "今日到期" in urgent.inner_text()
    screenshot(page, "dept-inbox-urgent-phone")

    urgent.locator(f"[data-case='{case.number}']").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#case-title").inner_text() == case.title
    accept = page.locator("form[data-action=accept]")
    assert "今天到期" in accept.inner_text()
    screenshot(page, "dept-case-assigned-phone")

    accept.get_by_label("电话").check()
    # 王总 is not among the enterprise's contacts: picked as a new one, he joins them (issue 17).
    accept.get_by_label("对接人", exact=True).select_option("new")
    accept.get_by_label("新联系人姓名").fill("王总")
    accept.get_by_label("新联系人手机号码").fill("13807910001")
    accept.locator("textarea").fill("电话联系王总，约定周五上门核对用电容量和电价")
    submit(page, accept)
    assert page.locator("#case-status").inner_text() == "办理中"
    assert "王总" in page.locator("#enterprise-contacts").inner_text()
    assert "对接人：王总" in page.locator("#timeline").inner_text()

    page.locator("#action-breakdown .card-header").click()
    breakdown = page.locator("form[data-action=breakdown]")
    breakdown.locator("textarea").fill("核对用电容量、用电行业和适用电价")
    case.refresh_from_db()
    breakdown.locator("input[type=date]").fill(local_date(case.resolve_due_at).isoformat())
    submit(page, breakdown)
    assert "核对用电容量" in page.locator("#breakdown").inner_text()

    page.locator("#action-progress .card-header").click()
    progress = page.locator("form[data-action=progress]")
    progress.locator("textarea").fill("已上门核对，电价执行农业生产用电")
    progress.get_by_label("企业可见").check()
    submit(page, progress)
    assert "已上门核对" in page.locator("#timeline").inner_text()

    reply = page.locator("form[data-action=reply]")
    reply.get_by_label("政策障碍，已解释到位").check()
    reply.locator("textarea").fill(
        "现行电价政策下无法降低电费；有惠企政策时第一时间告知并帮助申请。"
    )
    screenshot(page, "dept-case-reply-phone")
    submit(page, reply)
    assert page.locator("#case-status").inner_text() == "已反馈"

    page.goto("/dept/")
    assert case.number not in page.locator("#urgent").inner_text()
    page.locator("#replied summary").click()
    assert case.number in page.locator("#replied").inner_text()
    screenshot(page, "dept-inbox-after-reply-phone")

    case.refresh_from_db()
    assert (case.status, case.outcome) == (Case.Status.REPLIED, Case.Outcome.EXPLAINED)
    assert case.breakdown_items.count() == 1
    assert case.events.get(kind=CaseEvent.Kind.PROGRESS).public


def test_a_co_department_ticks_its_item_in_place_from_the_inbox(county, open_browser):
    from cases import workflow

    welders = county.assigned(lead_department=county.rsj, co_departments=[county.gxj])
    welders = workflow.case_accept(actor=county.ren, case=welders, contact_note="电话联系杨总工")
    item = workflow.case_add_breakdown_item(
        actor=county.ren,
        case=welders,
        department=county.gxj,
        measure="对接县职业学校，安排焊接专业毕业生带薪实习",
        due_on=local_date(welders.resolve_due_at),
    )
    county.assigned()  # one of his own, due in three working days

    page = open_browser(viewport=PHONE)
    login(page, "dan")
    page.goto("/dept/")
    row = page.locator(f"#item-{item.pk}")
    assert "带薪实习" in row.inner_text()
    screenshot(page, "dept-inbox-items-phone")
    row.get_by_role("button", name="标记完成").click()
    page.locator(f"#item-{item.pk} .item-done").wait_for()
    assert page.url.endswith("/dept/")  # swapped in place, no reload
    item.refresh_from_db()
    assert item.done_at is not None
