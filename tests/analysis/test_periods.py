"""Periods: months, quarters, years, and the one before each."""

import datetime as dt

from analysis import periods
from analysis.forms import PeriodForm


def test_a_month_runs_from_its_first_to_its_last_day_and_follows_the_previous_one():
    feb = periods.month(2024, 2)
    assert (feb.date_from, feb.date_to, feb.label) == (
        dt.date(2024, 2, 1),
        dt.date(2024, 2, 29),
        "2024年2月",
    )
    assert periods.month(2021, 1).previous() == periods.month(2020, 12)


def test_quarters_and_years_know_their_predecessors():
    q1 = periods.quarter(2021, 1)
    assert (q1.date_to, q1.label) == (dt.date(2021, 3, 31), "2021年第1季度")
    assert q1.previous() == periods.quarter(2020, 4)
    assert periods.quarter(2020, 4).date_to == dt.date(2020, 12, 31)
    assert periods.year(2021).previous() == periods.year(2020)


def test_a_custom_range_is_compared_with_as_many_days_before_it():
    week = periods.of_range(dt.date(2021, 5, 10), dt.date(2021, 5, 16))
    assert week.previous() == periods.Period(dt.date(2021, 5, 3), dt.date(2021, 5, 9))
    assert periods.Period(dt.date(2021, 5, 10), None).previous() is None


def test_a_range_that_is_exactly_a_month_is_read_as_the_month():
    assert periods.of_range(dt.date(2021, 4, 1), dt.date(2021, 4, 30)).kind == "month"
    assert periods.of_range(dt.date(2021, 4, 1), dt.date(2021, 6, 30)).kind == "quarter"


def test_shorthands_round_trip():
    for text in ("2021-04", "2021Q2", "2021", "all"):
        assert periods.parse_shorthand(text).shorthand == text
    assert periods.parse_shorthand("2021-13") is None and periods.parse_shorthand("soon") is None


def test_the_end_counted_is_never_after_today():
    q = periods.quarter(2021, 2)
    assert q.end_or(dt.date(2021, 6, 15)) == dt.date(2021, 6, 15)
    assert q.end_or(dt.date(2022, 1, 1)) == dt.date(2021, 6, 30)


def test_the_period_form_falls_back_to_its_default_and_reads_all_time():
    default = periods.year(2021)
    assert PeriodForm(None, default=default).chosen == default
    assert PeriodForm({}, default=default).chosen == default
    assert PeriodForm({"period": "all"}, default=default).chosen.is_all
    assert PeriodForm({"period": "2021-04"}, default=default).chosen == periods.month(2021, 4)
    assert PeriodForm({"date_from": "2021-04-01"}, default=default).chosen == periods.Period(
        dt.date(2021, 4, 1), None
    )
