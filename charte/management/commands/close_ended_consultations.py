"""Record as closed every consultation whose window has ended. Run it from cron, e.g. every
five minutes; the public site already treats such consultations as closed without it."""

from django.core.management.base import BaseCommand

from charte.texts import services


class Command(BaseCommand):
    help = "Record as closed the consultations whose window has ended (logs each one)."

    def handle(self, *args, **options):
        closed = services.close_ended_consultations()
        for iteration in closed:
            self.stdout.write(f"Closed: {iteration.title} (#{iteration.pk})")
        self.stdout.write(f"{len(closed)} consultation(s) closed.")
