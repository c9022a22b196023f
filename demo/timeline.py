"""Moments in the demo county's history: working days and office hours, in Beijing time."""

from __future__ import annotations

import datetime as dt
import random

from cases.workdays import CHINA, WorkCalendar, add_working_days, local_date

OFFICE_OPENS = dt.time(8, 30)
OFFICE_MINUTES = 9 * 60  # 08:30 to 17:30


class Timeline:
    def __init__(self, rng: random.Random, calendar: WorkCalendar, today: dt.date):
        self.rng = rng
        self.calendar = calendar
        self.today = today

    def is_workday(self, day: dt.date) -> bool:
        return self.calendar.is_workday(day)

    def shift(self, day: dt.date, n: int) -> dt.date:
        """n working days after day (before it when n < 0); day itself when n == 0."""
        if n >= 0:
            return add_working_days(day, n, self.calendar)
        while n < 0:
            day -= dt.timedelta(days=1)
            if self.is_workday(day):
                n += 1
        return day

    def workday_from(self, day: dt.date) -> dt.date:
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def days_ago(self, n: int) -> dt.date:
        """The n-th working day before today (n ≥ 1): recent history, never today itself."""
        return self.shift(self.today, -n)

    def moment(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CHINA)

    def office_time(self, day: dt.date) -> dt.datetime:
        start = dt.datetime.combine(day, OFFICE_OPENS, tzinfo=CHINA)
        return start + dt.timedelta(minutes=self.rng.randrange(OFFICE_MINUTES))

    def after(self, moment: dt.datetime, lo: int, hi: int) -> dt.datetime:
        """A moment lo..hi working days after moment (0: later the same day)."""
        n = self.rng.randint(lo, hi)
        if n == 0:
            later = moment + dt.timedelta(minutes=self.rng.randint(20, 150))
            if later.astimezone(CHINA).hour < 21:
                return later
            n = 1
        return self.office_time(self.shift(local_date(moment), n))

    def between(self, start: dt.datetime, end: dt.datetime, k: int) -> list[dt.datetime]:
        """k moments strictly between start and end, in office hours where the span allows."""
        span = (end - start).total_seconds()
        moments = []
        for _ in range(k):
            for _attempt in range(8):
                candidate = start + dt.timedelta(seconds=self.rng.uniform(0.05, 0.95) * span)
                local = candidate.astimezone(CHINA)
                minutes = (local.hour - 8) * 60 + local.minute - 30
                if self.is_workday(local.date()) and 0 <= minutes < OFFICE_MINUTES:
                    break
            moments.append(candidate)
        return sorted(moments)

    def day_in(self, first: dt.date, last: dt.date) -> dt.date:
        """A random working day in [first, last]."""
        span = (last - first).days
        for _ in range(20):
            day = first + dt.timedelta(days=self.rng.randint(0, span))
            if self.is_workday(day):
                return day
        return self.workday_from(first)
