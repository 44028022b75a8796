"""The Elasticsearch index's French chain, run by Lucene itself (Debian's liblucene8-java),
compared with the embedded SQLite engine (FTS5 over the words normalised by
:mod:`search.french`) on the words people type: both find the same texts, irregular plurals
included."""

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from search.engines.database import STOP_WORDS, fts5_expression
from search.engines.elasticsearch import ORDINAL_PATTERN, french_elision
from search.french import index_text

JARS = [
    Path("/usr/share/java/lucene-core-8.7.0.jar"),
    Path("/usr/share/java/lucene-analyzers-common-8.7.0.jar"),
]
CHAIN = Path(__file__).parent / "lucene" / "FrenchChain.java"

pytestmark = pytest.mark.skipif(
    not (shutil.which("java") and all(jar.exists() for jar in JARS)),
    reason="needs Debian's liblucene8-java (Lucene 8.7 analyzers) and a Java runtime",
)

# What is typed, a text, and whether the text is found, by both engines.
FOUND_BY_BOTH = [
    ("concertations", "Une vraie concertation, enfin !", True),
    ("élu", "Chaque élu doit répondre.", True),
    ("ELU", "Chaque élu doit répondre.", True),
    ("l’élu", "Les élus répondent.", True),
    ("d'associations", "Association du Port", True),
    ("transports", "Le transport scolaire", True),
    ("demande", "Le transport à la demande", True),
    ("Léa", "Le transport à la demande", False),
    ("réunions", "La réunion publique", True),
    ("écoles", "Une école", True),
    ("port", "Le sport", False),
    # Irregular plurals: Lucene's light stemmer and the embedded engine's lemmatizer.
    ("chevaux", "Un cheval sur la place", True),
    ("locaux", "Un local associatif", True),
    # Ordinals are their number.
    ("12e", "Article 12, alinéa 1", True),
    ("1er", "Article 1", True),
    ("3ème", "Le 3 mars", True),
    ("12e", "Article 21", False),
]


def lucene_terms(lines: list[str]) -> list[set[str]]:
    articles = ",".join(french_elision.get_definition()["articles"])
    stop = ",".join(sorted(STOP_WORDS))
    classpath = ":".join(str(jar) for jar in JARS)
    done = subprocess.run(
        ["java", "-cp", classpath, str(CHAIN), articles, stop, ORDINAL_PATTERN],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [set(line.split()) for line in done.stdout.splitlines()]


def lucene_finds(pairs) -> list[bool]:
    """A text is found when it holds every term of what was typed (the engine's « and »)."""
    terms = lucene_terms([part for pair in pairs for part in pair[:2]])
    typed, texts = terms[0::2], terms[1::2]
    return [bool(query) and query <= text for query, text in zip(typed, texts, strict=True)]


def sqlite_finds(pairs) -> list[bool]:
    """The embedded engine's FTS5 table (over the normalised words) and query, in a database of
    their own."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    found = []
    for typed, text, *_rest in pairs:
        db.execute("DELETE FROM t")
        db.execute("INSERT INTO t(body) VALUES (?)", [index_text(text, "fr")])
        expression = fts5_expression(typed)
        hits = db.execute("SELECT count(*) FROM t WHERE t MATCH ?", [expression]).fetchone()[0]
        found.append(bool(expression) and hits > 0)
    return found


def test_lucene_and_the_embedded_engine_find_the_same_texts():
    expected = [found for _typed, _text, found in FOUND_BY_BOTH]
    assert lucene_finds(FOUND_BY_BOTH) == expected
    assert sqlite_finds(FOUND_BY_BOTH) == expected


def test_lucene_drops_the_stop_words_of_the_embedded_engines():
    (terms,) = lucene_terms(["Le transport à la demande, où et quand"])
    assert terms == {"transport", "demand", "quand"}
    assert fts5_expression("à la") == ""  # nothing left to look for, in both
