"""销号: when a replied case may be closed out, and closing many at once.

A replied case is closed once the enterprise has rated the reply. One the enterprise never rates
can be closed as "未评价" after UNRATED_CLOSE_AFTER_WORKING_DAYS working days (a setting, 10 by
default), and the close event says so. The rule is the workflow's (workflow.case_close asks
closeout_check), so the office's page, its batch close (workflow.cases_close) and the API's
`close` all keep it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from cases.errors import InvalidState
from cases.models import Case
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


def closeout_check(case: Case, now: dt.datetime, calendar: WorkCalendar, note: str = "") -> str:
    """The close event's note, or InvalidState while an unrated reply has not waited long enough.
    An unrated case's note begins with how long the enterprise left it unrated."""
    state = waiting(case, now, calendar)
    if case.status == Case.Status.REPLIED and not state.closable:
        raise InvalidState(
            _(
                "企业尚未评价；反馈满 %(days)d 个工作日后方可按“未评价”销号（还差 %(left)d 个工作日）。"
            )
            % {"days": unrated_close_after(), "left": state.days_until_closable},
            status=case.status,
        )
    note = note.strip()
    if state.rated:
        return note
    unrated = _("未评价：反馈后 %(days)d 个工作日企业未评价。") % {
        "days": state.working_days_since_reply
    }
    return f"{unrated}{note}" if note else unrated
