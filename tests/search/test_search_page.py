"""The search page (French and English addresses) and its JSON API."""

import pytest
from django.core.management import call_command

from charte.core.roles import MODERATORS
from charte.discussions.services import comment_post
from charte.moderation.services import comment_hide
from tests import factories
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db


@pytest.mark.french_analysis
def test_the_page_lists_results_with_facets(client, corpus):
    response = client.get("/recherche/", {"q": "transport"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 résultats" in html
    assert "<mark>transport</mark>" in html.lower()
    assert 'Commentaires</a> <span class="facet-count">(2)</span>' in html
    comment = corpus["comments"]["tad"]
    assert f'href="{comment_url(comment)}"' in html


def comment_url(comment):
    from charte.discussions.services import target_of

    return f"{target_of(comment).get_url()}#c{comment.pk}"


def test_the_english_address(client, corpus):
    html = client.get("/en/search/", {"q": "transport"}).content.decode()
    assert "2 results" in html and 'lang="en"' in html


def test_an_empty_search_asks_for_words(client, db):
    html = client.get("/recherche/").content.decode()
    assert "Saisissez des mots, ou choisissez un filtre." in html
    assert client.get("/api/search/").status_code == 400


def test_a_very_long_query_is_cut_with_a_note(client, corpus):
    response = client.get("/recherche/", {"q": "transport " + "x" * 100_000})
    assert response.status_code == 200
    assert "a été coupée à ses 1000 premiers caractères" in response.content.decode()


@pytest.mark.french_analysis
def test_the_api_answers_the_same(client, corpus):
    data = client.get("/api/search/", {"q": "transport", "kind": "comment"}).json()
    assert data["total"] == 2
    assert {r["kind"] for r in data["results"]} == {"comment"}
    assert data["results"][0]["url"].startswith("http://testserver/")
    kinds = next(f for f in data["facets"] if f["name"] == "kind")
    assert {v["value"]: v["count"] for v in kinds["values"]}["comment"] == 2
    assert client.get("/api/search/", {"q": "x", "page": "abc", "article": "z"}).status_code == 200


@pytest.mark.french_analysis
def test_a_hidden_comment_disappears_once_the_worker_ran(
    client, corpus, django_capture_on_commit_callbacks
):
    from tests.search.conftest import queued_refreshes
    from tests.search.conftest import run_search_tasks as work

    with django_capture_on_commit_callbacks(execute=True):
        new = comment_post(
            paragraph=corpus["rows"][0], by=make_citizen("sam", "Sam"), text="Navettes gratuites"
        )
    assert ("comment", new.pk) in queued_refreshes()
    work()
    assert "1 résultat" in client.get("/recherche/", {"q": "navettes"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        comment_hide(
            comment=new, by=factories.UserFactory(username="m", role=MODERATORS), reason="Doublon"
        )
    work()
    assert "0 résultat" in client.get("/recherche/", {"q": "navettes"}).content.decode()
    call_command("check_search_index", verbosity=0)


def test_the_date_facet_selects_a_month(client, corpus):
    import calendar

    from django.utils import timezone

    today = timezone.localdate()
    first = today.replace(day=1).isoformat()
    last = today.replace(day=calendar.monthrange(today.year, today.month)[1]).isoformat()
    html = client.get("/recherche/", {"q": "transport"}).content.decode()
    assert f"from={first}&amp;to={last}" in html
    narrowed = client.get("/recherche/", {"q": "transport", "from": first, "to": last})
    assert "2 résultats" in narrowed.content.decode()
    assert (
        "0 résultat"
        in client.get("/recherche/", {"q": "transport", "to": "2000-01-31"}).content.decode()
    )


def test_facets_name_the_charter_and_the_version(client, corpus, django_assert_max_num_queries):
    from django.db import connection

    from search.models import SearchEntry

    iteration = corpus["rows"][0].iteration
    charter = iteration.get_parent()
    data = client.get("/api/search/", {"q": "transport"}).json()
    labels = {f["name"]: {v["value"]: v["label"] for v in f["values"]} for f in data["facets"]}
    assert labels["charter_id"][charter.pk] == charter.title
    assert labels["iteration_id"][iteration.pk] == f"{iteration.title} – {iteration.label}"

    # Without the pages' own entries, the names still come from an entry about them, in a
    # bounded number of queries (not by reading every entry of the version).
    SearchEntry.objects.filter(kind__in=["charter", "iteration"]).delete()
    # On PostgreSQL one more: the search's time budget (its ``statement_timeout``).
    budget = 12 + (connection.vendor == "postgresql")
    with django_assert_max_num_queries(budget):
        data = client.get("/api/search/", {"q": "transport"}).json()
    labels = {f["name"]: {v["value"]: v["label"] for v in f["values"]} for f in data["facets"]}
    assert labels["charter_id"][charter.pk] == charter.title
    assert labels["iteration_id"][iteration.pk] == f"{iteration.title} – {iteration.label}"


@pytest.mark.parametrize(
    "address, words, heading, remove",
    [
        ("/recherche/", "Type : Commentaires", "Filtres choisis", "Retirer le filtre"),
        ("/en/search/", "Kind: Comments", "Selected filters", "Remove the filter"),
    ],
)
def test_the_form_keeps_the_filters_when_other_words_are_typed(
    client, corpus, address, words, heading, remove
):
    """A reader who chose « Comments » and types other words keeps the filter: the form carries
    it, the page lists it with a link that removes it."""
    html = client.get(address, {"q": "transport", "kind": "comment"}).content.decode()
    assert '<input type="hidden" name="kind" value="comment">' in html
    assert heading in html
    assert (
        f'<a href="?q=transport"><span class="visually-hidden">{remove} </span>{words} '
        '<span aria-hidden="true">✕</span></a>'
    ) in html
    # The form sent again with other words: the filter is still in force.
    again = client.get(address, {"q": "bus", "kind": "comment"}).content.decode()
    assert '<input type="hidden" name="kind" value="comment">' in again


@pytest.mark.parametrize(
    ("address", "site", "page"),
    [
        ("/recherche/", "Rechercher sur le site", "Rechercher dans toutes les contributions"),
        ("/en/search/", "Search the site", "Search every contribution"),
    ],
)
def test_each_search_landmark_has_its_name_and_the_results_are_one_link_away(
    client, corpus, address, site, page
):
    import re

    html = client.get(address, {"q": "transport"}).content.decode()
    forms = re.findall(r'<form[^>]*role="search"[^>]*>', html)
    assert len(forms) == 2
    assert f'aria-label="{site}"' in forms[0]
    assert 'aria-labelledby="search-title"' in forms[1]
    assert f'<h1 id="search-title">{page}</h1>' in html
    # Second of the skip links, before the header and the filters, a link to the results (a
    # phone would tab through every filter).
    skip = html.index('<a class="skip-link" href="#results-title">')
    assert html.index('<a class="skip-link" href="#main">') < skip < html.index("<header")
    assert '<h2 id="results-title" tabindex="-1">' in html
