"""The whole load in one transaction: for each county of the city its frame, its visits, then its
cases; the city's logins and escalations; and the manifest the benchmark reads (logins, the ids
its URLs need, the counties, what was written)."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench.generator.city import CityFrame, make_counties
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
    # Each county made, the first (the measured logins') first: id, name, cases, enterprises.
    counties: list[dict] = field(default_factory=list)
    escalations: int = 0
    generated_seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


class Generator:
    def __init__(
        self,
        *,
        cases: int,
        counties: int = 1,
        enterprises: int | None = None,
        years: int | None = None,
        seed: int = 20210422,
        log: Callable[[str], None] = print,
    ):
        self.rng = random.Random(seed)
        if not 1 <= counties <= cases:
            raise ValueError("counties: at least one, and no more than the cases")
        self.n_cases = cases
        self.n_counties = counties
        # The cases shared out evenly (the first county takes what does not divide); each county
        # sized as one county of its cases would be. The years span the whole city's cases.
        self.county_cases = [cases // counties] * counties
        self.county_cases[0] += cases - sum(self.county_cases)
        self.n_enterprises = enterprises or max(3000, self.county_cases[0] // 30)
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
        deadlines = Deadlines(self.calendar, self.now)
        counters: dict[int, int] = {}  # case numbers run on across the counties (per year)
        made, counts = [], {}
        with transaction.atomic():
            county_ids = make_counties(self.n_counties)
            city = CityFrame(county_ids[0], password=self.password, log=self.log)
            city.build()
            for number, (county_id, n_cases) in enumerate(
                zip(county_ids, self.county_cases, strict=True), start=1
            ):
                county = County(
                    self.rng,
                    county_id=county_id,
                    number=number,
                    enterprises=self.n_enterprises,
                    password=self.password,
                    log=self.log,
                )
                lives = Lives(self.rng, county, deadlines, now=self.now, start=self.start)
                writer = Writer(self.rng, county, lives, deadlines, now=self.now, log=self.log)
                county.build()
                writer.visits(n_cases // 2)  # about one for every two cases
                writer.cases(n_cases, counters)
                if number == 1:
                    first, first_writer = county, writer
                written = city.escalate(county_id, county.logins["office"])
                for name, rows in [*writer.counts.items(), *written.items()]:
                    counts[name] = counts.get(name, 0) + rows
                made.append(
                    {
                        "id": county_id,
                        "name": county.county_name,
                        "cases": n_cases,
                        "enterprises": len(county.enterprise_ids),
                    }
                )
                self.log(f"county {number}/{self.n_counties} ({county.county_name}) done")
            escalations = city.count()
        elapsed = time.perf_counter() - self.t0
        self.log("committed")
        logins = {role: user.username for role, user in first.logins.items()}
        logins.update((role, user.username) for role, user in city.logins.items())
        return Manifest(
            cases=self.n_cases,
            password=PASSWORD,
            logins=logins,
            case_50=first_writer.case_50,
            department=first.busiest,
            category=first.categories[0].pk,
            enterprise=first.key_ids[0],
            counties=made,
            escalations=escalations,
            generated_seconds=round(elapsed, 1),
            counts=counts,
        )
