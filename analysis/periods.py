"""The periods figures are counted over: a month, a quarter, a year, or any range of local dates.

Both ends are included, as in cases.stats; no end means "up to now", no start "since the first
case". The previous period is the one of the same shape just before (last month, last quarter),
or, for a custom range, the same number of days before it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.validators import FIRST_YEAR, LAST_YEAR


@dataclass(frozen=True)
class Period:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str = "custom"  # month, quarter, year, custom

    @property
    def is_all(self) -> bool:
        return self.date_from is None and self.date_to is None

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("%(year)d年%(month)d月") % {
                "year": self.date_from.year,
                "month": self.date_from.month,
            }
        if self.kind == "quarter":
            return _("%(year)d年第%(quarter)d季度") % {
                "year": self.date_from.year,
                "quarter": (self.date_from.month - 1) // 3 + 1,
            }
        if self.kind == "year":
            return _("%(year)d年") % {"year": self.date_from.year}
        if self.is_all:
            return _("全部时间")
        start = self.date_from.isoformat() if self.date_from else "…"
        end = self.date_to.isoformat() if self.date_to else _("至今")
        return f"{start} — {end}"

    @property
    def shorthand(self) -> str:
        """'2021-04', '2021Q2', '2021' — what parse_shorthand reads back; '' for a custom range."""
        if self.kind == "month":
            return f"{self.date_from:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.date_from.year}Q{(self.date_from.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.date_from.year)
        return ALL if self.is_all else ""

    @property
    def query(self) -> dict[str, str]:
        """The GET parameters that select this period again."""
        if self.is_all:
            return {"period": ALL}
        params = {}
        if self.date_from:
            params["date_from"] = self.date_from.isoformat()
        if self.date_to:
            params["date_to"] = self.date_to.isoformat()
        return params

    def dates(self, field: str) -> Q:
        """The rows whose date `field` falls in the period (either end may be open); datetimes
        are read by local day with cases.stats.in_range."""
        q = Q()
        if self.date_from:
            q &= Q(**{f"{field}__gte": self.date_from})
        if self.date_to:
            q &= Q(**{f"{field}__lte": self.date_to})
        return q

    def end_or(self, today: dt.date) -> dt.date:
        """The last day counted: the period's end, or today for an open or future end."""
        return min(self.date_to, today) if self.date_to else today

    def previous(self) -> Period | None:
        if self.kind == "month":
            end = self.date_from - dt.timedelta(days=1)
            return month(end.year, end.month)
        if self.kind == "quarter":
            end = self.date_from - dt.timedelta(days=1)
            return quarter(end.year, (end.month - 1) // 3 + 1)
        if self.kind == "year":
            return year(self.date_from.year - 1)
        if self.date_from and self.date_to:
            days = (self.date_to - self.date_from).days + 1
            end = self.date_from - dt.timedelta(days=1)
            return Period(end - dt.timedelta(days=days - 1), end)
        return None


def month(y: int, m: int) -> Period:
    start = dt.date(y, m, 1)
    following = dt.date(y + (m == 12), m % 12 + 1, 1)
    return Period(start, following - dt.timedelta(days=1), "month")


def quarter(y: int, q: int) -> Period:
    start = dt.date(y, 3 * (q - 1) + 1, 1)
    following = dt.date(y + (q == 4), (3 * q) % 12 + 1, 1)
    return Period(start, following - dt.timedelta(days=1), "quarter")


def year(y: int) -> Period:
    return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), "year")


def of_range(date_from: dt.date | None, date_to: dt.date | None) -> Period:
    """A range entered by hand is recognised as a month, quarter or year when it is exactly one."""
    if date_from and date_to:
        for candidate in (
            month(date_from.year, date_from.month),
            quarter(date_from.year, (date_from.month - 1) // 3 + 1),
            year(date_from.year),
        ):
            if (candidate.date_from, candidate.date_to) == (date_from, date_to):
                return candidate
    return Period(date_from, date_to)


ALL = "all"
_SHORTHAND = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})|[Qq](?P<q>[1-4]))?$")


def parse_shorthand(text: str) -> Period | None:
    """'2021-04' → April 2021, '2021Q2' → its second quarter, '2021' → the year, 'all' → all
    time; else None."""
    if (text or "").strip().lower() == ALL:
        return Period()
    found = _SHORTHAND.match((text or "").strip())
    if not found:
        return None
    y = int(found["y"])
    if not FIRST_YEAR <= y <= LAST_YEAR:
        return None  # the product's dates (cases.validators); 9999-12 would overflow
    if found["m"]:
        m = int(found["m"])
        return month(y, m) if 1 <= m <= 12 else None
    if found["q"]:
        return quarter(y, int(found["q"]))
    return year(y)


def presets(today: dt.date | None = None) -> list[tuple[str, Period]]:
    """The quick choices every period form offers."""
    today = today or timezone.localdate()
    this_month = month(today.year, today.month)
    this_quarter = quarter(today.year, (today.month - 1) // 3 + 1)
    return [
        (_("本月"), this_month),
        (_("上月"), this_month.previous()),
        (_("本季度"), this_quarter),
        (_("上季度"), this_quarter.previous()),
        (_("本年"), year(today.year)),
        (_("全部"), Period()),
    ]


def recent_months(today: dt.date, count: int = 12) -> list[Period]:
    """This month and the ones before it, newest first: the 月报 one may ask for."""
    result, current = [], month(today.year, today.month)
    for _i in range(count):
        result.append(current)
        current = current.previous()
    return result


def recent_quarters(today: dt.date, count: int = 8) -> list[Period]:
    """This quarter and the ones before it, newest first: the 季报 one may ask for."""
    result, current = [], quarter(today.year, (today.month - 1) // 3 + 1)
    for _i in range(count):
        result.append(current)
        current = current.previous()
    return result
