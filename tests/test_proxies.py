"""Behind the reverse proxy: the lockout and the API's per-address throttle key on the client's
own address (the one the declared proxy appended to X-Forwarded-For), never on the proxy's.

Before, every client behind the proxy shared its address: five wrong passwords typed by anyone
locked the office's account for everyone, for 15 minutes, repeatably.
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from web.proxies import client_address

PASSWORD = "pw-for-tests-only"
PROXY = "10.0.0.5"  # the reverse proxy every request arrives from


def sign_in(client, username: str, password: str, *, client_ip: str):
    """A sign-in arriving through the proxy, which appended the client's address."""
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
    )


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = 0.25
    settings.NUM_PROXIES = 1


@pytest.mark.django_db
def test_wrong_passwords_from_one_client_do_not_lock_the_owner_out_behind_the_proxy(
    client, county, lockout
):
    for _ in range(5):
        assert sign_in(client, "office", "guess", client_ip="203.0.113.9").status_code in (200, 429)
    assert sign_in(client, "office", PASSWORD, client_ip="203.0.113.9").status_code == 429

    owner = sign_in(client, "office", PASSWORD, client_ip="198.51.100.20")

    assert owner.status_code == 302, "the office's own sign-in, from its own address, goes through"
    assert owner["Location"] == reverse("home")


@pytest.mark.django_db
def test_the_client_cannot_choose_its_address_by_writing_the_header_itself(client, county, lockout):
    """The proxy appends: entries left of the last one were written by the client and ignored."""
    for n in range(5):
        sign_in(client, "office", "guess", client_ip=f"192.0.2.{n}, 203.0.113.9")

    again = sign_in(client, "office", PASSWORD, client_ip="192.0.2.77, 203.0.113.9")

    assert again.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "127.0.0.1"),  # no proxy declared: the header is the client's own words
        (1, "", "127.0.0.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "192.0.2.1, 203.0.113.9", "203.0.113.9"),
        (2, "192.0.2.1, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (3, "203.0.113.9", "203.0.113.9"),  # fewer hops than proxies: the leftmost
        (1, "not-an-address", "127.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, proxies, forwarded, expected):
    settings.NUM_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected


@pytest.mark.django_db
def test_the_api_throttles_each_client_behind_the_proxy_on_its_own(client, county, settings):
    settings.NUM_PROXIES = 1
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": None, "ip": "2/min", "auth": None},
    }
    from django.core.cache import cache

    cache.clear()
    client.force_login(county.dan)

    def me(client_ip):
        return client.get("/api/v1/me/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)

    first = [me("203.0.113.9").status_code for _ in range(3)]
    other = me("198.51.100.20").status_code

    assert first[-1] == 429
    assert other != 429
