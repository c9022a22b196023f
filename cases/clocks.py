"""The progress clock (调度): a case handled over a long time owes a progress note every
PROGRESS_NOTE_INTERVAL_WORKING_DAYS working days, counted from the last note (or from the
acceptance, before the first one). A problem solved within the interval never asks for one.

Pure over a calendar loaded once (no ORM inside). The deadlines' own clocks are cases.deadlines'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from cases.models import Case
from cases.workdays import WorkCalendar, local_date, working_days_between

DEFAULT_PROGRESS_NOTE_INTERVAL = 5


def progress_note_interval() -> int:
    return getattr(settings, "PROGRESS_NOTE_INTERVAL_WORKING_DAYS", DEFAULT_PROGRESS_NOTE_INTERVAL)


@dataclass(frozen=True)
class ProgressClock:
    """When the last progress note was written, and whether the next one is due."""

    last_at: dt.datetime | None
    # Working days since the last note (or the acceptance, before the first note).
    days_since: int
    interval: int

    @property
    def due(self) -> bool:
        return self.days_since >= self.interval


def progress_clock(
    case: Case,
    last_progress_at: dt.datetime | None,
    now: dt.datetime,
    calendar: WorkCalendar,
    interval: int | None = None,
) -> ProgressClock | None:
    """None unless the case is being handled (in progress, not suspended)."""
    if case.status != Case.Status.IN_PROGRESS or case.suspended_at is not None:
        return None
    since = last_progress_at or case.contacted_at
    if since is None:
        return None
    return ProgressClock(
        last_at=last_progress_at,
        days_since=max(0, working_days_between(local_date(since), local_date(now), calendar)),
        interval=progress_note_interval() if interval is None else interval,
    )
