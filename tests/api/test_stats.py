"""cases.stats: department numbers in a fixed number of aggregate queries."""

from __future__ import annotations

import datetime as dt

import pytest

from cases import workflow
from cases.models import Case
from cases.selectors import cases_visible_to
from cases.stats import department_stats
from enterprises.models import Department
from tests.conftest import CHINA

pytestmark = pytest.mark.django_db

APRIL = dt.datetime(2021, 4, 22, 10, 0, tzinfo=CHINA)


def row(rows, department):
    return next(r for r in rows if r.department == department)


def test_a_department_with_nothing_has_zeros_and_no_rate(county):
    stats = row(department_stats(), county.rsj)
    assert (stats.assigned, stats.overdue, stats.returns, stats.rated) == (0, 0, 0, 0)
    assert stats.satisfaction_rate is None


def test_the_office_is_not_a_department_to_rate(county):
    assert county.office_dept not in [r.department for r in department_stats()]


def test_the_rate_counts_the_three_satisfied_levels_over_all_counted_ratings(county):
    for level in ("very_satisfied", "basically_satisfied", "dissatisfied"):
        workflow.case_rate(actor=county.eva, case=county.replied(), rating=level)
    stats = row(department_stats(), county.gxj)
    assert stats.rated == 3 and stats.ratings["dissatisfied"] == 1
    assert stats.satisfaction_rate == pytest.approx(2 / 3)


def test_a_range_counts_assignments_by_their_date_both_ends_included(county):
    county.assigned(assigned_at=APRIL)
    county.assigned(assigned_at=APRIL + dt.timedelta(days=8))  # 30 April
    county.assigned()
    april = department_stats(date_from=dt.date(2021, 4, 22), date_to=dt.date(2021, 4, 30))
    assert row(april, county.gxj).assigned == 2
    assert row(department_stats(date_to=dt.date(2021, 4, 29)), county.gxj).assigned == 1
    assert row(department_stats(), county.gxj).assigned == 3


def test_overdue_now_ignores_the_range(county):
    county.assigned(assigned_at=APRIL)
    stats = row(department_stats(date_from=dt.date(2030, 1, 1)), county.gxj)
    assert stats.assigned == 0 and stats.overdue == 1


def test_numbers_come_only_from_the_cases_given(county):
    county.assigned(enterprise=county.poultry)
    county.assigned()
    assert row(department_stats(cases=cases_visible_to(county.eva)), county.gxj).assigned == 1
    assert row(department_stats(cases=Case.objects.none()), county.gxj).assigned == 0


def test_five_queries_whatever_the_number_of_departments(county, django_assert_num_queries):
    for n in range(30):
        Department.objects.create(name=f"测试乡镇{n}", kind=Department.Kind.TOWNSHIP)
    county.replied()
    with django_assert_num_queries(5):
        rows = department_stats()
    assert len(rows) == 33
