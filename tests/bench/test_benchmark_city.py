"""The scale benchmark over a city (scripts/benchmark, issue 22): the data of each size spreads
over its counties, a database is reused only while its manifest names them, the city's pages are
measured as the city office and judged within the county dashboard's bounds."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

SCRIPTS = str(Path(__file__).resolve().parents[2] / "scripts")


@pytest.fixture
def benchmark(monkeypatch):
    monkeypatch.syspath_prepend(SCRIPTS)
    import benchmark.data
    import benchmark.options
    import benchmark.targets
    import benchmark.verdicts

    yield benchmark
    for name in [m for m in sys.modules if m == "benchmark" or m.startswith("benchmark.")]:
        del sys.modules[name]


def test_one_county_at_10000_and_ten_of_100000_at_a_million(benchmark):
    counties_for = benchmark.options.counties_for
    assert (counties_for(10_000), counties_for(1_000_000)) == (1, 10)
    assert counties_for(150_000) == 2


@pytest.fixture
def data(benchmark, monkeypatch, tmp_path):
    """ensure_data with the PostgreSQL server and manage.py replaced by a record of the calls;
    generate_load writes a manifest naming the counties it was asked for."""
    module = benchmark.data
    calls = []

    def manage(db_url, *args, **kwargs):
        calls.append(args)
        if args[0] == "generate_load":
            size, counties = (
                int(args[args.index("--cases") + 1]),
                int(args[args.index("--counties") + 1]),
            )
            path = Path(args[args.index("--manifest") + 1])
            path.write_text(
                json.dumps({"cases": size, "counties": [{"id": n} for n in range(counties)]})
            )
        return 0

    monkeypatch.setattr(module, "OUT", tmp_path)
    monkeypatch.setattr(module, "manage", manage)
    monkeypatch.setattr(module, "database_exists", lambda name: True)
    monkeypatch.setattr(module, "recreate_database", lambda name: calls.append(("recreate",)))
    monkeypatch.setattr(module, "vacuum_analyze", lambda name: None)
    return module, calls, tmp_path


def test_a_manifest_of_one_county_is_not_reused_for_the_city(data):
    module, calls, out = data
    (out / "bench_1000000.json").write_text(json.dumps({"cases": 1_000_000, "counties": [{}]}))
    _url, manifest = module.ensure_data(1_000_000, regenerate=False)
    assert ("recreate",) in calls
    generate = next(c for c in calls if c[0] == "generate_load")
    assert generate[generate.index("--counties") + 1] == "10"
    assert len(manifest["counties"]) == 10

    calls.clear()  # the manifest now agrees: reused
    _url, again = module.ensure_data(1_000_000, regenerate=False)
    assert again == manifest
    assert [c[0] for c in calls] == ["migrate"]


def test_a_manifest_from_before_counties_is_generated_again(data):
    module, calls, out = data
    (out / "bench_10000.json").write_text(json.dumps({"cases": 10_000}))
    module.ensure_data(10_000, regenerate=False)
    assert ("recreate",) in calls


def test_the_city_pages_are_the_city_offices(benchmark):
    city = [t for t in benchmark.targets.TARGETS if t.group == "city"]
    assert {t.path for t in city} >= {
        "/analysis/city/",
        "/analysis/city/compare/",
        "/analysis/city/escalations/",
    }
    assert {t.user for t in city if t.path != "/analysis/city/inbox/"} == {"city"}


def results(city_10k: float, city_1m: float, *, failed: bool = False) -> dict[int, dict]:
    """Medians (ms) of the baseline, the dashboard and the city overview at two sizes."""

    def size(baseline, dashboard, city):
        city_target = {"error": "500"} if failed else {"median_ms": city}
        return {
            "targets": {
                "baseline": {"median_ms": baseline},
                "dashboard": {"median_ms": dashboard},
                "city": city_target,
            }
        }

    # the dashboard at 10k: 10 × the baseline, so the city's ceiling is 3 × 10 = 30 × baseline
    return {10_000: size(4.0, 40.0, city_10k), 1_000_000: size(2.0, 30.0, city_1m)}


def verdicts(benchmark, figures):
    rows = benchmark.verdicts.checks(figures)
    return {row["check"]: row for row in rows if row["check"].startswith("city overview")}


def test_city_pages_within_the_dashboards_bounds(benchmark):
    rows = verdicts(benchmark, results(40.0, 60.0))  # 10 × and 30 × the baseline; 1.5 × 10k
    assert rows["city overview: median 1M/10k"]["pass"] is True
    assert rows["city overview: × baseline at 10k"]["pass"] is True
    assert rows["city overview: × baseline at 1M"]["value"] == "30.00"
    assert rows["city overview: × baseline at 1M"]["pass"] is True
    assert rows["city overview: × baseline at 1M"]["target"].startswith("≤ 30.00")


def test_city_pages_over_the_dashboards_bounds_fail(benchmark):
    rows = verdicts(benchmark, results(40.0, 62.0))  # 31 × the baseline at 1M
    assert rows["city overview: × baseline at 1M"]["pass"] is False
    assert rows["city overview: median 1M/10k"]["pass"] is True
    rows = verdicts(benchmark, results(10.0, 50.0))  # 5 × its cost at 10k
    assert rows["city overview: median 1M/10k"]["pass"] is False
    assert rows["city overview: × baseline at 1M"]["pass"] is True
    rows = verdicts(benchmark, results(40.0, 60.0, failed=True))
    assert rows["city overview: × baseline at 1M"]["value"] == "page failed"
    assert rows["city overview: × baseline at 1M"]["pass"] is False
