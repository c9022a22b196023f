from django.core.management.base import BaseCommand

from notifications.city_reminders import city_reminders_sweep
from notifications.reminders import reminders_replan_all, reminders_sweep


class Command(BaseCommand):
    help = (
        "One reminder sweep, now: sends every due deadline reminder, exactly once "
        "(the same code the beat task runs every minute)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--replan",
            action="store_true",
            help="First recompute every open case's next reminder time (after the holiday "
            "calendar was edited, or cases were loaded around the workflow).",
        )

    def handle(self, *args, replan: bool = False, **options):
        if replan:
            changed = reminders_replan_all()
            self.stdout.write(f"Replanned reminders: {changed} case(s) changed.")
        result = reminders_sweep()
        city = city_reminders_sweep()
        self.stdout.write(
            f"Sent {result.reminders} reminder(s) for {result.cases} due case(s) "
            f"({result.notifications} notification(s)); "
            f"{city} city deadline(s) late told to the city's office."
        )
