import ast

import pytest
from django.utils import translation
from wagtail.models import Locale

from tests import factories


@pytest.fixture
def own_redis():
    """A Redis server of this test's own, on a free port, that the test may kill."""
    from tests.redis_server import free_port, start

    port = free_port()
    process = start(port)
    yield process, port
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


@pytest.fixture
def site_cache(own_redis):
    """The cache exactly as the settings build it when REDIS_URL is set, pointed at our Redis."""
    from django.test import override_settings

    from charte.core import cache as resilient
    from tests.site.test_settings import settings_value

    process, port = own_redis
    config = ast.literal_eval(
        settings_value(
            "settings.CACHES['default']",
            REDIS_URL=f"redis://127.0.0.1:{port}/0",
        )
    )
    resilient._outages.clear()
    with override_settings(CACHES={"default": config}):
        yield process, port
    resilient._outages.clear()


@pytest.fixture
def english(db):
    locale, _ = Locale.objects.get_or_create(language_code="en")
    return locale


@pytest.fixture
def editor(db):
    return factories.editor()


@pytest.fixture
def charter(db, editor):
    return factories.make_charter(user=editor)


@pytest.fixture
def iteration(charter, editor):
    """A published draft iteration of six paragraphs, window open from yesterday."""
    return factories.make_iteration(charter, user=editor)


@pytest.fixture
def in_english():
    """Messages in English, for tests that match them."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits, kept renderings and other cached state never leak from one test into the
    next."""
    from django.core.cache import cache

    from charte.texts import frozen

    cache.clear()
    frozen.recent.clear()
    yield
    cache.clear()
    frozen.recent.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language, whatever a previous request chose."""
    from django.conf import settings

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _staff_force_login_with_second_factor(request, monkeypatch):
    """``client.force_login`` stands for a complete sign-in: for an account with an
    authenticator, the session also records its second factor, as allauth does after the code
    step. Tests marked ``password_only`` get a session opened without it."""
    if request.node.get_closest_marker("password_only"):
        return
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.http import HttpRequest
    from django.test import Client

    force_login = Client.force_login

    def force_login_with_second_factor(self, user, backend=None):
        force_login(self, user, backend)
        authenticator = Authenticator.objects.filter(user=user).first()
        if authenticator is None:
            return
        session = self.session
        login_request = HttpRequest()
        login_request.session = session
        record_authentication(login_request, user, "password")
        record_authentication(
            login_request, user, "mfa", id=authenticator.pk, type=authenticator.type
        )
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


@pytest.fixture(scope="session")
def live_search_server():
    """A live Elasticsearch-API server for the session (see ``tests.search.live``)."""
    from tests.search.live import start_live_server

    server, stop = start_live_server()
    yield server
    if stop is not None:
        stop()


def without_stemmer(index_body, url):
    """``index_body`` whose analyzers skip the light French stemmer on the server at ``url``
    (elsewhere, stubs included, the index is described as it is)."""
    from search.engines.elasticsearch import french_stemmer

    def index_body_without_stemmer(engine) -> dict:
        body = index_body(engine)
        if engine.url == url:
            for analyzer in body["settings"]["analysis"]["analyzer"].values():
                analyzer["filter"] = [f for f in analyzer["filter"] if f != french_stemmer._name]
        return body

    return index_body_without_stemmer


@pytest.fixture
def live_search(request, live_search_server, settings):
    """The site configured for the live server, under an index alias of this test's own."""
    from search.engines import elasticsearch
    from tests.search.live import drop_indices, own_alias, skip_if_analysis_is_wrong

    skip_if_analysis_is_wrong(request, live_search_server)
    alias = own_alias()
    settings.ELASTICSEARCH_URL = live_search_server.url
    settings.ELASTICSEARCH_FLAVOUR = live_search_server.flavour
    settings.ELASTICSEARCH_INDEX = alias
    settings.ELASTICSEARCH_WAIT_FOR_REFRESH = True  # a test searches right after it writes
    elasticsearch._outages.clear()
    if live_search_server.analysis_defect:
        # Its stemmer makes every word match every text: the indices of this test go without
        # it, so that matching is still judged (tests of the stemming itself are skipped above).
        request.getfixturevalue("monkeypatch").setattr(
            elasticsearch.ElasticsearchEngine,
            "index_body",
            without_stemmer(elasticsearch.ElasticsearchEngine.index_body, live_search_server.url),
        )
    yield live_search_server
    drop_indices(live_search_server.url, live_search_server.flavour, alias)
    elasticsearch._outages.clear()


@pytest.fixture(autouse=True)
def _search_index_of_its_own(request):
    """When the suite runs against a live server (``ELASTICSEARCH_URL``), each test indexes
    under an alias of its own, so that no test sees another's entries; a test marked
    ``embedded_engine`` (it checks the embedded engine's SQL) runs on the embedded engine."""
    from django.conf import settings

    if "engine_name" in request.fixturenames:
        pass  # the engine suite chooses its engine for each run of a test
    elif getattr(settings, "ELASTICSEARCH_URL", ""):
        if request.node.get_closest_marker("embedded_engine"):
            request.getfixturevalue("settings").ELASTICSEARCH_URL = ""
        else:
            request.getfixturevalue("live_search")
    yield


@pytest.fixture(autouse=True)
def _limits_start_a_window(monkeypatch):
    """Posting and document limits count in fixed windows of the clock (a minute, an hour):
    each test starts at the beginning of an hour of the limits' clock, and so of a minute, so
    that the few posts a test makes never straddle two windows, however slow the machine."""
    import time as real
    from types import SimpleNamespace

    from charte.core import throttle

    offset = real.time() % 3600 - 1.0
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: real.time() - offset))


@pytest.fixture(autouse=True)
def _no_example_dot_com():
    """No e-mail the site sends names « example.com » (the sites framework's placeholder): every
    test fails that leaves one in the outbox, whatever part of the message holds it."""
    yield
    from django.core import mail

    from tests.mail_checks import example_com_leaks

    leaks = example_com_leaks(getattr(mail, "outbox", []))
    assert not leaks, f"an e-mail names example.com: {leaks[0][:300]!r}"
