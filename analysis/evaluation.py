"""The evaluation (考核, 红黑榜): per department, per task force and per paired cadre, over a period.

The department figures the API also gives — assigned, contacted and replied on time, overdue now,
returns, the five rating levels and the satisfaction rate — come from cases.stats, so the page and
`GET /api/v1/stats/departments/` can never disagree. What the evaluation adds is computed here, by
aggregate queries over the same cases and the same reading of the period:

- `contact_due`: of the cases assigned in the period, those whose contact clock has run out or
  that were contacted — the cases a department can already be judged on. 响应率 (the on-time
  contact rate) is `contacted_on_time / contact_due`, so a case assigned yesterday does not count
  against anyone.
- `reply_due`: likewise those replied, or past their resolve deadline and not suspended (挂起);
  办结率 is `replied_on_time / reply_due`.
- `replied` and `resolved`: of the cases assigned in the period, those replied now and those
  replied as resolved (已解决) rather than explained (政策障碍，已解释到位): 解决率.
- `reopens` (重办), `extensions` requested (申请延期) and approved, from the timeline in the period.
- commitments (亮诺) due in the period: kept by their date (践诺) or missed (kept late, or due and
  still not kept today); 践诺率 is kept over kept + missed, open promises not yet due are left out.
- `deemed_satisfied`: when the rules say so, replies left unrated for N working days, counted as
  satisfied ratings on the N-th working day (the reply still unrated now; a late rating counts as
  itself instead).
- `bulletins`: the period's 奖惩 on the department, by kind (cases.bulletins).

How the figures make a score is the office's rules (analysis.rules): the rules in force on the
period's last day weigh the five rates into a score out of 100 (a rate without data leaves its
weight out), deduct points per return and per reopening after a dissatisfied rating (one whose
appeal was upheld deducts nothing), and add each bulletin's points. Units are ranked within their
group — townships and parks, county departments, vertically managed units
(Department.assessment_class) — and one with fewer cases assigned in the period than the rules
ask, or with no rate at all, is listed but not ranked. Ties go to fewer overdue cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.metrics import in_range, is_every_case, live, related_to
from analysis.models import RATES, EvaluationRules
from analysis.periods import Period
from analysis.rules import rules_for
from cases.models import Bulletin, Case, CaseEvent, Commitment
from cases.selectors import work_calendar
from cases.stats import DepartmentStats, department_stats
from cases.workdays import CHINA, add_working_days, local_date, start_of_day
from counties.models import county_or_home
from enterprises.models import Department

SHOWN_ON_EACH_LIST = 3  # 红榜 and 黑榜, in each group
FULL_MARKS = 100
# The groups units are ranked in, in the order the pages show them.
GROUPS = tuple(Department.AssessmentGroup.values)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class DepartmentRow:
    stats: DepartmentStats
    contact_due: int = 0
    reply_due: int = 0
    replied: int = 0
    resolved: int = 0
    reopens: int = 0
    extensions: int = 0
    extensions_approved: int = 0
    commitments_kept: int = 0
    commitments_missed: int = 0
    deemed_satisfied: int = 0
    bulletins: dict[str, int] = field(default_factory=dict)
    # Set by rank(), by the rules.
    base_score: float | None = None
    deductions: float = 0.0
    bulletin_points: float = 0.0
    score: float | None = None
    rank: int | None = None

    @property
    def department(self):
        return self.stats.department

    @property
    def group(self) -> str:
        """The assessment group it is ranked in (乡镇（园区）, 县直部门, 垂管单位)."""
        return self.department.assessment_class

    @property
    def contact_rate(self) -> float | None:
        """响应率."""
        return _rate(self.stats.contacted_on_time, self.contact_due)

    @property
    def reply_rate(self) -> float | None:
        """办结率."""
        return _rate(self.stats.replied_on_time, self.reply_due)

    @property
    def resolve_rate(self) -> float | None:
        """解决率: replied as resolved, over replied."""
        return _rate(self.resolved, self.replied)

    @property
    def rated(self) -> int:
        """The ratings the satisfaction rate counts: given, and (by the rules) deemed."""
        return self.stats.rated + self.deemed_satisfied

    @property
    def satisfied(self) -> int:
        return sum(self.stats.ratings[str(level)] for level in Case.SATISFIED_RATINGS) + (
            self.deemed_satisfied
        )

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率: 非常满意 + 满意 + 基本满意 over the counted ratings (deemed ones included)."""
        return _rate(self.satisfied, self.rated)

    @property
    def commitment_rate(self) -> float | None:
        """践诺率."""
        return _rate(self.commitments_kept, self.commitments_kept + self.commitments_missed)

    @property
    def dissatisfied_reopens(self) -> int:
        """重办 the rules deduct for: reopenings after a dissatisfied rating, one per counted
        不满意 or 非常不满意 (a rating whose appeal was upheld is not counted)."""
        return sum(self.stats.ratings[str(level)] for level in Case.DISSATISFIED_RATINGS)

    def rates(self) -> dict[str, float | None]:
        """The five rates, by name (analysis.models.RATES)."""
        return {rate: getattr(self, f"{rate}_rate") for rate in RATES}


