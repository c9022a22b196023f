"""The report: the machine it ran on, a table per size, the scaling, the targets and the query
plans, printed and written to var/bench/results.md, the figures to var/bench/results.json."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

from benchmark.options import (
    CONNECTIONS,
    GUNICORN,
    OUT,
    ROOT,
    SECONDS,
    WARMUP,
    WORKERS,
    fmt,
    human,
    log,
)
from benchmark.postgres import pg_scalar
from benchmark.search import plan_lines as search_plans
from benchmark.search import report_lines as search_report
from benchmark.targets import TARGETS
from benchmark.verdicts import median_of


def machine_facts() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        (
            int(line.split()[1]) / 1024 / 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        ),
        None,
    )

    def output(*command: str) -> str:
        try:
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=30)
            return (done.stdout or done.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "?"

    dirty = output("git", "status", "--porcelain", "--untracked-files=no") not in ("", "?")
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(memory, 1) if memory else None,
        "postgresql": pg_scalar("postgres", "SHOW server_version"),
        "python": platform.python_version(),
        "gunicorn": output(GUNICORN, "--version"),
        "wrk": output("wrk", "--version").split(" Copyright")[0],
        "commit": output("git", "rev-parse", "--short", "HEAD") + (" (modified)" if dirty else ""),
        "load": f"{WORKERS} sync gunicorn workers; wrk -t1 -c{CONNECTIONS}, {WARMUP} s warm-up, "
        f"{SECONDS} s per page",
    }


def render(machine: dict, results: dict[int, dict], verdicts: list[dict]) -> tuple[str, str]:
    """The report (Markdown) and the query plans (Markdown), as printed and written."""
    sizes = sorted(results)
    lines = ["# Scale benchmark", ""]
    lines += [f"- **{k}**: {v}" for k, v in machine.items()]
    for size in sizes:
        r = results[size]
        base = r["targets"].get("baseline", {})
        base_median, base_rps = median_of(r, "baseline"), base.get("rps")
        plans = r.get("plans", {})
        counties = r.get("counties") or []
        spread = (
            f"{len(counties)} counties of one city ("
            + ", ".join(f"{c['name']} {c['cases']:,}" for c in counties)
            + "; the measured county logins are the first's)"
            if len(counties) > 1
            else "one county"
        )
        lines += [
            "",
            f"## {size:,} cases",
            "",
            f"Database {r['database']}, {spread}, generated in {r.get('generated_seconds')} s; "
            f"measured {r['measured_at']}.",
            "",
            "| page | user | req/s | median ms | p95 ms | median ÷ baseline "
            "| baseline req/s ÷ req/s | queries | alone ms | SQL ms |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for target in TARGETS:
            t = r["targets"].get(target.key, {})
            alone = plans.get(target.key, {})
            if "error" in t:
                failed = t["error"][:120].replace("|", "/").replace("\n", " ")
                lines.append(f"| {target.label} | {target.user} | FAILED: {failed} ||||||||")
                continue
            median, rps = t.get("median_ms"), t.get("rps")
            lines.append(
                f"| {target.label} | {target.user} | {fmt(rps)} | {fmt(median)} | "
                f"{fmt(t.get('p95_ms'))} | "
                f"{fmt(median / base_median if median and base_median else None, 2)} | "
                f"{fmt(base_rps / rps if rps and base_rps else None, 2)} | "
                f"{alone.get('queries', '—')} | {fmt(alone.get('ms'))} | "
                f"{fmt(alone.get('sql_ms'))} |"
            )
        lines += [
            "",
            "(queries, alone ms, SQL ms: one request through Django's test client with nothing "
            "else running, from the query-plan pass.)",
        ]
        sweep = r.get("sweep", {})
        lines += ["", "Deadline sweep (rolled back):", ""]
        if "error" in sweep:
            lines.append(f"- FAILED: {sweep['error'][:500]}")
        labels = {
            "catch_up": "catch-up (due in the data)",
            "nothing_due_cold": "nothing due, first",
            "nothing_due": "nothing due, median of 5",
            "due": "newly due",
            "nothing_due_again": "nothing due again",
        }
        for key, label in labels.items():
            if key in sweep:
                s = sweep[key]
                extra = f", {s['made_due']} made due" if "made_due" in s else ""
                lines.append(
                    f"- {label}: {s['ms']:.2f} ms, {s['queries']} queries "
                    f"(+{s['savepoints']} savepoint statements), {s['cases']} cases, "
                    f"{s['reminders']} reminders, {s['notifications']} notifications{extra}"
                )
        export = r.get("export", {})
        if "error" in export:
            lines.append(f"\nExcel export: FAILED: {export['error'][:500]}")
        elif export:
            lines += [
                "",
                f"Excel export (case ledger, office): {export['rows']:,} rows in "
                f"{export['seconds']:.1f} s ({export['rows'] / export['seconds']:,.0f} rows/s), "
                f"{export['bytes'] / 1e6:.1f} MB file, peak RSS {export['peak_rss_mb']:.0f} MB "
                f"({export['rss_before_mb']:.0f} MB before); progress recorded "
                f"{export['progress_updates']} times, ExportJob.processed_rows = "
                f"{export['progress_recorded']:,}.",
            ]
        lines += search_report(r.get("search", {}))
        peaks = r.get("worker_peaks_mb") or []
        lines += [
            "",
            f"gunicorn worker peak memory (VmHWM): {', '.join(f'{p:.0f} MB' for p in peaks)}.",
        ]
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        head = f"{human(large)} / {human(small)}"
        lines += [
            "",
            f"## Scaling: median latency {head}",
            "",
            f"| page | median at {human(small)} | median at {human(large)} | {head} |",
            "|---|--:|--:|--:|",
        ]
        for target in TARGETS:
            a, b = median_of(results[small], target.key), median_of(results[large], target.key)
            lines.append(
                f"| {target.label} | {fmt(a)} | {fmt(b)} | {fmt(b / a if a and b else None, 2)} |"
            )
    lines += ["", "## Targets", "", "| check | value | target | result |", "|---|---|---|---|"]
    for v in verdicts:
        outcome = {True: "pass", False: "**FAIL**", None: "n/a"}[v["pass"]]
        lines.append(f"| {v['check']} | {v['value']} | {v['target']} | {outcome} |")
    report = "\n".join(lines) + "\n"

    plan_lines = []
    for size in sizes:
        plans = results[size].get("plans", {})
        plan_lines += ["", f"## Query plans, {size:,} cases", ""]
        if "plan" in results[size].get("sweep", {}):
            sweep_plan = results[size]["sweep"]["plan"]
            plan_lines += ["### deadline sweep, nothing due", "", "```", sweep_plan, "```", ""]
        plan_lines += search_plans(results[size].get("search", {}))
        if "error" in plans:
            plan_lines.append(f"FAILED: {plans['error'][:1000]}")
            continue
        for target in TARGETS:
            page = plans.get(target.key)
            if page is None:
                continue
            plan_lines += [f"### {target.label} — {results[size]['targets'][target.key]['path']}"]
            if "error" in page:
                plan_lines += ["", f"FAILED: {page['error'][:1000]}", ""]
                continue
            plan_lines += [
                "",
                f"Status {page['status']}, {page['ms']:.1f} ms in the test client, "
                f"{page['queries']} queries, {page['sql_ms']:.1f} ms of SQL.",
                "",
            ]
            for n, query in enumerate(page["slowest"], start=1):
                sql = query["sql"]
                sql = sql if len(sql) <= 1500 else sql[:1500] + " …"
                plan_lines += [
                    f"{n}. {query['ms']:.1f} ms",
                    "",
                    "```sql",
                    sql,
                    "```",
                    "",
                    "```",
                    query["plan"],
                    "```",
                    "",
                ]
    return report, "\n".join(plan_lines) + "\n"


def write(machine: dict, results: dict[int, dict], verdicts: list[dict], json_path: Path) -> None:
    """Print the report and the plans; write results.md and results.json; tally the targets."""
    report, plans = render(machine, results, verdicts)
    print("\n" + plans + "\n" + report)
    (OUT / "results.md").write_text(report + plans)
    json_path.write_text(
        json.dumps(
            {"machine": machine, "sizes": results, "checks": verdicts},
            indent=1,
            ensure_ascii=False,
            default=str,
        )
    )
    tally = {
        outcome: sum(v["pass"] is outcome for v in verdicts) for outcome in (True, False, None)
    }
    log(
        f"targets: {tally[True]} met, {tally[False]} not met, {tally[None]} not measured "
        f"(of {len(verdicts)})"
    )
    log(f"written {(OUT / 'results.md').relative_to(ROOT)} and {json_path.relative_to(ROOT)}")
