"""The case workflow (DESIGN §4): every transition and every recorded action, in one module.

Each function locks the case row, checks the actor's role (ActionForbidden → 403) and the case's
state (InvalidState → 409), validates its input (ValidationError → 400), changes the case, writes
its event and the notifications the event causes — all in one transaction, so nothing is
half-saved and two concurrent transitions cannot both win.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import deadlines
from cases.calendar import estimate_warnings
from cases.errors import InvalidState, forbidden
from cases.models import BreakdownItem, Case, CaseEvent, Commitment, Rating, Request
from cases.roles import Actor, actor_for
from cases.selectors import work_calendar
from cases.units import actor_unit
from cases.validators import check_input, input_errors
from cases.workdays import (
    WorkCalendar,
    local_date,
)
from enterprises.models import Department
from notifications.hooks import on_case_event
from taskforces.models import TaskForceEnterprise, TaskForceMember

S = Case.Status
Who = Callable[[Actor, Case], bool]


# --- who may act -------------------------------------------------------------------------------


def is_office(actor: Actor, case: Case) -> bool:
    return actor.is_office


def is_lead(actor: Actor, case: Case) -> bool:
    return bool(actor.department_id) and actor.department_id == case.lead_department_id


def is_co(actor: Actor, case: Case) -> bool:
    return bool(actor.department_id) and case.co_departments.filter(pk=actor.department_id).exists()


def is_cadre_of_enterprise(actor: Actor, case: Case) -> bool:
    cadre_taskforces = [
        tf for tf, roles in actor.taskforce_roles.items() if TaskForceMember.Role.CADRE in roles
    ]
    return (
        bool(cadre_taskforces)
        and TaskForceEnterprise.objects.filter(
            task_force_id__in=cadre_taskforces, enterprise_id=case.enterprise_id
        ).exists()
    )


def is_taskforce_reviewer(actor: Actor, case: Case) -> bool:
    """The county leader or a head of a task force covering the case's enterprise."""
    reviewing = [
        tf
        for tf, roles in actor.taskforce_roles.items()
        if roles & {TaskForceMember.Role.LEADER, TaskForceMember.Role.HEAD}
    ]
    return (
        bool(reviewing)
        and TaskForceEnterprise.objects.filter(
            task_force_id__in=reviewing, enterprise_id=case.enterprise_id
        ).exists()
    )


def is_enterprise_contact(actor: Actor, case: Case) -> bool:
    return actor.enterprise_id is not None and actor.enterprise_id == case.enterprise_id


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    states: frozenset[str]
    who: tuple[Who, ...]
    # A further condition on the case beyond its status (a pending request, say).
    guard: Callable[[Case], bool] | None = None
    guard_message: Promise | None = None


def _t(name, label, states, who, guard=None, guard_message=None) -> Transition:
    return Transition(name, label, frozenset(states), tuple(who), guard, guard_message)


def _has_pending(kind: str) -> Callable[[Case], bool]:
    return lambda case: case.requests.filter(kind=kind, state=Request.State.PENDING).exists()


def _latest_rating_appealable(case: Case) -> bool:
    latest = case.ratings.order_by("-reply_round").first()
    return latest is not None and latest.appeal == Rating.Appeal.NONE


def _latest_rating_pending_appeal(case: Case) -> bool:
    latest = case.ratings.order_by("-reply_round").first()
    return latest is not None and latest.appeal == Rating.Appeal.PENDING


