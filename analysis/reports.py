"""What the office's period documents say: the 月报/季报 (the period report) and the 工作简报 (the
work bulletin). Each is computed once here and then rendered twice — as the printable page and as
the Word file (analysis.word_reports) — so the two can never disagree.

The report reads the same functions as the figures pages (evaluation, painpoints, metrics); the
bulletin picks from them what a one-page bulletin carries: the period's numbers, the cases closed
that the enterprise rated 非常满意 (with its words), the departments at the top and the bottom of
the ranking (红榜 and 黑榜), and the office's own text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis import charts, evaluation, metrics, painpoints, team_evaluation
from analysis.periods import Period
from cases.models import Case, Rating
from cases.roles import Actor
from cases.selectors import (
    cases_visible_to,
    taskforces_visible_to,
    visits_visible_to,
    work_calendar,
)
from cases.stats import in_range
from cases.visits import stale_after_days

ROWS_SHOWN = 10  # hotspots, recurring problems and long-open cases: a report page, not a ledger
CHANGES_SHOWN = 6  # categories compared with the previous period
NOTABLE_SHOWN = 5  # cases closed to the enterprise's great satisfaction, in the bulletin


# --- the period report (月报/季报) ----------------------------------------------------------------


@dataclass
class PeriodReport:
    period: Period
    generated_at: dt.datetime
    activity: metrics.Activity
    overview: metrics.Overview
    ranking: evaluation.Ranking
    totals: evaluation.Totals
    taskforces: list[team_evaluation.TeamRow]
    stale_days: int
    hotspots: list[painpoints.Hotspot]
    recurring: list[painpoints.Recurring]
    changes: painpoints.Changes | None
    longest: list[painpoints.LongOpen]
    definitions: list[tuple[str, str]]
    place: str = ""  # the county (or city) the report is of: its letterhead

    @property
    def departments(self) -> list[evaluation.DepartmentRow]:
        """The departments the report lists: ranked, or with something to show in the period."""
        return [r for r in self.ranking.rows if r.rank or r.stats.assigned or r.stats.overdue]

    @property
    def category_changes(self) -> list[painpoints.Change]:
        return self.changes.by_category[:CHANGES_SHOWN] if self.changes else []


def period_report(actor: Actor, period: Period, now: dt.datetime | None = None) -> PeriodReport:
    """Everything the 月报/季报 shows, over the cases the actor may see."""
    now = now or timezone.now()
    cases = cases_visible_to(actor)
    calendar = work_calendar(actor.county_id)
    ranking = evaluation.department_evaluation(cases, period, now=now, county_id=actor.county_id)
    taskforces = taskforces_visible_to(actor)
    recurring, _capped = painpoints.recurring(cases, period, limit=ROWS_SHOWN)
    return PeriodReport(
        period=period,
        generated_at=now,
        activity=metrics.period_activity(cases, period),
        overview=metrics.overview(cases, now, calendar),
        ranking=ranking,
        totals=evaluation.totals(ranking),
        taskforces=team_evaluation.taskforce_evaluation(
            taskforces, visits_visible_to(actor), cases, period, now=now
        ),
        stale_days=stale_after_days(),
        hotspots=painpoints.hotspots(cases, period, limit=ROWS_SHOWN),
        recurring=recurring,
        changes=painpoints.changes(cases, period),
        longest=painpoints.longest_open(cases, calendar, now=now, limit=ROWS_SHOWN),
        definitions=evaluation.definitions(ranking.rules, ranking.min_ranked),
        place=actor.letterhead_place,
    )


def report_charts(report: PeriodReport) -> list[charts.Chart]:
    """The charts of the Word report, drawn from the numbers its tables hold: the departments'
    workload, and where the period's new problems came from against the period before."""
    result = [_departments_chart(report.departments)]
    if report.changes:
        result += [
            _compared(
                "by-category", _("本期新发现问题（按类别）"), _("类别"), report.changes.by_category
            ),
            _compared(
                "by-industry", _("本期新发现问题（按行业）"), _("行业"), report.changes.by_industry
            ),
            _compared(
                "by-township",
                _("本期新发现问题（按乡镇/园区）"),
                _("乡镇/园区"),
                report.changes.by_township,
            ),
        ]
    return [chart for chart in result if chart.rows]


