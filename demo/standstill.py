"""While the demo's history is replayed, the county's people and calendar stand still and its
outbox waits.

build_county makes every unit's staff, every enterprise's contact and every task force before the
first case, and no step of a case's life changes them; so the notification audiences
(notifications.audience), asked again for each of some 3,000 events, are looked up once each —
the same answers, some 4,000 queries fewer; so is the work calendar (cases.selectors), which no
step changes either, asked a thousand times. And nothing in the replay reads the outbox, so the
rows each event writes (notifications.hooks → outbox_write) are kept in order and written at the
end in one outbox_write: the same rows, in the same order, with the same ids.

Like the clock (demo.clock), the patches live only inside the seeder's one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from unittest import mock

import cases.workflow.steps
import notifications.reminders
from cases.selectors import work_calendar
from notifications import audience, hooks
from notifications.models import Notification
from notifications.outbox import outbox_write

# The lookups of people the hooks make; each answers from the rows build_county wrote.
AUDIENCES = (
    "department_staff",
    "office_staff",
    "office_for_new_cases",
    "enterprise_cadres",
    "enterprise_contacts",
)


def _once_each(lookup):
    answers: dict = {}

    def remembered(*args):
        key = tuple(frozenset(a) if not isinstance(a, int | str) else a for a in args)
        if key not in answers:
            answers[key] = lookup(*args)
        return answers[key]

    return remembered


@contextmanager
def standing_still() -> Iterator[None]:
    rows: list[Notification] = []
    with ExitStack() as stack:
        for name in AUDIENCES:
            lookup = getattr(audience, name)
            stack.enter_context(mock.patch.object(audience, name, _once_each(lookup)))
        calendar = work_calendar()
        for module in (cases.workflow.steps, notifications.reminders):
            stack.enter_context(
                mock.patch.object(module, "work_calendar", lambda county_id=None: calendar)
            )
        stack.enter_context(mock.patch.object(hooks, "outbox_write", rows.extend))
        yield
    outbox_write(rows)
