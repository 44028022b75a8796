"""Seed a version of 1,000 paragraphs with 300 amendments (three on each of 100 paragraphs, two
of them near-duplicates), then print the median server time and queries of the team's inbox
(default, filtered by answer state, a paragraph's group form) and of one group answer of
every amendment of the text.

Usage: ``.venv/bin/python bench/answers.py [--paragraphs 1000] [--amendments 300] [--runs 9]``.
Runs on a throw-away SQLite file, or on DATABASE_URL if it is set (a scratch database).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from comments import timed  # noqa: E402
from documents import signed_in_with_second_factor  # noqa: E402
from render_iterations import setup_django  # noqa: E402
from scenario import citizens, open_iteration  # noqa: E402

# The project's own ``search`` package, not bench/search.py beside this script.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDINGS = (
    "Les pistes cyclables sont prolongées jusqu'au port et sécurisées la nuit {n}.",
    "Les pistes cyclables sont prolongées jusqu'au port, et éclairées la nuit {n}.",
    "Un conseil de quartier est créé dans chaque commune associée {n}.",
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=1_000)
    parser.add_argument("--amendments", type=int, default=300)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    setup_django()

    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from charte.amendments.services import amendment_propose, amendments_answer_group
    from charte.models import Amendment
    from tests import factories

    iteration, rows = open_iteration(args.paragraphs)
    people = citizens(20)
    start = time.perf_counter()
    with transaction.atomic():
        for n in range(args.amendments):
            amendment_propose(
                paragraph=rows[(n // 3) * (len(rows) // max(args.amendments // 3, 1))],
                by=people[n % len(people)],
                kind="modify",
                text=WORDINGS[n % 3].format(n=n // 3),
                rationale=f"Motif {n}",
            )
    seeding = time.perf_counter() - start
    print(
        f"database: {connection.vendor}; {len(rows)} paragraphs, {args.amendments} amendments, "
        f"seeded in {seeding:.0f} s; {args.runs} runs each"
    )

    editor = factories.editor(f"bench-answers-{time.time_ns()}")
    client = Client()
    signed_in_with_second_factor(client, editor)
    first = Amendment.objects.filter(iteration=iteration).order_by("number").first()
    print(f"{'measure':<34} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for label, url in (
        ("inbox (grouped, similar)", "/admin/amendments/"),
        ("inbox, awaiting an answer", "/admin/amendments/?answer_state=none"),
        ("inbox, page 10", "/admin/amendments/?p=10"),
        ("a paragraph's group form", f"/admin/amendments/group/{first.paragraph_id}/?with="),
    ):
        median, worst, queries = timed(client, "get", url, args.runs)
        print(f"{label:<34} {median:>10.1f} {worst:>8.1f} {queries:>8}")

    # One answer for every amendment of the text, rolled back after each run.
    timings, queries = [], 0
    amendments = list(Amendment.objects.filter(iteration=iteration))
    for _run in range(args.runs):
        with transaction.atomic():
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                amendments_answer_group(
                    amendments=amendments, status="rejected", response="Déjà prévu.", by=editor
                )
            timings.append((time.perf_counter() - start) * 1000)
            queries = len(captured)
            transaction.set_rollback(True)
    label = f"group answer of {len(amendments)}"
    print(f"{label:<34} {statistics.median(timings):>10.1f} {max(timings):>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
