"""Where each open case stands on the escalation ladder right now, for the supervision board (督办).

The ladder is the reminder sweep's (DESIGN §6, notifications.ladder), per running deadline:
0 warning (预警) once the due day has begun, 1 overdue (逾期) once the deadline has passed,
2 escalated (督办) once a whole working day has passed after the due day, 3 flagged (挂牌督办) once
three have. A case stands at the highest level of its running deadlines: the contact deadline until
the department accepts (签收), the resolve deadline until it replies; a suspended case (挂起) stands
nowhere, its clocks are stopped.

The board reads levels from the deadlines and the working-day clock at the moment of reading rather
than from Case.escalation_level, which records what the sweep has already sent (and so lags it, and
is empty for a historical case until the next sweep). The levels are turned into four cut-off
moments computed once from the calendar, so the database filters, counts and sorts by level and a
page costs the same few queries however many cases the county has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as Switch
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.workdays import WorkCalendar, local_date, start_of_day

WARNING, OVERDUE, ESCALATED, FLAGGED = 0, 1, 2, 3
LEVELS = (WARNING, OVERDUE, ESCALATED, FLAGGED)
LABELS = dict(Case.Escalation.choices)
CONTACT, RESOLVE = "contact", "resolve"
DEADLINE_LABELS = {CONTACT: _("对接期限"), RESOLVE: _("办结期限")}
NONE = -1  # the annotation's value for "no level reached"
BOARD_ORDER = ("-level", "lead_department__name", "pk")  # most urgent first

_DAY = dt.timedelta(days=1)
_SECOND = dt.timedelta(seconds=1)
_TICK = dt.timedelta(microseconds=1)

CONTACT_RUNNING = Q(
    suspended_at__isnull=True,
    status=Case.Status.ASSIGNED,
    contacted_at__isnull=True,
    contact_due_at__isnull=False,
)
RESOLVE_RUNNING = Q(
    suspended_at__isnull=True,
    status__in=[Case.Status.ASSIGNED, Case.Status.IN_PROGRESS],
    resolve_due_at__isnull=False,
)
# Every case with a running deadline; the board's partial index holds exactly these.
RUNNING = Q(suspended_at__isnull=True, status__in=[Case.Status.ASSIGNED, Case.Status.IN_PROGRESS])


def _workdays_back(day: dt.date, n: int, calendar: WorkCalendar) -> dt.date:
    """The n-th working day counting back from day (n=1: the last working day on or before it)."""
    while True:
        if calendar.is_workday(day):
            n -= 1
            if n == 0:
                return day
        day -= _DAY


def cutoffs_at(now: dt.datetime, calendar: WorkCalendar) -> tuple[dt.datetime, ...]:
    """For each level L, the moment cutoffs[L]: a deadline due before it has reached L at now."""
    today = local_date(now)
    yesterday = today - _DAY
    return (
        start_of_day(today + _DAY),  # the due day is today or earlier
        now - _SECOND + _TICK,  # the ladder's "overdue" begins the second after the deadline
        start_of_day(_workdays_back(yesterday, 1, calendar)),
        start_of_day(_workdays_back(yesterday, 3, calendar)),
    )


def level_of(due_at: dt.datetime, cutoffs: tuple[dt.datetime, ...]) -> int | None:
    for level in reversed(LEVELS):
        if due_at < cutoffs[level]:
            return level
    return None


def _level_expression(due_field: str, running: Q, cutoffs: tuple[dt.datetime, ...]) -> Switch:
    # Whether the deadline runs is tested once per row, then its due moment against each cut-off.
    reached = Switch(
        *[
            When(Q(**{f"{due_field}__lt": cutoffs[level]}), then=Value(level))
            for level in reversed(LEVELS)
        ],
        default=Value(NONE),
        output_field=IntegerField(),
    )
    return Switch(When(running, then=reached), default=Value(NONE), output_field=IntegerField())


def with_escalation(
    cases: QuerySet[Case], now: dt.datetime, calendar: WorkCalendar
) -> QuerySet[Case]:
    """Annotate `level` (-1 when no running deadline has reached the ladder) and `level_due_at`."""
    cutoffs = cutoffs_at(now, calendar)
    return cases.annotate(
        contact_level=_level_expression("contact_due_at", CONTACT_RUNNING, cutoffs),
        resolve_level=_level_expression("resolve_due_at", RESOLVE_RUNNING, cutoffs),
    ).annotate(level=Greatest("contact_level", "resolve_level"))


def on_the_board(cases: QuerySet[Case], now: dt.datetime, calendar: WorkCalendar) -> QuerySet:
    """The open cases that have reached the ladder, most urgent first.

    A case is on the board when a running deadline's due day has begun (level 0): said with plain
    comparisons on the columns, so that the database reads only the running cases (a partial index)
    instead of computing the level of every case the county ever had.
    """
    warning = cutoffs_at(now, calendar)[WARNING]
    reached = Q(CONTACT_RUNNING, contact_due_at__lt=warning) | Q(
        RESOLVE_RUNNING, resolve_due_at__lt=warning
    )
    return with_escalation(cases.filter(RUNNING).filter(reached), now, calendar).order_by(
        *BOARD_ORDER
    )


@dataclass(frozen=True)
class Standing:
    """One case's worst running deadline: which one, when due, its level and working days late."""

    deadline: str
    due_at: dt.datetime
    level: int
    working_days_overdue: int

    @property
    def label(self) -> str:
        return LABELS[self.level]

    @property
    def deadline_label(self) -> str:
        return DEADLINE_LABELS[self.deadline]


def standing(case: Case, now: dt.datetime, calendar: WorkCalendar) -> Standing | None:
    """Pure: reads the case's fields only (no query)."""
    return Ladder(now, calendar).standing(case)


class Ladder:
    """The ladder at one moment, for the many rows of a board page: the cut-offs are computed once,
    and the working days are counted once, back from yesterday to the oldest due day on the page,
    rather than day by day for every row (a stale case is years late)."""

    def __init__(self, now: dt.datetime, calendar: WorkCalendar):
        self.calendar = calendar
        self.cutoffs = cutoffs_at(now, calendar)
        self.yesterday = local_date(now) - _DAY
        self._oldest = self.yesterday
        self._late = {self.yesterday: 0}  # a day -> the working days after it, up to yesterday

    def working_days_late(self, due_day: dt.date) -> int:
        if due_day >= self.yesterday:
            return 0
        while self._oldest > due_day:
            late = self._late[self._oldest] + self.calendar.is_workday(self._oldest)
            self._oldest -= _DAY
            self._late[self._oldest] = late
        return self._late[due_day]

    def standing(self, case: Case) -> Standing | None:
        """Pure: reads the case's fields only (no query), for each row of a board page."""
        running = []
        if (
            case.suspended_at is None
            and case.status == Case.Status.ASSIGNED
            and case.contacted_at is None
            and case.contact_due_at
        ):
            running.append((CONTACT, case.contact_due_at))
        if (
            case.suspended_at is None
            and case.status in (Case.Status.ASSIGNED, Case.Status.IN_PROGRESS)
            and case.resolve_due_at
        ):
            running.append((RESOLVE, case.resolve_due_at))
        reached = [
            (level, due_at, name)
            for name, due_at in running
            if (level := level_of(due_at, self.cutoffs)) is not None
        ]
        if not reached:
            return None
        level, due_at, name = max(reached, key=lambda r: (r[0], -r[1].timestamp()))
        return Standing(name, due_at, level, self.working_days_late(local_date(due_at)))
