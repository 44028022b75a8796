"""A search is bounded work: at most twelve words reach the engine (the reader is told), one
search may not run past ``SEARCH_STATEMENT_TIMEOUT_MS`` (a 503 asking to narrow it, never a
500), and the search page is rate-limited at the API's rates (429 with Retry-After)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import SimpleRateThrottle

from search.engines import bound_terms
from search.engines.database import DatabaseEngine

pytestmark = [pytest.mark.django_db, pytest.mark.embedded_engine]  # it reads the SQL sent

PAGE, API = "/recherche/", "/api/search/"
# 300 distinct two-letter words (none a stop word): under the length cap of 1,000 characters.
WORDS = [a + b for a in "zxwkyjvbhfgq" for b in "abcdefghijklmnopqrstuvwxyz"][:300]
MANY = " ".join(WORDS)
# A statement that cannot finish within a millisecond, on SQLite as on PostgreSQL.
SLOW = (
    "(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5000000) "
    "SELECT COUNT(*) FROM c) > 0"
)


def words_sent(queries) -> set[str]:
    """The words of the query found in the SQL the database was sent."""
    found = {word for query in queries for word in re.findall(r"\b[a-z]{2}\b", query["sql"])}
    return found & set(WORDS) - {"fr"}  # the reader's language is sent too (it ranks first)


def test_a_query_of_300_words_sends_twelve_to_the_engine_with_a_notice(client, corpus):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE, {"q": MANY})
    assert response.status_code == 200
    assert words_sent(queries) == set(WORDS[:12])
    html = response.content.decode()
    assert "Seuls les 12 premiers mots de votre recherche ont été pris en compte" in html
    assert "288 ont été laissés de côté" in html

    with CaptureQueriesContext(connection) as queries:
        data = client.get("/en" + API, {"q": MANY}).json()
    assert words_sent(queries) == set(WORDS[:12])
    assert data["total"] == 0
    assert data["notes"] == ["Only the first 12 words of your search were used: 288 were left out."]


def test_short_words_are_dropped_but_numbers_and_phrases_kept():
    assert bound_terms("l’élu de l'amendement 7 a répondu") == ("élu de amendement 7 répondu", 0)
    assert bound_terms('"à la demande" -soir élu élu') == ('"à la demande" -soir élu', 0)
    kept, dropped = bound_terms(MANY)
    assert kept.split() == WORDS[:12]
    assert dropped == 288


@pytest.fixture
def slow_search(settings, monkeypatch):
    """Every search made to wait on a statement that cannot finish in time, with a budget of
    one millisecond."""
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 1
    matching = DatabaseEngine._matching

    def slow(self, text, rank=False, **options):
        queryset, matcher = matching(self, text, rank=rank, **options)
        return queryset.extra(where=[SLOW]), matcher

    monkeypatch.setattr(DatabaseEngine, "_matching", slow)


def test_a_search_past_its_time_is_a_503_asking_to_narrow_it(client, corpus, slow_search):
    page = client.get(PAGE, {"q": "transport"})
    assert page.status_code == 503
    assert "La recherche a pris trop de temps\u00a0: précisez-la" in page.content.decode()
    english = client.get("/en" + API, {"q": "transport"})
    assert english.status_code == 503
    assert english.json()["detail"].startswith("The search took too long: make it more precise")
    french = client.get(API, {"q": "transport"})
    assert french.json()["detail"].startswith("La recherche a pris trop de temps")
    # The budget ends with the search: the site's other statements are not cut short.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CASE WHEN {SLOW.replace('5000000', '20000')} THEN 1 END")
        assert cursor.fetchone() == (1,)


@pytest.fixture
def low_rates(settings, monkeypatch):
    rates = {"anon": "3/minute", "user": "5/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    yield rates
    cache.clear()


def test_the_search_page_is_rate_limited_like_the_api(client, corpus, low_rates):
    statuses = [client.get(PAGE, {"q": "transport"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(PAGE, {"q": "transport"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Vous avez fait trop de recherches en peu de temps" in refused.content.decode()
    english = client.get("/en/search/", {"q": "transport"})
    assert english.status_code == 429
    assert "You searched too often in a short time" in english.content.decode()
