"""A Redis cache that degrades instead of failing: when Redis is down or slow, the cache calls
fall back, until Redis answers again, to the database for the rate limits and to a per-process
local-memory cache for everything else. Pages are still served, and every limit is still counted
once for all the worker processes: the posting limits and one-click tokens
(charte.core.throttle), the API's and the search page's throttles, allauth's sign-in, sign-up
and password-reset limits (their keys are ``LIMIT_NAMESPACES``). When Redis is back, the limits
count there again; their rows in the database are left to expire and be purged.

Redis is given short socket timeouts; after a failure it is left alone for RETRY_AFTER seconds
(no request waits on a dead server meanwhile), and one warning is logged per outage, not one
per request (:class:`charte.core.breaker.CircuitBreaker`)."""

from __future__ import annotations

import datetime
import hashlib
import itertools
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from charte.core.breaker import CircuitBreaker
from charte.core.models import LimitCounter

logger = logging.getLogger("charte.cache")

REDIS_ERRORS = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}

# The keys of the rate limits, kept in the database while Redis is down: the posting limits
# (``throttle:``) and one-click tokens (``submitted:``) of charte.core.throttle, DRF's throttles
# (``throttle_``: the API's and the search page's), allauth's limits and their locks
# (``allauth:rl:``).
LIMIT_NAMESPACES = ("throttle:", "throttle_", "submitted:", "allauth:rl:")

# Outage state per Redis location, shared by the threads of a process (Django keeps one cache
# object per thread).
_outages: dict[str, float] = {}


def purge_expired_limits() -> int:
    """Delete the expired rate-limit rows; the number deleted."""
    deleted, _ = LimitCounter.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


class DatabaseLimitCache(BaseCache):
    """The cache API over ``LimitCounter`` rows, shared by every process: ``incr`` is one
    UPDATE (count = count + delta) and ``add`` one INSERT that the primary key refuses to a
    second writer, so two processes never both see the same count nor both take a token."""

    PURGE_EVERY = 200  # writes between two deletions of the expired rows, per process

    _writes = itertools.count(1)

    def make_key(self, key, version=None):
        key = super().make_key(key, version=version)
        if len(key) > 255:  # the column's length: keep the start, readable, and a digest
            key = f"{key[:180]}#{hashlib.sha256(key.encode()).hexdigest()}"
        return key

    def _expiry(self, timeout) -> datetime.datetime | None:
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            return None
        return timezone.now() + datetime.timedelta(seconds=timeout - time.time())

    @staticmethod
    def _alive():
        return Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())

    @staticmethod
    def _columns(value) -> dict:
        if isinstance(value, int) and not isinstance(value, bool):
            return {"count": value, "value": None}
        return {"count": None, "value": value}

    def _wrote(self) -> None:
        if next(self._writes) % self.PURGE_EVERY == 0:
            purge_expired_limits()

    def _rows(self, key, version):
        return LimitCounter.objects.filter(self._alive(), key=self.make_key(key, version))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        made = self.make_key(key, version)
        LimitCounter.objects.filter(key=made, expires_at__lte=timezone.now()).delete()
        try:
            with transaction.atomic():
                LimitCounter.objects.create(
                    key=made, expires_at=self._expiry(timeout), **self._columns(value)
                )
        except IntegrityError:
            return False
        self._wrote()
        return True

    def get(self, key, default=None, version=None):
        row = self._rows(key, version).values_list("count", "value").first()
        if row is None:
            return default
        count, value = row
        return count if count is not None else value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        made = self.make_key(key, version)
        row = LimitCounter(key=made, expires_at=self._expiry(timeout), **self._columns(value))
        LimitCounter.objects.bulk_create(
            [row],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["count", "value", "expires_at"],
        )
        self._wrote()

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return bool(self._rows(key, version).update(expires_at=self._expiry(timeout)))

    def delete(self, key, version=None):
        deleted, _ = LimitCounter.objects.filter(key=self.make_key(key, version)).delete()
        return bool(deleted)

    def has_key(self, key, version=None):
        return self._rows(key, version).exists()

    def incr(self, key, delta=1, version=None):
        rows = self._rows(key, version).filter(count__isnull=False)
        # In one transaction, the UPDATE's row lock (PostgreSQL) or write lock (SQLite) holds
        # until the count is read back: it is this call's count, not a later one's.
        with transaction.atomic():
            if not rows.update(count=F("count") + delta):
                raise ValueError(f"Key '{key}' not found")
            return rows.values_list("count", flat=True).get()

    def clear(self):
        LimitCounter.objects.filter(key__startswith=f"{self.key_prefix}:").delete()


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, falling back while Redis is unreachable to the database for the
    keys of ``LIMIT_NAMESPACES`` and to local memory for every other key."""

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
        self.limits = DatabaseLimitCache(
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
            }
        )
        self.breaker = CircuitBreaker(
            self._location,
            retry_after=self.retry_after,
            outages=_outages,
            logger=logger,
            down_message=(
                "Redis cache unreachable (%s): serving from local memory, rate limits from the "
                "database, until it answers again"
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

    def _fallback_for(self, key) -> BaseCache:
        """Where a key lives while Redis is down: the database for a limit, else memory."""
        return self.limits if str(key).startswith(LIMIT_NAMESPACES) else self.fallback

    def _split(self, keys) -> tuple[list, list]:
        keys = list(keys)
        limits = [key for key in keys if self._fallback_for(key) is self.limits]
        return limits, [key for key in keys if self._fallback_for(key) is not self.limits]

    def _call(self, name, *args, fallback=None, **kwargs):
        """Redis's answer; while it is down, ``fallback()`` or else the same call on the
        fallback of the key (the first argument)."""
        if not self.redis_down:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except REDIS_ERRORS as error:
                self._failed(error)
            else:
                self._recovered()
                return result
        if fallback is not None:
            return fallback()
        return getattr(self._fallback_for(args[0]), name)(*args, **kwargs)

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
        keys = list(keys)

        def fallback():
            limits, others = self._split(keys)
            return {
                **self.fallback.get_many(others, version=version),
                **self.limits.get_many(limits, version=version),
            }

        return self._call("get_many", keys, version=version, fallback=fallback)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta=delta, version=version)

    def decr(self, key, delta=1, version=None):
        return self._call("decr", key, delta=delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        def fallback():
            limits, others = self._split(data)
            failed = self.fallback.set_many(
                {key: data[key] for key in others}, timeout=timeout, version=version
            )
            self.limits.set_many({key: data[key] for key in limits}, timeout, version)
            return failed

        return self._call("set_many", data, timeout=timeout, version=version, fallback=fallback)

    def delete_many(self, keys, version=None):
        keys = list(keys)

        def fallback():
            limits, others = self._split(keys)
            self.fallback.delete_many(others, version=version)
            self.limits.delete_many(limits, version=version)

        return self._call("delete_many", keys, version=version, fallback=fallback)

    def clear(self):
        self.fallback.clear()

        def fallback():
            self.limits.clear()
            return True

        return self._call("clear", fallback=fallback)
