"""The dashboard's figures (总览), each from one aggregate query over the cases the user may see.

Nothing here loops over cases in Python: counts are conditional aggregates grouped in the
database. Contact and reply times need the working-day calendar, which SQL does not know; they are
read as counts per (start day, end day) pair — one grouped query — and each *pair* is turned into
working days through a cumulative index of the calendar built once. A page costs the same few
queries for ten cases or a hundred thousand.

Merged cases (已合并) are duplicates living on in another case: they are counted nowhere.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from cases.deadlines import overdue_q
from cases.models import Case
from cases.stats import in_range
from cases.workdays import CHINA, WorkCalendar, local_date, start_of_day
from enterprises.models import Enterprise
from office.escalation import FLAGGED, with_escalation
from taskforces.models import TaskForce

UNSET = "—"
TREND_WEEKS = 12


def live(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases that count: everything but the duplicates merged into another case."""
    return cases.exclude(status=Case.Status.MERGED)


def count_where(q: Q) -> Count:
    """Count("pk") over the rows matching q; an empty q (an open-ended period) counts them all."""
    return Count("pk", filter=q) if q else Count("pk")


def state_counts(now: dt.datetime) -> dict:
    """The conditional counts every grouping shows: total, open, overdue now, closed."""
    return {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(status__in=Case.OPEN_STATUSES)),
        "overdue": Count("pk", filter=overdue_q(now)),
        "closed": Count("pk", filter=Q(status=Case.Status.CLOSED)),
    }


# --- the shapes of the figures ------------------------------------------------------------------


@dataclass
class Overview:
    total: int = 0
    open: int = 0
    submitted: int = 0
    overdue: int = 0
    flagged: int = 0
    replied: int = 0
    closed: int = 0


@dataclass
class GroupRow:
    key: object
    label: str
    total: int = 0
    open: int = 0
    overdue: int = 0
    closed: int = 0


@dataclass
class WeekRow:
    week: dt.date  # the Monday the week starts on
    new: int = 0
    closed: int = 0


