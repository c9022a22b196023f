"""What a department's workspace reads: its inbox, its open breakdown items, its requests, and which
events its group robot wants. Scoping starts from cases.selectors.cases_visible_to, always.

The inbox costs the same handful of queries however many cases, items and events the department
has: the cases in one query (the latest progress note annotated by a subquery), the items in one,
the requests in one, the calendar once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Case as Switch,
)
from django.db.models import (
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from cases.deadlines import with_overdue
from cases.models import BreakdownItem, Case, CaseEvent, Request
from cases.roles import Actor
from cases.selectors import cases_visible_to
from cases.workdays import WorkCalendar, local_date, working_days_between
from enterprises.models import Department
from workspace.clocks import Clock, ProgressClock, progress_clock, running_clock
from workspace.models import WebhookSubscription

S = Case.Status
INBOX_STATUSES = (S.ASSIGNED, S.IN_PROGRESS, S.REPLIED)
ACTIVE_STATUSES = (S.ASSIGNED, S.IN_PROGRESS)
RECENT_REQUESTS = 20


# --- the inbox ---------------------------------------------------------------------------------


def _department_involved(department_id: int) -> Q:
    """Lead, co-department, or holder of a breakdown item: the cases a department works on."""
    co = Case.co_departments.through.objects.filter(
        case_id=OuterRef("pk"), department_id=department_id
    )
    items = BreakdownItem.objects.filter(case_id=OuterRef("pk"), department_id=department_id)
    return Q(lead_department_id=department_id) | Q(Exists(co)) | Q(Exists(items))


def with_last_progress(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate `last_progress_at`: when the latest progress note (调度) was written, or None."""
    latest = (
        CaseEvent.objects.filter(case_id=OuterRef("pk"), kind=CaseEvent.Kind.PROGRESS)
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    return cases.annotate(last_progress_at=Subquery(latest))


def department_cases(actor: Actor, now: dt.datetime | None = None) -> QuerySet[Case]:
    """The open cases the actor's department leads or helps with, among those the actor may see."""
    if not actor.department_id:
        return Case.objects.none()
    cases = cases_visible_to(actor).filter(
        _department_involved(actor.department_id), status__in=INBOX_STATUSES
    )
    return with_last_progress(with_overdue(cases, now)).select_related(
        "enterprise", "category", "lead_department"
    )


@dataclass(frozen=True)
class CaseRow:
    case: Case
    lead: bool
    clock: Clock | None
    progress: ProgressClock | None

    @property
    def suspended(self) -> bool:
        return self.case.suspended_at is not None

    @property
    def urgent(self) -> bool:
        return self.clock is not None and self.clock.urgent

    def sort_key(self) -> tuple:
        """Due today or past first, contact deadlines before resolve deadlines, soonest first;
        then the suspended (clocks stopped), then the replied."""
        if self.clock is not None:
            return (
                0 if self.clock.urgent else 1,
                0 if self.clock.is_contact else 1,
                self.clock.due_at,
                self.case.pk,
            )
        far = dt.datetime.max.replace(tzinfo=dt.UTC)
        return (2 if self.suspended else 3, 0, far, self.case.pk)


@dataclass(frozen=True)
class ItemRow:
    item: BreakdownItem
    days_left: int
    overdue: bool


@dataclass
class Inbox:
    urgent: list[CaseRow] = field(default_factory=list)
    leading: list[CaseRow] = field(default_factory=list)
    co_operating: list[CaseRow] = field(default_factory=list)
    replied: list[CaseRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)


def department_inbox(actor: Actor, *, now: dt.datetime, calendar: WorkCalendar) -> Inbox:
    """我的待办: the urgent part (my department's deadlines due today or past), the rest of what
    it leads, what it co-operates on, its replied cases, its open items and its requests."""
    inbox = Inbox()
    rows = [
        CaseRow(
            case=case,
            lead=case.lead_department_id == actor.department_id,
            clock=running_clock(case, now, calendar),
            progress=progress_clock(case, case.last_progress_at, now, calendar),
        )
        for case in department_cases(actor, now)
    ]
    for row in sorted(rows, key=CaseRow.sort_key):
        if not row.lead:
            inbox.co_operating.append(row)
        elif row.case.status == S.REPLIED:
            inbox.replied.append(row)
        elif row.urgent:
            inbox.urgent.append(row)
        else:
            inbox.leading.append(row)
    inbox.items = open_items(actor, now=now, calendar=calendar)
    inbox.requests = list(department_requests(actor))
    return inbox


def open_items(actor: Actor, *, now: dt.datetime, calendar: WorkCalendar) -> list[ItemRow]:
    """My department's breakdown items not yet done, on cases still being handled, soonest first."""
    if not actor.department_id:
        return []
    today = local_date(now)
    items = (
        BreakdownItem.objects.filter(
            department_id=actor.department_id,
            done_at__isnull=True,
            case__status__in=ACTIVE_STATUSES,
            case__in=cases_visible_to(actor),
        )
        .select_related("case", "case__enterprise")
        .order_by("due_on", "id")
    )
    return [
        ItemRow(
            item=item,
            days_left=working_days_between(today, item.due_on, calendar),
            overdue=item.due_on < today,
        )
        for item in items
    ]


def department_requests(actor: Actor) -> QuerySet[Request]:
    """The extension and suspension requests on the open cases my department leads: pending
    first, then the latest decisions (with the office's note)."""
    if not actor.department_id:
        return Request.objects.none()
    pending_first = Switch(
        When(state=Request.State.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Request.objects.filter(
            case__in=cases_visible_to(actor).filter(
                lead_department_id=actor.department_id, status__in=INBOX_STATUSES
            )
        )
        .select_related("case", "requested_by", "decided_by")
        .order_by(pending_first, "-created_at", "-id")[:RECENT_REQUESTS]
    )


# --- the group robot ---------------------------------------------------------------------------


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
