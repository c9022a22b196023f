"""The ledgers (台账) as Excel: cases with filters, the evaluation, the pain points.

Each export reads only what its user may see (the same selectors as the pages). A case ledger
too long to write during a request becomes an ExportJob a worker writes; its page shows the
progress and, when ready, the download link — for the person who asked, and nobody else.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Iterator

from django.core.files import File
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.evaluation import Ranking
from analysis.excel import Percent, Sheet, write_workbook
from analysis.forms import LedgerFilterForm
from analysis.models import ExportJob
from analysis.painpoints import Changes, Hotspot, LongOpen, Matrix, Recurring
from analysis.periods import Period
from analysis.team_evaluation import TeamRow
from cases.deadlines import with_overdue
from cases.models import Case
from cases.roles import actor_for
from cases.selectors import cases_visible_to
from cases.visits import stale_after_days
from enterprises.models import Department, Enterprise
from web.replica import replica_reads

logger = logging.getLogger(__name__)

CHUNK = 2000


# --- the case ledger -----------------------------------------------------------------------------


def case_headers() -> list[str]:
    return [
        _("编号"),
        _("标题"),
        _("问题描述"),
        _("企业"),
        _("统一社会信用代码"),
        _("行业"),
        _("乡镇/园区"),
        _("类别"),
        _("来源"),
        _("交办批次"),
        _("状态"),
        _("牵头部门"),
        _("协办单位"),
        _("录入时间"),
        _("交办时间"),
        _("对接期限"),
        _("对接时间"),
        _("办结期限"),
        _("反馈时间"),
        _("办理结果"),
        _("评价"),
        _("销号时间"),
        _("是否逾期"),
        _("退回次数"),
        _("重办次数"),
    ]


CASE_WIDTHS = [
    12,
    36,
    40,
    30,
    22,
    14,
    12,
    12,
    10,
    10,
    10,
    18,
    24,
    17,
    17,
    17,
    17,
    17,
    17,
    16,
    12,
    17,
    8,
    8,
    8,
]
CASE_FIELDS = [
    "pk",
    "year",
    "sequence",
    "number",
    "title",
    "description",
    "enterprise__name",
    "enterprise__credit_code",
    "enterprise__industry",
    "enterprise__township__name",
    "category__name",
    "source",
    "batch",
    "status",
    "lead_department__name",
    "created_at",
    "assigned_at",
    "contact_due_at",
    "contacted_at",
    "resolve_due_at",
    "replied_at",
    "outcome",
    "rating",
    "closed_at",
    "overdue",
    "return_count",
    "reopen_count",
]


def case_rows(cases: QuerySet[Case], now: dt.datetime | None = None) -> Iterator[list]:
    """One ledger row per case, read CHUNK at a time: two queries per chunk (the cases, then the
    co-departments of the chunk), never one per case."""
    labels = {
        "industry": dict(Enterprise.Industry.choices),
        "source": dict(Case.Source.choices),
        "status": dict(Case.Status.choices),
        "outcome": dict(Case.Outcome.choices),
        "rating": dict(Case.Rating.choices),
    }
    ordered = with_overdue(cases, now).order_by("year", "sequence", "pk").values_list(*CASE_FIELDS)
    last_key = None
    yes, no = _("是"), _("否")
    through = Case.co_departments.through
    while True:
        chunk_qs = ordered
        if last_key is not None:
            year, sequence, pk = last_key
            chunk_qs = ordered.filter(
                Q(year__gt=year)
                | Q(year=year, sequence__gt=sequence)
                | Q(year=year, sequence=sequence, pk__gt=pk)
            )
        chunk = list(chunk_qs[:CHUNK])
        if not chunk:
            return
        co: dict[int, list[str]] = {}
        for case_id, name in (
            through.objects.filter(case_id__in=[row[0] for row in chunk])
            .order_by("department__name")
            .values_list("case_id", "department__name")
        ):
            co.setdefault(case_id, []).append(name)
        for row in chunk:
            values = dict(zip(CASE_FIELDS, row, strict=True))
            yield [
                values["number"],
                values["title"],
                values["description"],
                values["enterprise__name"],
                values["enterprise__credit_code"],
                str(labels["industry"].get(values["enterprise__industry"], "")),
                values["enterprise__township__name"] or "",
                values["category__name"],
                str(labels["source"].get(values["source"], "")),
                values["batch"],
                str(labels["status"].get(values["status"], "")),
                values["lead_department__name"] or "",
                "、".join(co.get(values["pk"], [])),
                values["created_at"],
                values["assigned_at"],
                values["contact_due_at"],
                values["contacted_at"],
                values["resolve_due_at"],
                values["replied_at"],
                str(labels["outcome"].get(values["outcome"], "")),
                str(labels["rating"].get(values["rating"], "")),
                values["closed_at"],
                yes if values["overdue"] else no,
                values["return_count"],
                values["reopen_count"],
            ]
        last_key = (chunk[-1][1], chunk[-1][2], chunk[-1][0])


def cases_sheet(cases: QuerySet[Case], now=None) -> Sheet:
    return Sheet(_("问题台账"), case_headers(), case_rows(cases, now), CASE_WIDTHS)


def write_cases(target, cases: QuerySet[Case], progress=None) -> int:
    return write_workbook(target, [cases_sheet(cases)], progress=progress)


# --- the evaluation ------------------------------------------------------------------------------


def _score(value: float | None) -> float | str:
    """A score in points, one decimal as on the page; blank when not scored."""
    return "" if value is None else round(value, 1)


def evaluation_sheets(
    ranking: Ranking, taskforces: list[TeamRow], cadres: list[TeamRow], period: Period, notes
) -> list[Sheet]:
    levels = [label for _value, label in Case.Rating.choices]
    department_rows = [
        [
            r.rank or "",
            r.department.name,
            r.stats.assigned,
            r.contact_due,
            r.stats.contacted_on_time,
            Percent(r.contact_rate),
            r.reply_due,
            r.stats.replied_on_time,
            Percent(r.reply_rate),
            r.replied,
            r.resolved,
            Percent(r.resolve_rate),
            r.stats.overdue,
            r.stats.returns,
            r.reopens,
            r.extensions,
            r.extensions_approved,
            *[r.stats.ratings[value] for value in Case.Rating.values],
            r.stats.rated,
            r.stats.excluded_ratings,
            r.deemed_satisfied,
            Percent(r.satisfaction_rate),
            r.commitments_kept,
            r.commitments_missed,
            Percent(r.commitment_rate),
            _score(r.base_score),
            -r.deductions if r.deductions else 0,
            r.bulletin_points,
            _score(r.score),
            str(Department.AssessmentGroup(r.group).label),
        ]
        for r in ranking.rows
    ]
    department_headers = [
        _("排名"),
        _("部门/单位"),
        _("交办"),
        _("应对接"),
        _("按时对接"),
        _("按时对接率"),
        _("应办结"),
        _("按时办结"),
        _("按时办结率"),
        _("已反馈"),
        _("已解决"),
        _("解决率"),
        _("当前逾期"),
        _("退回"),
        _("重办"),
        _("申请延期"),
        _("批准延期"),
        *levels,
        _("计入评价"),
        _("申诉成立（不计入）"),
        _("未评价视为满意"),
        _("满意率"),
        _("按期践诺"),
        _("未按期践诺"),
        _("践诺率"),
        _("基础分"),
        _("扣分"),
        _("奖惩加减分"),
        _("综合得分"),
        _("考核类别"),
    ]
    stale_header = _("%(days)d天未走访企业") % {"days": stale_after_days()}
    team_headers = [
        _("专班"),
        _("类型"),
        _("包干企业"),
        _("走访次数"),
        _("发现问题"),
        stale_header,
        _("在办问题"),
        _("当前逾期"),
    ]
    cadre_headers = [
        _("结对干部"),
        _("所在专班"),
        _("包干企业"),
        _("走访次数"),
        _("发现问题"),
        stale_header,
    ]
    return [
        Sheet(
            _("部门考核"),
            department_headers,
            department_rows,
            [6, 24] + [10] * (len(department_headers) - 2),
            notes=[_("统计期间：%(period)s") % {"period": period.label}, *notes],
        ),
        Sheet(
            _("专班"),
            team_headers,
            [
                [t.name, t.detail, t.enterprises, t.visits, t.problems, t.stale, t.open, t.overdue]
                for t in taskforces
            ],
            [24, 14, 10, 10, 10, 14, 10, 10],
        ),
        Sheet(
            _("结对干部"),
            cadre_headers,
            [[c.name, c.detail, c.enterprises, c.visits, c.problems, c.stale] for c in cadres],
            [16, 30, 10, 10, 10, 14],
        ),
    ]


# --- the pain points -------------------------------------------------------------------------------


def painpoint_sheets(
    hotspots: list[Hotspot],
    grid: Matrix,
    groups: list[Recurring],
    longest: list[LongOpen],
    changes: Changes | None,
    period: Period,
) -> list[Sheet]:
    sheets = [
        Sheet(
            _("高发领域"),
            [_("类别"), _("行业"), _("乡镇/园区"), _("问题数"), _("其中未办结")],
            [[h.category, h.industry, h.township, h.count, h.open] for h in hotspots],
            [14, 16, 14, 10, 10],
            notes=[_("统计期间：%(period)s") % {"period": period.label}],
        ),
        Sheet(
            _("类别×行业"),
            [_("类别"), *grid.industries, _("合计")],
            [[category, *cells, total] for category, cells, total in grid.rows],
            [14] + [12] * (len(grid.industries) + 1),
        ),
        Sheet(
            _("共性问题"),
            [
                _("问题"),
                _("类别"),
                _("涉及企业"),
                _("问题数"),
                _("未办结"),
                _("相近表述"),
                _("涉及企业名单"),
            ],
            [
                [
                    g.title,
                    g.category,
                    g.enterprises,
                    g.cases,
                    g.open,
                    "；".join(g.other_titles),
                    "、".join(sorted({m.enterprise for m in g.members})),
                ]
                for g in groups
            ],
            [36, 12, 10, 10, 10, 40, 50],
        ),
        Sheet(
            _("久拖未决"),
            [
                _("编号"),
                _("标题"),
                _("企业"),
                _("状态"),
                _("牵头部门"),
                _("起始日期"),
                _("已历时（工作日）"),
                _("已历时（自然日）"),
            ],
            [
                [
                    o.case.number,
                    o.case.title,
                    o.case.enterprise.name,
                    o.case.get_status_display(),
                    o.case.lead_department.name if o.case.lead_department else "",
                    o.since,
                    o.working_days,
                    o.days,
                ]
                for o in longest
            ],
            [12, 36, 30, 10, 18, 12, 14, 14],
        ),
    ]
    if changes is not None:
        rows = [[_("总体"), c.label, c.current, c.previous, c.delta] for c in changes.totals]
        for dimension, items in (
            (_("类别"), changes.by_category),
            (_("行业"), changes.by_industry),
            (_("乡镇/园区"), changes.by_township),
        ):
            rows += [[dimension, c.label, c.current, c.previous, c.delta] for c in items]
        sheets.append(
            Sheet(
                _("环比变化"),
                [_("维度"), _("项目"), period.label, changes.previous.label, _("增减")],
                rows,
                [12, 20, 16, 16, 10],
            )
        )
    return sheets


# --- large exports, written by a worker ------------------------------------------------------------


def export_job_run(*, job_id: int) -> ExportJob:
    """Write the job's ledger with the filters it was asked with, over what its owner may see now."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING
    )
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if claimed != 1:
        return job
    owner = actor_for(job.created_by)
    form = LedgerFilterForm(job.params, actor=owner)

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    try:
        # The cases come from the replica when there is one (web.replica); the job's rows, and
        # the file, are written to the primary as always.
        with replica_reads(), tempfile.TemporaryFile() as scratch:
            cases = form.apply(cases_visible_to(owner))
            ExportJob.objects.filter(pk=job.pk).update(total_rows=cases.count())
            written = write_cases(scratch, cases, progress=progress)
            scratch.seek(0)
            job.file.save(job.filename or "cases.xlsx", File(scratch), save=False)
    except Exception as error:
        logger.exception("export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        file=job.file.name,
        total_rows=written,
        processed_rows=written,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def export_job_fail(*, job_id: int, message: str) -> None:
    ExportJob.objects.filter(
        pk=job_id, status__in=[ExportJob.Status.PENDING, ExportJob.Status.RUNNING]
    ).update(status=ExportJob.Status.FAILED, error=message[:500], finished_at=timezone.now())
