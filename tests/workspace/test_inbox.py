"""The department inbox: Dan (县工信局) opens it every morning.

县工信局 leads some cases and helps 县人社局 (Ren) on others; 县供电公司 leads one Dan must never
see; Hu heads 县工信局 and also sits on the steel plant's task force.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import workflow
from cases.models import Case, CaseEvent
from cases.roles import actor_for
from cases.selectors import work_calendar
from cases.workdays import end_of_day, local_date
from workspace.selectors import department_inbox

pytestmark = pytest.mark.django_db
INBOX = reverse("workspace:inbox")


def inbox_of(user, now=None):
    return department_inbox(actor_for(user), now=now or timezone.now(), calendar=work_calendar())


def numbers(rows):
    return [row.case.number for row in rows]


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def set_fields(case: Case, **fields) -> Case:
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def due_today(case: Case, field: str = "contact_due_at") -> Case:
    return set_fields(case, **{field: end_of_day(local_date(timezone.now()))})


def rsj_in_progress(county, **kwargs) -> Case:
    """A case 县人社局 leads and Ren has accepted."""
    case = county.assigned(lead_department=county.rsj, **kwargs)
    return workflow.case_accept(actor=county.ren, case=case, contact_note="电话联系杨总工")


def get(client, user):
    client.force_login(user)
    return client.get(INBOX)


# --- who may open it ---------------------------------------------------------------------------


def test_a_department_clerk_opens_the_inbox_from_the_navbar(client, county):
    response = get(client, county.dan)
    assert response.status_code == 200
    assert f'href="{INBOX}"' in response.content.decode()


@pytest.mark.parametrize("persona", ["office", "eva", "carl", "sam"])
def test_people_outside_a_responsible_unit_are_refused(client, county, persona):
    assert get(client, getattr(county, persona)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, county):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- what it lists and in which order -----------------------------------------------------------


def test_an_overdue_assigned_case_is_in_the_urgent_part_with_its_working_days_overdue(
    client, county
):
    case = county.assigned(assigned_at=days_ago(14))
    body = get(client, county.dan).content.decode()
    urgent = body[body.index('id="urgent"') : body.index('id="leading"')]
    assert case.number in urgent
    assert "逾期" in urgent and "个工作日" in urgent


def test_a_case_due_today_is_urgent_and_one_due_later_is_not(county):
    today = due_today(county.assigned())
    later = county.assigned()
    inbox = inbox_of(county.dan)
    assert numbers(inbox.urgent) == [today.number]
    assert numbers(inbox.leading) == [later.number]
    assert inbox.urgent[0].clock.working_days_left == 0


def test_accepting_a_case_takes_it_out_of_the_urgent_part(county):
    case = county.assigned(assigned_at=days_ago(14))
    set_fields(case, resolve_due_at=timezone.now() + dt.timedelta(days=30))
    assert numbers(inbox_of(county.dan).urgent) == [case.number]
    workflow.case_accept(actor=county.dan, case=case, contact_note="电话联系付董")
    inbox = inbox_of(county.dan)
    assert numbers(inbox.urgent) == []
    assert numbers(inbox.leading) == [case.number]


def test_replying_takes_an_overdue_case_out_of_the_urgent_part_into_the_replied_list(county):
    case = set_fields(county.in_progress(), resolve_due_at=days_ago(3))
    assert numbers(inbox_of(county.dan).urgent) == [case.number]
    workflow.case_reply(actor=county.dan, case=case, outcome="explained", reply="政策不允许")
    inbox = inbox_of(county.dan)
    assert (numbers(inbox.urgent), numbers(inbox.leading), numbers(inbox.replied)) == (
        [],
        [],
        [case.number],
    )


def test_contact_deadlines_come_first_then_resolve_deadlines_soonest_first(county):
    resolve_long_overdue = set_fields(county.in_progress(), resolve_due_at=days_ago(30))
    contact_today = due_today(county.assigned())
    contact_overdue = county.assigned(assigned_at=days_ago(14))
    resolve_far = set_fields(
        county.in_progress(), resolve_due_at=timezone.now() + dt.timedelta(days=40)
    )
    contact_soon = county.assigned()
    inbox = inbox_of(county.dan)
    assert numbers(inbox.urgent) == [
        contact_overdue.number,
        contact_today.number,
        resolve_long_overdue.number,
    ]
    assert numbers(inbox.leading) == [contact_soon.number, resolve_far.number]


def test_lead_cases_come_before_those_the_department_co_operates_on(client, county):
    mine = county.assigned()
    helping = county.assigned(lead_department=county.rsj, co_departments=[county.gxj])
    inbox = inbox_of(county.dan)
    assert numbers(inbox.leading) == [mine.number]
    assert numbers(inbox.co_operating) == [helping.number]
    body = get(client, county.dan).content.decode()
    assert body.index(mine.number) < body.index(helping.number)
    assert "牵头：县人社局" in body


def test_a_case_the_department_only_holds_an_item_of_is_listed_with_the_co_operations(county):
    case = rsj_in_progress(county)
    workflow.case_add_breakdown_item(
        actor=county.ren,
        case=case,
        department=county.gxj,
        measure="协调变压器",
        due_on=local_date(case.resolve_due_at),
    )
    assert numbers(inbox_of(county.dan).co_operating) == [case.number]


def test_a_co_operated_case_is_never_in_the_urgent_part(county):
    county.assigned(
        lead_department=county.rsj, co_departments=[county.gxj], assigned_at=days_ago(14)
    )
    inbox = inbox_of(county.dan)
    assert numbers(inbox.urgent) == []
    assert inbox.co_operating[0].clock.overdue


def test_another_departments_case_is_not_listed(client, county):
    other = county.assigned(enterprise=county.poultry, lead_department=county.power)
    assert other.number not in get(client, county.dan).content.decode()


def test_a_head_sees_his_departments_cases_not_his_task_forces_others(county):
    """Hu sits on the steel plant's task force, so he may read all its cases; his inbox holds
    only those his bureau works on."""
    bureau = county.assigned()
    county.assigned(lead_department=county.rsj)
    assert numbers(inbox_of(county.hu).leading) == [bureau.number]
    assert numbers(inbox_of(county.hu).co_operating) == []


def test_closed_and_submitted_cases_are_not_listed(county):
    county.closed()
    county.submitted()
    inbox = inbox_of(county.dan)
    for section in (inbox.urgent, inbox.leading, inbox.co_operating, inbox.replied):
        assert (numbers(section), section.total) == ([], 0)


# --- what each row says ----------------------------------------------------------------------


def test_a_suspended_case_is_marked_and_leaves_the_urgent_part_while_its_clock_stops(
    client, county
):
    case = county.in_progress(assigned_at=days_ago(40))
    workflow.case_request_suspension(actor=county.dan, case=case, reason="等企业提供用地材料")
    workflow.case_decide_suspension(actor=county.office, case=case, approve=True)
    inbox = inbox_of(county.dan)
    assert numbers(inbox.urgent) == []
    assert inbox.leading[0].suspended and inbox.leading[0].clock is None
    assert "已挂起" in get(client, county.dan).content.decode()


def test_each_row_shows_the_escalation_level_the_reminders_reached(client, county):
    set_fields(
        county.assigned(assigned_at=days_ago(14)), escalation_level=Case.Escalation.ESCALATED
    )
    body = get(client, county.dan).content.decode()
    assert "escalation-2" in body and "督办" in body


def test_a_case_without_a_reminder_yet_shows_no_escalation(client, county):
    county.assigned()
    assert "escalation-" not in get(client, county.dan).content.decode()


def test_each_row_shows_working_days_left(client, county):
    county.assigned()
    body = get(client, county.dan).content.decode()
    # The contact deadline is the end of the third working day after today.
    assert "剩 3 个工作日" in body


def long_running(county) -> Case:
    """Accepted four weeks ago and due in a month: a long-term problem."""
    case = county.assigned(assigned_at=days_ago(30))
    workflow.case_accept(actor=county.dan, case=case, contact_note="上门", now=days_ago(28))
    return set_fields(case, resolve_due_at=timezone.now() + dt.timedelta(days=30))


def test_a_long_running_case_without_a_progress_note_asks_for_one(client, county):
    long_running(county)
    row = inbox_of(county.dan).leading[0]
    assert row.progress.due and row.progress.last_at is None
    assert "未记录进展" in get(client, county.dan).content.decode()


def test_a_recent_progress_note_satisfies_the_interval_and_shows_when_it_was_written(
    client, county
):
    case = long_running(county)
    old = workflow.case_add_progress(actor=county.dan, case=case, note="第一次调度")
    CaseEvent.objects.filter(pk=old.pk).update(created_at=days_ago(15))
    workflow.case_add_progress(actor=county.dan, case=case, note="变压器到货")
    row = inbox_of(county.dan).leading[0]
    assert not row.progress.due
    assert local_date(row.progress.last_at) == local_date(timezone.now())
    body = get(client, county.dan).content.decode()
    assert "未记录进展" not in body and "进展 " in body


@override_settings(PROGRESS_NOTE_INTERVAL_WORKING_DAYS=50)
def test_the_progress_interval_comes_from_the_settings(county):
    long_running(county)
    assert not inbox_of(county.dan).leading[0].progress.due


def test_the_departments_requests_show_the_offices_decision(client, county):
    case = county.in_progress()
    workflow.case_request_extension(
        actor=county.dan,
        case=case,
        resolve_due_at=case.resolve_due_at + dt.timedelta(days=10),
        reason="设备厂家交货推迟",
    )
    workflow.case_decide_extension(actor=county.office, case=case, approve=False, note="请按期办结")
    workflow.case_request_suspension(actor=county.dan, case=case, reason="等企业补材料")
    requests = inbox_of(county.dan).requests
    assert [(r.kind, r.state) for r in requests] == [
        ("suspension", "pending"),
        ("extension", "refused"),
    ]
    body = get(client, county.dan).content.decode()
    section = body[body.index('id="requests"') :]
    assert "不同意" in section and "请按期办结" in section and "待审批" in section


def test_another_departments_requests_are_not_listed(county):
    case = rsj_in_progress(county, co_departments=[county.gxj])
    workflow.case_request_suspension(actor=county.ren, case=case, reason="等企业补材料")
    assert inbox_of(county.dan).requests == []


# --- cost -----------------------------------------------------------------------------------


def populate(county, n: int) -> None:
    """n cases of every kind the inbox shows, with items, progress notes and requests."""
    for _ in range(n):
        county.assigned(assigned_at=days_ago(14))
        county.assigned()
        busy = county.in_progress(co_departments=[county.rsj])
        for note in ("调度一", "调度二"):
            workflow.case_add_progress(actor=county.dan, case=busy, note=note, public=True)
        workflow.case_request_extension(
            actor=county.dan,
            case=busy,
            resolve_due_at=busy.resolve_due_at + dt.timedelta(days=5),
            reason="推迟",
        )
        county.replied()
        helping = rsj_in_progress(county, co_departments=[county.gxj])
        workflow.case_add_breakdown_item(
            actor=county.ren,
            case=helping,
            department=county.gxj,
            measure="协调",
            due_on=local_date(helping.resolve_due_at),
        )


def count_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INBOX).status_code == 200
    return len(queries)


def test_the_inbox_costs_the_same_queries_for_few_and_many_cases_items_and_events(client, county):
    populate(county, 1)
    count_queries(client, county.dan)  # the actor and the calendar, remembered from here
    few = count_queries(client, county.dan)
    populate(county, 6)
    assert len(inbox_of(county.dan).items) == 7
    many = count_queries(client, county.dan)
    assert few == many
    # The session and the user; the counts; the ids of at most five pieces of the cases it leads
    # and of those it co-operates on; the page's cases; their progress notes; the items' ids and
    # rows; the requests; the department's 奖惩通报; the navbar's unread count. (The actor and the
    # calendar are read by the first request and remembered: web.remembered.)
    assert many <= 16
