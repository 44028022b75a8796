"""Outages degrade the site instead of taking it down: a Redis of the test's own is killed
mid-run and pages, posting and its rate limit go on; a database that fails answers a bilingual
503 with Retry-After; `/health/` and `/ready/` tell the operator's monitor what is up."""

from __future__ import annotations

import json
import logging
import shutil
import socket
import subprocess
import time

import pytest
from allauth.account.models import EmailAddress
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client, override_settings

from charte.core import roles
from charte.models import Comment, Paragraph
from charte.texts import services
from tests import factories
from tests.redis_server import kill
from tests.site.test_settings import settings_value

pytestmark = pytest.mark.django_db


# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def opened(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    return iteration


@pytest.fixture
def paragraph(opened):
    return Paragraph.objects.filter(iteration=opened).order_by("position").first()


def make_citizen():
    user = factories.UserFactory(username="lea", pseudonym="Léa du Port")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def cache_warnings(caplog):
    return [
        record
        for record in caplog.records
        if record.levelno == logging.WARNING and "unreachable" in record.getMessage()
    ]


# -- Redis down -----------------------------------------------------------------------------


@override_settings(POST_RATE_LIMITS="3/60")
def test_pages_posting_and_its_limit_go_on_when_redis_is_killed(
    client, opened, paragraph, site_cache, caplog
):
    process, port = site_cache
    client.force_login(make_citizen())
    comment_url = f"{opened.url}p/{paragraph.key}/comment/"
    assert client.get(opened.url).status_code == 200
    assert client.post(comment_url, {"comment": "Avant la panne"}).status_code == 302
    # The limit was counted in our Redis.
    import redis

    assert redis.Redis(port=port).keys("*throttle*")

    kill(process)
    caplog.set_level(logging.WARNING)
    for _ in range(3):
        assert client.get(opened.url).status_code == 200
    # Counted again from zero, in the database: three more posts, the fourth refused.
    for n in range(3):
        response = client.post(comment_url, {"comment": f"Pendant la panne {n}"})
        assert response.status_code == 302
    refused = client.post(comment_url, {"comment": "Une de trop"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert Comment.objects.count() == 4
    warnings = cache_warnings(caplog)
    assert len(warnings) == 1
    assert warnings[0].name == "charte.cache"


def test_sessions_do_not_live_in_the_cache():
    """A Redis outage signs nobody out: sessions are kept in the database."""
    engine = settings_value("settings.SESSION_ENGINE", REDIS_URL="redis://127.0.0.1:1/0")
    assert engine in (
        "'django.contrib.sessions.backends.db'",
        "'django.contrib.sessions.backends.cached_db'",
    )


def test_ready_reports_the_cache_down_when_redis_is_killed(client, site_cache):
    process, _ = site_cache
    before = client.get("/ready/")
    assert before.status_code == 200
    assert before.json()["parts"]["cache"] == {"status": "up", "backend": "redis"}

    kill(process)
    after = client.get("/ready/")
    # The site still serves from memory: ready, with the cache reported down.
    assert after.status_code == 200
    parts = after.json()["parts"]
    assert parts["cache"]["status"] == "down"
    assert parts["database"]["status"] == "up"


# -- database down --------------------------------------------------------------------------


def refuse(self, *args, **kwargs):
    raise OperationalError("connection refused")


@pytest.fixture
def database_down(monkeypatch):
    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    monkeypatch.setattr(CursorWrapper, "executemany", refuse)


def assert_bilingual_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    french = html.index("Site momentanément indisponible")
    english = html.index("Site temporarily unavailable", french)
    assert french < english
    assert "base de données" in html
    assert "cannot reach its database" in html


def test_a_database_down_answers_a_bilingual_503_with_retry_after(opened):
    address = opened.url
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", refuse)
        response = Client(raise_request_exception=False).get(address)
    assert_bilingual_503(response)


def test_a_database_down_answers_503_to_a_signed_in_resident_too(opened):
    """Here the session and the user are read by the middlewares, before any view."""
    client = Client(raise_request_exception=False)
    client.force_login(make_citizen())
    address = opened.url
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", refuse)
        response = client.get(address)
    assert_bilingual_503(response)


# -- the monitor's endpoints ----------------------------------------------------------------


def test_health_answers_ok_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


def test_health_answers_even_with_the_database_down(database_down):
    response = Client(raise_request_exception=False).get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_ready_lists_every_part_and_no_personal_data(client):
    make_citizen()
    response = client.get("/ready/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    report = response.json()
    assert report["status"] == "ready"
    parts = report["parts"]
    assert set(parts) == {"database", "cache", "queue", "search"}
    assert parts["database"] == {"status": "up"}
    assert parts["queue"] == {"status": "up", "ready_tasks": 0}
    assert parts["search"]["status"] == "up"
    body = json.dumps(report)
    assert "lea" not in body and "@" not in body


def test_ready_answers_503_when_the_database_is_down(database_down):
    response = Client(raise_request_exception=False).get("/ready/")
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "unavailable"
    assert report["parts"]["database"]["status"] == "down"
    assert report["parts"]["queue"]["status"] == "down"


def test_the_monitor_endpoints_never_send_staff_to_the_second_factor_setup(client):
    """A signed-in staff account without an authenticator is redirected everywhere else."""
    staff = factories.UserFactory(
        username="staff", role=roles.COMMUNICATION_TEAM, role__without_2fa=True
    )
    client.force_login(staff)
    assert client.get("/").status_code == 302
    assert client.get("/health/").status_code == 200
    assert client.get("/ready/").status_code == 200


def test_one_warning_per_outage_and_redis_used_again_once_back(own_redis, caplog):
    """Killed: one warning, however many calls; restarted: used again after the retry delay,
    and a second outage warns again."""
    from charte.core.cache import ResilientRedisCache, _outages

    process, port = own_redis
    _outages.clear()
    location = f"redis://127.0.0.1:{port}/0"
    cache = ResilientRedisCache(location, {"OPTIONS": {"retry_after": 0.2}})
    cache.set("k", "in redis")
    kill(process)
    caplog.set_level(logging.WARNING, logger="charte.cache")
    for _ in range(20):
        assert cache.get("k") is None  # from local memory now
        time.sleep(0.02)
    cache.set("k", "in memory")
    assert cache.get("k") == "in memory"
    assert len(cache_warnings(caplog)) == 1

    restarted = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not restart"
                time.sleep(0.05)
        time.sleep(0.3)  # past the retry delay
        cache.set("k", "back in redis")
        import redis

        assert redis.Redis(port=port).keys("*k*")
        assert any("reachable again" in r.getMessage() for r in caplog.records)
        kill(restarted)
        cache.get("k")
        assert len(cache_warnings(caplog)) == 2
    finally:
        if restarted.poll() is None:
            restarted.kill()
        restarted.wait(timeout=10)
        _outages.clear()


@pytest.mark.embedded_engine  # Elasticsearch down: tests/search/test_breaker.py
def test_ready_reports_a_search_engine_down_and_stays_ready(client, monkeypatch):
    from search.engines import EngineUnavailable
    from search.engines.database import DatabaseEngine

    def unavailable(self):
        raise EngineUnavailable("timed out")

    monkeypatch.setattr(DatabaseEngine, "count", unavailable)
    response = client.get("/ready/")
    assert response.status_code == 200
    assert response.json()["parts"]["search"] == {
        "status": "down",
        "engine": "database",
        "dead_letters": 0,
    }
