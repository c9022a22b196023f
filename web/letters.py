"""The 交办函 as the office and its department both read it: what it says, once, for the page
(templates/web/_assignment_letter.html) and for the Word file (web.docx).

The office reads a letter before it is issued (a draft without a number, dated the day its cases
were assigned) and after (its number, contact and issue date); the department only after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from cases.letters import letter_cases
from cases.models import AssignmentLetter, Case, Meeting
from enterprises.models import Department
from web.dates import weekday
from web.docx import Paper


@dataclass(frozen=True)
class LetterRow:
    """One case of the letter's table, as both the page and the Word file print it."""

    case: Case
    co_departments: str
    contact_due: str
    contact_weekday: str
    resolve_due: str


@dataclass(frozen=True)
class LetterContent:
    meeting: Meeting
    department: Department
    letter: AssignmentLetter | None  # None: not issued yet (the office's draft)
    rows: list[LetterRow]
    copied: list[str]
    dated: dt.date
    issuer: str
    opening: str
    rule: str

    @property
    def cases(self) -> list[Case]:
        return [row.case for row in self.rows]

    @property
    def number(self) -> str:
        return self.letter.number if self.letter else ""

    @property
    def contact(self) -> str:
        """县委办联系人 and phone, once issued."""
        if self.letter is None:
            return ""
        return _("县委办联系人：%(name)s　联系电话：%(phone)s") % {
            "name": self.letter.contact_name,
            "phone": self.letter.contact_phone or "—",
        }

    @property
    def footer(self) -> str:
        return f"{self.issuer} · {self.number}" if self.letter else self.issuer

    @property
    def receipt(self) -> str:
        """The 回执's one sentence: which letter the department has received."""
        return _("%(department)s已收到%(issuer)s交办函 %(number)s（%(count)s 个问题）。") % {
            "department": self.department.name,
            "issuer": self.issuer,
            "number": self.number,
            "count": len(self.rows),
        }

    @property
    def receipt_signed(self) -> str:
        """Who signed the 回执 and when — blanks to fill in by hand while it is unsigned."""
        letter, blank = self.letter, "＿" * 8
        signed = letter is not None and letter.signed
        return _("签收人：%(name)s　　签收日期：%(date)s") % {
            "name": signer_name(letter) if signed else blank,
            "date": long_date(letter.signed_at) if signed else blank,
        }


def letter_content(
    meeting: Meeting, department: Department, letter: AssignmentLetter | None = None
) -> LetterContent | None:
    """What the meeting's letter to the department says; None for a draft that would hand it no
    case. (An issued letter stays readable even if its cases have since gone elsewhere.)"""
    cases = list(letter_cases(meeting, department))
    if not cases and letter is None:
        return None
    if letter is not None:
        dated = timezone.localdate(letter.issued_at)
    else:
        dated = timezone.localdate(min(c.assigned_at for c in cases if c.assigned_at))
    return LetterContent(
        meeting=meeting,
        department=department,
        letter=letter,
        rows=[_row(case) for case in cases],
        copied=sorted({d.name for c in cases for d in c.co_departments.all()}),
        dated=dated,
        issuer=_("%(county)s“四进四问”工作领导小组办公室") % {"county": department.county.name},
        opening=_("经%(date)s%(title)s研究，现将以下 %(count)s 个企业问题交由你单位牵头办理。")
        % {"date": long_date(meeting.held_on), "title": meeting.title, "count": len(cases)},
        rule=_(
            "请你单位自收到本交办函之日起 %(days)s 个工作日内（期限开始之日不计算在内，遇法定节假日顺延）与企业对接沟通、协调处理，按照“工作项目化、项目责任化、责任清单化”的要求细化分解，做到有分解、有措施、有调度、有纪要、有反馈、有奖惩；在办结期限内将处理结果反馈相关企业，并同步函告县委办销号。有政策障碍、暂时无法解决的，要向企业解释到位。"
        )
        % {"days": settings.CONTACT_DEADLINE_WORKING_DAYS},
    )


def long_date(day: dt.date | dt.datetime) -> str:
    """2021年4月22日 (a letter's dates, in the pages' language)."""
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day)
    return dateformat.format(day, _("Y年n月j日"))


def _day(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else "—"


def _row(case: Case) -> LetterRow:
    return LetterRow(
        case=case,
        co_departments="、".join(d.name for d in case.co_departments.all()) or "—",
        contact_due=_day(case.contact_due_at),
        contact_weekday=weekday(case.contact_due_at) if case.contact_due_at else "",
        resolve_due=_day(case.resolve_due_at),
    )


def signer_name(letter: AssignmentLetter) -> str:
    user = letter.signed_by
    return (user.get_full_name() or user.get_username()) if user else ""


# --- the Word file -----------------------------------------------------------------------------


def letter_docx_response(content: LetterContent) -> HttpResponse:
    """The issued letter as a .docx: the page's letter, with the 回执 slip below a cut line."""
    letter = content.letter
    paper = Paper(
        issuer=content.issuer,
        title=_("“四进四问”企业问题交办函"),
        number=letter.number,
        footer=content.footer,
    )
    paper.paragraph(f"{content.department.name}：", indent=False, bold=True)
    paper.paragraph(content.opening)
    paper.paragraph(content.rule)
    paper.table(_table_header(), _table_rows(content), size=9)
    if content.copied:
        paper.paragraph(_("抄送：") + "、".join(content.copied), indent=False)
    paper.signature(content.issuer, _("（县委办代章）"), long_date(content.dated))
    paper.paragraph(content.contact, indent=False)
    _receipt_slip(paper, content)
    return paper.response(f"{letter.number} {content.department.name}.docx")


def _table_header() -> list[str]:
    return [
        _("序号"),
        _("编号"),
        _("企业"),
        _("问题"),
        _("协办单位"),
        _("对接期限"),
        _("办结期限"),
    ]


def _table_rows(content: LetterContent) -> list[list[str]]:
    rows = []
    for i, row in enumerate(content.rows, 1):
        case, enterprise = row.case, row.case.enterprise
        who = f"{enterprise.name}\n{enterprise.contact_name} {enterprise.contact_phone}".strip()
        problem = case.title + (f"\n{_truncate(case.description, 120)}" if case.description else "")
        rows.append(
            [
                str(i),
                case.number,
                who if enterprise.contact_name else enterprise.name,
                problem,
                row.co_departments,
                f"{row.contact_due}\n{row.contact_weekday}".strip(),
                row.resolve_due,
            ]
        )
    return rows


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _receipt_slip(paper: Paper, content: LetterContent) -> None:
    paper.cut_line(_("（沿此线剪下）"))
    paper.heading(_("回执"))
    paper.paragraph(content.receipt)
    paper.paragraph(content.receipt_signed, indent=False)
    if content.letter.receipt_note:
        paper.paragraph(_("说明：%(note)s") % {"note": content.letter.receipt_note}, indent=False)
