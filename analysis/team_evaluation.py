"""The evaluation of the field side (走访 考核): per task force and per paired cadre, over a period
— the enterprises they cover, the visits they made and the problems those found, the enterprises
nobody visited for too long (cases.visits), and the open and overdue cases of their enterprises.
The departments' scoring is analysis.evaluation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from analysis.metrics import live, state_counts
from analysis.periods import Period
from cases.models import Case, Visit
from cases.visits import stale_enterprises
from cases.workdays import local_date
from taskforces.models import TaskForce, TaskForceEnterprise, TaskForceMember


@dataclass
class TeamRow:
    """A task force or a cadre: what they did in the period and what they let slide."""

    key: int
    name: str
    detail: str = ""
    enterprises: int = 0
    visits: int = 0
    problems: int = 0
    stale: int = 0  # enterprises not visited by anyone for stale_after_days() at the period's end
    open: int = 0
    overdue: int = 0


def _stale_enterprises(as_of: dt.date) -> QuerySet:
    """Enterprises nobody visited in the stale_after_days() days up to as_of (cases.visits)."""
    return stale_enterprises(as_of).values("pk")


def _count_visits(rows: dict[int, TeamRow], visits: QuerySet[Visit], by: str) -> None:
    """Each row's visits and the problems they found, from `visits` grouped by `by` (a row's key)."""
    for key, n_visits, n_problems in (
        visits.order_by()
        .values_list(by)
        .annotate(visits=Count("pk", distinct=True), problems=Count("cases", distinct=True))
    ):
        rows[key].visits, rows[key].problems = n_visits, n_problems


def taskforce_evaluation(
    taskforces: QuerySet[TaskForce],
    visits: QuerySet[Visit],
    cases: QuerySet[Case],
    period: Period,
    now: dt.datetime | None = None,
) -> list[TeamRow]:
    """Per task force: covered enterprises, visits and the problems they found in the period,
    enterprises not visited (cases.visits), and its enterprises' open and overdue cases now."""
    now = now or timezone.now()
    as_of = period.end_or(local_date(now))
    rows = {
        tf.pk: TeamRow(key=tf.pk, name=tf.name, detail=tf.get_kind_display())
        for tf in taskforces.order_by("kind", "name")
    }
    covered = TaskForceEnterprise.objects.filter(task_force__in=taskforces.values("pk"))
    for tf, enterprises, stale in (
        covered.order_by()
        .values_list("task_force")
        .annotate(
            n=Count("pk"),
            stale=Count("pk", filter=Q(enterprise__in=_stale_enterprises(as_of))),
        )
    ):
        rows[tf].enterprises, rows[tf].stale = enterprises, stale
    _count_visits(
        rows,
        visits.filter(period.dates("visited_on"), task_force__in=taskforces.values("pk")),
        "task_force",
    )
    counts = state_counts(now)
    for tf, n_open, n_overdue in (
        live(cases)
        .filter(enterprise__task_forces__in=taskforces.values("pk"))
        .order_by()
        .values_list("enterprise__task_forces")
        .annotate(open=counts["open"], overdue=counts["overdue"])
    ):
        rows[tf].open, rows[tf].overdue = n_open, n_overdue
    return list(rows.values())


def cadre_evaluation(
    taskforces: QuerySet[TaskForce], visits: QuerySet[Visit], period: Period, now=None
) -> list[TeamRow]:
    """Per paired cadre (结对干部) of the task forces: visits made and problems found in the
    period, the enterprises their task forces cover and how many nobody visited (cases.visits)."""
    now = now or timezone.now()
    as_of = period.end_or(local_date(now))
    members = TaskForceMember.objects.filter(
        role=TaskForceMember.Role.CADRE, task_force__in=taskforces.values("pk")
    )
    users = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in=members.values("user"))
        .order_by("username")
    }
    teams: dict[int, list[str]] = {}
    for user_id, tf_name in members.order_by("task_force__name").values_list(
        "user", "task_force__name"
    ):
        teams.setdefault(user_id, []).append(tf_name)
    rows = {
        pk: TeamRow(
            key=pk, name=user.get_full_name() or user.username, detail="、".join(teams.get(pk, []))
        )
        for pk, user in users.items()
    }
    enterprise = "task_force__taskforceenterprise__enterprise"
    for user_id, n, stale in (
        members.order_by()
        .values_list("user")
        .annotate(
            n=Count(enterprise, distinct=True),
            stale=Count(
                enterprise,
                distinct=True,
                filter=Q(**{f"{enterprise}__in": _stale_enterprises(as_of)}),
            ),
        )
    ):
        rows[user_id].enterprises, rows[user_id].stale = n, stale
    _count_visits(
        rows,
        visits.filter(period.dates("visited_on"), cadre__in=members.values("user")),
        "cadre",
    )
    return sorted(rows.values(), key=lambda r: (-r.visits, r.name))
