"""The database bench_<size> and its manifest (var/bench/bench_<size>.json): reused while both
exist and agree (its cases and its counties), else generated afresh with manage.py generate_load."""

from __future__ import annotations

import json
import time
from pathlib import Path

from benchmark.app import manage
from benchmark.options import OUT, ROOT, counties_for, log
from benchmark.postgres import database_exists, database_url, recreate_database, vacuum_analyze


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def read_manifest(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def ensure_data(size: int, regenerate: bool) -> tuple[str, dict]:
    """The database bench_<size> and its manifest: reused, or generated afresh."""
    name = f"bench_{size}"
    db_url = database_url(name)
    manifest_path = OUT / f"{name}.json"
    manifest = read_manifest(manifest_path)
    counties = counties_for(size)
    if regenerate:
        reason = "--regenerate"
    elif not database_exists(name):
        reason = f"no database {name}"
    elif manifest is None:
        reason = f"no manifest {manifest_path.relative_to(ROOT)}"
    elif manifest.get("cases") != size:
        reason = f"the manifest names {manifest.get('cases')} cases"
    elif len(manifest.get("counties", [])) != counties:
        reason = f"the manifest names {len(manifest.get('counties', []))} counties, not {counties}"
    else:
        reason = None
    if reason is None:
        log(
            f"reusing {name} ({size:,} cases in {plural(counties, 'county', 'counties')}, "
            f"generated in {manifest.get('generated_seconds')} s)"
        )
        if manage(db_url, "migrate", "--check", "-v", "0", check=False) != 0:
            log(f"applying pending migrations to {name}")
            manage(db_url, "migrate", "--noinput", "-v", "0")
            vacuum_analyze(name)
        return db_url, manifest
    log(f"generating {name} ({plural(counties, 'county', 'counties')}): {reason}")
    manifest_path.unlink(missing_ok=True)
    recreate_database(name)
    manage(db_url, "migrate", "--noinput", "-v", "0")
    began = time.monotonic()
    manage(
        db_url,
        "generate_load",
        *("--cases", str(size), "--counties", str(counties), "--manifest", str(manifest_path)),
    )
    log(f"generated in {time.monotonic() - began:.0f} s; VACUUM ANALYZE …")
    vacuum_analyze(name)
    manifest = read_manifest(manifest_path)
    if (
        manifest is None
        or manifest.get("cases") != size
        or len(manifest.get("counties", [])) != counties
    ):
        raise SystemExit(f"generate_load wrote no manifest for {size} cases at {manifest_path}")
    return db_url, manifest
