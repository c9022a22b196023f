"""The working-day clock (DESIGN §5): pure functions over a calendar loaded once, no ORM inside.

Whether a day is worked is answered in this order:

1. the office's override (an admin-editable table): a local day off, a correction, or the days of
   a year's schedule the office entered before any package knew it;
2. the official schedule the State Council publishes each year, make-up working weekend days
   (调休) included, as the chinesecalendar package knows it (the published years);
3. in a year nobody has published, the statutory estimate: the holidays of 全国年节及纪念日放假办法
   (元旦 1 day, 春节 4 from 除夕, 清明, 劳动节 2, 端午, 中秋, 国庆 3 — the lunar and solar-term dates
   computed for the year by the holidays package) and the law's 补假 on the next working day for
   one that falls on a weekend, with no make-up working days (those only a notice can fix);
4. Monday to Friday.

A year neither published nor entered by the office is *estimated*: a deadline counted through it
says so, and the office is asked to enter the notice once it appears. Nothing raises, for any year.

Why 补假 counts: the law orders it, and the notices give it back — over the published years
2014–2026 the estimate with it put a 15-working-day deadline on the official day 82–87% of the time,
without it 73–76% (Monday–Friday alone: 56%); and every weekday it takes off was an official
holiday in each year from 2008 to 2026, so the office entering a notice only adds days.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import accumulate
from types import MappingProxyType
from zoneinfo import ZoneInfo

from chinese_calendar import constants as _published
from django.utils import translation
from django.utils.translation import gettext as _
from holidays.countries import China as _China

CHINA = ZoneInfo("Asia/Shanghai")

# Where a day's status comes from (the calendar API names them).
OVERRIDE, OFFICIAL, STATUTORY, WEEKDAY = "override", "official", "statutory", "weekday"

PUBLISHED_YEARS = frozenset(
    range(min(d.year for d in _published.holidays), max(d.year for d in _published.holidays) + 1)
)
# The years whose statutory days can be computed (the lunar tables end with 2100); outside them a
# year nobody published is counted Monday to Friday.
STATUTORY_YEARS = range(1950, 2101)


def _is_weekday(day: dt.date) -> bool:
    return day.weekday() < 5


@dataclass(frozen=True)
class Day:
    """One day as the calendar reads it: worked or not, on whose word, and the holiday's name."""

    date: dt.date
    working: bool
    source: str
    name: str = ""


# --- the published years (chinesecalendar) ------------------------------------------------------


def _published_shifts() -> dict[int, dict[dt.date, int]]:
    """The published days that break the Monday–Friday rule, by year: +1 for a weekend day worked
    (调休), -1 for a weekday off. Counting working days is weekday arithmetic plus these."""
    shifts: dict[int, dict[dt.date, int]] = {year: {} for year in PUBLISHED_YEARS}
    for day in _published.holidays.keys() | _published.workdays.keys():
        working = day in _published.workdays
        if working != _is_weekday(day):
            shifts[day.year][day] = 1 if working else -1
    return shifts


_PUBLISHED_SHIFTS = _published_shifts()


def _official_name(day: dt.date, english: bool) -> str:
    english_name = _published.holidays.get(day) or _published.workdays.get(day)
    if english_name is None:
        return ""
    name = english_name if english else _published.Holiday(english_name).chinese
    if day in _published.workdays:
        return _("%(holiday)s调休上班") % {"holiday": name}
    return name


# --- the statutory estimate (holidays) ----------------------------------------------------------


class _StatutoryChina(_China):
    """China's statutory holidays and their 补假, without the package's own record of the yearly
    notices (its substituted days): the official schedule comes from chinesecalendar alone, whose
    make-up working days go with it. The hook is the package's own; tests/test_workdays.py would
    notice a release that renamed it."""

    def _add_special_holidays(self, *args, **kwargs) -> None:
        return None


@functools.cache
def statutory_holidays(year: int, language: str = "zh_CN") -> Mapping[dt.date, str]:
    """The statutory days off of a year and their names (补假 included), computed, never typed in."""
    if year not in STATUTORY_YEARS:
        return MappingProxyType({})
    days = _StatutoryChina(years=year, language=language)
    joiner = "、" if language.startswith("zh") else "; "
    return MappingProxyType({day: joiner.join(days.get_list(day)) for day in sorted(days)})


