"""A user's notification settings: for the county office, whether each new problem is told at
once or only listed in the next morning's digest."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from notifications.models import NotificationPreference

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
