"""The cache may lose anything at any time, so using it never fails a request.

What is cached (the API's throttle counts, the figures' snapshots, an import's progress) can be
recounted or recomputed. So a Redis that is down or hung costs what the cache would have saved,
never the request: django-redis logs and ignores its connection errors (a read is a miss, a write
is dropped) and gives up on a call after a short socket timeout, and a value that cannot be read
back — pickled by an older release whose classes have since moved — is a miss too. The throttles
then let every request through.
"""

from __future__ import annotations

import logging
from typing import Any

from django_redis.serializers.pickle import PickleSerializer

logger = logging.getLogger(__name__)


def redis_cache(url: str, *, timeout: float) -> dict[str, Any]:
    """The CACHES entry for the Redis at `url`, giving up on it after `timeout` seconds."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": timeout,
            "SOCKET_TIMEOUT": timeout,
            "SERIALIZER": "config.cache.ForgivingPickleSerializer",
        },
    }


class ForgivingPickleSerializer(PickleSerializer):
    def loads(self, value: bytes) -> Any:
        try:
            return super().loads(value)
        except Exception:
            logger.warning("cache: a value that cannot be unpickled is a miss", exc_info=True)
            return None
