"""What a task force works on: its enterprises, the problems waiting to be reviewed one by one,
and, for the office, the enterprises nobody covers or visits (全覆盖)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from cases.models import Case
from cases.roles import Actor
from cases.selectors import cases_visible_to
from cases.visits import stale_enterprises, with_last_visit
from enterprises.models import Enterprise
from taskforces.models import CaseReview, TaskForce, TaskForceEnterprise, TaskForceMember

REVIEWER_ROLES = {TaskForceMember.Role.LEADER, TaskForceMember.Role.HEAD}


def reviewing_taskforce_ids(actor: Actor) -> set[int]:
    """The task forces in which this user is the county leader or one of the two heads."""
    return {tf for tf, roles in actor.taskforce_roles.items() if roles & REVIEWER_ROLES}


def review_queue(actor: Actor) -> QuerySet[Case]:
    """逐个研究: the open problems of my task forces' enterprises that none of those task forces has
    reviewed, newest first (a problem closed or merged before anyone looked needs no review)."""
    taskforces = reviewing_taskforce_ids(actor)
    covered = TaskForceEnterprise.objects.filter(task_force_id__in=taskforces).values(
        "enterprise_id"
    )
    reviewed = CaseReview.objects.filter(case=OuterRef("pk"), task_force_id__in=taskforces)
    return (
        cases_visible_to(actor)
        .filter(enterprise_id__in=covered, status__in=Case.OPEN_STATUSES)
        .exclude(Exists(reviewed))
        .select_related("enterprise", "category", "lead_department")
        .order_by("-created_at", "-id")
    )


def taskforce_enterprises(task_force: TaskForce, *, today: dt.date) -> QuerySet:
    """The task force's enterprises with their open problems and their last visit by anyone
    (cases.visits)."""
    open_statuses = list(Case.OPEN_STATUSES)
    return (
        with_last_visit(Enterprise.objects.filter(task_forces=task_force), today)
        .annotate(
            open_cases=Count("cases", filter=Q(cases__status__in=open_statuses), distinct=True),
        )
        .order_by("-open_cases", "name")
    )


def enterprises_without_taskforce() -> QuerySet[Enterprise]:
    active_cover = TaskForceEnterprise.objects.filter(
        enterprise=OuterRef("pk"), task_force__active=True
    )
    return (
        Enterprise.objects.exclude(Exists(active_cover)).select_related("township").order_by("name")
    )


def enterprises_not_visited(today: dt.date, days: int | None = None) -> QuerySet[Enterprise]:
    """The enterprises not visited for days (default: the setting) as of today (cases.visits)."""
    return stale_enterprises(today, days).select_related("township").order_by("last_visit", "name")
