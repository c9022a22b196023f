"""Keep the count of each open case's deadlines stored before counts were kept (cases.calendar), as
well as the record allows, so that entering a year's schedule moves them too.

A count is read on the calendar the deadline was counted with: published days and the office's
overrides, a year nobody had published counted Monday to Friday. The contact deadline is always
counted, from the day of assignment. A resolve deadline is counted when it lies the category's days
after its start (the assignment, or the last reopening) plus the working days suspensions added
since, with no extension approved since; otherwise it was typed or extended and keeps no count. A
deadline that does not lie where its count lands keeps no count either: it never moves.
"""

from collections import defaultdict

from django.db import migrations

CHUNK = 1000


def fill_counts(apps, schema_editor):
    from cases.workdays import WorkCalendar

    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    CalendarOverride = apps.get_model("cases", "CalendarOverride")
    calendar = WorkCalendar(
        overrides={
            day: kind == "workday"
            for day, kind in CalendarOverride.objects.values_list("date", "kind")
        },
        statutory=False,
    )
    open_cases = Case.objects.filter(
        status__in=["assigned", "in_progress"], assigned_at__isnull=False
    ).select_related("category")
    ids = list(open_cases.order_by("pk").values_list("pk", flat=True))
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first : first + CHUNK]
        events = defaultdict(list)
        kinds = ["reopened", "extension_decided", "resumed"]
        for event in CaseEvent.objects.filter(case_id__in=chunk, kind__in=kinds).order_by(
            "created_at", "id"
        ):
            events[event.case_id].append(event)
        for case in open_cases.filter(pk__in=chunk):
            counts = _counts(case, events[case.pk], calendar)
            if counts:
                Case.objects.filter(pk=case.pk).update(**counts)


def _count(start, due, calendar):
    """The working days after start up to due, when due is where that count lands."""
    from cases.workdays import add_working_days, end_of_day, local_date, working_days_between

    days = working_days_between(start, local_date(due), calendar)
    if days >= 0 and end_of_day(add_working_days(start, days, calendar)) == due:
        return days
    return None


def _counts(case, events, calendar) -> dict:
    from cases.workdays import local_date

    counts = {}
    start = local_date(case.assigned_at)
    if case.contact_due_at:
        days = _count(start, case.contact_due_at, calendar)
        if days is not None:
            counts.update(contact_due_from=start, contact_due_working_days=days)
    if case.resolve_due_at:
        since = case.assigned_at
        for event in events:
            if event.kind == "reopened" and event.created_at >= since:
                since = event.created_at
        later = [e for e in events if e.created_at >= since]
        extended = any(e.kind == "extension_decided" and e.data.get("approved") for e in later)
        pushed = sum(
            int(e.data.get("suspended_working_days") or 0) for e in later if e.kind == "resumed"
        )
        start = local_date(since)
        days = _count(start, case.resolve_due_at, calendar)
        if not extended and days == case.category.default_resolve_days + pushed:
            counts.update(resolve_due_from=start, resolve_due_working_days=days)
    return counts


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_deadline_counts")]

    operations = [migrations.RunPython(fill_counts, migrations.RunPython.noop)]
