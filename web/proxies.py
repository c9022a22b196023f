"""The client's own address, as the reverse proxies the deployment declares report it.

Behind a reverse proxy every request comes from the proxy's address; the client's is the entry the
outermost trusted proxy appended to X-Forwarded-For. settings.NUM_PROXIES says how many proxies to
trust (0: none, REMOTE_ADDR is the client). Entries further left were written by the client itself
and prove nothing, so they are never read. One answer for the login lockout (django-axes) and the
API's per-address throttle: a client cannot pick a different address for either.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The client's IP address: REMOTE_ADDR, or the entry NUM_PROXIES from the right of
    X-Forwarded-For. An entry that is not an IP address (a proxy misconfigured, a forged header
    with no proxy to overwrite it) falls back to REMOTE_ADDR rather than to the junk."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = max(int(getattr(settings, "NUM_PROXIES", 0) or 0), 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    candidate = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
