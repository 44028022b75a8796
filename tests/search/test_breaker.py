"""A hanging search engine never holds a web worker past its own timeout, and only once per
outage: after a failure, search answers « unavailable » at once without calling the engine for
``SEARCH_ENGINE_RETRY_AFTER`` seconds (a circuit breaker), ``/ready/`` reports it down without
asking it, one warning is logged per outage and one when it answers again; indexing from the
worker is not held back by it."""

import logging

import pytest

from search.engines import elasticsearch
from search.engines.elasticsearch import ElasticsearchEngine
from tests.factories import search_entry
from tests.search.es_stub import SilentSocket, Stub

pytestmark = pytest.mark.django_db

UNAVAILABLE = "La recherche est momentanément indisponible"


@pytest.fixture
def engine_settings(settings):
    settings.ELASTICSEARCH_INDEX = "charte-entries"
    settings.SEARCH_ENGINE_RETRY_AFTER = 30
    elasticsearch._outages.clear()
    yield settings
    elasticsearch._outages.clear()


@pytest.fixture
def hanging(engine_settings):
    """A server that accepts connections and never answers, as the search engine."""
    server = SilentSocket()
    engine_settings.ELASTICSEARCH_URL = server.url
    yield server
    server.close()


@pytest.fixture
def stub(engine_settings):
    server = Stub()
    engine_settings.ELASTICSEARCH_URL = server.url
    yield server
    server.close()


def time_passes(seconds):
    """The outages started ``seconds`` earlier, as if that time had passed."""
    for key in elasticsearch._outages:
        elasticsearch._outages[key] -= seconds


def outage_warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "search.engine"]


def test_a_hanging_engine_is_waited_for_once_then_left_alone_until_the_retry_delay(
    client, hanging, caplog
):
    caplog.set_level(logging.WARNING, logger="search.engine")
    first = client.get("/recherche/", {"q": "transport"})
    assert first.status_code == 503 and UNAVAILABLE in first.content.decode()
    assert len(hanging.connections) == 1  # it waited for the engine, which never answered

    # Meanwhile every search answers at once, without connecting to the engine.
    for _ in range(3):
        page = client.get("/recherche/", {"q": "transport"})
        assert page.status_code == 503 and UNAVAILABLE in page.content.decode()
    api = client.get("/en/api/search/", {"q": "transport"})
    assert api.status_code == 503
    assert api.json()["detail"] == "Search is unavailable for the moment. Everything else works."
    ready = client.get("/ready/")
    assert ready.status_code == 200  # the site still serves
    assert ready.json()["parts"]["search"] == {
        "status": "down",
        "engine": "elasticsearch",
        "breaker": "open",
        "dead_letters": 0,
    }
    assert len(hanging.connections) == 1
    assert len(outage_warnings(caplog)) == 1

    time_passes(31)  # past SEARCH_ENGINE_RETRY_AFTER: the engine is tried again
    again = client.get("/recherche/", {"q": "transport"})
    assert again.status_code == 503
    assert len(hanging.connections) == 2
    assert len(outage_warnings(caplog)) == 1  # still the same outage


def test_an_engine_answering_again_is_used_again_and_said_so(client, stub, caplog):
    caplog.set_level(logging.WARNING, logger="search.engine")
    stub.status_for_all = 500
    assert client.get("/ready/").json()["parts"]["search"]["status"] == "down"
    asked = len(stub.requests)
    assert asked == 1
    assert client.get("/ready/").json()["parts"]["search"]["breaker"] == "open"
    assert len(stub.requests) == asked

    # The worker's indexing is not held back: it has its own, longer timeout and no breaker.
    stub.status_for_all = None
    ElasticsearchEngine(stub.url, for_indexing=True).write([search_entry("comment:1")])
    assert any(path.endswith("_bulk") for _m, path, _b in stub.requests)
    assert client.get("/ready/").json()["parts"]["search"]["breaker"] == "open"

    for method in ("GET", "POST"):
        stub.answers[(method, "/charte-entries/_count")] = (200, {"count": 4})
    time_passes(31)
    assert client.get("/ready/").json()["parts"]["search"] == {
        "status": "up",
        "engine": "elasticsearch",
        "entries": 4,
        "dead_letters": 0,
    }
    warnings = outage_warnings(caplog)
    assert len(warnings) == 2
    assert warnings[0].startswith("Search engine unreachable")
    assert warnings[1] == "Search engine answering again"
