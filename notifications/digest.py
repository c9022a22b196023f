"""定期调度: each working-day morning, every department with open cases gets one digest of what
needs it today — due today, overdue, suspended — the county office gets the county-wide one, and
each county leader one list of their task forces' late cases (integrations.leader_daily_digest)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import is_overdue, running_deadlines
from cases.models import Case
from cases.selectors import work_calendar
from cases.workdays import end_of_day, local_date, start_of_day
from counties.models import County
from enterprises.models import Department
from notifications import audience, messages
from notifications.integrations import leader_daily_digest
from notifications.models import Notification
from notifications.outbox import outbox_rows, outbox_write

logger = logging.getLogger(__name__)

SECTIONS = ("due_today", "overdue", "suspended")
ACTIVE = (Case.Status.ASSIGNED, Case.Status.IN_PROGRESS)


def _section(case: Case, now: dt.datetime, today: dt.date) -> str | None:
    if case.suspended_at is not None:
        return "suspended"
    deadlines = running_deadlines(case)
    if any(is_overdue(d.due_at, now) for d in deadlines):
        return "overdue"
    if any(local_date(d.due_at) == today for d in deadlines):
        return "due_today"
    return None


def digest_send(*, now: dt.datetime | None = None) -> int:
    """Write today's digests; returns how many notifications. Nothing in a county on its day off
    (its own calendar: work_calendar(county_id), a county's own day winning), and nothing twice on
    the same day (the dedup keys carry the date)."""
    now = now or timezone.now()
    today = local_date(now)
    calendars = {pk: work_calendar(pk) for pk in County.objects.values_list("pk", flat=True)}
    working = [pk for pk, calendar in calendars.items() if calendar.is_workday(today)]
    if not working:
        return 0
    active = Case.objects.filter(
        status__in=ACTIVE, lead_department__isnull=False, county_id__in=working
    )
    open_counts = Counter(
        dict(active.values_list("lead_department").annotate(n=Count("pk")).order_by())
    )
    new_cases = _new_cases(now, today, {pk: calendars[pk] for pk in working})
    if not open_counts and not new_cases:
        return 0
    by_department, counties = _sections(active, now, today) if open_counts else ({}, {})
    county_open = Counter(dict(active.values_list("county").annotate(n=Count("pk")).order_by()))

    prefix = f"digest:{today.isoformat()}:"
    staff = audience.department_staff(open_counts)
    rows = []
    for pk, department in Department.objects.in_bulk(list(open_counts)).items():
        message = messages.digest(
            department.name, today, open_counts[pk], by_department[pk], key=f"{prefix}d{pk}"
        )
        rows += outbox_rows(message, staff[pk].everyone, webhooks=[department])
    # Each county's office reads its own county (the first county's key stays "county").
    first = County.objects.order_by("pk").values_list("pk", flat=True).first()
    for county_id in sorted(set(county_open) | {case.county_id for case in new_cases}):
        sections = {
            **counties.get(county_id, {name: [] for name in SECTIONS}),
            "new_cases": [case for case in new_cases if case.county_id == county_id],
        }
        key = f"{prefix}county" if county_id == first else f"{prefix}county{county_id}"
        rows += outbox_rows(
            messages.digest(None, today, county_open[county_id], sections, key=key),
            audience.office_staff(county_id).everyone,
            webhooks=audience.office_webhooks(county_id),
        )
    rows += _leader_rows(active, now, today, prefix)
    done = set(
        Notification.objects.filter(dedup_key__in=[row.dedup_key for row in rows]).values_list(
            "dedup_key", flat=True
        )
    )
    try:
        with transaction.atomic():
            return len(outbox_write([row for row in rows if row.dedup_key not in done]))
    except IntegrityError:
        logger.info("Today's digest is being written by another run")
        return 0


def _leader_rows(active, now: dt.datetime, today: dt.date, prefix: str) -> list[Notification]:
    """Each county leader's one digest of their task forces' late cases (instead of a message per
    case: audience.ReminderAudience), when the office keeps that on; nothing for a leader whose
    task forces have no late case."""
    counties = set(active.values_list("county", flat=True).distinct().order_by())
    digesting = [county for county in sorted(counties) if leader_daily_digest(county)]
    if not digesting:
        return []
    active = active.filter(county__in=digesting)  # the counties whose office keeps the digest
    leaders = audience.leaders_with_enterprises()
    covered = set().union(*leaders.values()) if leaders else set()
    if not covered:
        return []
    cases = list(
        active.filter(enterprise_id__in=covered)
        .filter(
            Q(status=Case.Status.ASSIGNED, contacted_at__isnull=True, contact_due_at__lt=now)
            | Q(resolve_due_at__lt=now)
        )
        .select_related("enterprise", "lead_department")
        .order_by("resolve_due_at", "pk")
    )
    late = [case for case in cases if _section(case, now, today) == "overdue"]
    open_counts = Counter(
        active.filter(enterprise_id__in=covered).values_list("enterprise_id", flat=True)
    )
    rows = []
    for person, enterprises in leaders.items():
        theirs = [case for case in late if case.enterprise_id in enterprises]
        if not theirs:
            continue
        message = messages.digest(
            _("所联系专班"),
            today,
            sum(open_counts[pk] for pk in enterprises),
            {"overdue": theirs},
            key=f"{prefix}leader{person.user_id}",
        )
        rows += outbox_rows(message, [person])
    return rows


def _new_cases(now: dt.datetime, today: dt.date, calendars: dict) -> list[Case]:
    """The problems registered since the previous working day's digest, in each county working
    today (calendars: theirs): the office's people who chose the digest (NotificationPreference)
    read them here rather than one by one."""
    hour, minute = (int(part) for part in settings.DAILY_DIGEST_AT.split(":"))
    since = Q(pk__in=[])
    for county_id, calendar in calendars.items():
        day = today - dt.timedelta(days=1)
        for _step in range(60):  # the longest run of days off is far shorter
            if calendar.is_workday(day):
                break
            day -= dt.timedelta(days=1)
        since |= Q(
            county_id=county_id,
            created_at__gte=start_of_day(day) + dt.timedelta(hours=hour, minutes=minute),
        )
    return list(
        Case.objects.filter(since, created_at__lt=now)
        .select_related("enterprise", "lead_department")
        .order_by("created_at", "pk")
    )


def _sections(active, now: dt.datetime, today: dt.date) -> tuple[dict, dict]:
    """The cases needing attention today, per lead department and per county, by section."""
    needing_attention = active.filter(
        Q(suspended_at__isnull=False)
        | Q(
            status=Case.Status.ASSIGNED,
            contacted_at__isnull=True,
            contact_due_at__lte=end_of_day(today),
        )
        | Q(resolve_due_at__lte=end_of_day(today))
    ).select_related("enterprise", "lead_department")
    by_department: dict[int, dict[str, list[Case]]] = defaultdict(
        lambda: {name: [] for name in SECTIONS}
    )
    counties: dict[int, dict[str, list[Case]]] = defaultdict(
        lambda: {name: [] for name in SECTIONS}
    )
    for case in needing_attention.order_by("contact_due_at", "resolve_due_at", "pk"):
        section = _section(case, now, today)
        if section is not None:
            by_department[case.lead_department_id][section].append(case)
            counties[case.county_id][section].append(case)
    return by_department, counties
