"""Clients of 企业微信 and 钉钉's server APIs: access tokens, messages to a person, and the user
lookups sign-in needs. They know the vendors' JSON and error codes, nothing of the outbox: a failed
call raises VendorError, which says whether trying again later could help; the channels turn that
into the outbox's temporary or permanent failure, sign-in into a clear page.

Why not wechatpy or Alibaba's SDK: see README ("企业微信与钉钉").
"""

from __future__ import annotations

import hashlib
import http.client
import json as json_module
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache


class VendorError(Exception):
    """A vendor call failed. `temporary`: a rate limit, a busy server, a broken connection —
    worth retrying later; otherwise the vendor refused (a wrong secret, an unknown user, no
    privilege) and will refuse again."""

    def __init__(self, vendor: str, message: str, *, code: int | None = None, temporary: bool):
        self.vendor = vendor
        self.code = code
        self.temporary = temporary
        self.message = message
        prefix = f"{vendor} errcode {code}" if code is not None else vendor
        super().__init__(f"{prefix}: {message}")


class TokenExpired(Exception):
    """The service says the cached access token is no longer good (refetch once and retry)."""


@dataclass(frozen=True)
class Card:
    """A message to a person: a title, a few lines, and a link with its button text."""

    title: str
    description: str
    url: str
    button: str = ""


def token_cache_key(vendor: str, account: str, secret: str) -> str:
    """One cached token per account and secret: a changed secret never uses the old one's token."""
    fingerprint = hashlib.sha256(secret.encode()).hexdigest()[:16]
    return f"vendor-token:{vendor}:{account}:{fingerprint}"


# Refetch a token this long before the service would expire it.
TOKEN_MARGIN_SECONDS = 300


def token_from(vendor: str, answer: dict) -> tuple[str, int]:
    """The access token and its lifetime in seconds from a gettoken answer already checked for
    error codes (both vendors answer `access_token` and `expires_in`, 7,200 s by default)."""
    token = answer.get("access_token")
    if not token:
        raise VendorError(vendor, "gettoken answered without access_token", temporary=True)
    return token, int(answer.get("expires_in") or 7200)


def cached_token(key: str, fetch) -> str:
    """The cached token, or a fresh one from `fetch() -> (token, expires_in)`, cached until
    shortly before it expires."""
    token = cache.get(key)
    if token:
        return token
    token, expires_in = fetch()
    cache.set(key, token, max(int(expires_in) - TOKEN_MARGIN_SECONDS, 60))
    return token


def http_call(
    vendor: str,
    method: str,
    url: str,
    *,
    params: dict | None = None,
    json: dict | None = None,
    headers: dict | None = None,
) -> dict:
    """One HTTP call answering JSON (the standard library's urllib: no dependency for a handful of
    calls); transport trouble, 429 and 5xx are temporary VendorErrors."""
    if params:
        url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
    body = json_module.dumps(json, ensure_ascii=False).encode() if json is not None else None
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
    if body is not None:
        request.add_header("Content-Type", "application/json; charset=utf-8")
    try:
        with _OPENER.open(request, timeout=settings.VENDOR_TIMEOUT_SECONDS) as response:
            status, raw = response.status, response.read(1_048_576)
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read(65536)
    except (OSError, http.client.HTTPException) as error:  # refused, reset, timed out, TLS
        raise VendorError(vendor, f"unreachable: {error}", temporary=True) from error
    if status == 429 or status >= 500:
        raise VendorError(vendor, f"HTTP {status}", temporary=True)
    try:
        answer = json_module.loads(raw)
    except ValueError:
        raise VendorError(vendor, f"HTTP {status}, not JSON", temporary=False) from None
    if not isinstance(answer, dict):
        raise VendorError(vendor, "answer is not a JSON object", temporary=False)
    if status >= 400 and "errcode" not in answer:
        # The new 钉钉 API (api.dingtalk.com) answers errors as HTTP 4xx with code/message.
        raise VendorError(
            vendor,
            f"HTTP {status} {answer.get('code', '')}: {answer.get('message', '')}",
            temporary=False,
        )
    return answer


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A vendor API never redirects; following one would send the token elsewhere."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)
