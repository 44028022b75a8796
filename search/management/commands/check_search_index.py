"""Compare the entries the database says should exist with those in the index."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from search import documents
from search.engines import get_engine
from search.models import RebuildInProgress


class Command(BaseCommand):
    help = "Compare, kind by kind, the entries expected from the database with the index."

    def handle(self, *args, **options):
        running = RebuildInProgress.objects.first()
        if running is not None:
            self.stdout.write(
                self.style.WARNING(
                    f"A rebuild is marked as running since {running.started_at:%Y-%m-%d %H:%M}: "
                    "if none is (it was interrupted), run `manage.py rebuild_search_index` again."
                )
            )
        expected = Counter(entry.kind for entry in documents.all_entries())
        indexed = Counter(get_engine().counts_by_kind())
        differences = 0
        self.stdout.write(f"{'kind':<12} {'database':>10} {'index':>10}")
        for kind in sorted(set(expected) | set(indexed)):
            mark = "" if expected[kind] == indexed[kind] else "  ← differs"
            differences += bool(mark)
            self.stdout.write(f"{kind:<12} {expected[kind]:>10} {indexed[kind]:>10}{mark}")
        if differences:
            raise CommandError(
                "The index differs from the database: run `manage.py rebuild_search_index`."
            )
        self.stdout.write(self.style.SUCCESS("The index matches the database."))
