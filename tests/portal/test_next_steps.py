"""What happens next, in plain words: at every status Eva (荣信钢构) reads who does what by when, on
her list (我的诉求) and on the case page; a return to the office is not a step backwards, a
reassignment says "改由 X 办理" and why; the handling unit comes with a contact and a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import workflow
from cases.models import Case
from cases.workdays import local_date
from tests.portal.test_my_cases import card

pytestmark = pytest.mark.django_db


def day(moment: dt.datetime) -> str:
    d = local_date(moment)
    return f"{d.month}月{d.day}日"


def portal_card(client, county, case: Case) -> str:
    client.force_login(county.eva)
    return card(client.get(reverse("portal:cases")).content.decode(), case)


def case_page(client, user, case: Case) -> str:
    client.force_login(user)
    return client.get(reverse("case_detail", args=[case.pk])).content.decode()


def next_step(html: str) -> str:
    """The text of the page's 下一步 box."""
    start = html.index('id="next-step"')
    return html[start : start + 800]


@pytest.fixture
def county(county):
    county.gxj.contact_name, county.gxj.phone = "王晓东", "0791-85661234"
    county.gxj.save()
    county.rsj.contact_name, county.rsj.phone = "李红", "0791-85665678"
    county.rsj.save()
    return county


# --- a sentence at every status ------------------------------------------------------------------


def test_submitted_waits_for_the_office(client, county):
    case = county.submitted()
    html = portal_card(client, county, case)
    assert "已收到，等待县委办交由相关部门办理。" in html and "待交办" in html


def test_assigned_says_who_will_call_within_three_working_days(client, county):
    case = county.assigned()
    expected = f"已交办县工信局，3个工作日内（{day(case.contact_due_at)}前）联系您。"
    assert expected in portal_card(client, county, case)
    assert expected in next_step(case_page(client, county.eva, case))


def test_in_progress_says_by_when_the_result_comes(client, county):
    case = county.in_progress()
    expected = f"办理中：县工信局正在办理，{day(case.resolve_due_at)}前反馈办理结果。"
    assert expected in portal_card(client, county, case)
    assert expected in next_step(case_page(client, county.eva, case))


def test_replied_asks_for_a_rating_then_waits_for_close_out(client, county):
    case = county.replied()
    assert "办理结果已反馈，请您评价。" in portal_card(client, county, case)
    workflow.case_rate(actor=county.eva, case=case, rating="satisfied")
    html = portal_card(client, county, case)
    assert "已评价，等待县委办销号。" in html and "请您评价" not in html
    assert "已评价，等待县委办销号。" in next_step(case_page(client, county.eva, case))


def test_closed_says_it_is_finished(client, county):
    case = county.closed()
    assert "已办结销号，此问题办理完毕。" in portal_card(client, county, case)
    assert "已办结销号，此问题办理完毕。" in next_step(case_page(client, county.eva, case))


def test_a_passed_deadline_says_so_and_offers_to_urge(client, county):
    case = county.assigned(assigned_at=timezone.now() - dt.timedelta(days=10))
    html = portal_card(client, county, case)
    assert f"已交办县工信局，应在{day(case.contact_due_at)}前联系您，现已逾期。" in html
    assert "您可以催办。" in html and "case-urge" in html
    page = case_page(client, county.eva, case)
    assert "您可以催办。" in next_step(page) and 'id="action-urge"' in page


# --- a return is not a step backwards, a reassignment says why -----------------------------------


def returned(county) -> Case:
    case = county.assigned()
    return workflow.case_return(actor=county.dan, case=case, reason="不属我局职责，建议交人社局")


def test_a_return_reads_as_the_office_rearranging_not_as_waiting_again(client, county):
    case = returned(county)
    html = portal_card(client, county, case)
    assert "县委办正在重新安排办理单位，安排好后会通知您。" in html
    assert "重新安排中" in html and "待交办" not in html
    page = case_page(client, county.eva, case)
    assert "重新安排中" in page and "待交办" not in page
    assert "不属我局职责" not in page and "不属我局职责" not in html  # the reason is internal


def test_a_reassignment_says_改由_with_its_reason_not_two_bare_交办(client, county):
    case = returned(county)
    workflow.case_assign(actor=county.office, case=case, lead_department=county.rsj)
    page = case_page(client, county.eva, case)
    timeline = page[page.index('id="timeline"') :]
    assert timeline.count("<strong>交办</strong>") == 1 and "→ 县工信局" in timeline
    assert "<strong>改由县人社局办理</strong>" in timeline
    assert "原办理单位县工信局退回县委办，县委办重新安排了办理单位。" in timeline
    html = portal_card(client, county, case)
    assert "改由县人社局办理" in html  # the latest news on the list
    assert "已交办县人社局" in html


def test_staff_still_read_the_return_and_both_assignments(client, county):
    case = returned(county)
    workflow.case_assign(actor=county.office, case=case, lead_department=county.rsj)
    page = case_page(client, county.office, case)
    assert page.count("<strong>交办</strong>") == 2 and "<strong>退回</strong>" in page
    assert "不属我局职责" in page


# --- who handles it, and how to reach them -------------------------------------------------------


def test_the_handling_unit_comes_with_a_contact_and_a_phone_to_tap(client, county):
    case = county.assigned()
    for html in (portal_card(client, county, case), case_page(client, county.eva, case)):
        assert "县工信局" in html and "联系人 王晓东" in html
        assert 'href="tel:079185661234"' in html and "0791-85661234" in html


def test_the_phone_follows_the_unit_now_handling(client, county):
    case = returned(county)
    assert "王晓东" not in portal_card(client, county, case)  # nobody handles it just now
    workflow.case_assign(actor=county.office, case=case, lead_department=county.rsj)
    html = portal_card(client, county, case)
    assert "李红" in html and "tel:079185665678" in html and "王晓东" not in html


def test_a_unit_without_a_phone_shows_its_name_alone(client, county):
    case = county.assigned(lead_department=county.power)
    html = portal_card(client, county, case)
    assert "国网进贤县供电公司" in html and "tel:" not in html


def test_staff_do_not_get_the_enterprises_next_step_box(client, county):
    case = county.assigned()
    assert 'id="next-step"' not in case_page(client, county.dan, case)
    assert 'id="next-step"' not in case_page(client, county.office, case)
