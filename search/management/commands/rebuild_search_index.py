"""Rebuild the search index from the database, showing progress and throughput."""

import sys
import time

from django.core.management.base import BaseCommand

from search import documents
from search.engines import get_engine

BATCH = 500


class Command(BaseCommand):
    help = "Rebuild the search index from the database (the source of truth)."

    def handle(self, *args, **options):
        engine = get_engine(for_indexing=True)
        total = documents.object_count()
        done = written = 0
        start = time.perf_counter()
        # Readers keep the old index until the new one is complete: one transaction for the
        # database engine, a new index swapped in behind the alias for Elasticsearch.
        with engine.rebuilding() as write:
            for count, entries in documents.batches(BATCH):
                write(entries)
                done += count
                written += len(entries)
                self.progress(done, total, written, start)
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
        elif final or done % (BATCH * 20) < BATCH:
            self.stderr.write(line)
