"""各县（区） and 各县对比 read each county's figures from its evaluation snapshot: the rules that
key every county's snapshot in one query, and the snapshots in one round trip to the cache, however
many counties the city has."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis import snapshots
from analysis.city import county_figures
from analysis.models import EvaluationRules
from analysis.rules import rules_in_force, rules_in_force_by_county
from cases.roles import actor_for

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 30)


def county_ids(world) -> list[int]:
    return [world.county.steel.county_id, world.other_county.steel.county_id]


def test_each_county_is_scored_by_its_own_version_read_in_one_query(world):
    first, second = county_ids(world)
    EvaluationRules.objects.create(
        county_id=first, effective_from=dt.date(2026, 1, 1), min_ranked=7
    )
    EvaluationRules.objects.create(
        county_id=first, effective_from=dt.date(2026, 9, 1), min_ranked=9
    )
    EvaluationRules.objects.create(
        county_id=second, effective_from=dt.date(2026, 3, 1), min_ranked=4
    )
    with CaptureQueriesContext(connection) as captured:
        rules = rules_in_force_by_county(DAY, [first, second])
    assert len(captured) == 1
    assert (rules[first].min_ranked, rules[second].min_ranked) == (7, 4)  # not September's
    assert [rules_in_force(DAY, pk).pk for pk in (first, second)] == [
        rules[first].pk,
        rules[second].pk,
    ]
    assert rules_in_force_by_county(dt.date(2026, 2, 1), [second])[second].pk is None  # defaults


def test_the_city_reads_its_counties_figures_with_one_rules_query_and_one_cache_read(world):
    world.county.assigned()
    world.other_county.assigned()
    assert snapshots.snapshots_refresh() >= 4  # the beat: every county's snapshots
    city = actor_for(world.city_office)
    with CaptureQueriesContext(connection) as captured:
        rows = county_figures(city)
    assert [row.county.pk for row in rows] == county_ids(world)
    assert [row.totals.assigned for row in rows] == [1, 1]
    rules_reads = [q for q in captured if "analysis_evaluationrules" in q["sql"]]
    assert len(rules_reads) == 1, [q["sql"] for q in captured]
    assert len(captured) == 2  # the counties, their rules: the figures come from the cache
