"""Benchmark the deadline sweep (DESIGN §6): how its cost grows with N cases and with the number due.

    DATABASE_URL=postgres://… .venv/bin/python scripts/bench_sweep.py [--cases 100000] [--due 1000]

Creates N open cases (bulk_create) spread over 20 departments and 200 enterprises, whose next
reminders fall over the coming weeks, then times and counts the queries of:

  1. a sweep with nothing due;
  2. a sweep with --due cases newly due (their contact deadline is today: a level-0 warning each);
  3. a sweep with nothing due again.

Everything runs in one transaction that is rolled back at the end, so the database is left as it
was (run `manage.py migrate` first) and nothing reaches the broker. The sweep's own transactions
become savepoints inside it; their SAVEPOINT/RELEASE statements are reported apart from the queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import Case, Category  # noqa: E402
from cases.workdays import end_of_day, local_date, start_of_day  # noqa: E402
from counties.models import home_county_id  # noqa: E402
from enterprises.models import Department, DepartmentStaff, Enterprise  # noqa: E402
from enterprises.validators import credit_code_check_character  # noqa: E402
from notifications.reminders import reminders_sweep  # noqa: E402

DEPARTMENTS, ENTERPRISES = 20, 200


class Rollback(Exception):
    pass


def credit_code(n: int) -> str:
    body = f"91360124BN{n:07d}"
    return body + credit_code_check_character(body)


def populate(n: int, today: dt.date) -> list[int]:
    county = home_county_id()  # rows made in bulk name their county
    office = Department.objects.create(name="基准测试县委办", kind=Department.Kind.OFFICE)
    departments = Department.objects.bulk_create(
        Department(name=f"基准测试部门{i}", county_id=county) for i in range(DEPARTMENTS)
    )
    users = User.objects.bulk_create(
        User(username=f"bench-{i}", email=f"bench-{i}@example.gov.cn")
        for i in range(2 * DEPARTMENTS + 2)
    )
    DepartmentStaff.objects.bulk_create(
        [
            DepartmentStaff(user=users[2 * i + head], department=d, is_head=bool(head))
            for i, d in enumerate([*departments, office])
            for head in (0, 1)
        ]
    )
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(name=f"基准测试企业{i}", credit_code=credit_code(i), county_id=county)
        for i in range(ENTERPRISES)
    )
    category = Category.objects.create(name="基准测试类别", code="bench-sweep")
    ids = []
    batch = 5000
    for start in range(0, n, batch):
        cases = []
        for i in range(start, min(start + batch, n)):
            due_day = today + dt.timedelta(days=3 + i % 40)  # due over the coming weeks
            cases.append(
                Case(
                    number=f"BENCH-{i:07d}",
                    year=2099,
                    sequence=i + 1,
                    title=f"基准测试问题 {i}",
                    category=category,
                    enterprise=enterprises[i % ENTERPRISES],
                    county_id=county,
                    source=Case.Source.IMPORT,
                    status=Case.Status.ASSIGNED,
                    lead_department=departments[i % DEPARTMENTS],
                    assigned_at=timezone.now(),
                    contact_due_at=end_of_day(due_day),
                    resolve_due_at=end_of_day(due_day + dt.timedelta(days=30)),
                    next_reminder_at=start_of_day(due_day),
                )
            )
        ids += [c.pk for c in Case.objects.bulk_create(cases)]
    return ids


def measure(label: str, now: dt.datetime) -> None:
    with CaptureQueriesContext(connection) as captured:
        began = time.perf_counter()
        result = reminders_sweep(now=now)
        elapsed = time.perf_counter() - began
    statements = [q["sql"] for q in captured.captured_queries]
    savepoints = sum(1 for sql in statements if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")))
    print(
        f"{label:<32} {elapsed * 1000:9.1f} ms  {len(statements) - savepoints:3d} queries "
        f"(+{savepoints} savepoint statements)  → {result.reminders} reminders, "
        f"{result.notifications} notifications"
    )


def explain_nothing_due(now: dt.datetime) -> None:
    query = Case.objects.filter(next_reminder_at__lte=now).order_by().values("pk")[:1]
    plan = query.explain()
    print("plan of the nothing-due query:\n  " + plan.replace("\n", "\n  "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1000)
    args = parser.parse_args()
    now = timezone.now()
    today = local_date(now)
    print(f"database: {connection.vendor}  cases: {args.cases}  newly due: {args.due}")
    try:
        with transaction.atomic():
            began = time.perf_counter()
            ids = populate(args.cases, today)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE cases_case")
            print(f"created {len(ids)} open cases in {time.perf_counter() - began:.1f} s")
            explain_nothing_due(now)

            measure("sweep, nothing due", now)
            due = ids[: args.due]
            Case.objects.filter(pk__in=due).update(
                contact_due_at=end_of_day(today), next_reminder_at=start_of_day(today)
            )
            measure(f"sweep, {len(due)} newly due", now)
            measure("sweep, nothing due again", now)
            raise Rollback
    except Rollback:
        print("rolled back: the database is as it was")


if __name__ == "__main__":
    main()
