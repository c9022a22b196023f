"""Is a case overdue now? Answered here once, as a query expression, for the API, pages and stats.

A case is overdue while a clock it is held to has run out:
- assigned and not yet contacted, past `contact_due_at` (the 3-working-day rule);
- in progress and not yet replied, past `resolve_due_at`.
A suspended case (挂起) is not overdue: its clocks are stopped. Replied, closed, merged and
submitted cases are never overdue.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Q, QuerySet, Value, When
from django.db.models import Case as Switch
from django.utils import timezone

from cases.models import Case


def overdue_q(now: dt.datetime | None = None) -> Q:
    """The condition, for filters (`Case.objects.filter(overdue_q())`) and conditional counts."""
    now = now or timezone.now()
    return Q(suspended_at__isnull=True) & (
        Q(status=Case.Status.ASSIGNED, contacted_at__isnull=True, contact_due_at__lt=now)
        | Q(status=Case.Status.IN_PROGRESS, replied_at__isnull=True, resolve_due_at__lt=now)
    )


def with_overdue(cases: QuerySet[Case], now: dt.datetime | None = None) -> QuerySet[Case]:
    """Annotate each case with `overdue` (a real bool: NULL deadlines count as not overdue)."""
    return cases.annotate(
        overdue=Switch(
            When(overdue_q(now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
