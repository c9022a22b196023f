"""The city's late deadlines join the case reminders' exactly-once rule (notifications.Reminder).

Each CityReminder row (escalation, deadline, due_at, sent_at) becomes a Reminder row of the
escalation's case: the same deadline (city_contact / city_answer, the choices notifications.0012
added), the same due time and sent time, at the city's one level (late: 1, the ladder's 逾期 —
cases.deadlines.CITY_LATE_LEVEL). Then CityReminder goes. A case escalated again has due times
of its own, so the case's unique (case, deadline, due_at, level) still tells its escalations apart.

Backwards: each city Reminder row goes back to the escalation of its case whose due time it
names (rows of a due time no escalation has — none the sweep wrote — are dropped), and the city
rows leave Reminder, whose deadline column notifications.0012 then narrows again.
"""

from django.db import migrations

CITY_LATE_LEVEL = 1  # cases.deadlines.CITY_LATE_LEVEL (OVERDUE), as it was when this ran
DUE_FIELDS = {"city_contact": "contact_due_at", "city_answer": "answer_due_at"}


def city_reminders_into_reminder(apps, schema_editor=None) -> int:
    """Copy every CityReminder row into Reminder (again: a row already there is kept)."""
    CityReminder = apps.get_model("cases", "CityReminder")
    Reminder = apps.get_model("notifications", "Reminder")
    rows = [
        Reminder(
            case_id=case_id,
            deadline=deadline,
            due_at=due_at,
            level=CITY_LATE_LEVEL,
            sent_at=sent_at,
        )
        for case_id, deadline, due_at, sent_at in CityReminder.objects.order_by("pk").values_list(
            "escalation__case_id", "deadline", "due_at", "sent_at"
        )
    ]
    Reminder.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def reminder_into_city_reminders(apps, schema_editor=None) -> int:
    CityEscalation = apps.get_model("cases", "CityEscalation")
    CityReminder = apps.get_model("cases", "CityReminder")
    Reminder = apps.get_model("notifications", "Reminder")
    city = Reminder.objects.filter(deadline__in=list(DUE_FIELDS))
    rows = []
    for case_id, deadline, due_at, sent_at in city.values_list(
        "case_id", "deadline", "due_at", "sent_at"
    ):
        escalation = (
            CityEscalation.objects.filter(case_id=case_id, **{DUE_FIELDS[deadline]: due_at})
            .order_by("pk")
            .first()
        )
        if escalation is not None:
            rows.append(
                CityReminder(
                    escalation=escalation, deadline=deadline, due_at=due_at, sent_at=sent_at
                )
            )
    CityReminder.objects.bulk_create(rows, ignore_conflicts=True)
    city.delete()
    return len(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0032_county_leading_indexes"),
        # The copy needs Reminder's city deadlines; the drop waits for the copy.
        ("notifications", "0012_reminder_city_deadlines"),
    ]

    operations = [
        migrations.RunPython(city_reminders_into_reminder, reminder_into_city_reminders),
        migrations.DeleteModel(
            name="CityReminder",
        ),
    ]
