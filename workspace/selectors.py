"""What a department's workspace reads: its inbox, its open breakdown items, its requests. (Which
events its group robot wants is notifications.webhooks'.)

The inbox costs the same at a thousand cases as at a million: every part of it is read in the
inbox's order and only the page asked for is fetched; one query counts every part; the latest
progress notes are read for the page's cases only. A department sees every case it works on
(cases.selectors.department_case_ids, the department rule of cases_visible_to), so the inbox
starts from the cases the department leads and cases.selectors.department_helped_case_ids rather
than from the whole set the clerk may see, which grows with the county's history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case as Switch,
)
from django.db.models import (
    DateTimeField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from cases.clocks import ProgressClock, progress_clock
from cases.deadlines import CONTACT_RUNNING, RESOLVE_CURRENT, Clock, standing, with_overdue
from cases.models import BreakdownItem, Case, CaseEvent, Request
from cases.roles import Actor
from cases.selectors import department_helped_case_ids
from cases.workdays import WorkCalendar, local_date, start_of_day, working_days_between
from enterprises.models import Department
from workspace.paging import Chain

S = Case.Status
INBOX_STATUSES = (S.ASSIGNED, S.IN_PROGRESS, S.REPLIED)
ACTIVE_STATUSES = (S.ASSIGNED, S.IN_PROGRESS)
RECENT_REQUESTS = 20
PAGE_SIZE = 20

# The deadline each case is measured on (cases.deadlines.current_deadline) as conditions: the
# contact deadline until the case is accepted, then the resolve deadline; none while suspended.
# Each has a partial index on (lead_department, due, id), so a page of a department's cases comes
# in deadline order without reading the others.
CONTACT_CLOCK, RESOLVE_CLOCK = CONTACT_RUNNING, RESOLVE_CURRENT


# --- the inbox ---------------------------------------------------------------------------------


def with_last_progress(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate `last_progress_at`: when the latest progress note (调度) was written, or None."""
    latest = (
        CaseEvent.objects.filter(case_id=OuterRef("pk"), kind=CaseEvent.Kind.PROGRESS)
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    return cases.annotate(last_progress_at=Subquery(latest))


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


@dataclass(frozen=True)
class ItemRow:
    item: BreakdownItem
    days_left: int
    overdue: bool


@dataclass(frozen=True)
class Section:
    """One part of the inbox as the page shows it: the rows of the page asked for, in the inbox's
    order, and the part's total (共 N 件). Iterating a section gives its rows."""

    name: str
    page: Page

    @property
    def param(self) -> str:
        return page_param(self.name)

    @property
    def total(self) -> int:
        return self.page.paginator.count

    def __iter__(self) -> Iterator:
        return iter(self.page.object_list)

    def __len__(self) -> int:
        return len(self.page.object_list)

    def __getitem__(self, index: int):
        return self.page.object_list[index]


@dataclass(frozen=True)
class Inbox:
    department: Department
    urgent: Section
    leading: Section
    co_operating: Section
    replied: Section
    items: Section
    requests: list[Request]


CASE_SECTIONS = ("urgent", "leading", "co_operating", "replied")
SECTIONS = (*CASE_SECTIONS, "items")
CLOCKED = ("urgent_contact", "urgent_resolve", "later_contact", "later_resolve")


def department_inbox(
    actor: Actor,
    *,
    now: dt.datetime,
    calendar: WorkCalendar,
    pages: Mapping[str, str] | None = None,
) -> Inbox:
    """我的待办: the urgent part (my department's deadlines due today or past), the rest of what
    it leads, what it co-operates on, its replied cases, its open items and its requests.

    `pages` maps a section's param (Section.param) to the page asked for; any other value (absent,
    not a number, past the end) gives the nearest page, as django's Paginator.get_page does."""
    department_id = actor.department_id
    if not department_id:
        raise ValueError("the inbox belongs to a department's staff")
    tomorrow = start_of_day(local_date(now) + dt.timedelta(days=1))
    lead = _lead_parts(department_id, tomorrow)
    items = open_items(actor)
    department, n = _count_parts(department_id, lead, items)
    n["unclocked"] = n["active"] - sum(n[name] for name in CLOCKED)

    def chain(*names: str) -> Chain:
        return Chain(*((lead[name], n[name]) for name in names))

    sources = {
        "urgent": chain("urgent_contact", "urgent_resolve"),
        "leading": chain("later_contact", "later_resolve", "unclocked"),
        "co_operating": _co_operated_ids(department_id, tomorrow),
        "replied": chain("replied"),
        "items": Chain((items.order_by("due_on", "id"), n["items"])),
    }
    asked = pages or {}
    paged = {
        name: Paginator(ids, PAGE_SIZE).get_page(asked.get(page_param(name)))
        for name, ids in sources.items()
    }
    cases = _cases_by_id([pk for name in CASE_SECTIONS for pk in paged[name]], now)
    _attach_last_progress(cases.values())
    for name in CASE_SECTIONS:
        paged[name].object_list = [
            _case_row(cases[pk], department_id, now, calendar) for pk in paged[name] if pk in cases
        ]
    paged["items"].object_list = _item_rows(paged["items"], now, calendar)
    return Inbox(
        department=department,
        requests=list(department_requests(actor)),
        **{name: Section(name, page) for name, page in paged.items()},
    )


def page_param(section: str) -> str:
    """The query parameter choosing a section's page: ?urgent_page=2."""
    return f"{section}_page"


def _lead_parts(department_id: int, tomorrow: dt.datetime) -> dict[str, QuerySet[Case]]:
    """The cases my department leads, in pieces that each come in the inbox's order from an index:
    due before `tomorrow` (the urgent part) or later, contact deadlines before resolve deadlines,
    soonest first; then the active cases without a running clock, the suspended first."""
    lead = Case.objects.filter(lead_department_id=department_id)
    contact = lead.filter(CONTACT_CLOCK).order_by("contact_due_at", "pk")
    resolve = lead.filter(RESOLVE_CLOCK).order_by("resolve_due_at", "pk")
    suspended_first = Switch(
        When(suspended_at__isnull=False, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    active = lead.filter(status__in=ACTIVE_STATUSES)
    return {
        "urgent_contact": contact.filter(contact_due_at__lt=tomorrow),
        "urgent_resolve": resolve.filter(resolve_due_at__lt=tomorrow),
        "later_contact": contact.filter(contact_due_at__gte=tomorrow),
        "later_resolve": resolve.filter(resolve_due_at__gte=tomorrow),
        "active": active,
        "unclocked": active.exclude(CONTACT_CLOCK | RESOLVE_CLOCK).order_by(suspended_first, "pk"),
        "replied": lead.filter(status=S.REPLIED).order_by("pk"),
    }


class _Count(Subquery):
    """COUNT(*) of a queryset, as one column of another query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def _count_parts(
    department_id: int, lead: dict, items: QuerySet
) -> tuple[Department, dict[str, int]]:
    """The department and the size of every part of its inbox, in one query. Each count reads one
    index only (the unclocked cases are what the others leave of the active ones)."""
    counted = {name: lead[name] for name in lead if name != "unclocked"} | {"items": items}
    department = (
        Department.objects.filter(pk=department_id)
        .only("name")
        .annotate(
            **{f"n_{name}": _Count(qs.order_by().values("pk")) for name, qs in counted.items()}
        )
        .get()
    )
    return department, {name: getattr(department, f"n_{name}") for name in counted}


def _inbox_order(tomorrow: dt.datetime) -> list:
    """The inbox's order as one ORDER BY, for a list mixing every kind of case: running deadlines
    due before `tomorrow`, then the later ones (contact before resolve, soonest first within
    each), then the suspended, then the rest (the replied)."""
    due_soon = (CONTACT_CLOCK & Q(contact_due_at__lt=tomorrow)) | (
        RESOLVE_CLOCK & Q(resolve_due_at__lt=tomorrow)
    )
    rank = Switch(
        When(due_soon, then=Value(0)),
        When(CONTACT_CLOCK | RESOLVE_CLOCK, then=Value(1)),
        When(suspended_at__isnull=False, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    resolve_last = Switch(
        When(RESOLVE_CLOCK, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    running_due = Switch(
        When(CONTACT_CLOCK, then=F("contact_due_at")),
        When(RESOLVE_CLOCK, then=F("resolve_due_at")),
        output_field=DateTimeField(),
    )
    return [rank, resolve_last, running_due, "pk"]


def _co_operated_ids(department_id: int, tomorrow: dt.datetime) -> list[int]:
    """The open cases another department leads that mine helps with (co-department, or holder of
    a breakdown item), in the inbox's order: their ids only, so the whole list is one index probe
    per case my department ever helped with, and only the page's rows are fetched."""
    return list(
        Case.objects.filter(
            pk__in=department_helped_case_ids(department_id), status__in=INBOX_STATUSES
        )
        .exclude(lead_department_id=department_id)
        .order_by(*_inbox_order(tomorrow))
        .values_list("pk", flat=True)
    )


def _cases_by_id(ids: list[int], now: dt.datetime) -> dict[int, Case]:
    """The page's cases, every part at once, by primary key only: whatever the part's filters and
    order, the database has nothing to choose but the pages' rows."""
    if not ids:
        return {}
    cases = with_overdue(Case.objects.filter(pk__in=ids), now)
    return cases.select_related("enterprise", "lead_department").in_bulk()


def _attach_last_progress(cases: Iterable[Case]) -> None:
    """Set `last_progress_at` (as with_last_progress does) on the cases being handled: one query
    for the page, never for the cases on other pages."""
    cases = list(cases)
    handled = [c.pk for c in cases if c.status == S.IN_PROGRESS and c.suspended_at is None]
    latest = {}
    if handled:
        latest = dict(
            CaseEvent.objects.filter(case_id__in=handled, kind=CaseEvent.Kind.PROGRESS)
            .order_by()
            .values("case_id")
            .annotate(last=Max("created_at"))
            .values_list("case_id", "last")
        )
    for case in cases:
        case.last_progress_at = latest.get(case.pk)


def _case_row(case: Case, department_id: int, now: dt.datetime, calendar: WorkCalendar) -> CaseRow:
    return CaseRow(
        case=case,
        lead=case.lead_department_id == department_id,
        clock=standing(case, now, calendar),
        progress=progress_clock(case, case.last_progress_at, now, calendar),
    )


def _item_rows(ids: Iterable[int], now: dt.datetime, calendar: WorkCalendar) -> list[ItemRow]:
    ids = list(ids)
    if not ids:
        return []
    items = BreakdownItem.objects.filter(pk__in=ids).select_related("case", "case__enterprise")
    found = items.in_bulk()
    today = local_date(now)
    return [
        ItemRow(
            item=found[pk],
            days_left=working_days_between(today, found[pk].due_on, calendar),
            overdue=found[pk].due_on < today,
        )
        for pk in ids
        if pk in found
    ]


def open_items(actor: Actor) -> QuerySet[BreakdownItem]:
    """My department's breakdown items not yet done, on cases still being handled. Holding an
    item makes its case visible to the department (cases_visible_to), so no wider scope applies."""
    if not actor.department_id:
        return BreakdownItem.objects.none()
    return BreakdownItem.objects.filter(
        department_id=actor.department_id,
        done_at__isnull=True,
        case__status__in=ACTIVE_STATUSES,
    )


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
            case__lead_department_id=actor.department_id, case__status__in=INBOX_STATUSES
        )
        .select_related("case", "requested_by", "decided_by")
        .order_by(pending_first, "-created_at", "-id")[:RECENT_REQUESTS]
    )
