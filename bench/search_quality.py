"""Search quality: a judged set of queries a resident would type, run on the configured engine
over a realistic corpus, scored by MRR (mean reciprocal rank of the first relevant result) and
recall@10 (the share of the relevant items found in the first ten).

The corpus: the demo charter's second version, every paragraph in French and in English (titled
as the site titles them), the demo's comments, amendments and debate arguments, thirty numbered
amendments, a fourteen-article regulation (for « article 12 »), and 3,000 comments of other
French prose (the messages of the French catalogues installed with the site's libraries) so
that common words are common; the numbered amendments' own text is of that prose too (the demo's
amendments quote the charter). The judged queries are in ``search_queries.toml`` beside this
file. A query that finds nothing is answered, as a reader would, by its « Did you mean … ? »
when the engine offers one.

Usage: ``.venv/bin/python bench/search_quality.py [--verbose]``. Runs on a throw-away SQLite
file, or on DATABASE_URL if it is set (a scratch database: its search index is replaced), with
the engine the settings choose (Elasticsearch when ELASTICSEARCH_URL is set).

``--lucene-terms`` (Elasticsearch only) is for a server whose own French analysis cannot be
trusted (the in-memory ``osmem-server``, whose light French stemmer makes every word match every
text): every title, text and query is first put through the index's French chain run by Lucene
itself (Debian's liblucene8-java, the chain of ``tests/search/lucene/FrenchChain.java``), and
the index splits the terms it receives on spaces. The engine's queries, boosts, scoring and
« Did you mean » are the server's; the words are Lucene's, as a real Elasticsearch makes them.
"""

import argparse
import dataclasses
import datetime
import random
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from render_iterations import setup_django  # noqa: E402
from scenario import open_iteration  # noqa: E402


