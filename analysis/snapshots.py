"""Snapshots of the figures pages (总览 and this year's 部门考核), so that opening them costs the
same for a million cases as for ten thousand.

A beat task (analysis.tasks.refresh_snapshots) computes the figures every few minutes into the
cache, per page and per scope; the pages read them and say when they were computed (数据更新于
HH:MM). Only when no fresh snapshot is there — the first visit, a stale one, after a deploy that
changed VERSION — does the request compute the figures, and it stores them for the next visitor.
While one request recomputes a stale snapshot, others show the stale one rather than run the same
million-row aggregates side by side. The office may ask for a refresh.

Why snapshots rather than rollup tables kept up to date on every change: half the figures depend
on the moment they are read, not on any write — a case becomes overdue or flagged (挂牌督办) when
a deadline passes, and timings are counted in working days of a calendar the office edits — so a
rollup would have to be recomputed on a clock anyway to stay exact. A snapshot is exact as of the
time it shows.

A snapshot is keyed by scope: what the selectors read to decide what a user sees
(cases_visible_to, taskforces_visible_to). The office sees the county; anyone else their task
forces', department's and enterprise's share. Two users with the same key see the same figures,
so a snapshot is never shown outside the scope it was computed for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone

from analysis import city_compare, conf, evaluation, metrics, periods
from analysis.access import sees_overview
from analysis.rules import rules_for, rules_for_counties
from cases.roles import Actor, actor_for
from cases.selectors import cases_visible_to, taskforces_visible_to, work_calendar
from cases.workdays import local_date
from counties.models import City, County
from taskforces.models import TaskForceMember

VERSION = 3  # part of every key: change it when the figures' shape changes
DASHBOARD, EVALUATION, SHARED = "dashboard", "evaluation", "shared"


@dataclass(frozen=True)
class Snapshot:
    figures: Any  # metrics.Dashboard or evaluation.Ranking
    computed_at: dt.datetime
    scope: str


def county_scope_key(county_id: int) -> str:
    """The key of a whole county's figures."""
    return f"county{county_id}"


def scope_of(actor: Actor) -> str:
    """The key of what `actor` sees: their county for the office and its leadership, their city
    for the city's office, else their task forces, department and enterprise — everything
    cases_visible_to and taskforces_visible_to read."""
    if actor.reads_city:
        return f"city{actor.city_id}"
    if actor.sees_county:
        return county_scope_key(actor.county_id)
    taskforces = ",".join(str(pk) for pk in sorted(actor.taskforce_ids))
    return f"tf{taskforces}-d{actor.department_id or ''}-e{actor.enterprise_id or ''}"


def county(county_id: int) -> Actor:
    """Who the beat computes a county's figures as: its office, without a particular user."""
    return Actor(user=AnonymousUser(), is_office=True, county_id=county_id)


def default_period(now: dt.datetime | None = None) -> periods.Period:
    """The evaluation's default period, the one that has a snapshot: this year."""
    return periods.year(local_date(now or timezone.now()).year)


# --- the two pages' snapshots ---------------------------------------------------------------------


def dashboard_snapshot(actor: Actor, *, refresh: bool = False) -> Snapshot:
    """The dashboard's figures for what `actor` sees. A share other than the county's is kept
    fresh by the beat for a while after someone opened it (ANALYSIS_SNAPSHOT_IDLE_SECONDS)."""
    scope = scope_of(actor)
    if not actor.sees_county:
        cache.set(_seen_key(scope), True, conf.snapshot_idle_seconds())
    return _dashboard(actor, scope, refresh)


def evaluation_snapshot(actor: Actor, period: periods.Period, *, refresh: bool = False) -> Snapshot:
    """The departments' ranking over `period` (the pages ask for the default one only), scored
    by the rules in force: a new version of the rules is a new key, read at once."""
    key, scope, compute = _evaluation(actor, period, rules_for(period, county_id=actor.county_id))
    return _read(key, scope, compute, refresh)


def evaluation_snapshots(actors: list[Actor], period: periods.Period) -> list[Snapshot]:
    """evaluation_snapshot of each actor (a city's counties, as their offices): their rules in one
    query and the snapshots held in one round trip to the cache; one missing or stale is read as
    evaluation_snapshot reads it."""
    rules = rules_for_counties(period, [actor.county_id for actor in actors])
    reads = [_evaluation(actor, period, rules[actor.county_id]) for actor in actors]
    held = cache.get_many([key for key, _scope, _compute in reads])
    return [
        _fresh(held.get(key), scope) or _read(key, scope, compute, refresh=False)
        for key, scope, compute in reads
    ]


