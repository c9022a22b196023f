"""Deadlines in a year nobody has published (cases.calendar): counted on the statutory estimate,
marked as such, and moved once — reminders replanned once — when the office enters the schedule.

The county of tests/conftest.py; its 用电用能 category gives 10 working days to resolve. 2027 is
the year chinesecalendar does not know: 元旦 Fri 01-01; 除夕 Fri 02-05, 春节 Sat 6 – Mon 8 and
their 补假 Tue 9 – Wed 10.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import Counter

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.urls import reverse

from cases import workflow
from cases.calendar import (
    CONTACT,
    RESOLVE,
    estimated_deadline_count,
    estimated_deadlines,
    estimated_q,
)
from cases.models import CalendarOverride, Case, CaseEvent
from cases.selectors import work_calendar
from cases.workdays import CHINA, end_of_day, start_of_day
from notifications import reminders
from tests.factories import make_superuser

pytestmark = pytest.mark.django_db

NEW_YEARS_EVE_EVE = dt.datetime(2026, 12, 30, 10, 0, tzinfo=CHINA)  # a Wednesday
BEFORE_SPRING_FESTIVAL = dt.datetime(2027, 1, 27, 10, 0, tzinfo=CHINA)  # a Wednesday

# The State Council's notice for 2027, as the office would paste it (made up for the test: a
# Sunday and a Saturday worked, 8 days off around Spring Festival).
NOTICE_2027 = """
2027-01-01 休 元旦
2027-01-31 班 春节调休上班
2027-02-05 至 2027-02-12 休 春节
2027-02-20 班 春节调休上班
"""


def at(y, m, d):
    return end_of_day(dt.date(y, m, d))


@pytest.fixture
def now(monkeypatch):
    """Sets the workflow's clock: now(moment)."""

    def set_now(moment: dt.datetime) -> None:
        monkeypatch.setattr(workflow.steps, "_now", lambda given: given or moment)

    return set_now


@pytest.fixture
def root_client(client):
    client.force_login(make_superuser())
    return client


def assigned(county, moment, now, **kwargs) -> Case:
    now(moment)
    return county.assigned(**kwargs)


# --- counting on the estimate ------------------------------------------------------------------


def test_an_assignment_before_new_year_counts_2027_on_its_statutory_holidays(county, now):
    case = assigned(county, NEW_YEARS_EVE_EVE, now)

    # Thu 12-31 (1), Fri 01-01 元旦, Mon 01-04 (2), Tue 01-05 (3): not New Year's Day.
    assert case.contact_due_at == at(2027, 1, 5)
    # 12-31, 01-04..08, 01-11..14: the 10th working day.
    assert case.resolve_due_at == at(2027, 1, 14)
    assert (case.contact_due_from, case.contact_due_working_days) == (dt.date(2026, 12, 30), 3)
    assert (case.resolve_due_from, case.resolve_due_working_days) == (dt.date(2026, 12, 30), 10)
    assert estimated_deadlines(case, work_calendar()) == {CONTACT, RESOLVE}
    assert any("2027" in w and "法定节假日预估" in w for w in case.warnings)


def test_a_deadline_counted_within_a_published_year_rests_on_no_estimate(county, now):
    case = assigned(county, dt.datetime(2026, 6, 1, 10, tzinfo=CHINA), now)
    assert estimated_deadlines(case, work_calendar()) == set()
    assert case.warnings == []


def test_a_typed_resolve_deadline_has_no_count_and_rests_on_no_estimate(county, now):
    case = assigned(county, NEW_YEARS_EVE_EVE, now, resolve_due_at=at(2027, 3, 31))
    assert case.resolve_due_working_days is None
    assert estimated_deadlines(case, work_calendar()) == {CONTACT}


def test_the_case_page_marks_a_deadline_resting_on_the_estimate(client, county, now):
    case = assigned(county, NEW_YEARS_EVE_EVE, now)
    client.force_login(county.dan)

    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    contact = html.split('id="contact-clock"')[1].split("</dd>")[0]
    assert "2027-01-05" in contact and "（按法定节假日预估）" in contact

    CalendarOverride.objects.create(date=dt.date(2027, 1, 1), kind=CalendarOverride.Kind.HOLIDAY)
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "按法定节假日预估" not in html


# --- entering the official schedule ------------------------------------------------------------


