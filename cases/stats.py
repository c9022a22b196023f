"""How each department handles its cases (DESIGN §9 department stats), in a few aggregate queries.

The same numbers serve the API and the evaluation page. They are computed over the cases the
caller passes (a selector's scoped queryset, or every case), so nobody counts what they cannot see.

Over an optional range of local dates (both ends included):
- `assigned`: cases led by the department whose assignment falls in the range; of those,
  `contacted_on_time` (contacted by `contact_due_at`) and `replied_on_time` (replied by
  `resolve_due_at`, extensions included);
- `returns`: the department's returns (退回) recorded in the range;
- ratings given in the range, per level, and the satisfaction rate: the three satisfied levels over
  all counted ratings. A rating whose appeal was upheld stays on record but is excluded
  (`excluded_ratings`), never counted;
- `overdue`: cases the department leads that are overdue now, whatever the range.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from cases.deadlines import overdue_q
from cases.models import Case, CaseEvent, Rating
from cases.selectors import rows_of_cases
from cases.workdays import start_of_day
from enterprises.models import Department

LEVELS = tuple(Case.Rating.values)
SATISFIED = tuple(str(level) for level in Case.SATISFIED_RATINGS)


@dataclass
class DepartmentStats:
    department: Department
    assigned: int = 0
    contacted_on_time: int = 0
    replied_on_time: int = 0
    overdue: int = 0
    returns: int = 0
    ratings: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    excluded_ratings: int = 0

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def satisfaction_rate(self) -> float | None:
        """Share of counted ratings that are satisfied (非常满意, 满意, 基本满意); None if none."""
        if not self.rated:
            return None
        return sum(self.ratings[level] for level in SATISFIED) / self.rated


def in_range(lookup: str, date_from: dt.date | None, date_to: dt.date | None) -> Q:
    q = Q()
    if date_from is not None:
        q &= Q(**{f"{lookup}__gte": start_of_day(date_from)})
    if date_to is not None:
        q &= Q(**{f"{lookup}__lt": start_of_day(date_to + dt.timedelta(days=1))})
    return q


def _scoped(queryset: QuerySet, cases: QuerySet[Case] | None, path: str) -> QuerySet:
    return queryset if cases is None else rows_of_cases(queryset, cases, path)


def department_stats(
    *,
    cases: QuerySet[Case] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    now: dt.datetime | None = None,
    departments: QuerySet[Department] | None = None,
) -> list[DepartmentStats]:
    """One row per department (active ones, and any other that has numbers), in five queries;
    `departments`: the ones to list (a county's, cases.selectors.county_scope), every one if None."""
    now = now or timezone.now()
    base = Case.objects.all() if cases is None else cases
    rows: dict[int, dict] = {}

    def merge(values: QuerySet, key: str) -> None:
        for row in values:
            dept = row.pop(key)
            if dept is not None:
                rows.setdefault(dept, {}).update(row)

    merge(
        base.filter(in_range("assigned_at", date_from, date_to), lead_department__isnull=False)
        .order_by()
        .values("lead_department")
        .annotate(
            assigned=Count("pk"),
            contacted_on_time=Count(
                "pk",
                filter=Q(contacted_at__isnull=False, contacted_at__lte=F("contact_due_at")),
            ),
            replied_on_time=Count(
                "pk", filter=Q(replied_at__isnull=False, replied_at__lte=F("resolve_due_at"))
            ),
        ),
        "lead_department",
    )
    merge(
        base.filter(overdue_q(now), lead_department__isnull=False)
        .order_by()
        .values("lead_department")
        .annotate(overdue=Count("pk")),
        "lead_department",
    )
    merge(
        _scoped(CaseEvent.objects, cases, "case")
        .filter(in_range("created_at", date_from, date_to), kind=CaseEvent.Kind.RETURNED)
        .order_by()
        .values("department")
        .annotate(returns=Count("pk")),
        "department",
    )
    counted = ~Q(appeal=Rating.Appeal.UPHELD)
    merge(
        _scoped(Rating.objects, cases, "case")
        .filter(in_range("created_at", date_from, date_to))
        .order_by()
        .values("department")
        .annotate(
            excluded_ratings=Count("pk", filter=Q(appeal=Rating.Appeal.UPHELD)),
            **{
                f"rating__{level}": Count("pk", filter=Q(level=level) & counted) for level in LEVELS
            },
        ),
        "department",
    )

    departments = (
        (Department.objects.all() if departments is None else departments)
        .filter(Q(active=True) | Q(pk__in=list(rows)))
        .exclude(kind=Department.Kind.OFFICE)
    )
    result = []
    for department in departments:
        numbers = rows.get(department.pk, {})
        stats = DepartmentStats(department=department)
        for name, value in numbers.items():
            if name.startswith("rating__"):
                stats.ratings[name.removeprefix("rating__")] = value
            else:
                setattr(stats, name, value)
        result.append(stats)
    return result
