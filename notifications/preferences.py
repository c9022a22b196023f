"""A user's notification settings: for the county office, whether each new problem is told at
once or only listed in the next morning's digest; for everyone, which kinds of message reach them
on which channel (email, SMS, 企业微信, 钉钉 — the in-app inbox always)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from notifications.models import Notification, NotificationPreference
from notifications.people import OPTIONAL_CHANNELS

NewCases = NotificationPreference.NewCases


def new_cases_choice(user) -> str:
    """The user's choice; at once unless they chose the digest."""
    chosen = (
        NotificationPreference.objects.filter(user=user).values_list("new_cases", flat=True).first()
    )
    return chosen or NewCases.INSTANT


def new_cases_choose(*, user, choice: str) -> NotificationPreference:
    if choice not in NewCases.values:
        raise ValidationError(
            {
                "new_cases": _("“%(choice)s”不是可选的提醒方式：请选择即时提醒或每日汇总。")
                % {"choice": choice}
            }
        )
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"new_cases": choice}
    )
    return preference


def muted_pairs(user) -> set[str]:
    """The "channel:kind" pairs the user turned off (notifications.people drops those rows)."""
    muted = NotificationPreference.objects.filter(user=user).values_list("muted", flat=True).first()
    return set(muted or ())


def muted_choose(*, user, pairs) -> NotificationPreference:
    """Record which kinds of message the user does not want on which channel (the in-app inbox is
    always on). An unknown channel or kind is refused by name, and nothing is saved."""
    channels = {str(c) for c in OPTIONAL_CHANNELS}
    kinds = set(Notification.Kind.values)
    chosen = set()
    for pair in pairs:
        channel, _sep, kind = str(pair).partition(":")
        if channel not in channels or kind not in kinds:
            raise ValidationError(
                {"muted": _("“%(pair)s”不是可选的渠道和消息类型。") % {"pair": pair}}
            )
        chosen.add(f"{channel}:{kind}")
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"muted": sorted(chosen)}
    )
    return preference
