"""Who may do what to a case, and when (DESIGN §4): the roles' predicates, the TRANSITIONS
table that pairs each action with the states it is taken in and the roles that take it, and the
few permissions outside the table (ticking a breakdown item, keeping a commitment).

The actions (cases.workflow) and the pages that offer them ask the same functions here, so a page
never shows a button the action would refuse, nor hides one it would allow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import deadlines, joint
from cases.models import BreakdownItem, Case, CityEscalation, Commitment, Rating, Request
from cases.roles import Actor, actor_for
from enterprises.models import Department
from taskforces.models import TaskForceEnterprise, TaskForceMember

S = Case.Status
Who = Callable[[Actor, Case], bool]


def _as_actor(user_or_actor) -> Actor:
    return user_or_actor if isinstance(user_or_actor, Actor) else actor_for(user_or_actor)


# --- who may act -------------------------------------------------------------------------------


def may_take(department: Department, case: Case) -> bool:
    """Whether `department` can be given part of `case` — lead it, co-operate on it, hold a 责任清单
    item: one of the case's county's departments, active, not the office."""
    return department.active and not department.is_office and department.county_id == case.county_id


def departments_for(case: Case):
    """may_take as a query: the departments a case's forms offer."""
    return Department.objects.filter(county_id=case.county_id, active=True).exclude(
        kind=Department.Kind.OFFICE
    )


def is_office(actor: Actor, case: Case) -> bool:
    return actor.is_office


def is_county_office(actor: Actor, case: Case) -> bool:
    """The office of the case's own county (上报市级 goes up from the county that handled it)."""
    return actor.is_office and actor.in_county(case.county_id)


def is_lead(actor: Actor, case: Case) -> bool:
    return bool(actor.department_id) and actor.department_id == case.lead_department_id


def is_co(actor: Actor, case: Case) -> bool:
    if not actor.department_id:
        return False
    if "co_departments" in getattr(case, "_prefetched_objects_cache", {}):  # the case page's
        return any(d.pk == actor.department_id for d in case.co_departments.all())
    return case.co_departments.filter(pk=actor.department_id).exists()


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


def is_county_leadership(actor: Actor, case: Case) -> bool:
    """书记, 县长 or a 分管县领导 (taskforces.CountyLeader): every case of the county is theirs to
    read, and 批示 the one thing they do to one."""
    return actor.is_leadership


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


def _is_listed(case: Case) -> bool:
    return case.listed_at is not None


def is_up_with_city(case: Case) -> bool:
    """An escalation of the case the city has not answered yet (at most one: the constraint
    city_escalation_one_open)."""
    return CityEscalation.objects.filter(case_id=case.pk, answered_at__isnull=True).exists()


def may_escalate_to_city(case: Case) -> bool:
    """上报市级: a case explained as a policy barrier (beyond the county's power), not up with the
    city now — never before, or answered (the county may send it up again, say with a new
    proposal after the city's answer)."""
    return case.outcome == Case.Outcome.EXPLAINED and not is_up_with_city(case)


def _latest_rating_appealable(case: Case) -> bool:
    latest = case.ratings.order_by("-reply_round").first()
    return latest is not None and latest.appeal == Rating.Appeal.NONE


def _latest_rating_pending_appeal(case: Case) -> bool:
    latest = case.ratings.order_by("-reply_round").first()
    return latest is not None and latest.appeal == Rating.Appeal.PENDING


ACTIVE = (S.ASSIGNED, S.IN_PROGRESS)
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
            [is_taskforce_reviewer, is_county_leadership],
        ),
        _t(
            "urge",
            gettext_lazy("催办"),
            ACTIVE,
            [is_office, is_taskforce_reviewer, is_enterprise_past_deadline],
            guard=lambda c: not c.is_suspended,
            guard_message=gettext_lazy("问题已挂起（等待企业），期限暂停计算，不能催办。"),
        ),
        # 挂牌督办 is the office's decision (the ladder's top level only proposes it): a case
        # with a lead department to press, until it is closed (which delists it).
        _t(
            "list",
            gettext_lazy("挂牌督办"),
            [S.ASSIGNED, S.IN_PROGRESS, S.REPLIED],
            [is_office],
            guard=lambda c: not _is_listed(c),
            guard_message=gettext_lazy("此问题已挂牌督办。"),
        ),
        _t(
            "delist",
            gettext_lazy("摘牌"),
            Case.OPEN_STATUSES,
            [is_office],
            guard=_is_listed,
            guard_message=gettext_lazy("此问题没有挂牌督办。"),
        ),
        _t("close", gettext_lazy("销号"), [S.REPLIED], [is_office]),
        # 上报市级 (cases.workflow.city): what the county explained as a policy barrier goes up to
        # the city with the office's 政策建议; it stays replied or closed meanwhile.
        _t(
            "escalate_to_city",
            gettext_lazy("上报市级"),
            [S.REPLIED, S.CLOSED],
            [is_county_office],
            guard=may_escalate_to_city,
            guard_message=gettext_lazy("只有反馈结果为“政策障碍，已解释到位”的问题才能上报市级。"),
        ),
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


# --- permissions outside the table -------------------------------------------------------------


def may_tick_item(user_or_actor, case: Case, item: BreakdownItem) -> bool:
    """完成任务: the office, the lead department or the department the item is for may tick it
    done (on an active case: breakdown_item_complete refuses it otherwise, as a state)."""
    actor = _as_actor(user_or_actor)
    return actor.is_office or is_lead(actor, case) or actor.department_id == item.department_id


def may_keep_commitment(user_or_actor, commitment: Commitment) -> bool:
    """践诺: whoever made the promise, their department, or the office may mark it kept."""
    actor = _as_actor(user_or_actor)
    own = commitment.committed_by_id == actor.user.pk or (
        actor.department_id and actor.department_id == commitment.department_id
    )
    return bool(own or actor.is_office)
