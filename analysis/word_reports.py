"""The 月报/季报 and the 工作简报 as Word files: what analysis.reports computed, in the order and
the words of their printable pages (analysis/report.html, analysis/bulletin.html), with the
report's charts as pictures (analysis.drawing) — or, on a machine without a Chinese font, as
tables of the same numbers with a note saying why.
"""

from __future__ import annotations

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from docx.shared import Pt

from analysis import drawing, word
from analysis.charts import Chart
from analysis.reports import Bulletin, PeriodReport, report_charts
from analysis.templatetags.analysis_tags import pct, score, signed

NONE = "—"


def _office(place: str) -> str:
    return _("%(county)s“四进四问”工作领导小组办公室") % {"county": place}


def _day(moment) -> str:
    return dateformat.format(timezone.localtime(moment), _("Y年n月j日"))


def _sentences(*parts: str) -> str:
    """Sentences run on: Chinese ones end in 。 and need no space, English ones do."""
    return "".join(p if p.endswith("。") else f"{p} " for p in parts).strip()


def summary(figures) -> list[str]:
    """The period's numbers in the report's own sentences (a report and a bulletin alike): what
    happened in the period, then where things stand now."""
    activity, totals, overview = figures.activity, figures.totals, figures.overview
    period = _sentences(
        _("本期新发现问题 %(new)s 件，交办 %(assigned)s 件，销号 %(closed)s 件。")
        % {"new": activity.new, "assigned": activity.assigned, "closed": activity.closed},
        _("按时对接 %(c)s/%(cd)s（%(cr)s），按时办结 %(r)s/%(rd)s（%(rr)s）。")
        % {
            "c": totals.contacted_on_time,
            "cd": totals.contact_due,
            "cr": pct(totals.contact_rate),
            "r": totals.replied_on_time,
            "rd": totals.reply_due,
            "rr": pct(totals.reply_rate),
        },
        _("企业评价 %(n)s 次，满意率 %(s)s（另有 %(x)s 次评价经申诉裁定不计入）。")
        % {
            "n": totals.rated,
            "s": pct(totals.satisfaction_rate),
            "x": totals.excluded_ratings,
        },
    )
    now = _(
        "截至目前：未办结 %(open)s 件，其中逾期 %(overdue)s 件、挂牌督办 %(listed)s 件，已反馈待销号 %(replied)s 件。"
    ) % {
        "open": overview.open,
        "overdue": overview.overdue,
        "listed": overview.listed,
        "replied": overview.replied,
    }
    return [period, now]


# --- the period report ---------------------------------------------------------------------------


class _Figures:
    """Numbers the charts one after another (图1, 图2 …) and draws them, or tables them."""

    def __init__(self, document):
        self.document = document
        self.count = 0
        self.explained = False

    def add(self, chart: Chart) -> None:
        self.count += 1
        word.caption(
            self.document, _("图%(n)d　%(title)s") % {"n": self.count, "title": chart.title}
        )
        if drawing.can_draw():
            word.picture(self.document, drawing.png(chart))
            return
        if not self.explained:
            word.note(
                self.document, _("（本机未安装中文字体，无法绘制图表，以下以表格列出图中数据。）")
            )
            self.explained = True
        word.table(self.document, chart.headers, chart.rows)


def report_document(report: PeriodReport):
    """The 月报/季报 as a python-docx Document."""
    document = word.new_document()
    word.title(
        document,
        _("%(county)s“四进四问”企业问题办理情况报告") % {"county": report.place},
    )
    word.centred(document, report.period.label)
    word.centred(
        document,
        _("%(county)s“四进四问”工作领导小组办公室 · 生成于 %(at)s")
        % {
            "county": report.place,
            "at": timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M"),
        },
        font=word.TABLE_FONT,
        size=word.TABLE_SIZE,
    )
    charts = {chart.id: chart for chart in report_charts(report)}
    figures = _Figures(document)

    word.heading(document, _("一、总体情况"))
    for text in summary(report):
        word.paragraph(document, text)

    word.heading(document, _("二、部门考核"))
    word.table(document, *_departments(report), numeric_from=2)
    if "departments" in charts:
        figures.add(charts["departments"])

    word.heading(document, _("三、专班走访"))
    word.table(
        document,
        [
            _("专班"),
            _("包干企业"),
            _("走访"),
            _("发现问题"),
            _("%(stale_days)s天未走访") % {"stale_days": report.stale_days},
            _("逾期"),
        ],
        [
            [t.name, t.enterprises, t.visits, t.problems, t.stale, t.overdue]
            for t in report.taskforces
        ],
    )

    word.heading(document, _("四、症结和痛点"))
    _painpoints(document, report)
    for chart_id in ("by-category", "by-industry", "by-township"):
        if chart_id in charts:
            figures.add(charts[chart_id])

    word.heading(document, _("五、久拖未决的问题"))
    word.table(
        document,
        [_("编号"), _("问题"), _("牵头部门"), _("已历时（工作日）")],
        _or_dash(
            [
                [
                    o.case.number,
                    f"{o.case.title}（{o.case.enterprise.name}）",
                    o.case.lead_department.name if o.case.lead_department else NONE,
                    o.working_days,
                ]
                for o in report.longest
            ],
            4,
        ),
        numeric_from=3,
    )

    word.heading(document, _("附：指标口径"))
    for term, text in report.definitions:
        paragraph = word.note(document, "")
        word.set_font(paragraph.add_run(f"{term}："), word.TABLE_FONT, word.TABLE_SIZE, bold=True)
        word.set_font(paragraph.add_run(text), word.TABLE_FONT, word.TABLE_SIZE)
    return document


