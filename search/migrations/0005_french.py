"""French matching the same on SQLite and PostgreSQL: the full-text side indexes the normalised
words of each entry (:mod:`search.french`: lemmatised, folded, lightly trimmed), computed in
Python, instead of the raw text (SQLite) or the Snowball stemmer (PostgreSQL), which folded
« pétition » into « petit » and kept « élus » apart from « élu ». PostgreSQL builds its vector
from them with the ``simple`` configuration, then empties them; a trigram index on the
vocabulary suggests words for a query that finds nothing."""

import importlib

from django.db import migrations, models

initial = importlib.import_module("search.migrations.0001_initial")
FTS = initial.FTS

SQLITE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(title_terms, body_terms, "
    "content='search_searchentry', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN "
    f"INSERT INTO {FTS}(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
    f"CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); END",
    f"CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); "
    f"INSERT INTO {FTS}(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_au",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE OR REPLACE FUNCTION search_entry_vector() RETURNS trigger AS $$ BEGIN "
    "IF NEW.title_terms <> '' OR NEW.body_terms <> '' THEN "
    "NEW.search_vector := setweight(to_tsvector('simple', NEW.title_terms), 'A')"
    " || setweight(to_tsvector('simple', NEW.body_terms), 'B'); "
    "NEW.title_terms := ''; NEW.body_terms := ''; END IF; "
    "RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE INDEX search_term_word_trgm ON search_searchterm USING GIN (term gin_trgm_ops)",
]


def sqlite_full_text(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in SQLITE_DROP + SQLITE:
        schema_editor.execute(statement)
    # The new table must hold what its content rows hold now (empty terms), or the triggers'
    # « delete » of those rows, when their terms are filled, corrupts it.
    schema_editor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")


def sqlite_full_text_reverse(apps, schema_editor):
    """Back to the FTS5 table over the raw title and body (their columns are about to go)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in SQLITE_DROP + initial.SQLITE:
        schema_editor.execute(statement)
    schema_editor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")


def postgresql_full_text(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in POSTGRESQL:
        schema_editor.execute(statement)


def postgresql_full_text_reverse(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(initial.POSTGRESQL[2].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))
    schema_editor.execute("UPDATE search_searchentry SET title = title")


def fill_terms(apps, schema_editor):
    """Existing entries get their terms (and, on PostgreSQL, their new vector)."""
    from search.french import index_text

    SearchEntry = apps.get_model("search", "SearchEntry")
    batch = []
    rows = SearchEntry.objects.only("pk", "title", "body", "language")
    for entry in rows.iterator(chunk_size=2000):
        entry.title_terms = index_text(entry.title, entry.language)
        entry.body_terms = index_text(entry.body, entry.language)
        batch.append(entry)
        if len(batch) >= 2000:
            SearchEntry.objects.bulk_update(batch, ["title_terms", "body_terms"])
            batch = []
    SearchEntry.objects.bulk_update(batch, ["title_terms", "body_terms"])


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_rebuild"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="title_terms",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="body_terms",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                ("term", models.CharField(max_length=100, primary_key=True, serialize=False)),
                ("word", models.CharField(max_length=100)),
            ],
        ),
        migrations.RunPython(sqlite_full_text, sqlite_full_text_reverse),
        migrations.RunPython(postgresql_full_text, postgresql_full_text_reverse),
        migrations.RunPython(fill_terms, migrations.RunPython.noop),
    ]
