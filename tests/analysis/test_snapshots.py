"""The dashboard and this year's evaluation read snapshots (analysis.snapshots): computed by the
beat, used while fresh, recomputed when stale or missing, and never shown outside their scope.

The spring of 2021 (conftest): the office sees the county's 7 live cases; Li leads the task force
of 荣信钢构 and sees its 4 (A, B, E, G); Hu heads the same task force and works at 工信局, so he
also sees the cases 工信局 leads for 桂柳家禽 (C, D): 6.
"""

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analysis import conf, snapshots, tasks
from cases.roles import actor_for
from taskforces.models import TaskForceMember
from tests.analysis.conftest import NOW, frozen
from tests.caches import cache_that_is_down
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LATER = NOW + dt.timedelta(minutes=3)  # within ANALYSIS_SNAPSHOT_MAX_AGE_SECONDS (10 minutes)
STALE = NOW + dt.timedelta(minutes=15)


def open_page(client, user, name="analysis:dashboard", at=NOW, params=None):
    client.force_login(user)
    with frozen(at), CaptureQueriesContext(connection) as queries:
        answer = client.get(reverse(name), params or {})
    assert answer.status_code == 200
    return answer.content.decode(), len(queries)


def total_on(body) -> int:
    return int(body.split('id="figure-total">')[1].split("<")[0])


def new_case(spring, at=NOW):
    with frozen(at):
        spring.county.in_progress(enterprise=spring.county.steel)


def test_a_fresh_snapshot_is_shown_without_counting_again(spring, client):
    first, computing = open_page(client, spring.county.office)
    new_case(spring)
    again, reading = open_page(client, spring.county.office, at=LATER)
    assert total_on(first) == total_on(again) == 7  # the new case waits for the next snapshot
    assert reading <= computing - 8  # the dashboard's eight aggregate queries are not run
    assert "数据更新于 10:00" in again


def test_a_stale_snapshot_is_recomputed_by_the_page(spring, client):
    open_page(client, spring.county.office)
    new_case(spring)
    body, _n = open_page(client, spring.county.office, at=STALE)
    assert total_on(body) == 8 and "数据更新于 10:15" in body


def test_a_missing_snapshot_is_computed_by_the_page_and_kept_for_the_next_visit(spring, client):
    open_page(client, spring.county.office)
    new_case(spring)
    cache.clear()
    body, _n = open_page(client, spring.county.office)
    assert total_on(body) == 8 and "数据更新于 10:00" in body
    _body, reading = open_page(client, spring.county.office, at=LATER)
    _body, computing = open_page(client, spring.county.office, at=STALE)
    assert reading < computing


def test_while_one_request_recomputes_a_stale_snapshot_the_others_show_it(spring):
    office = actor_for(spring.county.office)
    with frozen(NOW):
        snapshots.dashboard_snapshot(office)
    county = snapshots.county_scope_key(office.county_id)
    cache.add(snapshots._key(snapshots.DASHBOARD, county) + ":computing", True)
    with frozen(STALE):
        held = snapshots.dashboard_snapshot(office)
    assert held.computed_at == NOW


def test_the_beat_computes_the_county_dashboard_and_this_years_evaluation(spring, client):
    with frozen(NOW):
        # The county's dashboard and evaluation, its city's shared pain points (各县对比); nobody
        # has opened a leader's share yet.
        assert tasks.refresh_snapshots() == 3
    client.force_login(spring.county.office)
    client.get(reverse("notifications"))  # the layout's reads, remembered from here
    body, reading = open_page(client, spring.county.office, at=LATER)
    assert total_on(body) == 7 and "数据更新于 10:00" in body
    new_case(spring)
    with frozen(LATER):
        tasks.refresh_snapshots()
    body, again = open_page(client, spring.county.office, at=LATER)
    assert total_on(body) == 8 and "数据更新于 10:03" in body and again == reading
    _body, evaluation_reading = open_page(client, spring.county.office, "analysis:evaluation")
    _body, counting = open_page(client, spring.county.office, "analysis:evaluation", at=STALE)
    assert evaluation_reading < counting


