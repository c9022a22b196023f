"""The reminder sweep's plan for one case: when its next reminder is due and the level it stands
at, given the levels already sent. The ladder itself — when each level begins, which deadlines run
— is cases.deadlines'; this only turns it into the sweep's cursor (Case.next_reminder_at)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cases.deadlines import Deadline, next_start
from cases.workdays import WorkCalendar


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