def test_entering_the_notice_moves_each_counted_deadline_once_and_replans_it_once(
    root_client, county, now, monkeypatch
):
    case = assigned(county, BEFORE_SPRING_FESTIVAL, now)
    untouched = assigned(county, dt.datetime(2026, 6, 1, 10, tzinfo=CHINA), now)
    # Thu 28, Fri 29, Mon 02-01; and the 10th working day after, past 除夕 and its 补假: 02-16.
    assert (case.contact_due_at, case.resolve_due_at) == (at(2027, 2, 1), at(2027, 2, 16))
    assert case.next_reminder_at == start_of_day(dt.date(2027, 2, 1))
    replans = Counter()
    replan = reminders.case_reminders_replan
    monkeypatch.setattr(
        reminders,
        "case_reminders_replan",
        lambda c, **kw: replans.update([c.pk]) or replan(c, **kw),
    )

    answer = root_client.post(
        reverse("admin:cases_calendaroverride_import"), {"schedule": NOTICE_2027}
    )

    assert answer.status_code == 302
    assert CalendarOverride.objects.filter(date__year=2027).count() == 11
    case.refresh_from_db()
    # Sunday 01-31 is worked: Thu 28, Fri 29, Sun 31. 02-05..12 off: 02-17.
    assert (case.contact_due_at, case.resolve_due_at) == (at(2027, 1, 31), at(2027, 2, 17))
    event = case.events.get(kind=CaseEvent.Kind.DEADLINES_RECOUNTED)
    assert event.data == {
        "contact": {"from": "2027-02-01", "to": "2027-01-31"},
        "resolve": {"from": "2027-02-16", "to": "2027-02-17"},
    }
    assert "对接期限由 2027-02-01 改为 2027-01-31" in event.note
    # The ladder follows the deadline, and every open case was replanned exactly once.
    assert case.next_reminder_at == start_of_day(dt.date(2027, 1, 31))
    assert replans == {case.pk: 1, untouched.pk: 1}
    assert not untouched.events.filter(kind=CaseEvent.Kind.DEADLINES_RECOUNTED).exists()
    assert estimated_deadlines(case, work_calendar()) == set()

    # Entering the same notice again moves nothing more.
    root_client.post(reverse("admin:cases_calendaroverride_import"), {"schedule": NOTICE_2027})
    assert case.events.filter(kind=CaseEvent.Kind.DEADLINES_RECOUNTED).count() == 1


def test_the_timeline_tells_the_move_in_chinese_and_in_english(root_client, client, county, now):
    case = assigned(county, BEFORE_SPRING_FESTIVAL, now)
    root_client.post(reverse("admin:cases_calendaroverride_import"), {"schedule": NOTICE_2027})
    client.force_login(county.dan)
    page = reverse("case_detail", args=[case.pk])

    chinese = client.get(page).content.decode()
    english = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "期限按工作日历重算" in chinese
    assert "工作日历调整，对接期限由 2027-02-01 改为 2027-01-31" in chinese
    assert "Deadlines recounted on the working-day calendar" in english
    assert "the contact deadline moved from 2027-02-01 to 2027-01-31" in english


def test_a_typed_deadline_and_an_approved_extension_stay_where_they_were(root_client, county, now):
    typed = assigned(county, BEFORE_SPRING_FESTIVAL, now, resolve_due_at=at(2027, 2, 16))
    extended = assigned(county, BEFORE_SPRING_FESTIVAL, now)
    workflow.case_accept(actor=county.dan, case=extended, contact_note="已上门")
    workflow.case_request_extension(
        actor=county.dan, case=extended, resolve_due_at=at(2027, 3, 1), reason="等设备到货"
    )
    workflow.case_decide_extension(actor=county.office, case=extended, approve=True)

    root_client.post(reverse("admin:cases_calendaroverride_import"), {"schedule": NOTICE_2027})

    typed.refresh_from_db()
    extended.refresh_from_db()
    assert typed.contact_due_at == at(2027, 1, 31)  # counted: moved
    assert typed.resolve_due_at == at(2027, 2, 16)  # typed: kept
    assert extended.resolve_due_at == at(2027, 3, 1)
    assert not extended.events.filter(kind=CaseEvent.Kind.DEADLINES_RECOUNTED).exists()


def test_one_day_entered_in_the_admin_moves_the_deadlines_counted_over_it(
    root_client, county, now, django_capture_on_commit_callbacks
):
    case = assigned(county, NEW_YEARS_EVE_EVE, now)
    with django_capture_on_commit_callbacks(execute=True):
        root_client.post(
            reverse("admin:cases_calendaroverride_add"),
            {"date": "2027-01-04", "kind": "holiday", "note": "元旦"},
        )
    case.refresh_from_db()
    assert case.contact_due_at == at(2027, 1, 6)
    assert case.events.get(kind=CaseEvent.Kind.DEADLINES_RECOUNTED).data["contact"] == {
        "from": "2027-01-05",
        "to": "2027-01-06",
    }

    with django_capture_on_commit_callbacks(execute=True):
        root_client.post(
            reverse(
                "admin:cases_calendaroverride_delete",
                args=[CalendarOverride.objects.get(date=dt.date(2027, 1, 4)).pk],
            ),
            {"post": "yes"},
        )
    case.refresh_from_db()
    assert case.contact_due_at == at(2027, 1, 5)


