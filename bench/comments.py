"""Seed 200 paragraphs and 20,000 comments, then print median server times and queries for the
iteration page (comment counts), one thread of 300 comments (page, panel, JSON API), and
posting a comment.

Usage: ``.venv/bin/python bench/comments.py [--comments 20000] [--runs 15]``. Runs on a
throw-away SQLite file, or on DATABASE_URL if it is set (a scratch database). Prints figures.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_iterations import setup_django  # noqa: E402
from scenario import citizens, open_iteration  # noqa: E402


def timed(client, method, url, runs, data_for=None, headers=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], 0
    for n in range(runs):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            if method == "post":
                response = client.post(url, data_for(n), headers=headers)
            else:
                response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
        assert response.status_code in (200, 302), response.status_code
    return statistics.median(timings), max(timings), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--thread", type=int, default=300, help="comments on the measured thread")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    setup_django()

    from django.db import connection, transaction
    from django.test import Client, override_settings

    from charte.discussions.services import comment_post

    iteration, rows = open_iteration(args.paragraphs)
    authors = citizens(50)

    start = time.perf_counter()
    thread_row = rows[0]
    with transaction.atomic():
        for n in range(args.thread):
            comment_post(paragraph=thread_row, by=authors[n % 50], text=f"Avis {n} sur le fil")
        others = args.comments - args.thread
        for n in range(others):
            comment_post(
                paragraph=rows[1 + n % (len(rows) - 1)], by=authors[n % 50], text=f"Avis {n}"
            )
    seeding = time.perf_counter() - start
    print(
        f"database: {connection.vendor}; {len(rows)} paragraphs, {args.comments} comments "
        f"seeded in {seeding:.0f} s; {args.runs} runs each"
    )

    client = Client()
    client.force_login(authors[0])
    thread_url = f"{iteration.url}p/{thread_row.key}/"
    client.get(iteration.url)
    print(f"{'measure':<34} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    panel = {"X-Discussion-Panel": "1"}

    def new_comment(n):
        return {"comment": f"Nouvel avis {n}", "submission": f"bench-{n}-{time.time_ns()}"}

    api = f"/api/paragraphs/{thread_row.pk}/comments/"
    for label, method, url, data_for, headers in (
        ("iteration page (counts)", "get", iteration.url, None, None),
        (f"one thread ({args.thread} comments)", "get", thread_url, None, None),
        ("the same thread, as a panel", "get", thread_url, None, panel),
        ("the same thread, API (all)", "get", f"{api}?page_size=500", None, None),
        (
            "counts of the iteration, API",
            "get",
            f"/api/iterations/{iteration.pk}/comments/count/",
            None,
            None,
        ),
        ("post a comment", "post", f"{iteration.url}p/{rows[5].key}/comment/", new_comment, None),
        (
            "post a comment from the panel",
            "post",
            f"{iteration.url}p/{rows[6].key}/comment/",
            new_comment,
            panel,
        ),
    ):
        # Posting limits lifted for the measure (the API's, 300 a minute, are not reached).
        with override_settings(POST_RATE_LIMITS="100000/60"):
            median, worst, queries = timed(client, method, url, args.runs, data_for, headers)
        print(f"{label:<34} {median:>10.1f} {worst:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
