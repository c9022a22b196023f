"""Throttling per user (or token) and per client address, answering 429 with Retry-After.

Rates are read from settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] at each request (not at
import, as DRF's own classes do), so a deployment sets them by environment and a test by
override_settings. A scope whose rate is None is not throttled.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


def _rate(scope: str) -> str | None:
    return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)


class UserThrottle(UserRateThrottle):
    """Per signed-in user, whichever token or session they use (per address when anonymous)."""

    scope = "user"

    def get_rate(self):
        return _rate(self.scope)


class AddressThrottle(SimpleRateThrottle):
    """Per client address (REMOTE_ADDR, or X-Forwarded-For behind NUM_PROXIES trusted proxies)."""

    scope = "ip"

    def get_rate(self):
        return _rate(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginThrottle(AddressThrottle):
    """The token endpoint takes passwords: a much lower rate per address."""

    scope = "auth"