@dataclass
class Group:
    """The units of one assessment group, ranked among themselves."""

    key: str
    rows: list[DepartmentRow]

    @property
    def label(self) -> str:
        return Department.AssessmentGroup(self.key).label

    @property
    def ranked(self) -> list[DepartmentRow]:
        return [r for r in self.rows if r.rank is not None]

    @property
    def unranked(self) -> list[DepartmentRow]:
        return [r for r in self.rows if r.rank is None]

    @property
    def red(self) -> list[DepartmentRow]:
        """红榜: the best, when there are enough ranked units for a list at each end."""
        ranked = self.ranked
        return ranked[: min(SHOWN_ON_EACH_LIST, len(ranked) // 2)]

    @property
    def black(self) -> list[DepartmentRow]:
        ranked = self.ranked
        n = min(SHOWN_ON_EACH_LIST, len(ranked) // 2)
        return list(reversed(ranked[len(ranked) - n :])) if n else []


@dataclass
class Ranking:
    rows: list[DepartmentRow]
    rules: EvaluationRules | None = None
    groups: list[Group] = field(default_factory=list)
    min_ranked: int = 0

    @property
    def ranked(self) -> list[DepartmentRow]:
        return [r for r in self.rows if r.rank is not None]

    @property
    def red(self) -> list[DepartmentRow]:
        """Every group's 红榜, group after group."""
        return [r for g in self.groups for r in g.red]

    @property
    def black(self) -> list[DepartmentRow]:
        return [r for g in self.groups for r in g.black]

    @property
    def listed(self) -> list[Group]:
        """The groups that have a unit to show."""
        return [g for g in self.groups if g.rows]


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
    rules: EvaluationRules | None = None,
    *,
    county_id: int | None = None,
) -> Ranking:
    """The county's departments' figures over the period, scored by the county's rules in force
    on its last day (or `rules`) and ranked within its group; cases.stats plus a few grouped
    queries. No county named: the first county's."""
    county_id = county_or_home(county_id)
    now = now or timezone.now()
    today = local_date(now)
    rules = rules or rules_for(period, now, county_id)
    start, end = period.date_from, period.date_to
    stats = department_stats(
        cases=None if is_every_case(cases) else cases,
        date_from=start,
        date_to=end,
        now=now,
        departments=Department.objects.filter(county_id=county_id),
    )
    extra: dict[int, dict] = {}
    replied = Q(replied_at__isnull=False)
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
                "pk", filter=replied | Q(resolve_due_at__lt=now, suspended_at__isnull=True)
            ),
            replied=Count("pk", filter=replied),
            resolved=Count("pk", filter=replied & Q(outcome=Case.Outcome.RESOLVED)),
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
    kept = Q(kept_at__isnull=False, kept_at__date__lte=F("due_on"))
    _merge(
        extra,
        related_to(Commitment.objects.all(), cases)
        .filter(period.dates("due_on"))
        .order_by()
        .values("department")
        .annotate(
            commitments_kept=Count("pk", filter=kept),
            commitments_missed=Count("pk", filter=~kept & Q(due_on__lt=today)),
        ),
        "department",
    )
    if rules.counts_unrated:
        for dept, n in deemed_satisfied(cases, period, rules.unrated_days, now, county_id).items():
            extra.setdefault(dept, {})["deemed_satisfied"] = n
    for dept, kinds in period_bulletin_counts(period, county_id).items():
        extra.setdefault(dept, {})["bulletins"] = kinds
    rows = [DepartmentRow(stats=s, **extra.get(s.department.pk, {})) for s in stats]
    return rank(rows, min_assigned, rules)


def deemed_satisfied(
    cases: QuerySet[Case], period: Period, days: int, now: dt.datetime, county_id=None
) -> dict[int, int]:
    """Per lead department: replies still unrated `days` working days after they were given, by
    the day that happened — counted in the period that day falls in, once it has come. One query
    grouped by department and day of reply (a few hundred rows), the days counted here."""
    today = local_date(now)
    last = period.end_or(today)
    unrated = live(cases).filter(
        replied_at__isnull=False,
        rating="",
        lead_department__isnull=False,
        replied_at__lt=start_of_day(last + dt.timedelta(days=1)),
    )
    if period.date_from:
        # N working days never span more than 2N + 30 calendar days (the Spring Festival's week
        # and its weekends included): replies before that cannot reach the period.
        unrated = unrated.filter(
            replied_at__gte=start_of_day(period.date_from - dt.timedelta(days=2 * days + 30))
        )
    grouped = (
        unrated.annotate(reply_day=TruncDate("replied_at", tzinfo=CHINA))
        .order_by()
        .values_list("lead_department", "reply_day")
        .annotate(n=Count("pk"))
    )
    calendar, deemed_on, result = None, {}, {}
    for dept, reply_day, n in grouped:
        if reply_day not in deemed_on:
            calendar = calendar or work_calendar(county_id)
            deemed_on[reply_day] = add_working_days(reply_day, days, calendar)
        day = deemed_on[reply_day]
        if day <= last and (period.date_from is None or day >= period.date_from):
            result[dept] = result.get(dept, 0) + n
    return result


def period_bulletins(period: Period, county_id: int | None) -> QuerySet[Bulletin]:
    """The county's bulletins (奖惩) issued in the period, newest first."""
    return (
        Bulletin.objects.filter(
            in_range("issued_at", period.date_from, period.date_to), county_id=county_id
        )
        .select_related("department")
        .order_by("-issued_at", "-id")
    )


def period_bulletin_counts(period: Period, county_id: int) -> dict[int, dict[str, int]]:
    """Per department of the county, its bulletins of the period by kind, in one query."""
    result: dict[int, dict[str, int]] = {}
    for dept, kind, n in (
        Bulletin.objects.filter(
            in_range("issued_at", period.date_from, period.date_to), county_id=county_id
        )
        .order_by()
        .values_list("department", "kind")
        .annotate(n=Count("pk"))
    ):
        result.setdefault(dept, {})[kind] = n
    return result


def score(row: DepartmentRow, rules: EvaluationRules) -> None:
    """Score one row by the rules: the weighted rates out of 100, less deductions, plus bulletins."""
    weights, rates = rules.weights(), row.rates()
    weighed = [(weights[r], rates[r]) for r in RATES if rates[r] is not None and weights[r]]
    total = sum(w for w, _r in weighed)
    row.base_score = FULL_MARKS * sum(w * r for w, r in weighed) / total if total else None
    row.deductions = float(
        row.stats.returns * rules.deduction_return
        + row.dissatisfied_reopens * rules.deduction_reopen
    )
    points = rules.bulletin_points()
    row.bulletin_points = float(sum(points.get(kind, 0) * n for kind, n in row.bulletins.items()))
    if row.base_score is None:
        row.score = None
    else:
        row.score = round(row.base_score - row.deductions + row.bulletin_points, 2)


def rank(
    rows: list[DepartmentRow],
    min_assigned: int | None = None,
    rules: EvaluationRules | None = None,
) -> Ranking:
    """Score every row by the rules and rank each group's on its own; `min_assigned` overrides
    the rules' least number of cases to be ranked."""
    if rules is None:
        rules = rules_for(Period())
    if min_assigned is None:
        min_assigned = rules.min_ranked
    for row in rows:
        score(row, rules)

    def ranked(r: DepartmentRow) -> bool:
        return r.score is not None and r.stats.assigned >= min_assigned

    groups = []
    for key in GROUPS:
        members = [r for r in rows if r.group == key]
        scored = sorted(
            (r for r in members if ranked(r)),
            key=lambda r: (-r.score, r.stats.overdue, r.department.name),
        )
        unscored = sorted(
            (r for r in members if not ranked(r)),
            key=lambda r: (-r.stats.assigned, r.department.name),
        )
        for position, row in enumerate(scored, start=1):
            row.rank = position
        for row in unscored:
            row.rank = None
        groups.append(Group(key, scored + unscored))
    return Ranking(
        [r for g in groups for r in g.rows], rules=rules, groups=groups, min_ranked=min_assigned
    )


@dataclass
class Totals:
    """The county's figures for the period: the departments' rows added up."""

    assigned: int = 0
    contact_due: int = 0
    contacted_on_time: int = 0
    reply_due: int = 0
    replied_on_time: int = 0
    replied: int = 0
    resolved: int = 0
    overdue: int = 0
    returns: int = 0
    reopens: int = 0
    rated: int = 0
    satisfied: int = 0
    deemed_satisfied: int = 0
    excluded_ratings: int = 0
    commitments_kept: int = 0
    commitments_missed: int = 0

    @property
    def contact_rate(self) -> float | None:
        return _rate(self.contacted_on_time, self.contact_due)

    @property
    def reply_rate(self) -> float | None:
        return _rate(self.replied_on_time, self.reply_due)

    @property
    def resolve_rate(self) -> float | None:
        return _rate(self.resolved, self.replied)

    @property
    def satisfaction_rate(self) -> float | None:
        return _rate(self.satisfied, self.rated)

    @property
    def commitment_rate(self) -> float | None:
        return _rate(self.commitments_kept, self.commitments_kept + self.commitments_missed)


def totals(ranking: Ranking) -> Totals:
    result = Totals()
    for row in ranking.rows:
        s = row.stats
        result.assigned += s.assigned
        result.contact_due += row.contact_due
        result.contacted_on_time += s.contacted_on_time
        result.reply_due += row.reply_due
        result.replied_on_time += s.replied_on_time
        result.replied += row.replied
        result.resolved += row.resolved
        result.overdue += s.overdue
        result.returns += s.returns
        result.reopens += row.reopens
        result.rated += row.rated
        result.satisfied += row.satisfied
        result.deemed_satisfied += row.deemed_satisfied
        result.excluded_ratings += s.excluded_ratings
        result.commitments_kept += row.commitments_kept
        result.commitments_missed += row.commitments_missed
    return result


def points(value, signed: bool = False) -> str:
    """Points as the rules print them: 2, 1.5; signed, +2 and −3."""
    text = f"{abs(value):.1f}".removesuffix(".0")
    if not signed or not value:
        return text if value >= 0 else f"−{text}"
    return f"+{text}" if value > 0 else f"−{text}"


def rate_labels() -> dict[str, str]:
    """The five rates' names, by the rules' name of each (analysis.models.RATES)."""
    return {
        "contact": _("响应率"),
        "reply": _("办结率"),
        "resolve": _("解决率"),
        "satisfaction": _("满意率"),
        "commitment": _("践诺率"),
    }


def rules_in_use(rules: EvaluationRules) -> str:
    """Which version of the rules scored the figures."""
    if rules.pk is None:
        return _("按系统默认的考核规则计分（县委办尚未制定）。")
    return _("按 %(day)s 起施行的考核规则计分。") % {"day": rules.effective_from.isoformat()}


def _unrated_rule(rules: EvaluationRules) -> str:
    if rules.counts_unrated:
        return _(
            "反馈后满%(days)d个工作日企业仍未评价的，视为“满意”，计入第%(days)d个工作日所在的统计期间；此后企业补评的，以实际评价为准。"
        ) % {"days": rules.unrated_days}
    return _("企业未评价的不计入。")


def definitions(
    rules: EvaluationRules | None = None, min_ranked: int | None = None
) -> list[tuple[str, str]]:
    """What every figure of the evaluation means, with the rules that score it (those in force
    today unless given), written under the table."""
    rules = rules or rules_for(Period())
    weight = rules.weights()
    bulletin = rules.bulletin_points()
    kinds = "；".join(
        f"{label} {points(bulletin[kind], signed=True)}" for kind, label in Bulletin.Kind.choices
    )
    return [
        (
            _("交办"),
            _("统计期间内交办给该部门（牵头）的问题数；被退回后改交他部门的，计入最终牵头部门。"),
        ),
        (
            _("响应率（按时对接率）"),
            _(
                "应对接：上述问题中已对接或3个工作日对接期限已过的问题；按时对接：在对接期限（交办次日起第3个工作日23:59，按法定节假日和调休计算）之前签收对接的问题。响应率 = 按时对接 ÷ 应对接。权重 %(w)d。"
            )
            % {"w": weight["contact"]},
        ),
        (
            _("办结率（按时办结率）"),
            _(
                "应办结：上述问题中已反馈或办结期限已过（挂起中的除外）的问题；按时办结：在办结期限（含批准的延期）之前反馈办理结果的问题。办结率 = 按时办结 ÷ 应办结。权重 %(w)d。"
            )
            % {"w": weight["reply"]},
        ),
        (
            _("解决率"),
            _(
                "上述问题中已反馈的，办理结果为“已解决”的比例；“政策障碍，已解释到位”算作已反馈、未解决。解决率 = 已解决 ÷ 已反馈。权重 %(w)d。"
            )
            % {"w": weight["resolve"]},
        ),
        (
            _("评价与满意率"),
            _(
                "统计期间内企业对该部门办理结果的评价（五级）。满意率 =（非常满意 + 满意 + 基本满意）÷ 计入评价数；经县委办裁定申诉成立的评价保留在记录中，但不计入。%(unrated)s权重 %(w)d。"
            )
            % {"unrated": _unrated_rule(rules), "w": weight["satisfaction"]},
        ),
        (
            _("践诺率"),
            _(
                "承诺期限在统计期间内的亮诺事项中，按期践诺 ÷（按期践诺 + 逾期践诺或已过期限未践诺）；期限未到且未践诺的不计。权重 %(w)d。"
            )
            % {"w": weight["commitment"]},
        ),
        (
            _("当前逾期"),
            _(
                "此刻已超过对接期限仍未对接、或已超过办结期限仍未反馈的问题（挂起的不算），不受统计期间限制。"
            ),
        ),
        (
            _("退回 / 重办"),
            _(
                "统计期间内该部门退回县委办的次数，每次扣 %(r)s 分；因企业不满意或县委办决定而重新办理的次数，其中因企业不满意评价而重办的每次扣 %(o)s 分（经申诉裁定不计入的评价不扣分）。"
            )
            % {"r": points(rules.deduction_return), "o": points(rules.deduction_reopen)},
        ),
        (_("延期"), _("统计期间内该部门申请延期的次数，及其中获批的次数。")),
        (
            _("奖惩"),
            _("统计期间内县委办对该单位发布的奖惩通报，每份计分：%(kinds)s。") % {"kinds": kinds},
        ),
        (
            _("综合得分与排名"),
            _(
                "综合得分 = 基础分 − 扣分 ± 奖惩分。基础分满分100分，为以上五项比率按权重加权；某项没有数据的，按其余各项的权重折算。乡镇（园区）、县直部门、垂管单位分别排名，得分相同时逾期少者在前。统计期间交办不足%(n)d件（样本太少）或没有任何数据的单位列出但不参与排名。各类红榜为前%(shown)d名，黑榜为后%(shown)d名。"
            )
            % {
                "n": rules.min_ranked if min_ranked is None else min_ranked,
                "shown": SHOWN_ON_EACH_LIST,
            }
            + rules_in_use(rules),
        ),
    ]
