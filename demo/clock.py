"""A simulated clock, so the demo county's history is replayed through the real services.

The workflow stamps most rows with ``timezone.now()`` (``auto_now_add`` on events, ratings,
requests, visits; the default of ``now=`` on every transition). To replay five years of history
truthfully, the seeder moves this clock to each step's moment before calling the service, and
passes the same moment as ``now=`` wherever the service accepts one. The patch lives only inside
the seeder's one transaction, in the management command's single thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone


class Beyond(Exception):
    """A step of a case's life falls after the present: history stops there for that case."""


class Clock:
    def __init__(self, start: dt.datetime, horizon: dt.datetime):
        self.moment = start
        self.horizon = horizon

    def now(self) -> dt.datetime:
        return self.moment

    def set(self, moment: dt.datetime) -> dt.datetime:
        if moment > self.horizon:
            raise Beyond(moment)
        self.moment = moment
        return moment


@contextmanager
def replaying(start: dt.datetime, horizon: dt.datetime) -> Iterator[Clock]:
    """Within the block, ``django.utils.timezone.now()`` answers the clock's moment."""
    clock = Clock(start, horizon)
    with mock.patch.object(timezone, "now", clock.now):
        yield clock
