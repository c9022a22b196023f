"""Pressing the lead department (督办): 催办 by the office, a task-force leader or the enterprise
once a deadline has passed, once a working day per unit; and 批示 by a task force's leader or
head, which the lead department signs for."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import deadlines
from cases.errors import InvalidState, forbidden
from cases.models import Case, CaseEvent
from cases.units import actor_unit
from cases.validators import check_input
from cases.workdays import WorkCalendar, add_working_days, local_date, start_of_day
from cases.workflow import steps
from cases.workflow.rules import ACTIVE, TRANSITIONS, _as_actor, is_enterprise_contact, is_lead
from cases.workflow.steps import _authorize, _isoformat, _lock, _record, _required


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
    now = steps._now(now)
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
    return urge_again_after(last, now, steps.work_calendar(case.county_id))


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
    return again if steps._now(now) < again else None


@transaction.atomic
def case_instruct(*, actor, case: Case | int, text: str, public: bool = False) -> CaseEvent:
    """批示: the task force's leader or a head, or the county's leadership (书记, 县长, 分管县领导),
    instructs the lead department; internal by default."""
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
