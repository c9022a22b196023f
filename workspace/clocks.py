"""What a department clerk must know about a case's time: which clock runs, and how much is left.

Pure functions over a calendar loaded once (no ORM inside), so a list of a hundred cases reads the
calendar once and each row costs nothing more.

- The running clock: the contact deadline (3 working days, 签收并对接) while the case waits to be
  accepted, then the resolve deadline (办结期限) while it is handled. A suspended case (挂起) has
  its clocks stopped; a replied or closed one has none.
- The progress clock (调度): a case handled over a long time owes a progress note every
  PROGRESS_NOTE_INTERVAL_WORKING_DAYS working days, counted from the last note (or from the
  acceptance, before the first one). A problem solved within the interval never asks for one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from cases.models import Case
from cases.workdays import WorkCalendar, local_date, working_days_between, working_days_left

CONTACT, RESOLVE = "contact", "resolve"
DEFAULT_PROGRESS_NOTE_INTERVAL = 5


def progress_note_interval() -> int:
    return getattr(settings, "PROGRESS_NOTE_INTERVAL_WORKING_DAYS", DEFAULT_PROGRESS_NOTE_INTERVAL)


@dataclass(frozen=True)
class Clock:
    """One running deadline as a clerk reads it."""

    kind: str  # CONTACT or RESOLVE
    due_at: dt.datetime
    # Working days from today to the due day: 0 on the due day, negative after it.
    days_left: int
    # Past the deadline itself (a Friday deadline is overdue on Saturday with 0 days left).
    overdue: bool
    # Due today or already past: what the inbox's urgent part holds.
    urgent: bool

    @property
    def is_contact(self) -> bool:
        return self.kind == CONTACT

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def running_clock(case: Case, now: dt.datetime, calendar: WorkCalendar) -> Clock | None:
    """The deadline this case is held to now, or None (suspended, replied, closed, submitted).

    Overdue is cases.deadlines' answer when the case carries it (with_overdue); a case read
    without it gets the same rule — past the moment itself — here.
    """
    if case.suspended_at is not None:
        return None
    if case.status == Case.Status.ASSIGNED and case.contacted_at is None and case.contact_due_at:
        kind, due_at = CONTACT, case.contact_due_at
    elif case.status == Case.Status.IN_PROGRESS and case.resolve_due_at:
        kind, due_at = RESOLVE, case.resolve_due_at
    else:
        return None
    overdue = getattr(case, "overdue", None)
    if overdue is None:
        overdue = now > due_at
    return Clock(
        kind=kind,
        due_at=due_at,
        days_left=working_days_left(due_at, now, calendar),
        overdue=overdue,
        urgent=overdue or local_date(due_at) <= local_date(now),
    )


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
