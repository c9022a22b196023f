"""The county office's day in headless Chromium: triage two cases, assign them at a meeting, print
the letter, find a backdated case on the supervision board, close a replied case out."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from cases import workflow
from cases.models import Case, CaseEvent, Meeting
from cases.selectors import work_calendar
from cases.workdays import due_after
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, login, screenshot


def test_the_office_takes_cases_from_triage_through_a_meeting_to_close_out(county, open_browser):
    road = county.submitted(title="园区道路未修通，货车进不来")
    bill = county.submitted(enterprise=county.poultry, title="电费太高，生产成本高")
    late = county.assigned(
        enterprise=county.poultry, assigned_at=timezone.now() - dt.timedelta(days=60)
    )
    replied = county.replied()
    workflow.case_rate(
        actor=county.eva, case=replied, rating="very_satisfied", comment="解决得很快"
    )

    page = open_browser(viewport=DESKTOP)
    login(page, "office")

    # A meeting to hand the cases out at.
    page.goto("/office/meetings/")
    page.click("#new-assignment-meeting")
    page.fill("#id_title", "“四进四问”第一批问题交办会")
    page.fill("#id_held_on", timezone.localdate().isoformat())
    page.fill("#id_attendees", "县领导；各成员单位主要负责人")
    page.fill("#id_minutes", "集中交办第一批问题，能处理的及时处理到位，有政策障碍的解释到位。")
    page.click("#save-meeting")
    page.wait_for_selector("#meeting-title")
    meeting = Meeting.objects.get()

    # Triage: both cases wait, each with a suggested lead; put them on the meeting's agenda.
    page.goto("/office/")
    triage = page.locator("#triage-list").inner_text()
    assert road.number in triage and bill.number in triage
    assert "建议牵头：国网进贤县供电公司" in page.locator(f"#case-{bill.pk}").inner_text()
    screenshot(page, "office-triage-desktop")
    page.check(f"#select-{road.pk}")
    page.check(f"#select-{bill.pk}")
    page.select_option("#bulk-meeting", str(meeting.pk))
    page.click("#add-to-meeting")
    page.wait_for_selector("#assign-meeting")
    assert "2 件问题待交办" in page.locator("#assign-meeting").inner_text()

    # Assign the meeting's cases in one step, checking the contact deadline before confirming.
    page.click("#assign-meeting a")
    page.select_option(f"#id_c{road.pk}-lead_department", str(county.gxj.pk))
    page.select_option(f"#id_c{road.pk}-co_departments", [str(county.power.pk)])
    assert page.input_value(f"#id_c{bill.pk}-lead_department") == str(county.power.pk)
    page.fill("#id_batch", "第一批")
    page.click("#preview-assign")
    page.wait_for_selector("#preview-table")
    expected = due_after(timezone.now(), settings.CONTACT_DEADLINE_WORKING_DAYS, work_calendar())
    deadlines = page.locator("#preview-table .contact-due").all_inner_texts()
    assert all(timezone.localtime(expected).strftime("%Y-%m-%d") in d for d in deadlines)
    screenshot(page, "office-assign-preview")
    page.dblclick("#confirm-assign")  # an impatient double click assigns once
    page.wait_for_selector("#letters")
    assert "已交办 2 件问题。" in page.locator("main").inner_text()
    assert Case.objects.filter(status=Case.Status.ASSIGNED, batch="第一批").count() == 2
    assigned = CaseEvent.objects.filter(kind=CaseEvent.Kind.ASSIGNED, case__in=[road, bill])
    assert assigned.count() == 2
    screenshot(page, "office-meeting-desktop")

    # The letter to 县工信局, as it prints on A4.
    page.goto(f"/office/meetings/{meeting.pk}/letters/{county.gxj.pk}/")
    screenshot(page, "office-letter-screen")
    letter = page.locator("#letter").inner_text()
    assert "县工信局：" in letter
    assert road.number in letter and bill.number not in letter
    assert timezone.localtime(expected).strftime("%Y-%m-%d") in letter
    assert "3 个工作日内" in letter and "抄送：国网进贤县供电公司" in letter
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.locator("#print-letter").is_visible()
    screenshot(page, "office-letter-print")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "office-letter.pdf"), format="A4")
    page.emulate_media(media="screen")

    # The backdated case is flagged on the supervision board — proposed for listing, which is the
    # office's decision (tests/browser/test_listing_journey.py); one click opens it.
    page.goto("/office/board/")
    row = page.locator(f"#board-case-{late.pk}")
    assert "建议挂牌" in row.inner_text() and "逾期" in row.inner_text()
    screenshot(page, "office-board-desktop")
    row.locator("a").first.click()
    page.wait_for_url(f"**/cases/{late.pk}/")
    assert late.number in page.locator("body").inner_text()

    # Close out the replied, rated case.
    page.goto("/office/closeout/")
    assert "解决得很快" in page.locator(f"#closeout-{replied.pk}").inner_text()
    page.check(f"#close-{replied.pk}")
    page.click("#close-selected")
    page.wait_for_selector(".alert-success")
    assert "已销号 1 件问题。" in page.locator("main").inner_text()
    replied.refresh_from_db()
    assert replied.status == Case.Status.CLOSED


def test_the_office_pages_read_on_a_phone(county, open_browser):
    road = county.submitted(title="园区道路未修通，货车进不来")
    county.submitted(enterprise=county.poultry, title="园区道路没有修通")
    county.assigned(assigned_at=timezone.now() - dt.timedelta(days=60))
    rated = county.replied()
    workflow.case_rate(actor=county.eva, case=rated, rating="satisfied", comment="满意")
    county.replied(enterprise=county.poultry)
    asking = county.in_progress()
    workflow.case_request_extension(
        actor=county.dan,
        case=asking,
        resolve_due_at=asking.resolve_due_at + dt.timedelta(days=20),
        reason="设备到货需要时间",
    )
    page = open_browser(viewport=PHONE)
    login(page, "office")
    pages = [
        ("triage", "/office/"),
        ("assign", f"/office/assign/?case={road.pk}"),
        ("board", "/office/board/"),
        ("decisions", "/office/decisions/"),
        ("closeout", "/office/closeout/"),
    ]
    for name, url in pages:
        page.goto(url)
        # Nothing sticks out sideways at 360 px.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, name
        screenshot(page, f"office-{name}-phone")
