"""Seed a debate with 5,000 arguments and their supports, then print median server times and
queries for the pages of arguments (first page, a late page, each sort), one argument's page,
adding an argument and supporting one.

Usage: ``.venv/bin/python bench/debates.py [--arguments 5000] [--supports 5] [--runs 15]``.
Runs on a throw-away SQLite file, or on DATABASE_URL if it is set (a scratch database).
Arguments and supports are written in bulk (the services would check the window and identity
of each, which is not what is measured here).
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from comments import timed  # noqa: E402
from render_iterations import setup_django  # noqa: E402
from scenario import citizens  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arguments", type=int, default=5_000)
    parser.add_argument("--supports", type=int, default=5, help="supports per argument")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    setup_django()

    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.utils import timezone

    from charte.models import Argument, ArgumentSupport
    from tests import factories

    stamp = time.time_ns()
    editor = factories.editor(f"bench-editor-{stamp}")
    charter = factories.make_charter(slug=f"charte-debat-{stamp}", user=editor)
    debate = factories.make_debate(charter, user=editor, slug=f"debat-{stamp}")
    people = citizens(max(args.supports + 1, 40))

    start = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        arguments = Argument.objects.bulk_create(
            Argument(
                debate=debate,
                side="for" if n % 2 else "against",
                title=f"Argument {n}",
                text=f"Parce que {n} raisons le justifient, dans chaque quartier.",
                author=people[n % len(people)],
                created_at=now - timezone.timedelta(minutes=n),
            )
            for n in range(args.arguments)
        )
        ArgumentSupport.objects.bulk_create(
            ArgumentSupport(argument=argument, user=people[(n + 1 + k) % len(people)])
            for n, argument in enumerate(arguments)
            for k in range((n * 7) % (args.supports + 1))
        )
    seeding = time.perf_counter() - start
    supports = ArgumentSupport.objects.filter(argument__debate=debate).count()
    print(
        f"database: {connection.vendor}; one debate, {args.arguments} arguments with "
        f"{supports} supports, seeded in {seeding:.0f} s; {args.runs} runs each"
    )

    client = Client()
    client.force_login(people[0])
    base = debate.url
    client.get(base)
    target = arguments[1]

    def new_argument(n):
        return {
            "side": "for",
            "title": f"Encore un argument {n}",
            "text": "Un argument de plus.",
            "submission": f"bench-{n}-{time.time_ns()}",
        }

    pages = args.arguments // 2 // 10
    print(f"{'measure':<34} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for label, method, url, data_for in (
        ("debate page (both columns)", "get", base, None),
        ("newest first, both columns", "get", f"{base}?for_sort=newest&against_sort=newest", None),
        ("late page of one column", "get", f"{base}?for_page={pages}", None),
        ("one argument's page", "get", f"{base}a/{target.pk}/", None),
        ("add an argument", "post", f"{base}argue/", new_argument),
        ("support an argument", "post", f"{base}a/{target.pk}/support/", lambda n: {}),
    ):
        with override_settings(POST_RATE_LIMITS="100000/60"):
            median, worst, queries = timed(client, method, url, args.runs, data_for)
        print(f"{label:<34} {median:>10.1f} {worst:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
