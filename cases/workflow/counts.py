"""A deadline's count (cases.calendar): the working days a deadline is counted with, from which
day — kept on the case so that a changed calendar can move the deadline, restored with a refused
return, lengthened by a suspension, started afresh on a reopening."""

from __future__ import annotations

import datetime as dt

from cases import deadlines
from cases.models import Case
from cases.workdays import WorkCalendar, local_date


def _count_resolve_due(case: Case, start: dt.datetime, calendar: WorkCalendar) -> None:
    """A resolve deadline counted from start with the category's days (cases.calendar keeps the
    count, so that a changed calendar can move it)."""
    case.resolve_due_from = local_date(start)
    case.resolve_due_working_days = case.category.default_resolve_days
    case.resolve_due_at = deadlines.default_resolve_due(
        start, case.category.default_resolve_days, calendar
    )


# A deadline's count (cases.calendar), kept with a return so that a refusal restores it too.
_COUNTS = (
    "contact_due_from",
    "contact_due_working_days",
    "resolve_due_from",
    "resolve_due_working_days",
)


def _counted(value: dt.date | int | None) -> str | int | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def _push_count(case: Case, kind: str, days: int) -> None:
    """A suspension's working days added to a deadline's count; a chosen date pushed becomes a
    count from that date (the days added are counted, the date itself stays chosen)."""
    due = getattr(case, f"{kind}_due_at")
    counted = getattr(case, f"{kind}_due_working_days")
    if due is None or (counted is None and not days):
        return
    if counted is None:
        setattr(case, f"{kind}_due_from", local_date(due))
        counted = 0
    setattr(case, f"{kind}_due_working_days", counted + days)
