"""The 督办 board's cases: the open cases whose running deadlines have reached the ladder.

The ladder, the levels and the lateness are cases.deadlines'. The board reads levels at the moment
of reading rather than from Case.escalation_level, which records what the sweep has already sent
(and so lags it, and is empty for a historical case until the next sweep). Filtering, counting and
sorting by level happen in the database, on the partial index of running cases, so a page costs
the same few queries however many cases the county has.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from cases.deadlines import FLAGGED, WARNING, reached_q, with_level
from cases.models import Case
from cases.workdays import WorkCalendar

BOARD_ORDER = ("-level", "lead_department__name", "pk")  # most urgent first


def on_the_board(cases: QuerySet[Case], now: dt.datetime, calendar: WorkCalendar) -> QuerySet:
    """The open cases that have reached the ladder (a running deadline's due day has begun), with
    their `level`, most urgent first."""
    reached = cases.filter(reached_q(WARNING, now, calendar))  # (RUNNING at its top)
    return with_level(reached, now, calendar).order_by(*BOARD_ORDER)


# 挂牌督办: an open case the office has listed (on or off the ladder: a listed case stays listed
# while its deadline is extended or its reply awaits). The board's list, the dashboard's and the
# reports' figure all count this.
LISTED = Q(listed_at__isnull=False, status__in=Case.OPEN_STATUSES)


def listed_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The listed cases (LISTED), the latest listing first."""
    return cases.filter(LISTED).order_by("-listed_at", "-pk")


def proposed_count(cases: QuerySet[Case], now: dt.datetime, calendar: WorkCalendar) -> int:
    """建议挂牌: how many cases the ladder's top level proposes and the office has not listed."""
    return cases.filter(reached_q(FLAGGED, now, calendar), listed_at__isnull=True).count()
