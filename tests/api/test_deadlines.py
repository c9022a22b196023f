"""cases.deadlines: the one definition of "overdue", against the real database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases import workflow
from cases.deadlines import overdue_q, reached_q, with_overdue
from cases.models import Case
from cases.workdays import WorkCalendar
from tests.conftest import CHINA
from tests.plans import only_index

pytestmark = pytest.mark.django_db

LONG_AGO = dt.datetime(2021, 4, 22, 10, 0, tzinfo=CHINA)


def overdue(case) -> bool:
    return with_overdue(Case.objects.filter(pk=case.pk)).get().overdue


def test_an_assigned_case_not_contacted_by_its_contact_deadline_is_overdue(county):
    assert overdue(county.assigned(assigned_at=LONG_AGO))
    assert not overdue(county.assigned())


def test_a_contacted_case_is_held_to_its_resolve_deadline_instead(county):
    case = county.assigned(assigned_at=LONG_AGO)
    workflow.case_accept(actor=county.dan, case=case, contact_note="迟到的对接")
    assert overdue(case)  # its resolve date of May 2021 has passed too
    Case.objects.filter(pk=case.pk).update(resolve_due_at=timezone.now() + dt.timedelta(days=3))
    assert not overdue(case)


def test_a_replied_closed_merged_or_submitted_case_is_never_overdue(county):
    replied = county.replied(assigned_at=LONG_AGO)
    closed = county.closed(assigned_at=LONG_AGO)
    submitted = county.submitted()
    merged = workflow.case_merge(actor=county.office, case=county.submitted(), into=submitted)
    for case in (replied, closed, submitted, merged):
        assert not overdue(case), case.status


def test_a_suspended_case_is_not_overdue_while_its_clocks_stop(county):
    case = county.in_progress()
    workflow.case_request_suspension(actor=county.dan, case=case, reason="等企业提供材料")
    workflow.case_decide_suspension(actor=county.office, case=case, approve=True)
    Case.objects.filter(pk=case.pk).update(resolve_due_at=timezone.now() - dt.timedelta(days=1))
    assert not overdue(case)
    workflow.case_resume(actor=county.office, case=case)
    Case.objects.filter(pk=case.pk).update(resolve_due_at=timezone.now() - dt.timedelta(days=1))
    assert overdue(case)


def test_overdue_is_judged_at_the_moment_given(county):
    case = county.assigned()
    later = case.contact_due_at + dt.timedelta(seconds=1)
    assert not Case.objects.filter(overdue_q()).exists()
    assert Case.objects.filter(overdue_q(later)).get() == case
    assert with_overdue(Case.objects.all(), later).get().overdue is True


@pytest.mark.parametrize("condition", ["overdue", "reached"])
def test_running_is_said_at_the_top_of_what_is_late(county, condition):
    """The OR of the two clocks alone implies the open cases' index too (the planner can use it
    either way), but it costed it as a bitmap over three indexes at a million cases; said at the
    top, RUNNING is matched to case_county_open_deadlines directly (the plans before and after:
    docs/benchmark-results.md)."""
    now = timezone.now()
    late = overdue_q(now) if condition == "overdue" else reached_q(0, now, WorkCalendar())
    where = str(Case.objects.filter(late).query).split(" WHERE ", 1)[1]
    assert where.startswith(
        '("cases_case"."status" IN (assigned, in_progress) AND "cases_case"."suspended_at" IS NULL'
        " AND ("
    ), where


def test_a_department_open_cases_of_a_status_are_counted_from_their_index(county):
    """The API's ?lead_department=&status= counts from case_dept_open_status, probed by department
    and status (at a 100,000-case county an index-only scan: 4.4 → 0.1 ms; in a test's fresh rows
    the visibility map is empty, so the plan may be a bitmap over the same index)."""
    mine = county.in_progress()
    theirs = county.assigned(lead_department=county.rsj)
    Case.objects.filter(pk=theirs.pk).update(status=Case.Status.IN_PROGRESS)
    county.assigned()
    only_index("cases_case", "case_dept_open_status")
    cases = Case.objects.filter(
        county_id=mine.county_id, status=Case.Status.IN_PROGRESS, lead_department=county.gxj
    )
    plan = cases.order_by().values("pk").explain()
    probes = [line for line in plan.splitlines() if "Index Cond" in line or "Scan using" in line]
    assert "case_dept_open_status" in plan, plan
    assert any("(lead_department_id = " in line and "status" in line for line in probes), plan
    assert list(cases.values_list("pk", flat=True)) == [mine.pk]


def test_the_board_says_running_once(county):
    """The board's list adds nothing to reached_q's RUNNING: said twice (or three times, with the
    grouping) the planner multiplied its selectivity, estimated 3 rows for 2,644 and took a bitmap
    over every county's open cases (85 ms at a million, against 6 ms from the county's index).
    Once at the top, once inside the resolve clock's branch."""
    from cases.escalation import on_the_board

    board = on_the_board(Case.objects.filter(county_id=1), timezone.now(), WorkCalendar())
    where = str(board.query).split(" WHERE ", 1)[1]
    assert where.count('"cases_case"."status" IN (assigned, in_progress)') == 2, where
