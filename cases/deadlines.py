"""Every rule about a case's deadlines, written once (DESIGN §4–§6). Nothing else restates them:
the workflow, the office's assignment preview and 督办 board, the department inbox, the case page,
the portal, analysis, the reminder sweep, the API and the load generator all ask here.

Due dates
    The contact deadline (签收并对接) is the end (23:59:59 Beijing time) of the
    CONTACT_DEADLINE_WORKING_DAYS-th working day after the assignment; a resolve deadline counted
    from the category's days the same way, unless the office typed one (never before the contact
    deadline). Resuming a suspended case (挂起) pushes every deadline still to be met by the
    working days it spent suspended.

Which deadline runs
    The contact deadline while the case is assigned and not yet accepted; the resolve deadline
    while it is assigned or being handled, until the reply. A suspended case runs none; a replied,
    closed, merged or returned case has none. The deadline a case is measured on now — its
    "current" deadline — is the earliest running one: the contact deadline until acceptance, then
    the resolve deadline.

Lateness and the ladder
    A deadline is overdue from the second after it. "N working days late" counts the whole working
    days after the due day that have ended: a Thursday deadline is 0 days late (but overdue) on
    Friday, 1 from Saturday, still 1 on Monday, 2 from Tuesday. The escalation ladder reads the
    same count: 0 warning (预警) from the start of the due day, 1 overdue (逾期) from the second after
    the deadline, 2 escalated (督办) at 1 working day late, 3 flagged (挂牌督办) at 3 — which only
    proposes listing (建议挂牌): the office decides it (cases.workflow.listing). The ladder is
    written once, forward (`level_starts`: when each level begins, for the sweep's cursor); the
    inverse the board filters by (`cutoffs_at`: at a moment, the due moment before which a deadline
    has reached each level) is derived from the same LATE_DAYS and tested against it.

The conditions as query expressions (RUNNING, CONTACT_RUNS, …) are the same rules for the
database — filters, counts and the partial indexes of cases.models — and are tested against the
Python ones on every state. This module reads no model, so cases.models can import it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, DateTimeField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models import Case as Switch
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.workdays import (
    WorkCalendar,
    add_working_days,
    due_after,
    end_of_day,
    local_date,
    start_of_day,
    working_days_between,
    working_days_left,
)

# Case.Status values (tests.test_deadlines asserts they match): this module reads no model.
ASSIGNED, IN_PROGRESS = "assigned", "in_progress"

CONTACT, RESOLVE = "contact", "resolve"
CASE_DEADLINES = (CONTACT, RESOLVE)  # the case's own: the ladder's (notifications.reminders)
DEADLINE_LABELS = {CONTACT: _("对接期限"), RESOLVE: _("办结期限")}

# The ladder's levels (Case.Escalation) and, for the levels counted in lateness, the whole working
# days late at which each begins.
WARNING, OVERDUE, ESCALATED, FLAGGED = 0, 1, 2, 3
# The ladder's names (Case.Escalation's labels are these).
LEVEL_LABELS = {
    WARNING: _("预警"),
    OVERDUE: _("逾期"),
    ESCALATED: _("督办"),
    FLAGGED: _("挂牌督办"),
}
# The top level is a proposal until the office lists the case (cases.workflow.listing): reached
# by the ladder alone, it reads 建议挂牌; 挂牌督办 is said of a listed case only.
PROPOSED_LABEL = _("建议挂牌")
LEVELS = (WARNING, OVERDUE, ESCALATED, FLAGGED)
TOP = FLAGGED
LATE_DAYS = {ESCALATED: 1, FLAGGED: 3}
# The city's clock (上报市级, cases.workflow.city): a city department's 签收 and answer deadlines,
# counted on the same working days and levels, but said in its own words. 督办 and 挂牌督办 are the
# county office's decisions about its own departments; the city's late deadline is just that — not
# signed for, or not answered, in time.
CITY_CONTACT, CITY_ANSWER = "city_contact", "city_answer"
CITY_DEADLINES = (CITY_CONTACT, CITY_ANSWER)
# Its one level: late, from the same second as the ladder's OVERDUE; nothing above it. The city's
# message says it (notifications.city_messages), its sweep records it once at this level
# (notifications.city_reminders: a Reminder row like a rung of the case's ladder).
CITY_LATE_LEVEL = OVERDUE
CITY_DEADLINE_LABELS = {CITY_CONTACT: _("签收期限"), CITY_ANSWER: _("答复期限")}
CITY_LATE_LABELS = {CITY_CONTACT: _("超期未签收"), CITY_ANSWER: _("超期未答复")}
CITY_DUE_TODAY = _("今日到期")
NONE = -1  # the level annotation's value for "no level reached"

_DAY = dt.timedelta(days=1)
_SECOND = dt.timedelta(seconds=1)
_TICK = dt.timedelta(microseconds=1)


# --- due dates ---------------------------------------------------------------------------------


def counted_due(start: dt.date, working_days: int, calendar: WorkCalendar) -> dt.datetime:
    """The end of the working_days-th working day after the day start (start does not count)."""
    return end_of_day(add_working_days(start, working_days, calendar))


def contact_working_days() -> int:
    return settings.CONTACT_DEADLINE_WORKING_DAYS


def contact_due(assigned_at: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    """签收并对接: the contact deadline of an assignment made at assigned_at."""
    return due_after(assigned_at, contact_working_days(), calendar)


def default_resolve_due(
    start: dt.datetime, working_days: int, calendar: WorkCalendar
) -> dt.datetime:
    """A resolve deadline counted from start with a category's default_resolve_days."""
    return due_after(start, working_days, calendar)