ACTIVE = (S.ASSIGNED, S.IN_PROGRESS)
CONTACT_METHODS = {
    "visit": gettext_lazy("上门走访"),
    "phone": gettext_lazy("电话"),
    "meeting": gettext_lazy("座谈会议"),
}
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("assign", gettext_lazy("交办"), [S.SUBMITTED], [is_office]),
        _t(
            "refuse_return",
            gettext_lazy("驳回退回（指定办理）"),
            [S.SUBMITTED],
            [is_office],
            guard=lambda c: c.returned_from_id is not None,
            guard_message=gettext_lazy("此问题没有待处理的退回。"),
        ),
        _t(
            "return",
            gettext_lazy("退回"),
            [S.ASSIGNED],
            [is_lead],
            guard=lambda c: not c.designated,
            guard_message=gettext_lazy("县委办已指定由本单位办理，不能再次退回。"),
        ),
        _t("accept", gettext_lazy("签收并对接"), [S.ASSIGNED], [is_lead]),
        _t("progress", gettext_lazy("记录进展"), ACTIVE, [is_lead, is_co, is_office]),
        _t("breakdown", gettext_lazy("分解任务"), ACTIVE, [is_lead, is_office]),
        _t("commit", gettext_lazy("亮诺"), ACTIVE, [is_lead, is_co, is_cadre_of_enterprise]),
        _t(
            "request_extension",
            gettext_lazy("申请延期"),
            ACTIVE,
            [is_lead],
            guard=lambda c: not _has_pending(Request.Kind.EXTENSION)(c),
            guard_message=gettext_lazy("已有一项延期申请待审批。"),
        ),
        _t(
            "decide_extension",
            gettext_lazy("审批延期"),
            ACTIVE,
            [is_office],
            guard=_has_pending(Request.Kind.EXTENSION),
            guard_message=gettext_lazy("没有待审批的延期申请。"),
        ),
        _t(
            "request_suspension",
            gettext_lazy("申请挂起"),
            [S.IN_PROGRESS],
            [is_lead],
            guard=lambda c: not c.is_suspended and not _has_pending(Request.Kind.SUSPENSION)(c),
            guard_message=gettext_lazy("问题已挂起，或已有一项挂起申请待审批。"),
        ),
        _t(
            "decide_suspension",
            gettext_lazy("审批挂起"),
            [S.IN_PROGRESS],
            [is_office],
            guard=_has_pending(Request.Kind.SUSPENSION),
            guard_message=gettext_lazy("没有待审批的挂起申请。"),
        ),
        _t(
            "resume",
            gettext_lazy("恢复办理"),
            [S.IN_PROGRESS],
            [is_lead, is_office],
            guard=lambda c: c.is_suspended,
            guard_message=gettext_lazy("问题未挂起。"),
        ),
        _t(
            "reply",
            gettext_lazy("反馈办理结果"),
            [S.IN_PROGRESS],
            [is_lead],
            guard=lambda c: not c.is_suspended,
            guard_message=gettext_lazy("问题已挂起，请先恢复办理。"),
        ),
        _t(
            "rate",
            gettext_lazy("评价"),
            [S.REPLIED],
            [is_enterprise_contact, is_cadre_of_enterprise],
            guard=lambda c: not c.ratings.filter(reply_round=c.reply_round).exists(),
            guard_message=gettext_lazy("本次反馈已评价过，每次反馈只能评价一次。"),
        ),
        _t(
            "appeal",
            gettext_lazy("评价申诉"),
            [S.REPLIED, S.IN_PROGRESS, S.CLOSED],
            [is_lead],
            guard=_latest_rating_appealable,
            guard_message=gettext_lazy("没有可申诉的评价（未评价或已申诉）。"),
        ),
        _t(
            "decide_appeal",
            gettext_lazy("裁定申诉"),
            [S.REPLIED, S.IN_PROGRESS, S.CLOSED],
            [is_office],
            guard=_latest_rating_pending_appeal,
            guard_message=gettext_lazy("没有待裁定的评价申诉。"),
        ),
        _t(
            "instruct",
            gettext_lazy("批示"),
            Case.OPEN_STATUSES,
            [is_taskforce_reviewer],
        ),
        _t("close", gettext_lazy("销号"), [S.REPLIED], [is_office]),
        _t("reopen", gettext_lazy("重新办理"), [S.CLOSED], [is_office]),
        _t("merge", gettext_lazy("合并"), [S.SUBMITTED], [is_office]),
    ]
}


def allowed_actions(user_or_actor, case: Case) -> list[str]:
    """The transitions this user may take on this case now (what a page offers as buttons)."""
    actor = user_or_actor if isinstance(user_or_actor, Actor) else actor_for(user_or_actor)
    names = []
    for t in TRANSITIONS.values():
        if case.status not in t.states or not any(who(actor, case) for who in t.who):
            continue
        if t.guard is None or t.guard(case):
            names.append(t.name)
    return names


