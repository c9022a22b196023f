"""Reading a year's holiday schedule as the office types or pastes it from the State Council's notice
(the admin's "导入放假安排"), one line a day or a run of days:

    2027-01-01 休 元旦
    2027-02-05 至 2027-02-12 休 春节
    2027-02-14 班 春节调休上班

Every line is checked before anything is saved; a refusal names the line.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.calendar import Entry
from cases.validators import FIRST_YEAR, LAST_YEAR, in_calendar, validate_single_line
from counties.models import County

MAX_RUN = 31  # days in one line: a longer run is a typo, not a holiday
NOTE_MAX = 100

_DAY = r"(\d{4}-\d{1,2}-\d{1,2})"
_LINE = re.compile(rf"^{_DAY}(?:\s*(?:至|到|~|～|—)\s*{_DAY})?\s+(\S+)(?:\s+(.+))?$")
_KINDS = {
    "休": False,
    "休息": False,
    "放假": False,
    "holiday": False,
    "off": False,
    "班": True,
    "上班": True,
    "workday": True,
    "work": True,
}


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        return None


def _read_line(number: int, line: str) -> list[Entry]:
    try:
        validate_single_line(line)
    except ValidationError as error:
        raise ValidationError(
            _("第 %(line)d 行：%(problem)s") % {"line": number, "problem": error.messages[0]}
        ) from None
    match = _LINE.match(line)
    if match is None or match[3].lower() not in _KINDS:
        raise ValidationError(
            _(
                "第 %(line)d 行看不懂：“%(text)s”。请写成“2027-02-05 至 2027-02-12 休 春节”或“2027-02-14 班”。"
            )
            % {"line": number, "text": line}
        )
    first, last = _day(match[1]), _day(match[2] or match[1])
    if first is None or last is None:
        raise ValidationError(_("第 %(line)d 行的日期不存在。") % {"line": number})
    if not (in_calendar(first) and in_calendar(last)):
        raise ValidationError(
            _("第 %(line)d 行：日期须在 %(first)d 年至 %(last)d 年之间。")
            % {"line": number, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if not 0 <= (last - first).days < MAX_RUN:
        raise ValidationError(
            _("第 %(line)d 行：结束日期须不早于开始日期，且一行最多 %(days)d 天。")
            % {"line": number, "days": MAX_RUN}
        )
    note = (match[4] or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            _("第 %(line)d 行：说明最多 %(max)d 个字。") % {"line": number, "max": NOTE_MAX}
        )
    working = _KINDS[match[3].lower()]
    return [
        Entry(first + dt.timedelta(days=i), working, note) for i in range((last - first).days + 1)
    ]


def read_schedule(text: str) -> list[Entry]:
    """The days of the schedule, or a ValidationError listing every line that is wrong."""
    entries: dict[dt.date, tuple[int, Entry]] = {}
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            days = _read_line(number, line)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        for entry in days:
            if entry.date in entries:
                errors.append(
                    _("第 %(line)d 行：%(date)s 已在第 %(other)d 行写过。")
                    % {"line": number, "date": entry.date, "other": entries[entry.date][0]}
                )
            else:
                entries[entry.date] = (number, entry)
    if errors:
        raise ValidationError(errors)
    if not entries:
        raise ValidationError(_("请至少填写一天。"))
    return [entry for _number, entry in entries.values()]


class ScheduleImportForm(forms.Form):
    county = forms.ModelChoiceField(
        queryset=County.objects.select_related("city"),
        required=False,
        label=gettext_lazy("县（区）"),
        empty_label=gettext_lazy("全部县（区）"),
        help_text=gettext_lazy(
            "国务院的放假安排对全部县（区）有效；选择一个县（区）则只录入该县（区）自己的日子，"
            "它们在该县（区）优先于全部县（区）的安排。"
        ),
    )
    schedule = forms.CharField(
        label=gettext_lazy("放假安排"),
        widget=forms.Textarea(attrs={"rows": 16, "cols": 60}),
        help_text=gettext_lazy(
            "每行一天或一段：日期（或“开始日期 至 结束日期”）、“休”或“班”、说明（可不填）。"
            "已录入的日期将被覆盖。"
        ),
    )

    def clean_schedule(self) -> list[Entry]:
        return read_schedule(self.cleaned_data["schedule"])
