"""Which cases are handled together: 合并 (a duplicate of the same enterprise joins the case that
carries on) and 并案办理 (the same problem of several enterprises handled as one piece of work,
cases.joint) — joining a group, leaving it, and the group handed on or ended as cases leave."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import joint
from cases.models import Case, CaseEvent
from cases.roles import Actor
from cases.validators import check_input
from cases.workflow.listing import delist_finished
from cases.workflow.rules import S, _as_actor
from cases.workflow.steps import _authorize, _carried_data, _lock, _record


@transaction.atomic
def case_merge(*, actor, case: Case | int, into: Case | int) -> Case:
    """合并: a duplicate submitted case joins the case that carries on."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("merge", actor, case)
    into_pk = getattr(into, "pk", into)
    if into_pk == case.pk:
        raise ValidationError({"into": _("不能把问题合并到它自己。")})
    target = Case.objects.filter(pk=into_pk, county_id=case.county_id).first()
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
    delist_finished(case, actor, _("问题已合并，自动摘牌。"))
    return case


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
    target = Case.objects.filter(pk=into_pk, county_id=case.county_id).first()
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