def _departments(report: PeriodReport) -> tuple[list[str], list[list]]:
    headers = [
        _("排名"),
        _("部门/单位"),
        _("交办"),
        _("按时对接"),
        _("按时办结"),
        _("逾期"),
        _("退回"),
        _("重办"),
        _("满意率"),
        _("得分"),
    ]
    rows = [
        [
            r.rank or NONE,
            r.department.name,
            r.stats.assigned,
            pct(r.contact_rate),
            pct(r.reply_rate),
            r.stats.overdue,
            r.stats.returns,
            r.reopens,
            pct(r.satisfaction_rate),
            score(r.score),
        ]
        for r in report.departments
    ]
    return headers, rows


def _or_dash(rows: list[list], columns: int) -> list[list]:
    """An empty table says so with a dash, as the page does."""
    return rows or [[NONE] + [""] * (columns - 1)]


def _painpoints(document, report: PeriodReport) -> None:
    word.heading(document, _("问题最集中的领域"), level=2)
    word.table(
        document,
        [_("类别"), _("行业"), _("乡镇/园区"), _("问题数")],
        _or_dash([[h.category, h.industry, h.township, h.count] for h in report.hotspots], 4),
        numeric_from=3,
    )
    word.heading(document, _("多家企业反映的共性问题"), level=2)
    word.table(
        document,
        [_("问题"), _("类别"), _("涉及企业"), _("未办结")],
        _or_dash([[g.title, g.category, g.enterprises, g.open] for g in report.recurring], 4),
        numeric_from=2,
    )
    if report.changes:
        word.heading(
            document,
            _("与上期（%(p)s）相比") % {"p": report.changes.previous.label},
            level=2,
        )
        rows = [
            [c.label, c.current, c.previous, signed(c.delta)]
            for c in [*report.changes.totals, *report.category_changes]
        ]
        word.table(document, ["", _("本期"), _("上期"), _("增减")], rows)


def report_filename(report: PeriodReport) -> str:
    return _("问题办理情况报告_%(period)s.docx") % {"period": report.period.label}


# --- the work bulletin ---------------------------------------------------------------------------


def bulletin_title(bulletin: Bulletin) -> str:
    return _("%(period)s企业问题办理情况") % {"period": bulletin.period.label}


def bulletin_document(bulletin: Bulletin):
    """The 工作简报 as a python-docx Document: the masthead in red, the office's text, then the
    period's numbers, its best-rated cases and the departments at either end of the ranking."""
    document = word.new_document()
    word.title(document, _("“四进四问”工作简报"), size=Pt(30), colour=word.RED)
    if bulletin.issue:
        word.centred(document, _("第%(n)s期") % {"n": bulletin.issue})
    word.centred(
        document,
        f"{_office(bulletin.place)}　　{_day(bulletin.generated_at)}",
        font=word.BODY_FONT,
        size=Pt(14),
    )
    word.rule(document)
    word.title(document, bulletin_title(bulletin), size=Pt(18)).paragraph_format.space_before = Pt(
        12
    )
    for text in bulletin.paragraphs:
        word.paragraph(document, text)

    word.heading(document, _("一、本期数据"))
    for text in summary(bulletin):
        word.paragraph(document, text)

    word.heading(document, _("二、办结典型"))
    if not bulletin.notable:
        word.paragraph(document, _("本期没有企业评价为“非常满意”的销号问题。"))
    for n, case in enumerate(bulletin.notable, start=1):
        word.paragraph(document, notable_text(n, case))

    word.heading(document, _("三、部门办理情况"))
    for text in standings(bulletin):
        word.paragraph(document, text)
    return document


def notable_text(n: int, case) -> str:
    text = _(
        "（%(n)s）%(title)s（%(enterprise)s，%(number)s）：%(department)s牵头办理，%(day)s销号。"
    ) % {
        "n": n,
        "title": case.title,
        "enterprise": case.enterprise,
        "number": case.number,
        "department": case.department,
        "day": _day(case.closed_at),
    }
    if case.comment:
        text += _("企业评价：“%(comment)s”") % {"comment": case.comment}
    return text


def standings(bulletin: Bulletin) -> list[str]:
    """红榜 and 黑榜 in a sentence each, or why there are none."""
    if not bulletin.best:
        return [_("本期参与排名的部门不足，暂不列出红黑榜。")]

    def named(rows) -> str:
        return _("、").join(
            _("%(name)s（得分 %(score)s）") % {"name": r.department.name, "score": score(r.score)}
            for r in rows
        )

    return [
        _("综合得分靠前的部门（红榜）：%(names)s。") % {"names": named(bulletin.best)},
        _("综合得分靠后的部门（黑榜）：%(names)s。") % {"names": named(bulletin.worst)},
    ]


def bulletin_filename(bulletin: Bulletin) -> str:
    return _("工作简报_%(period)s.docx") % {"period": bulletin.period.label}
