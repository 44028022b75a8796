"""Search at volume: write N entries through the engine (as a rebuild does) and print the
write throughput, then the latency (median and 95th percentile) of a fixed set of French
queries, with and without facets and filters.

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
    from charte import demo_content as demo

    texts = []
    for version in (demo.V1, demo.V2):
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
    args = parser.parse_args()
    setup_django()

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
    cases = [
        ("text only", {}),
        ("text + kind + author type", {"kind": "comment", "author_type": "association"}),
    ]
    print(f"{'queries':<28} {'median ms':>10} {'p95 ms':>8} {'results (median)':>17}")
    for label, filters in cases:
        timings, totals = [], []
        for _run in range(args.runs):
            for text in QUERIES:
                began = time.perf_counter()
                results = engine.search(Query(text=text, filters=dict(filters)))
                timings.append((time.perf_counter() - began) * 1000)
                totals.append(results.total)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"{label:<28} {statistics.median(timings):>10.1f} {p95:>8.1f} "
            f"{statistics.median(totals):>17,.0f}"
        )
    print("(every search computes the 8 facets with their counts and the highlighted excerpts)")


if __name__ == "__main__":
    main()