def test_the_beat_keeps_a_leaders_share_fresh_once_someone_opened_it(spring, client):
    with frozen(NOW):
        assert tasks.refresh_snapshots() == 3
    open_page(client, spring.county.li)
    new_case(spring)
    with frozen(LATER):
        assert tasks.refresh_snapshots() == 4
    body, _n = open_page(client, spring.county.li, at=LATER)
    assert total_on(body) == 5 and "数据更新于 10:03" in body


def test_each_scope_sees_its_own_figures_whoever_came_first(spring, client):
    hu, _n = open_page(client, spring.county.hu)
    office, _n = open_page(client, spring.county.office)
    li, _n = open_page(client, spring.county.li)
    assert (total_on(hu), total_on(office), total_on(li)) == (6, 7, 4)
    assert "江西桂柳家禽" not in li


def test_leaders_who_see_the_same_cases_share_one_snapshot(spring, client):
    zhou = make_user("zhou")
    TaskForceMember.objects.create(
        task_force=spring.county.task_force, user=zhou, role=TaskForceMember.Role.LEADER
    )
    assert snapshots.scope_of(actor_for(zhou)) == snapshots.scope_of(actor_for(spring.county.li))
    assert snapshots.scope_of(actor_for(spring.county.hu)) != snapshots.scope_of(
        actor_for(spring.county.li)
    )
    _body, computing = open_page(client, spring.county.li)
    body, reading = open_page(client, zhou)
    assert total_on(body) == 4 and reading < computing


def test_the_office_may_ask_for_figures_computed_now(spring, client):
    open_page(client, spring.county.office)
    new_case(spring)
    client.force_login(spring.county.office)
    with frozen(LATER):
        answer = client.post(reverse("analysis:dashboard"))
    assert answer.status_code == 302 and answer["Location"] == reverse("analysis:dashboard")
    body, _n = open_page(client, spring.county.office, at=LATER)
    assert total_on(body) == 8 and 'id="refresh-figures"' in body


def test_a_leader_reads_the_snapshot_but_may_not_force_a_refresh(spring, client):
    body, _n = open_page(client, spring.county.li)
    assert 'id="refresh-figures"' not in body
    with frozen(NOW):
        assert client.post(reverse("analysis:dashboard")).status_code == 403


def test_this_years_evaluation_is_a_snapshot_and_other_periods_are_counted_now(spring, client):
    _body, computing = open_page(client, spring.county.office, "analysis:evaluation")
    body, reading = open_page(client, spring.county.office, "analysis:evaluation", at=LATER)
    assert reading < computing and "数据更新于 10:00" in body and 'id="refresh-figures"' in body
    params = {"period": "2021Q2"}
    _body, first = open_page(client, spring.county.office, "analysis:evaluation", params=params)
    body, second = open_page(
        client, spring.county.office, "analysis:evaluation", at=LATER, params=params
    )
    assert first == second and "数据更新于 10:03" in body and 'id="refresh-figures"' not in body


def test_the_office_may_recompute_this_years_evaluation(spring, client, settings):
    settings.ANALYSIS_RANK_MIN_ASSIGNED = 1
    open_page(client, spring.county.office, "analysis:evaluation")
    client.force_login(spring.county.office)
    with frozen(LATER):
        answer = client.post(reverse("analysis:evaluation"))
    assert answer.status_code == 302
    body, _n = open_page(client, spring.county.office, "analysis:evaluation", at=LATER)
    assert "数据更新于 10:03" in body


def test_an_industry_computed_by_the_worker_reads_in_the_visitors_language(spring, client):
    with frozen(NOW):
        tasks.refresh_snapshots()  # in the default language, Chinese
    client.cookies["django_language"] = "en"
    body, _n = open_page(client, spring.county.office)
    assert "Steel structures and building materials" in body and "钢结构与建材" not in body


def test_a_failing_cache_costs_a_computation_not_the_page(spring, client):
    with mock.patch.object(snapshots, "cache", cache_that_is_down()):
        body, _n = open_page(client, spring.county.office)
    assert total_on(body) == 7


def test_the_beat_refreshes_the_snapshots_every_few_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-analysis-snapshots"]
    assert entry["task"] == "analysis.refresh_snapshots"
    assert entry["schedule"] < conf.snapshot_max_age_seconds()
