"""The reminder ladder's arithmetic: when each level begins, on the working-day clock (no database)."""

import datetime as dt

from cases import deadlines
from cases.workdays import WorkCalendar, end_of_day
from notifications import ladder
from notifications.ladder import Deadline

CHINA = dt.timezone(dt.timedelta(hours=8))
CAL = WorkCalendar()


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CHINA)


def starts(day: dt.date) -> list[dt.datetime]:
    return list(deadlines.level_starts(end_of_day(day), CAL))


def test_a_thursday_deadline_warns_that_morning_and_escalates_once_friday_is_lost():
    assert starts(dt.date(2021, 6, 3)) == [
        at(2021, 6, 3, 0, 0),  # warning: the due day begins
        at(2021, 6, 4, 0, 0),  # overdue: the second after 23:59:59
        at(2021, 6, 5, 0, 0),  # escalated: Friday, one whole working day, is gone
        at(2021, 6, 9, 0, 0),  # flagged: Friday, Monday and Tuesday are gone
    ]


def test_a_friday_deadline_does_not_escalate_over_the_weekend():
    friday = end_of_day(dt.date(2021, 6, 4))
    assert deadlines.level_at(friday, at(2021, 6, 6, 12, 0), CAL) == deadlines.OVERDUE  # Sunday
    assert deadlines.level_at(friday, at(2021, 6, 7, 18, 0), CAL) == deadlines.OVERDUE  # Monday
    assert deadlines.level_at(friday, at(2021, 6, 8, 0, 0), CAL) == deadlines.ESCALATED  # Tuesday
    assert deadlines.level_at(friday, at(2021, 6, 10, 0, 0), CAL) == deadlines.FLAGGED


def test_the_ladder_follows_a_make_up_saturday():
    # 2021-05-08 was a Saturday worked in exchange for the May Day holidays (调休).
    assert starts(dt.date(2021, 5, 8)) == [
        at(2021, 5, 8, 0, 0),
        at(2021, 5, 9, 0, 0),
        at(2021, 5, 11, 0, 0),  # Monday the 10th is the first working day lost
        at(2021, 5, 13, 0, 0),  # Monday, Tuesday, Wednesday
    ]


def test_a_holiday_counts_for_nothing_when_escalating():
    # Due 2021-09-30 (Thu): 1–7 October are National Day holidays, the 9th a make-up Saturday.
    begins = starts(dt.date(2021, 9, 30))
    assert begins[2] == at(2021, 10, 9, 0, 0)  # 10-08 (Fri) is the first working day lost
    assert begins[3] == at(2021, 10, 12, 0, 0)  # 10-08, 10-09 (Sat, worked), 10-11


def test_overrides_entered_by_the_office_move_the_ladder():
    # Say the office declares 2021-06-04 (Fri) a day off: a Thursday deadline then escalates on
    # Tuesday morning instead of Saturday.
    calendar = WorkCalendar(overrides={dt.date(2021, 6, 4): False})
    assert deadlines.level_starts(end_of_day(dt.date(2021, 6, 3)), calendar)[2] == at(2021, 6, 8)


def test_no_level_before_the_due_day_and_the_top_level_long_after():
    due = end_of_day(dt.date(2021, 6, 3))
    assert deadlines.level_at(due, at(2021, 6, 2, 23, 59), CAL) is None
    assert deadlines.level_at(due, at(2021, 6, 3, 23, 59), CAL) == deadlines.WARNING
    assert deadlines.level_at(due, at(2023, 1, 1), CAL) == deadlines.FLAGGED


def test_the_plan_points_at_the_next_unsent_level_of_the_earliest_deadline():
    contact = Deadline(deadlines.CONTACT, end_of_day(dt.date(2021, 6, 3)))
    resolve = Deadline(deadlines.RESOLVE, end_of_day(dt.date(2021, 6, 17)))
    assert ladder.plan([contact, resolve], {}, CAL) == ladder.Plan(at(2021, 6, 3), None)
    plan = ladder.plan([contact, resolve], {contact: deadlines.OVERDUE}, CAL)
    assert plan == ladder.Plan(at(2021, 6, 5), deadlines.OVERDUE)
    plan = ladder.plan([contact, resolve], {contact: deadlines.FLAGGED}, CAL)
    assert plan == ladder.Plan(at(2021, 6, 17), deadlines.FLAGGED)
    done = {contact: deadlines.FLAGGED, resolve: deadlines.FLAGGED}
    assert ladder.plan([contact, resolve], done, CAL) == ladder.Plan(None, deadlines.FLAGGED)
    assert ladder.plan([], {}, CAL) == ladder.Plan(None, None)
