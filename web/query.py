"""Reading a request's parameters — dates, ids, whole numbers, search words, where to go back to —
by one set of rules, for every view.

A view asks for the value it needs, `date_param(request.GET, "assigned_on")`, and gets it, or the
default when the parameter is absent or blank. Anything else is refused with BadQuery: a 400 whose
message names the parameter (web.views.bad_request shows it), instead of a guess, or a 500 from
deeper down — int("abc"), 2026-02-30, a NUL that PostgreSQL cannot store, a year the working-day
clock cannot count.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import NON_FIELD_ERRORS, BadRequest, ValidationError
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cases.validators import validate_calendar_day, without_controls

MAX_ID = 2**63 - 1  # PostgreSQL's BIGINT: a larger id fails in the database, not here
SEARCH_MAX_LENGTH = 100
_SPACES = re.compile(r"\s+")


class BadQuery(BadRequest):
    """A parameter that cannot be read. Django answers 400 (config.urls' handler400)."""

    def __init__(self, name: str, problem: str):
        self.name = name
        self.problem = str(problem)
        super().__init__(
            _("参数“%(name)s”有误：%(problem)s") % {"name": name, "problem": self.problem}
        )


def _raw(data, name: str) -> str | None:
    value = data.get(name)
    if value is None or not str(value).strip():
        return None
    return str(value).strip()


def date_param(data, name: str, *, default: dt.date | None = None) -> dt.date | None:
    """A day written YYYY-MM-DD, within the product's range of dates (2000–2099)."""
    raw = _raw(data, name)
    if raw is None:
        return default
    try:
        day = parse_date(raw)
    except ValueError:  # well formed, not a day: 2026-02-30
        day = None
    if day is None:
        raise BadQuery(name, _("请填写有效的日期，如 2021-04-22。"))
    try:
        validate_calendar_day(day)
    except ValidationError as error:
        raise BadQuery(name, " ".join(error.messages)) from None
    return day


def as_id(value) -> int | None:
    """A database id: ASCII digits within BIGINT (str.isdigit() alone accepts "²"), else None."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def id_param(data, name: str, *, default: int | None = None) -> int | None:
    raw = _raw(data, name)
    if raw is None:
        return default
    number = as_id(raw)
    if number is None:
        raise BadQuery(name, _("须为正整数编号。"))
    return number


def ids_param(data, name: str) -> list[int]:
    """Every id given under the name (?case=1&case=2); blank ones are skipped."""
    ids = []
    for value in data.getlist(name):
        if not str(value).strip():
            continue
        number = as_id(value)
        if number is None:
            raise BadQuery(name, _("须为正整数编号。"))
        ids.append(number)
    return ids


def int_param(
    data,
    name: str,
    *,
    default: int | None,
    min_value: int,
    max_value: int,
    clamp: bool = False,
) -> int | None:
    """A whole number within [min_value, max_value]. With clamp, a number outside is brought
    within (for values a page writes itself, such as a row count); a non-number is refused."""
    raw = _raw(data, name)
    if raw is None:
        return default
    number = int(raw) if re.fullmatch(r"[-+]?[0-9]{1,18}", raw) else None
    if number is not None and clamp:
        return max(min_value, min(number, max_value))
    if number is None or not min_value <= number <= max_value:
        raise BadQuery(
            name,
            _("须为 %(min)d 到 %(max)d 之间的整数。") % {"min": min_value, "max": max_value},
        )
    return number


def require_valid(form) -> None:
    """A form read from a query string (filters, a period) for an answer that cannot show its
    errors, such as a download: BadQuery naming the first parameter that cannot be read."""
    if form.is_bound and not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        if name == NON_FIELD_ERRORS:
            name = ", ".join(form.fields)
        raise BadQuery(name, " ".join(errors))


def search_words(text: str | None) -> str:
    """Search words as typed, with control characters (a NUL, a pasted tab or newline) read as
    the spaces between words."""
    return _SPACES.sub(" ", without_controls(text or "")).strip()


def search_param(data, name: str, *, max_length: int = SEARCH_MAX_LENGTH) -> str:
    words = search_words(data.get(name))
    if len(words) > max_length:
        raise BadQuery(name, _("搜索内容不能超过 %(max)d 个字。") % {"max": max_length})
    return words


def safe_next(request, default: str) -> str:
    """Where to go back to after a POST: the `next` page it came from, if that is a path on this
    site; anything else (another site, //evil.example, javascript:, a bare word) gives default."""
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
