"""Where the workflow hands each new case event to the notification outbox.

Called inside the transaction that recorded the event, with `event.case` the case the workflow has
locked and saved: the messages the event causes are written in that transaction (and delivered
after it commits), and the case's reminder cursor is recomputed whenever its deadlines or state
may have moved.
"""

from __future__ import annotations

from cases.models import CaseEvent
from notifications import audience, messages
from notifications.outbox import outbox_rows, outbox_write
from notifications.reminders import case_reminders_replan

K = CaseEvent.Kind

# Events after which a deadline may run, stop, or move.
REPLAN = frozenset(
    {
        K.ASSIGNED,
        K.RETURNED,
        K.RETURN_REFUSED,
        K.ACCEPTED,
        K.EXTENSION_DECIDED,
        K.SUSPENSION_DECIDED,
        K.RESUMED,
        K.REPLIED,
        K.RATED,
        K.REOPENED,
        K.CLOSED,
        K.MERGED,
    }
)


def on_case_event(event: CaseEvent) -> None:
    """Called inside the transaction that recorded the event; writes the outbox rows it causes."""
    if event.kind in REPLAN:
        case_reminders_replan(event.case)
    compose = _MESSAGES.get(event.kind)
    if compose is not None:
        outbox_write(compose(event))


def _lead_department(event: CaseEvent, message) -> list:
    case = event.case
    if case.lead_department_id is None:
        return []
    staff = audience.department_staff([case.lead_department_id])[case.lead_department_id]
    return outbox_rows(message, staff.everyone, webhooks=[case.lead_department])


def _enterprise(event: CaseEvent, message) -> list:
    return outbox_rows(message, audience.enterprise_contacts(event.case.enterprise_id))


def _assigned(event: CaseEvent) -> list:
    return _lead_department(event, messages.assigned(event)) + _enterprise(
        event, messages.assigned_for_enterprise(event)
    )


def _accepted(event: CaseEvent) -> list:
    return _enterprise(event, messages.contacted(event))


def _instruction(event: CaseEvent) -> list:
    return _lead_department(event, messages.instruction(event))


def _replied(event: CaseEvent) -> list:
    return _enterprise(event, messages.replied(event))


def _reopened(event: CaseEvent) -> list:
    return _lead_department(event, messages.reopened(event))


def _extension_decided(event: CaseEvent) -> list:
    rows = _lead_department(event, messages.extension_decided(event, for_enterprise=False))
    if event.data.get("approved"):
        rows += _enterprise(event, messages.extension_decided(event, for_enterprise=True))
    return rows


_MESSAGES = {
    K.ASSIGNED: _assigned,
    K.ACCEPTED: _accepted,
    K.INSTRUCTION: _instruction,
    K.REPLIED: _replied,
    K.REOPENED: _reopened,
    K.EXTENSION_DECIDED: _extension_decided,
}
