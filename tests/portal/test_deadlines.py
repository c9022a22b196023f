"""The two clocks as the enterprise reads them (cases.deadlines.clock): pure functions over a
case's columns."""

from __future__ import annotations

import datetime as dt

from cases.deadlines import CONTACT, KEPT, LATE, PAUSED, RESOLVE, clock
from cases.deadlines import OVERDUE_NOW as OVERDUE
from cases.deadlines import RUNNING_NOW as RUNNING
from cases.models import Case
from cases.workdays import WorkCalendar
from tests.conftest import CHINA

NOW = dt.datetime(2021, 4, 23, 10, 0, tzinfo=CHINA)  # a Friday
DUE = dt.datetime(2021, 4, 26, 23, 59, 59, tzinfo=CHINA)  # the Monday after
CALENDAR = WorkCalendar(overrides={})


def contact_clock(case, now, calendar):
    return clock(case, CONTACT, now, calendar)


def resolve_clock(case, now, calendar):
    return clock(case, RESOLVE, now, calendar)


def case(**fields) -> Case:
    fields.setdefault("status", Case.Status.ASSIGNED)
    return Case(contact_due_at=DUE, resolve_due_at=DUE + dt.timedelta(days=20), **fields)


def test_no_deadline_yet_means_no_clock():
    assert contact_clock(Case(status=Case.Status.SUBMITTED), NOW, CALENDAR) is None
    assert resolve_clock(Case(status=Case.Status.SUBMITTED), NOW, CALENDAR) is None


def test_a_running_contact_clock_counts_working_days():
    clock = contact_clock(case(), NOW, CALENDAR)
    assert (clock.state, clock.working_days_left) == (
        RUNNING,
        2,
    )  # Sunday 25 April 2021 was a workday


def test_contact_in_time_is_kept_and_after_the_deadline_is_late():
    on_time = case(status=Case.Status.IN_PROGRESS, contacted_at=DUE - dt.timedelta(hours=1))
    late = case(status=Case.Status.IN_PROGRESS, contacted_at=DUE + dt.timedelta(hours=1))
    assert contact_clock(on_time, NOW, CALENDAR).state == KEPT
    assert contact_clock(late, NOW, CALENDAR).state == LATE


def test_overdue_is_the_second_after_the_deadline_and_the_other_clock_still_runs():
    overdue = case()
    assert contact_clock(overdue, DUE, CALENDAR).state == RUNNING
    after = DUE + dt.timedelta(seconds=1)
    assert contact_clock(overdue, after, CALENDAR).state == OVERDUE
    assert resolve_clock(overdue, after, CALENDAR).state == RUNNING


def test_a_suspended_case_has_its_clocks_paused():
    suspended = case(status=Case.Status.IN_PROGRESS, contacted_at=NOW, suspended_at=NOW)
    assert resolve_clock(suspended, NOW, CALENDAR).state == PAUSED


def test_a_reply_by_the_resolve_deadline_is_kept():
    replied = case(status=Case.Status.REPLIED, contacted_at=NOW, replied_at=NOW)
    assert resolve_clock(replied, NOW, CALENDAR).state == KEPT


def test_a_merged_case_shows_no_clocks():
    merged = case(status=Case.Status.MERGED)
    assert (
        contact_clock(merged, NOW, CALENDAR) is None
        and resolve_clock(merged, NOW, CALENDAR) is None
    )
