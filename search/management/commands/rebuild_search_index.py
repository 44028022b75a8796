"""Rebuild the search index from the database, showing progress and throughput."""

import sys
import time

from django.core.management.base import BaseCommand

from search import documents, rebuild
from search.engines import get_engine
from search.indexing import refresh

BATCH = 500


class Command(BaseCommand):
    help = "Rebuild the search index from the database (the source of truth)."

    def handle(self, *args, **options):
        engine = get_engine(for_indexing=True)
        total = documents.object_count()
        done = written = 0
        start = time.perf_counter()
        # The new index is built aside (a table of its own for the database engine, a new
        # index behind the alias for Elasticsearch) and swapped in once complete; readers and
        # contributors keep the old one meanwhile. What was indexed during the rebuild went to
        # the old index: it is indexed again, from the database, once the new one is in place.
        rebuild.start()
        try:
            with engine.rebuilding() as write:
                for count, entries in documents.batches(BATCH):
                    write(entries)
                    done += count
                    written += len(entries)
                    self.progress(done, total, written, start)
        except BaseException:
            rebuild.abandon()
            raise
        replayed = rebuild.finish(refresh)
        self.progress(done, total, written, start, final=True)
        elapsed = max(time.perf_counter() - start, 1e-6)
        self.stdout.write(
            f"{written} entries from {done} objects in {elapsed:.1f} s "
            f"({written / elapsed:,.0f} entries/s) with the {engine.name} engine; "
            f"{replayed} objects changed meanwhile indexed again."
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
