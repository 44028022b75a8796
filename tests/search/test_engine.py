"""One test-suite for the search engines: the embedded one (on SQLite and on PostgreSQL, the
CI runs both) and a live Elasticsearch-API server (``ELASTICSEARCH_URL``, or else the in-memory
OpenSearch-compatible server of the ``osmem-server`` package)."""

import pytest
from django.core.management import call_command
from django.db import connection

from charte.core.roles import MODERATORS
from charte.discussions.services import comment_post
from charte.moderation.services import comment_hide
from search.engines import Query, get_engine
from search.indexing import refresh
from tests import factories

# Each test runs on the embedded engine, then on a live server (``engine_name``).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("engine_name")]


def search(text="", **filters):
    sort = filters.pop("sort", "relevance")
    return get_engine().search(Query(text=text, filters=filters, sort=sort))


def keys(results):
    return {hit.key for hit in results.hits}


@pytest.mark.french_analysis
def test_accents_do_not_matter(corpus):
    assert f"comment:{corpus['comments']['elu'].pk}" in keys(search("elu"))
    assert f"comment:{corpus['comments']['elu'].pk}" in keys(search("ÉLU"))


@pytest.mark.french_analysis
def test_plural_finds_singular(corpus):
    assert f"comment:{corpus['comments']['concertation'].pk}" in keys(search("concertations"))


@pytest.mark.french_analysis
def test_a_quoted_phrase_is_found_as_written(corpus):
    found = keys(search('"transport à la demande"'))
    assert f"comment:{corpus['comments']['tad'].pk}" in found
    assert f"comment:{corpus['comments']['apart'].pk}" not in found


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced quote',
        "transport AND OR NOT (",
        "-transport +demande * ^ : ~ NEAR(a b)",
        "élu\x00\x01\x1f",
        "transport " + "x" * 100_000,
        "'); DROP TABLE search_searchentry; --",
        "a:b title:élu body:*",
    ],
)
def test_hostile_input_never_fails(corpus, text):
    from search.engines import clean_query

    results = get_engine().search(Query(text=clean_query(text)))
    assert results.total >= 0
    assert get_engine().count() > 0  # nothing was dropped


@pytest.mark.french_analysis
def test_facets_add_up_and_filter(corpus):
    results = search("transport")
    kinds = dict(results.facets["kind"])
    assert sum(kinds.values()) == results.total
    only_comments = search("transport", kind="comment")
    assert only_comments.total == kinds["comment"]
    # Other facets keep counting the whole selection of the facet itself.
    assert dict(only_comments.facets["kind"]) == kinds
    assert dict(search("transport", kind="comment").facets["author_type"]) == {
        "association": 1,
        "resident": 1,
    }
    assert search("transport", author_type="association").total == 1


@pytest.mark.french_analysis
def test_excerpts_are_highlighted_and_escaped(corpus):
    (hit,) = [h for h in search("concertation").hits if h.kind == "comment"]
    assert "<mark>" in hit.excerpt and "concertation" in hit.excerpt.lower()
    # Markup typed by a citizen is shown as text (SQLite) or dropped (PostgreSQL), never run.
    assert "<b>" not in hit.excerpt and "enfin" in hit.excerpt


@pytest.mark.french_analysis
def test_the_excerpt_of_a_long_text_is_the_passage_that_matches(corpus):
    filler = " ".join(["Nous demandons des bancs sur la place."] * 20)
    comment = comment_post(
        paragraph=corpus["rows"][4], by=corpus["lea"], text=f"{filler} Et un tramway le dimanche."
    )
    refresh("comment", comment.pk)
    (hit,) = search("tramways").hits
    assert "<mark>tramway</mark>" in hit.excerpt
    assert len(hit.excerpt) < len(filler)  # a passage, not the whole text
    assert "…" in hit.excerpt


def test_sorting_by_date(corpus):
    dates = [hit.date for hit in search("transport", sort="date").hits]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.french_analysis
