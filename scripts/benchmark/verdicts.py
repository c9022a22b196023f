"""The issue's targets, each with its figure and pass, fail or not measured: pages against the
baseline and across sizes, the city's pages within the dashboard's bounds, the sweep with nothing
due, the workers' and the export's memory.

The city's pages (issue 22) are held to the county dashboard's bounds: like it, each may grow at
most ANALYSIS_SCALE_MAX times from the smallest size to the largest; and at every size its median
÷ that size's baseline may be at most the ceiling the dashboard must stay under at the largest
size — ANALYSIS_SCALE_MAX × the dashboard's median ÷ baseline at the smallest size. Against the
baseline, so that a busy or quiet machine at one size does not move the bound."""

from __future__ import annotations

from typing import Any

from benchmark.options import (
    ANALYSIS_SCALE_MAX,
    EXPORT_PEAK_MB,
    PAGE_BASELINE_MAX,
    PAGE_SCALE_MAX,
    SWEEP_BASELINE_FRACTION,
    WORKER_PEAK_MB,
    fmt,
    human,
)
from benchmark.targets import TARGETS


def median_of(size_result: dict, key: str) -> float | None:
    target = size_result["targets"].get(key, {})
    return None if "error" in target else target.get("median_ms")


def checks(results: dict[int, dict]) -> list[dict[str, Any]]:
    """The issue's targets, each with its figure and pass or fail (None: not measured)."""
    sizes = sorted(results)
    small, large = sizes[0], sizes[-1]
    scale = f"{human(large)}/{human(small)}"
    rows: list[dict[str, Any]] = []

    def add(name: str, value: str, limit: str, passed: bool | None) -> None:
        rows.append({"check": name, "value": value, "target": limit, "pass": passed})

    def ratio(a: float | None, b: float | None) -> float | None:
        return a / b if a is not None and b else None

    def compare(name: str, a: tuple[int, str], b: tuple[int, str], limit: float) -> None:
        """A ratio of two medians (size, target key) against its limit; a page that failed
        fails the check."""
        if any("error" in results[size]["targets"].get(key, {}) for size, key in (a, b)):
            add(name, "page failed", f"≤ {limit}", False)
            return
        r = ratio(median_of(results[a[0]], a[1]), median_of(results[b[0]], b[1]))
        add(name, fmt(r, 2), f"≤ {limit}", None if r is None else r <= limit)

    def relative(size: int, key: str) -> float | None:
        """A page's median ÷ the baseline's at one size."""
        return ratio(median_of(results[size], key), median_of(results[size], "baseline"))

    dashboard = relative(small, "dashboard")
    city_ceiling = None if dashboard is None else ANALYSIS_SCALE_MAX * dashboard

    for target in TARGETS:
        if target.group == "baseline":
            continue
        if len(sizes) > 1:
            limit = PAGE_SCALE_MAX if target.group == "page" else ANALYSIS_SCALE_MAX
            name = f"{target.label}: median {scale}"
            compare(name, (large, target.key), (small, target.key), limit)
        if target.group == "page":
            for size in sizes:
                name = f"{target.label}: × baseline at {human(size)}"
                compare(name, (size, target.key), (size, "baseline"), PAGE_BASELINE_MAX)
        if target.group == "city":
            for size in sizes:
                name = f"{target.label}: × baseline at {human(size)}"
                limit = f"≤ {fmt(city_ceiling, 2)} ({ANALYSIS_SCALE_MAX:g} × dashboard's at {human(small)})"
                if "error" in results[size]["targets"].get(target.key, {}):
                    add(name, "page failed", limit, False)
                    continue
                r = relative(size, target.key)
                passed = None if r is None or city_ceiling is None else r <= city_ceiling
                add(name, fmt(r, 2), limit, passed)
    counts = set()
    for size in sizes:
        sweep = results[size].get("sweep", {})
        for key in ("nothing_due_cold", "nothing_due", "nothing_due_again"):
            if key in sweep:
                counts.add(sweep[key]["queries"])
        ms, base = sweep.get("nothing_due", {}).get("ms"), median_of(results[size], "baseline")
        add(
            f"sweep, nothing due, at {human(size)}: ms vs baseline median",
            f"{fmt(ms, 2)} ms vs {fmt(base)} ms",
            f"< {SWEEP_BASELINE_FRACTION:g} × baseline",
            None if ms is None or base is None else ms < SWEEP_BASELINE_FRACTION * base,
        )
    add(
        "sweep, nothing due: queries at every size and run",
        ", ".join(str(c) for c in sorted(counts)) or "—",
        "constant",
        None if not counts else len(counts) == 1,
    )
    for size in sizes:
        peak = results[size].get("worker_peak_mb")
        add(
            f"gunicorn worker peak at {human(size)}",
            f"{fmt(peak, 0)} MB",
            f"< {WORKER_PEAK_MB} MB",
            None if peak is None else peak < WORKER_PEAK_MB,
        )
        export = results[size].get("export", {})
        add(
            f"export peak RSS at {human(size)} ({fmt(export.get('rows'), 0)} rows)",
            f"{fmt(export.get('peak_rss_mb'), 0)} MB",
            f"< {EXPORT_PEAK_MB} MB",
            None if "peak_rss_mb" not in export else export["peak_rss_mb"] < EXPORT_PEAK_MB,
        )
    return rows
