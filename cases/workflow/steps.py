"""The steps every workflow action takes: lock the case row, authorise the actor against the
TRANSITIONS table (cases.workflow.rules), check the required input, and record the event — which
notifies, and on a joint group's main case is carried to its members (cases.joint).

The workflow's clock (_now) and calendar (work_calendar) are looked up here, through this module
(`steps._now(...)`, `steps.work_calendar()`), so that a test or the demo seeder sets them for
every action in one place.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import joint
from cases.errors import InvalidState, forbidden
from cases.models import Case, CaseEvent
from cases.roles import Actor
from cases.selectors import work_calendar as work_calendar  # the calendar seam (above)
from cases.signals import event_recorded
from cases.units import actor_unit
from cases.workflow.rules import TRANSITIONS
from enterprises.models import Department


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
    event_recorded(event)
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


def _isoformat(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


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
