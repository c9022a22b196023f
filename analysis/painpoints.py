"""The county's pain points (症结和痛点): "通过问题进行分析，发现症结和痛点".

- hotspots: the category × industry × township combinations that produce the most problems;
- the category × industry matrix behind them;
- recurring problems: similar titles (and descriptions) raised by several enterprises, grouped,
  with how many enterprises each affects;
- the longest-open cases;
- what changed since the previous period, by category, industry and township.

Counts are grouped in the database. Grouping similar problems compares texts, which SQL cannot:
it reads at most RECURRING_MAX_CASES of the period's most recent cases in one query and groups
them in Python, using the office's one definition of similar titles (cases.titles).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.metrics import UNSET, in_range, live
from analysis.periods import Period
from cases.models import Case
from cases.titles import MIN_SHARED, title_bigrams, titles_similar
from cases.workdays import WorkCalendar, local_date, working_days_between
from enterprises.models import Enterprise

HOTSPOTS_SHOWN = 15
RECURRING_SHOWN = 15
RECURRING_MAX_CASES = 5000
LONGEST_SHOWN = 15
DESCRIPTION_CHARS = 120

INDUSTRIES = dict(Enterprise.Industry.choices)


def industry_label(code: str | None) -> str:
    return str(INDUSTRIES.get(code, code or UNSET))


def _created_in(period: Period) -> Q:
    return in_range("created_at", period.date_from, period.date_to)


@dataclass
class Hotspot:
    category: str
    industry: str
    township: str
    count: int
    open: int


def hotspots(cases: QuerySet[Case], period: Period, limit: int = HOTSPOTS_SHOWN) -> list[Hotspot]:
    rows = (
        live(cases)
        .filter(_created_in(period))
        .order_by()
        .values("category__name", "enterprise__industry", "enterprise__township__name")
        .annotate(n=Count("pk"), open=Count("pk", filter=Q(status__in=Case.OPEN_STATUSES)))
        .order_by("-n", "category__name", "enterprise__industry", "enterprise__township__name")[
            :limit
        ]
    )
    return [
        Hotspot(
            category=r["category__name"],
            industry=industry_label(r["enterprise__industry"]),
            township=r["enterprise__township__name"] or UNSET,
            count=r["n"],
            open=r["open"],
        )
        for r in rows
    ]


@dataclass
class Matrix:
    """Problems per category (rows) and industry (columns)."""

    categories: list[str]
    industries: list[str]
    cells: dict[tuple[str, str], int]

    def row(self, category: str) -> list[int]:
        return [self.cells.get((category, industry), 0) for industry in self.industries]

    @property
    def rows(self) -> list[tuple[str, list[int], int]]:
        return [(c, self.row(c), sum(self.row(c))) for c in self.categories]


def matrix(cases: QuerySet[Case], period: Period) -> Matrix:
    rows = list(
        live(cases)
        .filter(_created_in(period))
        .order_by()
        .values_list("category__name", "enterprise__industry")
        .annotate(n=Count("pk"))
    )
    cells: Counter[tuple[str, str]] = Counter()
    for category, industry, n in rows:
        cells[(category, industry_label(industry))] += n
    by_category: Counter[str] = Counter()
    by_industry: Counter[str] = Counter()
    for (category, industry), n in cells.items():
        by_category[category] += n
        by_industry[industry] += n
    return Matrix(
        categories=[c for c, _ in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))],
        industries=[i for i, _ in sorted(by_industry.items(), key=lambda kv: (-kv[1], kv[0]))],
        cells=dict(cells),
    )


# --- recurring problems ------------------------------------------------------------------------


@dataclass
class Member:
    pk: int
    number: str
    title: str
    enterprise: str
    open: bool


@dataclass
class Recurring:
    """Similar problems of several enterprises; the first (most recent) case names the group."""

    title: str
    category: str
    grams: frozenset[str]
    description_grams: frozenset[str]
    members: list[Member] = field(default_factory=list)
    enterprise_ids: set[int] = field(default_factory=set)

    @property
    def enterprises(self) -> int:
        return len(self.enterprise_ids)

    @property
    def cases(self) -> int:
        return len(self.members)

    @property
    def open(self) -> int:
        return sum(m.open for m in self.members)

    @property
    def other_titles(self) -> list[str]:
        seen, titles = {self.title}, []
        for m in self.members:
            if m.title not in seen:
                seen.add(m.title)
                titles.append(m.title)
        return titles[:3]


def _similar(grams, description_grams, group: Recurring) -> bool:
    if titles_similar(grams, group.grams):
        return True
    # Titles worded differently can still describe one problem: then the descriptions decide,
    # provided the titles share something.
    return len(grams & group.grams) >= MIN_SHARED and titles_similar(
        description_grams, group.description_grams
    )


def recurring(
    cases: QuerySet[Case],
    period: Period,
    limit: int = RECURRING_SHOWN,
    max_cases: int = RECURRING_MAX_CASES,
) -> tuple[list[Recurring], bool]:
    """Groups of similar problems raised by two or more enterprises, most enterprises first.

    Returns the groups and whether the period held more cases than were read (the most recent
    max_cases are grouped)."""
    rows = list(
        live(cases)
        .filter(_created_in(period))
        .order_by("-created_at", "-pk")
        .values_list(
            "pk",
            "number",
            "title",
            "description",
            "category__name",
            "enterprise_id",
            "enterprise__name",
            "status",
        )[: max_cases + 1]
    )
    capped = len(rows) > max_cases
    groups: list[Recurring] = []
    index: dict[str, list[int]] = defaultdict(list)  # title pair → the groups whose name has it
    for pk, number, title, description, category, enterprise_id, enterprise, status in rows[
        :max_cases
    ]:
        grams = title_bigrams(title)
        description_grams = title_bigrams((description or "")[:DESCRIPTION_CHARS])
        shared = Counter(g for gram in grams for g in index.get(gram, ()))
        home = next(
            (
                groups[g]
                for g, n in shared.most_common()
                if n >= MIN_SHARED and _similar(grams, description_grams, groups[g])
            ),
            None,
        )
        if home is None:
            home = Recurring(title, category, grams, description_grams)
            for gram in grams:
                index[gram].append(len(groups))
            groups.append(home)
        home.members.append(Member(pk, number, title, enterprise, status in Case.OPEN_STATUSES))
        home.enterprise_ids.add(enterprise_id)
    found = [g for g in groups if g.enterprises >= 2]
    found.sort(key=lambda g: (-g.enterprises, -g.cases, g.title))
    return found[:limit], capped


# --- the longest open ----------------------------------------------------------------------------


@dataclass
class LongOpen:
    case: Case
    since: dt.date
    working_days: int
    days: int


def longest_open(
    cases: QuerySet[Case],
    calendar: WorkCalendar,
    now: dt.datetime | None = None,
    limit: int = LONGEST_SHOWN,
) -> list[LongOpen]:
    """The open cases open longest, counted from when they were recorded or assigned, whichever
    came first (a historical case keeps its real assignment date)."""
    today = local_date(now or timezone.now())
    rows = (
        cases.filter(status__in=Case.OPEN_STATUSES)
        .annotate(open_since=Least("created_at", Coalesce("assigned_at", "created_at")))
        .select_related("enterprise", "category", "lead_department")
        .order_by("open_since", "pk")[:limit]
    )
    result = []
    for case in rows:
        since = local_date(case.open_since)
        result.append(
            LongOpen(
                case, since, working_days_between(since, today, calendar), (today - since).days
            )
        )
    return result


# --- what changed ------------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    current: int
    previous: int

    @property
    def delta(self) -> int:
        return self.current - self.previous


@dataclass
class Changes:
    previous: Period
    totals: list[Change]
    by_category: list[Change]
    by_industry: list[Change]
    by_township: list[Change]


def _compare(cases, current: Period, previous: Period, key: str, label) -> list[Change]:
    now_q = _created_in(current)
    then_q = _created_in(previous)
    rows = (
        live(cases)
        .filter(now_q | then_q)
        .order_by()
        .values(key)
        .annotate(current=Count("pk", filter=now_q), previous=Count("pk", filter=then_q))
    )
    changes = [Change(label(r[key]), r["current"], r["previous"]) for r in rows]
    changes.sort(key=lambda c: (-abs(c.delta), -c.current, c.label))
    return changes


def changes(cases: QuerySet[Case], period: Period) -> Changes | None:
    """This period against the previous one of the same shape; None for an open-ended period."""
    previous = period.previous()
    if previous is None:
        return None
    live_cases = live(cases)
    figures = {}
    for name, lookup in (
        ("new", "created_at"),
        ("assigned", "assigned_at"),
        ("closed", "closed_at"),
    ):
        figures[f"{name}_now"] = Count(
            "pk", filter=in_range(lookup, period.date_from, period.date_to)
        )
        figures[f"{name}_then"] = Count(
            "pk", filter=in_range(lookup, previous.date_from, previous.date_to)
        )
    counts = live_cases.aggregate(**figures)
    totals = [
        Change(_("新发现问题"), counts["new_now"], counts["new_then"]),
        Change(_("交办"), counts["assigned_now"], counts["assigned_then"]),
        Change(_("销号"), counts["closed_now"], counts["closed_then"]),
    ]
    return Changes(
        previous=previous,
        totals=totals,
        by_category=_compare(cases, period, previous, "category__name", str),
        by_industry=_compare(cases, period, previous, "enterprise__industry", industry_label),
        by_township=_compare(
            cases, period, previous, "enterprise__township__name", lambda v: v or UNSET
        ),
    )
