from tests.standins.fixtures import dingtalk, wecom  # noqa: F401 — fixtures
