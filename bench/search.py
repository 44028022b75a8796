"""Search at volume: write N entries through the engine (as a rebuild does) and print the
write throughput, then the latency (median and 95th percentile) of a fixed set of French
queries, with and without facets and filters.

With ``--contributions N`` it measures instead what ``manage.py rebuild_search_index`` does
from real rows: it seeds N comments (written straight into their three tables) on the
paragraphs of an opened iteration, rebuilds the whole index and prints its throughput.

Usage: ``.venv/bin/python bench/search.py [--entries 100000] [--runs 5]``. Runs on a throw-away
SQLite file, or on DATABASE_URL if it is set (a scratch database). The entries are synthetic
contributions built from the demo charter's sentences (every kind, charter, article, status,
author type and language represented), so that the words and their frequencies are realistic.
"""

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_iterations import setup_django  # noqa: E402
from scenario import open_iteration  # noqa: E402

QUERIES = [
    "participation des jeunes",
    "transport à la demande",
    '"conseil de quartier"',
    "elus",
    "concertations",
    "budget participatif quartier",
    "accessibilité handicap",
    "réunion publique soir",
    "compte rendu",
    "associations",
]


def french_sentences():
    """Other French prose, for a corpus that is not all about the charter: the messages of the
    French catalogues installed with the site's libraries (Django, Wagtail, allauth…)."""
    import gettext
    import re
    from pathlib import Path

    import django

    site_packages = Path(django.__file__).resolve().parent.parent
    texts = set()
    for mo in site_packages.glob("*/**/locale/fr/LC_MESSAGES/*.mo"):
        with open(mo, "rb") as handle:
            catalogue = gettext.GNUTranslations(handle)._catalog
        for message in catalogue.values():
            words = re.sub(r"%\(?\w*\)?[sd]|\{\w*\}|<[^>]+>", " ", str(message)).split()
            if len(words) >= 4:
                texts.add(" ".join(words))
    return sorted(texts)


