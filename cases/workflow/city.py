"""上报市级 (issue 22, 整体优化): what a county cannot solve alone goes up to its city.

The county office escalates a case its lead department explained as a policy barrier, with its
政策建议; the city's office assigns it to a city department, whose deadlines are counted on the
same working days as a county department's (cases.deadlines.city_deadlines); the department signs
for it (签收) and answers. Once answered, the county may send the case up again (a new row; never
two open at once). Each step writes an event on the case's timeline: the escalation and the
answer are public (the enterprise reads that its problem went up, and the city's answer); the
proposal, the assignment and the signing are the working record. The county office then closes or
reopens the case as it would any other.

Each function locks the case row and the escalation, checks the actor (ActionForbidden), the
state (InvalidState) and the input (ValidationError), in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import deadlines
from cases.errors import ActionForbidden, InvalidState, forbidden
from cases.models import Case, CaseEvent, CityEscalation
from cases.roles import Actor
from cases.validators import check_input
from cases.workflow import steps
from cases.workflow.rules import TRANSITIONS, _as_actor, is_up_with_city
from cases.workflow.steps import _authorize, _isoformat, _lock, _record, _required
from counties.models import CityDepartment

# The working days a city department has to answer, unless the city's office says otherwise.
ANSWER_WORKING_DAYS = 15
ANSWER_WORKING_DAYS_RANGE = (1, 60)


@transaction.atomic
def case_escalate_to_city(
    *, actor, case: Case | int, proposal: str, now: dt.datetime | None = None
) -> CityEscalation:
    """上报市级: the county office sends a policy barrier up to its city with its 政策建议 — again
    once the city answered the last time, never while an escalation is open."""
    actor = _as_actor(actor)
    case = _lock(case)
    t = TRANSITIONS["escalate_to_city"]
    if not any(who(actor, case) for who in t.who):
        raise forbidden(str(t.label))
    if is_up_with_city(case):
        raise InvalidState(_("此问题已上报市级，市级答复前不能再次上报。"), status=case.status)
    _authorize("escalate_to_city", actor, case)
    _required(proposal=proposal)
    check_input(texts={"proposal": proposal})
    now = steps._now(now)
    earlier = CityEscalation.objects.filter(case=case).count()
    escalation = CityEscalation.objects.create(
        case=case,
        city_id=case.county.city_id,
        proposal=proposal.strip(),
        escalated_by=actor.user,
        escalated_at=now,
    )
    _record(
        case,
        CaseEvent.Kind.CITY_ESCALATED,
        actor,
        note=_("县委办已将此问题作为政策性问题上报市级协调。")
        if not earlier
        else _("县委办已将此问题再次上报市级协调（第%(n)d次）。") % {"n": earlier + 1},
        internal_note=escalation.proposal,
        public=True,
        data={"escalation": escalation.pk, "round": earlier + 1},
    )
    return escalation


def _lock_escalation(escalation: CityEscalation | int) -> tuple[CityEscalation, Case]:
    pk = escalation.pk if isinstance(escalation, CityEscalation) else escalation
    case_id = CityEscalation.objects.filter(pk=pk).values_list("case_id", flat=True).get()
    case = _lock(case_id)  # the case first, as every action of the workflow locks it
    locked = (
        CityEscalation.objects.select_for_update(of=("self",))
        .select_related("city_department")
        .get(pk=pk)
    )
    return locked, case


def may_assign_in_city(actor: Actor, escalation: CityEscalation) -> bool:
    """The city's office of the escalation's city (its pages offer the form on this)."""
    return actor.reads_city and actor.city_id == escalation.city_id


def may_answer_in_city(actor: Actor, escalation: CityEscalation) -> bool:
    """The staff of the city department the escalation was given to."""
    return (
        actor.city_department_id is not None
        and actor.city_department_id == escalation.city_department_id
    )


@transaction.atomic
def city_escalation_assign(
    *,
    actor,
    escalation: CityEscalation | int,
    city_department: CityDepartment | int | None,
    answer_working_days: int | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> CityEscalation:
    """市级交办: the city's office gives the escalated case to one of its city departments; its
    deadlines are counted from now on the working days (the contact rule's for 签收, the office's
    for the answer)."""
    actor = _as_actor(actor)
    escalation, case = _lock_escalation(escalation)
    if not may_assign_in_city(actor, escalation):
        raise ActionForbidden(_("只有本市市委办可以交办上报市级的问题。"))
    if escalation.state != CityEscalation.State.ESCALATED:
        raise InvalidState(
            _("此问题已交%(department)s办理，不能重复交办。")
            % {"department": escalation.city_department},
            status=case.status,
        )
    check_input(texts={"note": note})
    errors = {}
    department_id = getattr(city_department, "pk", city_department)
    department = (
        CityDepartment.objects.filter(pk=department_id, city_id=escalation.city_id, active=True)
        .only("pk", "name")
        .first()
        if department_id
        else None
    )
    if department is None:
        errors["city_department"] = _("请选择本市的一个市直部门。")
    low, high = ANSWER_WORKING_DAYS_RANGE
    days = ANSWER_WORKING_DAYS if answer_working_days is None else answer_working_days
    if not low <= days <= high:
        errors["answer_working_days"] = _("答复时限须为 %(min)d 至 %(max)d 个工作日。") % {
            "min": low,
            "max": high,
        }
    if errors:
        raise ValidationError(errors)
    now = steps._now(now)
    contact_due, answer_due = deadlines.city_deadlines(now, days, steps.work_calendar())
    escalation.city_department = department
    escalation.assign_note = (note or "").strip()
    escalation.assigned_by = actor.user
    escalation.assigned_at = now
    escalation.answer_working_days = days
    escalation.contact_due_at, escalation.answer_due_at = contact_due, answer_due
    escalation.save()
    _record(
        case,
        CaseEvent.Kind.CITY_ASSIGNED,
        actor,
        note=_("交%(department)s办理。") % {"department": department.name},
        internal_note=escalation.assign_note,
        data={
            "escalation": escalation.pk,
            "city_department": department.pk,
            "city_department_name": department.name,
            "contact_due_at": _isoformat(contact_due),
            "answer_due_at": _isoformat(answer_due),
        },
    )
    return escalation


def _check_answering(actor: Actor, escalation: CityEscalation, case: Case) -> None:
    if not may_answer_in_city(actor, escalation):
        raise ActionForbidden(_("只有承办此问题的市直部门可以签收或答复。"))
    if escalation.answered_at is not None:
        raise InvalidState(_("此问题市级已答复。"), status=case.status)


@transaction.atomic
def city_escalation_contact(
    *, actor, escalation: CityEscalation | int, note: str, now: dt.datetime | None = None
) -> CityEscalation:
    """市直部门签收: the city department takes the case up and tells the county how — what the
    contact deadline measures."""
    actor = _as_actor(actor)
    escalation, case = _lock_escalation(escalation)
    _check_answering(actor, escalation, case)
    if escalation.contacted_at is not None:
        raise InvalidState(_("此问题已签收。"), status=case.status)
    _required(note=note)
    check_input(texts={"note": note})
    now = steps._now(now)
    escalation.contacted_at = now
    escalation.save()
    _record(
        case,
        CaseEvent.Kind.CITY_CONTACTED,
        actor,
        note=note.strip(),
        data={"escalation": escalation.pk, "on_time": now <= escalation.contact_due_at},
    )
    return escalation


@transaction.atomic
def city_escalation_answer(
    *, actor, escalation: CityEscalation | int, answer: str, now: dt.datetime | None = None
) -> CityEscalation:
    """市级答复: the city department's answer comes back to the case's timeline, public — the
    county office, the lead department and the enterprise read it. Answering signs for it too."""
    actor = _as_actor(actor)
    escalation, case = _lock_escalation(escalation)
    _check_answering(actor, escalation, case)
    if not (answer or "").strip():
        raise ValidationError({"answer": _("请填写市直部门的答复意见。")})
    check_input(texts={"answer": answer})
    now = steps._now(now)
    escalation.contacted_at = escalation.contacted_at or now
    escalation.answer = answer.strip()
    escalation.answered_by = actor.user
    escalation.answered_at = now
    escalation.save()
    _record(
        case,
        CaseEvent.Kind.CITY_ANSWERED,
        actor,
        note=escalation.answer,
        public=True,
        data={
            "escalation": escalation.pk,
            "city_department_name": escalation.city_department.name,
            "on_time": now <= escalation.answer_due_at,
        },
    )
    return escalation


def city_clocks(escalation: CityEscalation, now: dt.datetime, calendar) -> dict:
    """The city department's two deadlines as the boards read them (cases.deadlines.Clock, in
    the city's words: 超期未签收, 超期未答复)."""
    return {
        "contact": deadlines.plain_clock(
            deadlines.CITY_CONTACT,
            escalation.contact_due_at,
            escalation.contacted_at,
            now,
            calendar,
        ),
        "answer": deadlines.plain_clock(
            deadlines.CITY_ANSWER, escalation.answer_due_at, escalation.answered_at, now, calendar
        ),
    }
