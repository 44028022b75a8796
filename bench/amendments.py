"""Seed 200 paragraphs with 2,000 amendments and their supports, then print median server times
and queries for the iteration page (margin counts and badges), the amendments list (default
sort, a filter, a late page), one amendment's page, and proposing one.

Usage: ``.venv/bin/python bench/amendments.py [--amendments 2000] [--supports 5] [--runs 15]``.
Runs on a throw-away SQLite file, or on DATABASE_URL if it is set (a scratch database).
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from comments import timed  # noqa: E402
from render_iterations import setup_django  # noqa: E402
from scenario import citizens, open_iteration  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--amendments", type=int, default=2_000)
    parser.add_argument("--supports", type=int, default=5, help="positions per amendment")
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    setup_django()

    from django.db import connection, transaction
    from django.test import Client, override_settings

    from charte.amendments.services import amendment_propose, amendment_support

    iteration, rows = open_iteration(args.paragraphs)
    people = citizens(max(args.supports + 1, 20))

    start = time.perf_counter()
    values = ["agree", "mixed", "disagree"]
    with transaction.atomic():
        for n in range(args.amendments):
            author = people[n % len(people)]
            amendment = amendment_propose(
                paragraph=rows[n % len(rows)],
                by=author,
                kind=("modify", "insert", "delete")[n % 3],
                text=f"Rédaction proposée {n}",
                rationale=f"Motif {n}",
            )
            for k in range(args.supports):
                supporter = people[(n + 1 + k) % len(people)]
                if supporter != author:
                    amendment_support(amendment=amendment, by=supporter, value=values[k % 3])
    seeding = time.perf_counter() - start
    print(
        f"database: {connection.vendor}; {len(rows)} paragraphs, {args.amendments} amendments "
        f"with up to {args.supports} positions each, seeded in {seeding:.0f} s; "
        f"{args.runs} runs each"
    )

    client = Client()
    client.force_login(people[0])
    base = iteration.url
    client.get(base)

    def new_amendment(n):
        return {
            "kind": "insert",
            "text": f"Un alinéa de plus {n}",
            "rationale": "Mesure",
            "send": "1",
            "submission": f"bench-{n}-{time.time_ns()}",
        }

    print(f"{'measure':<34} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for label, method, url, data_for in (
        ("iteration page (margin)", "get", base, None),
        ("amendments list (most supported)", "get", f"{base}amendments/", None),
        (
            "list, filtered by status+kind",
            "get",
            f"{base}amendments/?status=submitted&kind=modify",
            None,
        ),
        ("list, page 50, newest", "get", f"{base}amendments/?sort=newest&page=50", None),
        ("one amendment's page", "get", f"{base}amendments/1/", None),
        ("propose an amendment", "post", f"{base}p/{rows[3].key}/amend/", new_amendment),
    ):
        with override_settings(POST_RATE_LIMITS="100000/60"):
            median, worst, queries = timed(client, method, url, args.runs, data_for)
        print(f"{label:<34} {median:>10.1f} {worst:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
