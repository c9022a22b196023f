import pytest


@pytest.fixture
def office_client(client, county):
    """A browser signed in as Ou of the county office."""
    client.force_login(county.office)
    return client
