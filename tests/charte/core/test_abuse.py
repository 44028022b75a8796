"""Posting is throttled per account and per IP; a honeypot stops robots; one click, one post."""

import os
import socket

import pytest
from django.test import override_settings

from charte.core import throttle as throttle_module
from charte.core.throttle import throttle
from charte.models import Comment
from tests.charte.discussions.test_comments import make_citizen, url

pytestmark = pytest.mark.django_db


@override_settings(POST_RATE_LIMITS="2/60,3/3600")
def test_a_sixth_comment_in_a_minute_gets_429_with_retry_after(client, opened, paragraph):
    client.force_login(make_citizen())
    for n in range(2):
        response = client.post(url(opened, paragraph, "comment/"), {"comment": f"Avis {n}"})
        assert response.status_code == 302
    response = client.post(url(opened, paragraph, "comment/"), {"comment": "Encore un avis"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 61
    html = response.content.decode()
    assert "Encore un avis" in html  # the text is given back
    assert "too fast" in html or "trop vite" in html
    assert Comment.objects.count() == 2


@override_settings(POST_RATE_LIMITS="2/60")
def test_the_limit_also_holds_per_ip_address(client, opened, paragraph):
    for name in ("a", "b", "c"):
        client.force_login(make_citizen(name, f"Pseudo {name}"))
        response = client.post(
            url(opened, paragraph, "comment/"), {"comment": name}, REMOTE_ADDR="203.0.113.9"
        )
    assert response.status_code == 429
    assert Comment.objects.count() == 2


def test_the_honeypot_refuses_robots(client, opened, paragraph):
    client.force_login(make_citizen())
    response = client.post(
        url(opened, paragraph, "comment/"), {"comment": "Achetez !", "website": "http://spam"}
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_double_click_posts_one_comment(client, opened, paragraph):
    client.force_login(make_citizen())
    data = {"comment": "Une seule fois", "submission": "f00dfeed" * 4}
    first = client.post(url(opened, paragraph, "comment/"), data)
    second = client.post(url(opened, paragraph, "comment/"), data)
    assert first.status_code == second.status_code == 302
    assert Comment.objects.count() == 1


def redis_available():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def test_limits_are_shared_through_redis():
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail("no Redis server at 127.0.0.1:6379")
        pytest.skip("no Redis server at 127.0.0.1:6379 (install and start redis-server)")
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": f"charte-test-{os.getpid()}",
        }
    }
    with override_settings(CACHES=redis_cache):
        from django.core.cache import cache, caches

        cache.clear()
        limits = [(3, 60)]
        window = int(throttle_module.time.time() // 60)  # the limits' clock
        results = [throttle("post", ["user:42"], limits) for _ in range(4)]
        assert results[:3] == [None, None, None]
        assert results[3] is not None and 1 <= results[3] <= 61
        # Another worker process, with its own connection, sees the same counter.
        other = caches.create_connection("default")
        assert other.get(f"throttle:post:user:42:60:{window}") == 4
        cache.clear()