def test_hidden_pending_and_private_never_appear(corpus, opened):
    comment = corpus["comments"]["tad"]
    comment_hide(
        comment=comment,
        by=factories.UserFactory(username="m", role=MODERATORS),
        reason="Hors sujet",
    )
    refresh("comment", comment.pk)
    assert f"comment:{comment.pk}" not in keys(search("transport"))

    # A page unpublished or made private drops out at query time, before any reindexing.
    from wagtail.models import PageViewRestriction

    restriction = PageViewRestriction.objects.create(page=opened, restriction_type="login")
    assert search("concertation").total == 0
    restriction.delete()
    assert search("concertation").total > 0
    opened.unpublish()
    assert search("concertation").total == 0


@pytest.mark.french_analysis
def test_author_names_are_not_indexed(corpus):
    assert search("Association du Port").total == 0  # pseudonyms are not searchable
    assert search("Léa").total == 0


def test_rebuild_and_check_agree(corpus, capsys):
    call_command("check_search_index")
    assert "The index matches the database." in capsys.readouterr().out
    get_engine().delete([f"comment:{corpus['comments']['elu'].pk}"])
    with pytest.raises(Exception, match="rebuild_search_index"):
        call_command("check_search_index")


def test_engine_in_use(corpus, engine_name):
    assert connection.vendor in ("sqlite", "postgresql")
    assert get_engine().name == engine_name
    assert get_engine().count() == sum(get_engine().counts_by_kind().values())


def test_the_date_facet_counts_per_month(corpus):
    from django.utils import timezone

    results = search("transport")
    month = timezone.now().strftime("%Y-%m")
    assert dict(results.facets["month"]) == {month: results.total}


def test_a_day_typed_is_that_day_in_paris(corpus):
    """A comment posted at 23:30 in Paris on 20 November (22:30 UTC) is of the 20th; one
    posted at 00:30 on the 21st in Paris (23:30 UTC on the 20th) is not."""
    import datetime
    import zoneinfo

    from charte.models import Comment

    paris = zoneinfo.ZoneInfo("Europe/Paris")
    late, early = corpus["comments"]["tad"], corpus["comments"]["apart"]
    Comment.objects.filter(pk=late.pk).update(
        submit_date=datetime.datetime(2026, 11, 20, 23, 30, tzinfo=paris)
    )
    Comment.objects.filter(pk=early.pk).update(
        submit_date=datetime.datetime(2026, 11, 21, 0, 30, tzinfo=paris)
    )
    refresh("comment", late.pk)
    refresh("comment", early.pk)
    day = datetime.date(2026, 11, 20)
    found = get_engine().search(Query(text="transport", date_from=day, date_to=day))
    assert keys(found) == {f"comment:{late.pk}"}
    next_day = day + datetime.timedelta(days=1)
    found = get_engine().search(Query(text="transport", date_from=next_day, date_to=next_day))
    assert keys(found) == {f"comment:{early.pk}"}


def test_facet_values_are_labelled_with_the_titles_the_entries_carry(corpus, opened, engine_name):
    """The charter and the version are named by their titles, whatever the engine (an
    Elasticsearch site keeps nothing in the embedded engine's table)."""
    from search.models import SearchEntry
    from search.views import labelled_facets

    if engine_name == "elasticsearch":
        assert not SearchEntry.objects.exists()

    facets = {f["name"]: f for f in labelled_facets(search("transport"))}
    (charter,) = facets["charter_id"]["values"]
    assert charter["label"] == opened.get_parent().specific.title
    (version,) = facets["iteration_id"]["values"]
    assert version["label"].startswith(opened.title)  # « Version 1 – Projet soumis… »


def test_every_value_of_a_facet_is_counted(corpus, opened):
    """Past fifty values (the articles of a long charter), every value is still counted."""
    from tests.factories import search_entry

    ids = {"charter_id": opened.get_parent().pk, "iteration_id": opened.pk, "page_id": opened.pk}
    get_engine(for_indexing=True).write(
        [search_entry(f"comment:{9000 + n}", article=n, **ids) for n in range(1, 121)]
    )
    articles = dict(search(kind="comment").facets["article"])
    assert set(range(1, 121)) <= set(articles)
