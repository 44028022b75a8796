"""While Redis is down, every rate limit is counted in the database, once for all the worker
processes: the posting limits and one-click tokens, allauth's sign-in lockout, the API's
throttles. Each test kills a Redis of its own mid-run; clearing a process's local memory, or
going through another process's cache, loses no count. Everything else stays in local memory,
and when Redis answers again the limits are counted there again."""

from __future__ import annotations

import datetime
import io
import threading

import pytest
import redis
from django.core.cache import cache as site_default_cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from charte.core import cache as resilient
from charte.core import throttle as throttle_module
from charte.core.cache import ResilientRedisCache
from charte.core.throttle import first_submission, throttle
from charte.models import Comment, LimitCounter
from tests.charte.discussions.test_comments import make_citizen, url
from tests.redis_server import kill, start

pytestmark = pytest.mark.django_db


def worker_cache(port: int, name: str, **options) -> ResilientRedisCache:
    """The cache of one worker process: the site's Redis, and a local memory of its own."""
    params = {"KEY_PREFIX": "charte", "OPTIONS": options}
    cache = ResilientRedisCache(f"redis://127.0.0.1:{port}/0", params)
    cache.fallback = LocMemCache(f"worker-{name}-{port}", {"KEY_PREFIX": "charte"})
    cache.fallback.clear()
    return cache


@pytest.fixture
def two_workers(own_redis):
    process, port = own_redis
    resilient._outages.clear()
    yield process, port, worker_cache(port, "a"), worker_cache(port, "b")
    resilient._outages.clear()


def forget_local_memory():
    """What a worker process knows only in memory is lost (a restart, another process)."""
    site_default_cache.fallback.clear()


def test_two_workers_share_the_posting_limit_and_the_tokens_while_redis_is_down(
    two_workers, monkeypatch
):
    process, _, first, second = two_workers
    kill(process)
    results = []
    for n in range(6):  # the posts alternate between the two processes
        monkeypatch.setattr(throttle_module, "cache", (first, second)[n % 2])
        results.append(throttle("post", ["user:7"], [(5, 60)]))
    assert results[:5] == [None] * 5
    assert results[5] is not None and 1 <= results[5] <= 61

    # A double click whose two requests reach two processes still posts once.
    monkeypatch.setattr(throttle_module, "cache", first)
    assert first_submission("comment", "token-1") is True
    monkeypatch.setattr(throttle_module, "cache", second)
    assert first_submission("comment", "token-1") is False

    # Anything else stays in each process's memory, out of the database.
    first.set("fragment:home", "<p>Accueil</p>")
    assert first.get("fragment:home") == "<p>Accueil</p>"
    assert second.get("fragment:home") is None
    assert not LimitCounter.objects.filter(key__contains="fragment").exists()


@override_settings(POST_RATE_LIMITS="5/60")
def test_the_sixth_post_in_a_minute_is_refused_though_each_went_to_a_fresh_process(
    client, opened, paragraph, site_cache
):
    process, _ = site_cache
    client.force_login(make_citizen())
    kill(process)
    for n in range(5):
        forget_local_memory()
        response = client.post(url(opened, paragraph, "comment/"), {"comment": f"Avis {n}"})
        assert response.status_code == 302
    forget_local_memory()
    refused = client.post(url(opened, paragraph, "comment/"), {"comment": "Un de trop"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert Comment.objects.count() == 5


def test_the_sign_in_lockout_still_locks_while_redis_is_down(client, site_cache):
    process, _ = site_cache
    user = make_citizen()
    kill(process)
    login = reverse("account_login")
    for _ in range(5):  # ACCOUNT_RATE_LIMITS: 5 wrong passwords per account and address
        forget_local_memory()
        response = client.post(login, {"login": user.email, "password": "pas le bon"})
        assert response.status_code == 200
    forget_local_memory()
    response = client.post(login, {"login": user.email, "password": "correct horse battery staple"})
    # Locked out: even the right password does not sign in, and the form says why.
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives de connexion" in response.content.decode()


def test_the_api_throttle_still_counts_for_every_process_while_redis_is_down(
    client, paragraph, site_cache, monkeypatch
):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "9/minute"}
    )
    process, _ = site_cache
    kill(process)
    api = f"/api/paragraphs/{paragraph.pk}/comments/"
    statuses = []
    for _ in range(4):
        forget_local_memory()
        statuses.append(client.get(api, REMOTE_ADDR="192.0.2.9").status_code)
    assert statuses == [200, 200, 200, 429]


def test_expired_counters_count_no_more_and_are_purged(two_workers, monkeypatch):
    process, _, first, _ = two_workers
    kill(process)
    monkeypatch.setattr(throttle_module, "cache", first)
    assert throttle("post", ["user:7"], [(1, 60)]) is None
    assert throttle("post", ["user:7"], [(1, 60)]) is not None
    assert first_submission("comment", "token-2") is True
    assert LimitCounter.objects.count() == 2

    # The minute is over (the counter's expiry passed): the limit starts again.
    past = timezone.now() - datetime.timedelta(seconds=1)
    LimitCounter.objects.filter(key__contains="throttle:post").update(expires_at=past)
    assert throttle("post", ["user:7"], [(1, 60)]) is None

    LimitCounter.objects.update(expires_at=past)
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Expired rate-limit counters deleted: 2" in out.getvalue()
    assert not LimitCounter.objects.exists()


def test_limits_go_back_to_redis_once_it_answers_again(own_redis, monkeypatch):
    process, port = own_redis
    resilient._outages.clear()
    cache = worker_cache(port, "a", retry_after=0)  # Redis is tried again on every call
    monkeypatch.setattr(throttle_module, "cache", cache)
    kill(process)
    try:
        assert throttle("post", ["user:7"], [(5, 60)]) is None
        assert LimitCounter.objects.filter(key__contains="throttle:post:user:7").exists()

        restarted = start(port)
        try:
            assert throttle("post", ["user:7"], [(5, 60)]) is None
            keys = redis.Redis(port=port).keys("*throttle:post:user:7*")
            assert len(keys) == 1
            assert int(redis.Redis(port=port).get(keys[0])) == 1  # counted anew, in Redis
        finally:
            kill(restarted)
    finally:
        resilient._outages.clear()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="needs PostgreSQL (set DATABASE_URL): the in-memory SQLite of the tests locks "
    "tables without waiting, so concurrent writers are tested on PostgreSQL only",
)
def test_concurrent_processes_never_lose_a_count_nor_both_take_a_token(two_workers):
    """Threads with their own database connections stand for worker processes posting at the
    same moment: every increment is counted, and one token is taken by one of them only."""
    process, _, first, second = two_workers
    kill(process)
    first.add("throttle:post:user:9:60:1", 0, timeout=60)
    taken = []

    def work(cache):
        try:
            for n in range(20):
                cache.incr("throttle:post:user:9:60:1")
                taken.append(cache.add(f"submitted:comment:token-{n}", 1, timeout=60))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(c,)) for c in (first, second) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert first.get("throttle:post:user:9:60:1") == 80
    assert taken.count(True) == 20
