"""The clerk's clocks (cases.deadlines.standing, cases.clocks.progress_clock), on the 2021 calendar of the article: May Day 2021 ran from
Saturday 1 to Wednesday 5 May, and Saturday 8 May was a working day (调休)."""

import datetime as dt

from django.test import override_settings

from cases.clocks import progress_clock
from cases.deadlines import CONTACT, RESOLVE
from cases.deadlines import standing as running_clock
from cases.models import Case
from cases.workdays import WorkCalendar, end_of_day

CHINA = dt.timezone(dt.timedelta(hours=8))
CALENDAR = WorkCalendar()
FRIDAY_DUE = end_of_day(dt.date(2021, 4, 30))


def at(month, day, hour=10):
    return dt.datetime(2021, month, day, hour, tzinfo=CHINA)


def assigned(**fields):
    return Case(status=Case.Status.ASSIGNED, contact_due_at=FRIDAY_DUE, **fields)


def in_progress(**fields):
    fields.setdefault("contacted_at", at(4, 26))
    fields.setdefault("resolve_due_at", end_of_day(dt.date(2021, 5, 20)))
    return Case(status=Case.Status.IN_PROGRESS, **fields)


def test_an_assigned_case_runs_the_contact_clock_with_working_days_left():
    clock = running_clock(assigned(), at(4, 28), CALENDAR)
    assert (clock.deadline, clock.working_days_left, clock.overdue, clock.urgent) == (
        CONTACT,
        2,
        False,
        False,
    )


def test_a_deadline_due_today_is_urgent_but_not_yet_overdue():
    clock = running_clock(assigned(), at(4, 30, 9), CALENDAR)
    assert (clock.working_days_left, clock.overdue, clock.urgent) == (0, False, True)


def test_a_friday_deadline_is_overdue_on_the_holiday_saturday_with_no_working_day_lost_yet():
    clock = running_clock(assigned(), at(5, 1), CALENDAR)
    assert (clock.overdue, clock.working_days_late, clock.urgent) == (True, 0, True)


def test_working_days_late_skip_the_may_day_holidays_and_count_whole_days():
    # due Friday 30 April; 1–5 May were holidays; on Friday 7 May only Thursday 6 May has ended
    clock = running_clock(assigned(), at(5, 7), CALENDAR)
    assert (clock.working_days_left, clock.working_days_late) == (-2, 1)


def test_an_accepted_case_runs_the_resolve_clock():
    clock = running_clock(in_progress(), at(5, 6), CALENDAR)
    assert clock.deadline == RESOLVE
    assert clock.due_at == end_of_day(dt.date(2021, 5, 20))


def test_a_suspended_or_replied_case_runs_no_clock():
    assert running_clock(in_progress(suspended_at=at(4, 27)), at(5, 6), CALENDAR) is None
    assert running_clock(Case(status=Case.Status.REPLIED), at(5, 6), CALENDAR) is None


def test_the_first_progress_note_is_due_five_working_days_after_the_acceptance():
    case = in_progress()  # accepted Monday 26 April
    assert progress_clock(case, None, at(4, 30), CALENDAR).due is False  # 4 working days
    due = progress_clock(case, None, at(5, 6), CALENDAR)  # holidays do not count
    assert (due.days_since, due.due, due.last_at) == (5, True, None)


def test_the_progress_clock_counts_from_the_latest_note():
    clock = progress_clock(in_progress(), at(5, 6, 9), at(5, 10), CALENDAR)
    # Friday 7, the make-up Saturday 8 and Monday 10 May
    assert (clock.days_since, clock.due, clock.last_at) == (3, False, at(5, 6, 9))


@override_settings(PROGRESS_NOTE_INTERVAL_WORKING_DAYS=2)
def test_the_progress_interval_is_a_setting():
    assert progress_clock(in_progress(), at(5, 6, 9), at(5, 10), CALENDAR).due is True


def test_a_case_not_being_handled_asks_for_no_progress_note():
    assert progress_clock(assigned(), None, at(5, 6), CALENDAR) is None
    assert progress_clock(in_progress(suspended_at=at(4, 27)), None, at(5, 6), CALENDAR) is None
