"""How a replied case ends or starts again: the enterprise's rating (好差评; dissatisfied reopens
it), the lead department's appeal of a rating and the office's ruling, close-out (销号), and the
office's reopening (重新办理)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases.closeout import closeout_check
from cases.errors import ActionForbidden, InvalidState
from cases.models import Case, CaseEvent, Rating
from cases.validators import check_input
from cases.workflow import steps
from cases.workflow.counts import _count_resolve_due
from cases.workflow.joining import _SYSTEM, _leave_group
from cases.workflow.listing import delist_finished
from cases.workflow.rules import (
    TRANSITIONS,
    S,
    _as_actor,
    is_enterprise_contact,
    rating_conflict,
)
from cases.workflow.steps import _authorize, _isoformat, _lock, _record, _required


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
        _reopen(case, steps._now(now))
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


def _reopen(case: Case, now: dt.datetime) -> None:
    """重办: back to the lead department, with a fresh resolve deadline from the category."""
    case.status = S.IN_PROGRESS
    case.reopen_count += 1
    case.replied_at = None
    case.closed_at = None
    case.outcome = ""
    _count_resolve_due(case, now, steps.work_calendar(case.county_id))


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
    """销号: the office closes the case out — rated, or unrated once the reply has waited its
    working days (cases.closeout)."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("close", actor, case)
    check_input(texts={"note": note})
    now = steps._now(now)
    note = closeout_check(case, now, steps.work_calendar(case.county_id), note)
    case.status = S.CLOSED
    case.closed_at = now
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
    delist_finished(case, actor, _("问题已销号，自动摘牌。"))
    return case


@transaction.atomic
def cases_close(
    *, actor, cases: Sequence[Case], note: str = "", now: dt.datetime | None = None
) -> list[Case]:
    """销号 of many at once: every case closed, or none (InvalidState naming the case that could
    not be: it is not replied any more, or is unrated and has not waited long enough)."""
    now = steps._now(now)
    closed = []
    for case in cases:
        try:
            closed.append(case_close(actor=actor, case=case.pk, note=note, now=now))
        except (InvalidState, ValidationError) as error:
            message = getattr(error, "message", None) or "; ".join(error.messages)
            raise InvalidState(
                _("问题 %(number)s：%(message)s") % {"number": case.number, "message": message},
                status=case.status,
            ) from error
    return closed


@transaction.atomic
def case_reopen(*, actor, case: Case | int, reason: str, now: dt.datetime | None = None) -> Case:
    """The office reopens a closed case, with a reason."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("reopen", actor, case)
    _required(reason=reason)
    check_input(texts={"reason": reason})
    _reopen(case, steps._now(now))
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
