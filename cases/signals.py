"""What the case domain announces, for the layers above it to act on (docs/architecture.md).

The domain does not know who listens: notifications connects its outbox and reminder planning
here (notifications.apps). Each signal is sent inside the transaction that made the change and
runs its receivers there and then (Signal.send, not send_robust): what a receiver writes commits
or rolls back with the change, and a receiver's error aborts the action — the same as the direct
call this replaces.
"""

from django.dispatch import Signal

# A case event was recorded; its case is locked and saved. Keyword: event (a CaseEvent).
case_event_recorded = Signal()

# The office changed the calendar and one open case's counted deadline moved with it.
# Keywords: case (locked, saved), calendar (the WorkCalendar the new deadline was counted on).
case_deadlines_moved = Signal()

# After a calendar change: every open case's escalation days may have moved.
# Keyword: skip (ids of the cases already answered through case_deadlines_moved).
calendar_changed = Signal()

# The office issued a 交办函 (cases.letters), once per meeting and department; the letter is saved.
# Keyword: letter (an AssignmentLetter).
assignment_letter_issued = Signal()


def event_recorded(event) -> None:
    """Announce a recorded event (the one call the workflow and the intake make)."""
    case_event_recorded.send(sender=type(event), event=event)


def letter_issued(letter) -> None:
    """Announce a newly issued 交办函 (cases.letters.letter_issue)."""
    assignment_letter_issued.send(sender=type(letter), letter=letter)