def french_sentences():
    """The other French prose of ``bench/search.py`` (read by path: ``search`` is the app)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_search", HERE / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.french_sentences()


REGULATION = [
    "Objet du règlement",
    "Montant de l’enveloppe annuelle",
    "Qui peut déposer un projet",
    "Dépôt des projets",
    "Critères de recevabilité",
    "Analyse technique par les services",
    "Comité citoyen de sélection",
    "Vote des habitants",
    "Modalités du vote en ligne et sur papier",
    "Proclamation des résultats",
    "Réalisation des projets lauréats",
    "Suivi des travaux et information des porteurs de projet",
    "Communication et bilan",
    "Révision du règlement",
]


def corpus(place):
    """Every entry of the bench corpus, with stable keys (the judged set names them)."""
    from charte.demo.load import load
    from search.documents import Entry

    demo = load()
    rng = random.Random(11)
    start = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
    entries, by_position = [], {}

    def add(key, kind, title, body, language="fr", article=None, when=0):
        entries.append(
            Entry(
                key=key,
                kind=kind,
                **place,
                article=article,
                amendment_status="submitted" if kind == "amendment" else "",
                author_type="" if kind == "paragraph" else "resident",
                origin="online",
                language=language,
                date=start + datetime.timedelta(hours=when),
                title=title,
                body=body,
                url=f"/bench/{key}/",
            )
        )

    article = position = 0
    for section in demo.v2["sections"]:
        for item in section["articles"]:
            article += 1
            for number, paragraph in enumerate(item["paragraphs"], 1):
                position += 1
                by_position[f"p{position}"] = f"{article}.{number}"
                for language, word in (("fr", "alinéa"), ("en", "paragraph")):
                    add(
                        f"{language}:{article}.{number}",
                        "paragraph",
                        f"Article {article}, {word} {number} – {item['title'][language]}",
                        paragraph[language],
                        language,
                        article,
                    )
    for i, comment in enumerate(demo.comments_v1 + demo.comments_v2, 1):
        where = by_position.get(comment["paragraph"], "1.1")
        add(
            f"comment:demo-{i}",
            "comment",
            f"Commentaire sur l’article {where.replace('.', ', alinéa ')}",
            comment["text"],
            when=i,
        )
    for i, amendment in enumerate(demo.amendments_v1 + demo.amendments_v2, 1):
        body = "\n\n".join(p for p in (amendment.get("text"), amendment["rationale"]) if p)
        add(f"amendment:demo-{i}", "amendment", f"Amendement n° {40 + i}", body, when=i)
    for i, argument in enumerate(demo.debate_arguments, 1):
        side = "pour" if argument["side"] == "for" else "contre"
        title = f"Argument {side} : {argument['title']}"
        add(f"argument:demo-{i}", "argument", title, argument["text"], when=i)
    add("debate:demo", "debate", demo.debate["question"]["fr"], "", when=1)

    prose = french_sentences()
    for number in range(1, 31):
        article, paragraph = rng.randint(1, 8), rng.randint(1, 5)
        body = (
            f"Modifier l’alinéa {paragraph} de l’article {article} ainsi : "
            f"{rng.choice(prose)} {rng.choice(prose)}"
        )
        add(f"amendment:{number}", "amendment", f"Amendement n° {number}", body, article=article)
    for article, title in enumerate(REGULATION, 1):
        for number in (1, 2):
            body = f"{title}. " + " ".join(rng.choice(prose) for _ in range(2))
            add(
                f"regulation:{article}.{number}",
                "paragraph",
                f"Article {article}, alinéa {number} – {title}",
                body,
                article=article,
            )
    for i in range(3000):
        article, paragraph = rng.randint(1, 8), rng.randint(1, 5)
        add(
            f"comment:{i}",
            "comment",
            f"Commentaire sur l’article {article}, alinéa {paragraph}",
            " ".join(rng.choice(prose) for _ in range(2)),
            when=100 + i,
        )
    return entries


LUCENE_JARS = [
    "/usr/share/java/lucene-core-8.7.0.jar",
    "/usr/share/java/lucene-analyzers-common-8.7.0.jar",
]
FRENCH_CHAIN = HERE.parent / "tests" / "search" / "lucene" / "FrenchChain.java"


def lucene_terms(lines):
    """Each line's terms, by the Elasticsearch index's French chain run by Lucene itself."""
    from search.engines.database import STOP_WORDS
    from search.engines.elasticsearch import ORDINAL_PATTERN, french_elision

    articles = ",".join(french_elision.get_definition()["articles"])
    chain = [str(FRENCH_CHAIN), articles, ",".join(STOP_WORDS), ORDINAL_PATTERN]
    done = subprocess.run(
        ["java", "-cp", ":".join(LUCENE_JARS), *chain],
        input="\n".join(" ".join(line.split()) for line in lines) + "\n",
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    terms = done.stdout.splitlines()
    assert len(terms) == len(lines), "Lucene's chain did not answer one line per text"
    return terms


def with_lucene_terms(engine, entries):
    """The entries analysed by Lucene, and the engine's index splitting them on spaces."""
    analysed = lucene_terms([text for entry in entries for text in (entry.title, entry.body)])
    entries = [
        dataclasses.replace(entry, title=analysed[2 * i], body=analysed[2 * i + 1])
        for i, entry in enumerate(entries)
    ]
    index_body = engine.index_body

    def whitespace_index_body():
        body = index_body()
        body["settings"]["analysis"]["analyzer"]["french_folded"] = {
            "type": "custom",
            "tokenizer": "whitespace",
        }
        return body

    engine.index_body = whitespace_index_body
    return entries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every query's ranks")
    parser.add_argument(
        "--lucene-terms",
        action="store_true",
        help="Elasticsearch: analyse every text and query with Lucene itself (see above)",
    )
    args = parser.parse_args()
    setup_django()

    from django.db import connection

    from search.engines import Query, get_engine

    iteration, _rows = open_iteration(6, opened=False)
    place = {
        "charter_id": iteration.get_parent().pk,
        "charter_title": iteration.get_parent().title,
        "iteration_id": iteration.pk,
        "iteration_title": iteration.title,
        "page_id": iteration.pk,  # a public page: every entry is visible
    }
    engine = get_engine(for_indexing=True)
    entries = corpus(place)
    analyse = lambda text: text  # noqa: E731
    if args.lucene_terms:
        entries = with_lucene_terms(engine, entries)
        analyse = lambda text: lucene_terms([text])[0]  # noqa: E731
    with engine.rebuilding() as write:
        for first in range(0, len(entries), 1000):
            write(entries[first : first + 1000])
    judged = tomllib.loads((HERE / "search_queries.toml").read_text())["query"]

    reciprocal, recalls, suggested = [], [], 0
    for item in judged:
        text, relevant = item["text"], set(item["relevant"])
        language = item.get("language", "fr")  # the reader's language: the page's
        results = engine.search(Query(text=analyse(text), per_page=10, language=language))
        shown = text
        if not results.total and hasattr(engine, "suggest"):
            suggestion = engine.suggest(analyse(text))
            if suggestion:
                suggested += 1
                shown = f"{text} → {suggestion}"
                results = engine.search(Query(text=suggestion, per_page=10, language=language))
        ranked = [hit.key for hit in results.hits]
        first = next((i for i, key in enumerate(ranked, 1) if key in relevant), None)
        reciprocal.append(1 / first if first else 0.0)
        recalls.append(len(relevant & set(ranked)) / min(len(relevant), 10))
        if args.verbose or first != 1:
            print(
                f"{'ok ' if first == 1 else 'MISS'} {shown!r}: first relevant at {first}; "
                f"top 3 {ranked[:3]}"
            )
    count = len(judged)
    print(
        f"engine: {type(engine).__name__}{' (Lucene terms)' if args.lucene_terms else ''}; "
        f"database: {connection.vendor}; {len(entries):,} entries; {count} judged queries "
        f"({suggested} answered through « Did you mean »)"
    )
    print(f"MRR {sum(reciprocal) / count:.3f}   recall@10 {sum(recalls) / count:.3f}")


if __name__ == "__main__":
    main()
