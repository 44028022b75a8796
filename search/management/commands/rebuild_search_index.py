"""Rebuild the search index from the database, showing progress and throughput."""

import sys
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from search import documents
from search.engines import get_engine

BATCH = 500


class Command(BaseCommand):
    help = "Rebuild the search index from the database (the source of truth)."

    def handle(self, *args, **options):
        engine = get_engine(for_indexing=True)
        visible_ids = documents.public_page_ids()
        objects = {name: everything() for name, (_e, everything) in documents.KINDS.items()}
        total = sum(len(o) if isinstance(o, list) else o.count() for o in objects.values())
        done = written = 0
        start = time.perf_counter()
        # Readers keep the old index until the new one is complete: one transaction for the
        # database engine, a new index swapped in behind the alias for Elasticsearch.
        with transaction.atomic():
            target = engine.start_rebuild()
            batch = []
            for name, queryset in objects.items():
                entries_of = documents.KINDS[name][0]
                iterator = queryset if isinstance(queryset, list) else queryset.iterator(BATCH)
                for obj in iterator:
                    batch.extend(entries_of(obj, visible_ids))
                    done += 1
                    if len(batch) >= BATCH:
                        engine.write(batch, index=target)
                        written += len(batch)
                        batch = []
                        self.progress(done, total, written, start)
            engine.write(batch, index=target)
            written += len(batch)
            engine.finish_rebuild(target)
        self.progress(done, total, written, start, final=True)
        elapsed = max(time.perf_counter() - start, 1e-6)
        self.stdout.write(
            f"{written} entries from {done} objects in {elapsed:.1f} s "
            f"({written / elapsed:,.0f} entries/s) with the {engine.name} engine."
        )

    def progress(self, done, total, written, start, final=False):
        width = 30
        filled = int(width * done / total) if total else width
        rate = written / max(time.perf_counter() - start, 1e-6)
        bar = "#" * filled + "." * (width - filled)
        line = f"[{bar}] {done}/{total} objects, {rate:,.0f} entries/s"
        if sys.stderr.isatty():
            self.stderr.write("\r" + line, ending="\n" if final else "")
        elif final or done % (BATCH * 20) < 1:
            self.stderr.write(line)
