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
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import attachments as event_files
from cases import deadlines, joint
from cases.calendar import estimate_warnings
from cases.errors import ActionForbidden, InvalidState, forbidden
from cases.models import BreakdownItem, Case, CaseEvent, Commitment, Rating, Request
from cases.roles import Actor, actor_for
from cases.selectors import work_calendar
from cases.units import actor_unit
from cases.validators import check_input, input_errors
from cases.workdays import (
    WorkCalendar,
    add_working_days,
    local_date,
    start_of_day,
)
from enterprises.contacts import contact_person_add
from enterprises.models import Department
from enterprises.validators import validate_mainland_mobile
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


def interested_departments(actor: Actor, cases: Iterable[Case]) -> dict[int, str]:
    """For each case whose handling the actor's own unit takes part in — it leads, co-handles or
    holds a breakdown item of it — that unit's name. The actor's own units are their department
    and the units they sit for in task forces. Five queries at most, however many cases."""
    cases = list(cases)
    own = set(
        TaskForceMember.objects.filter(
            user_id=actor.user.pk, task_force__active=True, department__isnull=False
        ).values_list("department_id", flat=True)
    )
    if actor.department_id:
        own.add(actor.department_id)
    if not own or not cases:
        return {}
    handling = {case.pk: {case.lead_department_id} for case in cases}
    pairs = [
        *Case.co_departments.through.objects.filter(case_id__in=handling).values_list(
            "case_id", "department_id"
        ),
        *BreakdownItem.objects.filter(case_id__in=handling).values_list("case_id", "department_id"),
    ]
    for case_id, department_id in pairs:
        handling[case_id].add(department_id)
    hits = {pk: own & units for pk, units in handling.items() if own & units}
    if not hits:
        return {}
    names = dict(
        Department.objects.filter(pk__in=set().union(*hits.values())).values_list("pk", "name")
    )
    return {pk: min(names[d] for d in units) for pk, units in hits.items()}


def is_disinterested_cadre(actor: Actor, case: Case) -> bool:
    return is_cadre_of_enterprise(actor, case) and not interested_departments(actor, [case])


def rating_conflicts(actor, cases: Iterable[Case]) -> dict[int, str]:
    """Why this cadre may not record each case's rating on a return visit, for the cases where
    something stands in the way: their own unit handles the case (a unit does not rate its own
    work). A constant number of queries for a page of cases."""
    actor = _as_actor(actor)
    cases = [case for case in cases if not is_enterprise_contact(actor, case)]
    cadre_of = [
        tf for tf, roles in actor.taskforce_roles.items() if TaskForceMember.Role.CADRE in roles
    ]
    if not cases or not cadre_of:
        return {}
    paired = set(
        TaskForceEnterprise.objects.filter(
            task_force_id__in=cadre_of, enterprise_id__in={case.enterprise_id for case in cases}
        ).values_list("enterprise_id", flat=True)
    )
    interested = interested_departments(actor, [c for c in cases if c.enterprise_id in paired])
    message = _(
        "%(department)s承办此问题，本单位的干部不能代录它的评价。"
        "请企业自行评价，或由其他单位的结对干部回访代录。"
    )
    return {pk: message % {"department": name} for pk, name in interested.items()}


def rating_conflict(actor, case: Case) -> str:
    """rating_conflicts for one case: the reason, or "" when nothing stands in the way."""
    return rating_conflicts(actor, [case]).get(case.pk, "")


def deadline_passed(case: Case, now: dt.datetime | None = None) -> bool:
    """The deadline the case is measured on now has passed (cases.deadlines decides)."""
    current = deadlines.current_deadline(case)
    return current is not None and deadlines.is_overdue(current.due_at, now or timezone.now())


