"""BENCHMARK=1 python manage.py generate_load --cases 1000000 --counties 10 [--manifest …json]"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.generator import Generator
from cases.models import Case


class Command(BaseCommand):
    help = (
        "Fill PostgreSQL with a county-years mix of cases for the scale benchmark (COPY, minutes "
        "for a million). Refuses production mode and a database that already holds cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument(
            "--counties",
            type=int,
            default=1,
            help="counties of one city sharing the cases evenly, each with its own departments, "
            "enterprises and task forces (default 1)",
        )
        parser.add_argument(
            "--enterprises",
            type=int,
            help="per county; default: one per 30 of its cases, at least 3,000",
        )
        parser.add_argument("--years", type=int, help="default: 3 to 10, with the size")
        parser.add_argument("--seed", type=int, default=20210422)
        parser.add_argument("--manifest", help="write the logins and ids (JSON) to this file")
        parser.add_argument(
            "--append", action="store_true", help="add to a database that already holds cases"
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not settings.BENCH_ALLOW_LOAD:
            raise CommandError(
                "Refusing to load benchmark data in production mode (DEBUG is off); "
                "set BENCH_ALLOW_LOAD=1 for a benchmark database."
            )
        if connection.vendor != "postgresql":
            raise CommandError("generate_load writes with COPY: set DATABASE_URL to PostgreSQL.")
        if options["cases"] < 1000:
            raise CommandError("--cases must be at least 1000.")
        if not 1 <= options["counties"] <= options["cases"] // 100:
            raise CommandError("--counties must be at least 1, with 100 cases or more each.")
        if Case.objects.exists() and not options["append"]:
            raise CommandError("The database already holds cases; pass --append to add to them.")
        manifest = Generator(
            cases=options["cases"],
            counties=options["counties"],
            enterprises=options["enterprises"],
            years=options["years"],
            seed=options["seed"],
            log=lambda line: self.stdout.write(line),
        ).run()
        data = dataclasses.asdict(manifest)
        if options["manifest"]:
            path = Path(options["manifest"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        self.stdout.write(json.dumps(data, ensure_ascii=False))
