"""How a case stands against its two clocks, as the enterprise reads it: kept, late, overdue,
still running (with working days left) or paused. "Overdue now" comes from cases.deadlines
(the `overdue` annotation); this only tells the two clocks apart for display."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cases.models import Case
from cases.workdays import WorkCalendar, working_days_left

KEPT, LATE, OVERDUE, RUNNING, PAUSED = "kept", "late", "overdue", "running", "paused"


@dataclass(frozen=True)
class Clock:
    due: dt.datetime
    state: str
    days_left: int | None = None


def _running(case: Case, due: dt.datetime, now: dt.datetime, calendar: WorkCalendar) -> Clock:
    if case.is_suspended:
        return Clock(due, PAUSED)
    if now > due:
        return Clock(due, OVERDUE)
    return Clock(due, RUNNING, working_days_left(due, now, calendar))


def contact_clock(case: Case, now: dt.datetime, calendar: WorkCalendar) -> Clock | None:
    """The 3-working-day rule: was the enterprise contacted in time?"""
    due = case.contact_due_at
    if due is None or case.status == Case.Status.MERGED:
        return None
    if case.contacted_at is not None:
        return Clock(due, KEPT if case.contacted_at <= due else LATE)
    if case.status != Case.Status.ASSIGNED:
        return None
    if getattr(case, "overdue", None):
        return Clock(due, OVERDUE)
    return _running(case, due, now, calendar)


def resolve_clock(case: Case, now: dt.datetime, calendar: WorkCalendar) -> Clock | None:
    """限时办结: was (or will) the result be fed back by the resolve deadline?"""
    due = case.resolve_due_at
    if due is None or case.status == Case.Status.MERGED:
        return None
    if case.replied_at is not None:
        return Clock(due, KEPT if case.replied_at <= due else LATE)
    if case.status not in (Case.Status.ASSIGNED, Case.Status.IN_PROGRESS):
        return None
    if case.status == Case.Status.IN_PROGRESS and getattr(case, "overdue", None):
        return Clock(due, OVERDUE)
    return _running(case, due, now, calendar)
