"""签到位置: where the cadre's phone was on a visit — stored only when the cadre consented (the
phone sends nothing otherwise), and only as a sensible position: a latitude with its longitude,
each within the globe's range, an accuracy in metres, a time not in the future."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

# Phones' clocks run a little fast or slow; a fix a few minutes "ahead" of the server is fine.
CLOCK_SKEW = dt.timedelta(minutes=10)
MAX_ACCURACY_M = 100_000


@dataclass(frozen=True)
class CheckIn:
    latitude: float | Decimal
    longitude: float | Decimal
    accuracy_m: float | Decimal | None = None
    located_at: dt.datetime | None = None

    def __post_init__(self):
        # A time without a zone is the county's local time (settings.TIME_ZONE).
        if self.located_at is not None and timezone.is_naive(self.located_at):
            object.__setattr__(self, "located_at", timezone.make_aware(self.located_at))


def checkin_errors(checkin: CheckIn, now: dt.datetime) -> dict[str, str]:
    """The messages for a check-in's bad values, by field name ({} when it is sound)."""
    errors: dict[str, str] = {}
    for field, limit, label in (
        ("latitude", 90, _("纬度")),
        ("longitude", 180, _("经度")),
    ):
        value = getattr(checkin, field)
        if value is None:
            errors[field] = _("签到位置缺少%(label)s。") % {"label": label}
        elif not math.isfinite(float(value)) or abs(float(value)) > limit:
            errors[field] = _("签到位置的%(label)s应在 -%(limit)d 到 %(limit)d 之间。") % {
                "label": label,
                "limit": limit,
            }
    accuracy = checkin.accuracy_m
    if accuracy is not None and not (
        math.isfinite(float(accuracy)) and 0 <= float(accuracy) <= MAX_ACCURACY_M
    ):
        errors["accuracy_m"] = _("定位精度应在 0 到 %(limit)d 米之间。") % {"limit": MAX_ACCURACY_M}
    located_at = checkin.located_at
    if located_at is not None and located_at > now + CLOCK_SKEW:
        errors["located_at"] = _("定位时间不能晚于现在。")
    return errors


def _decimal(value, places: str) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def checkin_fields(checkin: CheckIn | None) -> dict:
    """The Visit's location fields for a sound check-in (all None without one)."""
    if checkin is None:
        return {"latitude": None, "longitude": None, "accuracy_m": None, "located_at": None}
    return {
        "latitude": _decimal(checkin.latitude, "0.000001"),
        "longitude": _decimal(checkin.longitude, "0.000001"),
        "accuracy_m": _decimal(checkin.accuracy_m, "0.1"),
        "located_at": checkin.located_at,
    }
