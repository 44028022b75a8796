"""Documents at real size: a version of 1,000 paragraphs with 300 amendments (one in ten of
500 words, the others of 40), every one answered, the consultation closed; then, for the
version's PDF, OpenDocument and Word files, the synthesis's PDF and the council's review pack:
the web request that asks for it (its HTML rendered, the build queued), the worker's build, the
request that serves the kept file (median), and its size.

Usage: ``.venv/bin/python bench/documents.py [--paragraphs 1000] [--amendments 300] [--runs 3]``.
Runs on a throw-away SQLite file, or on DATABASE_URL if it is set (a scratch database).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_iterations import setup_django  # noqa: E402
from scenario import citizens, open_iteration  # noqa: E402


def words(n, stem):
    return " ".join(f"{stem}{k}" for k in range(n))


def signed_in_with_second_factor(client, user):
    """A session that passed the password and the code steps, as allauth records them."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.http import HttpRequest

    client.force_login(user)
    authenticator = Authenticator.objects.get(user=user)
    session = client.session
    request = HttpRequest()
    request.session = session
    record_authentication(request, user, "password")
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    session.save()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=1_000)
    parser.add_argument("--amendments", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup_django()

    from django.db import connection, transaction
    from django.test import Client, override_settings

    from charte.amendments.services import amendment_answer, amendment_propose
    from charte.core import roles
    from charte.texts import services
    from tests import factories

    iteration, rows = open_iteration(args.paragraphs)
    people = citizens(20)
    editor = factories.editor(f"bench-docs-{time.time_ns()}")
    start = time.perf_counter()
    with transaction.atomic(), override_settings(POST_RATE_LIMITS="100000/60"):
        for n in range(args.amendments):
            long = n % 10 == 0
            amendment = amendment_propose(
                paragraph=rows[(n * 7) % len(rows)],
                by=people[n % len(people)],
                kind="modify",
                text=words(500 if long else 40, "mot")[:2990],
                rationale=words(60, "motif"),
            )
            amendment_answer(
                amendment=amendment,
                status=("accepted", "partially_accepted", "rejected")[n % 3],
                response=words(300 if long else 30, "raison")[:2990],
                by=editor,
            )
    services.iteration_close(iteration=iteration, by=editor)
    seeding = time.perf_counter() - start
    print(
        f"database: {connection.vendor}; {len(rows):,} paragraphs, {args.amendments} "
        f"amendments answered (one in ten of 500 words), seeded in {seeding:.0f} s; "
        f"{args.runs} runs each"
    )

    council = factories.UserFactory(
        username=f"bench-council-{time.time_ns()}", role=roles.COUNCIL_MEMBERS
    )
    anonymous, member = Client(), Client()
    signed_in_with_second_factor(member, council)
    base = iteration.url
    from charte.publications.models import BuiltDocument
    from tests.worker import work

    print(f"{'document':<28} {'asked s':>8} {'built s':>8} {'served s':>9} {'KiB':>6}")
    with override_settings(DOCUMENT_RATE_LIMITS="100000/60,100000/3600"):
        for label, client, url in (
            ("version, PDF", anonymous, f"{base}download/pdf/"),
            ("version, OpenDocument", anonymous, f"{base}download/odt/"),
            ("version, Word", anonymous, f"{base}download/docx/"),
            ("synthesis, PDF", anonymous, f"{base}synthesis/pdf/"),
            ("council's review pack, PDF", member, f"{iteration.get_parent().url}review/pack/"),
        ):
            began = time.perf_counter()
            response = client.get(url)
            asked = time.perf_counter() - began
            assert response.status_code == 202, (url, response.status_code)
            work()
            built = BuiltDocument.objects.filter(built_at__isnull=False).latest("built_at")
            built = built.build_seconds
            timings, size = [], 0
            for _run in range(args.runs):
                began = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - began)
                assert response.status_code == 200, (url, response.status_code)
                size = len(response.content)
            print(
                f"{label:<28} {asked:>8.2f} {built:>8.2f} {statistics.median(timings):>9.2f} "
                f"{size / 1024:>6.0f}"
            )


if __name__ == "__main__":
    main()
