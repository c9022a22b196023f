"""The working-day clock (DESIGN §5).

Holiday dates below were checked against the chinesecalendar package's data
(chinese_calendar.constants.holidays / .workdays), which follows the State Council notices; the
years it does not know (2027 on) against the lunar and solar-term dates of 全国年节及纪念日放假办法.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from cases.models import CalendarOverride
from cases.selectors import work_calendar
from cases.workdays import (
    OFFICIAL,
    OVERRIDE,
    PUBLISHED_YEARS,
    STATUTORY,
    WEEKDAY,
    Day,
    WorkCalendar,
    add_working_days,
    due_after,
    statutory_holidays,
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


# A year nobody has published yet: the statutory estimate.


def test_the_package_does_not_know_2027_or_2031_so_the_estimate_is_really_exercised():
    assert 2027 not in PUBLISHED_YEARS and 2031 not in PUBLISHED_YEARS


def test_2027s_statutory_days_follow_the_rules_in_force_from_2025_with_their_make_up_days():
    # 元旦 1 day, 春节 4 from 除夕 (Feb 5), 清明, 劳动节 2, 端午, 中秋, 国庆 3: computed, not typed
    # in. The days on a weekend are given back on the next working day (补假).
    days = statutory_holidays(2027)
    assert sorted(days) == [
        dt.date(2027, 1, 1),
        *(dt.date(2027, 2, d) for d in range(5, 11)),  # 5–8 春节, 9–10 its 补假
        dt.date(2027, 4, 5),
        *(dt.date(2027, 5, d) for d in range(1, 5)),  # 1–2 劳动节, 3–4 its 补假
        dt.date(2027, 6, 9),
        dt.date(2027, 9, 15),
        *(dt.date(2027, 10, d) for d in range(1, 6)),  # 1–3 国庆节, 4–5 its 补假
    ]
    assert days[dt.date(2027, 1, 1)] == "元旦"
    assert days[dt.date(2027, 2, 5)] == "农历除夕"
    assert days[dt.date(2027, 2, 9)] == "春节（补假）"
    assert statutory_holidays(2027, "en_US")[dt.date(2027, 1, 1)] == "New Year's Day"


def test_the_estimate_leaves_the_yearly_notices_to_chinesecalendar():
    # The holidays package also records past notices (2026-01-02 off for Sunday 01-04 worked; the
    # 2020 epidemic extension); an estimate counts the law's days only.
    assert dt.date(2026, 1, 2) not in statutory_holidays(2026)
    assert dt.date(2020, 1, 31) not in statutory_holidays(2020)


def test_every_weekday_the_estimate_takes_off_was_an_official_holiday_from_2008_to_2026():
    """Why the estimate may count 补假: the notices always gave those days off, so the office
    entering a year's notice over the estimate only adds days, never has to take one back."""
    for year in range(2008, 2027):
        for day in statutory_holidays(year):
            assert day.weekday() >= 5 or day in chinese_calendar.constants.holidays, day


def test_new_years_day_2027_is_not_a_working_day_any_more():
    # Wed 2026-12-30: Thu 12-31 (1), 2027-01-01 元旦, weekend, Mon 01-04 (2), Tue 01-05 (3).
    calendar = WorkCalendar()
    assert calendar.is_workday(dt.date(2027, 1, 1)) is False
    assert contact_due(2026, 12, 30, calendar) == end_of(2027, 1, 5)


def test_a_spring_festival_estimate_skips_the_make_up_days_for_the_weekend():
    # Thu 2027-02-04: 02-05..10 off (除夕, 春节, 补假 for Sat 6 and Sun 7); Thu 11 (1), Fri 12 (2),
    # Mon 15 (3).
    assert contact_due(2027, 2, 4) == end_of(2027, 2, 15)


def test_the_office_override_beats_the_estimate():
    calendar = WorkCalendar(overrides={dt.date(2027, 1, 1): True})
    assert contact_due(2026, 12, 30, calendar) == end_of(2027, 1, 4)


def test_it_says_which_years_are_estimated_so_the_office_can_enter_them():
    assert WorkCalendar().estimated_years([2021, 2031, 2031, 2032]) == [2031, 2032]


def test_an_override_makes_its_year_entered_and_the_statutory_days_still_count():
    # The office entered New Year's Day (Wed) off and Saturday the 4th worked; the days it did not
    # enter keep their estimate: 春节 2031 (除夕 Wed 01-22 .. Sat 01-25, its 补假 Mon 01-27).
    calendar = WorkCalendar(overrides={dt.date(2031, 1, 1): False, dt.date(2031, 1, 4): True})
    assert calendar.estimated_years([2031]) == []
    assert calendar.entered_years == {2031}
    # From Tue 2030-12-31: 01-01 off, Thu 01-02 (1), Fri 01-03 (2), Sat 01-04 (3).
    assert add_working_days(dt.date(2030, 12, 31), 3, calendar) == dt.date(2031, 1, 4)
    # From Tue 01-21: 22–24 off, Sat 25 off (not entered), Mon 27 补假, Tue 28 (1).
    assert add_working_days(dt.date(2031, 1, 21), 1, calendar) == dt.date(2031, 1, 28)


