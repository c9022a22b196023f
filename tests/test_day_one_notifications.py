"""Day one (issue 17): everyone who must act or should know is told, once, through the outbox.

- the co-departments, on the assignment and on a 责任清单 item addressed to them;
- the enterprise's paired cadres, on the assignment, the reply, the rating and the close-out;
- the office, on each new problem — at once, or in its daily digest, as each person chose;
- the enterprise, in plain words, when its problem goes to another department after a return,
  and when the office closes it out.

Each recipient group is checked in the database: one in-app row per person per event.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import intake, workflow
from cases.models import Case, CaseEvent
from cases.workdays import local_date
from enterprises.models import Department, DepartmentStaff
from notifications.digest import digest_send
from notifications.models import Notification, NotificationPreference
from notifications.preferences import new_cases_choice
from taskforces.models import TaskForceMember
from tests.conftest import CHINA, make_user

pytestmark = pytest.mark.django_db

N = Notification
IN_APP = N.Channel.IN_APP


def told(case, **filters) -> Counter:
    """How many in-app rows each user got about the case."""
    return Counter(
        N.objects.filter(case=case, channel=IN_APP, **filters).values_list(
            "user__username", flat=True
        )
    )


def told_about(event: CaseEvent) -> Counter:
    return Counter(
        N.objects.filter(channel=IN_APP, dedup_key__startswith=f"event:{event.pk}:").values_list(
            "user__username", flat=True
        )
    )


def last_event(case, kind) -> CaseEvent:
    return case.events.filter(kind=kind).latest("created_at", "pk")


# --- the assignment ------------------------------------------------------------------------------


def test_an_assignment_tells_the_lead_the_co_departments_the_cadre_and_the_enterprise_once_each(
    county,
):
    case = county.assigned(co_departments=[county.rsj])
    event = last_event(case, CaseEvent.Kind.ASSIGNED)
    assert told_about(event) == {"dan": 1, "hu": 1, "ren": 1, "carl": 1, "eva": 1}
    co = N.objects.get(user=county.ren, case=case, channel=IN_APP)
    assert co.kind == N.Kind.ASSIGNED and co.title.startswith("【协办】")
    assert "县工信局" in co.body and "协办单位" in co.body
    cadre = N.objects.get(user=county.carl, case=case, channel=IN_APP)
    assert "【结对企业】" in cadre.title and "县工信局" in cadre.body
    # The county leader and the task force's department heads are not told of every assignment.
    assert not N.objects.filter(user=county.li).exists()


def test_a_co_departments_robot_hears_the_assignment(county):
    county.rsj.webhook_url = "http://127.0.0.1:9/robot"
    county.rsj.save()
    case = county.assigned(co_departments=[county.rsj])
    robots = N.objects.filter(case=case, channel=N.Channel.WEBHOOK)
    assert list(robots.values_list("department__name", flat=True)) == ["县人社局"]


def test_a_person_in_two_groups_is_told_once(county):
    # Ren works at the co-department and is also a paired cadre of the enterprise.
    TaskForceMember.objects.create(
        task_force=county.task_force, user=county.ren, role=TaskForceMember.Role.CADRE
    )
    case = county.assigned(co_departments=[county.rsj])
    event = last_event(case, CaseEvent.Kind.ASSIGNED)
    assert told_about(event)["ren"] == 1
    assert N.objects.get(user=county.ren, channel=IN_APP).title.startswith("【协办】")


def test_an_assignment_costs_the_same_queries_for_one_co_department_as_for_four(county):
    def assign(co_departments):
        case = county.submitted()
        with CaptureQueriesContext(connection) as queries:
            workflow.case_assign(
                actor=county.office,
                case=case,
                lead_department=county.gxj,
                co_departments=co_departments,
            )
        return len(queries)

    few = assign([county.rsj])
    extra = [Department.objects.create(name=f"县第{n}局") for n in range(3)]
    for n, department in enumerate(extra):
        for m in range(3):
            DepartmentStaff.objects.create(user=make_user(f"clerk{n}{m}"), department=department)
        cadre = make_user(f"cadre{n}")
        TaskForceMember.objects.create(
            task_force=county.task_force, user=cadre, role=TaskForceMember.Role.CADRE
        )
    many = assign([county.rsj, *extra])
    assert many == few
    assert N.objects.filter(user__username="clerk21", channel=IN_APP).count() == 1


# --- the breakdown item --------------------------------------------------------------------------


def test_a_breakdown_item_tells_the_department_it_is_addressed_to(county):
    case = county.in_progress(co_departments=[county.rsj])
    before = set(N.objects.values_list("pk", flat=True))
    workflow.case_add_breakdown_item(
        actor=county.dan,
        case=case,
        department=county.rsj,
        measure="组织专场招聘会",
        due_on=local_date(case.resolve_due_at),
    )
    event = last_event(case, CaseEvent.Kind.BREAKDOWN)
    assert told_about(event) == {"ren": 1}
    item = N.objects.exclude(pk__in=before).get(channel=IN_APP)
    assert item.kind == N.Kind.BREAKDOWN and "组织专场招聘会" in item.body
    assert "县人社局" in item.title


def test_the_leads_own_breakdown_item_tells_nobody(county):
    case = county.in_progress(co_departments=[county.rsj])
    workflow.case_add_breakdown_item(
        actor=county.dan,
        case=case,
        department=county.gxj,
        measure="更换变压器",
        due_on=local_date(case.resolve_due_at),
    )
    assert told_about(last_event(case, CaseEvent.Kind.BREAKDOWN)) == {}


# --- the paired cadres: reply, rating, close-out --------------------------------------------------


def test_the_paired_cadre_is_told_of_the_reply_the_rating_and_the_close_out(county):
    case = county.replied()
    assert told_about(last_event(case, CaseEvent.Kind.REPLIED)) == {"carl": 1, "eva": 1}
    reply = N.objects.get(user=county.carl, kind=N.Kind.REPLIED, channel=IN_APP)
    assert "回访" in reply.body

    workflow.case_rate(actor=county.eva, case=case, rating="satisfied", comment="很及时")
    assert told_about(last_event(case, CaseEvent.Kind.RATED)) == {"carl": 1}
    rating = N.objects.get(user=county.carl, kind=N.Kind.RATED)
    assert "满意" in rating.title and "很及时" in rating.body

    workflow.case_close(actor=county.office, case=case, note="企业满意，同意销号")
    assert told_about(last_event(case, CaseEvent.Kind.CLOSED)) == {"carl": 1, "eva": 1}
    assert "已销号" in N.objects.get(user=county.carl, kind=N.Kind.CLOSED).title
    assert told(case, user=county.carl) == {"carl": 4}  # assigned, replied, rated, closed
    # The enterprise hears that its problem is done, with the office's (public) close-out note.
    done = N.objects.get(user=county.eva, kind=N.Kind.CLOSED)
    assert done.title == f"【已办结】您反映的问题 {case.number} 已销号"
    assert "问题办结" in done.body and "企业满意，同意销号" in done.body


def test_a_rating_the_cadre_recorded_on_a_return_visit_is_not_told_back_to_them(county):
    case = county.replied()
    workflow.case_rate(actor=county.carl, case=case, rating="very_satisfied")
    assert told_about(last_event(case, CaseEvent.Kind.RATED)) == {}


def test_an_enterprise_without_a_task_force_has_no_cadre_to_tell(county):
    case = county.replied(county.poultry)
    assert told_about(last_event(case, CaseEvent.Kind.REPLIED)) == {"bea": 1}


# --- the office on each new problem --------------------------------------------------------------


def test_each_new_problem_reaches_the_office_at_once_but_not_who_entered_it(county):
    raised = intake.case_create(
        actor=county.eva,
        enterprise=county.steel,
        title="招工难",
        category=county.labour_category,
    )
    event = last_event(raised, CaseEvent.Kind.CREATED)
    assert told_about(event) == {"office": 1, "office_head": 1}
    notice = N.objects.get(user=county.office, case=raised)
    assert notice.kind == N.Kind.NEW_CASE and "招工难" in notice.title
    entered = county.submitted()  # by the office clerk
    assert told_about(last_event(entered, CaseEvent.Kind.CREATED)) == {"office_head": 1}


def test_who_chose_the_digest_reads_new_problems_there_and_not_at_once(county):
    NotificationPreference.objects.create(
        user=county.office_head, new_cases=NotificationPreference.NewCases.DIGEST
    )
    raised = intake.case_create(
        actor=county.eva, enterprise=county.steel, title="招工难", category=county.labour_category
    )
    assert told_about(last_event(raised, CaseEvent.Kind.CREATED)) == {"office": 1}

    digest_at = dt.datetime(2026, 12, 8, 8, 30, tzinfo=CHINA)  # a Tuesday
    Case.objects.filter(pk=raised.pk).update(created_at=digest_at - dt.timedelta(hours=20))
    older = county.submitted()
    Case.objects.filter(pk=older.pk).update(created_at=digest_at - dt.timedelta(days=3))
    assert digest_send(now=digest_at) > 0
    digest = N.objects.get(user=county.office_head, kind=N.Kind.DIGEST, channel=IN_APP)
    assert "新问题 1 件" in digest.title
    assert raised.number in digest.body and "待交办" in digest.body
    assert older.number not in digest.body  # told in Monday's digest, not again


def test_the_office_chooses_on_its_inbox_page(client, county):
    client.force_login(county.office_head)
    body = client.get(reverse("notifications")).content.decode()
    assert 'id="notification-settings"' in body and 'value="instant" id' in body
    response = client.post(reverse("notification_settings"), {"new_cases": "digest"})
    assert response.status_code == 302
    assert new_cases_choice(county.office_head) == NotificationPreference.NewCases.DIGEST
    response = client.post(reverse("notification_settings"), {"new_cases": "hourly"}, follow=True)
    assert "不是可选的提醒方式" in response.content.decode()
    assert new_cases_choice(county.office_head) == NotificationPreference.NewCases.DIGEST


def test_the_setting_is_the_offices_only(client, county):
    client.force_login(county.dan)
    assert 'id="notification-settings"' not in client.get(reverse("notifications")).content.decode()
    response = client.post(reverse("notification_settings"), {"new_cases": "digest"})
    assert response.status_code == 403
    assert not NotificationPreference.objects.exists()


# --- the enterprise on a reassignment -------------------------------------------------------------


def test_a_reassignment_is_told_to_the_enterprise_in_plain_words(county):
    case = county.assigned()
    workflow.case_return(actor=county.dan, case=case, reason="属人社局职责")
    workflow.case_assign(actor=county.office, case=case, lead_department=county.rsj)
    event = last_event(case, CaseEvent.Kind.ASSIGNED)
    assert told_about(event) == {"ren": 1, "carl": 1, "eva": 1}
    notice = N.objects.get(dedup_key__startswith=f"event:{event.pk}:", user=county.eva)
    assert "您的问题已改由县人社局办理" in notice.body
    assert "改由" in notice.title and "属人社局职责" not in notice.body  # the reason is internal


def test_a_return_refused_or_assigned_back_to_the_same_department_is_no_reassignment(county):
    case = county.assigned()
    workflow.case_return(actor=county.dan, case=case, reason="不属于本部门")
    workflow.case_assign(actor=county.office, case=case, lead_department=county.gxj)
    event = last_event(case, CaseEvent.Kind.ASSIGNED)
    notice = N.objects.get(dedup_key__startswith=f"event:{event.pk}:", user=county.eva)
    assert "改由" not in notice.title and "已交 县工信局 办理" in notice.title