def is_enterprise_past_deadline(actor: Actor, case: Case) -> bool:
    return is_enterprise_contact(actor, case) and deadline_passed(case)


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
            [is_enterprise_contact, is_disinterested_cadre],
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
        _t(
            "urge",
            gettext_lazy("催办"),
            ACTIVE,
            [is_office, is_taskforce_reviewer, is_enterprise_past_deadline],
            guard=lambda c: not c.is_suspended,
            guard_message=gettext_lazy("问题已挂起（等待企业），期限暂停计算，不能催办。"),
        ),
        _t("close", gettext_lazy("销号"), [S.REPLIED], [is_office]),
        _t("reopen", gettext_lazy("重新办理"), [S.CLOSED], [is_office]),
        _t(
            "merge",
            gettext_lazy("合并"),
            [S.SUBMITTED],
            [is_office],
            guard=lambda c: c.joint_group_id is None,
            guard_message=gettext_lazy("此问题正在并案办理，请先退出并案再合并。"),
        ),
        _t(
            "join",
            gettext_lazy("并案办理"),
            [S.SUBMITTED],
            [is_office],
            guard=lambda c: c.joint_group_id is None,
            guard_message=gettext_lazy("此问题已在并案办理中；要改并到另一组，请先退出并案。"),
        ),
        _t(
            "leave_joint",
            gettext_lazy("退出并案"),
            [S.SUBMITTED, S.ASSIGNED, S.IN_PROGRESS],
            [is_office],
            guard=lambda c: c.joint_group_id is not None,
            guard_message=gettext_lazy("此问题没有并案办理。"),
        ),
    ]
}


def allowed_actions(user_or_actor, case: Case) -> list[str]:
    """The transitions this user may take on this case now (what a page offers as buttons)."""
    actor = user_or_actor if isinstance(user_or_actor, Actor) else actor_for(user_or_actor)
    names = []
    for t in TRANSITIONS.values():
        if case.status not in t.states or not any(who(actor, case) for who in t.who):
            continue
        if t.name in joint.ON_MAIN and case.is_joint_member:
            continue  # done on the group's main case (cases.joint)
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
    if name in joint.ON_MAIN and case.is_joint_member:
        main = Case.objects.filter(pk=case.joint_group_id).values_list("number", flat=True).get()
        raise InvalidState(
            _("此问题与其他企业的同类问题并案办理，请在主办件 %(number)s 上%(action)s。")
            % {"number": main, "action": t.label},
            status=case.status,
        )
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
    internal_note: str = "",
    department: Department | int | None = None,
    data: dict | None = None,
) -> CaseEvent:
    """Write the event: who acted, for which unit (cases.units), on which department. `note` is
    read by whoever sees the event (the enterprise too, when public); `internal_note` — the
    office's 交办意见, its remark on a decision — only by those who work on the case."""
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor.user if actor.user.is_authenticated else None,
        department_id=department.pk if isinstance(department, Department) else department,
        **actor_unit(actor, case, kind=kind).fields(),
        note=note,
        public=public,
        internal_note=(internal_note or "").strip(),
        data=data or {},
    )
    on_case_event(event)
    if case.is_joint_main and joint.carries(event):
        event.carried = _carry(case, event, actor)  # its files follow (cases.attachments)
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


@transaction.atomic
def case_accept(
    *,
    actor,
    case: Case | int,
    contact_note: str,
    contact_method: str = "",
    contact_person: str = "",
    contact_mobile: str = "",
    new_contact: bool = False,
    now: dt.datetime | None = None,
) -> Case:
    """签收并对接: the first contact with the enterprise — what the 3-working-day rule measures.

    contact_note says what was agreed; how (visit, phone, meeting) and with whom go with it: the
    对接人 is one of the enterprise's contacts (enterprises.contacts), or with new_contact a person
    not among them yet, who joins them (name and a mainland mobile required).
    """
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("accept", actor, case)
    _required(contact_note=contact_note)
    check_input(
        lines={"contact_person": contact_person, "contact_mobile": contact_mobile},
        texts={"contact_note": contact_note},
    )
    if contact_method and contact_method not in CONTACT_METHODS:
        raise ValidationError({"contact_method": _("对接方式只能是上门、电话或会议。")})
    person, mobile = (contact_person or "").strip(), (contact_mobile or "").strip()
    added = None
    if new_contact:
        added = _contact_person_add(actor, case, person, mobile)
        person, mobile = added.name, added.mobile
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
            "person": person,
            "mobile": mobile,
            "contact": added.pk if added else None,
        },
    )
    return case


def _contact_person_add(actor: Actor, case: Case, name: str, mobile: str):
    """A 对接人 typed in on acceptance joins the enterprise's contacts (the same name and mobile
    again is the person already there; another name on a listed mobile is refused)."""
    errors = {}
    if not name:
        errors["contact_person"] = _("请填写新联系人的姓名。")
    elif len(name) > 50:
        errors["contact_person"] = _("姓名不能超过50个字。")
    try:
        validate_mainland_mobile(mobile)
    except ValidationError as invalid:
        errors["contact_mobile"] = invalid.messages
    if errors:
        raise ValidationError(errors)
    person, created = contact_person_add(
        enterprise=case.enterprise_id, name=name, mobile=mobile, added_by=actor.user
    )
    if not created and person.name != name:
        raise ValidationError(
            {
                "contact_mobile": _(
                    "手机号码 %(mobile)s 已登记为联系人“%(name)s”，请从联系人中选择。"
                )
                % {"mobile": person.mobile, "name": person.name}
            }
        )
    return person


