"""The evaluation (考核, 红黑榜): per department, per task force and per paired cadre, over a period.

The department figures the API also gives — assigned, contacted and replied on time, overdue now,
returns, the five rating levels and the satisfaction rate — come from cases.stats, so the page and
`GET /api/v1/stats/departments/` can never disagree. What the evaluation adds is computed here, by
aggregate queries over the same cases and the same reading of the period:

- `contact_due`: of the cases assigned in the period, those whose contact clock has run out or
  that were contacted — the cases a department can already be judged on. The on-time contact rate
  is `contacted_on_time / contact_due`, so a case assigned yesterday does not count against anyone.
- `reply_due`: likewise those replied, or past their resolve deadline and not suspended (挂起).
- `reopens` (重办), `extensions` requested (申请延期) and approved, from the timeline in the period.
- commitments (亮诺) due in the period: kept (践诺) or missed (due and still not kept today);
  the rate is kept over kept + missed, open promises not yet due are left out.

The ranking score is the mean of the rates a department has (on-time contact, on-time reply,
satisfaction). Departments with fewer than ANALYSIS_RANK_MIN_ASSIGNED cases assigned in the period
(5), or with no rate at all, are listed but not ranked. Ties go to fewer overdue cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis import conf
from analysis.metrics import in_range, is_every_case, live, related_to, state_counts
from analysis.periods import Period
from cases.models import Case, CaseEvent, Commitment, Visit
from cases.stats import DepartmentStats, department_stats
from cases.visits import stale_enterprises
from cases.workdays import local_date
from taskforces.models import TaskForce, TaskForceEnterprise, TaskForceMember

SHOWN_ON_EACH_LIST = 3  # 红榜 and 黑榜


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class DepartmentRow:
    stats: DepartmentStats
    contact_due: int = 0
    reply_due: int = 0
    reopens: int = 0
    extensions: int = 0
    extensions_approved: int = 0
    commitments_kept: int = 0
    commitments_missed: int = 0
    rank: int | None = None

    @property
    def department(self):
        return self.stats.department

    @property
    def contact_rate(self) -> float | None:
        return _rate(self.stats.contacted_on_time, self.contact_due)

    @property
    def reply_rate(self) -> float | None:
        return _rate(self.stats.replied_on_time, self.reply_due)

    @property
    def satisfaction_rate(self) -> float | None:
        return self.stats.satisfaction_rate

    @property
    def commitment_rate(self) -> float | None:
        return _rate(self.commitments_kept, self.commitments_kept + self.commitments_missed)

    @property
    def score(self) -> float | None:
        rates = [
            r for r in (self.contact_rate, self.reply_rate, self.satisfaction_rate) if r is not None
        ]
        return sum(rates) / len(rates) if rates else None


@dataclass
class Ranking:
    rows: list[DepartmentRow]

    @property
    def ranked(self) -> list[DepartmentRow]:
        return [r for r in self.rows if r.rank is not None]

    @property
    def red(self) -> list[DepartmentRow]:
        """红榜: the best, when there are enough ranked departments for a list at each end."""
        ranked = self.ranked
        return ranked[: min(SHOWN_ON_EACH_LIST, len(ranked) // 2)]

    @property
    def black(self) -> list[DepartmentRow]:
        ranked = self.ranked
        n = min(SHOWN_ON_EACH_LIST, len(ranked) // 2)
        return list(reversed(ranked[len(ranked) - n :])) if n else []


def _merge(rows: dict[int, dict], values: QuerySet, key: str) -> None:
    for row in values:
        dept = row.pop(key)
        if dept is not None:
            numbers = rows.setdefault(dept, {})
            for name, value in row.items():
                numbers[name] = numbers.get(name, 0) + value


def department_evaluation(
    cases: QuerySet[Case],
    period: Period,
    now: dt.datetime | None = None,
    min_assigned: int | None = None,
) -> Ranking:
    """Every department's figures over the period, ranked; cases.stats plus three queries."""
    now = now or timezone.now()
    today = local_date(now)
    start, end = period.date_from, period.date_to
    stats = department_stats(
        cases=None if is_every_case(cases) else cases, date_from=start, date_to=end, now=now
    )
    extra: dict[int, dict] = {}
    _merge(
        extra,
        cases.filter(in_range("assigned_at", start, end), lead_department__isnull=False)
        .order_by()
        .values("lead_department")
        .annotate(
            contact_due=Count(
                "pk", filter=Q(contacted_at__isnull=False) | Q(contact_due_at__lt=now)
            ),
            reply_due=Count(
                "pk",
                filter=Q(replied_at__isnull=False)
                | Q(resolve_due_at__lt=now, suspended_at__isnull=True),
            ),
        ),
        "lead_department",
    )
    K = CaseEvent.Kind
    _merge(
        extra,
        related_to(CaseEvent.objects.all(), cases)
        .filter(
            in_range("created_at", start, end),
            kind__in=[K.REOPENED, K.EXTENSION_REQUESTED, K.EXTENSION_DECIDED],
        )
        .order_by()
        .values("department")
        .annotate(
            reopens=Count("pk", filter=Q(kind=K.REOPENED)),
            extensions=Count("pk", filter=Q(kind=K.EXTENSION_REQUESTED)),
            extensions_approved=Count(
                "pk", filter=Q(kind=K.EXTENSION_DECIDED, data__approved=True)
            ),
        ),
        "department",
    )
    _merge(
        extra,
        related_to(Commitment.objects.all(), cases)
        .filter(_days_in("due_on", period))
        .order_by()
        .values("department")
        .annotate(
            commitments_kept=Count("pk", filter=Q(kept_at__isnull=False)),
            commitments_missed=Count("pk", filter=Q(kept_at__isnull=True, due_on__lt=today)),
        ),
        "department",
    )
    rows = [DepartmentRow(stats=s, **extra.get(s.department.pk, {})) for s in stats]
    return rank(rows, min_assigned)


