"""What a cadre's pages read, always starting from the core scoping in cases.selectors."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)

from cases.deadlines import current_due_at, overdue_q, with_overdue
from cases.models import Case, Visit
from cases.roles import Actor, actor_for
from cases.selectors import cases_visible_to, enterprises_visible_to
from cases.visits import with_last_visit
from cases.workdays import local_date
from enterprises.models import Enterprise
from taskforces.models import TaskForceEnterprise


def _as_actor(who) -> Actor:
    return who if isinstance(who, Actor) else actor_for(who)


def my_enterprises(who) -> QuerySet[Enterprise]:
    """The enterprises of the user's task forces (结对企业), within what they may see."""
    actor = _as_actor(who)
    covered = TaskForceEnterprise.objects.filter(task_force_id__in=actor.taskforce_ids)
    return enterprises_visible_to(actor).filter(pk__in=covered.values("enterprise_id"))


def open_cases(who, now: dt.datetime) -> QuerySet[Case]:
    """Open cases the user may see, overdue first, then by the nearest deadline."""
    cases = cases_visible_to(who).filter(status__in=Case.OPEN_STATUSES)
    return (
        with_overdue(cases, now)
        .annotate(due_at=current_due_at())
        .select_related("category", "lead_department")
        .order_by("-overdue", F("due_at").asc(nulls_last=True), "created_at", "id")
    )


def enterprises_overview(who, *, now: dt.datetime, search: str = "") -> QuerySet[Enterprise]:
    """我的企业: each enterprise with its open cases (`open_cases`), whether one is overdue, the
    date of its last visit by anyone (`last_visit`, cases.visits: what "已 N 天未走访" counts from)
    and of this user's own last visit — in three queries however many enterprises and cases.

    Enterprises with an overdue case come first, then those left longest without a visit.
    """
    actor = _as_actor(who)
    my_last_visit = (
        Visit.objects.filter(enterprise=OuterRef("pk"), cadre_id=actor.user.pk)
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )
    overdue = cases_visible_to(actor).filter(overdue_q(now), enterprise=OuterRef("pk"))
    enterprises = my_enterprises(actor)
    if search:
        enterprises = enterprises.filter(name__icontains=search)
    return (
        with_last_visit(enterprises, local_date(now))
        .annotate(my_last_visit=Subquery(my_last_visit), has_overdue=Exists(overdue))
        .select_related("township")
        .prefetch_related(Prefetch("cases", queryset=open_cases(actor, now), to_attr="open_cases"))
        .order_by("-has_overdue", F("last_visit").asc(nulls_first=True), "name", "id")
    )


def offline_enterprises(who, *, now: dt.datetime) -> QuerySet[Enterprise]:
    """我的企业 as the phone keeps it for offline use: exactly the page's enterprises and open
    cases (enterprises_overview), each with the name of the cadre's task force that covers it
    (`task_force_name`) — still three queries."""
    actor = _as_actor(who)
    task_force = (
        TaskForceEnterprise.objects.filter(
            enterprise=OuterRef("pk"), task_force_id__in=actor.taskforce_ids
        )
        .order_by("task_force__name", "task_force_id")
        .values("task_force__name")[:1]
    )
    return enterprises_overview(actor, now=now).annotate(task_force_name=Subquery(task_force))
