"""我的企业 and one enterprise's page: open cases overdue first, the last visit (anyone's) and my
own, the neglected ones marked — at a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import workflow
from cases.models import Visit
from fieldwork.services import visit_log
from taskforces.models import TaskForceEnterprise, TaskForceMember
from tests.conftest import make_user
from tests.factories import make_enterprise
from tests.fieldwork.conftest import today

LIST = reverse("fieldwork:enterprises")


def visit_on(county, days_ago: int, user=None, enterprise=None) -> Visit:
    visit, _ = visit_log(
        actor=user or county.carl,
        enterprise=enterprise or county.steel,
        visited_on=today() - dt.timedelta(days=days_ago),
        kind=Visit.Kind.INSPECT,
    )
    return visit


def overdue_case(county, enterprise=None):
    """Assigned two weeks ago and never contacted: past the 3-working-day contact deadline."""
    return county.assigned(enterprise, assigned_at=timezone.now() - dt.timedelta(days=14))


def cover(county, enterprise):
    TaskForceEnterprise.objects.create(task_force=county.task_force, enterprise=enterprise)
    return enterprise


def test_my_enterprises_are_those_of_my_task_forces_only(carl_client, county):
    county.assigned(enterprise=county.poultry)
    html = carl_client.get(LIST).content.decode()
    assert county.steel.name in html
    assert county.poultry.name not in html


def test_each_enterprise_lists_its_open_cases_overdue_first(carl_client, county):
    fresh = county.assigned()
    late = overdue_case(county)
    closed = county.closed()
    response = carl_client.get(LIST)
    [steel] = response.context["page"].object_list
    assert [c.pk for c in steel.open_cases] == [late.pk, fresh.pk]
    html = response.content.decode()
    assert closed.number not in html
    assert "1 件逾期" in html
    assert "已逾期" in html
    assert "还剩" in html and "个工作日" in html


def test_enterprises_with_an_overdue_case_come_first(carl_client, county):
    calm = cover(county, make_enterprise("甲安静企业"))
    busy = cover(county, make_enterprise("乙逾期企业"))
    overdue_case(county, busy)
    visit_on(county, 1, enterprise=calm)
    names = [e.name for e in carl_client.get(LIST).context["page"].object_list]
    assert names.index("乙逾期企业") < names.index("甲安静企业")


def test_the_last_visit_is_anyones_and_my_own_is_shown_beside_it(carl_client, county):
    colleague = make_user("cora")
    TaskForceMember.objects.create(
        task_force=county.task_force, user=colleague, role=TaskForceMember.Role.CADRE
    )
    visit_on(county, 45)
    visit_on(county, 2, user=colleague)
    response = carl_client.get(LIST)
    [steel] = response.context["page"].object_list
    assert steel.last_visit == today() - dt.timedelta(days=2)
    assert steel.my_last_visit == today() - dt.timedelta(days=45)
    assert (steel.days_since, steel.stale) == (2, False)
    html = response.content.decode()
    assert "未走访" not in html
    assert (today() - dt.timedelta(days=45)).isoformat() in html


def test_an_enterprise_not_visited_for_30_days_is_marked(carl_client, county):
    visit_on(county, 45)
    html = carl_client.get(LIST).content.decode()
    assert "已 45 天未走访" in html


def test_an_enterprise_visited_last_week_is_not_marked(carl_client, county):
    visit_on(county, 6)
    html = carl_client.get(LIST).content.decode()
    assert "stale-mark" not in html
    assert (today() - dt.timedelta(days=6)).isoformat() in html


def test_an_enterprise_never_visited_is_marked(carl_client, county):
    assert "尚未走访" in carl_client.get(LIST).content.decode()


def test_the_staleness_threshold_is_a_setting(carl_client, county, settings):
    settings.VISIT_STALE_AFTER_DAYS = 5
    visit_on(county, 6)
    assert "已 6 天未走访" in carl_client.get(LIST).content.decode()


def test_the_list_can_be_searched_by_name(carl_client, county):
    cover(county, make_enterprise("进贤县文港毛笔厂"))
    names = [e.name for e in carl_client.get(LIST, {"q": "毛笔"}).context["page"].object_list]
    assert names == ["进贤县文港毛笔厂"]


def test_people_outside_every_task_force_are_refused(client, county):
    client.force_login(county.ren)
    assert client.get(LIST).status_code == 403


def test_the_navbar_links_the_cadre_to_the_field_pages(carl_client):
    html = carl_client.get(reverse("home"), follow=True).content.decode()
    assert LIST in html
    assert reverse("fieldwork:visit_new") in html


def _populate(county, n: int) -> None:
    """n more covered enterprises, each with an overdue case, a fresh one, a visit and a photo-less
    return visit, so every part of the page has rows to show."""
    for i in range(n):
        enterprise = cover(county, make_enterprise())
        overdue_case(county, enterprise)
        county.assigned(enterprise)
        visit_on(county, i, enterprise=enterprise)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_my_enterprises_costs_the_same_for_few_and_many(carl_client, county):
    _populate(county, 1)
    carl_client.get(LIST)  # the first request of a session may touch it
    few = _queries(carl_client, LIST)
    _populate(county, 12)
    assert _queries(carl_client, LIST) == few


def test_the_enterprise_page_costs_the_same_for_few_and_many(carl_client, county):
    url = reverse("fieldwork:enterprise", args=[county.steel.pk])
    overdue_case(county)
    visit_on(county, 3)
    carl_client.get(url)
    few = _queries(carl_client, url)
    for i in range(6):
        case = county.in_progress()
        workflow.case_add_commitment(
            actor=county.carl, case=case, text=f"承诺{i}", due_on=today() + dt.timedelta(days=3)
        )
        county.replied()
        county.closed()
        visit_on(county, i)
    assert _queries(carl_client, url) == few


# --- one enterprise ----------------------------------------------------------------------------


def test_the_enterprise_page_shows_open_cases_commitments_and_visits(carl_client, county):
    case = county.in_progress()
    kept = workflow.case_add_commitment(
        actor=county.carl, case=case, text="周五前协调供电所上门", due_on=today()
    )
    workflow.commitment_keep(actor=county.carl, commitment=kept)
    workflow.case_add_commitment(
        actor=county.carl, case=case, text="下周联系银行", due_on=today() + dt.timedelta(days=7)
    )
    visit = visit_on(county, 2)
    response = carl_client.get(reverse("fieldwork:enterprise", args=[county.steel.pk]))
    html = response.content.decode()
    assert case.number in html
    assert "周五前协调供电所上门" in html and "已践诺" in html
    assert "下周联系银行" in html and "进行中" in html
    assert reverse("fieldwork:visit", args=[visit.pk]) in html
    assert reverse("case_detail", args=[case.pk]) in html
    assert "县工信局" in html


def test_a_missed_commitment_shows_as_missed(carl_client, county):
    case = county.in_progress()
    commitment = workflow.case_add_commitment(
        actor=county.carl, case=case, text="三天内回复", due_on=today()
    )
    type(commitment).objects.filter(pk=commitment.pk).update(due_on=today() - dt.timedelta(days=1))
    html = carl_client.get(reverse("fieldwork:enterprise", args=[county.steel.pk])).content.decode()
    assert "未按期践诺" in html


def test_replied_cases_awaiting_a_rating_invite_a_return_visit(carl_client, county):
    county.replied()
    html = carl_client.get(reverse("fieldwork:enterprise", args=[county.steel.pk])).content.decode()
    assert "1 件问题已反馈，等待企业评价。" in html
    assert f"{reverse('fieldwork:visit_new')}?enterprise={county.steel.pk}&amp;kind=resolve" in html


@pytest.mark.parametrize("enterprise", ["poultry"])
def test_an_enterprise_outside_my_task_forces_answers_404(carl_client, county, enterprise):
    pk = getattr(county, enterprise).pk
    assert carl_client.get(reverse("fieldwork:enterprise", args=[pk])).status_code == 404


def test_recent_visits_come_newest_first(carl_client, county):
    old, new, middle = visit_on(county, 40), visit_on(county, 1), visit_on(county, 10)
    response = carl_client.get(reverse("fieldwork:enterprise", args=[county.steel.pk]))
    assert [v.pk for v in response.context["visits"]] == [new.pk, middle.pk, old.pk]
