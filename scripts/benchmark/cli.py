"""The command line (scripts/bench.py): every size in turn — its data, gunicorn, the pages under
load, the workers' memory, then the profiling children — and the report; or, with --child, one
profiling child's work."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

from benchmark.app import flush_redis, manage
from benchmark.data import ensure_data, read_manifest
from benchmark.load import auth_headers, measure_target
from benchmark.options import EXPORT_ROWS, OUT, RUN_VAR, SIZES, human, log
from benchmark.postgres import database_url
from benchmark.profiling import CHILDREN, django_setup, run_child
from benchmark.report import machine_facts, write
from benchmark.server import api_token, login, start_gunicorn, stop, worker_peaks_mb
from benchmark.targets import resolve_targets
from benchmark.verdicts import checks

DESCRIPTION = (
    "Scale benchmark: the county's and the city's pages, sweep and export at 10,000 and 1,000,000 "
    "cases, measured."
)


def bench_size(size: int, regenerate: bool) -> dict[str, Any]:
    db_name = f"bench_{size}"
    db_url, manifest = ensure_data(size, regenerate)
    manifest_path = OUT / f"{db_name}.json"
    result: dict[str, Any] = {
        "cases": size,
        "database": db_name,
        "measured_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "generated_seconds": manifest.get("generated_seconds"),
        "counties": manifest.get("counties", []),
        "targets": {},
    }
    targets = resolve_targets(size, db_name, manifest)
    password, logins = manifest["password"], manifest["logins"]
    flush_redis()
    server = start_gunicorn(db_url, OUT / f"gunicorn_{size}.log")
    try:
        sessions = {role: login(username, password) for role, username in logins.items()}
        token = api_token(logins["office"], password)
        log(f"{size:,} cases: signed in as {', '.join(logins.values())}; gunicorn {server.pid}")
        for target, path in targets:
            measured = measure_target(target, path, auth_headers(target, sessions, token))
            result["targets"][target.key] = {"path": path, "user": target.user, **measured}
            if "error" in measured:
                log(f"  FAILED {target.label}: {measured['error']}")
            else:
                log(
                    f"  {target.label:<34} {measured['rps']:8.1f} req/s  median "
                    f"{measured['median_ms']:8.1f} ms  p95 {measured['p95_ms']:8.1f} ms"
                )
        peaks = worker_peaks_mb(server.pid)
        result["worker_peaks_mb"] = peaks
        result["worker_peak_mb"] = max(peaks, default=None)
    finally:
        stop(server)
    log(f"  gunicorn worker peak memory: {', '.join(f'{p:.0f} MB' for p in peaks)}")

    log("  deadline sweep …")
    result["sweep"] = run_child("sweep", db_url, manifest_path)
    log(f"  export of up to {EXPORT_ROWS:,} rows …")
    result["export"] = run_child("export", db_url, manifest_path)
    log("  keyword search …")
    result["search"] = run_child("search", db_url, manifest_path)
    log("  query plans …")
    plan_targets = [[t.key, path, logins[t.user]] for t, path in targets]
    result["plans"] = run_child("explain", db_url, manifest_path, {"targets": plan_targets})
    for key in ("sweep", "export", "search", "plans"):
        if "error" in result[key]:
            log(f"  FAILED {key}: {result[key]['error']}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument("--only", type=int, help="measure this size alone, keep the others")
    parser.add_argument("--regenerate", action="store_true", help="drop and generate the data")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--manifest", help=argparse.SUPPRESS)
    parser.add_argument("--extra", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        django_setup()
        manifest = json.loads(Path(args.manifest).read_text())
        result = CHILDREN[args.child](manifest, json.loads(args.extra))
        print("RESULT " + json.dumps(result, default=str), flush=True)
        return 0

    if shutil.which("wrk") is None:
        print("wrk is not installed: `apt-get install wrk` (Debian/Ubuntu), then run again.")
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    RUN_VAR.mkdir(parents=True, exist_ok=True)
    sizes = [args.only] if args.only else SIZES
    machine = machine_facts()
    log(f"sizes {', '.join(f'{s:,}' for s in sizes)}; {machine['load']}")
    log("collectstatic (production mode serves hashed static files) …")
    manage(database_url("postgres"), "collectstatic", "--noinput", "-v", "0", production=True)

    results: dict[int, dict] = {}
    json_path = OUT / "results.json"
    if args.only and (previous := read_manifest(json_path)):
        results = {int(k): v for k, v in previous.get("sizes", {}).items()}
    for size in sizes:
        results[size] = bench_size(size, args.regenerate)

    write(machine, results, checks(results), json_path)
    errors = []
    for size in sizes:
        parts = {**results[size]["targets"]}
        parts.update(
            (key, results[size].get(key, {})) for key in ("sweep", "export", "search", "plans")
        )
        errors += [f"{human(size)} {key}" for key, part in parts.items() if "error" in part]
    if errors:
        log(f"FAILED: {', '.join(errors)}")
        return 1
    return 0
