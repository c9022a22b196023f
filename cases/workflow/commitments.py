"""亮诺践诺: public promises to the enterprise, by a date, and their keeping (by those
rules.may_keep_commitment allows)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.errors import InvalidState, forbidden
from cases.models import Case, CaseEvent, Commitment
from cases.validators import check_input, input_errors
from cases.workdays import local_date
from cases.workflow import steps
from cases.workflow.rules import _as_actor, may_keep_commitment
from cases.workflow.steps import _authorize, _lock, _record


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
    elif due_on < local_date(steps._now(now)):
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
    if not may_keep_commitment(actor, commitment):
        raise forbidden(_("践诺"))
    check_input(texts={"note": note})
    if commitment.kept_at:
        raise InvalidState(_("这项承诺已经兑现。"), status=case.status)
    commitment.kept_at = steps._now(now)
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
