"""Throttling per user and per address: 429 with Retry-After, rates set by settings."""

from __future__ import annotations

import time

import pytest
from rest_framework.throttling import SimpleRateThrottle

from tests.caches import cache_that_hangs, cache_that_is_down

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        base = {"user": None, "ip": None, "auth": None}
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**base, **rates},
        }

    return set_rates


def test_a_user_over_their_rate_is_told_when_to_retry(county, as_user, rates):
    rates(user="3/min")
    dan = as_user(county.dan)
    assert [dan.get("me/").status_code for _ in range(3)] == [200, 200, 200]
    answer = dan.get("me/")
    assert answer.status_code == 429
    assert 0 < int(answer["Retry-After"]) <= 60 and "detail" in answer.json()
    assert as_user(county.ren).get("me/").status_code == 200


def test_the_user_rate_counts_every_token_and_session_of_the_user(county, as_user, client, rates):
    rates(user="2/min")
    client.force_login(county.dan)
    assert client.get("/api/v1/me/").status_code == 200
    assert as_user(county.dan).get("me/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 429


def test_an_address_over_its_rate_is_throttled_whoever_signs_in(county, as_user, rates):
    rates(ip="2/min")
    assert as_user(county.dan).get("me/").status_code == 200
    assert as_user(county.ren).get("me/").status_code == 200
    assert as_user(county.eva).get("me/").status_code == 429
    assert as_user(county.eva).get("me/", REMOTE_ADDR="10.0.0.7").status_code == 200


def test_a_forwarded_for_header_does_not_escape_the_address_rate(county, as_user, rates):
    rates(ip="1/min")
    assert as_user(county.dan).get("me/").status_code == 200
    spoofed = as_user(county.dan).get("me/", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert spoofed.status_code == 429


def test_the_token_endpoint_has_its_own_low_rate(county, as_user, rates):
    rates(auth="2/min")
    body = {"username": "dan", "password": "pw-for-tests-only"}
    codes = [as_user(None).post("auth/token/", body).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_a_guessed_password_locks_the_username_out_as_a_json_429(county, as_user, rates):
    rates()
    guess = {"username": "dan", "password": "guess"}
    codes = [as_user(None).post("auth/token/", guess).status_code for _ in range(5)]
    assert codes == [400, 400, 400, 400, 429]
    answer = as_user(None).post("auth/token/", {"username": "dan", "password": "pw-for-tests-only"})
    assert answer.status_code == 429 and answer["Content-Type"] == "application/json"
    assert int(answer["Retry-After"]) > 0 and "token" not in answer.json()


def test_with_no_rate_set_nothing_is_throttled(county, as_user, rates):
    rates()
    dan = as_user(county.dan)
    assert {dan.get("me/").status_code for _ in range(20)} == {200}


def test_while_the_cache_is_down_the_api_answers_unthrottled(county, as_user, rates, monkeypatch):
    rates(user="1/min", ip="1/min", auth="1/min")
    monkeypatch.setattr(SimpleRateThrottle, "cache", cache_that_is_down())
    dan = as_user(county.dan)
    assert [dan.get("me/").status_code for _ in range(3)] == [200, 200, 200]
    body = {"username": "dan", "password": "pw-for-tests-only"}
    assert {as_user(None).post("auth/token/", body).status_code for _ in range(3)} == {200}


def test_a_hung_cache_delays_a_request_by_its_timeouts_only(
    county, as_user, rates, monkeypatch, settings
):
    rates(user="1/min", ip="1/min")
    with cache_that_hangs() as cache:
        monkeypatch.setattr(SimpleRateThrottle, "cache", cache)
        started = time.monotonic()
        assert as_user(county.dan).get("me/").status_code == 200
        took = time.monotonic() - started
    # Two throttles each read and write the cache: four calls, each given up after its timeout.
    assert took < 4 * settings.CACHE_SOCKET_TIMEOUT + 1
