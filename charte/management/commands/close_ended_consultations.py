"""Publish the versions whose scheduled opening has come, and record as closed every
consultation whose window has ended. Run it from cron, e.g. every five minutes: a version opened
for a later date is not public before this runs after its opening; the public site already
treats ended consultations as closed without it."""

from django.core.management.base import BaseCommand

from charte.texts import services


class Command(BaseCommand):
    help = (
        "Publish the versions whose scheduled opening has come and record as closed the "
        "consultations whose window has ended (logs each one)."
    )

    def handle(self, *args, **options):
        opened = services.open_scheduled_consultations()
        for iteration in opened:
            self.stdout.write(f"Opened: {iteration.title} (#{iteration.pk})")
        closed = services.close_ended_consultations()
        for iteration in closed:
            self.stdout.write(f"Closed: {iteration.title} (#{iteration.pk})")
        self.stdout.write(f"{len(closed)} consultation(s) closed.")
