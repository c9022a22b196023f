"""Profiling, each in a child process of its own with gunicorn stopped (production settings):
the deadline sweep (rolled back), the case-ledger export with its peak memory, and EXPLAIN
(ANALYZE, BUFFERS) of the slowest queries of one request of each page.

A child is scripts/bench.py run again with --child KIND; it prints one line, RESULT and JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmark.app import app_env
from benchmark.options import DUE_CASES, ENTRY, EXPORT_ROWS, HOST, PYTHON, ROOT
from benchmark.search import child_search


def run_child(kind: str, db_url: str, manifest_path: Path, extra: dict | None = None) -> dict:
    env = app_env(db_url)
    env["ALLOWED_HOSTS"] = HOST
    command = [PYTHON, str(ENTRY), "--child", kind, "--manifest", str(manifest_path)]
    if extra is not None:
        command += ["--extra", json.dumps(extra)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    line = next((x for x in reversed(done.stdout.splitlines()) if x.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        return {"error": f"{kind} failed ({done.returncode}): {done.stderr[-2000:]}"}
    return json.loads(line[len("RESULT ") :])


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def child_sweep(manifest: dict, extra: dict) -> dict:
    """The pattern of scripts/bench_sweep.py on the generated data: nothing due, DUE_CASES open
    assigned cases newly due (contact deadline today), nothing due again — all rolled back."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cases.models import Case
    from cases.workdays import end_of_day, local_date, start_of_day
    from notifications.reminders import reminders_sweep

    class Rollback(Exception):
        pass

    def sweep(now: dt.datetime) -> dict:
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            result = reminders_sweep(now=now)
            elapsed = time.perf_counter() - began
        statements = [q["sql"] for q in captured.captured_queries]
        savepoints = sum(
            1 for sql in statements if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        )
        return {
            "ms": elapsed * 1000,
            "queries": len(statements) - savepoints,
            "savepoints": savepoints,
            "cases": result.cases,
            "reminders": result.reminders,
            "notifications": result.notifications,
        }

    now = timezone.now()
    today = local_date(now)
    out: dict[str, Any] = {}
    try:
        with transaction.atomic():
            already = Case.objects.filter(next_reminder_at__lte=now).count()
            if already:  # the data's own due cases, so that "nothing due" means it
                out["catch_up"] = sweep(now) | {"already_due": already}
            out["nothing_due_cold"] = sweep(now)
            warm = [sweep(now) for _ in range(5)]
            out["nothing_due"] = warm[len(warm) // 2] | {
                "ms": statistics.median(run["ms"] for run in warm),
                "query_counts": sorted({run["queries"] for run in warm}),
            }
            due = list(
                Case.objects.filter(
                    status=Case.Status.ASSIGNED,
                    contacted_at__isnull=True,
                    suspended_at__isnull=True,
                    lead_department__isnull=False,
                )
                .order_by("pk")
                .values_list("pk", flat=True)[:DUE_CASES]
            )
            Case.objects.filter(pk__in=due).update(
                contact_due_at=end_of_day(today),
                next_reminder_at=min(start_of_day(today), now - dt.timedelta(minutes=1)),
            )
            out["due"] = sweep(now) | {"made_due": len(due)}
            out["nothing_due_again"] = sweep(now)
            nothing_due = Case.objects.filter(next_reminder_at__lte=now).order_by().values("pk")
            out["plan"] = nothing_due[:1].explain(analyze=True, buffers=True)
            raise Rollback
    except Rollback:
        out["rolled_back"] = True
    return out


def child_export(manifest: dict, extra: dict) -> dict:
    """The case ledger of the first EXPORT_ROWS cases the office sees, as the export worker writes
    it (analysis.exports.write_cases, recording progress on an ExportJob), into a temporary file."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from analysis.exports import write_cases
    from analysis.models import ExportJob
    from cases.roles import actor_for
    from cases.selectors import cases_visible_to

    office = get_user_model().objects.get(username=manifest["logins"]["office"])
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cases = cases_visible_to(actor_for(office))
    last = (
        cases.order_by("year", "sequence", "pk")
        .values_list("year", "sequence", "pk")[EXPORT_ROWS - 1 : EXPORT_ROWS]
        .first()
    )
    if last is not None:  # the ledger's own order, cut after EXPORT_ROWS rows
        year, sequence, pk = last
        cases = cases.filter(
            Q(year__lt=year)
            | Q(year=year, sequence__lt=sequence)
            | Q(year=year, sequence=sequence, pk__lte=pk)
        )
    total = cases.count()
    job = ExportJob.objects.create(
        kind=ExportJob.Kind.CASES,
        created_by=office,
        status=ExportJob.Status.RUNNING,
        total_rows=total,
        filename="bench.xlsx",
    )
    updates: list[int] = []

    def progress(done: int) -> None:  # as analysis.exports.export_job_run records it
        updates.append(done)
        ExportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    try:
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as target:
            began = time.perf_counter()
            rows = write_cases(target, cases, progress=progress)
            seconds = time.perf_counter() - began
            target.flush()
            size = os.path.getsize(target.name)
        job.refresh_from_db()
        recorded = job.processed_rows
    finally:
        job.delete()
    return {
        "rows": rows,
        "visible_total": total,
        "seconds": seconds,
        "bytes": size,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_before_mb": rss_before,
        "progress_updates": len(updates),
        "progress_recorded": recorded,
    }


def child_explain(manifest: dict, extra: dict) -> dict:
    """One request of each page through Django's test client (production settings); the three
    slowest SELECTs of each, EXPLAIN (ANALYZE, BUFFERS)ed on the same connection."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    users = get_user_model().objects
    out = {}
    for key, path, username in extra["targets"]:
        client = Client(HTTP_HOST=HOST)
        client.force_login(
            users.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
        )
        try:
            client.get(path)  # warm up: connection, caches, templates
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                status = client.get(path).status_code
                elapsed = time.perf_counter() - began
        except Exception as error:  # a page that raises: report it, go on with the others
            out[key] = {"error": f"{type(error).__name__}: {error}"}
            continue
        queries = captured.captured_queries
        selects = [q for q in queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
        slowest = sorted(selects, key=lambda q: float(q["time"]), reverse=True)[:3]
        plans = []
        with connection.cursor() as cursor:
            for query in slowest:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
                plans.append({"ms": float(query["time"]) * 1000, "sql": query["sql"], "plan": plan})
        out[key] = {
            "status": status,
            "ms": elapsed * 1000,
            "queries": len(queries),
            "sql_ms": sum(float(q["time"]) for q in queries) * 1000,
            "slowest": plans,
        }
    return out


CHILDREN = {
    "sweep": child_sweep,
    "export": child_export,
    "explain": child_explain,
    "search": child_search,
}