def test_a_bad_notice_names_its_line_and_saves_nothing(root_client, county, now):
    case = assigned(county, BEFORE_SPRING_FESTIVAL, now)
    answer = root_client.post(
        reverse("admin:cases_calendaroverride_import"),
        {"schedule": "2027-01-31 班\n2027-02-30 休 春节\n2027-02-05 放 春节"},
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "第 2 行的日期不存在" in html
    assert "第 3 行看不懂" in html
    assert not CalendarOverride.objects.exists()
    case.refresh_from_db()
    assert case.contact_due_at == at(2027, 2, 1)


# --- the count follows the workflow ------------------------------------------------------------


def test_a_suspension_adds_its_working_days_to_the_count(county, now):
    case = assigned(county, dt.datetime(2026, 3, 2, 9, tzinfo=CHINA), now)
    workflow.case_accept(actor=county.dan, case=case, contact_note="已上门")
    workflow.case_request_suspension(actor=county.dan, case=case, reason="等待材料")
    monday = dt.datetime(2026, 3, 9, 9, tzinfo=CHINA)
    workflow.case_decide_suspension(actor=county.office, case=case, approve=True, now=monday)
    case = workflow.case_resume(
        actor=county.dan, case=case, now=dt.datetime(2026, 3, 16, 9, tzinfo=CHINA)
    )
    assert case.resolve_due_working_days == 10 + 5
    assert case.resolve_due_at == end_of_day(dt.date(2026, 3, 23))


def test_a_typed_deadline_pushed_by_a_suspension_counts_the_days_pushed(county, now):
    case = assigned(
        county, dt.datetime(2026, 3, 2, 9, tzinfo=CHINA), now, resolve_due_at=at(2026, 3, 20)
    )
    workflow.case_accept(actor=county.dan, case=case, contact_note="已上门")
    workflow.case_request_suspension(actor=county.dan, case=case, reason="等待材料")
    monday = dt.datetime(2026, 3, 9, 9, tzinfo=CHINA)
    workflow.case_decide_suspension(actor=county.office, case=case, approve=True, now=monday)
    case = workflow.case_resume(
        actor=county.dan, case=case, now=dt.datetime(2026, 3, 11, 9, tzinfo=CHINA)
    )
    assert (case.resolve_due_from, case.resolve_due_working_days) == (dt.date(2026, 3, 20), 2)
    assert case.resolve_due_at == at(2026, 3, 24)


def test_a_refused_return_restores_the_counts(county, now):
    case = assigned(county, NEW_YEARS_EVE_EVE, now)
    workflow.case_return(actor=county.dan, case=case, reason="不属于我局职责")
    case.refresh_from_db()
    assert case.contact_due_working_days is None
    case = workflow.case_refuse_return(actor=county.office, case=case)
    assert (case.contact_due_from, case.contact_due_working_days) == (dt.date(2026, 12, 30), 3)
    assert (case.resolve_due_from, case.resolve_due_working_days) == (dt.date(2026, 12, 30), 10)


def test_a_reopened_case_counts_its_resolve_deadline_afresh(county, now):
    case = assigned(county, dt.datetime(2026, 6, 1, 10, tzinfo=CHINA), now)
    workflow.case_accept(actor=county.dan, case=case, contact_note="已上门")
    workflow.case_reply(actor=county.dan, case=case, outcome="resolved", reply="已解决")
    now(NEW_YEARS_EVE_EVE)
    case = workflow.case_rate(actor=county.eva, case=case, rating="dissatisfied")
    assert (case.resolve_due_from, case.resolve_due_working_days) == (dt.date(2026, 12, 30), 10)
    assert case.resolve_due_at == at(2027, 1, 14)
    assert estimated_deadlines(case, work_calendar()) == {RESOLVE}


# --- the office's banner, and the query behind it ----------------------------------------------


def test_the_office_banner_counts_the_open_deadlines_resting_on_the_estimate(
    client, county, second_county, now, monkeypatch
):
    assigned(county, NEW_YEARS_EVE_EVE, now)
    assigned(county, NEW_YEARS_EVE_EVE, now, resolve_due_at=at(2027, 3, 31))
    assigned(county, dt.datetime(2026, 6, 1, 10, tzinfo=CHINA), now)
    assigned(second_county, NEW_YEARS_EVE_EVE, now)  # another county's: not this office's
    monkeypatch.setattr(
        "web.context_processors.timezone.localdate", lambda *a, **k: dt.date(2026, 12, 3)
    )
    client.force_login(county.office)

    html = client.get(reverse("home"), follow=True).content.decode()

    banner = html.split('id="calendar-warning"')[1].split("</div>")[0]
    assert "2027 年的放假安排尚未录入工作日历" in banner
    assert "目前有 3 个未到期的期限据此计算" in banner
    assert reverse("admin:cases_calendaroverride_import") in banner
    client.force_login(second_county.office)
    html = client.get(reverse("home"), follow=True).content.decode()
    assert "目前有 2 个未到期的期限据此计算" in html.split('id="calendar-warning"')[1]


def test_the_query_and_the_case_agree_on_which_deadlines_rest_on_the_estimate(county, now):
    cases = [
        assigned(county, NEW_YEARS_EVE_EVE, now),
        assigned(county, NEW_YEARS_EVE_EVE, now, resolve_due_at=at(2027, 3, 31)),
        assigned(county, dt.datetime(2026, 6, 1, 10, tzinfo=CHINA), now),
        assigned(county, dt.datetime(2026, 12, 18, 10, tzinfo=CHINA), now),
        assigned(county, dt.datetime(2027, 12, 28, 10, tzinfo=CHINA), now),
    ]
    accepted = assigned(county, NEW_YEARS_EVE_EVE, now)
    cases.append(workflow.case_accept(actor=county.dan, case=accepted, contact_note="已上门"))
    replied = assigned(county, NEW_YEARS_EVE_EVE, now)
    workflow.case_accept(actor=county.dan, case=replied, contact_note="已上门")
    cases.append(
        workflow.case_reply(actor=county.dan, case=replied, outcome="resolved", reply="好")
    )
    # 2028 entered: a count from 2027-12-28 into 2028 still passes through 2027.
    CalendarOverride.objects.create(date=dt.date(2028, 1, 3), kind=CalendarOverride.Kind.HOLIDAY)
    calendar = work_calendar()

    contact_q, resolve_q = estimated_q(calendar)
    by_query = {
        (pk, CONTACT) for pk in Case.objects.filter(contact_q).values_list("pk", flat=True)
    } | {(pk, RESOLVE) for pk in Case.objects.filter(resolve_q).values_list("pk", flat=True)}
    by_case = {
        (case.pk, kind)
        for case in Case.objects.filter(pk__in=[c.pk for c in cases])
        for kind in estimated_deadlines(case, calendar)
    }

    assert by_query == by_case
    assert len(by_case) == 7
    assert estimated_deadline_count(Case.objects.all(), calendar) == 7


# --- deadlines stored before counts were kept --------------------------------------------------


def test_the_migration_keeps_the_counts_and_the_recount_moves_a_monday_to_friday_deadline(
    county, now
):
    fill = importlib.import_module("cases.migrations.0007_fill_deadline_counts").fill_counts
    plain = assigned(county, dt.datetime(2026, 6, 1, 10, tzinfo=CHINA), now)
    typed = assigned(
        county, dt.datetime(2026, 6, 1, 10, tzinfo=CHINA), now, resolve_due_at=at(2026, 7, 31)
    )
    old = assigned(county, NEW_YEARS_EVE_EVE, now)
    # As stored before the estimate: 2027 counted Monday to Friday, 元旦 a working day.
    Case.objects.filter(pk=old.pk).update(
        contact_due_at=at(2027, 1, 4), resolve_due_at=at(2027, 1, 13)
    )
    Case.objects.update(
        contact_due_from=None,
        contact_due_working_days=None,
        resolve_due_from=None,
        resolve_due_working_days=None,
    )

    fill(django_apps, None)

    def counts(case):
        case.refresh_from_db()
        return (case.contact_due_working_days, case.resolve_due_working_days)

    assert counts(plain) == (3, 10) and plain.resolve_due_from == dt.date(2026, 6, 1)
    assert counts(typed) == (3, None)
    assert counts(old) == (3, 10)

    call_command("recount_deadlines")

    old.refresh_from_db()
    assert (old.contact_due_at, old.resolve_due_at) == (at(2027, 1, 5), at(2027, 1, 14))
    assert old.events.filter(kind=CaseEvent.Kind.DEADLINES_RECOUNTED).count() == 1
    assert not plain.events.filter(kind=CaseEvent.Kind.DEADLINES_RECOUNTED).exists()
