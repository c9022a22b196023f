"""The deadline sweep (DESIGN §6): find the cases whose next reminder is due and climb their ladder.

Exactly once by construction:
- Each case carries `next_reminder_at`, indexed only where set, so a sweep with nothing due is one
  indexed query however many cases exist.
- Due cases are claimed with SELECT … FOR UPDATE SKIP LOCKED, in batches: two sweeps running at the
  same moment (two beats, the command run by hand during a tick) take disjoint cases, and a case a
  transition holds is left for the next tick. (SQLite has no row locks; its IMMEDIATE transactions
  let one writer in at a time, which serialises sweeps just as well.)
- Each (case, deadline, level) sent is a Reminder row under a unique constraint, inserted in the
  same transaction as the notifications, the timeline event and the case's new cursor: either all
  of it commits or none. A rung that already exists is never sent again.
- A case first seen long after its deadline gets its current level once — the rungs it skipped are
  not sent — and the cursor moves to when the next level begins.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from cases.deadlines import Deadline, level_at, running_deadlines
from cases.models import Case, CaseEvent
from cases.selectors import work_calendar
from cases.workdays import WorkCalendar
from notifications import audience, ladder, messages
from notifications.models import Reminder
from notifications.outbox import outbox_rows, outbox_write

logger = logging.getLogger(__name__)

# The highest level already sent, per (case id, running deadline).
Sent = dict[tuple[int, Deadline], int]


@dataclass
class SweepResult:
    cases: int = 0
    reminders: int = 0
    notifications: int = 0


def reminders_sweep(
    *, now: dt.datetime | None = None, batch_size: int | None = None
) -> SweepResult:
    """One sweep: every due case, in batches of one transaction each (the city's deadlines are
    swept beside it: notifications.city_reminders, the same task and command)."""
    now = now or timezone.now()
    batch_size = batch_size or settings.REMINDER_SWEEP_BATCH_SIZE
    result = SweepResult()
    if not _anything_due(now):
        return result
    due = Case.objects.filter(next_reminder_at__lte=now)
    calendars = CountyCalendars()  # each case counts on its county's calendar
    seen: set[int] = set()
    while True:
        with transaction.atomic():
            cases = list(
                due.select_for_update(skip_locked=True, of=("self",))
                .select_related("enterprise", "lead_department")
                .order_by("next_reminder_at", "pk")[:batch_size]
            )
            fresh = [c for c in cases if c.pk not in seen]
            if fresh:
                _sweep_batch(fresh, now, calendars, result)
                seen.update(c.pk for c in fresh)
        # A short batch was the last; a batch of cases already handled means their cursors did
        # not move (they are due again at once), so stop rather than loop.
        if len(cases) < batch_size or not fresh:
            return result


def _anything_due(now: dt.datetime) -> bool:
    """One probe of the partial index case_next_reminder_due, in plain SQL: the sweep runs every
    minute and mostly finds nothing, so finding nothing should cost next to nothing."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT 1 FROM "{Case._meta.db_table}" WHERE "next_reminder_at" <= %s LIMIT 1', [now]
        )
        return cursor.fetchone() is not None


class CountyCalendars(dict):
    """Each county's working-day calendar (work_calendar(county_id): its own days win over the
    national ones), read once per sweep on the first case of that county that needs it."""

    def __missing__(self, county_id: int) -> WorkCalendar:
        self[county_id] = work_calendar(county_id)
        return self[county_id]


def _sent_levels(case_ids: list[int]) -> Sent:
    sent: Sent = {}
    # The ladder's own rows: a city deadline told on the same case (notifications.city_reminders)
    # is not a rung of it.
    rows = Reminder.objects.filter(
        case_id__in=case_ids, deadline__in=Reminder.CASE_DEADLINES
    ).values_list("case_id", "deadline", "due_at", "level")
    for case_id, kind, due_at, level in rows:
        key = (case_id, Deadline(kind, due_at))
        sent[key] = max(level, sent.get(key, -1))
    return sent


def _sweep_batch(
    cases: list[Case], now: dt.datetime, calendars: CountyCalendars, result: SweepResult
) -> None:
    sent_by_case = _sent_levels([c.pk for c in cases])
    rungs: list[tuple[Case, Deadline, int]] = []
    for case in cases:
        for deadline in running_deadlines(case):
            last = sent_by_case.get((case.pk, deadline))
            current = level_at(deadline.due_at, now, calendars[case.county_id])
            if current is not None and (last is None or current > last):
                rungs.append((case, deadline, current))
    won = _claim(rungs, now)
    for case, deadline, level in rungs:  # sent now, or found already sent by another sweep
        sent_by_case[(case.pk, deadline)] = level
    result.notifications += _notify(won)
    for case in cases:
        deadlines = running_deadlines(case)
        sent = {d: sent_by_case[(case.pk, d)] for d in deadlines if (case.pk, d) in sent_by_case}
        plan = ladder.plan(deadlines, sent, calendars[case.county_id])
        case.next_reminder_at = plan.next_reminder_at
        case.escalation_level = plan.escalation_level
        if case.next_reminder_at is not None and case.next_reminder_at <= now:
            logger.error("Case %s: the ladder did not advance; parking it", case.pk)
            case.next_reminder_at = None
    _save_cursors(cases)
    result.cases += len(cases)
    result.reminders += len(won)