def _statutory_shifts(year: int) -> Mapping[dt.date, int]:
    return {day: -1 for day in statutory_holidays(year) if _is_weekday(day)}


def _base_shifts(year: int, statutory: bool) -> Mapping[dt.date, int]:
    if year in PUBLISHED_YEARS:
        return _PUBLISHED_SHIFTS[year]
    return _statutory_shifts(year) if statutory else {}


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


# --- the calendar -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkCalendar:
    """overrides maps a date to True (a working day) or False (a day off); notes name them.

    statutory=False counts the years nobody published Monday to Friday, as deadlines were counted
    before the estimate existed (only the migration that reads such deadlines needs it).
    """

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    notes: Mapping[dt.date, str] = field(default_factory=dict)
    statutory: bool = True

    def __post_init__(self) -> None:
        by_year: dict[int, dict[dt.date, bool]] = {}
        for day, working in self.overrides.items():
            by_year.setdefault(day.year, {})[day] = working
        object.__setattr__(self, "_overrides_by_year", by_year)
        object.__setattr__(self, "_years", {})
        object.__setattr__(self, "_shifts", {})  # every year's shifts worked out so far

    def _year(self, year: int) -> tuple[list[dt.date], list[int]]:
        """The year's shift days in order and their running sums, worked out the first time the
        year is counted (an estimate costs a millisecond, once per year)."""
        if year not in self._years:
            shifts = dict(_base_shifts(year, self.statutory))
            for day, working in self._overrides_by_year.get(year, {}).items():
                shifts.pop(day, None)
                if working != _is_weekday(day):
                    shifts[day] = 1 if working else -1
            days = sorted(shifts)
            sums = list(accumulate((shifts[d] for d in days), initial=0))
            self._years[year] = (days, sums)
            self._shifts.update(shifts)
        return self._years[year]

    def shifts_between(self, start: dt.date, end: dt.date) -> int:
        """Working days gained (调休) less weekdays lost (holidays), after start up to end."""
        total = 0
        for year in range(start.year, end.year + 1):
            days, sums = self._year(year)
            low = bisect.bisect_right(days, start) if year == start.year else 0
            high = bisect.bisect_right(days, end) if year == end.year else len(days)
            total += sums[high] - sums[low]
        return total

    def is_workday(self, day: dt.date) -> bool:
        if day.year not in self._years:
            self._year(day.year)
        shift = self._shifts.get(day)
        return day.weekday() < 5 if shift is None else shift > 0

    def day(self, day: dt.date) -> Day:
        """The day with its source and name (in the active language), for people to read."""
        if day in self.overrides:
            return Day(day, self.overrides[day], OVERRIDE, self.notes.get(day, ""))
        if day.year in PUBLISHED_YEARS:
            if day in _published.holidays or day in _published.workdays:
                working = day in _published.workdays
                return Day(day, working, OFFICIAL, _official_name(day, _english()))
        elif self.statutory:
            names = statutory_holidays(day.year, "en_US" if _english() else "zh_CN")
            if day in names:
                return Day(day, False, STATUTORY, names[day])
        return Day(day, _is_weekday(day), WEEKDAY)

    def days_after(self, start: dt.date, end: dt.date) -> list[Day]:
        """Each day after start up to end, as day() reads it."""
        return [self.day(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1)]

    def exceptions(self, year: int) -> list[Day]:
        """The year's weekdays off and weekend days worked: everything that is not Monday–Friday."""
        return [self.day(d) for d in self._year(year)[0]]

    @property
    def entered_years(self) -> frozenset[int]:
        """The years the office has entered days for."""
        return frozenset(self._overrides_by_year)

    def is_estimated(self, year: int) -> bool:
        """Neither published nor entered by the office: the year's days are the statutory estimate."""
        return year not in PUBLISHED_YEARS and year not in self._overrides_by_year

    def estimated_years(self, years: Iterable[int]) -> list[int]:
        return sorted({y for y in years if self.is_estimated(y)})

    def rests_on_estimate(self, start: dt.date, end: dt.date) -> bool:
        """Whether the working days counted after start up to end pass through an estimated year."""
        if end <= start:
            return False
        first = (start + dt.timedelta(days=1)).year
        return any(self.is_estimated(year) for year in range(first, end.year + 1))


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
    return weekdays + calendar.shifts_between(start, end)


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
