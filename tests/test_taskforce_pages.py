"""Issue 11: the task force's own page, 逐个研究, 批示, review meetings, coverage and people."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import people, workflow
from cases.errors import ActionForbidden
from cases.models import CaseEvent, Meeting
from cases.roles import actor_for
from cases.taskforces import review_queue
from enterprises.models import Enterprise
from taskforces.models import AccountChange, CaseReview, TaskForce, TaskForceMember
from tests.conftest import valid_credit_code

pytestmark = pytest.mark.django_db


def test_every_new_problem_waits_in_the_review_list_until_marked(client, county):
    case = county.submitted()
    county.submitted(enterprise=county.poultry)  # not the task force's enterprise
    assert list(review_queue(actor_for(county.li))) == [case]
    client.force_login(county.li)
    assert case.title in client.get(reverse("taskforces:review")).content.decode()
    client.post(reverse("taskforces:review_mark", args=[case.pk]), {"note": "交工信局"})
    assert CaseReview.objects.get(case=case).reviewed_by == county.li
    assert list(review_queue(actor_for(county.li))) == []
    assert list(review_queue(actor_for(county.hu))) == []  # reviewed for the whole task force


def test_a_cadre_cannot_mark_a_problem_reviewed(client, county):
    case = county.submitted()
    client.force_login(county.carl)
    assert client.get(reverse("taskforces:review")).status_code == 403
    assert client.post(reverse("taskforces:review_mark", args=[case.pk])).status_code == 403
    assert not CaseReview.objects.exists()


def test_marking_a_case_outside_the_task_force_answers_404(client, county):
    case = county.submitted(enterprise=county.poultry)
    client.force_login(county.li)
    assert client.post(reverse("taskforces:review_mark", args=[case.pk])).status_code == 404


def test_the_leader_instructs_the_lead_department_on_the_timeline(county):
    case = county.assigned()
    event = workflow.case_instruct(actor=county.li, case=case, text="请工信局三日内解决")
    assert event.kind == CaseEvent.Kind.INSTRUCTION and not event.public
    assert event.department == county.gxj


def test_only_the_leader_and_heads_of_a_covering_task_force_may_instruct(county):
    case = county.assigned()
    for user in (county.carl, county.dan, county.eva, county.office):
        with pytest.raises(ActionForbidden):
            workflow.case_instruct(actor=user, case=case, text="x")
    other = county.assigned(enterprise=county.poultry)
    with pytest.raises(ActionForbidden):
        workflow.case_instruct(actor=county.li, case=other, text="x")


def test_an_instruction_on_a_case_outside_the_task_force_answers_404_on_the_page(client, county):
    other = county.assigned(enterprise=county.poultry)
    client.force_login(county.li)
    response = client.post(reverse("case_act", args=[other.pk, "instruct"]), {"instruct-text": "x"})
    assert response.status_code == 404


def test_the_task_force_page_shows_enterprises_open_problems_and_stale_visits(client, county):
    county.in_progress()
    client.force_login(county.carl)
    body = client.get(reverse("taskforces:mine")).content.decode()
    assert county.steel.name in body and "从未走访" in body


def test_the_task_force_page_costs_the_same_for_few_and_many_enterprises(client, county):
    client.force_login(county.li)
    client.get(reverse("taskforces:mine"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("taskforces:mine"))
    for n in range(20):
        e = Enterprise.objects.create(name=f"企业{n}", credit_code=valid_credit_code(100 + n))
        county.task_force.enterprises.add(e)
        county.submitted(enterprise=e)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("taskforces:mine"))
    assert len(many) == len(few)


def test_a_review_meeting_links_the_cases_discussed(client, county):
    case = county.in_progress()
    client.force_login(county.li)
    response = client.post(
        reverse("taskforces:meeting_new", args=[county.task_force.pk]),
        {
            "title": "荣信钢构专班周调度",
            "held_on": "2026-11-20",
            "attendees": "李县长等",
            "cases": [case.pk],
            "decisions": "一周内装好变压器",
            "minutes": "纪要",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.kind == Meeting.Kind.TASKFORCE_REVIEW and list(meeting.cases.all()) == [case]


def test_the_office_creates_a_task_force_of_the_right_shape(client, county):
    client.force_login(county.office)
    users = [county.li, county.hu, county.ren, county.carl]
    roles = ["leader", "head", "head", "cadre"]
    data = {
        "name": "桂柳家禽专班",
        "kind": "key",
        "active": "on",
        "enterprise_list": [county.poultry.pk],
        "members-TOTAL_FORMS": "4",
        "members-INITIAL_FORMS": "0",
    }
    for i, (u, r) in enumerate(zip(users, roles, strict=True)):
        data[f"members-{i}-user"] = u.pk
        data[f"members-{i}-role"] = r
    assert client.post(reverse("taskforces:new"), data).status_code == 302
    tf = TaskForce.objects.get(name="桂柳家禽专班")
    assert tf.members.count() == 4 and list(tf.enterprises.all()) == [county.poultry]


def test_a_task_force_with_two_leaders_is_refused_with_a_clear_message(client, county):
    client.force_login(county.office)
    data = {
        "name": "坏专班",
        "kind": "key",
        "active": "on",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
    }
    for i, (u, r) in enumerate(
        [(county.li, "leader"), (county.hu, "leader"), (county.carl, "cadre")]
    ):
        data[f"members-{i}-user"] = u.pk
        data[f"members-{i}-role"] = r
    response = client.post(reverse("taskforces:new"), data)
    assert "只有1名县领导" in response.content.decode()
    assert not TaskForce.objects.filter(name="坏专班").exists()
    assert not TaskForceMember.objects.filter(task_force__name="坏专班").exists()


def test_coverage_lists_enterprises_nobody_covers_and_exports_them(client, county):
    client.force_login(county.office)
    body = client.get(reverse("taskforces:coverage")).content.decode()
    assert county.poultry.name in body.split('id="uncovered"')[1].split('id="unvisited"')[0]
    assert county.steel.name not in body.split('id="uncovered"')[1].split('id="unvisited"')[0]
    response = client.get(reverse("taskforces:coverage") + "?format=xlsx")
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(response.content))
    names = [row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert names == [county.poultry.name]


def test_the_coverage_page_is_for_the_office(client, county):
    client.force_login(county.li)
    assert client.get(reverse("taskforces:coverage")).status_code == 403


def test_the_office_creates_an_account_and_the_change_is_recorded(client, county):
    client.force_login(county.office)
    response = client.post(
        reverse("taskforces:people"),
        {
            "username": "zhang",
            "full_name": "张三",
            "kind": "department",
            "department": county.rsj.pk,
        },
    )
    assert "初始密码" in response.content.decode()
    user = User.objects.get(username="zhang")
    assert user.department_staff.department == county.rsj
    assert AccountChange.objects.get(account=user).changed_by == county.office


def test_the_last_office_account_cannot_be_deactivated(county):
    people.account_set_active(actor=county.office, account=county.office_head, active=False)
    with pytest.raises(Exception) as refused:
        people.account_set_active(actor=county.office, account=county.office, active=False)
    assert "最后一个" in str(refused.value)
    county.office.refresh_from_db()
    assert county.office.is_active


def test_a_password_reset_is_recorded_and_works(client, county):
    password = people.account_reset_password(actor=county.office, account=county.eva)
    county.eva.refresh_from_db()
    assert county.eva.check_password(password)
    assert AccountChange.objects.filter(account=county.eva, action="password_reset").exists()


def test_only_the_office_manages_accounts(client, county):
    client.force_login(county.dan)
    assert client.get(reverse("taskforces:people")).status_code == 403
    assert (
        client.post(reverse("taskforces:people_action", args=[county.eva.pk, "reset"])).status_code
        == 403
    )


def test_the_lead_department_is_told_of_an_instruction_and_signs_for_it(client, county):
    from notifications.inbox import notifications_for

    case = county.assigned()
    event = workflow.case_instruct(actor=county.li, case=case, text="请三日内解决")
    assert any(n.kind == "instruction" for n in notifications_for(county.dan))
    client.force_login(county.dan)
    assert "待牵头部门签收" in client.get(reverse("case_detail", args=[case.pk])).content.decode()
    client.post(reverse("case_instruction_ack", args=[case.pk, event.pk]))
    assert (
        case.events.filter(kind=CaseEvent.Kind.INSTRUCTION_ACK, data__instruction=event.pk).count()
        == 1
    )
    assert "牵头部门已签收" in client.get(reverse("case_detail", args=[case.pk])).content.decode()
    client.post(reverse("case_instruction_ack", args=[case.pk, event.pk]))
    assert case.events.filter(kind=CaseEvent.Kind.INSTRUCTION_ACK).count() == 1


def test_only_the_lead_department_signs_for_an_instruction(county):
    case = county.assigned(co_departments=[county.rsj])
    event = workflow.case_instruct(actor=county.li, case=case, text="x")
    with pytest.raises(ActionForbidden):
        workflow.instruction_acknowledge(actor=county.ren, case=case, instruction=event)


def test_a_reset_password_is_shown_once_and_never_put_in_a_cookie(client, county):
    """The messages cookie is signed, not encrypted: anyone holding it could read a password in it."""
    client.force_login(county.office)

    response = client.post(reverse("taskforces:people_action", args=[county.eva.pk, "reset"]))

    assert response.status_code == 200
    html = response.content.decode()
    password = html.split('id="one-time-password">')[1].split("<")[0]
    county.eva.refresh_from_db()
    assert county.eva.check_password(password)
    assert "no-store" in response["Cache-Control"]
    for cookie in response.cookies.values():
        assert password not in cookie.value
    assert password not in client.get(reverse("taskforces:people")).content.decode()
