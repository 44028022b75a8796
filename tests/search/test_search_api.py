"""The search API goes through the same framework as the rest of ``/api/``: per-client rates
(429 with Retry-After, one budget for the whole API), the site's session, JSON whatever the
client asks for, its own 503 and 400 answers in the request's language, and the same
visibility rules as the search page."""

import pytest
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle
from wagtail.models import PageViewRestriction

from search.engines import EngineUnavailable
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db

API = "/api/search/"


@pytest.fixture
def low_rates(settings, monkeypatch):
    """Three requests a minute for anonymous clients, five for signed-in ones. REST framework
    reads its rates once, when the throttles are imported: the setting alone is not enough."""
    rates = {"anon": "3/minute", "user": "5/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    yield rates
    cache.clear()


def test_an_anonymous_client_is_slowed_down_like_on_the_rest_of_the_api(client, corpus, low_rates):
    statuses = [client.get(API, {"q": "transport"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(API, {"q": "transport"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused["Content-Type"] == "application/json"
    assert "Requête ralentie" in refused.json()["detail"]
    english = client.get("/en" + API, {"q": "transport"})
    assert english.status_code == 429
    assert "Request was throttled" in english.json()["detail"]


def test_every_request_counts_even_an_empty_one(client, db, low_rates):
    assert [client.get(API).status_code for _ in range(4)] == [400, 400, 400, 429]


def test_the_default_rate_comes_from_the_settings(client, db):
    """``API_RATE_ANON`` (120 a minute unless set): the 121st request of a minute is refused."""
    statuses = [client.get(API).status_code for _ in range(121)]
    assert statuses[:120] == [400] * 120
    assert statuses[120] == 429


def test_the_search_and_the_discussions_share_one_budget(client, corpus, low_rates):
    count = f"/api/paragraphs/{corpus['rows'][0].pk}/comments/count/"
    assert [client.get(count).status_code for _ in range(3)] == [200] * 3
    assert client.get(API, {"q": "transport"}).status_code == 429
    cache.clear()
    assert [client.get(API, {"q": "transport"}).status_code for _ in range(3)] == [200] * 3
    assert client.get(count).status_code == 429


def test_a_signed_in_client_has_the_user_rate(client, corpus, low_rates):
    client.force_login(make_citizen("sam", "Sam"))
    statuses = [client.get(API, {"q": "transport"}).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_an_unavailable_engine_is_still_a_503_with_its_message(client, db, monkeypatch):
    import search.views

    def down():
        raise EngineUnavailable("connection refused")

    monkeypatch.setattr(search.views, "get_engine", down)
    response = client.get(API, {"q": "transport"})
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "La recherche est momentanément indisponible. Tout le reste fonctionne."
    }
    assert client.get("/en" + API, {"q": "transport"}).json() == {
        "detail": "Search is unavailable for the moment. Everything else works."
    }
    # An empty request does not reach the engine: it is still told what to type.
    assert client.get(API).status_code == 400


@pytest.mark.french_analysis
def test_bad_parameters_are_answered_in_the_requests_language(client, corpus):
    empty = client.get(API)
    assert empty.status_code == 400
    assert empty.json() == {"detail": "Saisissez des mots, ou choisissez un filtre.", "notes": []}
    english = client.get("/en" + API)
    assert english.json() == {"detail": "Type some words, or choose a filter.", "notes": []}

    dated = client.get("/en" + API, {"q": "transport", "from": "soon", "page": "abc"}).json()
    assert dated["notes"] == ["The date « soon » was not understood: use YYYY-MM-DD."]
    assert dated["page"] == 1 and dated["total"] == 2
    dated = client.get(API, {"q": "transport", "to": "31/01/2000"}).json()
    assert dated["notes"] == [
        "La date «\u00a031/01/2000\u00a0» n’a pas été comprise\u00a0: utilisez AAAA-MM-JJ."
    ]


@pytest.mark.french_analysis
def test_json_whatever_the_client_asks_for(client, corpus):
    for headers in ({"HTTP_ACCEPT": "text/html"}, {"HTTP_ACCEPT": "application/xml"}, {}):
        response = client.get(API, {"q": "transport"}, **headers)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response.json()["total"] == 2
    # ``format`` is none of the search's parameters: it changes nothing.
    assert client.get(API, {"q": "transport", "format": "html"}).json()["total"] == 2


@pytest.mark.french_analysis
def test_the_answer_keeps_its_shape(client, corpus):
    data = client.get(API, {"q": "transport", "kind": "comment", "sort": "date"}).json()
    assert list(data) == [
        "query",
        "notes",
        "total",
        "page",
        "pages",
        "results",
        "facets",
        "total_is_lower_bound",
        "facets_approximate",
    ]
    assert (data["total_is_lower_bound"], data["facets_approximate"]) == (False, False)
    assert (data["query"], data["notes"], data["total"], data["page"]) == ("transport", [], 2, 1)
    hit = data["results"][0]
    assert list(hit) == [
        "kind",
        "title",
        "excerpt",
        "url",
        "date",
        "language",
        "charter",
        "iteration",
        "article",
        "amendment_status",
        "author_type",
    ]
    assert hit["kind"] == "comment" and hit["amendment_status"] is None
    assert [f["name"] for f in data["facets"]][-1] == "month"
    assert "élu" in client.get(API, {"q": "elu"}).content.decode()  # not escaped as \\u00e9


@pytest.mark.french_analysis
@pytest.mark.parametrize("signed_in", [False, True])
def test_visibility_does_not_depend_on_the_session(client, corpus, opened, signed_in):
    """Only what anyone may read is searched: a private or unpublished text drops out at once,
    for an anonymous client as for a signed-in one, and hidden authors stay out."""
    if signed_in:
        client.force_login(make_citizen("sam", "Sam"))
    assert client.get(API, {"q": "concertation"}).json()["total"] > 0
    assert client.get(API, {"q": "Association du Port"}).json()["total"] == 0
    restriction = PageViewRestriction.objects.create(page=opened, restriction_type="login")
    assert client.get(API, {"q": "concertation"}).json()["total"] == 0
    restriction.delete()
    opened.unpublish()
    assert client.get(API, {"q": "concertation"}).json()["total"] == 0
