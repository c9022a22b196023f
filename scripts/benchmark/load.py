"""The load driver: wrk (scripts/bench_wrk.lua) against one page from its own process, after a
check that the page answers 200 to its user and a warm-up."""

from __future__ import annotations

import subprocess
from typing import Any

from benchmark.options import CONNECTIONS, HOST, LUA, PORT, SECONDS, WARMUP
from benchmark.server import request
from benchmark.targets import Target


def wrk(path: str, headers: list[str], seconds: int) -> dict[str, Any]:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "120s", "--latency"]
    for header in headers:
        command += ["-H", header]
    command += ["-s", str(LUA), f"http://{HOST}:{PORT}{path}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 300)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    raw = {k: int(v) for k, v in (item.split("=") for item in line.split()[1:])}
    requests = raw["requests"]
    return {
        "requests": requests,
        "seconds": raw["duration_us"] / 1e6,
        "rps": requests / (raw["duration_us"] / 1e6) if raw["duration_us"] else 0.0,
        "median_ms": raw["p50_us"] / 1000 if requests else None,
        "p95_ms": raw["p95_us"] / 1000 if requests else None,
        "p99_ms": raw["p99_us"] / 1000 if requests else None,
        "max_ms": raw["max_us"] / 1000 if requests else None,
        "non200": raw["non200"],
        "first_non200": raw["first_non200"],
        "socket_errors": {k: raw[k] for k in ("connect", "read", "write", "timeout")},
    }


def auth_headers(target: Target, sessions: dict[str, str], token: str) -> list[str]:
    if target.api:
        return [f"Authorization: Token {token}", "Accept: application/json"]
    return [f"Cookie: sessionid={sessions[target.user]}"]


def measure_target(target: Target, path: str, headers: list[str]) -> dict[str, Any]:
    as_dict = dict(h.split(": ", 1) for h in headers)
    status, _headers, body = request("GET", path, headers=as_dict)
    if status != 200:
        snippet = body[:300].decode(errors="replace").strip()
        return {"error": f"GET {path} answered {status} to {target.user}: {snippet}"}
    wrk(path, headers, WARMUP)
    result = wrk(path, headers, SECONDS)
    errors = result["socket_errors"]
    if result["non200"] or errors["timeout"] or not result["requests"]:
        result["error"] = (
            f"{result['non200']} of {result['requests']} answers were not 200 "
            f"(first: {result['first_non200']}), {errors['timeout']} timed out"
        )
    return result
