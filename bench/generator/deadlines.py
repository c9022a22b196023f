"""The domain's deadline rules (cases.deadlines, notifications.ladder), asked of each case, with
each answer kept under the one thing it depends on.

Generation calls the workflow's own functions; it restates no rule. A million cases ask the same
few thousand questions, though: an assignment's contact and resolve deadlines are the end of the
N-th working day after the day it was made (cases.deadlines: a day's question, whatever the hour),
and where a deadline stands on the ladder now depends on its due moment alone. So the first case
of a day (or due moment) asks the domain with its own arguments and the cases after it reuse the
answer, which keeps the working-day walks out of the per-case cost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import SimpleNamespace

from cases import deadlines as rules
from cases.deadlines import Deadline
from cases.workdays import WorkCalendar, local_date
from notifications import ladder

# What a generated case has not got unless its life says so (cases.deadlines reads attributes).
_NOT_YET = {"suspended_at": None, "contacted_at": None}


class Deadlines:
    """The deadline rules at one moment `now`, on one calendar, answered once per key."""

    def __init__(self, calendar: WorkCalendar, now: dt.datetime):
        self.calendar = calendar
        self.now = now
        self._contact: dict[dt.date, dt.datetime] = {}
        self._resolve: dict[tuple[dt.date, int], dt.datetime] = {}
        self._starts: dict[dt.datetime, tuple[dt.datetime, ...]] = {}
        self._levels: dict[dt.datetime, int | None] = {}

    def contact_due(self, assigned_at: dt.datetime) -> dt.datetime:
        """签收并对接: rules.contact_due, once per day of assignment."""
        day = local_date(assigned_at)
        if day not in self._contact:
            self._contact[day] = rules.contact_due(assigned_at, self.calendar)
        return self._contact[day]

    def resolve_due(self, assigned_at: dt.datetime, working_days: int) -> dt.datetime:
        """rules.default_resolve_due, once per day of assignment and number of days."""
        key = (local_date(assigned_at), working_days)
        if key not in self._resolve:
            self._resolve[key] = rules.default_resolve_due(assigned_at, working_days, self.calendar)
        return self._resolve[key]

    @staticmethod
    def contact_working_days() -> int:
        return rules.contact_working_days()

    @staticmethod
    def running(case: Mapping) -> list[Deadline]:
        """rules.running_deadlines of a generated row (a dict of the case's columns)."""
        return rules.running_deadlines(SimpleNamespace(**{**_NOT_YET, **case}))

    def level_now(self, due_at: dt.datetime) -> int | None:
        """rules.level_at now, once per due moment."""
        if due_at not in self._levels:
            self._levels[due_at] = rules.level_at(due_at, self.now, self.calendar)
        return self._levels[due_at]

    def level_starts(self, due_at: dt.datetime) -> tuple[dt.datetime, ...]:
        """rules.level_starts, once per due moment."""
        if due_at not in self._starts:
            self._starts[due_at] = rules.level_starts(due_at, self.calendar)
        return self._starts[due_at]

    def plan(self, running: list[Deadline], sent: Mapping[Deadline, int]) -> ladder.Plan:
        """The sweep's cursor and level after the rungs sent (notifications.ladder.plan)."""
        return ladder.plan(running, sent, self.calendar)
