"""责任清单: the case broken down into parts, one department each, with a measure and a due date;
each part ticked done by those rules.may_tick_item allows."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.errors import InvalidState, forbidden
from cases.models import BreakdownItem, Case, CaseEvent
from cases.validators import input_errors
from cases.workdays import local_date
from cases.workflow import steps
from cases.workflow.rules import ACTIVE, _as_actor, may_take, may_tick_item
from cases.workflow.steps import _authorize, _lock, _record
from enterprises.models import Department


@transaction.atomic
def case_add_breakdown_item(
    *, actor, case: Case | int, department: Department, measure: str, due_on: dt.date
) -> BreakdownItem:
    """责任清单: one part of the case for one department, with its measure and due date."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("breakdown", actor, case)
    errors = {}
    if department is None:
        errors["department"] = _("请选择责任单位。")
    elif not may_take(department, case):
        errors["department"] = _(
            "“%(name)s”不能作为本问题的责任单位：须是本县（区）在用的部门。"
        ) % {"name": department}
    if not (measure or "").strip():
        errors["measure"] = _("此项为必填项。")
    if due_on is None:
        errors["due_on"] = _("此项为必填项。")
    elif case.resolve_due_at and due_on > local_date(case.resolve_due_at):
        errors["due_on"] = _("完成时限不能晚于问题的办结期限（%(due)s）。") % {
            "due": local_date(case.resolve_due_at).isoformat()
        }
    errors = {**input_errors(texts={"measure": measure}, days={"due_on": due_on}), **errors}
    if errors:
        raise ValidationError(errors)
    item = BreakdownItem.objects.create(
        case=case,
        department=department,
        measure=measure.strip(),
        due_on=due_on,
        created_by=actor.user,
    )
    _record(
        case,
        CaseEvent.Kind.BREAKDOWN,
        actor,
        note=item.measure,
        department=department,
        data={"item": item.pk, "due_on": due_on.isoformat()},
    )
    return item


@transaction.atomic
def breakdown_item_complete(
    *, actor, item: BreakdownItem | int, now: dt.datetime | None = None
) -> BreakdownItem:
    actor = _as_actor(actor)
    item = BreakdownItem.objects.select_for_update().get(pk=getattr(item, "pk", item))
    case = _lock(item.case_id)
    if not may_tick_item(actor, case, item):
        raise forbidden(_("完成任务"))
    if case.status not in ACTIVE:
        raise InvalidState(
            _("问题当前状态为“%(status)s”，不能更新任务。") % {"status": case.get_status_display()},
            status=case.status,
        )
    if item.done_at:
        raise InvalidState(_("这项任务已经完成。"), status=case.status)
    item.done_at = steps._now(now)
    item.save(update_fields=["done_at"])
    _record(
        case,
        CaseEvent.Kind.BREAKDOWN_DONE,
        actor,
        note=item.measure,
        department=item.department_id,
        data={"item": item.pk},
    )
    return item