# --- the machinery ---------------------------------------------------------------------------


def _lock(case: Case | int) -> Case:
    pk = case.pk if isinstance(case, Case) else case
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("category", "lead_department")
        .get(pk=pk)
    )


def _authorize(name: str, actor: Actor, case: Case) -> None:
    t = TRANSITIONS[name]
    if not any(who(actor, case) for who in t.who):
        raise forbidden(str(t.label))
    if case.status not in t.states:
        raise InvalidState(
            _("问题当前状态为“%(status)s”，不能%(action)s。")
            % {"status": case.get_status_display(), "action": t.label},
            status=case.status,
        )
    if t.guard is not None and not t.guard(case):
        raise InvalidState(str(t.guard_message), status=case.status)


def _record(
    case: Case,
    kind: str,
    actor: Actor,
    *,
    note: str = "",
    public: bool = False,
    department: Department | int | None = None,
    data: dict | None = None,
) -> CaseEvent:
    """Write the event: who acted, for which unit (cases.units), on which department."""
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor.user if actor.user.is_authenticated else None,
        department_id=department.pk if isinstance(department, Department) else department,
        **actor_unit(actor, case, kind=kind).fields(),
        note=note,
        public=public,
        data=data or {},
    )
    on_case_event(event)
    return event


def _required(**fields: str) -> None:
    errors = {
        name: _("此项为必填项。") for name, value in fields.items() if not (value or "").strip()
    }
    if errors:
        raise ValidationError(errors)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _as_actor(user_or_actor) -> Actor:
    return user_or_actor if isinstance(user_or_actor, Actor) else actor_for(user_or_actor)


def _count_resolve_due(case: Case, start: dt.datetime, calendar: WorkCalendar) -> None:
    """A resolve deadline counted from start with the category's days (cases.calendar keeps the
    count, so that a changed calendar can move it)."""
    case.resolve_due_from = local_date(start)
    case.resolve_due_working_days = case.category.default_resolve_days
    case.resolve_due_at = deadlines.default_resolve_due(
        start, case.category.default_resolve_days, calendar
    )


# A deadline's count (cases.calendar), kept with a return so that a refusal restores it too.
_COUNTS = (
    "contact_due_from",
    "contact_due_working_days",
    "resolve_due_from",
    "resolve_due_working_days",
)


