"""Each page of the benchmark alone: one request at a time through Django's test client (production
settings, as scripts/bench.py runs them), its median time, its query count and SQL time, and the
top lines of its cProfile (cumulative time, the project's own code first).

    BENCHMARK=1 DATABASE_URL=postgres://…/pages_10k .venv/bin/python scripts/profile_pages.py \
        --manifest /tmp/pages_10k.json [--runs 15] [--top 5] [--only office_inbox,case_page]

The manifest is the one `manage.py generate_load --manifest` writes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
HOST = "127.0.0.1"

# Beyond the benchmark's own targets: the pages the issue names that it does not measure.
EXTRA = [
    ("ledger", "/analysis/cases/", "office"),
    ("fieldwork", "/field/", "cadre"),
    # The layout and nothing else: a signed-in page that is not found (what every page pays).
    ("layout", "/no-such-page/", "office"),
]


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "profile-" + "x" * 60)
    os.environ.setdefault("ALLOWED_HOSTS", HOST)
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("SECURE_COOKIES", "0")
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    os.environ.setdefault("API_THROTTLE_USER", "off")
    os.environ.setdefault("API_THROTTLE_IP", "off")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    os.environ["BENCHMARK"] = "1"
    import django

    django.setup()


def targets(manifest: dict) -> list[tuple[str, str, str]]:
    from benchmark.targets import TARGETS

    from cases.models import Category

    values = dict(manifest)
    values["category_code"] = Category.objects.get(pk=manifest["category"]).code
    out = [(t.key, t.path.format(**values), t.user) for t in TARGETS if t.group != "analysis"]
    return out + EXTRA


def busiest_cadre() -> str:
    """A cadre of the task force that looks after the most enterprises (the generator names none)."""
    from django.db.models import Count

    from taskforces.models import TaskForceMember

    member = (
        TaskForceMember.objects.filter(role=TaskForceMember.Role.CADRE)
        .annotate(n=Count("task_force__enterprises"))
        .order_by("-n", "pk")
        .select_related("user")
        .first()
    )
    return member.user.username


def top_lines(profile: cProfile.Profile, top: int, runs: int) -> list[str]:
    """The costliest functions by their own time (tottime) per request, with where they live."""
    stats = pstats.Stats(profile)
    rows = []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
        where = filename.replace(str(ROOT) + "/", "")
        if "site-packages/" in where:
            where = where.split("site-packages/", 1)[1]
        rows.append((tottime / runs, cumtime / runs, calls // runs, f"{where}:{line}({name})"))
    rows.sort(reverse=True)
    total = sum(r[0] for r in rows) or 1
    return [
        f"{tt * 1000:6.1f} ms own ({tt / total:4.0%}) {calls:>6} calls  {label}"
        for tt, _ct, calls, label in rows[:top]
    ]


def breakdown(profile: cProfile.Profile, runs: int) -> dict[str, float]:
    """Per request (ms, under the profiler): the whole request, the templates' rendering (queries
    a template sets off included) and the database driver's own time (execute and fetch)."""
    stats = pstats.Stats(profile).stats
    total = render = sql = 0.0
    for (filename, _line, name), (_cc, _calls, tottime, cumtime, _callers) in stats.items():
        if filename.endswith("django/test/client.py") and name == "request":
            total = max(total, cumtime)
        elif filename.endswith("django/template/base.py") and name == "render":
            render = max(render, cumtime)  # Template.render: the outermost call holds the others
        elif filename == "~" and "psycopg2" in name:
            sql += tottime
    return {k: v * 1000 / runs for k, v in (("total", total), ("render", render), ("sql", sql))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--profile-runs", type=int, default=5)
    parser.add_argument("--only", default="")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    manifest = json.loads(Path(args.manifest).read_text())
    logins = dict(manifest["logins"])
    logins.setdefault("cadre", busiest_cadre())
    only = {x for x in args.only.split(",") if x}
    users = get_user_model().objects
    results = {}
    for key, path, login in targets(manifest):
        if only and key not in only:
            continue
        client = Client(HTTP_HOST=HOST)
        client.force_login(
            users.get(username=logins[login]),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        for _ in range(3):  # warm up: connection, caches, templates
            status = client.get(path).status_code
        timings, cpu = [], []
        for _ in range(args.runs):
            began, began_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries = list(captured.captured_queries)  # read before the next request empties the log
        profile = (
            cProfile.Profile()
        )  # several requests: one alone is at the mercy of a busy machine
        for _ in range(args.profile_runs):
            profile.enable()
            client.get(path)
            profile.disable()
        results[key] = {
            "path": path,
            "status": status,
            "ms": statistics.median(timings),
            "cpu_ms": statistics.median(cpu),  # this process's own time: steadier on a busy machine
            "cpu_min_ms": min(cpu),  # the least a request took: what other jobs' load leaves alone
            "queries": len(queries),
            "sql_ms": sum(float(q["time"]) for q in queries) * 1000,
            "top": top_lines(profile, args.top, args.profile_runs),
            "profiled": breakdown(profile, args.profile_runs),
        }
        r = results[key]
        print(
            f"## {key} {path} → {status}: {r['ms']:.1f} ms (Python CPU {r['cpu_ms']:.1f} ms, least {r['cpu_min_ms']:.1f}), {r['queries']} queries, SQL {r['sql_ms']:.1f} ms"
        )
        b = r["profiled"]
        print(
            f"   profiled: {b['total']:.1f} ms, of which templates {b['render']:.1f} ms"
            f" ({b['render'] / (b['total'] or 1):.0%}), database driver {b['sql']:.1f} ms"
        )
        out = io.StringIO()
        for line in r["top"]:
            print("   " + line, file=out)
        print(out.getvalue(), end="", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
