"""What the working-day calendar means for the cases (DESIGN §5): which deadlines rest on the
statutory estimate, and moving the counted ones when the office enters a year's schedule.

A deadline is either counted — the end of the n-th working day after a day: the contact deadline,
a resolve deadline from the category's days, the working days a suspension added — or chosen: a
date the office typed at assignment, an approved extension. Case.*_due_from and
*_due_working_days keep the count; a chosen date has none, and no calendar change moves it.

A counted deadline rests on the estimate while its working days pass through a year that is
estimated (cases.workdays: neither published nor entered by the office). The deadlines that count
are the ones still to be met — a suspended case's too: they wait for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from cases import signals
from cases.deadlines import counted_due
from cases.models import CalendarOverride, Case, CaseEvent
from cases.selectors import work_calendar
from cases.units import Unit, actor_unit
from cases.workdays import (
    PUBLISHED_YEARS,
    WorkCalendar,
    local_date,
    start_of_day,
)

CONTACT, RESOLVE = "contact", "resolve"
S = Case.Status


@dataclass(frozen=True)
class Counted:
    """A deadline still to be met that was counted: the working_days-th working day after start."""

    kind: str  # CONTACT or RESOLVE
    due_at: dt.datetime
    start: dt.date
    working_days: int

    def on(self, calendar: WorkCalendar) -> dt.datetime:
        """Where the same count lands on this calendar."""
        return counted_due(self.start, self.working_days, calendar)


def pending_counts(case: Case) -> list[Counted]:
    counted = []
    if (
        case.status == S.ASSIGNED
        and case.contacted_at is None
        and case.contact_due_at is not None
        and case.contact_due_from is not None
        and case.contact_due_working_days is not None
    ):
        counted.append(
            Counted(
                CONTACT, case.contact_due_at, case.contact_due_from, case.contact_due_working_days
            )
        )
    if (
        case.status in (S.ASSIGNED, S.IN_PROGRESS)
        and case.resolve_due_at is not None
        and case.resolve_due_from is not None
        and case.resolve_due_working_days is not None
    ):
        counted.append(
            Counted(
                RESOLVE, case.resolve_due_at, case.resolve_due_from, case.resolve_due_working_days
            )
        )
    return counted


def estimated_deadlines(case: Case, calendar: WorkCalendar) -> frozenset[str]:
    """Which of the case's deadlines (CONTACT, RESOLVE) rest on the statutory estimate."""
    return frozenset(
        c.kind
        for c in pending_counts(case)
        if calendar.rests_on_estimate(c.start, local_date(c.due_at))
    )


# --- the same rule, as a query (the office's banner counts them) ---------------------------------


def _estimated_spans(calendar: WorkCalendar) -> list[tuple[int, int]]:
    """The runs of consecutive estimated years, between the years someone published or entered."""
    known = sorted(PUBLISHED_YEARS | calendar.entered_years)
    spans, first = [], dt.MINYEAR
    for year in known:
        if year > first:
            spans.append((first, year - 1))
        first = max(first, year + 1)
    if first <= dt.MAXYEAR:
        spans.append((first, dt.MAXYEAR))
    return spans


def _counted_through(prefix: str, spans: list[tuple[int, int]]) -> Q:
    """A count after {prefix}_due_from up to {prefix}_due_at that passes through one of spans."""
    through = Q(pk__in=[])
    for first, last in spans:
        span = Q()
        if last < dt.MAXYEAR:
            span &= Q(**{f"{prefix}_due_from__lt": dt.date(last, 12, 31)})
        if first > dt.MINYEAR:
            span &= Q(**{f"{prefix}_due_at__gte": start_of_day(dt.date(first, 1, 1))})
        through |= span
    return Q(**{f"{prefix}_due_working_days__gt": 0, f"{prefix}_due_from__isnull": False}) & through


def estimated_q(calendar: WorkCalendar) -> tuple[Q, Q]:
    """(contact, resolve): the cases whose contact or resolve deadline rests on the estimate."""
    spans = _estimated_spans(calendar)
    contact = Q(status=S.ASSIGNED, contacted_at__isnull=True) & _counted_through("contact", spans)
    resolve = Q(status__in=[S.ASSIGNED, S.IN_PROGRESS]) & _counted_through("resolve", spans)
    return contact, resolve


def estimated_deadline_count(cases: QuerySet[Case], calendar: WorkCalendar) -> int:
    """How many open deadlines among cases rest on the estimate, in one query."""
    contact, resolve = estimated_q(calendar)
    running = cases.filter(status__in=[S.ASSIGNED, S.IN_PROGRESS])  # the open cases' index
    counts = running.aggregate(
        contact=Count("pk", filter=contact), resolve=Count("pk", filter=resolve)
    )
    return counts["contact"] + counts["resolve"]


