"""催办 (urge): the office, a task-force leader, or the enterprise once a deadline has passed presses
the lead department — recorded, told to the department and the office at once, and at most once a
working day for each unit.

荣信钢构 (Eva) raised a problem that 县工信局 (Dan, Hu) leads; Li leads the task force, Carl is its
paired cadre; Ou is the office (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases import workflow
from cases.errors import ActionForbidden, InvalidState
from cases.models import Case, CaseEvent
from cases.selectors import work_calendar
from cases.workdays import CHINA, WorkCalendar, add_working_days, local_date, start_of_day
from notifications.models import Notification
from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db

K = CaseEvent.Kind
N = Notification


def overdue(county, **kwargs) -> Case:
    """Assigned ten days ago and never contacted: the contact deadline has passed."""
    return county.assigned(assigned_at=timezone.now() - dt.timedelta(days=10), **kwargs)


def next_working_day_start(now: dt.datetime | None = None) -> dt.datetime:
    """When an urge made at now may be followed by the next: it counts for its working day (a day
    off's, for the working day after), and the next may come the working day after that."""
    today, calendar = local_date(now or timezone.now()), work_calendar()
    if not calendar.is_workday(today):
        today = add_working_days(today, 1, calendar)
    return start_of_day(add_working_days(today, 1, calendar))


def urged(case) -> list[CaseEvent]:
    return list(case.events.filter(kind=K.URGED).order_by("id"))


def told(case) -> list[tuple[str, str]]:
    return sorted(
        N.objects.filter(kind=N.Kind.URGED, case=case, channel=N.Channel.IN_APP).values_list(
            "user__username", "title"
        )
    )


# --- who may urge, and when --------------------------------------------------------------------


def test_the_enterprise_urges_once_the_contact_deadline_has_passed(county):
    case = overdue(county)
    event = workflow.case_urge(actor=county.eva, case=case, note="一直没人联系我们")
    assert event.kind == K.URGED and event.public
    assert (event.unit_kind, event.unit_name) == ("enterprise", county.steel.name)
    assert event.note == "一直没人联系我们" and event.internal_note == ""
    assert event.department == county.gxj
    assert event.data["deadline"] == "contact" and event.data["overdue"] is True


def test_before_any_deadline_has_passed_the_enterprise_is_told_when_it_may(county):
    case = county.assigned()
    with pytest.raises(InvalidState) as refused:
        workflow.case_urge(actor=county.eva, case=case)
    due = local_date(case.contact_due_at).isoformat()
    assert refused.value.message == f"对接期限（{due}）还没到，到期未办结再催办。"
    assert urged(case) == []
    assert "urge" not in workflow.allowed_actions(county.eva, case)


def test_the_resolve_deadline_counts_once_the_department_has_made_contact(county):
    case = county.in_progress(assigned_at=timezone.now() - dt.timedelta(days=40))
    assert "urge" in workflow.allowed_actions(county.eva, case)
    event = workflow.case_urge(actor=county.eva, case=case)
    assert event.data["deadline"] == "resolve"


def test_the_office_and_the_task_force_leader_may_urge_before_a_deadline_passes(county):
    case = county.assigned()
    office = workflow.case_urge(actor=county.office, case=case, note="请本周内对接")
    leader = workflow.case_urge(actor=county.li, case=case)
    assert not office.public and office.note == "" and office.internal_note == "请本周内对接"
    assert (office.unit_kind, leader.unit_kind) == ("office", "taskforce")
    assert leader.unit_name == "荣信钢构专班" and not leader.public
    assert office.data["overdue"] is False


@pytest.mark.parametrize("who", ["carl", "dan", "bea", "sam"])
def test_nobody_else_may_urge(county, who):
    case = overdue(county)
    with pytest.raises(ActionForbidden):
        workflow.case_urge(actor=getattr(county, who), case=case)
    assert "urge" not in workflow.allowed_actions(getattr(county, who), case)


@pytest.mark.parametrize("state", ["submitted", "replied", "closed"])
def test_only_a_case_being_handled_can_be_urged(county, state):
    case = getattr(county, state)()
    with pytest.raises(InvalidState) as refused:
        workflow.case_urge(actor=county.office, case=case)
    assert "不能催办" in refused.value.message


def test_a_suspended_case_cannot_be_urged(county):
    case = county.in_progress(assigned_at=timezone.now() - dt.timedelta(days=40))
    workflow.case_request_suspension(actor=county.dan, case=case, reason="等企业提供环评材料")
    workflow.case_decide_suspension(actor=county.office, case=case, approve=True)
    for who in (county.eva, county.office):
        with pytest.raises(InvalidState) as refused:
            workflow.case_urge(actor=who, case=case)
        assert refused.value.message == "问题已挂起（等待企业），期限暂停计算，不能催办。"


# --- once a working day --------------------------------------------------------------------------


def test_a_second_urge_the_same_working_day_is_refused_saying_when_it_may_come(county):
    case = overdue(county)
    workflow.case_urge(actor=county.eva, case=case)
    again = next_working_day_start()
    with pytest.raises(InvalidState) as refused:
        workflow.case_urge(actor=county.eva, case=case)
    assert refused.value.message == (
        f"今天已催办过此问题，每个工作日只能催办一次；{local_date(again).isoformat()}起可再次催办。"
    )
    assert len(urged(case)) == 1
    # The next working day it may come again.
    workflow.case_urge(actor=county.eva, case=case, now=again)
    assert len(urged(case)) == 2


def test_each_unit_has_its_own_urge_of_the_day(county):
    case = overdue(county)
    workflow.case_urge(actor=county.eva, case=case)
    workflow.case_urge(actor=county.office, case=case)
    workflow.case_urge(actor=county.li, case=case)
    with pytest.raises(InvalidState):
        workflow.case_urge(actor=county.office_head, case=case)  # the office, once more
    assert [e.unit_kind for e in urged(case)] == ["enterprise", "office", "taskforce"]


@pytest.mark.parametrize(
    "last, now, allowed",
    [
        # Friday 6 June 2025: not again that day, nor on the weekend; Monday 9 June it may.
        ((2025, 6, 6, 9), (2025, 6, 6, 17), False),
        ((2025, 6, 6, 9), (2025, 6, 8, 12), False),
        ((2025, 6, 6, 9), (2025, 6, 9, 0), True),
        # An urge on Saturday 7 June counts for the working day that follows: Monday is the next.
        ((2025, 6, 7, 9), (2025, 6, 9, 10), False),
        ((2025, 6, 7, 9), (2025, 6, 10, 0), True),
        # 端午 2025: 31 May – 2 June off; an urge on Friday 30 May may come again on Tuesday 3 June.
        ((2025, 5, 30, 9), (2025, 6, 2, 10), False),
        ((2025, 5, 30, 9), (2025, 6, 3, 0), True),
    ],
)
def test_once_a_working_day_follows_the_calendar(last, now, allowed):
    last, now = (dt.datetime(*t, tzinfo=CHINA) for t in (last, now))
    again = workflow.urge_again_after(last, now, WorkCalendar())
    assert (again is None) is allowed


# --- who is told ---------------------------------------------------------------------------------


def test_the_lead_department_and_the_office_are_told_once_each(county):
    case = overdue(county)
    workflow.case_urge(actor=county.eva, case=case, note="请尽快联系")
    title = f"【催办】{case.number} {case.title}"
    assert told(case) == [("dan", title), ("hu", title), ("office", title)]
    body = N.objects.filter(kind=N.Kind.URGED, user=county.dan).get().body
    assert county.steel.name in body and "请尽快联系" in body and "已逾期" in body
    assert not N.objects.filter(kind=N.Kind.URGED, user=county.eva).exists()


def test_the_office_is_not_told_of_its_own_urge(county):
    case = county.assigned()
    workflow.case_urge(actor=county.office, case=case)
    assert [who for who, _title in told(case)] == ["dan", "hu"]


# --- the enterprise's timeline -------------------------------------------------------------------


def test_the_enterprise_sees_its_own_urge_but_not_the_offices(client, county):
    case = overdue(county)
    workflow.case_urge(actor=county.office, case=case, note="县委办内部催办说明")
    workflow.case_urge(actor=county.eva, case=case, note="企业自己的催办")
    client.force_login(county.eva)
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "您已催办" in html and "企业自己的催办" in html
    assert "县委办内部催办说明" not in html


# --- pages and the API ---------------------------------------------------------------------------


def test_the_portal_offers_the_urge_button_only_once_a_deadline_has_passed(client, county):
    late, on_time = overdue(county), county.assigned()
    client.force_login(county.eva)
    html = client.get(reverse("portal:cases")).content.decode()
    urge = reverse("case_act", args=[late.pk, "urge"])
    assert urge in html
    assert reverse("case_act", args=[on_time.pk, "urge"]) not in html
    response = client.post(urge, follow=True)
    assert response.status_code == 200
    assert "已催办：县工信局和县委办已收到通知。" in response.content.decode()
    assert len(urged(late)) == 1
    # Urged today: the button gives way to when it may come again.
    html = client.get(reverse("portal:cases")).content.decode()
    assert urge not in html and "您今天已催办" in html


def test_a_second_urge_from_the_page_says_when_it_may_come_again(client, county):
    case = overdue(county)
    client.force_login(county.eva)
    client.post(reverse("case_act", args=[case.pk, "urge"]))
    response = client.post(reverse("case_act", args=[case.pk, "urge"]), follow=True)
    assert "每个工作日只能催办一次" in response.content.decode()
    assert len(urged(case)) == 1


def test_the_case_page_offers_urge_to_the_office_and_the_leader(client, county):
    case = county.assigned()
    for user in (county.office, county.li):
        client.force_login(user)
        html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
        assert 'id="action-urge"' in html
    client.force_login(county.dan)
    assert (
        'id="action-urge"'
        not in client.get(reverse("case_detail", args=[case.pk])).content.decode()
    )
    client.force_login(county.office)
    client.post(reverse("case_act", args=[case.pk, "urge"]), {"urge-note": "请抓紧"})
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'id="action-urge"' not in html and 'id="urge-again"' in html
    assert "请抓紧" in html  # the office reads its own internal note


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def test_the_api_urges_in_one_call_and_refuses_with_the_reason(county):
    case = overdue(county)
    url = f"/api/v1/cases/{case.pk}/urge/"
    first = api(county.eva).post(url, {"note": "请尽快"}, format="json")
    assert first.status_code == 200 and first.json()["id"] == case.pk
    second = api(county.eva).post(url, {}, format="json")
    assert second.status_code == 409
    assert "每个工作日只能催办一次" in str(second.json())
    early = api(county.eva).post(f"/api/v1/cases/{county.assigned().pk}/urge/", {}, format="json")
    assert early.status_code == 409 and "还没到" in str(early.json())
    assert api(county.carl).post(url, {}, format="json").status_code == 403


def test_the_schema_documents_the_urge_action(county):
    response = api(county.dan).get("/api/schema/?format=json")
    schema = response.json()
    assert "post" in schema["paths"]["/api/v1/cases/{id}/urge/"]
    assert '"urged"' in response.content.decode()  # the event's and the notification's kind
