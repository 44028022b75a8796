"""Compare the entries the database says should exist with those in the index, field by field,
and repair the differences with ``--fix``."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from search import documents
from search.engines import get_engine
from search.models import RebuildInProgress

BATCH = 500


def kind_of_key(key: str) -> str:
    return key.split(":", 1)[0]


class Command(BaseCommand):
    help = (
        "Compare every entry expected from the database with the index (a digest of its "
        "fields); report missing, extra and different entries; --fix repairs exactly those."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Write the missing and different entries again and delete the extra ones.",
        )
        parser.add_argument(
            "--examples", type=int, default=5, help="How many keys to show of each difference."
        )

    def handle(self, *args, fix=False, examples=5, **options):
        engine = get_engine(for_indexing=True)
        running = RebuildInProgress.objects.first()
        if running is not None:
            self.stdout.write(
                self.style.WARNING(
                    f"A rebuild is marked as running since {running.started_at:%Y-%m-%d %H:%M}: "
                    "if none is (it was interrupted), run `manage.py rebuild_search_index` again."
                )
            )
        from search.health import dead_letters

        given_up = dead_letters()
        if given_up:
            self.stdout.write(
                self.style.WARNING(
                    f"{given_up} indexing tasks were given up after their last try: their "
                    "entries may be stale until `manage.py check_search_index --fix`."
                )
            )
        # One digest per expected entry (a key and 12 bytes: about 100 bytes an entry), the
        # entries themselves streamed in batches, then the index streamed against them.
        expected: dict[str, bytes] = {}
        for _count, entries in documents.batches(BATCH):
            for entry in entries:
                expected[entry.key] = documents.digest(entry)
        total = len(expected)
        extra, different = [], []
        for values in engine.stored():
            key = values["key"]
            wanted = expected.pop(key, None)
            if wanted is None:
                extra.append(key)
            elif wanted != documents.digest(values):
                different.append(key)
        missing = sorted(expected)
        del expected
        self.report(total, missing, extra, different, examples)
        if not (missing or extra or different):
            self.stdout.write(self.style.SUCCESS("The index matches the database."))
            return
        if not fix:
            raise CommandError(
                "The index differs from the database: run `manage.py check_search_index --fix` "
                "(or `rebuild_search_index`)."
            )
        self.repair(engine, set(missing) | set(different), extra)
        self.stdout.write(
            self.style.SUCCESS(
                f"Repaired: {len(missing)} written, {len(different)} rewritten, "
                f"{len(extra)} deleted."
            )
        )

    def report(self, total, missing, extra, different, examples):
        self.stdout.write(f"{total} entries expected from the database.")
        for label, keys in (("missing", missing), ("extra", extra), ("different", different)):
            if not keys:
                continue
            by_kind = Counter(kind_of_key(key) for key in keys)
            kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(by_kind.items()))
            shown = ", ".join(sorted(keys)[:examples])
            self.stdout.write(f"{label}: {len(keys)} ({kinds}), for example {shown}")

    def repair(self, engine, rewrite: set, extra: list):
        for start in range(0, len(extra), BATCH):
            engine.delete(extra[start : start + BATCH])
        if not rewrite:
            return
        for _count, entries in documents.batches(BATCH):
            wanted = [entry for entry in entries if entry.key in rewrite]
            if wanted:
                engine.write(wanted)
