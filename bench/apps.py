from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Load tooling (issue 10): the data generator and the one-query baseline view. Installed
    and routed only with BENCHMARK=1 (config.settings), as make bench runs it."""

    name = "bench"
    verbose_name = "基准测试"
