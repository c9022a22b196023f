"""The production cache (config.cache) pointed at a Redis that fails: one that is down (nothing
listens on its port) or one that hangs (it accepts connections and never answers)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import CacheHandler
from django.core.cache.backends.base import BaseCache

from config.cache import redis_cache


def production_cache(url: str) -> BaseCache:
    return CacheHandler({"default": redis_cache(url, timeout=settings.CACHE_SOCKET_TIMEOUT)})[
        "default"
    ]


def cache_that_is_down() -> BaseCache:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return production_cache(f"redis://127.0.0.1:{port}/0")


@contextmanager
def cache_that_hangs() -> Iterator[BaseCache]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)  # the kernel completes the handshake; nobody ever reads or answers
        yield production_cache(f"redis://127.0.0.1:{server.getsockname()[1]}/0")
