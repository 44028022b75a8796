"""The comparison of two frozen versions, a paragraph's history and the synthesis of a closed
consultation, at 200 and 1,000 paragraphs: median server time and queries, cold (nothing
kept) and warm (kept rendering), and the answer to a reader who holds the page (304).

Usage: ``.venv/bin/python bench/history.py [--runs 9] [--sizes 200,1000] [--comments 20000]``.
Runs on a throw-away SQLite file, or on DATABASE_URL if it is set (the database is then
written to: use a scratch database). Nothing here is a pass/fail test: it prints figures.
"""

import argparse
import copy
import datetime
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(ROOT / "bench")]

from render_iterations import setup_django  # noqa: E402


def measure(client, url, runs, *, cold, headers=None):
    """Median ms and the queries of the last run; ``cold`` empties the cache before each."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, status = [], None
    for _ in range(runs):
        if cold:
            cache.clear()
            client.get("/")  # the site's identity and menus: not what is measured
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **(headers or {}))
        timings.append((time.perf_counter() - start) * 1000)
        status = response.status_code
    return statistics.median(timings), len(queries), status, response


def build(size, comments, editor):
    """A charter whose version 1 (``size`` paragraphs, a tenth of them amended, ``comments``
    comments) was closed and followed by version 2 (every seventh paragraph reworded, every
    23rd removed, the accepted amendments integrated), itself open."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Max
    from django.utils import timezone

    from charte.amendments.services import amendment_answer, amendment_propose
    from charte.models import Comment, Paragraph
    from charte.texts import services
    from tests import factories
    from tests.bulk import write_comments
    from tests.charte.discussions.test_comments import make_citizen

    charter = factories.make_charter(
        title=f"Charte {size}", slug=f"charte-{size}-{time.time_ns()}", user=editor
    )
    first = factories.make_iteration(charter, factories.body_with(size), user=editor)
    services.iteration_open(iteration=first, by=editor)
    rows = list(Paragraph.objects.filter(iteration=first).order_by("position"))
    citizens = [make_citizen(f"h{size}-{n}", f"Habitant {size}-{n}") for n in range(40)]
    for n, row in enumerate(rows[:: max(1, size // (size // 10 or 1))][: size // 10]):
        amendment = amendment_propose(
            paragraph=row,
            by=citizens[n % len(citizens)],
            kind="modify",
            text=f"{row.text} Chaque année, un bilan est publié ({n}).",
            rationale="Plus précis.",
        )
        amendment_answer(amendment=amendment, status="accepted", response="Retenu.", by=editor)
    kind = ContentType.objects.get_for_model(Paragraph).pk
    start = (Comment.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    when = timezone.now() - datetime.timedelta(days=3)
    write_comments(
        (
            pk,
            kind,
            rows[pk % len(rows)].pk,
            citizens[pk % len(citizens)].pk,
            citizens[pk % len(citizens)].pseudonym,
            "Un avis sur cet alinéa, avec une proposition concrète.",
            when + datetime.timedelta(seconds=pk % 86400),
            True,
        )
        for pk in range(start, start + comments)
    )
    services.iteration_close(iteration=first, by=editor)
    draft = services.iteration_start_next(charter=charter, by=editor)
    sections = copy.deepcopy(list(draft.body.raw_data))
    position = 0
    for section in sections:
        for article in section["value"]["articles"]:
            kept = []
            for paragraph in article["value"]["paragraphs"]:
                position += 1
                if position % 23 == 0:
                    continue
                if position % 7 == 0:
                    paragraph["value"] = paragraph["value"].replace("répondre", "répondre vite")
                kept.append(paragraph)
            article["value"]["paragraphs"] = kept
    draft.body = sections
    draft.save_revision(user=editor).publish(user=editor)
    second = services.iteration_open(
        iteration=draft, by=editor, closes_at=timezone.now() + datetime.timedelta(days=10)
    )
    first.refresh_from_db()
    return charter, first, second, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="requests per measure (default 9)")
    parser.add_argument("--sizes", default="200,1000", help="paragraph counts")
    parser.add_argument("--comments", type=int, default=20_000, help="comments on version 1")
    args = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    # One client asks for the same page many times: not what the rate limit is for.
    settings.DOCUMENT_RATE_LIMITS = "1000000/60"

    from tests import factories

    editor = factories.editor("bench-editor")
    client = Client()
    print(f"database: {connection.vendor}, runs per measure: {args.runs}")
    print(f"{'page':<34} {'cold ms':>8} {'q':>4} {'warm ms':>8} {'q':>4} {'304 ms':>7} {'q':>3}")
    for size in (int(s) for s in args.sizes.split(",")):
        charter, first, second, rows = build(size, args.comments, editor)
        pages = {
            f"comparison, {size} paragraphs": f"{charter.url}compare/1/2/",
            f"history, {size} paragraphs": second.url
            + second.reverse_subpage("paragraph_history", args=[rows[6].key]),
            f"synthesis, {size} paragraphs": f"{first.url}synthesis/",
        }
        for label, url in pages.items():
            cold_ms, cold_q, status, _ = measure(client, url, args.runs, cold=True)
            assert status == 200, (label, status)
            client.get(url)
            warm_ms, warm_q, status, response = measure(client, url, args.runs, cold=False)
            etag = response.headers["ETag"]
            held_ms, held_q, status, _ = measure(
                client, url, args.runs, cold=False, headers={"HTTP_IF_NONE_MATCH": etag}
            )
            assert status == 304, (label, status)
            print(
                f"{label:<34} {cold_ms:>8.1f} {cold_q:>4} {warm_ms:>8.1f} {warm_q:>4} "
                f"{held_ms:>7.1f} {held_q:>3}"
            )


if __name__ == "__main__":
    main()
