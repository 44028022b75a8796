"""Site-wide request rules: the Content Security Policy, two-factor authentication for staff,
and a 503 page when the database is down."""

import logging

from allauth.mfa.models import Authenticator
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from charte.core.rules import is_staff_account

ADMIN_PREFIXES = ("/admin/",)


class AdminAwareCSPMiddleware(CSPMiddleware):
    """The public site gets the strict policy; the admin, which needs inline code, its own."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(ADMIN_PREFIXES)
        ):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        return parts


class StaffTwoFactorMiddleware:
    """Staff accounts (editors, moderators, council members) must use two-factor
    authentication: until they have set it up, every page sends them to its setup."""

    EXEMPT_PREFIXES = (
        "/accounts/",
        "/en/accounts/",
        "/static/",
        "/media/",
        "/i18n/",
        "/health/",
        "/ready/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path_info.startswith(self.EXEMPT_PREFIXES)
            and is_staff_account(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request,
                _(
                    "Staff accounts must use two-factor authentication. Set it up with an "
                    "authenticator app to continue."
                ),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path_info}")
        return self.get_response(request)


DATABASE_ERRORS = (OperationalError, InterfaceError)
db_logger = logging.getLogger("charte.database")


def database_unavailable_response():
    """The bilingual 503 page (French first, English): a plain template with no context
    processor, so that it renders without the database."""
    response = HttpResponse(
        loader.get_template("503.html").render({}), status=503, content_type="text/html"
    )
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """A database that is down or unreachable answers « 503, come back later » in French and
    English with ``Retry-After``, never a 500. First in the middleware list, so that it also
    wraps the sessions and authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except DATABASE_ERRORS as error:
            return self.unavailable(error)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return self.unavailable(exception)
        return None

    @staticmethod
    def unavailable(error):
        db_logger.error("Database unavailable: %s", error.__class__.__name__)
        return database_unavailable_response()