def sentences():
    from charte.demo.load import load

    texts = []
    demo = load()
    for version in (demo.v1, demo.v2):
        for section in version["sections"]:
            for article in section["articles"]:
                for paragraph in article["paragraphs"]:
                    texts.extend(part.strip() + "." for part in paragraph["fr"].split(".") if part)
    return texts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="times each query is run")
    parser.add_argument(
        "--corpus",
        choices=["mixed", "charter"],
        default="mixed",
        help="mixed: one sentence in six from the demo charter, the rest other French prose "
        "(default); charter: every sentence from the demo charter (the worst case: each "
        "query then matches a large share of all entries)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the entries a previous run wrote to this database, if it wrote as many "
        "(only the queries are measured then)",
    )
    parser.add_argument(
        "--contributions",
        type=int,
        default=0,
        help="seed this many real comments and time a rebuild of the index from them",
    )
    args = parser.parse_args()
    setup_django()
    if args.contributions:
        return rebuild(args.contributions)

    from django.conf import settings
    from django.db import connection

    from search.documents import Entry
    from search.engines import Query, get_engine
    from search.models import SearchEntry

    iteration, _rows = open_iteration(6, opened=False)
    charter = iteration.get_parent()
    rng = random.Random(7)
    pool = sentences()
    other = french_sentences() if args.corpus == "mixed" else pool

    def sentence():
        return (
            rng.choice(pool)
            if args.corpus == "charter" or rng.random() < 1 / 6
            else (rng.choice(other))
        )

    kinds = ["comment"] * 6 + ["amendment"] * 2 + ["paragraph"] * 2
    statuses = ["submitted", "accepted", "partially_accepted", "rejected", "withdrawn"]
    authors = ["resident"] * 5 + ["association", "business", "elected_member", "other"]
    start_date = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

    def entry(n):
        kind = rng.choice(kinds)
        body = " ".join(sentence() for _ in range(3))
        return Entry(
            key=f"bench:{n}",
            kind=kind,
            charter_id=charter.pk,
            charter_title=charter.title,
            iteration_id=iteration.pk,
            iteration_title=iteration.title,
            article=rng.randint(1, 12),
            amendment_status=rng.choice(statuses) if kind == "amendment" else "",
            author_type=rng.choice(authors) if kind != "paragraph" else "",
            origin="workshop" if rng.random() < 0.1 else "online",
            language="en" if rng.random() < 0.1 else "fr",
            date=start_date + datetime.timedelta(minutes=n),
            title=f"Contribution {n}",
            body=body,
            url=f"/bench/{n}/",
            page_id=iteration.pk,
        )

    engine = get_engine(for_indexing=True)
    written = SearchEntry.objects.filter(key__startswith="bench:")
    if args.reuse and written.count() == args.entries:
        print(f"database: {connection.vendor}; reusing the {args.entries:,} entries written before")
    else:
        written.delete()
        batch_size = 2_000
        start = time.perf_counter()
        for first in range(0, args.entries, batch_size):
            engine.write([entry(n) for n in range(first, min(first + batch_size, args.entries))])
        engine.finish_rebuild(None)  # as a rebuild ends: planner statistics, merged segments
        elapsed = time.perf_counter() - start
        print(
            f"database: {connection.vendor}; corpus: {args.corpus} ({len(pool):,} charter "
            f"sentences{f', {len(other):,} others' if other is not pool else ''}); "
            f"{args.entries:,} entries written in {elapsed:.0f} s "
            f"({args.entries / elapsed:,.0f} entries/s, including building them)"
        )

    engine = get_engine()
    from django.test import Client

    client = Client()

    def engine_search(text, filters):
        return engine.search(Query(text=text, filters=dict(filters))).total

    def search_page(text, filters):  # the whole page: facet labels, template, middleware
        response = client.get("/recherche/", {"q": text, **filters})
        assert response.status_code == 200, response.status_code
        return None

    filtered = {"kind": "comment", "author_type": "association"}
    # Each query's exact number of matches of its words (counted without bound, filters
    # aside: the engine reads them all to count the facets), to split the latencies of the
    # queries that match fewer entries than the bound from those that match more.
    from django.test.utils import override_settings

    bound = int(getattr(settings, "SEARCH_COUNT_LIMIT", 10_000))
    with override_settings(SEARCH_COUNT_LIMIT=10**9):
        matched = {text: engine.search(Query(text=text)).total for text in QUERIES}
    print("matches: " + ", ".join(f"{text} {matched[text]:,}" for text in QUERIES))
    cases = [
        ("text only", engine_search, {}),
        ("text + kind + author type", engine_search, filtered),
        ("search page, text only", search_page, {}),
        ("search page + filters", search_page, filtered),
    ]

    def figures(timings):
        timings = sorted(timings)
        if not timings:
            return f"{'–':>10} {'–':>8}"
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        return f"{statistics.median(timings):>10.1f} {p95:>8.1f}"

    print(f"{'queries':<28} {'median ms':>10} {'p95 ms':>8} {'results (median)':>17}")
    split = []
    for label, run, filters in cases:
        timings, totals, under, over = [], [], [], []
        for _run in range(args.runs):
            for text in QUERIES:
                began = time.perf_counter()
                total = run(text, filters)
                elapsed = (time.perf_counter() - began) * 1000
                timings.append(elapsed)
                totals.append(total)
                (under if matched[text] < bound else over).append(elapsed)
        counted = [t for t in totals if t is not None]
        median_total = f"{statistics.median(counted):,.0f}" if counted else "–"
        print(f"{label:<28} {figures(timings)} {median_total:>17}")
        split.append((label, under, over))
    print(f"\nsplit by matches (bound {bound:,})   under: median, p95 (n)   over: median, p95 (n)")
    for label, under, over in split:
        print(f"{label:<28} {figures(under)} ({len(under)}) {figures(over)} ({len(over)})")
    print("(every search computes the 8 facets with their counts and the highlighted excerpts;")
    print(" the search page adds the facet labels, the template and the middleware)")


def seed_comments(paragraphs, authors, count):
    """``count`` visible comments, spread over the paragraphs, written straight into the three
    tables of the comment model (the ORM cannot bulk-create a multi-table model)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Max

    from charte.models import Comment, Paragraph
    from tests.bulk import write_comments

    rng = random.Random(11)
    texts = sentences()
    content_type = ContentType.objects.get_for_model(Paragraph).pk
    start = (Comment.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    when = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    write_comments(
        (
            pk,
            content_type,
            paragraphs[pk % len(paragraphs)].pk,
            authors[pk % len(authors)].pk,
            authors[pk % len(authors)].pseudonym,
            " ".join(rng.choice(texts) for _ in range(3)),
            when + datetime.timedelta(seconds=pk),
            True,
        )
        for pk in range(start, start + count)
    )


def rebuild(count):
    import io

    from django.core.management import call_command
    from django.db import connection
    from scenario import citizens

    from search.models import SearchEntry

    _iteration, paragraphs = open_iteration(200)
    authors = citizens(50)
    began = time.perf_counter()
    seed_comments(paragraphs, authors, count)
    print(
        f"database: {connection.vendor}; {count:,} comments on {len(paragraphs)} paragraphs "
        f"seeded in {time.perf_counter() - began:.0f} s"
    )
    began = time.perf_counter()
    output = io.StringIO()
    call_command("rebuild_search_index", stdout=output, stderr=io.StringIO())
    elapsed = time.perf_counter() - began
    entries = SearchEntry.objects.count()
    print(output.getvalue().strip())
    print(
        f"rebuild_search_index: {entries:,} entries in {elapsed:.0f} s ({entries / elapsed:,.0f}/s)"
    )


if __name__ == "__main__":
    main()
