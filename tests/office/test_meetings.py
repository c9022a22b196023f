"""交办会 and 调度会: minutes, the cases on the agenda, and one printable letter per lead department."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from cases import workflow
from cases.models import Meeting
from cases.workdays import CHINA

pytestmark = pytest.mark.django_db

FIRST_BATCH_DAY = dt.datetime(2021, 4, 22, 9, 30, tzinfo=CHINA)


def make_meeting(county, kind=Meeting.Kind.ASSIGNMENT, **fields):
    fields.setdefault("title", "“四进四问”第一批问题交办会")
    fields.setdefault("held_on", dt.date(2021, 4, 22))
    return Meeting.objects.create(kind=kind, created_by=county.office, **fields)


def test_the_office_records_an_assignment_meeting(office_client, county):
    response = office_client.post(
        reverse("office:meeting_new"),
        {
            "kind": "assignment",
            "title": "第一批问题交办会",
            "held_on": "2021-04-22",
            "attendees": "县领导；各成员单位主要负责人",
            "minutes": "集中交办第一批508个问题。",
            "decisions": "接到交办函后3个工作日内与企业对接。",
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("office:meeting", args=[meeting.pk])
    assert (meeting.kind, meeting.held_on, meeting.created_by) == (
        Meeting.Kind.ASSIGNMENT,
        dt.date(2021, 4, 22),
        county.office,
    )


def test_a_meeting_without_title_or_date_is_refused_beside_the_fields(office_client, county):
    response = office_client.post(reverse("office:meeting_new"), {"kind": "dispatch"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "held_on"}
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_office_form_does_not_record_a_task_forces_own_review(office_client, county):
    response = office_client.post(
        reverse("office:meeting_new"),
        {"kind": "taskforce_review", "title": "专班研究会", "held_on": "2021-04-20"},
    )
    assert "kind" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_the_minutes_can_be_written_after_the_meeting(office_client, county):
    meeting = make_meeting(county)
    office_client.post(
        reverse("office:meeting_edit", args=[meeting.pk]),
        {"kind": "assignment", "title": meeting.title, "held_on": "2021-04-22", "minutes": "纪要"},
    )
    meeting.refresh_from_db()
    assert meeting.minutes == "纪要"


def test_a_dispatch_meeting_links_the_cases_discussed_and_shows_its_decisions(
    office_client, county
):
    late, other = county.in_progress(), county.in_progress(enterprise=county.poultry)
    meeting = make_meeting(
        county, Meeting.Kind.DISPATCH, title="五月调度会", decisions="超期问题5个工作日内报送进展"
    )
    url = reverse("office:meeting", args=[meeting.pk])
    response = office_client.post(url, {"numbers": f"{late.number}，{other.number}"})
    assert response["Location"] == url
    assert set(meeting.cases.all()) == {late, other}
    body = office_client.get(url).content.decode()
    assert "超期问题5个工作日内报送进展" in body
    assert late.number in body and "研究的问题" in body


def test_unknown_numbers_are_named_and_nothing_is_added(office_client, county):
    case = county.submitted()
    meeting = make_meeting(county)
    response = office_client.post(
        reverse("office:meeting", args=[meeting.pk]), {"numbers": f"{case.number} 2021-99999"}
    )
    assert response.context["add_form"].errors["numbers"] == [
        "找不到这些问题编号（或问题已合并）：2021-99999"
    ]
    assert not meeting.cases.exists()


def test_a_case_can_be_taken_off_the_agenda(office_client, county):
    case = county.submitted()
    meeting = make_meeting(county)
    meeting.cases.add(case)
    office_client.post(reverse("office:meeting_remove_case", args=[meeting.pk, case.pk]))
    assert not meeting.cases.exists()


def test_the_meeting_page_offers_to_assign_its_waiting_cases_and_then_one_letter_per_department(
    office_client, county
):
    meeting = make_meeting(county)
    waiting = county.submitted()
    meeting.cases.add(waiting)
    body = office_client.get(reverse("office:meeting", args=[meeting.pk])).content.decode()
    assert reverse("office:meeting_assign", args=[meeting.pk]) in body
    workflow.case_assign(actor=county.office, case=waiting, lead_department=county.gxj)
    meeting.cases.add(county.assigned(lead_department=county.rsj))
    response = office_client.get(reverse("office:meeting", args=[meeting.pk]))
    assert dict(response.context["letters"]) == {county.gxj: 1, county.rsj: 1}
    assert reverse("office:letter", args=[meeting.pk, county.gxj.pk]) in response.content.decode()
    assert response.context["waiting"] == 0


def test_the_letter_lists_the_departments_cases_deadlines_and_the_three_day_rule(
    office_client, county
):
    meeting = make_meeting(county)
    mine = county.assigned(
        lead_department=county.gxj, co_departments=[county.power], assigned_at=FIRST_BATCH_DAY
    )
    theirs = county.assigned(lead_department=county.rsj, assigned_at=FIRST_BATCH_DAY)
    not_on_agenda = county.assigned(lead_department=county.gxj)
    meeting.cases.add(mine, theirs)
    response = office_client.get(reverse("office:letter", args=[meeting.pk, county.gxj.pk]))
    body = response.content.decode()
    assert "县工信局：" in body
    assert mine.number in body
    assert theirs.number not in body and not_on_agenda.number not in body
    assert "2021-04-26" in body  # contact deadline of the 22 April 2021 assignment
    assert "3 个工作日内" in body
    assert "抄送：国网进贤县供电公司" in body
    assert "2021年4月22日" in body
    assert "site/print.css" in body


def test_the_letters_print_stylesheet_is_a4_and_hides_the_navbar():
    css = (Path(__file__).resolve().parents[2] / "static/site/print.css").read_text()
    assert "size: A4" in css
    assert "@media print" in css and "nav.navbar" in css


def test_there_is_no_letter_for_a_department_with_no_case_at_the_meeting(office_client, county):
    meeting = make_meeting(county)
    meeting.cases.add(county.assigned(lead_department=county.gxj))
    response = office_client.get(reverse("office:letter", args=[meeting.pk, county.rsj.pk]))
    assert response.status_code == 404


def test_the_meetings_list_filters_by_kind(office_client, county):
    assignment = make_meeting(county)
    dispatch = make_meeting(county, Meeting.Kind.DISPATCH, title="调度会")
    response = office_client.get(reverse("office:meetings"), {"kind": "dispatch"})
    assert list(response.context["page"].object_list) == [dispatch]
    response = office_client.get(reverse("office:meetings"))
    assert set(response.context["page"].object_list) == {assignment, dispatch}


def test_a_dispatch_meeting_sends_no_assignment_letters(office_client, county):
    meeting = make_meeting(county, Meeting.Kind.DISPATCH, title="调度会")
    meeting.cases.add(county.assigned(lead_department=county.gxj))
    assert office_client.get(reverse("office:meeting", args=[meeting.pk])).context["letters"] == []
    response = office_client.get(reverse("office:letter", args=[meeting.pk, county.gxj.pk]))
    assert response.status_code == 404
