"""{{ value|short_date }}: "9月25日", or "2025年9月25日" for another year (web.dates.short_date);
{{ value|short_date:"time" }} adds the time: "9月25日 14:30". Nothing is shown for no value."""

from __future__ import annotations

import datetime as dt

from django import template

from web import dates

register = template.Library()


@register.filter
def short_date(value, arg: str = "") -> str:
    if arg not in ("", "time"):
        raise template.TemplateSyntaxError(f'short_date takes no argument or "time", not {arg!r}')
    if not isinstance(value, dt.date):
        return ""  # None or "" (a missing date), as Django's date filter shows it
    return dates.short_date(value, with_time=arg == "time" and isinstance(value, dt.datetime))
