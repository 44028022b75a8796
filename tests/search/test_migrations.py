"""The index survives its own migrations: entries written before a schema change are still found
afterwards, and written entries still reach the full-text side."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search.engines import get_engine

pytestmark = pytest.mark.embedded_engine  # the migrations of the embedded engine's table


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_adding_the_month_keeps_existing_entries_searchable():
    executor = MigrationExecutor(connection)
    executor.migrate([("search", "0001_initial")])
    executor.loader.build_graph()
    old = executor.loader.project_state([("search", "0001_initial")]).apps
    old.get_model("search", "SearchEntry").objects.create(
        key="comment:1",
        kind="comment",
        charter_id=None,
        language="fr",
        date=datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC),  # April in Paris
        title="Commentaire",
        body="Le transport à la demande manque le soir.",
        url="/c/1/",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("search"))

    from search.models import SearchEntry

    entry = SearchEntry.objects.get(key="comment:1")
    assert entry.month == "2026-04"
    engine = get_engine()
    assert engine._matching("transport")[0].filter(key="comment:1").exists()
    # A new entry reaches the full-text side too (SQLite: the triggers are back).
    from tests.factories import search_entry

    engine.write(
        [
            search_entry(
                "comment:2",
                date=datetime.datetime(2026, 4, 2, tzinfo=datetime.UTC),
                title="Autre",
                body="Des bancs sur la place du marché.",
            )
        ]
    )
    assert engine._matching("bancs")[0].filter(key="comment:2").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_recording_the_page_of_each_entry_keeps_existing_entries_and_hides_the_unknown():
    """Entries about a page get their page from their key; the others have none until the next
    rebuild and are not shown meanwhile; new entries still reach the full-text side."""
    executor = MigrationExecutor(connection)
    executor.migrate([("search", "0002_month")])
    executor.loader.build_graph()
    old = executor.loader.project_state([("search", "0002_month")]).apps
    OldEntry = old.get_model("search", "SearchEntry")
    for key in ("page:12", "comment:1"):
        OldEntry.objects.create(
            key=key,
            kind="comment",
            language="fr",
            date=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
            month="2026-03",
            title="Commentaire",
            body="Le transport à la demande manque le soir.",
            url="/c/1/",
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("search"))

    from search.models import SearchEntry

    assert dict(SearchEntry.objects.values_list("key", "page_id")) == {
        "page:12": 12,
        "comment:1": None,
    }
    engine = get_engine()
    assert engine._matching("transport")[0].count() == 2
    assert engine._visible(engine._matching("transport")[0]).filter(key="comment:1").count() == 0
    from tests.factories import search_entry

    engine.write([search_entry("comment:2", title="Autre", body="Des bancs sur la place.")])
    assert engine._matching("bancs")[0].filter(key="comment:2").exists()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")
def test_postgresql_filters_a_search_in_its_full_text_index():
    """The words and the filters of a search are both conditions of one index: the entries of
    another kind or author type are never read from the table (past the count bound, a broad
    search narrowed by a filter reads only the entries that pass it)."""
    from search.engines.database import CONFIG
    from tests.factories import search_entry

    get_engine().write(
        search_entry(
            f"comment:{n}",
            kind=("comment", "amendment", "paragraph")[n % 3],
            author_type=("resident", "association")[n % 2],
            body="Le transport à la demande." if n % 50 == 0 else "Des bancs sur la place.",
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
        # A table this small is read whole; a big one is not (see bench/README.md).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM search_searchentry "
            f"WHERE search_vector @@ to_tsquery('{CONFIG}', 'transport') "
            "AND author_type = 'association' AND language = 'fr'"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_entry_vector_facets_gin" in plan, plan
    index_condition = next(line for line in plan.splitlines() if "Index Cond" in line)
    assert all(
        column in index_condition for column in ("search_vector", "author_type", "language")
    ), plan
