"""The search engine's part in the readiness check (`/ready/`): up when it answers a count in
its web-request time limit, down otherwise; search being down leaves the rest of the site up.
While web requests leave a failed engine alone (its circuit breaker is open), it is reported
down without being asked."""

from __future__ import annotations

from search.engines import EngineUnavailable, get_engine


def check_search() -> dict:
    engine = get_engine()
    name = getattr(engine, "name", engine.__class__.__name__)
    if getattr(engine, "down", False):
        return {"status": "down", "engine": name, "breaker": "open"}
    try:
        entries = engine.count()
    except EngineUnavailable:
        return {"status": "down", "engine": name}
    return {"status": "up", "engine": name, "entries": entries}
