"""The bench app (generate_load, /bench/baseline/) ships in the code but is off in production:
installed and routed only where BENCHMARK is set, as scripts/bench.py sets it for what it starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.apps import apps
from django.conf import settings
from django.core.management import get_commands
from django.urls import Resolver404, resolve
django.setup()
try:
    resolve("/bench/baseline/")
    routed = True
except Resolver404:
    routed = False
print(json.dumps({
    "in_installed_apps": "bench" in settings.INSTALLED_APPS,
    "installed": apps.is_installed("bench"),
    "routed": routed,
    "generate_load": "generate_load" in get_commands(),
}))
"""


def probe(**env: str) -> dict[str, bool]:
    """What a fresh process of the app, with this environment and no other BENCHMARK, sees."""
    environment = {k: v for k, v in os.environ.items() if k != "BENCHMARK"}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_benchmark_the_app_is_neither_installed_nor_routed():
    seen = probe()
    assert seen == dict.fromkeys(seen, False)
    assert probe(BENCHMARK="0") == seen


def test_benchmark_installs_and_routes_it():
    seen = probe(BENCHMARK="1")
    assert seen == dict.fromkeys(seen, True)


@pytest.mark.django_db
def test_bench_pages_are_not_found_in_the_suites_settings(client, django_user_model):
    """The suite runs as production does, without BENCHMARK."""
    assert not settings.BENCHMARK and "bench" not in settings.INSTALLED_APPS
    client.force_login(django_user_model.objects.create_user("base", password="pw-baseline-1"))
    assert client.get("/bench/baseline/").status_code == 404
