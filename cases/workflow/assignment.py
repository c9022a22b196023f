"""Who handles the case: the office assigns it (交办), the lead department may return it before
accepting (退回), and the office may refuse the return (指定办理)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import deadlines
from cases.calendar import estimate_warnings
from cases.models import Case, CaseEvent
from cases.validators import check_input, input_errors
from cases.workdays import local_date
from cases.workflow import steps
from cases.workflow.counts import _COUNTS, _count_resolve_due, _counted
from cases.workflow.rules import S, _as_actor, may_take
from cases.workflow.steps import _authorize, _isoformat, _lock, _record, _required
from enterprises.models import Department


@transaction.atomic
def case_assign(
    *,
    actor,
    case: Case | int,
    lead_department: Department,
    co_departments: Iterable[Department] = (),
    resolve_due_at: dt.datetime | None = None,
    assigned_at: dt.datetime | None = None,
    batch: str | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """交办: the office hands the case to a lead department; the 3-working-day clock starts."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("assign", actor, case)
    now = steps._now(now)
    co_departments = list(co_departments)
    errors: dict[str, str] = {}
    if lead_department is None:
        errors["lead_department"] = _("请选择牵头部门。")
    elif not may_take(lead_department, case):
        errors["lead_department"] = _("“%(name)s”不能作为牵头部门。") % {"name": lead_department}
    if not all(may_take(d, case) for d in co_departments):
        errors["co_departments"] = _("协办单位须是本县（区）的部门。")
    if lead_department is not None and any(d.pk == lead_department.pk for d in co_departments):
        errors["co_departments"] = _("牵头部门不能同时是协办单位。")
    assigned_at = assigned_at or now
    if assigned_at > now:
        errors["assigned_at"] = _("交办时间不能晚于现在。")
    errors.update(
        input_errors(
            lines={"batch": batch},
            texts={"note": note},
            days={"assigned_at": assigned_at, "resolve_due_at": resolve_due_at},
        )
    )
    if errors:
        raise ValidationError(errors)

    calendar = steps.work_calendar(case.county_id)
    contact_due_at = deadlines.contact_due(assigned_at, calendar)
    # A typed resolve deadline is the office's choice, kept whatever the calendar later says.
    case.resolve_due_from = case.resolve_due_working_days = None
    if resolve_due_at is None:
        _count_resolve_due(case, assigned_at, calendar)
        resolve_due_at = case.resolve_due_at
    elif error := deadlines.resolve_due_error(resolve_due_at, contact_due_at):
        raise ValidationError({"resolve_due_at": error})
    counted = [contact_due_at] + ([resolve_due_at] if case.resolve_due_working_days else [])
    warnings = estimate_warnings(calendar, local_date(assigned_at), *map(local_date, counted))

    returned_from_id = case.returned_from_id  # reassigned after a return: the enterprise is told
    case.status = S.ASSIGNED
    case.lead_department = lead_department
    case.assigned_at = assigned_at
    case.contact_due_at = contact_due_at
    case.contact_due_from = local_date(assigned_at)
    case.contact_due_working_days = settings.CONTACT_DEADLINE_WORKING_DAYS
    case.resolve_due_at = resolve_due_at
    case.contacted_at = None
    case.returned_from = None
    case.designated = False
    if batch is not None:
        case.batch = batch.strip()
    case.save()
    case.co_departments.set(co_departments)
    _record(
        case,
        CaseEvent.Kind.ASSIGNED,
        actor,
        internal_note=note,
        public=True,
        department=lead_department,
        data={
            "lead_department": lead_department.pk,
            "co_departments": [d.pk for d in co_departments],
            "assigned_at": _isoformat(assigned_at),
            "contact_due_at": _isoformat(contact_due_at),
            "resolve_due_at": _isoformat(resolve_due_at),
            "historical": assigned_at < now - dt.timedelta(minutes=5),
            "warnings": warnings,
            "returned_from": returned_from_id,
        },
    )
    case.warnings = warnings
    return case


@transaction.atomic
def case_return(*, actor, case: Case | int, reason: str, now: dt.datetime | None = None) -> Case:
    """退回: before accepting, the lead department sends the case back to the office, with a reason."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("return", actor, case)
    _required(reason=reason)
    check_input(texts={"reason": reason})
    previous = {
        "lead_department": case.lead_department_id,
        "co_departments": list(case.co_departments.values_list("pk", flat=True)),
        "assigned_at": _isoformat(case.assigned_at),
        "contact_due_at": _isoformat(case.contact_due_at),
        "resolve_due_at": _isoformat(case.resolve_due_at),
        **{name: _counted(getattr(case, name)) for name in _COUNTS},
    }
    department = case.lead_department
    case.status = S.SUBMITTED
    case.returned_from = department
    case.return_count += 1
    case.lead_department = None
    case.assigned_at = case.contact_due_at = case.resolve_due_at = None
    for name in _COUNTS:
        setattr(case, name, None)
    case.save()
    case.co_departments.clear()
    _record(
        case,
        CaseEvent.Kind.RETURNED,
        actor,
        note=reason,
        department=department,
        data={"previous": previous},
    )
    return case


@transaction.atomic
def case_refuse_return(*, actor, case: Case | int, note: str = "") -> Case:
    """指定办理: the office refuses a return and restores the assignment as it was, deadlines included."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("refuse_return", actor, case)
    check_input(texts={"note": note})
    returned = (
        case.events.filter(kind=CaseEvent.Kind.RETURNED).order_by("-created_at", "-id").first()
    )
    previous = returned.data["previous"]
    case.status = S.ASSIGNED
    case.lead_department_id = previous["lead_department"]
    case.assigned_at = dt.datetime.fromisoformat(previous["assigned_at"])
    case.contact_due_at = dt.datetime.fromisoformat(previous["contact_due_at"])
    case.resolve_due_at = dt.datetime.fromisoformat(previous["resolve_due_at"])
    for name in _COUNTS:  # a return recorded before counts were kept restores none
        value = previous.get(name)
        setattr(case, name, dt.date.fromisoformat(value) if isinstance(value, str) else value)
    case.returned_from = None
    case.designated = True
    case.save()
    case.co_departments.set(previous["co_departments"])
    _record(
        case, CaseEvent.Kind.RETURN_REFUSED, actor, note=note, department=case.lead_department_id
    )
    return case