def resolve_due_error(resolve_due_at: dt.datetime | None, contact_due_at: dt.datetime) -> str:
    """Why a typed resolve deadline cannot stand ("" when it can)."""
    if resolve_due_at is not None and resolve_due_at < contact_due_at:
        return _("办结期限不能早于对接期限（%(due)s）。") % {
            "due": local_date(contact_due_at).isoformat()
        }
    return ""


def suspended_working_days(
    suspended_at: dt.datetime, resumed_at: dt.datetime, calendar: WorkCalendar
) -> int:
    """The working days a suspension took: after the day it began, up to the day it ended."""
    return max(0, working_days_between(local_date(suspended_at), local_date(resumed_at), calendar))


def pushed(due_at: dt.datetime | None, days: int, calendar: WorkCalendar) -> dt.datetime | None:
    """A deadline moved on by the working days a suspension took."""
    return due_at and counted_due(local_date(due_at), days, calendar)


# --- which deadline runs -----------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """One running deadline of a case: which one (CONTACT/RESOLVE) and when it falls due."""

    kind: str
    due_at: dt.datetime


def running_deadlines(case) -> list[Deadline]:
    """The deadlines whose clocks run now, earliest first. Reads attributes only, so it works on a
    migration's historical model and on rows the load generator builds."""
    if case.suspended_at is not None:
        return []
    running = []
    if case.status == ASSIGNED and case.contacted_at is None and case.contact_due_at:
        running.append(Deadline(CONTACT, case.contact_due_at))
    if case.status in (ASSIGNED, IN_PROGRESS) and case.resolve_due_at:
        running.append(Deadline(RESOLVE, case.resolve_due_at))
    return sorted(running, key=lambda d: d.due_at)


def current_deadline(case) -> Deadline | None:
    """The deadline the case is measured on now: the earliest running one."""
    running = running_deadlines(case)
    return running[0] if running else None


# The same rules for the database. The *_RUNS conditions are the partial indexes' (cases.models);
# *_RUNNING adds that the deadline is set.
RUNNING = Q(status__in=[ASSIGNED, IN_PROGRESS], suspended_at__isnull=True)
CONTACT_RUNS = Q(status=ASSIGNED, contacted_at__isnull=True, suspended_at__isnull=True)
CONTACT_RUNNING = CONTACT_RUNS & Q(contact_due_at__isnull=False)
RESOLVE_RUNNING = RUNNING & Q(resolve_due_at__isnull=False)
# While being handled the resolve deadline is the current one (the contact one no longer runs).
HANDLING = Q(status=IN_PROGRESS, suspended_at__isnull=True)
RESOLVE_CURRENT = HANDLING & Q(resolve_due_at__isnull=False)


# --- lateness and the ladder -------------------------------------------------------------------


def is_overdue(due_at: dt.datetime, now: dt.datetime) -> bool:
    """Overdue from the second after the deadline (the ladder's level 1)."""
    return now >= due_at + _SECOND


def working_days_late(due_at: dt.datetime, now: dt.datetime, calendar: WorkCalendar) -> int:
    """The whole working days after the due day that have ended by now (0 until one has)."""
    yesterday = local_date(now) - _DAY
    due_day = local_date(due_at)
    if yesterday <= due_day:
        return 0
    return working_days_between(due_day, yesterday, calendar)


def level_starts(due_at: dt.datetime, calendar: WorkCalendar) -> tuple[dt.datetime, ...]:
    """When each level begins, in level order (the times never decrease)."""
    day = local_date(due_at)
    return (
        min(start_of_day(day), due_at),
        due_at + _SECOND,
        *(
            # n working days late once the n-th working day after the due day has ended
            end_of_day(add_working_days(day, LATE_DAYS[level], calendar)) + _SECOND
            for level in (ESCALATED, FLAGGED)
        ),
    )