def _departments_chart(rows: list[evaluation.DepartmentRow]) -> charts.Chart:
    shown = sorted(rows, key=lambda r: (-r.stats.assigned, r.department.name))
    shown = [r for r in shown if r.stats.assigned or r.stats.overdue][: charts.CHART_ROWS]
    return charts.Chart(
        id="departments",
        title=_("各部门交办、按时办结与逾期"),
        kind="hbar",
        categories=[r.department.name for r in shown],
        series=[
            {"name": _("交办"), "data": [r.stats.assigned for r in shown], "state": "assigned"},
            {
                "name": _("按时办结"),
                "data": [r.stats.replied_on_time for r in shown],
                "state": "closed",
            },
            {"name": _("逾期"), "data": [r.stats.overdue for r in shown], "state": "overdue"},
        ],
        headers=[_("部门/单位"), _("交办"), _("按时办结"), _("逾期")],
        rows=[
            [r.department.name, r.stats.assigned, r.stats.replied_on_time, r.stats.overdue]
            for r in shown
        ],
    )


def _compared(
    chart_id: str, title: str, label: str, changes: list[painpoints.Change]
) -> charts.Chart:
    """This period's new problems per group beside the previous period's, largest first."""
    shown = sorted(changes, key=lambda c: (-c.current, -c.previous, c.label))[: charts.CHART_ROWS]
    return charts.Chart(
        id=chart_id,
        title=title,
        kind="hbar",
        categories=[c.label for c in shown],
        series=[
            {"name": _("本期"), "data": [c.current for c in shown], "state": "submitted"},
            {"name": _("上期"), "data": [c.previous for c in shown], "state": "merged"},
        ],
        headers=[label, _("本期"), _("上期"), _("增减")],
        rows=[[c.label, c.current, c.previous, c.delta] for c in shown],
    )


# --- the work bulletin (工作简报) -----------------------------------------------------------------


@dataclass
class Notable:
    """A case closed in the period that its enterprise rated 非常满意."""

    number: str
    title: str
    enterprise: str
    department: str
    closed_at: dt.datetime
    comment: str


@dataclass
class Bulletin:
    period: Period
    generated_at: dt.datetime
    activity: metrics.Activity
    overview: metrics.Overview
    totals: evaluation.Totals
    notable: list[Notable]
    best: list[evaluation.DepartmentRow]
    worst: list[evaluation.DepartmentRow]
    text: str = ""
    issue: int | None = None
    place: str = ""  # the county (or city) the bulletin is of: its letterhead
    paragraphs: list[str] = field(init=False)

    def __post_init__(self):
        self.paragraphs = [line.strip() for line in self.text.splitlines() if line.strip()]


def notable_cases(cases, period: Period, limit: int = NOTABLE_SHOWN) -> list[Notable]:
    """The cases closed (销号) in the period whose last rating is 非常满意, those the enterprise
    put in words first, the most recently closed first; one query."""
    very = Case.Rating.VERY_SATISFIED
    comment = (
        Rating.objects.filter(case=OuterRef("pk"), reply_round=OuterRef("reply_round"), level=very)
        .exclude(appeal=Rating.Appeal.UPHELD)
        .order_by("-created_at")
        .values("comment")[:1]
    )
    rows = (
        metrics.live(cases)
        .filter(
            in_range("closed_at", period.date_from, period.date_to),
            status=Case.Status.CLOSED,
            rating=very,
        )
        .annotate(comment=Coalesce(Subquery(comment), Value(""), output_field=TextField()))
        .annotate(
            said=ExpressionWrapper(~Q(comment=""), output_field=BooleanField()),
        )
        .order_by("-said", "-closed_at", "-pk")
        .values_list(
            "number", "title", "enterprise__name", "lead_department__name", "closed_at", "comment"
        )[:limit]
    )
    return [
        Notable(number, title, enterprise, department or metrics.UNSET, closed_at, comment)
        for number, title, enterprise, department, closed_at, comment in rows
    ]


def bulletin(
    actor: Actor,
    period: Period,
    *,
    text: str = "",
    issue: int | None = None,
    now: dt.datetime | None = None,
) -> Bulletin:
    """The 工作简报 of a period, with the office's own text."""
    now = now or timezone.now()
    cases = cases_visible_to(actor)
    ranking = evaluation.department_evaluation(cases, period, now=now, county_id=actor.county_id)
    return Bulletin(
        period=period,
        generated_at=now,
        activity=metrics.period_activity(cases, period),
        overview=metrics.overview(cases, now, work_calendar(actor.county_id)),
        totals=evaluation.totals(ranking),
        notable=notable_cases(cases, period),
        best=ranking.red,
        worst=ranking.black,
        text=text,
        issue=issue,
        place=actor.letterhead_place,
    )