@transaction.atomic
def case_add_progress(
    *, actor, case: Case | int, note: str, public: bool = False, attachments=()
) -> CaseEvent:
    """调度/进展: a note on the handling; public ones reach the enterprise. Its files (photos,
    PDFs, Office documents: cases.attachments) are public or internal with it; one bad file
    refuses the whole note."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("progress", actor, case)
    _required(note=note)
    check_input(texts={"note": note})
    files = event_files.check_files(attachments)
    event = _record(
        case,
        CaseEvent.Kind.PROGRESS,
        actor,
        note=note,
        public=bool(public),
        department=actor.department_id,
    )
    event_files.attachments_store(event=event, files=files, uploaded_by=actor.user)
    return event


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
    *,
    actor,
    case: Case | int,
    outcome: str,
    reply: str,
    now: dt.datetime | None = None,
    attachments=(),
) -> Case:
    """反馈: the result goes to the enterprise — resolved, or explained (a policy barrier) — with
    its files (a 答复函, photos: cases.attachments), which the enterprise may download."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("reply", actor, case)
    errors = {}
    if outcome not in Case.Outcome.values:
        errors["outcome"] = _("请选择办理结果：已解决，或政策障碍已解释到位。")
    if not (reply or "").strip():
        errors["reply"] = _("请填写反馈给企业的办理结果。")
    errors = {**input_errors(texts={"reply": reply}), **errors}
    files = []
    try:
        files = event_files.check_files(attachments)
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
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
    event = _record(
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
    event_files.attachments_store(event=event, files=files, uploaded_by=actor.user)
    return case


@transaction.atomic
def case_rate(
    *, actor, case: Case | int, rating: str, comment: str = "", now: dt.datetime | None = None
) -> Case:
    """好差评: the enterprise (or its cadre, on a return visit) rates the reply; dissatisfied reopens it.

    A cadre whose own unit handles the case (interested_department) may not record its rating.
    """
    actor = _as_actor(actor)
    case = _lock(case)
    if conflict := rating_conflict(actor, case):
        raise ActionForbidden(conflict)
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
        data={
            "rating": rating,
            "round": case.reply_round,
            "recorded_by_cadre": by_cadre,
            "recorded_by": actor.user.get_full_name() or actor.user.get_username(),
        },
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
        if case.joint_group_id is not None:  # reopened alone, out of its group (cases.joint)
            _leave_group(case, _SYSTEM, _("企业不满意，本问题退出并案，由牵头部门单独重新办理。"))
    return case


@transaction.atomic
def case_urge(
    *, actor, case: Case | int, note: str = "", now: dt.datetime | None = None
) -> CaseEvent:
    """催办: the office, a task-force leader, or the enterprise once a deadline has passed presses
    the lead department (told at once, with the office) — each unit at most once a working day.

    The enterprise's urge and its words are on its timeline; the office's and a leader's are
    internal."""
    actor = _as_actor(actor)
    case = _lock(case)
    now = _now(now)
    enterprise = is_enterprise_contact(actor, case)
    check_input(texts={"note": note})
    if enterprise and case.status in ACTIVE:
        if case.is_suspended:
            raise InvalidState(str(TRANSITIONS["urge"].guard_message), status=case.status)
        current = deadlines.current_deadline(case)
        if current is None or not deadlines.is_overdue(current.due_at, now):
            raise InvalidState(
                _("%(deadline)s（%(due)s）还没到，到期未办结再催办。")
                % {
                    "deadline": deadlines.DEADLINE_LABELS[current.kind] if current else _("期限"),
                    "due": local_date(current.due_at).isoformat() if current else "—",
                },
                status=case.status,
            )
    _authorize("urge", actor, case)
    again = urge_again_at(actor, case, now)
    if again is not None:
        raise InvalidState(
            _("今天已催办过此问题，每个工作日只能催办一次；%(day)s起可再次催办。")
            % {"day": local_date(again).isoformat()},
            status=case.status,
        )
    current = deadlines.current_deadline(case)
    return _record(
        case,
        CaseEvent.Kind.URGED,
        actor,
        note=(note or "").strip() if enterprise else "",
        internal_note="" if enterprise else note,
        public=enterprise,
        department=case.lead_department_id,
        data={
            "deadline": current.kind if current else None,
            "due_at": _isoformat(current.due_at) if current else None,
            "overdue": bool(current) and deadlines.is_overdue(current.due_at, now),
        },
    )


def urge_again_at(actor, case: Case, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the actor's unit may urge the case again; None when it may now."""
    unit = actor_unit(_as_actor(actor), case, kind=CaseEvent.Kind.URGED)
    last = (
        case.events.filter(kind=CaseEvent.Kind.URGED, unit_kind=unit.kind, unit_name=unit.name)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )
    return urge_again_after(last, now, work_calendar())


def urge_again_after(
    last: dt.datetime | None, now: dt.datetime | None, calendar: WorkCalendar
) -> dt.datetime | None:
    """Once a working day: an urge counts for its working day (one made on a day off, for the
    working day that follows), and the next may come from the start of the working day after it —
    after Friday's, Monday; after Saturday's, Tuesday. None when it may come now."""
    if last is None:
        return None
    day = local_date(last)
    if not calendar.is_workday(day):
        day = add_working_days(day, 1, calendar)
    again = start_of_day(add_working_days(day, 1, calendar))
    return again if _now(now) < again else None


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
    if case.joint_group_id is not None:  # reopened alone, out of its group (cases.joint)
        _leave_group(case, actor, _("本问题重新办理，退出并案，由牵头部门单独办理。"))
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
    if target.enterprise_id != case.enterprise_id:
        raise ValidationError(
            {
                "into": _(
                    "问题 %(number)s 是另一家企业反映的，不能合并：合并只用于同一企业的重复问题。"
                    "不同企业的同类问题请“并案办理”，各企业分别得到答复、分别评价。"
                )
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


# --- joint handling (并案, cases.joint) -----------------------------------------------------------

# Who writes what follows on its own from another's act (a group ending when its last other case
# left): the system.
_SYSTEM = Actor(user=AnonymousUser())


@transaction.atomic
def case_join(*, actor, case: Case | int, into: Case | int) -> Case:
    """并案办理: a case waiting for assignment joins the same problem of another enterprise (or its
    group), to be handled with it as one piece of work; assigned at once if the group is."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("join", actor, case)
    into_pk = getattr(into, "pk", into)
    if into_pk == case.pk:
        raise ValidationError({"into": _("不能把问题与它自己并案。")})
    target = Case.objects.filter(pk=into_pk).first()
    if target is None:
        raise ValidationError({"into": _("要并案的问题不存在。")})
    main = _lock(target.joint_group_id or target.pk)
    group = [main, *Case.objects.filter(joint_group_id=main.pk).exclude(pk=main.pk)]
    if any(c.enterprise_id == case.enterprise_id for c in group):
        raise ValidationError(
            {
                "into": _(
                    "问题 %(number)s 与本问题属于同一家企业（或它的并案中已有本企业的问题）："
                    "同一企业的重复问题请合并，不同企业的同类问题才并案办理。"
                )
                % {"number": target.number}
            }
        )
    if main.status not in joint.JOINABLE:
        raise ValidationError(
            {
                "into": _(
                    "问题 %(number)s 当前为“%(status)s”：并案只能在牵头部门签收之前进行，"
                    "请单独交办此问题。"
                )
                % {"number": main.number, "status": main.get_status_display()}
            }
        )
    if main.joint_group_id is None:
        main.joint_group = main
        main.save(update_fields=["joint_group", "updated_at"])
    case.joint_group = main
    assigned = main.status == S.ASSIGNED
    if assigned:  # assigned with the group: its lead, co-departments and deadlines
        for name in joint.MIRRORED:
            setattr(case, name, getattr(main, name))
    case.save()
    if assigned:
        case.co_departments.set(main.co_departments.all())
    _record(
        case,
        CaseEvent.Kind.JOINED,
        actor,
        public=True,
        note=_("与其他 %(count)d 家企业反映的同类问题并案办理：由牵头部门一并办理，分别答复。")
        % {"count": len(group)},
        data={"group": main.pk},
    )
    _record(
        main,
        CaseEvent.Kind.JOINED,
        actor,
        public=True,
        note=_("另有企业反映了同类问题，与本问题并案办理（共 %(count)d 家企业），分别答复。")
        % {"count": len(group) + 1},
        data={"group": main.pk, "case": case.pk},
    )
    if assigned:
        assignment = (
            main.events.filter(kind=CaseEvent.Kind.ASSIGNED).order_by("-created_at", "-id").first()
        )
        _record(
            case,
            CaseEvent.Kind.ASSIGNED,
            actor,
            public=True,
            internal_note=assignment.internal_note if assignment else "",
            department=main.lead_department_id,
            data={**_carried_data(assignment), "joint_group": main.pk},
        )
    return case


@transaction.atomic
def case_leave_joint(*, actor, case: Case | int, note: str = "") -> Case:
    """退出并案: the office takes an open case out of its group; it keeps its state and is handled
    on its own from now on."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("leave_joint", actor, case)
    check_input(texts={"note": note})
    _leave_group(
        case, actor, _("本问题不再与其他企业的问题并案，由牵头部门单独办理。"), internal_note=note
    )
    return case


def _carried_data(event: CaseEvent | None) -> dict:
    if event is None:
        return {}
    return {k: v for k, v in event.data.items() if k not in joint.PRIVATE_DATA}


def _carry(main: Case, event: CaseEvent, actor: Actor) -> list[CaseEvent]:
    """What the main case of a group recorded, carried to each member in step with it: the member
    takes the main case's handling (cases.joint.MIRRORED; the reply too) and an event of its own,
    so that its enterprise is told as it would be of its own case. The members' events."""
    members = list(
        Case.objects.select_for_update(of=("self",))
        .select_related("enterprise")
        .filter(joint_group_id=main.pk, status__in=joint.CARRIED[event.kind])
        .exclude(pk=main.pk)
        .order_by("pk")
    )
    if not members:
        return []
    if event.public and event.note:
        names = [main.enterprise.name, *(m.enterprise.name for m in members)]
        if found := joint.names_in(event.note, names):
            raise ValidationError(
                {
                    joint.TEXT_FIELDS.get(event.kind, "note"): _(
                        "此问题并案办理，这段内容会同时发给 %(count)d 家企业，"
                        "请不要写入企业名称（%(names)s）。"
                    )
                    % {"count": len(members) + 1, "names": "、".join(found)}
                }
            )
    co_departments = None
    if event.kind in (
        CaseEvent.Kind.ASSIGNED,
        CaseEvent.Kind.RETURNED,
        CaseEvent.Kind.RETURN_REFUSED,
    ):
        co_departments = list(main.co_departments.values_list("pk", flat=True))
    data = {**_carried_data(event), "joint_group": main.pk}
    carried = []
    for member in members:
        for name in joint.MIRRORED:
            setattr(member, name, getattr(main, name))
        if event.kind == CaseEvent.Kind.REPLIED:
            for name in joint.REPLY_FIELDS:
                setattr(member, name, getattr(main, name))
            member.reply_round += 1
            member.rating = ""
            data = {**data, "round": member.reply_round}
        member.save()
        if co_departments is not None:
            member.co_departments.set(co_departments)
        carried.append(
            _record(
                member,
                event.kind,
                actor,
                note=event.note,
                internal_note=event.internal_note,
                public=event.public,
                department=event.department_id,
                data=data,
            )
        )
    return carried


def _leave_group(case: Case, actor: Actor, note: str, *, internal_note: str = "") -> None:
    """The case leaves its group: a main case hands the group to the earliest other case, and a
    group left with one case ends."""
    group = case.joint_group_id
    rest = list(
        Case.objects.select_for_update(of=("self",))
        .filter(joint_group_id=group)
        .exclude(pk=case.pk)
        .order_by("pk")
    )
    case.joint_group = None
    case.save(update_fields=["joint_group", "updated_at"])
    main = group if group != case.pk else (rest[0].pk if rest else None)
    _record(
        case,
        CaseEvent.Kind.JOINT_LEFT,
        actor,
        note=note,
        internal_note=internal_note,
        public=True,
        data={"group": group},
    )
    if len(rest) == 1:
        (last,) = rest
        last.joint_group = None
        last.save(update_fields=["joint_group", "updated_at"])
        _record(
            last,
            CaseEvent.Kind.JOINT_LEFT,
            _SYSTEM,
            note=_("并案的其他问题已单独办理，本问题不再并案。"),
            data={"group": group},
        )
    elif main != group:
        Case.objects.filter(pk__in=[c.pk for c in rest]).update(joint_group=main)
        _record(
            rest[0],
            CaseEvent.Kind.JOINED,
            _SYSTEM,
            note=_("原主办件退出并案，本问题改为并案的主办件。"),
            data={"group": main, "previous_group": group},
        )
