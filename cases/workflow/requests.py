"""What the lead department asks of the office and the office decides: an extension of the resolve
deadline (延期), a suspension while the case waits on the enterprise (挂起), and resuming it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import deadlines
from cases.errors import InvalidState
from cases.models import Case, CaseEvent, Request
from cases.roles import Actor
from cases.validators import check_input
from cases.workflow import steps
from cases.workflow.counts import _push_count
from cases.workflow.rules import _as_actor
from cases.workflow.steps import _authorize, _isoformat, _lock, _record, _required


@transaction.atomic
def case_request_extension(
    *,
    actor,
    case: Case | int,
    resolve_due_at: dt.datetime,
    reason: str,
    now: dt.datetime | None = None,
) -> Request:
    """申请延期: asked before the resolve deadline passes, not after."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("request_extension", actor, case)
    now = steps._now(now)
    _required(reason=reason)
    if case.resolve_due_at and now > case.resolve_due_at:
        raise InvalidState(_("办结期限已过，不能再申请延期。"), status=case.status)
    if resolve_due_at is None:
        raise ValidationError({"resolve_due_at": _("请填写申请的办结期限。")})
    check_input(texts={"reason": reason}, days={"resolve_due_at": resolve_due_at})
    if case.resolve_due_at and resolve_due_at <= case.resolve_due_at:
        raise ValidationError({"resolve_due_at": _("申请的办结期限须晚于现有期限。")})
    request = Request.objects.create(
        case=case,
        kind=Request.Kind.EXTENSION,
        requested_by=actor.user,
        reason=reason.strip(),
        resolve_due_at=resolve_due_at,
    )
    _record(
        case,
        CaseEvent.Kind.EXTENSION_REQUESTED,
        actor,
        note=reason,
        department=case.lead_department_id,
        data={"request": request.pk, "resolve_due_at": _isoformat(resolve_due_at)},
    )
    return request


def _pending(case: Case, kind: str) -> Request:
    return case.requests.select_for_update().get(kind=kind, state=Request.State.PENDING)


def _decide(request: Request, actor: Actor, approve: bool, note: str, now: dt.datetime) -> None:
    request.state = Request.State.APPROVED if approve else Request.State.REFUSED
    request.decided_by = actor.user
    request.decided_at = now
    request.decision_note = note or ""
    request.save()


@transaction.atomic
def case_decide_extension(
    *, actor, case: Case | int, approve: bool, note: str = "", now: dt.datetime | None = None
) -> Case:
    """The office approves or refuses an extension; the enterprise is told the outcome."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("decide_extension", actor, case)
    check_input(texts={"note": note})
    request = _pending(case, Request.Kind.EXTENSION)
    _decide(request, actor, approve, note, steps._now(now))
    previous = case.resolve_due_at
    if approve:
        case.resolve_due_at = request.resolve_due_at
        case.resolve_due_from = case.resolve_due_working_days = None  # a date chosen, not counted
        case.save()
    _record(
        case,
        CaseEvent.Kind.EXTENSION_DECIDED,
        actor,
        internal_note=note,
        public=approve,
        department=case.lead_department_id,
        data={
            "request": request.pk,
            "approved": approve,
            "previous": _isoformat(previous),
            "resolve_due_at": _isoformat(case.resolve_due_at),
        },
    )
    return case


@transaction.atomic
def case_request_suspension(*, actor, case: Case | int, reason: str) -> Request:
    """申请挂起: the case waits on the enterprise (materials, a site); its clocks should stop."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("request_suspension", actor, case)
    _required(reason=reason)
    check_input(texts={"reason": reason})
    request = Request.objects.create(
        case=case, kind=Request.Kind.SUSPENSION, requested_by=actor.user, reason=reason.strip()
    )
    _record(
        case,
        CaseEvent.Kind.SUSPENSION_REQUESTED,
        actor,
        note=reason,
        department=case.lead_department_id,
        data={"request": request.pk},
    )
    return request


@transaction.atomic
def case_decide_suspension(
    *, actor, case: Case | int, approve: bool, note: str = "", now: dt.datetime | None = None
) -> Case:
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("decide_suspension", actor, case)
    check_input(texts={"note": note})
    now = steps._now(now)
    request = _pending(case, Request.Kind.SUSPENSION)
    _decide(request, actor, approve, note, now)
    if approve:
        case.suspended_at = now
        case.save()
    _record(
        case,
        CaseEvent.Kind.SUSPENSION_DECIDED,
        actor,
        internal_note=note or request.reason,
        public=approve,
        department=case.lead_department_id,
        data={"request": request.pk, "approved": approve},
    )
    return case


@transaction.atomic
def case_resume(*, actor, case: Case | int, note: str = "", now: dt.datetime | None = None) -> Case:
    """恢复办理: the working days spent suspended are added to the case's open deadlines."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("resume", actor, case)
    check_input(texts={"note": note})
    now = steps._now(now)
    calendar = steps.work_calendar(case.county_id)
    days = deadlines.suspended_working_days(case.suspended_at, now, calendar)

    if case.contacted_at is None:
        _push_count(case, "contact", days)
        case.contact_due_at = deadlines.pushed(case.contact_due_at, days, calendar)
    _push_count(case, "resolve", days)
    case.resolve_due_at = deadlines.pushed(case.resolve_due_at, days, calendar)
    case.suspended_at = None
    case.suspended_days += days
    case.save()
    _record(
        case,
        CaseEvent.Kind.RESUMED,
        actor,
        note=note,
        public=True,
        department=case.lead_department_id,
        data={"suspended_working_days": days, "resolve_due_at": _isoformat(case.resolve_due_at)},
    )
    return case