def _isoformat(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _counted(value: dt.date | int | None) -> str | int | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def _push_count(case: Case, kind: str, days: int) -> None:
    """A suspension's working days added to a deadline's count; a chosen date pushed becomes a
    count from that date (the days added are counted, the date itself stays chosen)."""
    due = getattr(case, f"{kind}_due_at")
    counted = getattr(case, f"{kind}_due_working_days")
    if due is None or (counted is None and not days):
        return
    if counted is None:
        setattr(case, f"{kind}_due_from", local_date(due))
        counted = 0
    setattr(case, f"{kind}_due_working_days", counted + days)


# --- transitions -------------------------------------------------------------------------------


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
    now = _now(now)
    co_departments = list(co_departments)
    errors: dict[str, str] = {}
    if lead_department is None:
        errors["lead_department"] = _("请选择牵头部门。")
    elif not lead_department.active or lead_department.is_office:
        errors["lead_department"] = _("“%(name)s”不能作为牵头部门。") % {"name": lead_department}
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

    calendar = work_calendar()
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
        note=note,
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


@transaction.atomic
def case_accept(
    *,
    actor,
    case: Case | int,
    contact_note: str,
    contact_method: str = "",
    contact_person: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """签收并对接: the first contact with the enterprise — what the 3-working-day rule measures.

    contact_note says what was agreed; how (visit, phone, meeting) and with whom go with it.
    """
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("accept", actor, case)
    _required(contact_note=contact_note)
    check_input(lines={"contact_person": contact_person}, texts={"contact_note": contact_note})
    if contact_method and contact_method not in CONTACT_METHODS:
        raise ValidationError({"contact_method": _("对接方式只能是上门、电话或会议。")})
    now = _now(now)
    case.status = S.IN_PROGRESS
    case.contacted_at = now
    case.save()
    _record(
        case,
        CaseEvent.Kind.ACCEPTED,
        actor,
        note=contact_note,
        public=True,
        department=case.lead_department_id,
        data={
            "on_time": case.contact_due_at is None or now <= case.contact_due_at,
            "method": contact_method,
            "person": (contact_person or "").strip(),
        },
    )
    return case


@transaction.atomic
def case_add_progress(*, actor, case: Case | int, note: str, public: bool = False) -> CaseEvent:
    """调度/进展: a note on the handling; public ones reach the enterprise."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("progress", actor, case)
    _required(note=note)
    check_input(texts={"note": note})
    return _record(
        case,
        CaseEvent.Kind.PROGRESS,
        actor,
        note=note,
        public=bool(public),
        department=actor.department_id,
    )


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
    if not (actor.is_office or is_lead(actor, case) or actor.department_id == item.department_id):
        raise forbidden(_("完成任务"))
    if case.status not in ACTIVE:
        raise InvalidState(
            _("问题当前状态为“%(status)s”，不能更新任务。") % {"status": case.get_status_display()},
            status=case.status,
        )
    if item.done_at:
        raise InvalidState(_("这项任务已经完成。"), status=case.status)
    item.done_at = _now(now)
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


@transaction.atomic
def case_add_commitment(
    *, actor, case: Case | int, text: str, due_on: dt.date, now: dt.datetime | None = None
) -> Commitment:
    """亮诺: a public promise to the enterprise, by a date."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("commit", actor, case)
    errors = {}
    if not (text or "").strip():
        errors["text"] = _("此项为必填项。")
    if due_on is None:
        errors["due_on"] = _("此项为必填项。")
    elif due_on < local_date(_now(now)):
        errors["due_on"] = _("承诺期限不能早于今天。")
    errors = {**input_errors(texts={"text": text}, days={"due_on": due_on}), **errors}
    if errors:
        raise ValidationError(errors)
    commitment = Commitment.objects.create(
        case=case,
        committed_by=actor.user,
        department_id=actor.department_id,
        text=text.strip(),
        due_on=due_on,
    )
    _record(
        case,
        CaseEvent.Kind.COMMITMENT,
        actor,
        note=commitment.text,
        public=True,
        department=actor.department_id,
        data={"commitment": commitment.pk, "due_on": due_on.isoformat()},
    )
    return commitment


@transaction.atomic
def commitment_keep(
    *, actor, commitment: Commitment | int, note: str = "", now: dt.datetime | None = None
) -> Commitment:
    """践诺: the promise was kept."""
    actor = _as_actor(actor)
    commitment = Commitment.objects.select_for_update().get(
        pk=getattr(commitment, "pk", commitment)
    )
    case = _lock(commitment.case_id)
    own = commitment.committed_by_id == actor.user.pk or (
        actor.department_id and actor.department_id == commitment.department_id
    )
    if not (own or actor.is_office):
        raise forbidden(_("践诺"))
    check_input(texts={"note": note})
    if commitment.kept_at:
        raise InvalidState(_("这项承诺已经兑现。"), status=case.status)
    commitment.kept_at = _now(now)
    commitment.save(update_fields=["kept_at"])
    _record(
        case,
        CaseEvent.Kind.COMMITMENT_KEPT,
        actor,
        note=note or commitment.text,
        public=True,
        department=commitment.department_id,
        data={
            "commitment": commitment.pk,
            "on_time": local_date(commitment.kept_at) <= commitment.due_on,
        },
    )
    return commitment


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
    now = _now(now)
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
    _decide(request, actor, approve, note, _now(now))
    previous = case.resolve_due_at
    if approve:
        case.resolve_due_at = request.resolve_due_at
        case.resolve_due_from = case.resolve_due_working_days = None  # a date chosen, not counted
        case.save()
    _record(
        case,
        CaseEvent.Kind.EXTENSION_DECIDED,
        actor,
        note=note,
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
    now = _now(now)
    request = _pending(case, Request.Kind.SUSPENSION)
    _decide(request, actor, approve, note, now)
    if approve:
        case.suspended_at = now
        case.save()
    _record(
        case,
        CaseEvent.Kind.SUSPENSION_DECIDED,
        actor,
        note=note or request.reason,
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
    now = _now(now)
    calendar = work_calendar()
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


@transaction.atomic
def case_reply(
    *, actor, case: Case | int, outcome: str, reply: str, now: dt.datetime | None = None
) -> Case:
    """反馈: the result goes to the enterprise — resolved, or explained (a policy barrier)."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("reply", actor, case)
    errors = {}
    if outcome not in Case.Outcome.values:
        errors["outcome"] = _("请选择办理结果：已解决，或政策障碍已解释到位。")
    if not (reply or "").strip():
        errors["reply"] = _("请填写反馈给企业的办理结果。")
    errors = {**input_errors(texts={"reply": reply}), **errors}
    if errors:
        raise ValidationError(errors)
    now = _now(now)
    case.status = S.REPLIED
    case.outcome = outcome
    case.reply = reply.strip()
    case.replied_at = now
    case.reply_round += 1
    case.rating = ""
    case.save()
    _record(
        case,
        CaseEvent.Kind.REPLIED,
        actor,
        note=case.reply,
        public=True,
        department=case.lead_department_id,
        data={
            "outcome": outcome,
            "round": case.reply_round,
            "on_time": case.resolve_due_at is None or now <= case.resolve_due_at,
        },
    )
    return case


@transaction.atomic
def case_rate(
    *, actor, case: Case | int, rating: str, comment: str = "", now: dt.datetime | None = None
) -> Case:
    """好差评: the enterprise (or its cadre, on a return visit) rates the reply; dissatisfied reopens it."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("rate", actor, case)
    check_input(texts={"comment": comment})
    if rating not in Case.Rating.values:
        raise ValidationError(
            {"rating": _("请选择评价等级：非常满意、满意、基本满意、不满意或非常不满意。")}
        )
    by_cadre = not is_enterprise_contact(actor, case)
    try:
        with transaction.atomic():
            Rating.objects.create(
                case=case,
                reply_round=case.reply_round,
                level=rating,
                comment=(comment or "").strip(),
                rated_by=actor.user,
                recorded_by_cadre=by_cadre,
                department_id=case.lead_department_id,
            )
    except IntegrityError:
        raise InvalidState(str(TRANSITIONS["rate"].guard_message), status=case.status) from None
    case.rating = rating
    reopen = rating in Case.DISSATISFIED_RATINGS
    if reopen:
        _reopen(case, _now(now))
    case.save()
    _record(
        case,
        CaseEvent.Kind.RATED,
        actor,
        note=comment,
        public=True,
        department=case.lead_department_id,
        data={"rating": rating, "round": case.reply_round, "recorded_by_cadre": by_cadre},
    )
    if reopen:
        _record(
            case,
            CaseEvent.Kind.REOPENED,
            actor,
            public=True,
            department=case.lead_department_id,
            note=_("企业不满意，问题重新办理。"),
            data={"reason": "dissatisfied", "resolve_due_at": _isoformat(case.resolve_due_at)},
        )
    return case


def _reopen(case: Case, now: dt.datetime) -> None:
    """重办: back to the lead department, with a fresh resolve deadline from the category."""
    case.status = S.IN_PROGRESS
    case.reopen_count += 1
    case.replied_at = None
    case.closed_at = None
    case.outcome = ""
    _count_resolve_due(case, now, work_calendar())


@transaction.atomic
def case_appeal_rating(*, actor, case: Case | int, reason: str) -> Rating:
    """The lead department contests a rating it thinks unreasonable; the office decides."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("appeal", actor, case)
    _required(reason=reason)
    check_input(texts={"reason": reason})
    rating = case.ratings.select_for_update().order_by("-reply_round").first()
    rating.appeal = Rating.Appeal.PENDING
    rating.appeal_reason = reason.strip()
    rating.save()
    _record(
        case,
        CaseEvent.Kind.APPEALED,
        actor,
        note=reason,
        department=case.lead_department_id,
        data={"rating": rating.pk},
    )
    return rating


@transaction.atomic
def case_decide_appeal(*, actor, case: Case | int, uphold: bool, note: str = "") -> Rating:
    """An upheld appeal excludes the rating from the statistics; the rating itself stays."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("decide_appeal", actor, case)
    check_input(texts={"note": note})
    rating = case.ratings.select_for_update().order_by("-reply_round").first()
    rating.appeal = Rating.Appeal.UPHELD if uphold else Rating.Appeal.REJECTED
    rating.appeal_note = note or ""
    rating.save()
    _record(
        case,
        CaseEvent.Kind.APPEAL_DECIDED,
        actor,
        note=note,
        department=case.lead_department_id,
        data={"rating": rating.pk, "upheld": uphold},
    )
    return rating


@transaction.atomic
def case_close(*, actor, case: Case | int, note: str = "", now: dt.datetime | None = None) -> Case:
    """销号: the office closes the case out."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("close", actor, case)
    check_input(texts={"note": note})
    case.status = S.CLOSED
    case.closed_at = _now(now)
    case.save()
    _record(
        case,
        CaseEvent.Kind.CLOSED,
        actor,
        note=note,
        public=True,
        department=case.lead_department_id,
        data={"rated": bool(case.rating)},
    )
    return case


@transaction.atomic
def case_reopen(*, actor, case: Case | int, reason: str, now: dt.datetime | None = None) -> Case:
    """The office reopens a closed case, with a reason."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("reopen", actor, case)
    _required(reason=reason)
    check_input(texts={"reason": reason})
    _reopen(case, _now(now))
    case.save()
    _record(
        case,
        CaseEvent.Kind.REOPENED,
        actor,
        note=reason,
        public=True,
        department=case.lead_department_id,
        data={"reason": "office", "resolve_due_at": _isoformat(case.resolve_due_at)},
    )
    return case


@transaction.atomic
def case_merge(*, actor, case: Case | int, into: Case | int) -> Case:
    """合并: a duplicate submitted case joins the case that carries on."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("merge", actor, case)
    into_pk = getattr(into, "pk", into)
    if into_pk == case.pk:
        raise ValidationError({"into": _("不能把问题合并到它自己。")})
    target = Case.objects.filter(pk=into_pk).first()
    if target is None:
        raise ValidationError({"into": _("要合并到的问题不存在。")})
    if target.status == S.MERGED:
        raise ValidationError(
            {
                "into": _("问题 %(number)s 已被合并，请合并到它最终所在的问题。")
                % {"number": target.number}
            }
        )
    case.status = S.MERGED
    case.merged_into = target
    case.save()
    _record(
        case,
        CaseEvent.Kind.MERGED,
        actor,
        public=True,
        note=_("与问题 %(number)s 合并办理。") % {"number": target.number},
        data={"into": target.pk},
    )
    return case


@transaction.atomic
def case_instruct(*, actor, case: Case | int, text: str, public: bool = False) -> CaseEvent:
    """批示: the task force's leader or a head instructs the lead department; internal by default."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("instruct", actor, case)
    _required(text=text)
    check_input(texts={"text": text})
    return _record(
        case,
        CaseEvent.Kind.INSTRUCTION,
        actor,
        note=text.strip(),
        public=bool(public),
        department=case.lead_department_id,
    )


@transaction.atomic
def instruction_acknowledge(*, actor, case: Case | int, instruction: CaseEvent | int) -> CaseEvent:
    """The lead department signs for a 批示; the acknowledgment stays on the timeline."""
    actor = _as_actor(actor)
    case = _lock(case)
    if not is_lead(actor, case):
        raise forbidden(_("签收批示"))
    instruction_id = getattr(instruction, "pk", instruction)
    if not case.events.filter(pk=instruction_id, kind=CaseEvent.Kind.INSTRUCTION).exists():
        raise ValidationError({"instruction": _("这条批示不属于此问题。")})
    if case.events.filter(
        kind=CaseEvent.Kind.INSTRUCTION_ACK, data__instruction=instruction_id
    ).exists():
        raise InvalidState(_("这条批示已经签收。"), status=case.status)
    return _record(
        case,
        CaseEvent.Kind.INSTRUCTION_ACK,
        actor,
        department=case.lead_department_id,
        data={"instruction": instruction_id},
    )
