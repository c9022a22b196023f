"""交办: the office assigns one case or many — previewing the deadlines, then confirming once."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import workflow
from cases.errors import InvalidState
from cases.models import Case, CaseEvent, Meeting
from cases.workdays import CHINA, end_of_day
from office.assignment import AssignmentFailed, AssignmentRow, cases_assign
from tests.office.helpers import messages_of

pytestmark = pytest.mark.django_db

URL = reverse("office:assign")


def form_data(cases, leads, *, step="preview", co=None, **common):
    data = {"case": [c.pk for c in cases], "step": step}
    data.update({"batch": "", "resolve_due_on": "", "assigned_on": "", "note": ""})
    data.update(common)
    for case, lead in zip(cases, leads, strict=True):
        data[f"c{case.pk}-lead_department"] = lead.pk if lead else ""
        data[f"c{case.pk}-co_departments"] = [d.pk for d in (co or {}).get(case.pk, [])]
    return data


def preview_and_confirm(client, cases, leads, **common):
    preview = client.post(URL, form_data(cases, leads, **common))
    assert preview.context["preview"] is not None, preview.context["common"].errors
    data = form_data(cases, leads, step="confirm", **common)
    data["token"] = preview.context["token"]
    return client.post(URL, data), data


def assigned_events(case) -> int:
    return CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ASSIGNED).count()


def test_the_form_preselects_the_suggested_lead_department(office_client, county):
    case = county.submitted()
    response = office_client.get(URL, {"case": case.pk})
    row = response.context["rows"][0]
    assert row.case == case
    assert row["lead_department"].value() == county.power.pk  # the category's default
    assert "该类别的默认牵头部门" in response.content.decode()


def test_the_preview_shows_the_contact_deadline_before_anything_is_saved(office_client, county):
    case = county.submitted()
    # The design's worked example: assigned Thursday 22 April 2021, Sunday the 25th was a working day.
    response = office_client.post(URL, form_data([case], [county.gxj], assigned_on="2021-04-22"))
    preview = response.context["preview"]
    assert preview.rows[0].contact_due_at == dt.datetime(2021, 4, 26, 23, 59, 59, tzinfo=CHINA)
    body = response.content.decode()
    assert "2021-04-26" in body and 'name="token"' in body
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED and assigned_events(case) == 0


def test_the_live_hint_gives_the_contact_deadline_of_the_chosen_day(office_client, county):
    response = office_client.get(reverse("office:contact_deadline"), {"assigned_on": "2021-04-29"})
    # 1–5 May 2021 were holidays
    assert "2021-05-07" in response.content.decode()


def test_confirming_assigns_every_selected_case_with_the_batch_and_deadlines(office_client, county):
    a, b = county.submitted(), county.submitted(enterprise=county.poultry, title="电焊工紧缺")
    response, _data = preview_and_confirm(
        office_client,
        [a, b],
        [county.gxj, county.rsj],
        co={a.pk: [county.power]},
        batch="第一批",
        resolve_due_on="2021-05-31",
        assigned_on="2021-04-22",
    )
    assert response["Location"] == reverse("office:triage")
    assert messages_of(response) == ["已交办 2 件问题。"]
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.lead_department, a.batch) == (Case.Status.ASSIGNED, county.gxj, "第一批")
    assert list(a.co_departments.all()) == [county.power]
    assert b.lead_department == county.rsj
    assert a.contact_due_at == end_of_day(dt.date(2021, 4, 26))
    assert a.resolve_due_at == end_of_day(dt.date(2021, 5, 31))
    assert timezone.localtime(a.assigned_at).date() == dt.date(2021, 4, 22)


def test_without_a_resolve_date_each_case_gets_its_categorys_default(office_client, county):
    case = county.submitted()
    preview_and_confirm(office_client, [case], [county.gxj], assigned_on="2021-04-22")
    case.refresh_from_db()
    # 用电用能: 10 working days after 22 April 2021 — 23, 25 (a Sunday worked), 26–30 April, then
    # 1–5 May off, 6, 7 and 8 May (a Saturday worked)
    assert case.resolve_due_at == end_of_day(dt.date(2021, 5, 8))


def test_a_blank_batch_keeps_the_batch_the_case_came_with(office_client, county):
    case = county.submitted()
    Case.objects.filter(pk=case.pk).update(batch="企业自报")
    preview_and_confirm(office_client, [case], [county.gxj])
    case.refresh_from_db()
    assert case.batch == "企业自报"


def test_a_double_click_on_confirm_assigns_once_and_says_so(office_client, county):
    case = county.submitted()
    first, data = preview_and_confirm(office_client, [case], [county.gxj])
    second = office_client.post(URL, data)
    assert second.status_code == 302
    assert messages_of(second) == ["这批问题已经提交过交办，请勿重复提交。"]
    assert assigned_events(case) == 1


def test_confirming_again_from_another_tab_is_refused_by_the_workflow(office_client, county):
    case = county.submitted()
    preview = office_client.post(URL, form_data([case], [county.gxj]))
    other_tab = office_client.post(URL, form_data([case], [county.rsj]))
    for response, lead in [(preview, county.gxj), (other_tab, county.rsj)]:
        data = form_data([case], [lead], step="confirm")
        data["token"] = response.context["token"]
        last = office_client.post(URL, data)
    assert last.status_code == 302
    assert messages_of(last) == [f"问题 {case.number}：问题当前状态为“已交办”，不能交办。"]
    case.refresh_from_db()
    assert case.lead_department == county.gxj and assigned_events(case) == 1


def test_if_one_case_cannot_be_assigned_none_of_the_batch_is(office_client, county):
    a, b = county.submitted(), county.submitted(title="融资难")
    preview = office_client.post(URL, form_data([a, b], [county.gxj, county.gxj]))
    workflow.case_assign(actor=county.office, case=b, lead_department=county.rsj)  # meanwhile
    data = form_data([a, b], [county.gxj, county.gxj], step="confirm")
    data["token"] = preview.context["token"]
    response = office_client.post(URL, data)
    assert b.number in messages_of(response)[0]
    a.refresh_from_db()
    assert a.status == Case.Status.SUBMITTED and assigned_events(a) == 0


def test_the_service_rolls_back_the_cases_before_a_refused_one(county):
    a, b = county.submitted(), county.submitted(title="融资难")
    rows = [AssignmentRow(a, county.gxj), AssignmentRow(b, county.office_dept)]
    with pytest.raises(AssignmentFailed) as failure:
        cases_assign(actor=county.office, rows=rows, batch="第一批")
    assert failure.value.case == b
    assert "lead_department" in failure.value.error.message_dict
    a.refresh_from_db()
    assert a.status == Case.Status.SUBMITTED and a.batch == "" and assigned_events(a) == 0


def test_the_service_refuses_a_case_assigned_twice(county):
    case = county.submitted()
    cases_assign(actor=county.office, rows=[AssignmentRow(case, county.gxj)])
    with pytest.raises(InvalidState):
        cases_assign(actor=county.office, rows=[AssignmentRow(case, county.gxj)])
    assert assigned_events(case) == 1


def test_assigning_without_a_lead_department_says_so_beside_the_field(office_client, county):
    case = county.submitted()
    response = office_client.post(URL, form_data([case], [None]))
    assert response.status_code == 200 and response.context["preview"] is None
    assert response.context["rows"][0].errors["lead_department"] == ["请选择牵头部门。"]
    assert "请选择牵头部门。" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED


def test_a_resolve_deadline_before_the_contact_deadline_is_refused_beside_the_field(
    office_client, county
):
    case = county.submitted()
    response = office_client.post(
        URL, form_data([case], [county.gxj], assigned_on="2021-04-22", resolve_due_on="2021-04-23")
    )
    assert response.context["preview"] is None
    assert response.context["common"].errors["resolve_due_on"] == [
        "办结期限不能早于对接期限（2021-04-26）。"
    ]
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED


def test_the_lead_department_cannot_also_be_a_co_department(office_client, county):
    case = county.submitted()
    response = office_client.post(URL, form_data([case], [county.gxj], co={case.pk: [county.gxj]}))
    assert response.context["rows"][0].errors["co_departments"] == ["牵头部门不能同时是协办单位。"]


def test_an_assignment_date_in_the_future_is_refused(office_client, county):
    case = county.submitted()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = office_client.post(URL, form_data([case], [county.gxj], assigned_on=tomorrow))
    assert response.context["common"].errors["assigned_on"] == ["交办日期不能晚于今天。"]


def test_going_back_from_the_preview_keeps_the_choices(office_client, county):
    case = county.submitted()
    response = office_client.post(URL, form_data([case], [county.rsj], step="edit", batch="第二批"))
    assert response.context["preview"] is None
    assert response.context["rows"][0]["lead_department"].value() == str(county.rsj.pk)
    assert response.context["common"]["batch"].value() == "第二批"


def test_nothing_selected_goes_back_to_the_inbox_with_a_message(office_client, county):
    response = office_client.post(URL, {"step": "start"})
    assert response["Location"] == reverse("office:triage")
    assert messages_of(response) == ["没有选中待交办的问题。"]


def test_a_meeting_assigns_its_waiting_cases_in_one_step(office_client, county):
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.ASSIGNMENT, title="交办会", held_on="2021-04-22"
    )
    a, b = county.submitted(), county.submitted(title="融资难")
    done = county.assigned()
    county.submitted(title="不在会上")
    meeting.cases.add(a, b, done)
    url = reverse("office:meeting_assign", args=[meeting.pk])
    form = office_client.get(url)
    assert [row.case for row in form.context["rows"]] == [a, b]
    data = form_data([a, b], [county.gxj, county.rsj], batch="第一批")
    preview = office_client.post(url, data)
    data.update(step="confirm", token=preview.context["token"])
    response = office_client.post(url, data)
    assert response["Location"] == reverse("office:meeting", args=[meeting.pk])
    assert (
        Case.objects.filter(
            pk__in=[a.pk, b.pk], status=Case.Status.ASSIGNED, batch="第一批"
        ).count()
        == 2
    )


def test_cases_ticked_in_the_inbox_arrive_on_the_form_and_those_no_longer_waiting_are_skipped(
    office_client, county
):
    a, b = county.submitted(), county.submitted(title="融资难")
    gone = county.assigned()
    response = office_client.post(URL, {"step": "start", "case": [a.pk, b.pk, gone.pk]})
    assert [row.case for row in response.context["rows"]] == [a, b]
    assert "部分所选问题已不是待交办状态，已略过。" in response.content.decode()
