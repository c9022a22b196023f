"""The pain points (症结和痛点) of the spring of 2021, by hand."""

import datetime as dt

import pytest

from analysis import painpoints
from analysis.periods import Period, month, quarter
from cases import intake, workflow
from cases.models import Case
from cases.selectors import cases_visible_to, work_calendar
from tests.analysis.conftest import NOW, at

pytestmark = pytest.mark.django_db

Q2 = quarter(2021, 2)


def visible(spring):
    return cases_visible_to(spring.county.office)


def test_hotspots_rank_category_industry_and_township_together(spring):
    spots = [
        (h.category, h.industry, h.township, h.count, h.open)
        for h in painpoints.hotspots(visible(spring), Q2)
    ]
    assert spots == [
        ("用电用能", "钢结构与建材", "民和镇", 3, 2),  # A B E (A closed)
        ("用电用能", "食品与农副产品", "李渡镇", 2, 2),  # C D
        ("用工人才", "食品与农副产品", "李渡镇", 1, 1),  # F (its merged duplicate H left out)
        ("用工人才", "钢结构与建材", "民和镇", 1, 1),  # G
    ]


def test_the_matrix_crosses_categories_and_industries(spring):
    grid = painpoints.matrix(visible(spring), Q2)
    assert grid.categories == ["用电用能", "用工人才"]
    assert dict(zip(grid.industries, grid.row("用电用能"), strict=True)) == {
        "钢结构与建材": 3,
        "食品与农副产品": 2,
    }
    assert [total for _c, _cells, total in grid.rows] == [5, 2]


def test_similar_problems_of_two_enterprises_are_grouped(spring):
    groups, capped = painpoints.recurring(visible(spring), Q2)
    assert not capped
    # A (荣信钢构) "电压不稳，无法满负荷生产" and C (桂柳家禽) "电压不稳定，无法满负荷运行";
    # B (荣信钢构) "电费成本偏高" and D (桂柳家禽) "电费成本太高". F and G share only "缺少".
    by_members = {frozenset(m.pk for m in g.members): g for g in groups}
    assert set(by_members) == {
        frozenset({spring.A.pk, spring.C.pk}),
        frozenset({spring.B.pk, spring.D.pk}),
    }
    voltage = by_members[frozenset({spring.A.pk, spring.C.pk})]
    assert (voltage.enterprises, voltage.cases, voltage.open) == (2, 2, 1)
    assert voltage.category == "用电用能"


def test_differently_worded_titles_group_when_their_descriptions_agree(county):
    text = "用电高峰时段电压波动大，部分设备频繁跳闸，无法满负荷生产。"
    for enterprise, title in (
        (county.steel, "用电高峰设备跳闸"),
        (county.poultry, "高峰时段设备经常跳闸停机"),
    ):
        intake.case_create(
            actor=county.office,
            enterprise=enterprise,
            title=title,
            description=text,
            category=county.power_category,
        )
    groups, _ = painpoints.recurring(Case.objects.all(), Period())
    assert [g.enterprises for g in groups] == [2]


def test_one_enterprise_repeating_itself_is_not_a_recurring_problem(county):
    for _ in range(3):
        county.submitted(enterprise=county.steel)
    groups, _ = painpoints.recurring(Case.objects.all(), Period())
    assert groups == []


def test_the_grouping_reads_at_most_the_most_recent_cases_and_says_so(spring):
    groups, capped = painpoints.recurring(visible(spring), Q2, max_cases=3)
    assert capped and groups == []  # the three latest (D, F, G) have nothing in common


def test_the_longest_open_cases_count_from_recording_or_assignment(spring):
    longest = painpoints.longest_open(visible(spring), work_calendar(), now=NOW)
    assert [o.case.pk for o in longest] == [
        s.pk for s in (spring.B, spring.C, spring.E, spring.G, spring.D, spring.F)
    ]
    first = longest[0]
    # B since 22 Apr: April 23, 25–30 (7), May 6–8, 10–14, 17–21, 24–28, 31 (19),
    # June 1–4, 7–11, 15 (10; 14 June was 端午) → 36 working days, 54 calendar days.
    assert (first.since, first.working_days, first.days) == (dt.date(2021, 4, 22), 36, 54)


def test_a_historical_assignment_dates_the_case_from_the_assignment(county):
    case = county.submitted()
    workflow.case_assign(
        actor=county.office, case=case, lead_department=county.gxj, assigned_at=at(2021, 4, 22)
    )
    (longest,) = painpoints.longest_open(Case.objects.all(), work_calendar())
    assert longest.since == dt.date(2021, 4, 22)


def test_changes_compare_with_the_previous_period_of_the_same_shape(spring):
    changes = painpoints.changes(visible(spring), month(2021, 5))
    assert changes.previous == month(2021, 4)
    totals = {c.label: (c.current, c.previous, c.delta) for c in changes.totals}
    # recorded: May C E G, April A B; assigned: May C E G, April A B; closed: May A.
    assert totals == {"新发现问题": (3, 2, 1), "交办": (3, 2, 1), "销号": (1, 0, 1)}
    by_category = {c.label: (c.current, c.previous) for c in changes.by_category}
    assert by_category == {"用电用能": (2, 2), "用工人才": (1, 0)}
    by_township = {c.label: (c.current, c.previous) for c in changes.by_township}
    assert by_township == {"民和镇": (2, 2), "李渡镇": (1, 0)}


def test_an_open_ended_period_has_nothing_to_compare_with(spring):
    assert painpoints.changes(visible(spring), Period(dt.date(2021, 4, 1), None)) is None