def _save_cursors(cases: list[Case]) -> None:
    """One UPDATE per distinct (next time, level): cases due together mostly move together, and
    this is far cheaper than bulk_update's CASE … WHEN over the whole batch."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for case in cases:
        groups[(case.next_reminder_at, case.escalation_level)].append(case.pk)
    for (next_reminder_at, escalation_level), ids in groups.items():
        Case.objects.filter(pk__in=ids).update(
            next_reminder_at=next_reminder_at, escalation_level=escalation_level
        )


def _claim(rungs: list[tuple[Case, Deadline, int]], now: dt.datetime) -> list:
    """Insert the Reminder rows; keep only the rungs this sweep won (all of them, unless a
    concurrent writer without row locks got there first)."""
    if not rungs:
        return []
    rows = [
        Reminder(case=case, deadline=d.kind, due_at=d.due_at, level=level, sent_at=now)
        for case, d, level in rungs
    ]
    try:
        with transaction.atomic():
            Reminder.objects.bulk_create(rows)
        return rungs
    except IntegrityError:
        pass
    won = []
    for rung, row in zip(rungs, rows, strict=True):
        try:
            with transaction.atomic():
                row.pk = None
                row.save()
            won.append(rung)
        except IntegrityError:
            logger.info("Reminder %s already sent by another sweep", row)
    return won


def _notify(rungs: list[tuple[Case, Deadline, int]]) -> int:
    """The notifications and the timeline event of each rung, in a constant number of queries."""
    if not rungs:
        return 0
    told = audience.ReminderAudience.for_rungs(rungs)
    rows, events = [], []
    with translation.override(settings.LANGUAGE_CODE):  # once, not once per message
        for case, deadline, level in rungs:
            people = told.people(case, level)
            message = messages.reminder(case, deadline, level)
            sms = level >= settings.NOTIFICATIONS_SMS_MIN_LEVEL
            rows += outbox_rows(message, people, webhooks=told.webhooks(case, level), sms=sms)
            events.append(
                CaseEvent(
                    case=case,
                    kind=CaseEvent.Kind.REMINDER,
                    department_id=case.lead_department_id,
                    unit_kind=CaseEvent.Unit.SYSTEM,  # the sweep's, whoever it reminds
                    note=message.title,
                    data={
                        "deadline": deadline.kind,
                        "due_at": deadline.due_at.isoformat(),
                        "level": level,
                        "recipients": len(people),
                    },
                )
            )
    CaseEvent.objects.bulk_create(events)
    return len(outbox_write(rows))


def case_reminders_replan(case: Case, *, calendar: WorkCalendar | None = None) -> None:
    """Recompute a case's cursor after its deadlines or state changed (called on each transition).

    Sends nothing: if a rung is already due, the cursor points at the past and the next sweep —
    within a minute — sends the current level once.
    """
    deadlines = running_deadlines(case)
    plan = ladder.Plan(None, None)
    if deadlines:
        sent = {
            key[1]: level for key, level in _sent_levels([case.pk]).items() if key[1] in deadlines
        }
        plan = ladder.plan(deadlines, sent, calendar or work_calendar(case.county_id))
    if (case.next_reminder_at, case.escalation_level) != (
        plan.next_reminder_at,
        plan.escalation_level,
    ):
        Case.objects.filter(pk=case.pk).update(
            next_reminder_at=plan.next_reminder_at, escalation_level=plan.escalation_level
        )
        case.next_reminder_at = plan.next_reminder_at
        case.escalation_level = plan.escalation_level


def reminders_replan_all(*, skip: Collection[int] = ()) -> int:
    """Recompute every open case's cursor (after the office edits the holiday calendar, or data
    was loaded around the workflow). Returns how many cases changed.

    skip: cases already replanned (cases.calendar moves a deadline and replans it together)."""
    calendars = CountyCalendars()
    skip = set(skip)
    changed = 0
    running = [Case.Status.ASSIGNED, Case.Status.IN_PROGRESS]
    finished = Case.objects.exclude(status__in=running).filter(next_reminder_at__isnull=False)
    changed += finished.update(next_reminder_at=None, escalation_level=None)
    for case in (
        Case.objects.filter(status__in=running).only("pk", "county_id").iterator(chunk_size=1000)
    ):
        if case.pk in skip:
            continue
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            before = (locked.next_reminder_at, locked.escalation_level)
            case_reminders_replan(locked, calendar=calendars[locked.county_id])
            changed += before != (locked.next_reminder_at, locked.escalation_level)
    return changed
