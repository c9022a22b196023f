#!/usr/bin/env python
"""Time the analysis pages on the county in DATABASE_URL (see scripts/generate_county.py).

    DATABASE_URL=postgres://… .venv/bin/python scripts/bench_dashboard.py --runs 5

Each page is requested through Django's test client as a signed-in user (the whole request:
middleware, queries, template), once to warm up and then --runs times; the table gives the
median, best and worst wall time, the number of queries and the slowest query. The figures of
the dashboard are also timed on their own (analysis.metrics.dashboard, no template).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from analysis import metrics  # noqa: E402
from cases.models import Case  # noqa: E402
from cases.roles import actor_for  # noqa: E402
from cases.selectors import cases_visible_to, taskforces_visible_to, work_calendar  # noqa: E402

PAGES = {
    "dashboard": "/analysis/",
    "evaluation": "/analysis/evaluation/?period=all",
    "painpoints": "/analysis/painpoints/",
    "teams": "/analysis/teams/",
    "report": "/analysis/report/",
    "ledger": "/analysis/cases/",
}


def timed(fn, runs: int) -> tuple[list[float], CaptureQueriesContext]:
    fn()  # warm up: connections, caches, templates
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        fn()
    return times, queries


def row(name: str, times: list[float], queries: CaptureQueriesContext) -> str:
    slowest = max((float(q["time"]) * 1000 for q in queries.captured_queries), default=0.0)
    return (
        f"{name:<22}{statistics.median(times):>10.0f}{min(times):>9.0f}{max(times):>9.0f}"
        f"{len(queries):>9}{slowest:>12.0f}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--users", default="bench_office,bench_leader")
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args(argv)

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"cases: {Case.objects.count():,}")
    print(f"{'':<22}{'median ms':>10}{'best':>9}{'worst':>9}{'queries':>9}{'slowest q':>12}")
    for username in args.users.split(","):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            print(f"(no user {username}: run scripts/generate_county.py first)")
            continue
        actor = actor_for(user)
        print(f"— {username}: {cases_visible_to(actor).count():,} cases in scope")
        calendar = work_calendar()

        def figures(actor=actor, calendar=calendar):
            metrics.dashboard(
                cases_visible_to(actor), calendar=calendar, taskforces=taskforces_visible_to(actor)
            )

        print(row("dashboard figures", *timed(figures, args.runs)))
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        for name in args.pages.split(","):
            url = PAGES[name]

            def get(url=url, client=client):
                answer = client.get(url)
                if answer.status_code != 200:
                    raise SystemExit(f"{url} answered {answer.status_code}")

            if name != "dashboard" and not actor.is_office and name not in ("painpoints", "ledger"):
                continue
            print(row(f"GET {name}", *timed(get, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