def estimate_warnings(calendar: WorkCalendar, start: dt.date, *ends: dt.date) -> list[str]:
    """What an assignment tells the office about the estimated years its deadlines count through."""
    years = {
        year
        for end in ends
        if calendar.rests_on_estimate(start, end)
        for year in range((start + dt.timedelta(days=1)).year, end.year + 1)
    }
    return [
        _(
            "%(year)d年的放假安排尚未公布或录入，期限暂按法定节假日预估（不含调休）；"
            "公布后请县委办在“工作日历调整”中录入，期限将自动重算。"
        )
        % {"year": year}
        for year in calendar.estimated_years(years)
    ]


# --- moving the counted deadlines ---------------------------------------------------------------


def deadlines_recount(*, days: Iterable[dt.date] | None = None, actor=None) -> list[int]:
    """After the office changed the calendar: move each open counted deadline whose count passes a
    changed day to where the count now lands — one event on each moved case, written with the move
    and its reminders replanned in the same transaction — then replan every other open case's
    reminders (a changed day moves their escalation days too). Each case is replanned once.

    days: the dates whose status changed; None recounts every open deadline (after an upgrade, or
    data loaded around the workflow). Returns the ids of the cases moved.
    """
    calendars: dict[int, WorkCalendar] = {}  # each case counts on its county's calendar
    unit = actor_unit(actor)  # the office that changed the calendar; the system (an upgrade)
    moved = []
    for pk in _candidates(days):
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=pk)
            if case.county_id not in calendars:
                calendars[case.county_id] = work_calendar(case.county_id)
            calendar = calendars[case.county_id]
            if _recount(case, calendar, actor, unit):
                signals.case_deadlines_moved.send(sender=Case, case=case, calendar=calendar)
                moved.append(pk)
    signals.calendar_changed.send(sender=Case, skip=moved)
    return moved


def _candidates(days: Iterable[dt.date] | None) -> list[int]:
    cases = Case.objects.filter(status__in=[S.ASSIGNED, S.IN_PROGRESS])
    counted = Q(contact_due_working_days__isnull=False) | Q(resolve_due_working_days__isnull=False)
    if days is not None:
        days = list(days)
        if not days:
            return []
        # Only the days after a count's start up to its deadline decide where it lands.
        first, last = start_of_day(min(days)), max(days)
        counted = Q(contact_due_from__lt=last, contact_due_at__gte=first) | Q(
            resolve_due_from__lt=last, resolve_due_at__gte=first
        )
    return list(cases.filter(counted).order_by("pk").values_list("pk", flat=True))


def _recount(case: Case, calendar: WorkCalendar, actor, unit: Unit) -> bool:
    moves = {c.kind: (c.due_at, c.on(calendar)) for c in pending_counts(case)}
    moves = {kind: (old, new) for kind, (old, new) in moves.items() if old != new}
    if not moves:
        return False
    for kind, (_old, new) in moves.items():
        setattr(case, f"{kind}_due_at", new)
    case.save(update_fields=[f"{kind}_due_at" for kind in moves] + ["updated_at"])
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.DEADLINES_RECOUNTED,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        department_id=case.lead_department_id,
        **unit.fields(),
        public=True,
        note=_moves_note(moves),
        data={kind: {"from": _day(old), "to": _day(new)} for kind, (old, new) in moves.items()},
    )
    return True


def _day(moment: dt.datetime) -> str:
    return local_date(moment).isoformat()


def _moves_note(moves: dict) -> str:
    """The event's text, in the site's language (the case page shows it in the reader's)."""
    with translation.override(settings.LANGUAGE_CODE):
        return "；".join(
            deadline_moved_text(kind, _day(old), _day(new)) for kind, (old, new) in moves.items()
        )


def deadline_moved_text(kind: str, old: str, new: str) -> str:
    if kind == CONTACT:
        return _("工作日历调整，对接期限由 %(old)s 改为 %(new)s") % {"old": old, "new": new}
    return _("工作日历调整，办结期限由 %(old)s 改为 %(new)s") % {"old": old, "new": new}


# --- the office enters a schedule ---------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One day of a schedule the office enters: worked or not, and what it is (元旦, 春节调休上班)."""

    date: dt.date
    working: bool
    note: str = ""


def calendar_enter(
    *, entries: Iterable[Entry], actor=None, county_id: int | None = None
) -> list[int]:
    """The office enters a schedule — a State Council notice, or days of its own — in one go: every
    day saved together, then the counted deadlines moved once (deadlines_recount). Returns the ids
    of the cases whose deadlines moved. county_id: the county whose own days these are (on top of
    the schedule every county keeps); None for every county."""
    entries = list(entries)
    with transaction.atomic():
        for entry in entries:
            CalendarOverride.objects.update_or_create(
                date=entry.date,
                county_id=county_id,
                defaults={
                    "kind": CalendarOverride.Kind.WORKDAY
                    if entry.working
                    else CalendarOverride.Kind.HOLIDAY,
                    "note": entry.note,
                },
            )
    return deadlines_recount(days=[e.date for e in entries], actor=actor)
