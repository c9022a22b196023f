"""The dashboard's figures (总览), each from one aggregate query over the cases the user may see.

Nothing here loops over cases in Python: counts are conditional aggregates grouped in the
database. The headline counts and the rows by township, industry and task force are all sums of
one grouping per enterprise, so the cases are read once for the four of them. Contact and reply
times need the working-day calendar, which SQL does not know; they are read as counts per
(start day, end day) pair — one grouped query — and each *pair* is turned into working days
through a cumulative index of the calendar built once. A page costs the same few queries for ten
cases or a million (and the pages read these figures from a snapshot: analysis.snapshots).

Merged cases (已合并) are duplicates living on in another case: they are counted nowhere.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from django.db import connections
from django.db.models import Count, Func, IntegerField, Min, Q, QuerySet
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from cases.deadlines import overdue_q
from cases.escalation import LISTED
from cases.models import Case
from cases.selectors import rows_of_cases
from cases.stats import in_range
from cases.workdays import CHINA, WorkCalendar, local_date, start_of_day
from enterprises.models import Enterprise
from taskforces.models import TaskForce, TaskForceEnterprise

UNSET = "—"
TREND_WEEKS = 12


def live(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases that count: everything but the duplicates merged into another case."""
    return cases.exclude(status=Case.Status.MERGED)


def is_every_case(cases: QuerySet[Case]) -> bool:
    """Whether `cases` is every case (the office's scope), so that limiting other rows (events,
    commitments) to it would be a join over a million ids that keeps them all."""
    query = cases.query
    return (
        cases.model is Case
        and not query.where
        and not query.is_sliced
        and not query.combinator
        and not query.distinct
    )


def related_to(rows: QuerySet, cases: QuerySet[Case], path: str = "case") -> QuerySet:
    """The rows (events, commitments, ratings) of the given cases."""
    return rows if is_every_case(cases) else rows_of_cases(rows, cases, path)


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
    listed: int = 0  # 挂牌督办 (cases.escalation.LISTED)
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


class WorkdaysBetween(Func):
    """PostgreSQL: the working days from one date to another, looked up in a WorkdayIndex passed
    as an array (`cumulative[end - first] - cumulative[start - first]`); NULL when either date is
    NULL or outside the index. Lets the database count working days without knowing the calendar.
    """

    output_field = IntegerField()

    def __init__(self, start, end, index: WorkdayIndex):
        super().__init__(start, end)
        self.index = index

    def as_postgresql(self, compiler, connection, **extra):
        start, start_params = compiler.compile(self.source_expressions[0])
        end, end_params = compiler.compile(self.source_expressions[1])
        at = "(%s::integer[])[({day}) - %s::date + 1]"
        sql = f"({at.format(day=end)} - {at.format(day=start)})"
        cumulative, first = self.index.cumulative, self.index.first
        return sql, (cumulative, *end_params, first, cumulative, *start_params, first)


def timings(
    cases: QuerySet[Case], calendar: WorkCalendar, now: dt.datetime
) -> tuple[Timing, Timing]:
    """Contact and reply times (working days from assignment), over the live cases.

    On PostgreSQL both come from one pass that counts the working days in the database, grouped
    by their values (a few hundred rows); elsewhere from timing()'s (start, end) pairs. The index
    runs from the first assignment to tomorrow; a date outside it (a clock set wrong) sends the
    count back to the pairs, so no case is ever left out.
    """
    cases = live(cases).filter(assigned_at__isnull=False)

    def pairs() -> tuple[Timing, Timing]:
        return (
            timing(cases, "assigned_at", "contacted_at", calendar),
            timing(cases, "assigned_at", "replied_at", calendar),
        )

    if connections[cases.db].vendor != "postgresql":
        return pairs()
    first = cases.aggregate(first=Min("assigned_at"))["first"]
    if first is None:
        return Timing(), Timing()
    index = WorkdayIndex(local_date(first), local_date(now) + dt.timedelta(days=1), calendar)
    assigned = TruncDate("assigned_at", tzinfo=CHINA)
    rows = (
        cases.filter(Q(contacted_at__isnull=False) | Q(replied_at__isnull=False))
        .annotate(
            contact_days=WorkdaysBetween(assigned, TruncDate("contacted_at", tzinfo=CHINA), index),
            reply_days=WorkdaysBetween(assigned, TruncDate("replied_at", tzinfo=CHINA), index),
        )
        .order_by()
        .values_list("contact_days", "reply_days")
        .annotate(contacted=Count("contacted_at"), replied=Count("replied_at"))
    )
    contact: Counter[int] = Counter()
    reply: Counter[int] = Counter()
    for contact_days, reply_days, contacted, replied in rows:
        if (contact_days is None and contacted) or (reply_days is None and replied):
            return pairs()
        if contacted:
            contact[max(0, contact_days)] += contacted
        if replied:
            reply[max(0, reply_days)] += replied
    return Timing(dict(contact)), Timing(dict(reply))


