"""Render iterations of 50, 200 and 1,000 paragraphs; print median server time and queries.

Usage: ``make bench`` (or ``.venv/bin/python bench/render_iterations.py [--runs 15]``).
Runs on a throw-away SQLite file, or on DATABASE_URL if it is set (the database is then
written to: use a scratch database). Nothing here is a pass/fail test: it prints figures.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]


def setup_django():
    scratch = None
    if not os.environ.get("DATABASE_URL"):
        scratch = tempfile.mkdtemp(prefix="charte-bench-")
        os.environ["SQLITE_PATH"] = str(Path(scratch) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")
    warnings.filterwarnings("ignore", "No directory at")  # no collectstatic needed here
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return scratch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="renders per size (default 15)")
    parser.add_argument("--sizes", default="50,200,1000", help="paragraph counts")
    args = parser.parse_args()
    setup_django()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from charte.texts import services
    from tests import factories

    editor = factories.editor("bench-editor")
    client = Client()
    print(f"database: {connection.vendor}, runs per size: {args.runs}")
    print(f"{'paragraphs':>10} {'median ms':>10} {'p90 ms':>8} {'queries':>8} {'KiB':>6}")
    for size in (int(s) for s in args.sizes.split(",")):
        charter = factories.make_charter(
            title=f"Charte {size}", slug=f"charte-{size}-{time.time_ns()}", user=editor
        )
        iteration = factories.make_iteration(charter, factories.body_with(size), user=editor)
        services.iteration_open(iteration=iteration, by=editor)
        url = iteration.url
        client.get(url)  # warm caches
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        timings.sort()
        p90 = timings[min(len(timings) - 1, int(len(timings) * 0.9))]
        print(
            f"{size:>10} {statistics.median(timings):>10.1f} {p90:>8.1f} "
            f"{len(queries):>8} {len(response.content) / 1024:>6.0f}"
        )


if __name__ == "__main__":
    main()