def test_a_count_through_an_estimated_year_rests_on_the_estimate():
    calendar = WorkCalendar()
    assert calendar.rests_on_estimate(dt.date(2026, 12, 30), dt.date(2027, 1, 5)) is True
    assert calendar.rests_on_estimate(dt.date(2026, 12, 1), dt.date(2026, 12, 31)) is False
    # The start day itself is not counted.
    assert calendar.rests_on_estimate(dt.date(2026, 12, 31), dt.date(2026, 12, 31)) is False
    assert calendar.rests_on_estimate(dt.date(2021, 1, 4), dt.date(2028, 1, 4)) is True
    entered = WorkCalendar(overrides={dt.date(2027, 1, 1): False})
    assert entered.rests_on_estimate(dt.date(2026, 12, 30), dt.date(2027, 1, 5)) is False


def test_each_day_says_where_its_status_comes_from():
    calendar = WorkCalendar(
        overrides={dt.date(2026, 6, 1): False}, notes={dt.date(2026, 6, 1): "县庆"}
    )
    assert calendar.day(dt.date(2026, 6, 1)) == Day(dt.date(2026, 6, 1), False, OVERRIDE, "县庆")
    assert calendar.day(dt.date(2026, 10, 1)) == Day(
        dt.date(2026, 10, 1), False, OFFICIAL, "国庆节"
    )
    assert calendar.day(dt.date(2026, 9, 20)) == Day(
        dt.date(2026, 9, 20), True, OFFICIAL, "国庆节调休上班"
    )
    assert calendar.day(dt.date(2027, 2, 9)) == Day(
        dt.date(2027, 2, 9), False, STATUTORY, "春节（补假）"
    )
    assert calendar.day(dt.date(2027, 3, 2)) == Day(dt.date(2027, 3, 2), True, WEEKDAY)
    assert calendar.day(dt.date(2027, 3, 6)) == Day(dt.date(2027, 3, 6), False, WEEKDAY)


def test_a_years_exceptions_are_its_weekdays_off_and_weekend_days_worked():
    calendar = WorkCalendar()
    in_2026 = {(d.date, d.working) for d in calendar.exceptions(2026)}
    assert (dt.date(2026, 1, 4), True) in in_2026  # Sunday worked
    assert (dt.date(2026, 1, 1), False) in in_2026
    assert all(d.date.weekday() < 5 for d in calendar.exceptions(2027))
    assert [d.date for d in calendar.exceptions(2027)][:2] == [
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 5),
    ]


def test_no_year_from_2000_to_2100_makes_the_clock_fail():
    calendar = WorkCalendar()
    for year in range(2000, 2101):
        start = dt.date(year, 12, 20)
        due = add_working_days(start, 60, calendar)
        assert working_days_between(start, due, calendar) == 60
        assert calendar.day(dt.date(year, 1, 1)).date == dt.date(year, 1, 1)
        calendar.exceptions(year)
    assert WorkCalendar().is_workday(dt.date(2101, 1, 1)) is False  # a Saturday, no estimate


def test_each_years_estimate_is_computed_once_and_only_when_counted():
    statutory_holidays.cache_clear()
    calendar = WorkCalendar()
    assert working_days_between(dt.date(2030, 1, 1), dt.date(2040, 1, 1), calendar) > 0
    computed = statutory_holidays.cache_info().misses
    assert computed == 11  # 2030 to 2040, each once
    WorkCalendar().is_workday(dt.date(2035, 5, 1))
    working_days_between(dt.date(2030, 1, 1), dt.date(2040, 1, 1), WorkCalendar())
    assert statutory_holidays.cache_info().misses == computed


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
    for day in range(3, 23):
        CalendarOverride.objects.create(
            date=dt.date(2031, 3, day), kind=CalendarOverride.Kind.HOLIDAY, note="检修"
        )
    CalendarOverride.objects.create(date=dt.date(2031, 3, 29), kind=CalendarOverride.Kind.WORKDAY)

    with django_assert_num_queries(1):
        calendar = work_calendar()
        # Counting many days afterwards goes to the database no more.
        due = due_after(beijing(2031, 3, 2), 3, calendar)

    # 2031-03-03..22 off; Mon 24 (1), Tue 25 (2), Wed 26 (3).
    assert due == end_of(2031, 3, 26)
    assert calendar.is_workday(dt.date(2031, 3, 29)) is True
    assert calendar.day(dt.date(2031, 3, 3)).name == "检修"
    assert calendar.estimated_years([2031]) == []


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
