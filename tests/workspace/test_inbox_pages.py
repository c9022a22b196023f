"""The inbox in pages: Dan's bureau has more cases than a page holds in every part.

Each part shows its first page in the inbox's order and the honest total (共 N 件); its own
parameter (?urgent_page=2) turns its page and leaves the other parts where they are; and a page
costs the same queries whether the bureau has a few cases or thousands.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import workflow
from cases.roles import actor_for
from cases.selectors import cases_visible_to, work_calendar
from tests.workspace.test_inbox import (
    INBOX,
    days_ago,
    due_today,
    long_running,
    numbers,
    populate,
    rsj_in_progress,
    set_fields,
)
from workspace import selectors
from workspace.selectors import department_inbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_size(monkeypatch):
    """Pages of 2, so a handful of cases fills several."""
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    return 2


def inbox_at(user, **pages):
    return department_inbox(
        actor_for(user),
        now=timezone.now(),
        calendar=work_calendar(),
        pages={f"{name}_page": str(number) for name, number in pages.items()},
    )


def every_page(user, section: str) -> list[str]:
    first = getattr(inbox_at(user), section)
    pages = first.page.paginator.page_range
    return [n for p in pages for n in numbers(getattr(inbox_at(user, **{section: p}), section))]


def in_days(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def suspended(county):
    case = county.in_progress()
    workflow.case_request_suspension(actor=county.dan, case=case, reason="等企业提供用地材料")
    return workflow.case_decide_suspension(actor=county.office, case=case, approve=True)


# --- order and totals -------------------------------------------------------------------------


def test_the_urgent_part_keeps_its_order_from_one_page_to_the_next(county, page_size):
    resolve_long_overdue = set_fields(county.in_progress(), resolve_due_at=days_ago(30))
    resolve_overdue = set_fields(county.in_progress(), resolve_due_at=days_ago(3))
    contact_today = due_today(county.assigned())
    contact_overdue = county.assigned(assigned_at=days_ago(14))
    first = inbox_at(county.dan).urgent
    assert (numbers(first), first.total) == ([contact_overdue.number, contact_today.number], 4)
    assert numbers(inbox_at(county.dan, urgent=2).urgent) == [
        resolve_long_overdue.number,
        resolve_overdue.number,
    ]


def test_the_leading_part_runs_from_contact_to_resolve_deadlines_to_suspended_cases(
    county, page_size
):
    resolve_far = set_fields(county.in_progress(), resolve_due_at=in_days(40))
    stopped = suspended(county)
    resolve_near = set_fields(county.in_progress(), resolve_due_at=in_days(10))
    contact = county.assigned()
    assert every_page(county.dan, "leading") == [
        contact.number,
        resolve_near.number,
        resolve_far.number,
        stopped.number,
    ]
    assert inbox_at(county.dan).leading.total == 4


def test_the_co_operated_part_is_ordered_like_the_rest_across_pages(county, page_size):
    """Urgent deadlines first, then later ones, then the suspended, then the replied."""
    replied = rsj_in_progress(county, co_departments=[county.gxj])
    workflow.case_reply(actor=county.ren, case=replied, outcome="resolved", reply="已招满")
    later = set_fields(
        rsj_in_progress(county, co_departments=[county.gxj]), resolve_due_at=in_days(20)
    )
    stopped = rsj_in_progress(county, co_departments=[county.gxj])
    workflow.case_request_suspension(actor=county.ren, case=stopped, reason="等企业补材料")
    workflow.case_decide_suspension(actor=county.office, case=stopped, approve=True)
    overdue_resolve = set_fields(
        rsj_in_progress(county, co_departments=[county.gxj]), resolve_due_at=days_ago(2)
    )
    overdue_contact = county.assigned(
        lead_department=county.rsj, co_departments=[county.gxj], assigned_at=days_ago(14)
    )
    assert every_page(county.dan, "co_operating") == [
        overdue_contact.number,
        overdue_resolve.number,
        later.number,
        stopped.number,
        replied.number,
    ]
    assert inbox_at(county.dan).co_operating.total == 5


def test_the_replied_part_and_the_items_are_paged_with_their_totals(county, page_size):
    replied = [county.replied() for _ in range(3)]
    for _ in range(3):
        case = rsj_in_progress(county)
        workflow.case_add_breakdown_item(
            actor=county.ren,
            case=case,
            department=county.gxj,
            measure="协调",
            due_on=timezone.localdate() + dt.timedelta(days=5),
        )
    inbox = inbox_at(county.dan)
    assert (len(inbox.replied), inbox.replied.total) == (2, 3)
    assert every_page(county.dan, "replied") == [c.number for c in replied]
    assert (len(inbox.items), inbox.items.total) == (2, 3)
    assert len(inbox_at(county.dan, items=2).items) == 1


def test_a_page_past_the_end_or_not_a_number_falls_back_to_a_real_page(county, page_size):
    cases = [county.assigned(assigned_at=days_ago(14)) for _ in range(3)]
    assert numbers(inbox_at(county.dan, urgent=99).urgent) == [cases[2].number]
    assert numbers(inbox_at(county.dan, urgent="abc").urgent) == numbers(
        inbox_at(county.dan).urgent
    )


def test_a_long_running_case_on_a_later_page_still_asks_for_its_progress_note(county, page_size):
    for _ in range(2):
        county.assigned()
    long_running(county)
    row = inbox_at(county.dan, leading=2).leading[0]
    assert row.progress.due and row.progress.last_at is None


def test_every_case_the_inbox_lists_is_one_the_clerk_may_see(county):
    """The inbox reads the department's own cases rather than filtering all the visible ones;
    this holds only while cases_visible_to lets a department see every case it works on."""
    county.assigned(assigned_at=days_ago(14))
    county.in_progress()
    county.replied()
    county.assigned(lead_department=county.rsj, co_departments=[county.gxj])
    case = rsj_in_progress(county)
    workflow.case_add_breakdown_item(
        actor=county.ren,
        case=case,
        department=county.gxj,
        measure="协调",
        due_on=timezone.localdate(),
    )
    inbox = inbox_at(county.dan)
    listed = {
        row.case.pk
        for section in (inbox.urgent, inbox.leading, inbox.co_operating, inbox.replied)
        for row in section
    } | {row.item.case_id for row in inbox.items}
    assert len(listed) == 5
    assert listed <= set(cases_visible_to(county.dan).values_list("pk", flat=True))


# --- the page ---------------------------------------------------------------------------------


def test_the_page_shows_each_parts_total_and_a_link_to_its_next_page(client, county, page_size):
    for _ in range(3):
        county.assigned(assigned_at=days_ago(14))
    county.assigned()
    client.force_login(county.dan)
    body = client.get(INBOX).content.decode()
    urgent = body[body.index('id="urgent"') : body.index('id="leading"')]
    assert "共 3 件" in urgent and "第 1 / 2 页" in urgent
    assert f'href="{INBOX}?urgent_page=2#urgent"' in urgent
    leading = body[body.index('id="leading"') : body.index('id="my-items"')]
    assert "共 1 件" in leading and "urgent_page" not in leading and "页" not in leading


def test_a_parts_page_parameter_leaves_the_other_parts_where_they_are(client, county, page_size):
    urgent = [county.assigned(assigned_at=days_ago(14)) for _ in range(3)]
    leading = [county.assigned() for _ in range(3)]
    client.force_login(county.dan)
    body = client.get(INBOX, {"leading_page": 2}).content.decode()
    urgent_part = body[body.index('id="urgent"') : body.index('id="leading"')]
    leading_part = body[body.index('id="leading"') : body.index('id="my-items"')]
    assert urgent[0].number in urgent_part and urgent[2].number not in urgent_part
    assert leading[2].number in leading_part and leading[0].number not in leading_part
    # Turning the urgent part keeps the leading part on its second page, and back.
    assert "?leading_page=2&amp;urgent_page=2#urgent" in urgent_part
    assert f'href="{INBOX}#leading"' in leading_part


def test_the_replied_part_opens_when_the_clerk_turns_its_pages(client, county, page_size):
    for _ in range(3):
        county.replied()
    client.force_login(county.dan)
    assert "<details open>" not in client.get(INBOX).content.decode()
    assert "<details open>" in client.get(INBOX, {"replied_page": 2}).content.decode()


# --- cost -------------------------------------------------------------------------------------


def queries_for(client, user, query=None) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INBOX, query or {}).status_code == 200
    return len(queries)


def test_a_page_costs_the_same_bounded_queries_however_many_cases_fill_the_parts(
    client, county, page_size
):
    """With pages of 2, one round of populate fills no page; five fill several in every part,
    and the suspended cases add a third piece to the leading part."""
    deep = {f"{name}_page": 2 for name in selectors.SECTIONS}
    populate(county, 1)
    few = queries_for(client, county.dan)
    populate(county, 4)
    for _ in range(3):
        suspended(county)
        set_fields(county.in_progress(), resolve_due_at=days_ago(3))
    inbox = inbox_at(county.dan)
    assert (inbox.urgent.total, inbox.leading.total, inbox.co_operating.total) == (8, 13, 5)
    many = queries_for(client, county.dan)
    deepest = {f"{name}_page": 99 for name in selectors.SECTIONS}
    # (the 19 of tests/workspace/test_inbox.py, and the department's 奖惩通报)
    assert max(few, many, queries_for(client, county.dan, deep)) <= 20
    assert queries_for(client, county.dan, deepest) <= 20


def test_the_progress_notes_are_read_for_the_page_only(client, county, page_size):
    for _ in range(4):
        long_running(county)
    client.force_login(county.dan)
    with CaptureQueriesContext(connection) as queries:
        client.get(INBOX)
    (progress,) = [q["sql"] for q in queries.captured_queries if "MAX(" in q["sql"]]
    on_page = {row.case.pk for row in inbox_at(county.dan).leading}
    listed = progress[progress.index("IN (") + 4 : progress.index(")", progress.index("IN ("))]
    assert {int(pk) for pk in listed.split(",")} == on_page
