"""The cache may lose anything (config.cache): a Redis that is down or hung, or a value that cannot
be read back, is a miss, never an error."""

import pickle
import time

from django.conf import settings

from config.cache import ForgivingPickleSerializer
from tests.caches import cache_that_hangs, cache_that_is_down


def every_call_misses(cache) -> None:
    assert cache.get("k") is None and cache.get("k", "default") == "default"
    assert cache.get_many(["k", "l"]) == {}
    assert not cache.set("k", 1) and not cache.add("k", 1) and not cache.delete("k")


def test_a_redis_that_is_down_answers_every_call_as_a_miss():
    every_call_misses(cache_that_is_down())


def test_a_redis_that_hangs_answers_every_call_as_a_miss_within_its_timeout():
    with cache_that_hangs() as cache:
        started = time.monotonic()
        every_call_misses(cache)
        took = time.monotonic() - started
    assert took < 7 * settings.CACHE_SOCKET_TIMEOUT + 1  # seven calls


def test_a_value_pickled_by_code_that_has_since_moved_reads_as_a_miss():
    serializer = ForgivingPickleSerializer({})
    moved = b"canalysis.gone\nDashboard\n)\x81."  # a class that no longer exists
    assert serializer.loads(moved) is None
    assert serializer.loads(serializer.dumps({"total": 7})) == {"total": 7}
    assert serializer.loads(pickle.dumps(7)) == 7
