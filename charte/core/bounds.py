"""Bounded work per request: every expensive public page (a document to download, open data, a
synthesis, a comparison of two versions) is rate-limited per client and runs its SQL under a
time budget, so that nobody can keep the site's workers busy by asking for it in a loop, and a
slow build gives the reader an answer instead of holding a worker.

:func:`statement_budget` is the one time budget of the site, also used by the embedded search
engine: on PostgreSQL a ``statement_timeout`` local to a transaction (a savepoint inside a
request's transaction), rolled back when the block ends (what it guards only reads), which ends
the setting with it; on SQLite a progress handler that interrupts a statement past the
deadline. Either is raised as :class:`StatementTimeout`.

:func:`bounded` wraps such a view: ``DOCUMENT_RATE_LIMITS`` per address (``client_ip``) and per
account, each kind of page in its own budget (429 with ``Retry-After``, logged), and
``DOCUMENT_STATEMENT_TIMEOUT_MS`` for the queries that build it (503 past it).
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from charte.core.clientip import client_ip
from charte.core.throttle import log_refusal, parse_limits, throttle

QUERY_CANCELED = "57014"  # PostgreSQL: the statement timeout cancelled the query


class StatementTimeout(Exception):
    """A statement ran past its time budget and was interrupted."""


def _sqlite_deadline_handler(deadline):
    def handler():
        return 1 if time.monotonic() > deadline else 0  # non-zero interrupts the statement

    return handler


@contextmanager
def statement_budget(budget_ms: int):
    """Every statement of the block under a budget of ``budget_ms`` milliseconds (PostgreSQL:
    each statement; SQLite: the whole block), past which :class:`StatementTimeout` is raised.
    The block must write nothing: on PostgreSQL its savepoint is rolled back at the end."""
    budget = max(1, int(budget_ms))
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('statement_timeout', %s, true)", [f"{budget}ms"]
                    )
                yield
                transaction.set_rollback(True)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED:
                raise StatementTimeout() from error
            raise
        return
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    raw.set_progress_handler(_sqlite_deadline_handler(time.monotonic() + budget / 1000), 1000)
    try:
        yield
    except OperationalError as error:
        if "interrupted" in str(error):
            raise StatementTimeout() from error
        raise
    finally:
        raw.set_progress_handler(None, 0)


def document_wait(request, kind: str) -> int | None:
    """Count one request for a page of this ``kind`` from this address and, when signed in,
    this account; the seconds to wait when either went past ``DOCUMENT_RATE_LIMITS``."""
    identities = [f"ip:{client_ip(request)}"]
    if request.user.is_authenticated:
        identities.append(f"user:{request.user.pk}")
    return throttle(f"page-{kind}", identities, parse_limits(settings.DOCUMENT_RATE_LIMITS))


def too_many(request, wait: int):
    """The 429 page, in the reader's language, with ``Retry-After``."""
    response = render(
        request,
        "bounded.html",
        {
            "title": _("Too many requests"),
            "message": ngettext(
                "This page was asked for too often from your connection in a short time: wait "
                "%(seconds)d second and try again.",
                "This page was asked for too often from your connection in a short time: wait "
                "%(seconds)d seconds and try again.",
                wait,
            )
            % {"seconds": wait},
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    add_never_cache_headers(response)
    return response


def too_slow(request):
    """The 503 page when building the page went past its time budget."""
    response = render(
        request,
        "bounded.html",
        {
            "title": _("This page took too long to prepare"),
            "message": _(
                "The site is busy and could not prepare this page in time. Try again in a few "
                "minutes; if it keeps happening, tell the team."
            ),
        },
        status=503,
    )
    add_never_cache_headers(response)
    return response


def read_within_budget(request, kind: str, read):
    """``(read(), None)``, the statements of ``read`` under the time budget; ``(None, the 503
    page)`` past it. ``read`` must write nothing (see :func:`statement_budget`)."""
    try:
        with statement_budget(settings.DOCUMENT_STATEMENT_TIMEOUT_MS):
            return read(), None
    except StatementTimeout:
        log_refusal(request, limit=f"time-{kind}")
        return None, too_slow(request)


def bounded(kind: str, *, budget: bool = True):
    """Decorate the view of an expensive public page (``view(page, request, *args)``): its rate
    limit (``kind`` names its own budget: ``document``, ``open-data``, ``synthesis``,
    ``comparison``) and the time budget of its queries, template included. A view that writes
    (a document's build asked for) says ``budget=False`` and bounds its reads itself with
    :func:`read_within_budget`."""

    def decorate(view):
        @wraps(view)
        def wrapper(page, request, *args, **kwargs):
            wait = document_wait(request, kind)
            if wait:
                log_refusal(request, limit=f"page-{kind}", wait=wait)
                return too_many(request, wait)
            if not budget:
                return view(page, request, *args, **kwargs)

            def respond():
                response = view(page, request, *args, **kwargs)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()  # a template's lazy queries count in the budget
                return response

            response, refusal = read_within_budget(request, kind, respond)
            return refusal or response

        return wrapper

    return decorate