def _evaluation(actor: Actor, period: periods.Period, rules) -> tuple[str, str, Callable]:
    """The key, scope and computation of the evaluation snapshot of `actor` under `rules`."""
    scope = scope_of(actor)
    key = _key(EVALUATION, scope, f"{period.date_from}..{period.date_to}", f"r{rules.pk or 0}")

    def compute(now: dt.datetime):
        return evaluation.department_evaluation(
            cases_visible_to(actor), period, now=now, rules=rules, county_id=actor.county_id
        )

    return key, scope, compute


def shared_pain_points_snapshot(
    actor: Actor, period: periods.Period, *, refresh: bool = False
) -> Snapshot:
    """各县对比's pain points shared by the counties of the actor's city over `period`: a grouped
    count over every county's cases of the year, which grows with the city — kept like the
    dashboard, refreshed by the beat."""
    scope = scope_of(actor)
    key = _key(SHARED, scope, f"{period.date_from}..{period.date_to}")
    return _read(key, scope, lambda now: city_compare.shared_pain_points(actor, period), refresh)


def city(city_id: int) -> Actor:
    """Who the beat computes a city's figures as: its office, without a particular user."""
    return Actor(user=AnonymousUser(), city_id=city_id)


def _dashboard(actor: Actor, scope: str, refresh: bool) -> Snapshot:
    def compute(now: dt.datetime):
        return metrics.dashboard(
            cases_visible_to(actor),
            calendar=work_calendar(actor.county_id),
            taskforces=taskforces_visible_to(actor),
            now=now,
        )

    return _read(_key(DASHBOARD, scope), scope, compute, refresh)


# --- what the beat runs -------------------------------------------------------------------------


def snapshots_refresh(*, now: dt.datetime | None = None) -> int:
    """Recompute each county's dashboard and this year's evaluation, and the dashboard of every
    leader's share opened within ANALYSIS_SNAPSHOT_IDLE_SECONDS; the number computed."""
    county_ids = list(County.objects.order_by("pk").values_list("pk", flat=True))
    for county_id in county_ids:
        office = county(county_id)
        _dashboard(office, county_scope_key(county_id), refresh=True)
        evaluation_snapshot(office, default_period(now), refresh=True)
    city_ids = list(City.objects.order_by("pk").values_list("pk", flat=True))
    for city_id in city_ids:
        shared_pain_points_snapshot(city(city_id), default_period(now), refresh=True)
    shares = _shares_in_use()
    for scope, actor in shares.items():
        _dashboard(actor, scope, refresh=True)
    return 2 * len(county_ids) + len(city_ids) + len(shares)


def _shares_in_use() -> dict[str, Actor]:
    """The leaders' shares someone opened lately, one actor for each. Shares nobody looks at are
    left alone: computing every leader's every few minutes would cost more than all the visits."""
    leaders = TaskForceMember.objects.filter(
        role__in=[TaskForceMember.Role.LEADER, TaskForceMember.Role.HEAD], task_force__active=True
    ).values("user")
    shares: dict[str, Actor] = {}
    for user in get_user_model().objects.filter(pk__in=leaders, is_active=True).order_by("pk"):
        actor = actor_for(user)
        if sees_overview(actor) and not actor.is_office:
            shares.setdefault(scope_of(actor), actor)
    seen = cache.get_many([_seen_key(scope) for scope in shares])
    return {scope: actor for scope, actor in shares.items() if _seen_key(scope) in seen}


# --- the cache ----------------------------------------------------------------------------------


def _key(page: str, scope: str, *rest: str) -> str:
    return ":".join(("analysis", "snapshot", f"v{VERSION}", page, scope, *rest))


def _seen_key(scope: str) -> str:
    return _key("seen", scope)


def _fresh(held: Any, scope: str) -> Snapshot | None:
    """A snapshot held for `scope` and young enough to show as it is."""
    if not isinstance(held, Snapshot) or held.scope != scope:
        return None
    age = timezone.now() - held.computed_at
    return held if age <= dt.timedelta(seconds=conf.snapshot_max_age_seconds()) else None


def _read(key: str, scope: str, compute: Callable[[dt.datetime], Any], refresh: bool) -> Snapshot:
    lock = None
    if not refresh:
        held = cache.get(key)
        if _fresh(held, scope):
            return held
        if isinstance(held, Snapshot) and held.scope == scope:  # stale: recompute it once
            lock = f"{key}:computing"
            if not cache.add(lock, True, conf.snapshot_lock_seconds()):
                return held  # another request is recomputing it: the stale figures meanwhile
    try:
        now = timezone.now()
        snapshot = Snapshot(figures=compute(now), computed_at=now, scope=scope)
        cache.set(key, snapshot, conf.snapshot_idle_seconds())
        return snapshot
    finally:
        if lock:
            cache.delete(lock)