def level_at(due_at: dt.datetime, now: dt.datetime, calendar: WorkCalendar) -> int | None:
    """The level this deadline has reached at now, or None before its due day begins."""
    reached = None
    for level, begins in enumerate(level_starts(due_at, calendar)):
        if begins <= now:
            reached = level
    return reached


def level_label(level: int, *, listed: bool) -> str:
    """A level's name as the board, the inbox and the reminders say it: the top level of a case
    the office has not listed is only a proposal (建议挂牌)."""
    if level == FLAGGED and not listed:
        return str(PROPOSED_LABEL)
    return str(LEVEL_LABELS[level])


def next_start(due_at: dt.datetime, sent: int | None, calendar: WorkCalendar) -> dt.datetime | None:
    """When the level after the highest one sent begins; None when the ladder is done."""
    following = 0 if sent is None else sent + 1
    if following > TOP:
        return None
    return level_starts(due_at, calendar)[following]


def _workdays_back(day: dt.date, n: int, calendar: WorkCalendar) -> dt.date:
    """The n-th working day counting back from day (n=1: the last working day on or before it)."""
    while True:
        if calendar.is_workday(day):
            n -= 1
            if n == 0:
                return day
        day -= _DAY


def cutoffs_at(now: dt.datetime, calendar: WorkCalendar) -> tuple[dt.datetime, ...]:
    """The ladder inverted: for each level L, a deadline due before cutoffs[L] has reached L at now
    (level_at(due_at, now) >= L exactly when due_at < cutoffs[L])."""
    today = local_date(now)
    yesterday = today - _DAY
    return (
        start_of_day(today + _DAY),  # the due day is today or earlier
        _overdue_cutoff(now),
        *(
            # n whole working days late: the due day lies before the n-th working day back
            # from yesterday
            start_of_day(_workdays_back(yesterday, LATE_DAYS[level], calendar))
            for level in (ESCALATED, FLAGGED)
        ),
    )


def level_of(due_at: dt.datetime, cutoffs: tuple[dt.datetime, ...]) -> int | None:
    for level in reversed(LEVELS):
        if due_at < cutoffs[level]:
            return level
    return None


KEPT, LATE, OVERDUE_NOW, RUNNING_NOW, PAUSED = "kept", "late", "overdue", "running", "paused"


@dataclass(frozen=True)
class Clock:
    """One deadline of a case as people read it: met in time or late, or still to be met —
    running (its level, working days left and late) or paused by a suspension."""

    deadline: str  # CONTACT or RESOLVE
    due_at: dt.datetime
    state: str  # KEPT, LATE, OVERDUE_NOW, RUNNING_NOW or PAUSED
    done_at: dt.datetime | None = None
    level: int | None = None  # the ladder's level while running; None before the due day
    working_days_left: int = 0  # 0 on the due day, negative after it
    working_days_late: int = 0
    estimated: bool = False  # rests on the statutory estimate of a year (cases.calendar)

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def kept(self) -> bool:
        return self.state == KEPT

    @property
    def overdue(self) -> bool:
        return self.state == OVERDUE_NOW

    @property
    def urgent(self) -> bool:
        """Due today or already past: the ladder has begun."""
        return self.level is not None

    @property
    def is_contact(self) -> bool:
        return self.deadline == CONTACT

    @property
    def label(self) -> str:
        if self.level is None:
            return ""
        if self.deadline in CITY_LATE_LABELS:  # the city's clock: its own words, no ladder
            late = self.level >= CITY_LATE_LEVEL
            return str(CITY_LATE_LABELS[self.deadline] if late else CITY_DUE_TODAY)
        return str(LEVEL_LABELS[self.level])

    @property
    def deadline_label(self) -> str:
        return str(CITY_DEADLINE_LABELS.get(self.deadline) or DEADLINE_LABELS[self.deadline])


def _running_clock(kind: str, due_at: dt.datetime, now, calendar, estimated: bool) -> Clock:
    level = level_at(due_at, now, calendar)
    return Clock(
        kind,
        due_at,
        OVERDUE_NOW if level is not None and level >= OVERDUE else RUNNING_NOW,
        level=level,
        working_days_left=working_days_left(due_at, now, calendar),
        working_days_late=working_days_late(due_at, now, calendar),
        estimated=estimated,
    )


def clock(
    case, kind: str, now: dt.datetime, calendar: WorkCalendar, *, estimated: bool = False
) -> Clock | None:
    """The contact or the resolve deadline of a case now; None when it has none that counts (not
    set, or the case was merged, returned or closed before meeting it)."""
    due_at = case.contact_due_at if kind == CONTACT else case.resolve_due_at
    done_at = case.contacted_at if kind == CONTACT else case.replied_at
    if due_at is None or case.status == "merged":
        return None
    if done_at is not None:
        return Clock(kind, due_at, KEPT if done_at <= due_at else LATE, done_at=done_at)
    if any(d.kind == kind for d in running_deadlines(case)):
        return _running_clock(kind, due_at, now, calendar, estimated)
    if case.suspended_at is not None and case.status in (ASSIGNED, IN_PROGRESS):
        if kind == RESOLVE or case.status == ASSIGNED:
            return Clock(kind, due_at, PAUSED, estimated=estimated)
    return None


