"""Which notification kinds each department's group robot receives, as its head chose them
(WebhookSubscription): the outbox drops the others, the workspace shows and edits the choice."""

from __future__ import annotations

from collections.abc import Iterable

from enterprises.models import Department
from notifications.models import WebhookSubscription


def webhook_event_kinds(department: Department | int) -> set[str]:
    """The notification kinds (notifications.models.Notification.Kind) this department's group
    robot receives. An empty set means all of them — also for a department that never chose."""
    pk = getattr(department, "pk", department)
    kinds = (
        WebhookSubscription.objects.filter(department_id=pk)
        .values_list("event_kinds", flat=True)
        .first()
    )
    return set(kinds or ())


def webhook_event_kinds_for(departments: Iterable[Department | int]) -> dict[int, set[str]]:
    """webhook_event_kinds for many departments in one query (missing ones map to the empty set)."""
    pks = {getattr(d, "pk", d) for d in departments}
    chosen = dict(
        WebhookSubscription.objects.filter(department_id__in=pks).values_list(
            "department_id", "event_kinds"
        )
    )
    return {pk: set(chosen.get(pk) or ()) for pk in pks}
