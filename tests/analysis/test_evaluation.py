"""The evaluation (考核) against the spring of 2021, by hand — and against the API's numbers."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from analysis import evaluation, team_evaluation
from analysis.models import EvaluationRules
from analysis.periods import Period, month, quarter
from cases.models import Case
from cases.selectors import cases_visible_to, taskforces_visible_to, visits_visible_to
from tests.analysis.conftest import NOW, frozen

pytestmark = pytest.mark.django_db

Q2 = quarter(2021, 2)


def rows_by_department(spring, period=Q2, min_assigned=1):
    ranking = evaluation.department_evaluation(
        cases_visible_to(spring.county.office), period, now=NOW, min_assigned=min_assigned
    )
    return ranking, {r.department.name: r for r in ranking.rows}


def test_the_industry_bureau_is_judged_on_the_working_day_calendar(spring):
    _ranking, rows = rows_by_department(spring)
    gxj = rows["县工信局"]
    s = gxj.stats
    # assigned in Q2: A B C D E. On time: A (kept on the make-up Sunday), C, E; B was late by
    # the real calendar though a Mon–Fri clock would have passed it; D never contacted.
    assert (s.assigned, s.contacted_on_time, gxj.contact_due) == (5, 3, 5)
    assert gxj.contact_rate == pytest.approx(3 / 5)
    # replied by the deadline: A (Saturday 8 May, itself a working day), B (second reply);
    # due to be judged: A, B and C (reopened, past its new deadline). D and E are not due yet.
    assert (s.replied_on_time, gxj.reply_due) == (2, 3)
    assert (s.overdue, s.returns, gxj.reopens) == (2, 0, 2)
    assert (gxj.extensions, gxj.extensions_approved) == (1, 1)


def test_an_appealed_and_upheld_rating_is_excluded_from_the_satisfaction_rate(spring):
    _ranking, rows = rows_by_department(spring)
    s = rows["县工信局"].stats
    assert s.ratings == {
        "very_satisfied": 1,
        "satisfied": 1,
        "basically_satisfied": 0,
        "dissatisfied": 1,
        "very_dissatisfied": 0,
    }
    assert (s.rated, s.excluded_ratings) == (3, 1)
    assert s.satisfaction_rate == pytest.approx(2 / 3)


def test_commitments_kept_count_kept_over_kept_and_missed(spring):
    _ranking, rows = rows_by_department(spring)
    gxj = rows["县工信局"]
    # B's promise kept; E's due 10 June missed; E's due 20 June still open, left out.
    assert (gxj.commitments_kept, gxj.commitments_missed) == (1, 1)
    assert gxj.commitment_rate == pytest.approx(0.5)


def test_returns_count_for_the_department_that_sent_the_case_back(spring):
    _ranking, rows = rows_by_department(spring)
    rsj = rows["县人社局"]
    assert (rsj.stats.assigned, rsj.stats.contacted_on_time, rsj.stats.returns) == (1, 1, 1)
    assert rsj.reply_rate is None and rsj.satisfaction_rate is None


# Rules that weigh on-time contact, on-time reply and satisfaction alike and deduct nothing: the
# score is the mean of those three rates, out of 100 (analysis.rules; tests/analysis/test_scoring.py
# checks the office's own rules).
MEAN_OF_THREE = EvaluationRules(
    weight_contact=1,
    weight_reply=1,
    weight_resolve=0,
    weight_satisfaction=1,
    weight_commitment=0,
    deduction_return=0,
    deduction_reopen=0,
)


def test_departments_are_ranked_by_the_mean_of_their_rates(spring):
    ranking = evaluation.department_evaluation(
        cases_visible_to(spring.county.office), Q2, now=NOW, min_assigned=1, rules=MEAN_OF_THREE
    )
    rows = {r.department.name: r for r in ranking.rows}
    # 人社局: on-time contact 1/1 only → 100%. 工信局: (3/5 + 2/3 + 2/3) / 3.
    assert rows["县人社局"].score == pytest.approx(100.0)
    assert rows["县工信局"].score == pytest.approx(100 * (0.6 + 2 / 3 + 2 / 3) / 3, abs=0.005)
    assert [r.department.name for r in ranking.ranked] == ["县人社局", "县工信局"]
    assert [r.department.name for r in ranking.red] == ["县人社局"]
    assert [r.department.name for r in ranking.black] == ["县工信局"]
    assert rows["国网进贤县供电公司"].rank is None


def test_a_department_with_too_few_cases_is_listed_but_not_ranked(spring):
    ranking, rows = rows_by_department(spring, min_assigned=None)  # the default: 5 cases
    assert rows["县工信局"].rank == 1  # five cases assigned in Q2
    # 人社局 is scored — on-time contact 1/1, the default rules' 100, less 1 for its return —
    # but one case is too few to rank it.
    assert rows["县人社局"].rank is None and rows["县人社局"].score == pytest.approx(99.0)
    assert ranking.red == [] and ranking.black == []  # one ranked department makes no lists


def test_a_month_counts_only_what_happened_in_it(spring):
    _ranking, rows = rows_by_department(spring, month(2021, 4))
    gxj = rows["县工信局"]
    # April: A and B assigned; A contacted on time; no rating yet; no reopen.
    assert (gxj.stats.assigned, gxj.stats.contacted_on_time, gxj.stats.rated, gxj.reopens) == (
        2,
        1,
        0,
        0,
    )
    # A's and B's replies were in May but they were assigned in April: both replied on time.
    assert gxj.stats.replied_on_time == 2


def test_the_totals_add_up_the_departments(spring):
    ranking, _rows = rows_by_department(spring)
    t = evaluation.totals(ranking)
    assert (t.assigned, t.contacted_on_time, t.contact_due, t.overdue, t.returns) == (6, 4, 6, 2, 1)
    assert (t.rated, t.satisfied, t.excluded_ratings) == (3, 2, 1)


def test_the_page_shows_the_numbers_the_api_gives_for_the_same_range(spring, client):
    office = spring.county.office
    api = APIClient()
    api.force_authenticate(office)
    params = {"date_from": "2021-04-01", "date_to": "2021-06-30"}
    client.force_login(office)
    with frozen(NOW):
        body = api.get("/api/v1/stats/departments/", params).json()
        page = client.get("/analysis/evaluation/", params)
    assert page.status_code == 200
    shown = {r.department.pk: r for r in page.context["ranking"].rows}
    assert {r["department"] for r in body["results"]} == set(shown)
    for row in body["results"]:
        s = shown[row["department"]].stats
        assert row["assigned"] == s.assigned
        assert row["contacted_on_time"] == s.contacted_on_time
        assert row["replied_on_time"] == s.replied_on_time
        assert row["overdue"] == s.overdue
        assert row["returns"] == s.returns
        assert row["ratings"] == s.ratings
        assert row["excluded_ratings"] == s.excluded_ratings
        assert row["satisfaction_rate"] == s.satisfaction_rate
    html = page.content.decode()
    assert 'data-figure="assigned">5<' in html and 'data-figure="satisfaction_rate">66.7%<' in html


# --- task forces and cadres ------------------------------------------------------------------------


def team_rows(spring, period):
    office = spring.county.office
    tfs, visits = taskforces_visible_to(office), visits_visible_to(office)
    return (
        team_evaluation.taskforce_evaluation(
            tfs, visits, cases_visible_to(office), period, now=NOW
        ),
        team_evaluation.cadre_evaluation(tfs, visits, period, now=NOW),
    )


def test_the_task_force_counts_its_visits_problems_and_cases(spring):
    (tf,), (carl,) = team_rows(spring, Q2)
    # two visits in Q2 (10 Apr, 17 May), one problem found (G); steel visited 17 May: not stale.
    assert (tf.enterprises, tf.visits, tf.problems, tf.stale) == (1, 2, 1, 0)
    # steel's cases now: A closed; B replied, E and G in progress → 3 open, none overdue.
    assert (tf.open, tf.overdue) == (3, 0)
    assert (carl.name, carl.enterprises, carl.visits, carl.problems, carl.stale) == (
        "carl",
        1,
        2,
        1,
        0,
    )
    assert carl.detail == "荣信钢构专班"


def test_an_enterprise_nobody_visited_for_30_days_is_counted_as_stale(spring):
    (tf,), (carl,) = team_rows(spring, month(2021, 3))
    assert (tf.visits, tf.stale, carl.stale) == (0, 1, 1)
    (tf,), _ = team_rows(spring, Period(dt.date(2021, 4, 1), dt.date(2021, 5, 9)))
    assert tf.stale == 0  # on 9 May the visit of 10 April was 29 days ago
    (tf,), _ = team_rows(spring, Period(dt.date(2021, 4, 1), dt.date(2021, 5, 10)))
    assert tf.stale == 1  # on 10 May it was 30 days ago


def test_the_evaluation_costs_the_same_queries_for_few_and_many_cases(
    spring, django_assert_num_queries
):
    from cases.roles import actor_for

    office = actor_for(spring.county.office)

    def run():
        evaluation.department_evaluation(
            cases_visible_to(office), Q2, now=NOW, county_id=office.county_id
        )

    # cases.stats' five, the evaluation's three, the rules in force and the period's 奖惩.
    with django_assert_num_queries(10):
        run()
    for _ in range(4):
        spring.county.replied(enterprise=spring.county.poultry)
    assert Case.objects.count() == 12
    with django_assert_num_queries(10):
        run()


def test_the_offices_evaluation_reads_the_events_without_listing_every_case_id(spring):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as office:
        evaluation.department_evaluation(cases_visible_to(spring.county.office), Q2, now=NOW)
    assert not [q for q in office.captured_queries if 'IN (SELECT U0."id"' in q["sql"]]
    with CaptureQueriesContext(connection) as leader:
        ranking = evaluation.department_evaluation(cases_visible_to(spring.county.li), Q2, now=NOW)
    assert [q for q in leader.captured_queries if "IN (SELECT" in q["sql"]]
    gxj = {r.department.name: r for r in ranking.rows}["县工信局"]
    assert (gxj.stats.assigned, gxj.reopens) == (3, 1)  # A, B, E of 荣信钢构; B reopened
