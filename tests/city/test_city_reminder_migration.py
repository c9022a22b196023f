"""cases.0033: the city's told late deadlines (CityReminder) became Reminder rows of the escalation's
case, and CityReminder went — run backwards and forwards on the real database, with rows in it.

Transactional: the migrations alter the schema, which the test's own transaction cannot hold.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases import workflow
from notifications.city_reminders import city_reminders_sweep
from notifications.models import Reminder

CHINA = ZoneInfo("Asia/Shanghai")
BEFORE = ("cases", "0032_county_leading_indexes")
WIDENED = ("notifications", "0012_reminder_city_deadlines")
AFTER = ("cases", "0033_city_reminders_into_reminder")


def migrate(*targets):
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    executor.loader.build_graph()
    return executor.loader.project_state(list(targets)).apps


@pytest.mark.django_db(transaction=True)
def test_the_city_reminders_move_into_reminder_and_back(world):
    office = world.county.office
    first = world.assigned(now=dt.datetime(2031, 3, 6, 10, 0, tzinfo=CHINA), answer_working_days=5)
    told_at = dt.datetime(2031, 3, 14, 9, 0, tzinfo=CHINA)
    assert city_reminders_sweep(now=told_at) == 2
    workflow.city_escalation_answer(
        actor=world.fgw_clerk, escalation=first, answer="已反映", now=told_at
    )
    second = workflow.case_escalate_to_city(
        actor=office, case=first.case, proposal="再次上报", now=told_at
    )
    workflow.city_escalation_assign(
        actor=world.city_office,
        escalation=second,
        city_department=world.zrzy,
        now=dt.datetime(2031, 3, 17, 10, 0, tzinfo=CHINA),
    )
    first.refresh_from_db()
    second.refresh_from_db()
    case_rung = Reminder.objects.create(
        case=first.case, deadline="resolve", due_at=first.answer_due_at, level=2
    )

    try:
        # Backwards: each city row goes back to the escalation whose due time it names.
        old = migrate(BEFORE, WIDENED)
        CityReminder = old.get_model("cases", "CityReminder")
        assert sorted(
            CityReminder.objects.values_list("escalation_id", "deadline", "due_at", "sent_at")
        ) == sorted(
            [
                (first.pk, "city_contact", first.contact_due_at, told_at),
                (first.pk, "city_answer", first.answer_due_at, told_at),
            ]
        )
        OldReminder = old.get_model("notifications", "Reminder")
        assert list(OldReminder.objects.values_list("pk", flat=True)) == [case_rung.pk]
        # A row of the second escalation, told before the upgrade.
        sent = dt.datetime(2031, 3, 21, 9, 0, tzinfo=CHINA)
        CityReminder.objects.create(
            escalation_id=second.pk,
            deadline="city_contact",
            due_at=second.contact_due_at,
            sent_at=sent,
        )

        migrate(AFTER)
    finally:
        # the schema the other tests expect, whatever happened above: every app's latest migration
        # (going back to BEFORE also took back what came after it: cases 0034, notifications 0013)
        migrate(*MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert "cases_cityreminder" not in connection.introspection.table_names()
    rows = Reminder.objects.filter(case=first.case).exclude(pk=case_rung.pk)
    assert sorted(rows.values_list("deadline", "due_at", "level", "sent_at")) == sorted(
        [
            ("city_contact", first.contact_due_at, 1, told_at),
            ("city_answer", first.answer_due_at, 1, told_at),
            ("city_contact", second.contact_due_at, 1, sent),
        ]
    )
    # The sweep reads the copied rows as told: the second escalation's 签收 is not told again.
    late = dt.datetime(2031, 3, 24, 9, 0, tzinfo=CHINA)
    assert city_reminders_sweep(now=late) == 0
