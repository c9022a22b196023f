"""Throttling per user (or token) and per client address, answering 429 with Retry-After.

Rates are read from settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] at each request (not at
import, as DRF's own classes do), so a deployment sets them by environment and a test by
override_settings. A scope whose rate is None is not throttled.

The counts live in the cache. While it is down they are not kept and every request passes
(config.cache): a guard against abuse is no reason to refuse the county's work.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle

from web.proxies import client_address


def _rate(scope: str) -> str | None:
    return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)


class _ClientAddress:
    """The client's address as the login lockout reads it (settings.NUM_PROXIES), not DRF's own
    reading of X-Forwarded-For, which trusts every entry when NUM_PROXIES is unset."""

    def get_ident(self, request):
        return client_address(request)


class UserThrottle(_ClientAddress, UserRateThrottle):
    """Per signed-in user, whichever token or session they use (per address when anonymous)."""

    scope = "user"

    def get_rate(self):
        return _rate(self.scope)


class AddressThrottle(_ClientAddress, SimpleRateThrottle):
    """Per client address (REMOTE_ADDR, or X-Forwarded-For behind NUM_PROXIES trusted proxies)."""

    scope = "ip"

    def get_rate(self):
        return _rate(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginThrottle(AddressThrottle):
    """The token endpoint takes passwords: a much lower rate per address."""

    scope = "auth"
