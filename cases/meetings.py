"""Meetings (交办会, 调度会, a task force's review) with their minutes: saved through one service, so
the office's pages and the task forces' pages check a meeting the same way."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from cases.models import Case, Meeting
from cases.validators import check_input


@transaction.atomic
def meeting_save(*, meeting: Meeting, cases: Iterable[Case] | None = None) -> Meeting:
    """Save a new or edited meeting (and, when given, the cases it discussed), or refuse it
    (ValidationError by field) with nothing saved: a date outside 2000–2099, a title with a line
    break, minutes with a NUL."""
    check_input(
        lines={"title": meeting.title},
        texts={
            "attendees": meeting.attendees,
            "minutes": meeting.minutes,
            "decisions": meeting.decisions,
        },
        days={"held_on": meeting.held_on},
    )
    meeting.save()
    if cases is not None:
        meeting.cases.set(cases)
    return meeting
