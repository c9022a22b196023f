"""各县对比 (analysis.city_compare): the counties ranked by their 三率, and the categories of problem
several counties share."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from analysis import city_compare
from analysis.city import CountyFigures
from analysis.evaluation import Totals
from analysis.periods import Period
from cases import intake
from cases.models import Case, Category
from counties.models import County

pytestmark = pytest.mark.django_db


def figures(name: str, pk: int, **totals) -> CountyFigures:
    return CountyFigures(County(pk=pk, name=name), Totals(**totals), dt.datetime(2031, 1, 1))


def test_the_ranking_is_by_the_mean_of_the_rates_a_county_has():
    rows = [
        # 响应率 1/2, 办结率 none yet, 满意率 1/1 → mean 0.75
        figures("甲县", 1, contact_due=2, contacted_on_time=1, rated=1, satisfied=1),
        # every rate 1 → 1.0
        figures(
            "乙县",
            2,
            contact_due=1,
            contacted_on_time=1,
            reply_due=1,
            replied_on_time=1,
            rated=1,
            satisfied=1,
        ),  # fmt: skip
        figures("丙县", 3),  # nothing to count yet
        figures("丁县", 4, contact_due=4, contacted_on_time=3, rated=2, satisfied=2),  # 0.875
    ]
    ranked = city_compare.county_ranking(rows)
    assert [(r.rank, r.figures.county.name) for r in ranked] == [
        (1, "乙县"),
        (2, "丁县"),
        (3, "甲县"),
        (None, "丙县"),
    ]
    assert ranked[2].score == pytest.approx(0.75)


def test_equal_scores_share_a_rank():
    rows = [figures("甲县", 1, rated=1, satisfied=1), figures("乙县", 2, rated=2, satisfied=2)]
    assert [r.rank for r in city_compare.county_ranking(rows)] == [1, 1]


def test_a_category_raised_in_two_counties_is_a_shared_pain_point(world):
    county, other = world.county, world.other_county
    county.submitted()  # 用电用能 in 进贤县
    county.submitted(title="变压器老化")
    other.submitted()  # 用电用能 in 安义县
    labour = Category.objects.get(code="labour")
    intake.case_create(  # 用工人才 in 进贤县 only: not shared
        actor=county.office,
        enterprise=county.poultry,
        title="招工难",
        description="",
        category=labour,
        source=Case.Source.VISIT,
    )
    year = dt.date.today().year
    period = Period(dt.date(year - 1, 1, 1), dt.date(year + 1, 12, 31))
    shared = city_compare.shared_pain_points(world.city_office, period)
    assert [(p.category, p.counties, p.total) for p in shared] == [
        ("用电用能", [("进贤县", 2), ("安义县", 1)], 3)
    ]
    # A county's office reads its own county only: nothing is shared within one county.
    assert city_compare.shared_pain_points(county.office, period) == []


def test_the_page_shows_both_to_the_city_office_only(world, django_assert_max_num_queries):
    world.county.submitted()
    world.other_county.submitted()
    client = Client()
    client.force_login(world.city_office)
    client.get(reverse("analysis:city_compare"))  # the snapshots computed once
    with django_assert_max_num_queries(20):
        page = client.get(reverse("analysis:city_compare"))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="county-ranking"' in body and "安义县" in body and 'data-category="用电用能"' in body
    client.force_login(world.county.office)
    assert client.get(reverse("analysis:city_compare")).status_code == 403
