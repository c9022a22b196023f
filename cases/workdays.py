"""The working-day clock (DESIGN §5): pure functions over a calendar loaded once, no ORM inside.

A working day follows the national schedule published by the State Council, including weekend days
made working days (调休). The chinesecalendar package knows the published years; overrides (an
admin-editable table) win over it and fill years it does not know. A year neither knows falls back
to Monday–Friday and is reported, so the office can enter its schedule; nothing raises.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import accumulate
from zoneinfo import ZoneInfo

from chinese_calendar import constants as _published

CHINA = ZoneInfo("Asia/Shanghai")

_PUBLISHED_HOLIDAYS = frozenset(_published.holidays)
_PUBLISHED_WORKDAYS = frozenset(_published.workdays)
PUBLISHED_YEARS = frozenset(
    range(min(d.year for d in _PUBLISHED_HOLIDAYS), max(d.year for d in _PUBLISHED_HOLIDAYS) + 1)
)


def _is_weekday(day: dt.date) -> bool:
    return day.weekday() < 5


# The published days that break the Monday–Friday rule: +1 for a weekend day worked (调休), -1 for
# a weekday off. Counting working days is then weekday arithmetic plus these, found by bisection.
_PUBLISHED_SHIFTS = {
    day: 1 if day in _PUBLISHED_WORKDAYS else -1
    for day in _PUBLISHED_HOLIDAYS | _PUBLISHED_WORKDAYS
    if (day in _PUBLISHED_WORKDAYS) != _is_weekday(day)
}


@dataclass(frozen=True)
class WorkCalendar:
    """overrides maps a date to True (a working day) or False (a day off)."""

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_override_years", frozenset(d.year for d in self.overrides))
        shifts = dict(_PUBLISHED_SHIFTS)
        for day, working in self.overrides.items():
            shifts.pop(day, None)
            if working != _is_weekday(day):
                shifts[day] = 1 if working else -1
        days = sorted(shifts)
        object.__setattr__(self, "_shift_days", days)
        object.__setattr__(
            self, "_shift_sums", list(accumulate((shifts[d] for d in days), initial=0))
        )

    def shift_through(self, day: dt.date) -> int:
        """Working days gained (调休) less weekdays lost (holidays), up to and including day."""
        return self._shift_sums[bisect.bisect_right(self._shift_days, day)]

    def is_year_known(self, year: int) -> bool:
        return year in PUBLISHED_YEARS or year in self._override_years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day in _PUBLISHED_WORKDAYS:
            return True
        if day in _PUBLISHED_HOLIDAYS:
            return False
        return day.weekday() < 5

    def unknown_years(self, years: Iterable[int]) -> list[int]:
        return sorted({y for y in years if not self.is_year_known(y)})


def add_working_days(start: dt.date, n: int, calendar: WorkCalendar) -> dt.date:
    """The n-th working day after start; start itself does not count (期限开始之日不计算在内)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    remaining = n
    while remaining:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            remaining -= 1
    return day


def _weekdays_through(day: dt.date) -> int:
    """Mondays to Fridays from 0001-01-01 (a Monday) up to and including day."""
    days = day.toordinal()
    return days // 7 * 5 + min(days % 7, 5)


def working_days_between(start: dt.date, end: dt.date, calendar: WorkCalendar) -> int:
    """How many working days lie after start, up to and including end (negative if end < start).

    Arithmetic, not a walk through the days: a case ten years overdue costs what one due
    tomorrow costs (the department inbox shows a page of them)."""
    if end < start:
        return -working_days_between(end, start, calendar)
    weekdays = _weekdays_through(end) - _weekdays_through(start)
    return weekdays + calendar.shift_through(end) - calendar.shift_through(start)


def local_date(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is None:
        # A naive datetime would be read in the server's zone and shift deadlines by a day.
        raise ValueError("the working-day clock needs an aware datetime")
    return moment.astimezone(CHINA).date()


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=CHINA)


def start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=CHINA)


def due_after(moment: dt.datetime, working_days: int, calendar: WorkCalendar) -> dt.datetime:
    """End (23:59:59 Beijing time) of the n-th working day after the day of moment."""
    return end_of_day(add_working_days(local_date(moment), working_days, calendar))


def working_days_left(due: dt.datetime, now: dt.datetime, calendar: WorkCalendar) -> int:
    """Working days from today to the due day: 0 on the due day, negative after it.

    A deadline that fell on Friday is 0 days late on Saturday; callers decide "overdue" by
    comparing the moments themselves (now > due), not by this count.
    """
    return working_days_between(local_date(now), local_date(due), calendar)


def years_spanned(start: dt.date, end: dt.date) -> range:
    return range(start.year, end.year + 1)
