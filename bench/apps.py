from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Load tooling (issue 10): the data generator and the one-query baseline view."""

    name = "bench"
    verbose_name = "基准测试"
