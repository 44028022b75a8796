"""The operator's endpoints: `/health/` (liveness) and `/ready/` (readiness, in JSON), neither
ever cached nor needing a signed-in user; and the 500 handler that turns a database outage
into the 503 page."""

from __future__ import annotations

import sys

from django.http import HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache

from charte.core.health import readiness
from charte.core.middleware import DATABASE_ERRORS, DatabaseUnavailableMiddleware
from charte.core.tree import without_site


@without_site
@never_cache
def health(request):
    """The process answers: no database, no cache touched."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@without_site
@never_cache
def ready(request, extra_checks=None):
    """200 when the essential parts are up, 503 otherwise; each part with its status."""
    is_ready, report = readiness(extra_checks)
    return JsonResponse(report, status=200 if is_ready else 503)


def server_error(request, *args, **kwargs):
    """The 500 handler: a database error raised outside any view (in a middleware reading the
    session or the user) still gets the 503 page, not a 500."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return DatabaseUnavailableMiddleware.unavailable(error)
    return defaults.server_error(request, *args, **kwargs)
