"""The API seen by the county's personas (tests/conftest.py): each calls it with their own token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

API = "/api/v1"


@pytest.fixture(autouse=True)
def fresh_throttle_counts(monkeypatch):
    """Each test counts requests from zero, whatever cache (Redis in CI) the settings name."""
    monkeypatch.setattr(SimpleRateThrottle, "cache", LocMemCache(f"throttle-{uuid.uuid4()}", {}))


@dataclass
class Caller:
    """One persona's client: JSON in, JSON out, with their token."""

    client: APIClient

    def get(self, path: str, params: dict | None = None, **extra):
        return self.client.get(_url(path), params or {}, **extra)

    def post(self, path: str, data=None, **extra):
        extra.setdefault("format", "json")
        return self.client.post(_url(path), data if data is not None else {}, **extra)


def _url(path: str) -> str:
    return path if path.startswith("/api/") else f"{API}/{path.lstrip('/')}"


def token_for(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


@pytest.fixture
def as_user():
    """as_user(county.dan).get("cases/") — or as_user(None) for no credentials at all."""

    def caller(user) -> Caller:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        return Caller(client)

    return caller


def case_url(case, action: str | None = None) -> str:
    pk = getattr(case, "pk", case)
    return f"cases/{pk}/{action}/" if action else f"cases/{pk}/"
