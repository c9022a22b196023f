from django.core.management.base import BaseCommand

from cases.calendar import deadlines_recount


class Command(BaseCommand):
    help = (
        "Move every open deadline that was counted in working days to where the count lands on "
        "the calendar as it is now, with an event on each moved case, and replan every open "
        "case's reminders once. Run it once after upgrading to the statutory estimate (deadlines "
        "stored before it counted unpublished years Monday to Friday), or after loading data "
        "around the workflow; the office's calendar edits do this by themselves."
    )

    def handle(self, *args, **options):
        moved = deadlines_recount()
        self.stdout.write(f"Recounted the open deadlines: {len(moved)} case(s) moved.")
