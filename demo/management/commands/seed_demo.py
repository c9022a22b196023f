"""``manage.py seed_demo``: the demo county of 进贤县 (DESIGN §8, §10), idempotent."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seed import DEMO_PASSWORD, DEMO_USERNAMES, CountyNotEmpty, seed_demo_county


class Command(BaseCommand):
    help = (
        "Build the demo county of 进贤县: departments, 33 key enterprises with 1+2+N task forces, "
        "visits and cases in every state, and the demo logins. Does nothing if it already exists."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates demo logins with a published "
                "password, which must never exist in production."
            )
        started = time.monotonic()
        try:
            report = seed_demo_county()
        except CountyNotEmpty as error:
            raise CommandError(str(error)) from error
        if report is None:
            self.stdout.write(
                "The demo county is already there (its demo logins exist); nothing changed."
            )
            return
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Built the demo county of 进贤县, with 安义县 beside it in 南昌市, in {elapsed:.1f}s."
            )
        )
        self.stdout.write(
            "  " + ", ".join(f"{name}: {count}" for name, count in report.counts.items())
        )
        self.stdout.write(
            "  cases by status: "
            + ", ".join(f"{status} {count}" for status, count in report.by_status.items())
        )
        if report.truncated:
            self.stdout.write(f"  {report.truncated} case histories stop at the present.")
        self.stdout.write(f"  Demo logins ({', '.join(DEMO_USERNAMES)}), password: {DEMO_PASSWORD}")
