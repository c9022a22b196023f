"""The dashboard's figures against the spring of 2021 (tests/analysis/conftest.py), by hand."""

import datetime as dt

import pytest

from analysis import metrics
from analysis.metrics import Timing, WorkdayIndex
from cases import escalation, workflow
from cases.models import Case
from cases.roles import actor_for
from cases.selectors import cases_visible_to, taskforces_visible_to, whole_county, work_calendar
from cases.workdays import WorkCalendar, working_days_between
from tests.analysis.conftest import NOW, frozen

pytestmark = pytest.mark.django_db


def office_dashboard(spring):
    return metrics.dashboard(
        cases_visible_to(spring.county.office),
        calendar=work_calendar(),
        taskforces=taskforces_visible_to(spring.county.office),
        now=NOW,
    )


def test_the_headline_counts_leave_out_the_merged_duplicate(spring):
    o = office_dashboard(spring).overview
    # live: A–G (H merged); open: B C D E F G; overdue: C (resolve) and D (contact);
    # listed (挂牌督办): none, though the ladder proposes C and D (3 working days late by 15 Jun).
    assert (o.total, o.open, o.submitted, o.replied, o.closed) == (7, 6, 1, 1, 1)
    assert (o.overdue, o.listed) == (2, 0)


def test_the_listed_figure_counts_what_the_office_listed_as_the_board_does(spring):
    office = spring.county.office
    with frozen(NOW):
        workflow.case_list(actor=office, case=spring.C, reason="逾期满3个工作日", now=NOW)
        workflow.case_list(actor=office, case=spring.E, reason="县领导批示", now=NOW)
    o = office_dashboard(spring).overview
    # C proposed and listed; E listed before the ladder proposed it; D proposed, not listed.
    board = escalation.listed_cases(cases_visible_to(office))
    assert o.listed == board.count() == 2


def test_the_cases_are_counted_per_category_industry_township_and_task_force(spring):
    d = office_dashboard(spring)

    def table(rows):
        return {r.label: (r.total, r.open, r.overdue, r.closed) for r in rows}

    assert table(d.by_category) == {"用电用能": (5, 4, 2, 1), "用工人才": (2, 2, 0, 0)}
    assert table(d.by_industry) == {"钢结构与建材": (4, 3, 0, 1), "食品与农副产品": (3, 3, 2, 0)}
    assert table(d.by_township) == {"民和镇": (4, 3, 0, 1), "李渡镇": (3, 3, 2, 0)}
    assert table(d.by_taskforce) == {"荣信钢构专班": (4, 3, 0, 1)}


def test_contact_times_count_the_sunday_that_was_a_working_day(spring):
    # A: 22 Apr → Sun 25 Apr = 2 (23, 25); B: → 27 Apr = 4 (23, 25, 26, 27);
    # C: 6 May → Sat 8 May = 2 (7, 8); E: 10 → 12 May = 2; G: 17 → 18 May = 1.
    t = office_dashboard(spring).contact_time
    assert t.histogram == {1: 1, 2: 3, 4: 1}
    assert (t.count, t.median, t.p90) == (5, 2, 4)


def test_reply_times_are_counted_in_working_days_to_the_current_reply(spring):
    # A: 22 Apr → Sat 8 May = 10; B: 22 Apr → 20 May (its second reply) = 19. C was reopened.
    t = office_dashboard(spring).reply_time
    assert t.histogram == {10: 1, 19: 1}
    assert (t.median, t.p90) == (10, 19)


def test_the_weekly_trend_counts_new_and_closed_cases_by_monday(spring):
    trend = {r.week: (r.new, r.closed) for r in office_dashboard(spring).trend}
    assert (
        len(trend) == 12
        and min(trend) == dt.date(2021, 3, 29)
        and max(trend) == dt.date(2021, 6, 14)
    )
    assert trend[dt.date(2021, 4, 19)] == (2, 0)  # A, B
    assert trend[dt.date(2021, 5, 3)] == (2, 0)  # C, E
    assert trend[dt.date(2021, 5, 10)] == (0, 1)  # A closed
    assert trend[dt.date(2021, 5, 17)] == (1, 0)  # G
    assert trend[dt.date(2021, 5, 31)] == (1, 0)  # D
    assert trend[dt.date(2021, 6, 7)] == (1, 0)  # F (H was merged)
    assert sum(n for n, _ in trend.values()) == 7


def test_a_leader_sees_only_the_cases_of_the_task_forces_enterprises(spring):
    li = spring.county.li
    d = metrics.dashboard(
        cases_visible_to(li),
        calendar=work_calendar(),
        taskforces=taskforces_visible_to(li),
        now=NOW,
    )
    assert (d.overview.total, d.overview.open, d.overview.overdue) == (4, 3, 0)
    assert {r.label for r in d.by_industry} == {"钢结构与建材"}
    assert [r.label for r in d.by_taskforce] == ["荣信钢构专班"]


