"""Rebuilding the index from the database, as `manage.py rebuild_search_index` does outside any
transaction (on PostgreSQL the new entries then stream through a second connection)."""

import io

import pytest
from django.core.management import call_command

from charte.discussions.services import comment_post
from charte.models import Paragraph
from search import documents
from search.engines import Query, get_engine
from search.models import SearchEntry
from tests import factories
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def contributions(opened):
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    lea = make_citizen()
    for n, row in enumerate(rows * 3):
        comment_post(paragraph=row, by=lea, text=f"Avis {n} sur la navette du marché")
    return rows


def stale_entry():
    entry = factories.search_entry(
        "comment:987654", title="Ancien", body="Une entrée qui ne correspond plus à rien"
    )
    get_engine(for_indexing=True).write([entry])


@pytest.mark.embedded_engine  # it reads the embedded engine's table
def test_a_rebuild_replaces_the_whole_index_with_what_the_database_holds(contributions):
    stale_entry()
    output = io.StringIO()
    call_command("rebuild_search_index", stdout=output, stderr=io.StringIO())
    expected = list(documents.all_entries())
    assert SearchEntry.objects.count() == len(expected) > len(contributions) * 3
    assert not SearchEntry.objects.filter(key="comment:987654").exists()
    assert f"{len(expected)} entries" in output.getvalue()
    results = get_engine().search(Query(text="navette marché", filters={"kind": "comment"}))
    assert results.total == len(contributions) * 3
    call_command("check_search_index", stdout=io.StringIO())  # raises if the counts differ


def test_a_rebuild_that_fails_halfway_leaves_the_old_index(contributions, failing_rebuild):
    stale_entry()
    before = set(SearchEntry.objects.values_list("key", flat=True))
    failing_rebuild()
    with pytest.raises(RuntimeError):
        call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert set(SearchEntry.objects.values_list("key", flat=True)) == before
