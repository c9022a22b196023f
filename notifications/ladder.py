"""The reminder ladder of DESIGN §6 as pure arithmetic on the working-day clock (no ORM inside).

For a deadline due on day D (normally D 23:59:59 Beijing time) a level begins:

    0 warning    (预警)     when D begins                          start_of_day(D)
    1 overdue    (逾期)     the second after the deadline          due_at + 1 s
    2 escalated  (督办)     once 1 working day after D has ended   end_of_day(D + 1 wd) + 1 s
    3 flagged    (挂牌督办) once 3 working days after D have ended end_of_day(D + 3 wd) + 1 s

"1 working day overdue" is a whole working day lost: a deadline on Thursday escalates as Saturday
begins, one on Friday as Tuesday begins (the weekend does not count), one on a make-up Saturday
(调休) as the following Tuesday begins. Counting with add_working_days keeps the ladder on the same
calendar as the deadlines themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cases.workdays import WorkCalendar, add_working_days, end_of_day, local_date, start_of_day

WARNING, OVERDUE, ESCALATED, FLAGGED = 0, 1, 2, 3
TOP = FLAGGED
_SECOND = dt.timedelta(seconds=1)


def level_starts(due_at: dt.datetime, calendar: WorkCalendar) -> tuple[dt.datetime, ...]:
    """When each level begins, in level order (the times never decrease)."""
    day = local_date(due_at)
    return (
        min(start_of_day(day), due_at),
        due_at + _SECOND,
        end_of_day(add_working_days(day, 1, calendar)) + _SECOND,
        end_of_day(add_working_days(day, 3, calendar)) + _SECOND,
    )


def level_at(due_at: dt.datetime, now: dt.datetime, calendar: WorkCalendar) -> int | None:
    """The level this deadline has reached at now, or None before its due day begins."""
    reached = None
    for level, begins in enumerate(level_starts(due_at, calendar)):
        if begins <= now:
            reached = level
    return reached


def next_start(due_at: dt.datetime, sent: int | None, calendar: WorkCalendar) -> dt.datetime | None:
    """When the level after the highest one sent begins; None when the ladder is done."""
    following = 0 if sent is None else sent + 1
    if following > TOP:
        return None
    return level_starts(due_at, calendar)[following]


@dataclass(frozen=True)
class Deadline:
    """One running deadline of a case: which one ("contact"/"resolve") and when it falls due."""

    kind: str
    due_at: dt.datetime


@dataclass(frozen=True)
class Plan:
    next_reminder_at: dt.datetime | None
    escalation_level: int | None


def plan(
    deadlines: Iterable[Deadline],
    sent: Mapping[Deadline, int],
    calendar: WorkCalendar,
) -> Plan:
    """The case's next reminder time and current escalation, given the levels already sent."""
    deadlines = list(deadlines)
    upcoming = [next_start(d.due_at, sent.get(d), calendar) for d in deadlines]
    reached = [sent[d] for d in deadlines if d in sent]
    times = [t for t in upcoming if t is not None]
    return Plan(
        next_reminder_at=min(times) if times else None,
        escalation_level=max(reached) if reached else None,
    )


CONTACT, RESOLVE = "contact", "resolve"
_ACCEPTING, _HANDLING = "assigned", "in_progress"


def running_deadlines(case) -> list[Deadline]:
    """The deadlines whose ladder runs now: none while suspended or once finished.

    The contact deadline runs until the department accepts (签收), the resolve deadline until it
    replies; a returned, merged or closed case runs neither. Reads attributes only, so it works on
    a migration's historical model too.
    """
    if case.suspended_at is not None:
        return []
    running = []
    if case.status == _ACCEPTING and case.contacted_at is None and case.contact_due_at:
        running.append(Deadline(CONTACT, case.contact_due_at))
    if case.status in (_ACCEPTING, _HANDLING) and case.resolve_due_at:
        running.append(Deadline(RESOLVE, case.resolve_due_at))
    return running