def city_deadlines(
    assigned_at: dt.datetime, answer_working_days: int, calendar: WorkCalendar
) -> tuple[dt.datetime, dt.datetime]:
    """上报市级 (cases.workflow.city): a city department's two deadlines from the city office's
    assignment — the contact rule's working days for its 签收, the office's for its answer —
    counted on the same working days as a county department's."""
    return contact_due(assigned_at, calendar), due_after(assigned_at, answer_working_days, calendar)


def plain_clock(
    kind: str, due_at: dt.datetime | None, done_at: dt.datetime | None, now, calendar
) -> Clock | None:
    """A deadline outside a case's own (a city department's, kind CITY_CONTACT or CITY_ANSWER):
    met in time or late once done, else running on the same ladder's levels, which its Clock
    names in the city's words (Clock.label)."""
    if due_at is None:
        return None
    if done_at is not None:
        return Clock(kind, due_at, KEPT if done_at <= due_at else LATE, done_at=done_at)
    return _running_clock(kind, due_at, now, calendar, False)


def standing(case, now: dt.datetime, calendar: WorkCalendar) -> Clock | None:
    """The clock of the deadline the case is measured on now (None when no deadline runs). Pure:
    reads the case's fields only, so a page of rows costs no query."""
    deadline = current_deadline(case)
    if deadline is None:
        return None
    return _running_clock(deadline.kind, deadline.due_at, now, calendar, False)


# --- the same, for the database ----------------------------------------------------------------


def overdue_q(now: dt.datetime | None = None) -> Q:
    """Overdue now, for filters and conditional counts: a running deadline is past."""
    cutoff = _overdue_cutoff(now or timezone.now())
    return _running_past(cutoff)


def _running_past(cutoff: dt.datetime) -> Q:
    """A running deadline is due before `cutoff`. RUNNING is said once more around the two (each
    implies it): the condition a partial index of the open cases is built on, found by the planner
    at the top — at a million cases it read the county's open deadlines from their own index
    (case_county_open_deadlines, 2 ms) instead of a bitmap over three indexes that missed its
    estimate thirtyfold (14–24 ms)."""
    return RUNNING & (
        Q(CONTACT_RUNNING, contact_due_at__lt=cutoff)
        | Q(RESOLVE_RUNNING, resolve_due_at__lt=cutoff)
    )


def _overdue_cutoff(now: dt.datetime) -> dt.datetime:
    """Overdue from the second after the deadline: due before this moment (needs no calendar)."""
    return now - _SECOND + _TICK


def city_overdue_q(kind: str, now: dt.datetime) -> Q:
    """A city department's deadline (CITY_CONTACT or CITY_ANSWER) not met and overdue now — the
    same second as overdue_q's — on cases.models.CityEscalation's columns (for its sweep)."""
    cutoff = _overdue_cutoff(now)
    if kind == CITY_CONTACT:
        return Q(contacted_at__isnull=True, answered_at__isnull=True, contact_due_at__lt=cutoff)
    return Q(answered_at__isnull=True, answer_due_at__lt=cutoff)


def with_overdue(cases: QuerySet, now: dt.datetime | None = None) -> QuerySet:
    """Annotate each case with `overdue` (a real bool: NULL deadlines count as not overdue)."""
    return cases.annotate(
        overdue=Switch(
            When(overdue_q(now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


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


def with_level(cases: QuerySet, now: dt.datetime, calendar: WorkCalendar) -> QuerySet:
    """Annotate `level`: the highest level any running deadline has reached at now (NONE: none)."""
    cutoffs = cutoffs_at(now, calendar)
    return cases.annotate(
        contact_level=_level_expression("contact_due_at", CONTACT_RUNNING, cutoffs),
        resolve_level=_level_expression("resolve_due_at", RESOLVE_RUNNING, cutoffs),
    ).annotate(level=Greatest("contact_level", "resolve_level"))


def reached_q(level: int, now: dt.datetime, calendar: WorkCalendar) -> Q:
    """A running deadline has reached `level` at now, in plain comparisons on the columns (so the
    database reads only the running cases, from a partial index)."""
    return _running_past(cutoffs_at(now, calendar)[level])


def current_due_at() -> Switch:
    """current_deadline's due moment as an expression, to sort by (NULL when none runs)."""
    return Switch(
        When(CONTACT_RUNNING, then=F("contact_due_at")),
        When(RESOLVE_CURRENT, then=F("resolve_due_at")),
        default=Value(None),
        output_field=DateTimeField(),
    )