@dataclass
class Timing:
    """How many working days something took: per-count histogram, median and 90th percentile.

    Percentiles are nearest-rank: the median is the smallest number of days within which at least
    half the cases were done, the 90th percentile the same for nine in ten.
    """

    histogram: dict[int, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(self.histogram.values())

    def percentile(self, p: float) -> int | None:
        total = self.count
        if not total:
            return None
        rank = max(1, math.ceil(p * total))
        seen = 0
        for days in sorted(self.histogram):
            seen += self.histogram[days]
            if seen >= rank:
                return days
        return None  # pragma: no cover - unreachable: the ranks add up to total

    @property
    def median(self) -> int | None:
        return self.percentile(0.5)

    @property
    def p90(self) -> int | None:
        return self.percentile(0.9)


@dataclass
class Dashboard:
    overview: Overview
    by_category: list[GroupRow]
    by_township: list[GroupRow]
    by_industry: list[GroupRow]
    by_taskforce: list[GroupRow]
    trend: list[WeekRow]
    contact_time: Timing
    reply_time: Timing


# --- working days between two dates, for many pairs -------------------------------------------


class WorkdayIndex:
    """Working days between any two dates of a span in O(1), from one pass over the calendar.

    between(a, b) equals cases.workdays.working_days_between(a, b): the working days after a, up
    to and including b.
    """

    def __init__(self, first: dt.date, last: dt.date, calendar: WorkCalendar):
        self.first = first
        self.cumulative = []
        count = 0
        day = first
        while day <= last:
            count += calendar.is_workday(day)
            self.cumulative.append(count)
            day += dt.timedelta(days=1)

    def _at(self, day: dt.date) -> int:
        return self.cumulative[(day - self.first).days]

    def between(self, start: dt.date, end: dt.date) -> int:
        return self._at(end) - self._at(start)


def timing(
    cases: QuerySet[Case], start_field: str, end_field: str, calendar: WorkCalendar
) -> Timing:
    """Working days from start_field's day to end_field's day, over the cases that have both."""
    pairs = list(
        cases.filter(**{f"{start_field}__isnull": False, f"{end_field}__isnull": False})
        .annotate(
            start_day=TruncDate(start_field, tzinfo=CHINA),
            end_day=TruncDate(end_field, tzinfo=CHINA),
        )
        .order_by()
        .values_list("start_day", "end_day")
        .annotate(n=Count("pk"))
    )
    histogram: Counter[int] = Counter()
    if pairs:
        days = [d for start, end, _ in pairs for d in (start, end)]
        index = WorkdayIndex(min(days), max(days), calendar)
        for start, end, n in pairs:
            histogram[max(0, index.between(start, end))] += n
    return Timing(dict(histogram))


# --- the dashboard ---------------------------------------------------------------------------


def overview(cases: QuerySet[Case], now: dt.datetime, calendar: WorkCalendar) -> Overview:
    """The headline counts; "flagged" (挂牌督办) is read from the deadlines now, as the
    supervision board reads it (office.escalation), not from what the sweep has sent so far."""
    counts = with_escalation(live(cases), now, calendar).aggregate(
        **state_counts(now),
        submitted=Count("pk", filter=Q(status=Case.Status.SUBMITTED)),
        replied=Count("pk", filter=Q(status=Case.Status.REPLIED)),
        flagged=Count("pk", filter=Q(level=FLAGGED)),
    )
    return Overview(**counts)


def _grouped(rows: Iterable[dict], key: str, label) -> list[GroupRow]:
    result = [
        GroupRow(
            key=row[key],
            label=label(row),
            total=row["total"],
            open=row["open"],
            overdue=row["overdue"],
            closed=row["closed"],
        )
        for row in rows
    ]
    result.sort(key=lambda r: (-r.total, r.label))
    return result


def by_category(cases: QuerySet[Case], now: dt.datetime) -> list[GroupRow]:
    rows = (
        live(cases).order_by().values("category_id", "category__name").annotate(**state_counts(now))
    )
    return _grouped(rows, "category_id", lambda r: r["category__name"])


def by_township(cases: QuerySet[Case], now: dt.datetime) -> list[GroupRow]:
    rows = (
        live(cases)
        .order_by()
        .values("enterprise__township_id", "enterprise__township__name")
        .annotate(**state_counts(now))
    )
    return _grouped(
        rows, "enterprise__township_id", lambda r: r["enterprise__township__name"] or UNSET
    )


def by_industry(cases: QuerySet[Case], now: dt.datetime) -> list[GroupRow]:
    labels = dict(Enterprise.Industry.choices)
    rows = live(cases).order_by().values("enterprise__industry").annotate(**state_counts(now))
    return _grouped(
        rows,
        "enterprise__industry",
        lambda r: str(labels.get(r["enterprise__industry"], r["enterprise__industry"])),
    )


def by_taskforce(
    cases: QuerySet[Case], now: dt.datetime, taskforces: QuerySet[TaskForce] | None = None
) -> list[GroupRow]:
    """Cases of the enterprises each task force covers (an enterprise under two counts in both);
    `taskforces` limits the rows to those the user may see (None: all)."""
    scoped = live(cases).filter(enterprise__task_forces__isnull=False)
    if taskforces is not None:
        scoped = live(cases).filter(enterprise__task_forces__in=taskforces.values("pk"))
    rows = (
        scoped.order_by()
        .values("enterprise__task_forces__id", "enterprise__task_forces__name")
        .annotate(**state_counts(now))
    )
    return _grouped(
        rows, "enterprise__task_forces__id", lambda r: r["enterprise__task_forces__name"]
    )


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_trend(
    cases: QuerySet[Case], now: dt.datetime, weeks: int = TREND_WEEKS
) -> list[WeekRow]:
    """New cases (recorded) and closed cases (销号, still closed today) per week, oldest first."""
    first = monday_of(local_date(now)) - dt.timedelta(weeks=weeks - 1)
    rows = {
        first + dt.timedelta(weeks=i): WeekRow(first + dt.timedelta(weeks=i)) for i in range(weeks)
    }
    since = start_of_day(first)
    for field_name, attr in (("created_at", "new"), ("closed_at", "closed")):
        counted = (
            live(cases)
            .filter(**{f"{field_name}__gte": since})
            .annotate(week=TruncWeek(field_name, tzinfo=CHINA))
            .order_by()
            .values_list("week")
            .annotate(n=Count("pk"))
        )
        for week, n in counted:
            day = week.astimezone(CHINA).date() if isinstance(week, dt.datetime) else week
            if day in rows:
                setattr(rows[day], attr, n)
    return list(rows.values())


def dashboard(
    cases: QuerySet[Case],
    *,
    calendar: WorkCalendar,
    taskforces: QuerySet[TaskForce] | None = None,
    now: dt.datetime | None = None,
) -> Dashboard:
    """Everything the dashboard shows, over `cases` (the user's scope), in nine queries."""
    now = now or timezone.now()
    return Dashboard(
        overview=overview(cases, now, calendar),
        by_category=by_category(cases, now),
        by_township=by_township(cases, now),
        by_industry=by_industry(cases, now),
        by_taskforce=by_taskforce(cases, now, taskforces),
        trend=weekly_trend(cases, now),
        contact_time=timing(live(cases), "assigned_at", "contacted_at", calendar),
        reply_time=timing(live(cases), "assigned_at", "replied_at", calendar),
    )


@dataclass
class Activity:
    """What happened in a period: problems recorded, assigned and closed out (销号)."""

    new: int = 0
    assigned: int = 0
    closed: int = 0


def period_activity(cases: QuerySet[Case], period) -> Activity:
    start, end = period.date_from, period.date_to
    return Activity(
        **live(cases).aggregate(
            new=count_where(in_range("created_at", start, end)),
            assigned=Count(
                "pk", filter=in_range("assigned_at", start, end) & Q(assigned_at__isnull=False)
            ),
            closed=Count(
                "pk", filter=in_range("closed_at", start, end) & Q(closed_at__isnull=False)
            ),
        )
    )
