"""When was an enterprise last visited, and has it gone too long without a visit (未走访)?

One definition for every page and figure that says so — the cadre's 我的企业 ("已 N 天未走访"), a
task force's page, the office's 全覆盖 list and the evaluation's "N天未走访企业":

- the last visit is the newest visit to the enterprise by anyone (any cadre, any task force) on or
  before the day asked about: an enterprise a colleague visited yesterday has been visited;
- the enterprise counts as not visited when that visit lies stale_after_days() days or more
  before the day asked about (settings.VISIT_STALE_AFTER_DAYS), or when it was never visited.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import DateField, OuterRef, Q, QuerySet, Subquery

from cases.models import Visit
from enterprises.models import Enterprise


def stale_after_days() -> int:
    return settings.VISIT_STALE_AFTER_DAYS


def last_visit(as_of: dt.date | None = None, *, enterprise: str = "pk") -> Subquery:
    """The day of the newest visit to the enterprise (OuterRef(enterprise)) on or before as_of,
    or NULL: an annotation, in the query that lists the enterprises."""
    visits = Visit.objects.filter(enterprise=OuterRef(enterprise))
    if as_of is not None:
        visits = visits.filter(visited_on__lte=as_of)
    return Subquery(
        visits.order_by("-visited_on").values("visited_on")[:1], output_field=DateField()
    )


def with_last_visit(enterprises: QuerySet, as_of: dt.date | None = None) -> QuerySet:
    """The enterprises, each with last_visit (a date or None)."""
    return enterprises.annotate(last_visit=last_visit(as_of))


def stale_cutoff(as_of: dt.date, days: int | None = None) -> dt.date:
    """An enterprise last visited on this day or before counts as not visited on as_of."""
    return as_of - dt.timedelta(days=stale_after_days() if days is None else days)


def days_since(last: dt.date | None, as_of: dt.date) -> int | None:
    return None if last is None else (as_of - last).days


def is_stale(last: dt.date | None, as_of: dt.date, days: int | None = None) -> bool:
    """Not visited: never, or last (the enterprise's last_visit) is days or more before as_of."""
    return last is None or last <= stale_cutoff(as_of, days)


def stale_q(as_of: dt.date, days: int | None = None, *, field: str = "last_visit") -> Q:
    """is_stale in SQL, on enterprises annotated by with_last_visit."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": stale_cutoff(as_of, days)})


def stale_enterprises(as_of: dt.date, days: int | None = None) -> QuerySet[Enterprise]:
    """The enterprises not visited as of as_of (each with last_visit)."""
    return with_last_visit(Enterprise.objects.all(), as_of).filter(stale_q(as_of, days))
