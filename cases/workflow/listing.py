"""挂牌督办 as the office's decision: the escalation ladder's top level (cases.deadlines.FLAGGED,
three working days late) only proposes it (建议挂牌); the office lists a case (挂牌) with a reason,
and delists it (摘牌) with one. Closing a listed case delists it too, with an event that says so.

A listing is internal: its events are not on the enterprise's timeline. The lead department and
the task force's county leaders are told when a case is listed (notifications.hooks).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cases import deadlines
from cases.models import Case, CaseEvent
from cases.roles import Actor
from cases.validators import check_input
from cases.workdays import WorkCalendar
from cases.workflow import steps
from cases.workflow.rules import _as_actor
from cases.workflow.steps import _authorize, _isoformat, _lock, _record, _required


def proposed_for_listing(case: Case, now: dt.datetime, calendar: WorkCalendar) -> bool:
    """建议挂牌: the deadline the case is measured on has reached the ladder's top level and the
    office has not listed it. Reads the case's fields only."""
    if case.listed_at is not None:
        return False
    standing = deadlines.standing(case, now, calendar)
    return standing is not None and standing.level == deadlines.FLAGGED


@transaction.atomic
def case_list(*, actor, case: Case | int, reason: str, now: dt.datetime | None = None) -> CaseEvent:
    """挂牌: the office lists the case for the county's supervision, with a reason (the ladder's
    proposal, a leader's 批示, a meeting's decision). Told to the lead department and the task
    force's county leaders."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("list", actor, case)
    _required(reason=reason)
    check_input(texts={"reason": reason})
    now = steps._now(now)
    standing = deadlines.standing(case, now, steps.work_calendar(case.county_id))
    case.listed_at = now
    case.listed_by = actor.user if actor.user.is_authenticated else None
    case.listing_reason = reason.strip()
    case.save(update_fields=["listed_at", "listed_by", "listing_reason", "updated_at"])
    return _record(
        case,
        CaseEvent.Kind.LISTED,
        actor,
        note=case.listing_reason,
        department=case.lead_department_id,
        data={
            # What the ladder said when the office decided: its proposal, or listed before it.
            "level": standing.level if standing else None,
            "proposed": bool(standing) and standing.level == deadlines.FLAGGED,
        },
    )


@transaction.atomic
def case_delist(
    *, actor, case: Case | int, reason: str, now: dt.datetime | None = None
) -> CaseEvent:
    """摘牌: the office takes the case off the list, with a reason."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("delist", actor, case)
    _required(reason=reason)
    check_input(texts={"reason": reason})
    return _delist(case, actor, reason.strip(), automatic=False)


def delist_finished(case: Case, actor: Actor, note: str) -> CaseEvent | None:
    """A listed case that is finished (closed, merged) leaves the list on its own: called by the
    action that finished it, on the case it locked. None when the case was not listed."""
    if case.listed_at is None:
        return None
    return _delist(case, actor, note, automatic=True)


def _delist(case: Case, actor: Actor, note: str, *, automatic: bool) -> CaseEvent:
    listed_at = case.listed_at
    case.listed_at = None
    case.listed_by = None
    case.listing_reason = ""
    case.save(update_fields=["listed_at", "listed_by", "listing_reason", "updated_at"])
    return _record(
        case,
        CaseEvent.Kind.DELISTED,
        actor,
        note=note,
        department=case.lead_department_id,
        data={"automatic": automatic, "listed_at": _isoformat(listed_at)},
    )
