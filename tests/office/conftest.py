import pytest


@pytest.fixture
def office_client(client, county):
    """A browser signed in as Ou of the county office."""
    client.force_login(county.office)
    return client


from tests.standins.fixtures import dingtalk, wecom  # noqa: E402, F401 — the vendors stand-ins