# --- the dashboard ---------------------------------------------------------------------------


def overview_counts(now: dt.datetime, calendar: WorkCalendar) -> dict:
    return {
        **state_counts(now),
        "submitted": Count("pk", filter=Q(status=Case.Status.SUBMITTED)),
        "replied": Count("pk", filter=Q(status=Case.Status.REPLIED)),
        "listed": Count("pk", filter=LISTED),
    }


def overview(cases: QuerySet[Case], now: dt.datetime, calendar: WorkCalendar) -> Overview:
    """The headline counts."""
    return Overview(**live(cases).aggregate(**overview_counts(now, calendar)))


PerEnterprise = dict[int, dict[str, int]]


def per_enterprise(
    cases: QuerySet[Case], now: dt.datetime, calendar: WorkCalendar
) -> PerEnterprise:
    """The headline counts of each enterprise's cases, in one grouped query: the overview and the
    rows by township, industry and task force add these up instead of reading the cases again."""
    rows = live(cases).order_by().values("enterprise_id").annotate(**overview_counts(now, calendar))
    return {row.pop("enterprise_id"): row for row in rows}


def overview_of(counts: PerEnterprise) -> Overview:
    rows = counts.values()
    return Overview(**{f.name: sum(row[f.name] for row in rows) for f in fields(Overview)})


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
    return _sorted(result)


def _sorted(rows: Iterable[GroupRow]) -> list[GroupRow]:
    return sorted(rows, key=lambda r: (-r.total, str(r.label)))


def _rolled_up(
    counts: PerEnterprise, members: Iterable[tuple[object, object, int]]
) -> list[GroupRow]:
    """Add up the enterprises' counts into groups: `members` gives (group key, label, enterprise)
    for each enterprise of each group; enterprises without cases are skipped."""
    groups: dict[object, GroupRow] = {}
    for key, label, enterprise_id in members:
        numbers = counts.get(enterprise_id)
        if numbers is None:
            continue
        row = groups.get(key)
        if row is None:
            row = groups[key] = GroupRow(key=key, label=label)
        row.total += numbers["total"]
        row.open += numbers["open"]
        row.overdue += numbers["overdue"]
        row.closed += numbers["closed"]
    return _sorted(groups.values())


def by_category(cases: QuerySet[Case], now: dt.datetime) -> list[GroupRow]:
    rows = (
        live(cases).order_by().values("category_id", "category__name").annotate(**state_counts(now))
    )
    return _grouped(rows, "category_id", lambda r: r["category__name"])


def by_township_and_industry(counts: PerEnterprise) -> tuple[list[GroupRow], list[GroupRow]]:
    """The rows by township (乡镇/园区) and by industry. An industry's label stays lazy, so that
    figures computed by a worker read in the language of whoever opens the page."""
    labels = dict(Enterprise.Industry.choices)
    enterprises = list(
        # Every enterprise (a few thousand short rows) costs less than naming those with cases.
        Enterprise.objects.order_by().values_list("pk", "township_id", "township__name", "industry")
    )
    townships = _rolled_up(
        counts, ((township, name or UNSET, pk) for pk, township, name, _i in enterprises)
    )
    industries = _rolled_up(
        counts,
        ((industry, labels.get(industry, industry), pk) for pk, _t, _n, industry in enterprises),
    )
    return townships, industries


def by_taskforce(
    counts: PerEnterprise, taskforces: QuerySet[TaskForce] | None = None
) -> list[GroupRow]:
    """Cases of the enterprises each task force covers (an enterprise under two counts in both);
    `taskforces` limits the rows to those the user may see (None: all)."""
    covered = TaskForceEnterprise.objects.all()
    if taskforces is not None:
        covered = covered.filter(task_force__in=taskforces.values("pk"))
    return _rolled_up(
        counts, covered.order_by().values_list("task_force_id", "task_force__name", "enterprise_id")
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
    """Everything the dashboard shows, over `cases` (the user's scope), in eight queries."""
    now = now or timezone.now()
    counts = per_enterprise(cases, now, calendar)
    townships, industries = by_township_and_industry(counts)
    contact_time, reply_time = timings(cases, calendar, now)
    return Dashboard(
        overview=overview_of(counts),
        by_category=by_category(cases, now),
        by_township=townships,
        by_industry=industries,
        by_taskforce=by_taskforce(counts, taskforces),
        trend=weekly_trend(cases, now),
        contact_time=contact_time,
        reply_time=reply_time,
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
