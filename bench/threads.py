"""One thread of 300 comments (a third of them replies), shown on the paragraph's page and as
the discussion panel, to an anonymous reader and to a signed-in one: median server time,
queries, and the share of the time spent rendering the discussion's templates.

Usage: ``.venv/bin/python bench/threads.py [--thread 300] [--runs 15] [--profile]``. Runs on a
throw-away SQLite file, or on DATABASE_URL if it is set (a scratch database). Prints figures.
"""

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_iterations import setup_django  # noqa: E402
from scenario import citizens, open_iteration  # noqa: E402


def measure(client, url, runs, headers=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, headers=headers)  # warm
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
    return statistics.median(timings), len(captured), len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thread", type=int, default=300, help="comments on the thread")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--profile", action="store_true", help="print the top of a profile")
    args = parser.parse_args()
    setup_django()

    from django.db import transaction
    from django.test import Client

    from charte.discussions.services import comment_post

    iteration, rows = open_iteration(10)
    authors = citizens(20)
    paragraph = rows[0]
    with transaction.atomic():
        parent = None
        for n in range(args.thread):
            parent = comment_post(
                paragraph=paragraph,
                by=authors[n % 20],
                text=f"Avis {n} : voir https://exemple.fr/{n}\nsur deux lignes",
                parent_id=parent.pk if parent is not None and n % 3 and parent.level < 2 else None,
            )
    url = f"{iteration.url}p/{paragraph.key}/"
    panel = {"X-Discussion-Panel": "1"}
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(authors[1])
    print(f"{args.thread} comments; {args.runs} runs each")
    print(f"{'measure':<30} {'median ms':>10} {'queries':>8} {'KB':>6}")
    for label, client, headers in (
        ("page, anonymous", anonymous, None),
        ("page, signed in", signed_in, None),
        ("panel, anonymous", anonymous, panel),
        ("panel, signed in", signed_in, panel),
    ):
        median, queries, size = measure(client, url, args.runs, headers)
        print(f"{label:<30} {median:>10.1f} {queries:>8} {size / 1024:>6.0f}")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(5):
            signed_in.get(url, headers=panel)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats("charte|template|urls", 40)


if __name__ == "__main__":
    main()
