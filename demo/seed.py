"""The demo county of 进贤县 (DESIGN §8, §10), built by ``manage.py seed_demo`` — with a smaller
second county of 南昌市, 安义县, and the city's office (demo.second_county).

Departments, townships and utilities with their staff; the 33 key enterprises, each with its own
1+2+N task force, and some 80 more covered by industry and township task forces (three by none);
five years of visits and a few hundred cases in every state of the workflow — the newspaper
report's four stories among them — with breakdowns, commitments, ratings, appeals and meetings.

Every case is driven through cases.intake and cases.workflow at its historical moment, on a
simulated clock, so the timelines are the ones the services write. One fixed random seed makes
the county the same on every run; the most recent cases are pinned to the working days before
today, so deadlines are running whenever the demo is started.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from cases.models import Case, CaseEvent, Commitment, Meeting, Rating, Visit
from cases.selectors import work_calendar
from demo.bulletins import issue_rules_and_bulletins
from demo.caseload import Caseload
from demo.clock import replaying
from demo.county import build_county
from demo.inbox import read_old_notifications
from demo.letters import issue_letters
from demo.listings import list_flagged
from demo.meetings import hold_meetings
from demo.people import DEMO_PASSWORD, DEMO_USERNAMES, JOINED, NameBook
from demo.runner import Runner
from demo.second_county import build_second_county
from demo.standstill import standing_still
from demo.supervision import issue_supervision_notices
from demo.timeline import Timeline
from enterprises.models import Department, Enterprise
from taskforces.models import TaskForce

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_USERNAMES",
    "CountyNotEmpty",
    "SeedReport",
    "demo_county_exists",
    "seed_demo_county",
]

SEED = 20210422  # the day of the first 交办会


class CountyNotEmpty(Exception):
    """The database already holds a county that is not the demo one; the seeder will not mix in."""


@dataclass
class SeedReport:
    by_status: dict[str, int]
    counts: dict[str, int] = field(default_factory=dict)
    truncated: int = 0


def demo_county_exists() -> bool:
    return get_user_model().objects.filter(username__in=DEMO_USERNAMES).exists()


def seed_demo_county(*, now: dt.datetime | None = None) -> SeedReport | None:
    """Build the demo county in one transaction; None if it is already there."""
    now = now or timezone.now()
    with transaction.atomic():
        if demo_county_exists():
            return None
        if Department.objects.exists() or Enterprise.objects.exists() or Case.objects.exists():
            raise CountyNotEmpty(
                "The database already holds departments, enterprises or cases that are not the "
                "demo county's; seed_demo only fills an empty database."
            )
        rng = random.Random(SEED)
        today = timezone.localdate(now)
        timeline = Timeline(rng, work_calendar(), today)
        # A step may not happen later than a minute ago: history stops at the present.
        with unlogged_queries(), replaying(JOINED, now - dt.timedelta(minutes=1)) as clock:
            county = build_county(rng)
            with standing_still():
                runner = Runner(county, timeline, clock)
                caseload = Caseload(runner)
                caseload.run(caseload.plan())
                meetings = hold_meetings(runner, caseload.batches, caseload.lives)
                issue_letters(runner, meetings)
                list_flagged(runner)
                issue_supervision_notices(runner)
                issue_rules_and_bulletins(runner)
            # 安义县, the second county of 南昌市, and the city's office (issue 22).
            build_second_county(NameBook(random.Random(SEED + 1)), timeline, clock)
        read_old_notifications(now)
        # Addresses only now, so the history above queued no e-mail: from here on the demo logins
        # get their messages by e-mail too (the console backend prints them under `make run`).
        for user in get_user_model().objects.filter(username__in=DEMO_USERNAMES):
            user.email = f"{user.username}@jinxian.example.cn"
            user.save(update_fields=["email"])
        return _report(caseload.truncated)


@contextmanager
def unlogged_queries() -> Iterator[None]:
    """With DEBUG on, Django keeps the SQL of every query (connection.queries) for a debugging
    developer; formatting the tens of thousands the seeder makes took a quarter of its time."""
    with override_settings(DEBUG=False):
        yield


def _report(truncated: int) -> SeedReport:
    by_status = Counter(Case.objects.values_list("status", flat=True))
    return SeedReport(
        by_status={s: by_status.get(s, 0) for s in Case.Status.values},
        counts={
            "departments": Department.objects.count(),
            "users": get_user_model().objects.count(),
            "enterprises": Enterprise.objects.count(),
            "task forces": TaskForce.objects.count(),
            "visits": Visit.objects.count(),
            "cases": Case.objects.count(),
            "events": CaseEvent.objects.count(),
            "commitments": Commitment.objects.count(),
            "ratings": Rating.objects.count(),
            "meetings": Meeting.objects.count(),
        },
        truncated=truncated,
    )
