"""Bounded counting: past ``SEARCH_COUNT_LIMIT`` matches the embedded engine stops counting.
The page says « more than … results », the API flags its total as a lower bound, results still
come (the best among the matches read), and a filter still selects among all the matches.
The bound is lowered here so that a small corpus goes past it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.engines import Query, get_engine

pytestmark = [pytest.mark.django_db, pytest.mark.embedded_engine]

API = "/en/api/search/"


def test_under_the_bound_everything_is_counted(client, corpus, settings):
    exact = client.get(API, {"q": "transport"}).json()
    settings.SEARCH_COUNT_LIMIT = exact["total"]
    data = client.get(API, {"q": "transport"}).json()
    assert data["total"] == exact["total"] == 2
    assert (data["total_is_lower_bound"], data["facets_approximate"]) == (False, False)
    assert data["facets"] == exact["facets"]
    html = client.get("/en/search/", {"q": "transport"}).content.decode()
    assert "2 results" in html
    assert "More than" not in html and "Too many results to count them all" not in html


def test_past_the_bound_the_total_is_a_lower_bound_and_results_still_come(client, corpus, settings):
    exact = client.get(API, {"q": "transport"}).json()
    settings.SEARCH_COUNT_LIMIT = 1
    data = client.get(API, {"q": "transport"}).json()
    assert data["total"] == 1
    assert (data["total_is_lower_bound"], data["facets_approximate"]) == (True, True)
    found = [hit["url"] for hit in data["results"]]
    assert found  # the best of the matches read
    assert set(found) <= {hit["url"] for hit in exact["results"]}

    html = client.get("/en/search/", {"q": "transport"}).content.decode()
    assert "More than 1 result" in html
    assert "Too many results to count them all" in html
    assert found[0].removeprefix("http://testserver") in html
    french = client.get("/recherche/", {"q": "transport"}).content.decode()
    assert "Plus de 1 résultat" in french
    assert "Trop de résultats pour les compter tous :" in french


def test_past_the_bound_a_filter_selects_among_all_the_matches(client, corpus, settings):
    """Only the comments of an association: the one that matches is found whether or not it is
    among the matches read for the facets."""
    settings.SEARCH_COUNT_LIMIT = 1
    data = client.get(API, {"q": "transport", "author_type": "association"}).json()
    assert data["total"] == 1
    assert data["total_is_lower_bound"] is False  # one association comment: counted exactly
    assert data["facets_approximate"] is True
    assert [hit["author_type"] for hit in data["results"]] == ["association"]
    assert "transport à la demande" in data["results"][0]["excerpt"].replace("<mark>", "").replace(
        "</mark>", ""
    )


def test_a_search_past_the_bound_takes_at_most_two_statements(corpus, settings):
    settings.SEARCH_COUNT_LIMIT = 1
    engine = get_engine()
    with CaptureQueriesContext(connection) as plain:
        assert engine.search(Query(text="transport")).total_is_lower_bound
    with CaptureQueriesContext(connection) as filtered:
        engine.search(Query(text="transport", filters={"kind": "comment"}))
    # The public pages, the selection, then the page's entries (filtered: the selection again).
    searches = [q["sql"] for q in plain.captured_queries if "WITH matches" in q["sql"]]
    assert len(searches) == 1
    searches = [q["sql"] for q in filtered.captured_queries if "WITH matches" in q["sql"]]
    assert len(searches) == 2
    assert len(filtered.captured_queries) == len(plain.captured_queries) + 1
