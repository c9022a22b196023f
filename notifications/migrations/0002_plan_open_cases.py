"""Give the cases that were open before reminders existed their first reminder time.

Each running deadline starts at its warning (level 0) time; if that is already past, the first
sweep sends the deadline's current level once, as for any historical case.
"""

from django.db import migrations


def plan_open_cases(apps, schema_editor):
    from cases.workdays import WorkCalendar
    from notifications import ladder

    Case = apps.get_model("cases", "Case")
    CalendarOverride = apps.get_model("cases", "CalendarOverride")
    calendar = WorkCalendar(
        overrides={
            day: kind == "workday"
            for day, kind in CalendarOverride.objects.values_list("date", "kind")
        }
    )
    open_cases = Case.objects.filter(status__in=["assigned", "in_progress"])
    for case in open_cases.iterator(chunk_size=1000):
        plan = ladder.plan(ladder.running_deadlines(case), {}, calendar)
        if plan.next_reminder_at is not None:
            Case.objects.filter(pk=case.pk).update(next_reminder_at=plan.next_reminder_at)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("cases", "0002_case_reminder_cursor"),
    ]

    operations = [migrations.RunPython(plan_open_cases, migrations.RunPython.noop)]
