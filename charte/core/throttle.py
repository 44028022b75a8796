"""Rate limits on what citizens post, counted in the cache (shared by every worker process
when the cache is Redis, and through the database while Redis is down: a new key namespace of a
limit must be added to ``charte.core.cache.LIMIT_NAMESPACES``). Fixed windows: simple, and exact
enough to stop floods."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from charte.core.clientip import client_ip

logger = logging.getLogger("charte.limits")


def parse_limits(spec: str) -> list[tuple[int, int]]:
    """« 5/60,30/3600 » → [(5, 60), (30, 3600)]: at most 5 a minute and 30 an hour."""
    limits = []
    for part in spec.split(","):
        count, seconds = part.strip().split("/")
        limits.append((int(count), int(seconds)))
    return limits


def throttle(scope: str, identities: list[str], limits: list[tuple[int, int]] | None = None):
    """Count one attempt for each identity; return the seconds to wait if any limit is passed,
    else None."""
    limits = limits or parse_limits(settings.POST_RATE_LIMITS)
    now = time.time()
    wait = 0
    for identity in identities:
        for count, seconds in limits:
            window = int(now // seconds)
            key = f"throttle:{scope}:{identity}:{seconds}:{window}"
            cache.add(key, 0, timeout=seconds + 1)
            try:
                used = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=seconds + 1)
                used = 1
            if used > count:
                wait = max(wait, int((window + 1) * seconds - now) + 1)
    return wait or None


def first_submission(scope: str, token: str, ttl: int = 600) -> bool:
    """True the first time a form submission token is seen: a double click posts once."""
    if not token:
        return True
    return cache.add(f"submitted:{scope}:{token[:64]}", 1, timeout=ttl)


def posting_wait(request) -> int | None:
    """Count one post for the signed-in account and its client's address (``client_ip``,
    behind the trusted proxies); the seconds to wait when either went past its limit
    (POST_RATE_LIMITS), else None."""
    if not request.user.is_authenticated:
        return None
    return throttle("post", [f"user:{request.user.pk}", f"ip:{client_ip(request)}"])


def log_refusal(request, *, limit: str, wait: int | None = None) -> None:
    """One warning line for every request refused by a limit (the request id, account and
    address are added by the log filter)."""
    logger.warning(
        "limit %s refused %s %s (retry after %s s)",
        limit,
        request.method,
        request.path,
        wait if wait is not None else "?",
    )


class _ClientThrottle:
    """The API's throttles count per account or per ``client_ip`` (the same trusted proxies as
    every other limit: a forged ``X-Forwarded-For`` is ignored) and log their refusals."""

    def get_ident(self, request):
        return client_ip(request)

    def throttle_failure(self):
        request = getattr(self, "_request", None)
        if request is not None:
            wait = self.wait()
            log_refusal(request, limit=f"api-{self.scope}", wait=int(wait) if wait else None)
        return False

    def allow_request(self, request, view):
        self._request = request
        return super().allow_request(request, view)


class ApiAnonThrottle(_ClientThrottle, AnonRateThrottle):
    pass


class ApiUserThrottle(_ClientThrottle, UserRateThrottle):
    pass


def too_fast_message(wait: int) -> str:
    from django.utils.translation import ngettext

    return ngettext(
        "You are posting too fast: wait %(seconds)d second and send it again.",
        "You are posting too fast: wait %(seconds)d seconds and send it again.",
        wait,
    ) % {"seconds": wait}
