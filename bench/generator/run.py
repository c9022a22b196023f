"""The whole load in one transaction: the county's frame, the visits, then the cases; and the
manifest the benchmark reads (logins, the ids its URLs need, what was written)."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench.generator.county import County
from bench.generator.deadlines import Deadlines
from bench.generator.lives import Lives
from bench.generator.mix import PASSWORD
from bench.generator.writer import Writer
from cases.selectors import work_calendar


@dataclass
class Manifest:
    cases: int
    password: str
    logins: dict[str, str]
    case_50: int | None
    department: int
    category: int
    enterprise: int
    generated_seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


class Generator:
    def __init__(
        self,
        *,
        cases: int,
        enterprises: int | None = None,
        years: int | None = None,
        seed: int = 20210422,
        log: Callable[[str], None] = print,
    ):
        self.rng = random.Random(seed)
        self.n_cases = cases
        self.n_enterprises = enterprises or max(3000, cases // 30)
        self.years = years or max(3, min(10, round(cases / 100_000)))
        self.now = timezone.now()
        self.start = self.now - dt.timedelta(days=365 * self.years)
        self.calendar = work_calendar()
        self.password = make_password(PASSWORD)
        self._log = log

    def log(self, message: str) -> None:
        self._log(f"[{time.perf_counter() - self.t0:7.1f}s] {message}")

    def run(self) -> Manifest:
        if connection.vendor != "postgresql":
            raise RuntimeError("generate_load writes with COPY: it needs PostgreSQL.")
        self.t0 = time.perf_counter()
        county = County(
            self.rng, enterprises=self.n_enterprises, password=self.password, log=self.log
        )
        deadlines = Deadlines(self.calendar, self.now)
        lives = Lives(self.rng, county, deadlines, now=self.now, start=self.start)
        writer = Writer(self.rng, county, lives, deadlines, now=self.now, log=self.log)
        with transaction.atomic():
            county.build()
            writer.visits(self.n_cases // 2)  # about one for every two cases
            writer.cases(self.n_cases)
        elapsed = time.perf_counter() - self.t0
        self.log("committed")
        return Manifest(
            cases=self.n_cases,
            password=PASSWORD,
            logins={role: user.username for role, user in county.logins.items()},
            case_50=writer.case_50,
            department=county.busiest,
            category=county.categories[0].pk,
            enterprise=county.key_ids[0],
            generated_seconds=round(elapsed, 1),
            counts=writer.counts,
        )
