"""A Redis cache that degrades instead of failing: when Redis is down or slow, every cache call
falls back to a per-process local-memory cache, so pages are still served and the posting rate
limits (charte.core.throttle) still count, per process, until Redis answers again.

Redis is given short socket timeouts; after a failure it is left alone for RETRY_AFTER seconds
(no request waits on a dead server meanwhile), and one warning is logged per outage, not one
per request (:class:`charte.core.breaker.CircuitBreaker`)."""

from __future__ import annotations

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from charte.core.breaker import CircuitBreaker

logger = logging.getLogger("charte.cache")

REDIS_ERRORS = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}

# Outage state per Redis location, shared by the threads of a process (Django keeps one cache
# object per thread).
_outages: dict[str, float] = {}


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, falling back to local memory while Redis is unreachable."""

    RETRY_AFTER = 10  # seconds before Redis is tried again after a failure

    def __init__(self, server, params):
        params = dict(params)
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        self.retry_after = float(options.pop("retry_after", self.RETRY_AFTER))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        self.fallback = LocMemCache(
            f"redis-fallback:{self._location}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "OPTIONS": {"MAX_ENTRIES": 10000},
            },
        )
        self.breaker = CircuitBreaker(
            self._location,
            retry_after=self.retry_after,
            outages=_outages,
            logger=logger,
            down_message=(
                "Redis cache unreachable (%s): serving from local memory until it answers again"
            ),
            back_message="Redis cache reachable again",
        )

    # -- outage bookkeeping -------------------------------------------------------------------

    @property
    def redis_down(self) -> bool:
        """True while Redis is known to be unreachable and not yet due for another try."""
        return self.breaker.is_open

    def _failed(self, error: BaseException) -> None:
        self.breaker.failed(error)

    def _recovered(self) -> None:
        self.breaker.succeeded()

    def _call(self, name, *args, **kwargs):
        if not self.redis_down:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except REDIS_ERRORS as error:
                self._failed(error)
            else:
                self._recovered()
                return result
        return getattr(self.fallback, name)(*args, **kwargs)

    def ping(self) -> bool:
        """Ask Redis itself (not the fallback) whether it answers; for the readiness check."""
        try:
            self._cache.get_client().ping()
        except REDIS_ERRORS as error:
            self._failed(error)
            return False
        self._recovered()
        return True

    # -- the cache API, each call through _call ------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta=delta, version=version)

    def decr(self, key, delta=1, version=None):
        return self._call("decr", key, delta=delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def clear(self):
        self.fallback.clear()
        return self._call("clear")
