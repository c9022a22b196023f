"""Short dates on the pages and in messages: "9月25日" for a day of this year, "2025年9月25日" for a
day of another year, so a date from last December is not read as this December's.

"This year" is Beijing's (cases.workdays.CHINA, the settings' TIME_ZONE), and a datetime is turned
into Beijing's time before its day is taken: 2025-12-31 17:00 UTC is 1 January 2026 in Beijing. The
formats go through gettext, so the English pages say "Sep 25" and "Sep 25, 2025".
"""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cases.workdays import CHINA, local_date


def short_date(
    value: dt.date | dt.datetime, *, with_time: bool = False, today: dt.date | None = None
) -> str:
    """The day (and with_time, the hour and minute) of value, with its year only when that is
    not the year of today (default: today in Beijing)."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(CHINA)
        day = value.date()
    elif isinstance(value, dt.date):
        if with_time:
            raise TypeError(f"short_date: a date has no time to show: {value!r}")
        day = value
    else:
        raise TypeError(f"short_date needs a date or a datetime, not {type(value).__name__}")
    today = today or local_date(timezone.now())
    if day.year == today.year:
        fmt = (
            pgettext("short date", "n月j日 H:i") if with_time else pgettext("short date", "n月j日")
        )
    else:
        fmt = (
            pgettext("short date", "Y年n月j日 H:i")
            if with_time
            else pgettext("short date", "Y年n月j日")
        )
    return dateformat.format(value, fmt)


def weekday(moment: dt.date | dt.datetime) -> str:
    """星期一 … 星期日 of a date, or of a datetime's day in Beijing."""
    names = [
        _("星期一"),
        _("星期二"),
        _("星期三"),
        _("星期四"),
        _("星期五"),
        _("星期六"),
        _("星期日"),
    ]
    if isinstance(moment, dt.datetime) and timezone.is_aware(moment):
        moment = moment.astimezone(CHINA)
    return names[moment.weekday()]
