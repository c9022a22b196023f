"""The city's deadlines in the deadline sweep (上报市级, cases.workflow.city): a city department's
签收 or answer deadline that went by is told to the city's office once — 超期未签收, 超期未答复.

Exactly once by the case reminders' own rule (notifications.reminders): each late deadline sent is
a notifications.models.Reminder row — the escalation's case, the deadline (CITY_CONTACT or
CITY_ANSWER), the escalation's due time, level cases.deadlines.CITY_LATE_LEVEL — under the same
unique (case, deadline, due_at, level), inserted in the transaction that writes the messages, on
escalations claimed with SELECT … FOR UPDATE SKIP LOCKED; a deadline already told is never told
again, and a sweep that finds none costs one query. The city's clock has no ladder above late (督办
and 挂牌督办 are the county office's own decisions): one message, one row. A case escalated again
once answered has new due times, so the second escalation's deadlines are told in their turn.
"""

from __future__ import annotations

import datetime as dt
import logging
import operator
from functools import reduce

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from cases import deadlines
from cases.models import CityEscalation
from notifications import audience, city_messages
from notifications.models import Reminder
from notifications.outbox import outbox_rows, outbox_write

logger = logging.getLogger(__name__)

# Each city deadline: the escalation's column of its due time.
DUE_FIELDS = {deadlines.CITY_CONTACT: "contact_due_at", deadlines.CITY_ANSWER: "answer_due_at"}


def _untold(kind: str, now: dt.datetime):
    told = Reminder.objects.filter(
        case=OuterRef("case_id"),
        deadline=kind,
        due_at=OuterRef(DUE_FIELDS[kind]),
        level=deadlines.CITY_LATE_LEVEL,
    )
    return deadlines.city_overdue_q(kind, now) & ~Exists(told)


@transaction.atomic
def city_reminders_sweep(now: dt.datetime | None = None) -> int:
    """Tell the city's office of each city deadline gone late since the last sweep; how many."""
    now = now or timezone.now()
    flags = {f"late_{kind}": kind for kind in DUE_FIELDS}
    untold = {
        flag: ExpressionWrapper(_untold(kind, now), output_field=BooleanField())
        for flag, kind in flags.items()
    }
    late = list(
        CityEscalation.objects.annotate(**untold)
        .filter(reduce(operator.or_, (Q(**{flag: True}) for flag in flags)))
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("city_department", "case__enterprise")
        .order_by("pk")
    )
    told, rows = 0, []
    for escalation in late:
        for flag, kind in flags.items():
            due_at = getattr(escalation, DUE_FIELDS[kind])
            if not getattr(escalation, flag) or not _claim(escalation, kind, due_at, now):
                continue
            message = city_messages.city_late(escalation, kind, due_at)
            rows += outbox_rows(message, audience.city_office_people(escalation.city_id))
            told += 1
    outbox_write(rows)
    return told


def _claim(escalation: CityEscalation, kind: str, due_at: dt.datetime, now) -> bool:
    """The unique row of this late deadline; False when another sweep wrote it first."""
    try:
        with transaction.atomic():
            Reminder.objects.create(
                case_id=escalation.case_id,
                deadline=kind,
                due_at=due_at,
                level=deadlines.CITY_LATE_LEVEL,
                sent_at=now,
            )
        return True
    except IntegrityError:
        logger.info("City reminder %s %s already sent by another sweep", escalation.pk, kind)
        return False
