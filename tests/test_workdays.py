"""The working-day clock (DESIGN §5).

Holiday dates below were checked against the chinesecalendar package's data
(chinese_calendar.constants.holidays / .workdays), which follows the State Council notices.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cases.models import CalendarOverride
from cases.selectors import work_calendar
from cases.workdays import (
    PUBLISHED_YEARS,
    WorkCalendar,
    add_working_days,
    due_after,
    working_days_between,
    working_days_left,
)

CHINA = ZoneInfo("Asia/Shanghai")


def beijing(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=CHINA)


def contact_due(y, m, d, calendar=None, hh=10, mm=0):
    return due_after(beijing(y, m, d, hh, mm), 3, calendar or WorkCalendar())


def end_of(y, m, d):
    return dt.datetime(y, m, d, 23, 59, 59, tzinfo=CHINA)


# The three worked examples of DESIGN §5.


def test_it_counts_the_may_day_make_up_sunday_as_a_working_day():
    # 2021-04-22 is a Thursday; Sunday 2021-04-25 was worked (调休 for May Day).
    due = contact_due(2021, 4, 22)
    assert due == end_of(2021, 4, 26)
    assert due.isoformat() == "2021-04-26T23:59:59+08:00"


def test_it_skips_the_may_day_holiday_of_2021():
    # Assigned Thu 2021-04-29: 04-30 (1), 1–5 May off, 05-06 (2), 05-07 (3).
    assert contact_due(2021, 4, 29) == end_of(2021, 5, 7)


def test_it_skips_national_day_2021_and_counts_saturday_the_9th():
    # Assigned Thu 2021-09-30: 1–7 Oct off, 10-08 Fri (1), 10-09 Sat worked (2), 10-11 Mon (3).
    assert contact_due(2021, 9, 30) == end_of(2021, 10, 11)


# Spring Festival and National Day in other years.


def test_it_skips_spring_festival_2023_and_counts_both_make_up_weekend_days():
    # 2023-01-21..27 off; Sat 01-28 and Sun 01-29 worked.
    assert contact_due(2023, 1, 20) == end_of(2023, 1, 30)


def test_it_counts_new_years_eve_2024_as_a_working_day_and_the_make_up_sunday_after_spring_festival():
    # 2024-02-09 (除夕) was a working day; 02-10..17 off; Sun 02-18 worked.
    assert contact_due(2024, 2, 8) == end_of(2024, 2, 19)


def test_it_counts_the_make_up_sunday_before_spring_festival_2025():
    # Sun 2025-01-26 worked (1), Mon 01-27 (2), 01-28..02-04 off, Wed 02-05 (3).
    assert contact_due(2025, 1, 24) == end_of(2025, 2, 5)


def test_it_skips_the_eight_day_national_day_of_2025_and_counts_saturday_the_11th():
    # 2025-10-01..08 off (National Day with Mid-Autumn); 10-09 (1), 10-10 (2), Sat 10-11 (3).
    assert contact_due(2025, 9, 30) == end_of(2025, 10, 11)


def test_it_counts_the_make_up_weekend_after_national_day_2023():
    # 2023-09-29..10-06 off; Sat 10-07 (1) and Sun 10-08 (2) worked, Mon 10-09 (3).
    assert contact_due(2023, 9, 28) == end_of(2023, 10, 9)


def test_it_counts_the_make_up_saturday_after_national_day_2024():
    # Thu 2024-10-10: Fri 10-11 (1), Sat 10-12 worked (2), Mon 10-14 (3).
    assert contact_due(2024, 10, 10) == end_of(2024, 10, 14)


# Across a year boundary.


def test_it_carries_a_deadline_over_new_year_2024():
    # Fri 2023-12-29: weekend, Mon 2024-01-01 off, then 01-02, 01-03, 01-04.
    assert contact_due(2023, 12, 29) == end_of(2024, 1, 4)


def test_it_counts_the_make_up_sunday_of_new_year_2026():
    # Wed 2025-12-31: 2026-01-01..03 off, Sun 01-04 worked (1), 01-05 (2), 01-06 (3).
    assert contact_due(2025, 12, 31) == end_of(2026, 1, 6)


# The day of assignment is Beijing's calendar day.


def test_it_counts_an_assignment_at_half_past_eleven_at_night_as_that_day():
    assert contact_due(2021, 4, 22, hh=23, mm=30) == end_of(2021, 4, 26)


def test_it_reads_a_utc_moment_as_the_beijing_day_it_falls_on():
    # 16:30 UTC on the 22nd is 00:30 on the 23rd in Beijing: the 23rd is the day of assignment.
    moment = dt.datetime(2021, 4, 22, 16, 30, tzinfo=dt.UTC)
    assert due_after(moment, 3, WorkCalendar()) == end_of(2021, 4, 27)


def test_it_does_not_count_the_day_of_assignment_even_when_it_is_a_working_day():
    assert add_working_days(dt.date(2021, 4, 19), 1, WorkCalendar()) == dt.date(2021, 4, 20)


def test_it_answers_the_start_day_itself_for_zero_working_days():
    assert add_working_days(dt.date(2021, 4, 24), 0, WorkCalendar()) == dt.date(2021, 4, 24)


def test_it_refuses_a_negative_number_of_working_days():
    with pytest.raises(ValueError):
        add_working_days(dt.date(2021, 4, 24), -1, WorkCalendar())


# The office's overrides.


def test_an_override_turns_a_working_day_into_a_holiday():
    # A local holiday on Fri 2021-04-23 pushes the deadline from the 26th to the 27th.
    calendar = WorkCalendar(overrides={dt.date(2021, 4, 23): False})
    assert contact_due(2021, 4, 22, calendar) == end_of(2021, 4, 27)


def test_an_override_turns_a_saturday_into_a_working_day():
    # Thu 2021-06-03: without the override Fri 06-04 (1), Mon 06-07 (2), Tue 06-08 (3).
    assert contact_due(2021, 6, 3) == end_of(2021, 6, 8)
    calendar = WorkCalendar(overrides={dt.date(2021, 6, 5): True})
    assert contact_due(2021, 6, 3, calendar) == end_of(2021, 6, 7)


def test_an_override_wins_over_a_published_make_up_day():
    calendar = WorkCalendar(overrides={dt.date(2021, 4, 25): False})
    assert contact_due(2021, 4, 22, calendar) == end_of(2021, 4, 27)


# A year nobody has published yet.


def test_the_package_does_not_know_2031_so_the_fallback_is_really_exercised():
    assert 2031 not in PUBLISHED_YEARS


def test_an_unknown_year_falls_back_to_monday_to_friday_without_raising():
    # Thu 2031-01-02: Fri 01-03 (1), Mon 01-06 (2), Tue 01-07 (3); no New Year holiday known.
    calendar = WorkCalendar()
    assert contact_due(2031, 1, 2, calendar) == end_of(2031, 1, 7)
    assert calendar.is_workday(dt.date(2031, 1, 1)) is True
    assert calendar.is_workday(dt.date(2031, 1, 4)) is False


def test_it_reports_the_unknown_years_so_the_office_can_enter_them():
    assert WorkCalendar().unknown_years([2021, 2031, 2031, 2032]) == [2031, 2032]


def test_an_override_in_an_unknown_year_makes_that_year_known_and_is_applied():
    # The office entered New Year's Day (Wed) off and Saturday the 4th worked.
    calendar = WorkCalendar(overrides={dt.date(2031, 1, 1): False, dt.date(2031, 1, 4): True})
    assert calendar.unknown_years([2031]) == []
    # From Tue 2030-12-31: 01-01 off, Thu 01-02 (1), Fri 01-03 (2), Sat 01-04 (3).
    assert add_working_days(dt.date(2030, 12, 31), 3, calendar) == dt.date(2031, 1, 4)


# Counting the days between.


def test_it_counts_the_working_days_between_two_dates_excluding_the_start():
    calendar = WorkCalendar()
    assert working_days_between(dt.date(2021, 4, 22), dt.date(2021, 4, 26), calendar) == 3
    assert working_days_between(dt.date(2021, 9, 30), dt.date(2021, 10, 11), calendar) == 3
    assert working_days_between(dt.date(2021, 10, 1), dt.date(2021, 10, 7), calendar) == 0


def test_it_counts_backwards_as_a_negative_number():
    calendar = WorkCalendar()
    assert working_days_between(dt.date(2021, 4, 26), dt.date(2021, 4, 22), calendar) == -3


def test_it_counts_the_working_days_left_until_a_deadline():
    calendar = WorkCalendar()
    due = contact_due(2021, 4, 22)
    # Saturday the 24th: the make-up Sunday and Monday are left.
    assert working_days_left(due, beijing(2021, 4, 24), calendar) == 2
    assert working_days_left(due, beijing(2021, 4, 26, 9), calendar) == 0
    assert working_days_left(due, beijing(2021, 4, 27, 9), calendar) == -1


def test_it_leaves_holidays_out_of_the_working_days_left():
    calendar = WorkCalendar()
    due = contact_due(2021, 4, 29)  # 2021-05-07
    # Sunday 2 May: 3–5 May are still holidays; the 6th and the 7th are left.
    assert working_days_left(due, beijing(2021, 5, 2), calendar) == 2


# Loading the calendar from the database.


@pytest.mark.django_db
def test_the_calendar_loads_all_overrides_in_one_query(django_assert_num_queries):
    for day in range(1, 21):
        CalendarOverride.objects.create(
            date=dt.date(2031, 1, day), kind=CalendarOverride.Kind.HOLIDAY
        )
    CalendarOverride.objects.create(date=dt.date(2031, 1, 25), kind=CalendarOverride.Kind.WORKDAY)

    with django_assert_num_queries(1):
        calendar = work_calendar()
        # Counting many days afterwards goes to the database no more.
        due = due_after(beijing(2030, 12, 31), 3, calendar)

    # 2031-01-01..20 off; Tue 21 (1), Wed 22 (2), Thu 23 (3).
    assert due == end_of(2031, 1, 23)
    assert calendar.is_workday(dt.date(2031, 1, 25)) is True
    assert calendar.unknown_years([2031]) == []


@pytest.mark.django_db
def test_the_calendar_without_overrides_is_the_published_one():
    assert work_calendar().overrides == {}
    assert due_after(beijing(2021, 4, 22), 3, work_calendar()) == end_of(2021, 4, 26)


def _walk(start, end, calendar):
    """The definition, one day at a time."""
    if end < start:
        return -_walk(end, start, calendar)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += calendar.is_workday(day)
    return count


@pytest.mark.parametrize("with_overrides", [False, True])
def test_working_days_between_is_arithmetic_equal_to_walking_the_days(with_overrides):
    """Counted by weekday arithmetic and the calendar's exceptions (a case ten years overdue
    costs what one due tomorrow costs), and equal to walking the days — across published
    holidays, make-up working weekends, the office's overrides and unpublished years."""
    import random

    rng = random.Random(20210422)
    overrides = {}
    if with_overrides:
        for _ in range(60):
            day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(365 * 20))
            overrides[day] = rng.random() < 0.5
    calendar = WorkCalendar(overrides=overrides)
    for _ in range(3000):
        start = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(365 * 24))
        end = start + dt.timedelta(days=rng.randrange(-800, 4000))
        assert working_days_between(start, end, calendar) == _walk(start, end, calendar)
