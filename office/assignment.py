"""交办 in batches: the preview of the deadlines before confirming, and assigning many cases as one.

Assigning is the workflow's case_assign, called once per case inside one transaction: either every
case of the batch is assigned or none is (a refused case rolls back those before it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import deadlines, workflow
from cases.calendar import estimate_warnings
from cases.errors import InvalidState
from cases.models import Case
from cases.workdays import CHINA, WorkCalendar, end_of_day, local_date
from enterprises.models import Department

# A historical assignment entered by date is stamped at 09:00 that day; only the day counts for
# the deadlines (the day of assignment itself does not count).
HISTORICAL_TIME = dt.time(9, 0)


@dataclass
class AssignmentRow:
    case: Case
    lead_department: Department
    co_departments: list[Department] = field(default_factory=list)


@dataclass
class PreviewRow:
    row: AssignmentRow
    contact_due_at: dt.datetime
    resolve_due_at: dt.datetime


@dataclass
class Preview:
    rows: list[PreviewRow]
    assigned_at: dt.datetime
    errors: dict[str, str]
    warnings: list[str]


class AssignmentFailed(Exception):
    """One case of the batch was refused; nothing of the batch was saved."""

    def __init__(self, case: Case, error: ValidationError):
        super().__init__(str(error))
        self.case = case
        self.error = error


def assignment_moment(assigned_on: dt.date | None, now: dt.datetime) -> dt.datetime:
    """交办时间: now, or a past day's morning for a historical assignment (digitising the ledger)."""
    if assigned_on is None or assigned_on >= local_date(now):
        return now
    return dt.datetime.combine(assigned_on, HISTORICAL_TIME, tzinfo=CHINA)


def resolve_moment(resolve_due_on: dt.date | None) -> dt.datetime | None:
    return end_of_day(resolve_due_on) if resolve_due_on else None


def assignment_preview(
    rows: Sequence[AssignmentRow],
    *,
    assigned_at: dt.datetime,
    resolve_due_at: dt.datetime | None,
    calendar: WorkCalendar,
) -> Preview:
    """The deadlines each case will get, before anything is saved (cases need their category)."""
    contact_due_at = deadlines.contact_due(assigned_at, calendar)
    errors = {}
    if error := deadlines.resolve_due_error(resolve_due_at, contact_due_at):
        errors["resolve_due_at"] = error
    preview_rows = [
        PreviewRow(
            row,
            contact_due_at,
            resolve_due_at
            or deadlines.default_resolve_due(
                assigned_at, row.case.category.default_resolve_days, calendar
            ),
        )
        for row in rows
    ]
    counted = [contact_due_at] + (
        [] if resolve_due_at else [r.resolve_due_at for r in preview_rows]
    )
    warnings = estimate_warnings(
        calendar, local_date(assigned_at), *{local_date(m) for m in counted}
    )
    return Preview(preview_rows, assigned_at, errors, warnings)


def cases_assign(
    *,
    actor,
    rows: Sequence[AssignmentRow],
    batch: str | None = None,
    resolve_due_at: dt.datetime | None = None,
    assigned_at: dt.datetime | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> list[Case]:
    """Assign every row's case, or none: raises AssignmentFailed (bad input for one case) or
    InvalidState (a case no longer waits for assignment, e.g. the same batch sent twice)."""
    now = now or timezone.now()
    assigned = []
    with transaction.atomic():
        for row in rows:
            try:
                assigned.append(
                    workflow.case_assign(
                        actor=actor,
                        case=row.case.pk,
                        lead_department=row.lead_department,
                        co_departments=row.co_departments,
                        resolve_due_at=resolve_due_at,
                        assigned_at=assigned_at if assigned_at and assigned_at < now else None,
                        batch=batch or None,  # blank keeps the batch the case came with
                        note=note,
                        now=now,
                    )
                )
            except ValidationError as error:
                raise AssignmentFailed(row.case, error) from error
            except InvalidState as error:
                raise InvalidState(
                    _("问题 %(number)s：%(message)s")
                    % {"number": row.case.number, "message": error.message},
                    status=error.status,
                ) from error
    return assigned