def rank(rows: list[DepartmentRow], min_assigned: int | None = None) -> Ranking:
    if min_assigned is None:
        min_assigned = conf.rank_min_assigned()

    def ranked(r: DepartmentRow) -> bool:
        return r.score is not None and r.stats.assigned >= min_assigned

    scored = sorted(
        (r for r in rows if ranked(r)),
        key=lambda r: (-r.score, r.stats.overdue, r.department.name),
    )
    unscored = sorted(
        (r for r in rows if not ranked(r)),
        key=lambda r: (-r.stats.assigned, r.department.name),
    )
    for position, row in enumerate(scored, start=1):
        row.rank = position
    return Ranking(scored + unscored)


# --- task forces and paired cadres ---------------------------------------------------------------


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


def _days_in(field: str, period: Period) -> Q:
    """The rows whose date `field` falls in the period (either end may be open)."""
    q = Q()
    if period.date_from:
        q &= Q(**{f"{field}__gte": period.date_from})
    if period.date_to:
        q &= Q(**{f"{field}__lte": period.date_to})
    return q


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
        visits.filter(_days_in("visited_on", period), task_force__in=taskforces.values("pk")),
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
        visits.filter(_days_in("visited_on", period), cadre__in=members.values("user")),
        "cadre",
    )
    return sorted(rows.values(), key=lambda r: (-r.visits, r.name))


@dataclass
class Totals:
    """The county's figures for the period: the departments' rows added up."""

    assigned: int = 0
    contact_due: int = 0
    contacted_on_time: int = 0
    reply_due: int = 0
    replied_on_time: int = 0
    overdue: int = 0
    returns: int = 0
    reopens: int = 0
    rated: int = 0
    satisfied: int = 0
    excluded_ratings: int = 0

    @property
    def contact_rate(self) -> float | None:
        return _rate(self.contacted_on_time, self.contact_due)

    @property
    def reply_rate(self) -> float | None:
        return _rate(self.replied_on_time, self.reply_due)

    @property
    def satisfaction_rate(self) -> float | None:
        return _rate(self.satisfied, self.rated)


def totals(ranking: Ranking) -> Totals:
    result = Totals()
    for row in ranking.rows:
        s = row.stats
        result.assigned += s.assigned
        result.contact_due += row.contact_due
        result.contacted_on_time += s.contacted_on_time
        result.reply_due += row.reply_due
        result.replied_on_time += s.replied_on_time
        result.overdue += s.overdue
        result.returns += s.returns
        result.reopens += row.reopens
        result.rated += s.rated
        result.satisfied += sum(s.ratings[str(level)] for level in Case.SATISFIED_RATINGS)
        result.excluded_ratings += s.excluded_ratings
    return result


def definitions() -> list[tuple[str, str]]:
    """What every figure of the evaluation means, written under the table."""
    return [
        (
            _("交办"),
            _("统计期间内交办给该部门（牵头）的问题数；被退回后改交他部门的，计入最终牵头部门。"),
        ),
        (
            _("应对接 / 按时对接"),
            _(
                "应对接：上述问题中已对接或3个工作日对接期限已过的问题；按时对接：在对接期限（交办次日起第3个工作日23:59，按法定节假日和调休计算）之前签收对接的问题。按时对接率 = 按时对接 ÷ 应对接。"
            ),
        ),
        (
            _("应办结 / 按时办结"),
            _(
                "应办结：上述问题中已反馈或办结期限已过（挂起中的除外）的问题；按时办结：在办结期限（含批准的延期）之前反馈办理结果的问题。按时办结率 = 按时办结 ÷ 应办结。"
            ),
        ),
        (
            _("当前逾期"),
            _(
                "此刻已超过对接期限仍未对接、或已超过办结期限仍未反馈的问题（挂起的不算），不受统计期间限制。"
            ),
        ),
        (
            _("退回 / 重办"),
            _("统计期间内该部门退回县委办的次数；因企业不满意或县委办决定而重新办理的次数。"),
        ),
        (_("延期"), _("统计期间内该部门申请延期的次数，及其中获批的次数。")),
        (
            _("评价与满意率"),
            _(
                "统计期间内企业对该部门办理结果的评价（五级）。满意率 =（非常满意 + 满意 + 基本满意）÷ 计入评价数；经县委办裁定申诉成立的评价保留在记录中，但不计入。"
            ),
        ),
        (
            _("践诺率"),
            _(
                "承诺期限在统计期间内的亮诺事项中，已践诺 ÷（已践诺 + 已过期限未践诺）；期限未到的不计。"
            ),
        ),
        (
            _("综合得分与排名"),
            _(
                "按时对接率、按时办结率、满意率三项中有数据各项的平均值，从高到低排名；得分相同时逾期少者在前。统计期间交办不足%(n)d件（样本太少）或没有任何数据的部门列出但不参与排名。红榜为前3名，黑榜为后3名。"
            )
            % {"n": conf.rank_min_assigned()},
        ),
    ]
