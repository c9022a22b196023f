"""What the environment asks of the benchmark, where it writes, and the issue's targets."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "bench"
RUN_VAR = OUT / "var"  # VAR_DIR of the server and children: static files, media, no SQLite
ENTRY = ROOT / "scripts" / "bench.py"  # the children run it again, with --child
LUA = ROOT / "scripts" / "bench_wrk.lua"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,1000000").split(",") if s.strip()]
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "18766"))
WORKERS = 2
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
REDIS_URL = os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or DEFAULT_REDIS
FLUSH_REDIS = "BENCH_REDIS_URL" in os.environ or "REDIS_URL" not in os.environ
SECRET_KEY = secrets.token_urlsafe(60)  # production mode wants 50+ random characters

# The city the data makes: counties of at most COUNTY_CASES cases each (1 county at 10,000 cases,
# 10 counties of 100,000 at a million); the measured logins are the first county's.
COUNTY_CASES = 100_000
EXPORT_ROWS = 100_000
DUE_CASES = 1000
# The targets.
PAGE_SCALE_MAX = 1.5  # list and case pages: median at the largest size ÷ at the smallest
PAGE_BASELINE_MAX = 3.0  # list and case pages: median ÷ the baseline's, at every size
ANALYSIS_SCALE_MAX = 3.0  # dashboard and evaluation; the city's pages (verdicts.city_checks)
SWEEP_BASELINE_FRACTION = 0.1  # a sweep with nothing due costs under 1/10 of the baseline median
WORKER_PEAK_MB = 250
EXPORT_PEAK_MB = 300


def counties_for(size: int) -> int:
    """How many counties the data of `size` cases spreads over."""
    return max(1, -(-size // COUNTY_CASES))


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def human(size: int) -> str:
    for unit, suffix in ((1_000_000, "M"), (1_000, "k")):
        if size >= unit and size % unit == 0:
            return f"{size // unit}{suffix}"
    return str(size)


def fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"
