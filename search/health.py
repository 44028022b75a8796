"""The search engine's part in the readiness check (`/ready/`): up when it answers a count in
its web-request time limit, down otherwise; search being down leaves the rest of the site up.
While web requests leave a failed engine alone (its circuit breaker is open), it is reported
down without being asked."""

from __future__ import annotations

from django.db import DatabaseError

from search.engines import EngineUnavailable, get_engine


def dead_letters() -> int | None:
    """How many indexing tasks were given up (after ``MAX_ATTEMPTS`` tries, or on an error no
    retry mends): the entries they carried may be stale until ``rebuild_search_index`` runs.
    None when the database cannot tell."""
    from django_tasks_db.models import DBTaskResult

    try:
        return DBTaskResult.objects.failed().filter(task_path__startswith="search.").count()
    except DatabaseError:
        return None


def check_search() -> dict:
    engine = get_engine()
    name = getattr(engine, "name", engine.__class__.__name__)
    given_up = {"dead_letters": dead_letters()}
    if getattr(engine, "down", False):
        return {"status": "down", "engine": name, "breaker": "open", **given_up}
    try:
        entries = engine.count()
    except EngineUnavailable:
        return {"status": "down", "engine": name, **given_up}
    return {"status": "up", "engine": name, "entries": entries, **given_up}
