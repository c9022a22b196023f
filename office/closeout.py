"""销号: the office closes out replied cases, one or many at once, and reopens closed ones.

A replied case is closed once the enterprise has rated the reply. One the enterprise never rates
can be closed as "未评价" after UNRATED_CLOSE_AFTER_WORKING_DAYS working days (a setting, 10 by
default), and the close event says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import workflow
from cases.errors import InvalidState
from cases.models import Case
from cases.selectors import work_calendar
from cases.workdays import WorkCalendar, local_date, working_days_between


def unrated_close_after() -> int:
    return getattr(settings, "UNRATED_CLOSE_AFTER_WORKING_DAYS", 10)


@dataclass(frozen=True)
class Waiting:
    """How a replied case stands for close-out."""

    rated: bool
    working_days_since_reply: int
    closable: bool

    @property
    def days_until_closable(self) -> int:
        return max(0, unrated_close_after() - self.working_days_since_reply)


def waiting(case: Case, now: dt.datetime, calendar: WorkCalendar) -> Waiting:
    """Pure: reads the case's fields only. case.rating is the rating of the current reply."""
    since = 0
    if case.replied_at is not None:
        since = max(0, working_days_between(local_date(case.replied_at), local_date(now), calendar))
    rated = bool(case.rating)
    return Waiting(rated, since, rated or since >= unrated_close_after())


def cases_close(
    *, actor, cases: Sequence[Case], note: str = "", now: dt.datetime | None = None
) -> list[Case]:
    """Close every case, or none (InvalidState: a case is not replied any more, or is unrated and
    has not waited long enough)."""
    now = now or timezone.now()
    calendar = work_calendar()
    closed = []
    with transaction.atomic():
        for case in cases:
            try:
                state = waiting(case, now, calendar)
                if case.status == Case.Status.REPLIED and not state.closable:
                    raise InvalidState(
                        _(
                            "企业尚未评价；反馈满 %(days)d 个工作日后方可按“未评价”销号（还差 %(left)d 个工作日）。"
                        )
                        % {"days": unrated_close_after(), "left": state.days_until_closable},
                        status=case.status,
                    )
                event_note = note.strip()
                if not state.rated:
                    unrated = _("未评价：反馈后 %(days)d 个工作日企业未评价。") % {
                        "days": state.working_days_since_reply
                    }
                    event_note = f"{unrated}{event_note}" if event_note else unrated
                closed.append(
                    workflow.case_close(actor=actor, case=case.pk, note=event_note, now=now)
                )
            except (InvalidState, ValidationError) as error:
                message = getattr(error, "message", None) or "; ".join(error.messages)
                raise InvalidState(
                    _("问题 %(number)s：%(message)s") % {"number": case.number, "message": message},
                    status=case.status,
                ) from error
    return closed
