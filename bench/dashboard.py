"""Seed a 1,000-paragraph version in consultation with 20,000 comments (some held for
pre-moderation, some reported), 300 amendments awaiting an answer, an open debate and a queue
of tasks, then print the median server time and the queries of the admin's home (the team's
dashboard), for a member of the communication team and for an administrator, and the
dashboard's own figures apart.

Usage: ``.venv/bin/python bench/dashboard.py [--comments 20000] [--runs 15]``. Runs on a
throw-away SQLite file, or on DATABASE_URL if it is set (a scratch database). Prints figures.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from documents import signed_in_with_second_factor  # noqa: E402
from render_iterations import setup_django  # noqa: E402
from scenario import citizens, open_iteration  # noqa: E402


def timed(client, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/admin/")
    timings, queries = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/admin/")
        timings.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
        assert response.status_code == 200, response.status_code
        assert b"charte-dashboard" in response.content
    return statistics.median(timings), max(timings), queries


def figures_only(user, runs):
    """The dashboard's own figures (its panel's context), without Wagtail's page around."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from charte.dashboard.admin import DashboardPanel

    request = RequestFactory().get("/admin/")
    request.user = user
    timings, queries = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            DashboardPanel(request).get_context_data()
        timings.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    return statistics.median(timings), max(timings), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--paragraphs", type=int, default=1_000)
    parser.add_argument("--amendments", type=int, default=300)
    parser.add_argument("--tasks", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    setup_django()

    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import connection
    from django.test import Client

    from tests import factories
    from tests.charte.dashboard import volume

    start = time.perf_counter()
    iteration, rows = open_iteration(args.paragraphs)
    authors = citizens(50)
    ids = volume.seed_comments(rows, authors, args.comments, days=30, pending_every=100)
    volume.seed_reports(ids[: args.comments // 100], authors)
    volume.seed_amendments(iteration, rows, authors, args.amendments)
    volume.seed_tasks(args.tasks)
    factories.make_debate(iteration.get_parent())
    print(
        f"database: {connection.vendor}; {len(rows)} paragraphs, {args.comments} comments, "
        f"{args.amendments} amendments, {args.tasks} tasks seeded in "
        f"{time.perf_counter() - start:.0f} s; {args.runs} runs each"
    )

    stamp = time.time_ns()
    team = factories.editor(f"bench-team-{stamp}")
    admin = factories.UserFactory(username=f"bench-admin-{stamp}", is_superuser=True)
    TOTP.activate(admin, factories.TOTP_SECRET)
    print(f"{'admin home (dashboard)':<34} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for label, user in (("communication team", team), ("administrator (+ worker)", admin)):
        client = Client()
        signed_in_with_second_factor(client, user)
        median, worst, queries = timed(client, args.runs)
        print(f"{label:<34} {median:>10.1f} {worst:>8.1f} {queries:>8}")
        median, worst, queries = figures_only(user, args.runs)
        print(f"{'  of which the figures':<34} {median:>10.1f} {worst:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