def test_the_dashboard_costs_the_same_eight_queries_for_few_and_many_cases(
    spring, django_assert_num_queries
):
    office = actor_for(spring.county.office)
    calendar = work_calendar()
    with django_assert_num_queries(8):
        metrics.dashboard(
            cases_visible_to(office),
            calendar=calendar,
            taskforces=taskforces_visible_to(office),
            now=NOW,
        )
    with frozen(NOW):
        for _ in range(5):
            spring.county.closed(enterprise=spring.county.poultry)
    with django_assert_num_queries(8):
        metrics.dashboard(
            cases_visible_to(office),
            calendar=calendar,
            taskforces=taskforces_visible_to(office),
            now=NOW,
        )


def test_percentiles_are_nearest_rank():
    t = Timing({0: 1, 1: 1, 2: 1, 5: 1})
    assert (t.median, t.p90, t.percentile(0.25)) == (1, 5, 0)
    assert Timing().median is None


def test_the_workday_index_agrees_with_the_working_day_clock():
    calendar = WorkCalendar()
    index = WorkdayIndex(dt.date(2021, 4, 1), dt.date(2021, 10, 31), calendar)
    for start, end in [
        (dt.date(2021, 4, 22), dt.date(2021, 4, 25)),
        (dt.date(2021, 4, 29), dt.date(2021, 5, 7)),
        (dt.date(2021, 9, 30), dt.date(2021, 10, 11)),
        (dt.date(2021, 6, 11), dt.date(2021, 6, 15)),
    ]:
        assert index.between(start, end) == working_days_between(start, end, calendar)
    assert index.between(dt.date(2021, 4, 22), dt.date(2021, 4, 25)) == 2


def test_period_activity_counts_what_happened_in_the_period(spring):
    from analysis.periods import month

    may = metrics.period_activity(Case.objects.all(), month(2021, 5))
    # recorded in May: C, E, G; assigned in May: C, E (10 May), G; closed in May: A.
    assert (may.new, may.assigned, may.closed) == (3, 3, 1)


def test_the_timing_chart_draws_every_day_and_gathers_the_long_tail():
    from analysis import charts

    chart = charts.timing("t", "用时", Timing({0: 2, 3: 1, 45: 1, 60: 2}))
    assert chart.categories[:4] == ["0", "1", "2", "3"] and chart.categories[-1] == "40+"
    assert chart.series[0]["data"][:4] == [2, 0, 0, 1] and chart.series[0]["data"][-1] == 3
    assert chart.rows == [[0, 2], [3, 1], [45, 1], [60, 2]]
    short = charts.timing("t", "用时", Timing({1: 1, 2: 3}))
    assert short.categories == ["0", "1", "2"] and short.series[0]["data"] == [0, 1, 3]


def test_the_overview_added_up_per_enterprise_is_the_overview_counted_at_once(spring):
    calendar = work_calendar()
    for now in (NOW, NOW - dt.timedelta(days=20), NOW + dt.timedelta(days=30)):
        counts = metrics.per_enterprise(Case.objects.all(), now, calendar)
        assert metrics.overview_of(counts) == metrics.overview(Case.objects.all(), now, calendar)


def test_flagged_counts_the_cases_the_supervision_board_shows_flagged(spring):
    from cases.deadlines import FLAGGED, reached_q, with_level

    calendar = work_calendar()
    seen = set()
    for days in range(0, 40, 3):
        now = NOW - dt.timedelta(days=days)
        board = with_level(Case.objects.all(), now, calendar).filter(level=FLAGGED)
        flagged = Case.objects.filter(reached_q(FLAGGED, now, calendar))
        assert set(flagged.values_list("pk", flat=True)) == set(board.values_list("pk", flat=True))
        seen.add(board.count())
    assert len(seen) > 1  # the clock moved cases onto the ladder


def test_timings_counted_by_the_database_agree_with_the_pairs(spring):
    calendar = work_calendar()
    cases = metrics.live(Case.objects.all())
    contact, reply = metrics.timings(Case.objects.all(), calendar, NOW)
    assert contact == metrics.timing(cases, "assigned_at", "contacted_at", calendar)
    assert reply == metrics.timing(cases, "assigned_at", "replied_at", calendar)
    assert (contact.histogram, reply.histogram) == ({1: 1, 2: 3, 4: 1}, {10: 1, 19: 1})


def test_a_reply_dated_after_now_is_still_counted(spring):
    # B's second reply (20 May) lies beyond the working-day index of a clock set to 1 May: the
    # pairs count it rather than the index leaving it out.
    calendar = work_calendar()
    contact, reply = metrics.timings(Case.objects.all(), calendar, NOW.replace(month=5, day=1))
    assert (contact.histogram, reply.histogram) == ({1: 1, 2: 3, 4: 1}, {10: 1, 19: 1})


def test_the_office_sees_its_whole_county_and_nobody_else_does(spring):
    assert metrics.is_every_case(Case.objects.all())
    # The office's scope is its county: the rows of its cases are read by the county's column.
    office = cases_visible_to(spring.county.office)
    assert not metrics.is_every_case(office)
    assert whole_county(office) == spring.county.steel.county_id
    assert whole_county(cases_visible_to(spring.county.li)) is None
    assert not metrics.is_every_case(cases_visible_to(spring.county.li))
    assert not metrics.is_every_case(Case.objects.none())
    assert not metrics.is_every_case(Case.objects.all()[:3])
