"""各县对比 (analysis.city_compare): the counties ranked by the 营商环境指数 (analysis.business_index), and the categories of problem
several counties share."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from analysis import business_index, city_compare
from analysis.city import CountyFigures
from analysis.evaluation import Totals
from analysis.periods import Period
from cases import intake
from cases.models import Case, Category
from counties.models import County

pytestmark = pytest.mark.django_db


def figures(name: str, pk: int, **totals) -> CountyFigures:
    return CountyFigures(County(pk=pk, name=name), Totals(**totals), dt.datetime(2031, 1, 1))


def test_the_index_by_hand_for_two_counties_and_who_is_ranked():
    rows = [
        # 响应率 9/10, 办结率 6/8, 解决率 4/5, 满意率 3/4, 践诺率 none yet (its weight left out):
        # 100 × (0.9×25 + 0.75×25 + 0.8×20 + 0.75×20) ÷ 90 = 100 × 72.25 ÷ 90 = 80.28
        figures(
            "甲县",
            1,
            assigned=12,
            contact_due=10,
            contacted_on_time=9,
            reply_due=8,
            replied_on_time=6,
            replied=5,
            resolved=4,
            rated=4,
            satisfied=3,
        ),  # fmt: skip
        # 10/10, 5/10, 1/2, 4/4, 践诺 1/2: 100 × (25 + 12.5 + 10 + 20 + 5) ÷ 100 = 72.5
        figures(
            "乙县",
            2,
            assigned=15,
            contact_due=10,
            contacted_on_time=10,
            reply_due=10,
            replied_on_time=5,
            replied=2,
            resolved=1,
            rated=4,
            satisfied=4,
            commitments_kept=1,
            commitments_missed=1,
        ),  # fmt: skip
        # Perfect, but 3 cases: listed, not ranked.
        figures("丙县", 3, assigned=3, contact_due=3, contacted_on_time=3, rated=1, satisfied=1),
        figures("丁县", 4, assigned=20),  # nothing to count yet: listed, not ranked
    ]
    ranked = business_index.ranking(rows)
    assert [(r.rank, r.figures.county.name) for r in ranked] == [
        (1, "甲县"),
        (2, "乙县"),
        (None, "丙县"),
        (None, "丁县"),
    ]
    assert ranked[0].index == pytest.approx(100 * 72.25 / 90)
    assert ranked[1].index == pytest.approx(72.5)
    assert ranked[2].index == pytest.approx(100) and ranked[2].why_unranked == "交办不足 10 件"
    assert ranked[3].index is None and ranked[3].why_unranked == "尚无可计比率"
    assert ranked[0].components == [0.9, 0.75, 0.8, 0.75, None]


def test_equal_indexes_as_printed_share_a_rank():
    rows = [
        figures("甲县", 1, assigned=10, rated=3, satisfied=2),  # 66.67
        figures("乙县", 2, assigned=10, rated=300, satisfied=200),  # 66.67
        figures("丙县", 3, assigned=10, rated=2, satisfied=1),  # 50
    ]
    assert [r.rank for r in business_index.ranking(rows)] == [1, 1, 3]


def test_the_formula_names_every_component_with_its_weight():
    text = business_index.formula()
    for label, weight in zip(
        business_index.component_labels(), business_index.WEIGHTS.values(), strict=True
    ):
        assert f"{label} × {weight}" in text
    terms = [term for term, _text in business_index.definitions()]
    assert terms[:5] == [
        f"{label}（权重 {weight}）"
        for label, weight in zip(
            business_index.component_labels(), business_index.WEIGHTS.values(), strict=True
        )
    ]


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
    # The index is defined on the page: its formula and each component.
    assert 'id="index-definition"' in body and business_index.formula() in body
    assert all(text in body for _term, text in business_index.definitions())
    # One case each: listed, not ranked.
    assert [r.rank for r in page.context["ranking"]] == [None, None]
    client.force_login(world.county.office)
    assert client.get(reverse("analysis:city_compare")).status_code == 403


def test_the_shared_pain_points_are_a_snapshot_the_beat_refreshes(world):
    """Counting them reads every county's cases of the year: the page reads them the way the
    dashboard reads its figures — kept, and recomputed by the beat (analysis.snapshots)."""
    from analysis import snapshots
    from cases.roles import actor_for

    city_office = actor_for(world.city_office)
    period = snapshots.default_period()
    world.county.submitted()
    world.other_county.submitted()
    first = snapshots.shared_pain_points_snapshot(city_office, period)
    assert [p.category for p in first.figures] == ["用电用能"]
    world.county.submitted(title="变压器老化")
    assert snapshots.shared_pain_points_snapshot(city_office, period) == first  # kept
    snapshots.snapshots_refresh()
    again = snapshots.shared_pain_points_snapshot(city_office, period)
    assert again.computed_at > first.computed_at
    assert [p.total for p in again.figures] == [3]
