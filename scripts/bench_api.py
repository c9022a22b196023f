"""Benchmark: requests per second of GET /api/v1/cases/ against a trivial authenticated endpoint.

On PostgreSQL with 100,000 cases (bulk-created once, then reused), the API runs under gunicorn on
127.0.0.1 and a few client processes call each endpoint in turn over keep-alive connections, for a
bounded time and number of requests. The issue's target: the case list costs at most twice
GET /api/v1/me/ (the same authentication and roles, no case query).

    .venv/bin/python scripts/bench_api.py                 # 100,000 cases, 10 s per measurement
    BENCH_CASES=20000 BENCH_SECONDS=5 .venv/bin/python scripts/bench_api.py

BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/apibench) names the database; it is
created if missing and holds nothing else. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/apibench")
CASES = int(os.environ.get("BENCH_CASES", "100000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "200000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "18765"))

SERVER_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": HOST,
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "DB_CONN_MAX_AGE": "60",
    "API_THROTTLE_USER": "off",
    "API_THROTTLE_IP": "off",
    "LOG_LEVEL": "WARNING",
}


def ensure_database() -> None:
    import psycopg2

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = psycopg2.connect(
        host=url.hostname, port=url.port or 5432, user=url.username, password=url.password,
        dbname="postgres",
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def manage(*args: str) -> None:
    env = {**os.environ, **SERVER_ENV}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def seed() -> dict[str, str]:
    """The county, bulk-created once: departments, 2,000 enterprises, CASES cases; API tokens."""
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from rest_framework.authtoken.models import Token

    from cases.models import Case, CaseCounter, Category
    from enterprises.models import Department, DepartmentStaff, Enterprise
    from enterprises.validators import credit_code_check_character

    with transaction.atomic():
        office_dept, _ = Department.objects.get_or_create(
            name="县委办", defaults={"kind": Department.Kind.OFFICE}
        )
        departments = [
            Department.objects.get_or_create(name=f"测试局{i:02d}")[0] for i in range(20)
        ]
        category, _ = Category.objects.get_or_create(code="power", defaults={"name": "用电用能"})
        users = {}
        for username, dept in (("bench_office", office_dept), ("bench_clerk", departments[0])):
            user, _ = User.objects.get_or_create(username=username)
            DepartmentStaff.objects.get_or_create(user=user, defaults={"department": dept})
            users[username] = Token.objects.get_or_create(user=user)[0].key
        users["department"] = str(departments[0].pk)

        missing = 2000 - Enterprise.objects.count()
        if missing > 0:
            start = Enterprise.objects.count()
            Enterprise.objects.bulk_create(
                Enterprise(
                    name=f"测试企业{n:05d}",
                    credit_code=(body := f"91360124MB{n:07d}") + credit_code_check_character(body),
                )
                for n in range(start, start + missing)
            )
        enterprises = list(Enterprise.objects.values_list("pk", flat=True))

        have = Case.objects.count()
        if have < CASES:
            print(f"[bench] bulk-creating {CASES - have} cases …", flush=True)
            statuses = ["submitted", "assigned", "in_progress", "replied", "closed"]
            year = 2025
            counter, _ = CaseCounter.objects.get_or_create(year=year)
            batch = []
            for n in range(have, CASES):
                counter.last += 1
                status = statuses[n % len(statuses)]
                batch.append(
                    Case(
                        number=f"{year}-{counter.last:06d}",
                        year=year,
                        sequence=counter.last,
                        title=f"测试问题 {n}",
                        description="电压不稳，无法满负荷生产",
                        category=category,
                        enterprise_id=enterprises[n % len(enterprises)],
                        source="visit",
                        status=status,
                        lead_department=None
                        if status == "submitted"
                        else departments[(n // len(statuses)) % len(departments)],
                    )
                )
                if len(batch) == 5000:
                    Case.objects.bulk_create(batch)
                    batch = []
            Case.objects.bulk_create(batch)
            counter.save()
            with connection.cursor() as cursor:
                # Spread creation over time, and give assigned cases their clocks.
                cursor.execute(
                    "UPDATE cases_case SET created_at = now() - id * interval '5 minutes',"
                    " assigned_at = CASE WHEN lead_department_id IS NULL THEN NULL"
                    "   ELSE now() - id * interval '5 minutes' END,"
                    " contact_due_at = CASE WHEN lead_department_id IS NULL THEN NULL"
                    "   ELSE now() - id * interval '5 minutes' + interval '5 days' END,"
                    " resolve_due_at = CASE WHEN lead_department_id IS NULL THEN NULL"
                    "   ELSE now() - id * interval '5 minutes' + interval '20 days' END"
                )
                # One case in three has a co-department.
                cursor.execute(
                    "INSERT INTO cases_case_co_departments (case_id, department_id)"
                    " SELECT c.id, %s FROM cases_case c"
                    " WHERE c.lead_department_id IS NOT NULL AND c.id %% 3 = 0"
                    " ON CONFLICT DO NOTHING",
                    [departments[-1].pk],
                )
    with connection.cursor() as cursor:
        # As autovacuum would have by now: statistics and the visibility map (index-only counts).
        cursor.execute("VACUUM ANALYZE")
    print(f"[bench] {Case.objects.count()} cases in {DATABASE_URL}", flush=True)
    return users


def _client(path: str, token: str, deadline: float, limit: int, results) -> None:
    connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    done = errors = 0
    while time.monotonic() < deadline and done < limit:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            errors += 1
        done += 1
    connection.close()
    results.put((done, errors))


def measure(path: str, token: str) -> float:
    """Requests per second with CLIENTS concurrent keep-alive clients, for SECONDS at most."""
    results = multiprocessing.Queue()
    start = time.monotonic()
    deadline = start + SECONDS
    clients = [
        multiprocessing.Process(
            target=_client, args=(path, token, deadline, MAX_REQUESTS // CLIENTS, results)
        )
        for _ in range(CLIENTS)
    ]
    for client in clients:
        client.start()
    counts = [results.get(timeout=SECONDS + 60) for _ in clients]
    for client in clients:
        client.join()
    elapsed = time.monotonic() - start
    done = sum(c for c, _ in counts)
    errors = sum(e for _, e in counts)
    if errors:
        raise SystemExit(f"{path}: {errors} of {done} requests did not answer 200")
    return done / elapsed


def wait_until_up(token: str) -> None:
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=5)
            connection.request("GET", "/api/v1/me/", headers={"Authorization": f"Token {token}"})
            response = connection.getresponse()
            body = response.read()
            if response.status == 200:
                print(f"[bench] up: {json.loads(body)['username']}", flush=True)
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


def main() -> None:
    ensure_database()
    manage("migrate", "--noinput", "-v", "0")
    tokens = seed()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--bind", f"{HOST}:{PORT}",
            "--workers", str(WORKERS),
            "--worker-class", "gthread",
            "--threads", "2",
            "--log-level", "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
        start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_up(tokens["bench_office"])
        runs = [
            ("bench_office", "/api/v1/cases/"),
            ("bench_office", f"/api/v1/cases/?lead_department={tokens['department']}"),
            ("bench_clerk", "/api/v1/cases/"),
        ]
        rows = []
        for who, path in runs:
            token = tokens[who]
            measure("/api/v1/me/", token)  # warm up both workers' connections and caches
            measure(path, token)
            # Interleaved, so that a change in the machine's load touches both alike.
            me = (measure("/api/v1/me/", token) + measure("/api/v1/me/", token)) / 2
            cases = (measure(path, token) + measure(path, token)) / 2
            rows.append((who, path, me, cases))
        print()
        print(f"{CASES} cases, {WORKERS} gunicorn workers, {CLIENTS} clients, {SECONDS:g} s runs")
        print(f"{'user':<14}{'list':<36}{'/me/ req/s':>12}{'list req/s':>12}{'ratio':>8}")
        for who, path, me, cases in rows:
            print(f"{who:<14}{path:<36}{me:>12.1f}{cases:>12.1f}{me / cases:>8.2f}")
        print("(ratio = req/s of GET /api/v1/me/ ÷ req/s of the list: the target is at most 2)")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
