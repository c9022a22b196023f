"""The bench app is installed and routed only with BENCHMARK=1 (config.settings), which the test
suite, like production, does not set: its tests turn it on with the `bench_enabled` fixture."""

from __future__ import annotations

import pytest


@pytest.fixture
def bench_enabled(settings):
    """The bench app as make bench runs it: installed (generate_load), its URLs routed."""
    settings.BENCHMARK = True
    if "bench" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "bench"]
    settings.ROOT_URLCONF = "tests.bench.urls"
