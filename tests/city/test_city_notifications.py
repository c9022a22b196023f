"""上报市级 tells the next hand through the notifications module (notifications.hooks), as a county's
steps do: the escalation the city's office, the assignment the city department's people, its
签收 and answer the county office of the case; and the deadline sweep tells the city's office once
of each city deadline gone late (notifications.city_reminders) — in the city's words — once, by
the case reminders' own rule: a Reminder row of the escalation's case under a unique key."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cases import workflow
from notifications import city_reminders, tasks
from notifications.city_reminders import city_reminders_sweep
from notifications.models import Notification, Reminder
from tests.city.conftest import PROPOSAL

pytestmark = pytest.mark.django_db
CHINA = ZoneInfo("Asia/Shanghai")
Kind = Notification.Kind
# A Thursday: 签收 due Tue 03-11 (3 working days), the answer (5 working days) Thu 03-13.
ASSIGNED_AT = dt.datetime(2031, 3, 6, 10, 0, tzinfo=CHINA)


def in_app(user, kind=None):
    rows = Notification.objects.filter(user=user, channel=Notification.Channel.IN_APP)
    return rows.filter(kind=kind) if kind else rows


def test_each_city_step_tells_the_next_hand(world):
    county = world.county
    escalation = workflow.case_escalate_to_city(
        actor=county.office, case=world.explained(), proposal=PROPOSAL
    )
    (told,) = in_app(world.city_office, Kind.NEW_CASE)
    assert "上报市级" in told.title and PROPOSAL in told.body and told.case_id == escalation.case_id

    workflow.city_escalation_assign(
        actor=world.city_office, escalation=escalation, city_department=world.fgw, note="请研究"
    )
    (told,) = in_app(world.fgw_clerk, Kind.ASSIGNED)
    assert "市级交办" in told.title and PROPOSAL in told.body and "请研究" in told.body
    assert not in_app(world.zrzy_clerk).exists() and not in_app(world.foreign_clerk).exists()

    before = set(in_app(county.office).values_list("pk", flat=True))
    workflow.city_escalation_contact(
        actor=world.fgw_clerk, escalation=escalation, note="已签收，正在与省发改委沟通"
    )
    (signed,) = in_app(county.office, Kind.CONTACTED).exclude(pk__in=before)
    assert "市发改委" in signed.title and "已签收" in signed.body
    workflow.city_escalation_answer(actor=world.fgw_clerk, escalation=escalation, answer="已反映")
    (answer,) = in_app(county.office, Kind.REPLIED).exclude(pk__in=before)
    assert "市级答复" in answer.title and "已反映" in answer.body
    # Another county's office hears nothing of it, and the clerk is not told of their own step.
    assert not in_app(world.other_county.office).exists()
    assert not in_app(world.fgw_clerk).exclude(kind=Kind.ASSIGNED).exists()


def test_the_sweep_tells_the_city_office_once_of_each_late_city_deadline(world):
    escalation = world.escalated()
    workflow.city_escalation_assign(
        actor=world.city_office,
        escalation=escalation,
        city_department=world.fgw,
        answer_working_days=5,
        now=ASSIGNED_AT,
    )

    def late_told():
        return list(in_app(world.city_office, Kind.REMINDER).order_by("pk"))

    assert city_reminders_sweep(now=dt.datetime(2031, 3, 11, 23, 0, tzinfo=CHINA)) == 0
    assert late_told() == []
    wednesday = dt.datetime(2031, 3, 12, 9, 0, tzinfo=CHINA)
    assert city_reminders_sweep(now=wednesday) == 1
    assert city_reminders_sweep(now=wednesday + dt.timedelta(hours=1)) == 0
    (contact,) = late_told()
    assert "超期未签收" in contact.title and "督办" not in contact.title
    assert contact.level == 1 and contact.case_id == escalation.case_id

    friday = dt.datetime(2031, 3, 14, 9, 0, tzinfo=CHINA)
    assert city_reminders_sweep(now=friday) == 1  # the answer; the 签收 told already
    assert "超期未答复" in late_told()[-1].title
    # Each told once as a Reminder row of the case: its deadline, its due time, late (level 1).
    escalation.refresh_from_db()
    assert list(
        Reminder.objects.filter(case=escalation.case_id)
        .order_by("sent_at")
        .values_list("deadline", "due_at", "level", "sent_at")
    ) == [
        ("city_contact", escalation.contact_due_at, 1, wednesday),
        ("city_answer", escalation.answer_due_at, 1, friday),
    ]
    # Once answered, nothing more; nobody of the county nor the department was told by the sweep.
    workflow.city_escalation_answer(
        actor=world.fgw_clerk, escalation=escalation, answer="已答复", now=friday
    )
    assert city_reminders_sweep(now=friday + dt.timedelta(days=7)) == 0
    assert len(late_told()) == 2
    assert not in_app(world.county.office, Kind.REMINDER).exists()
    assert not in_app(world.fgw_clerk, Kind.REMINDER).exists()


def test_the_citys_clock_speaks_its_own_words_not_the_county_ladders(world):
    escalation = world.escalated()
    workflow.city_escalation_assign(
        actor=world.city_office,
        escalation=escalation,
        city_department=world.fgw,
        answer_working_days=5,
        now=ASSIGNED_AT,
    )
    escalation.refresh_from_db()
    from cases.selectors import work_calendar

    calendar = work_calendar()
    # Five working days after the 签收 deadline: the county ladder would say 挂牌督办 by now.
    clocks = workflow.city_clocks(escalation, dt.datetime(2031, 3, 19, 9, tzinfo=CHINA), calendar)
    assert clocks["contact"].level == 3
    assert (clocks["contact"].label, clocks["answer"].label) == ("超期未签收", "超期未答复")
    assert clocks["contact"].deadline_label == "签收期限"
    due_day = workflow.city_clocks(escalation, dt.datetime(2031, 3, 11, 9, tzinfo=CHINA), calendar)
    assert due_day["contact"].label == "今日到期" and due_day["answer"].label == ""


def test_the_city_board_says_a_late_city_deadline_in_the_citys_words(world):
    escalation = world.escalated()
    workflow.city_escalation_assign(  # years ago: both deadlines long past, whatever today is
        actor=world.city_office,
        escalation=escalation,
        city_department=world.fgw,
        now=dt.datetime(2021, 3, 4, 10, tzinfo=CHINA),
    )
    # The deadline sweep's command and task tell the city's office, once.
    out = io.StringIO()
    call_command("sweep_deadlines", stdout=out)
    assert "2 city deadline(s) late" in out.getvalue()
    assert tasks.sweep_deadlines() == 0
    titles = in_app(world.city_office, Kind.REMINDER).values_list("title", flat=True)
    assert sorted(t[:7] for t in titles) == ["【超期未答复】", "【超期未签收】"]

    city = Client()
    city.force_login(world.city_office)
    body = city.get(reverse("analysis:city_escalations")).content.decode()
    cells = re.findall(r'data-clock="(\w+)" data-clock-state="overdue">(.*?)</dd>', body, re.S)
    assert [key for key, _cell in cells] == ["contact", "answer"]
    assert "超期未签收" in cells[0][1] and "超期未答复" in cells[1][1]
    assert all("督办" not in cell and "逾期 " not in cell.split("·")[0] for _key, cell in cells)


def test_a_city_sweep_with_nothing_late_is_one_query(world, django_assert_max_num_queries):
    for _ in range(3):
        workflow.city_escalation_assign(
            actor=world.city_office,
            escalation=world.escalated(),
            city_department=world.fgw,
            now=ASSIGNED_AT,
        )
    with django_assert_max_num_queries(3):  # the query, and the transaction's savepoint pair
        assert city_reminders_sweep(now=ASSIGNED_AT + dt.timedelta(days=1)) == 0


def _late_in_app(world):
    return in_app(world.city_office, Kind.REMINDER)


def test_a_case_escalated_again_has_its_second_escalations_deadlines_told_in_their_turn(world):
    office = world.county.office
    first = world.escalated()
    workflow.city_escalation_assign(
        actor=world.city_office,
        escalation=first,
        city_department=world.fgw,
        answer_working_days=5,
        now=ASSIGNED_AT,
    )
    friday = dt.datetime(2031, 3, 14, 9, 0, tzinfo=CHINA)
    assert city_reminders_sweep(now=friday) == 2  # both of the first escalation's, late
    workflow.city_escalation_answer(
        actor=world.fgw_clerk, escalation=first, answer="已反映", now=friday
    )
    second = workflow.case_escalate_to_city(
        actor=office, case=first.case, proposal="再次上报", now=friday
    )
    workflow.city_escalation_assign(  # Monday: 签收 due Thu 03-20, the answer Mon 03-24
        actor=world.city_office,
        escalation=second,
        city_department=world.zrzy,
        answer_working_days=5,
        now=dt.datetime(2031, 3, 17, 10, 0, tzinfo=CHINA),
    )
    second.refresh_from_db()
    assert city_reminders_sweep(now=dt.datetime(2031, 3, 20, 23, 0, tzinfo=CHINA)) == 0
    # The same case, deadlines and level: the due times keep the two escalations apart.
    assert city_reminders_sweep(now=dt.datetime(2031, 3, 25, 9, 0, tzinfo=CHINA)) == 2
    assert city_reminders_sweep(now=dt.datetime(2031, 3, 26, 9, 0, tzinfo=CHINA)) == 0
    first.refresh_from_db()
    rows = Reminder.objects.filter(case=first.case_id).order_by("deadline", "due_at")
    assert list(rows.values_list("deadline", "due_at", "level")) == [
        ("city_answer", first.answer_due_at, 1),
        ("city_answer", second.answer_due_at, 1),
        ("city_contact", first.contact_due_at, 1),
        ("city_contact", second.contact_due_at, 1),
    ]
    titles = list(_late_in_app(world).order_by("pk").values_list("title", flat=True))
    assert len(titles) == 4
    assert ["市自然资源局" in t for t in titles] == [False, False, True, True]


def test_a_late_deadline_another_sweep_told_first_is_not_told_again(world, monkeypatch, caplog):
    escalation = world.assigned(now=ASSIGNED_AT, answer_working_days=5)
    wednesday = dt.datetime(2031, 3, 12, 9, 0, tzinfo=CHINA)
    assert city_reminders_sweep(now=wednesday) == 1
    # As if a second sweep had read the escalation before the first one committed its row: it
    # sees the 签收 deadline untold, and its insert meets the unique key.
    monkeypatch.setattr(
        city_reminders,
        "_untold",
        lambda kind, now: city_reminders.deadlines.city_overdue_q(kind, now),
    )
    with caplog.at_level(logging.INFO, logger="notifications.city_reminders"):
        assert city_reminders_sweep(now=wednesday + dt.timedelta(hours=1)) == 0
    assert "already sent by another sweep" in caplog.text
    assert _late_in_app(world).count() == 1
    assert Reminder.objects.filter(case=escalation.case_id).count() == 1
    # In one sweep the 签收 meets the key again and the answer, late on Friday, is told: the
    # transaction carries on past the refused insert.
    friday = dt.datetime(2031, 3, 14, 9, 0, tzinfo=CHINA)
    assert city_reminders_sweep(now=friday) == 1
    assert Reminder.objects.filter(case=escalation.case_id).count() == 2
    assert _late_in_app(world).count() == 2
