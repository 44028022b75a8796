"""What the operator's monitor asks: is the process alive (liveness, no dependency touched) and
can it serve (readiness: the database, the cache, the durable task queue, and any further part
the site plugs in, such as the search engine). No personal data in any answer."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import DatabaseError, connection

logger = logging.getLogger("charte.health")

UP, DOWN, DEGRADED = "up", "down", "degraded"


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"status": DOWN, "error": error.__class__.__name__}
    return {"status": UP}


def check_cache() -> dict:
    """Redis when configured: « down » while it does not answer (the site then serves from each
    process's memory); the local-memory cache is always up."""
    ping = getattr(cache, "ping", None)
    if ping is None:
        return {"status": UP, "backend": "local memory"}
    return {"status": UP if ping() else DOWN, "backend": "redis"}


def check_queue() -> dict:
    """How many durable tasks (mostly e-mail) wait for the worker."""
    from django_tasks_db.models import DBTaskResult

    try:
        depth = DBTaskResult.objects.ready().count()
    except DatabaseError as error:
        return {"status": DOWN, "error": error.__class__.__name__}
    return {"status": UP, "ready_tasks": depth}


ESSENTIAL = ("database",)


def readiness(extra_checks: dict[str, Callable[[], dict]] | None = None) -> tuple[bool, dict]:
    """Run every check; ready when each essential part (the database) is up. A failing check
    reports itself as down and never stops the others."""
    checks = {
        "database": check_database,
        "cache": check_cache,
        "queue": check_queue,
        **(extra_checks or {}),
    }
    parts = {}
    for name, check in checks.items():
        try:
            parts[name] = check()
        except Exception as error:  # noqa: BLE001 - a broken check is a part that is down
            logger.warning("Readiness check %s failed: %r", name, error)
            parts[name] = {"status": DOWN, "error": error.__class__.__name__}
    ready = all(parts[name]["status"] == UP for name in ESSENTIAL if name in parts)
    return ready, {"status": "ready" if ready else "unavailable", "parts": parts}
