"""The 督办单 as the office and its department both read it: what it says, once, for the printable
page (templates/web/_supervision_notice.html) and for the Word file (web.docx).

The deadline state of each case is the one at the moment it is printed or downloaded: the notice
presses on cases that are still open, and the paper shows how late they stand now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from cases.models import SupervisionNotice
from cases.supervision_notices import NoticeCase, notice_cases, notice_number
from cases.workdays import WorkCalendar
from web.docx import Paper

# The lines left for a handwritten answer on a notice not answered yet.
BLANK_ANSWER_LINES = 6


@dataclass(frozen=True)
class NoticePaper:
    notice: SupervisionNotice
    number: str
    issuer: str
    title: str
    addressee: str
    opening: str
    rows: list[NoticeCase]
    reply_rule: str
    answered_line: str  # who answered and when; "" while unanswered
    issued_on: str


def notice_paper(
    notice: SupervisionNotice, *, now: dt.datetime, calendar: WorkCalendar
) -> NoticePaper:
    """What the notice says, its cases' deadlines as they stand at `now`."""
    rows = notice_cases(notice, now, calendar)
    answered_line = ""
    if notice.answered:
        user = notice.answered_by
        answered_line = _("回复人：%(name)s　回复时间：%(date)s") % {
            "name": (user.get_full_name() or user.get_username()) if user else "—",
            "date": long_date(notice.answered_at),
        }
    return NoticePaper(
        notice=notice,
        number=notice_number(notice),
        issuer=_("%(county)s“四进四问”工作领导小组办公室")
        % {"county": notice.department.county.name},
        title=_("“四进四问”督办单"),
        addressee=f"{notice.department.name}：",
        opening=_("你单位牵头或协办的以下 %(count)s 个企业问题，现予督办。") % {"count": len(rows)},
        rows=rows,
        reply_rule=_(
            "请于%(day)s前（自开具之日起 %(days)s 个工作日，期限开始之日不计算在内，遇法定节假日顺延）将督办事项的落实情况书面回复县委办。"
        )
        % {"day": long_date(notice.reply_by), "days": notice.reply_working_days},
        answered_line=answered_line,
        issued_on=long_date(notice.issued_at),
    )


def long_date(day: dt.date | dt.datetime) -> str:
    """2026年5月11日 (a paper's dates, in the pages' language)."""
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day)
    return dateformat.format(day, _("Y年n月j日"))


def table_header() -> list[str]:
    return [_("序号"), _("编号"), _("问题"), _("企业"), _("期限情况")]


def table_rows(paper: NoticePaper) -> list[list[str]]:
    return [
        [str(i), row.case.number, row.case.title, row.case.enterprise.name, row.state]
        for i, row in enumerate(paper.rows, 1)
    ]


# --- the Word file -----------------------------------------------------------------------------


def notice_docx_response(paper: NoticePaper) -> HttpResponse:
    """The notice as a .docx: the printed page's text, with the answer or room for it."""
    notice = paper.notice
    doc = Paper(
        issuer=paper.issuer,
        title=paper.title,
        number=paper.number,
        footer=f"{paper.issuer} · {paper.number}",
    )
    doc.paragraph(paper.addressee, indent=False, bold=True)
    doc.paragraph(paper.opening)
    doc.table(table_header(), table_rows(paper))
    doc.paragraph(_("督办事项："), indent=False, bold=True)
    for line in notice.text.splitlines() or [""]:
        doc.paragraph(line)
    doc.paragraph(paper.reply_rule)
    doc.signature(paper.issuer, _("（县委办代章）"), paper.issued_on)
    doc.cut_line(_("（以下由责任单位填写）"))
    doc.heading(_("书面回复"))
    if notice.answered:
        for line in notice.answer.splitlines():
            doc.paragraph(line)
        doc.paragraph(paper.answered_line, indent=False)
    else:
        for _line in range(BLANK_ANSWER_LINES):
            doc.paragraph("＿" * 30, indent=False)
        doc.paragraph(_("回复人：＿＿＿＿＿＿　回复时间：＿＿＿＿＿＿"), indent=False)
    return doc.response(f"{paper.number} {notice.department.name}.docx")
