"""The supervision board's escalation levels agree with the reminder ladder, computed in SQL."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import deadlines, escalation, workflow
from cases.models import Case
from cases.selectors import work_calendar
from cases.workdays import CHINA, WorkCalendar, end_of_day, working_days_between

CALENDAR = WorkCalendar()


def at(y, m, d, h=10, minute=0, second=0):
    return dt.datetime(y, m, d, h, minute, second, tzinfo=CHINA)


def test_the_levels_from_cut_offs_agree_with_the_reminder_ladder_across_holidays():
    # Around May Day 2021 (1–5 May off, 25 April and 8 May made working days) and National Day.
    dues = [end_of_day(dt.date(2021, 4, 20) + dt.timedelta(days=n)) for n in range(25)] + [
        end_of_day(dt.date(2021, 9, 24) + dt.timedelta(days=n)) for n in range(25)
    ]
    nows = []
    for start in (dt.date(2021, 4, 20), dt.date(2021, 9, 24)):
        for n in range(30):
            day = start + dt.timedelta(days=n)
            nows += [
                at(day.year, day.month, day.day, 0, 0, 0),
                at(day.year, day.month, day.day, 12),
            ]
            nows.append(at(day.year, day.month, day.day, 23, 59, 59))
    checked = 0
    for now in nows:
        cutoffs = deadlines.cutoffs_at(now, CALENDAR)
        for due in dues:
            assert deadlines.level_of(due, cutoffs) == deadlines.level_at(due, now, CALENDAR), (
                due,
                now,
            )
            checked += 1
    assert checked > 5000


def test_a_deadline_becomes_overdue_the_second_after_it_passes():
    due = end_of_day(dt.date(2021, 4, 26))
    assert deadlines.level_of(due, deadlines.cutoffs_at(due, CALENDAR)) == deadlines.WARNING
    after = due + dt.timedelta(seconds=1)
    assert deadlines.level_of(due, deadlines.cutoffs_at(after, CALENDAR)) == deadlines.OVERDUE


def test_a_friday_deadline_escalates_on_tuesday_and_is_flagged_on_thursday():
    due = end_of_day(dt.date(2021, 6, 4))  # Friday
    level = lambda now: deadlines.level_of(due, deadlines.cutoffs_at(now, CALENDAR))  # noqa: E731
    assert level(at(2021, 6, 5)) == deadlines.OVERDUE  # Saturday
    assert level(at(2021, 6, 7)) == deadlines.OVERDUE  # Monday: the day is not over yet
    assert level(at(2021, 6, 8)) == deadlines.ESCALATED  # Tuesday
    assert level(at(2021, 6, 10)) == deadlines.FLAGGED  # Thursday


def test_the_standing_reports_working_days_late_not_counting_the_weekend():
    case = Case(
        status=Case.Status.ASSIGNED,
        contact_due_at=end_of_day(dt.date(2021, 6, 4)),
        resolve_due_at=end_of_day(dt.date(2021, 6, 30)),
    )
    standing = deadlines.standing(case, at(2021, 6, 9), CALENDAR)  # Wednesday
    assert standing.deadline == deadlines.CONTACT
    assert standing.level == deadlines.ESCALATED
    assert standing.working_days_late == 2  # Monday and Tuesday


def test_once_accepted_only_the_resolve_deadline_counts():
    case = Case(
        status=Case.Status.IN_PROGRESS,
        contacted_at=at(2021, 6, 1),
        contact_due_at=end_of_day(dt.date(2021, 6, 4)),
        resolve_due_at=end_of_day(dt.date(2021, 6, 30)),
    )
    assert deadlines.standing(case, at(2021, 6, 9), CALENDAR).level is None
    assert deadlines.standing(case, at(2021, 6, 30), CALENDAR).deadline == deadlines.RESOLVE


def test_a_suspended_case_is_not_on_the_ladder():
    case = Case(
        status=Case.Status.IN_PROGRESS,
        suspended_at=at(2021, 6, 1),
        resolve_due_at=end_of_day(dt.date(2021, 6, 4)),
    )
    assert deadlines.standing(case, at(2021, 6, 30), CALENDAR) is None


@pytest.mark.django_db
def test_the_database_annotation_gives_each_case_its_highest_level(county):
    now = timezone.now()
    long_ago = now - dt.timedelta(days=40)
    flagged = county.assigned(assigned_at=long_ago)
    fresh = county.assigned()
    accepted_late = county.in_progress(assigned_at=long_ago)  # contact kept, resolve still running
    replied = county.replied(assigned_at=long_ago)
    suspended = county.in_progress(assigned_at=long_ago)
    workflow.case_request_suspension(actor=county.dan, case=suspended, reason="等待企业提供材料")
    workflow.case_decide_suspension(actor=county.office, case=suspended, approve=True)

    calendar = work_calendar()
    levels = dict(
        deadlines.with_level(Case.objects.all(), now, calendar).values_list("pk", "level")
    )
    assert levels[flagged.pk] == deadlines.FLAGGED
    assert levels[fresh.pk] == deadlines.NONE
    # 用电用能 resolves in 10 working days: 40 days ago is more than 3 working days past that
    assert levels[accepted_late.pk] == deadlines.FLAGGED
    assert levels[replied.pk] == deadlines.NONE
    assert levels[suspended.pk] == deadlines.NONE
    for case in Case.objects.filter(pk__in=[flagged.pk, accepted_late.pk]):
        assert deadlines.standing(case, now, calendar).level == levels[case.pk]


def test_a_page_counts_working_days_late_as_the_working_day_clock_does():
    now = at(2021, 10, 12)
    yesterday = dt.date(2021, 10, 11)
    # Out of order, across National Day and years back, as the rows of a board page come.
    for due_day in [
        dt.date(2021, 10, 8),
        dt.date(2018, 2, 14),
        dt.date(2021, 9, 30),
        dt.date(2021, 10, 11),
        dt.date(2021, 10, 20),
        dt.date(2019, 12, 31),
    ]:
        expected = max(0, working_days_between(due_day, yesterday, CALENDAR))
        assert deadlines.working_days_late(end_of_day(due_day), now, CALENDAR) == expected, due_day


@pytest.mark.django_db
def test_the_board_holds_exactly_the_cases_that_reached_the_ladder(county):
    now = timezone.now()
    long_ago = now - dt.timedelta(days=40)
    cases = [
        county.assigned(assigned_at=long_ago),
        county.assigned(),
        county.in_progress(assigned_at=long_ago),
        county.in_progress(),
        county.replied(assigned_at=long_ago),
        county.closed(assigned_at=long_ago),
        county.submitted(),
    ]
    due_today = county.assigned()
    Case.objects.filter(pk=due_today.pk).update(contact_due_at=end_of_day(timezone.localdate()))
    suspended = county.in_progress(assigned_at=long_ago)
    workflow.case_request_suspension(actor=county.dan, case=suspended, reason="等待企业提供材料")
    workflow.case_decide_suspension(actor=county.office, case=suspended, approve=True)
    assert len(cases) + 2 == Case.objects.count()

    calendar = work_calendar()
    reached = {
        pk
        for pk, level in deadlines.with_level(Case.objects.all(), now, calendar).values_list(
            "pk", "level"
        )
        if level > deadlines.NONE
    }
    on_board = escalation.on_the_board(Case.objects.all(), now, calendar)
    assert set(on_board.values_list("pk", flat=True)) == reached
    assert reached == {cases[0].pk, cases[2].pk, due_today.pk}
