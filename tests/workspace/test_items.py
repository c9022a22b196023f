"""Ticking off breakdown items (责任清单) from the inbox.

县人社局 (Ren) leads the welder shortage and gives 县工信局 (Dan) one item of it; Dan ticks his own
item from his inbox, never Ren's, and nobody outside the case reaches it at all.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import workflow
from cases.models import BreakdownItem, CaseEvent
from cases.workdays import local_date
from enterprises.models import DepartmentStaff
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def welders(county):
    """The welder case, led by 县人社局 with 县工信局 helping; one item for each bureau."""
    case = county.assigned(lead_department=county.rsj, co_departments=[county.gxj])
    case = workflow.case_accept(actor=county.ren, case=case, contact_note="电话联系杨总工")
    due = local_date(case.resolve_due_at)

    def item(department, measure):
        return workflow.case_add_breakdown_item(
            actor=county.ren, case=case, department=department, measure=measure, due_on=due
        )

    return case, item(county.gxj, "对接职业学校安排实习"), item(county.rsj, "发布招聘信息")


def tick(client, user, item, **headers):
    client.force_login(user)
    return client.post(reverse("workspace:item_done", args=[item.pk]), **headers)


def test_a_co_department_sees_its_own_open_items_in_the_inbox_and_not_the_leads(
    client, county, welders
):
    _, mine, theirs = welders
    client.force_login(county.dan)
    body = client.get(reverse("workspace:inbox")).content.decode()
    section = body[body.index('id="my-items"') : body.index('id="co-operating"')]
    assert mine.measure in section and theirs.measure not in section
    assert reverse("workspace:item_done", args=[mine.pk]) in section


def test_ticking_an_item_with_htmx_answers_the_done_row_and_records_it(client, county, welders):
    case, mine, _ = welders
    response = tick(client, county.dan, mine, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="item-{mine.pk}"' in body and "已完成" in body and "<html" not in body
    mine.refresh_from_db()
    assert mine.done_at is not None
    event = case.events.get(kind=CaseEvent.Kind.BREAKDOWN_DONE)
    assert (event.actor, event.department) == (county.dan, county.gxj)


def test_a_done_item_leaves_the_list(client, county, welders):
    _, mine, _ = welders
    tick(client, county.dan, mine, **HTMX)
    body = client.get(reverse("workspace:inbox")).content.decode()
    assert mine.measure not in body


def test_ticking_without_htmx_goes_back_to_the_inbox_with_a_message(client, county, welders):
    _, mine, _ = welders
    response = tick(client, county.dan, mine)
    assert response.status_code == 302 and response["Location"] == reverse("workspace:inbox")
    body = client.get(response["Location"]).content.decode()
    assert "已标记完成" in body


def test_a_co_department_may_not_tick_the_lead_departments_item(client, county, welders):
    _, _, theirs = welders
    response = tick(client, county.dan, theirs, **HTMX)
    assert "不能对此问题执行" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.done_at is None


def test_an_item_of_a_case_outside_the_departments_scope_answers_404(client, county, welders):
    _, mine, _ = welders
    clerk = make_user("power_clerk")
    DepartmentStaff.objects.create(user=clerk, department=county.power)
    assert tick(client, clerk, mine, **HTMX).status_code == 404
    mine.refresh_from_db()
    assert mine.done_at is None


def test_an_item_of_a_replied_case_cannot_be_ticked_and_says_why(client, county, welders):
    case, mine, _ = welders
    workflow.case_reply(actor=county.ren, case=case, outcome="resolved", reply="30名毕业生已上岗")
    response = tick(client, county.dan, mine)
    assert response.status_code == 302
    assert "不能更新任务" in client.get(response["Location"]).content.decode()
    assert BreakdownItem.objects.get(pk=mine.pk).done_at is None


def test_ticking_twice_does_it_once(client, county, welders):
    case, mine, _ = welders
    tick(client, county.dan, mine, **HTMX)
    response = tick(client, county.dan, mine, **HTMX)
    assert "已经完成" in response.content.decode()
    assert case.events.filter(kind=CaseEvent.Kind.BREAKDOWN_DONE).count() == 1


def test_an_item_is_ticked_by_post_only(client, county, welders):
    _, mine, _ = welders
    client.force_login(county.dan)
    assert client.get(reverse("workspace:item_done", args=[mine.pk])).status_code == 405
