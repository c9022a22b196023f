"""What a person may type into the product, in one place: the one range of dates it stores, and
the characters its text may hold.

Every service that stores what a user or an integration typed checks it with `check_input` (so the
pages and the API refuse the same things, and nothing is half-saved); forms and serializers attach
the same validators to their fields, so the message shows beside the field before the service
runs.

- Dates: 2000–2099. The working-day clock counts within that range; a year like 0001 or 9999 is a
  typo, and beyond it date arithmetic overflows.
- Single-line text (titles, names, phone numbers, batches, search words): no control character at
  all — a CR/LF in a title becomes a forged header in an e-mail or a broken row in an export —
  and no Unicode line or paragraph separator (U+2028, U+2029).
- Multi-line text (descriptions, notes, replies): newlines and tabs are kept; NUL and the other
  control characters are refused (PostgreSQL cannot store NUL, Excel refuses the rest).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.workdays import local_date

FIRST_YEAR, LAST_YEAR = 2000, 2099
FIRST_DAY, LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)

# Unicode's control characters (category Cc: C0, DEL, C1) and the line/paragraph separators.
_NOT_IN_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The same, less the newline and the tab a text area may hold.
_NOT_IN_A_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

DATE_RANGE_MESSAGE = _("日期须在 %(first)d 年至 %(last)d 年之间。")
LINE_MESSAGE = _("不能包含换行符、制表符或其他控制字符。")
TEXT_MESSAGE = _("不能包含控制字符（换行和制表符除外）。")


def in_calendar(value: dt.date | dt.datetime) -> bool:
    """Whether a day (or a moment, by its local day in China) lies within 2000–2099."""
    if not FIRST_YEAR - 1 <= value.year <= LAST_YEAR + 1:
        return False  # checked before converting: 9999-12-31 23:00 UTC overflows at +08:00
    day = local_date(value) if isinstance(value, dt.datetime) and value.tzinfo else value
    return FIRST_YEAR <= day.year <= LAST_YEAR


def validate_calendar_day(value: dt.date | dt.datetime) -> None:
    if value is not None and not in_calendar(value):
        raise ValidationError(
            DATE_RANGE_MESSAGE,
            code="date_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


def validate_single_line(value: str) -> None:
    if value and _NOT_IN_A_LINE.search(value):
        raise ValidationError(LINE_MESSAGE, code="control_characters")


def validate_multiline(value: str) -> None:
    if value and _NOT_IN_A_TEXT.search(value):
        raise ValidationError(TEXT_MESSAGE, code="control_characters")


def without_controls(text: str) -> str:
    """Text with every control character and line separator turned into a space (search words:
    a pasted tab or newline between words still separates them)."""
    return _NOT_IN_A_LINE.sub(" ", text)


def input_errors(
    *,
    lines: Mapping[str, str | None] | None = None,
    texts: Mapping[str, str | None] | None = None,
    days: Mapping[str, dt.date | dt.datetime | None] | None = None,
) -> dict[str, list[str]]:
    """The messages for the bad values among a service's input, by argument name."""
    errors: dict[str, list[str]] = {}
    for values, validate in ((lines, validate_single_line), (texts, validate_multiline)):
        for name, value in (values or {}).items():
            if isinstance(value, str):
                _collect(errors, name, validate, value)
    for name, value in (days or {}).items():
        _collect(errors, name, validate_calendar_day, value)
    return errors


def check_input(
    *,
    lines: Mapping[str, str | None] | None = None,
    texts: Mapping[str, str | None] | None = None,
    days: Mapping[str, dt.date | dt.datetime | None] | None = None,
) -> None:
    """Refuse a service's input (ValidationError by argument name) before anything is saved."""
    errors = input_errors(lines=lines, texts=texts, days=days)
    if errors:
        raise ValidationError(errors)


def _collect(errors: dict[str, list[str]], name: str, validate, value) -> None:
    try:
        validate(value)
    except ValidationError as error:
        errors.setdefault(name, []).extend(error.messages)
